//! An index for reading an account's standing without its whole history (issue 17's speed at
//! 100,000 entries): the balance is summed per contract on the database, and the overdue comes
//! from the newest entries of the side left open, read newest first along this index.
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum LedgerEntries {
    Table,
    CounterpartyId,
    ContractId,
    Side,
    EntryDate,
    Id,
}

const NAME: &str = "idx_ledger_account_side_date";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name(NAME)
                    .table(LedgerEntries::Table)
                    .col(LedgerEntries::CounterpartyId)
                    .col(LedgerEntries::ContractId)
                    .col(LedgerEntries::Side)
                    .col(LedgerEntries::EntryDate)
                    .col(LedgerEntries::Id)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name(NAME)
                    .table(LedgerEntries::Table)
                    .to_owned(),
            )
            .await
    }
}
