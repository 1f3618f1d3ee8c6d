//! Settlements (issue 17): the ledger of what we and each counterparty owe each other, written
//! by the app's own events and never edited (a correction is a reversing entry), and the
//! counterparty's access block in three modes with a credit limit. The `blocked` flag becomes
//! `block_mode` ('none', 'balance_only', 'full'); a counterparty blocked before stays fully
//! blocked.
use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261202_000009_row_level_security::SUPPLIER_ROLE;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum LedgerEntries {
    Table,
    Id,
    CounterpartyId,
    ContractId,
    EntryDate,
    DueDate,
    Side,
    Kind,
    AmountKopecks,
    Source,
    SourceId,
    DocumentNumber,
    DocumentDate,
    Reversal,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Counterparties {
    Table,
    Id,
    Blocked,
    BlockMode,
    BlockByRule,
    CreditLimitKopecks,
}

/// Walled for suppliers: each reads only its own counterparty's entries, and writes none.
pub const WALLED: [&str; 1] = ["ledger_entries"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(LedgerEntries::Table)
                    .col(pk_auto(LedgerEntries::Id))
                    .col(integer(LedgerEntries::CounterpartyId))
                    .col(integer_null(LedgerEntries::ContractId))
                    .col(date(LedgerEntries::EntryDate))
                    .col(date_null(LedgerEntries::DueDate))
                    .col(string(LedgerEntries::Side))
                    .col(string(LedgerEntries::Kind))
                    .col(big_integer(LedgerEntries::AmountKopecks))
                    .col(string(LedgerEntries::Source))
                    .col(integer(LedgerEntries::SourceId))
                    .col(string(LedgerEntries::DocumentNumber))
                    .col(date(LedgerEntries::DocumentDate))
                    .col(boolean(LedgerEntries::Reversal).default(false))
                    .col(integer_null(LedgerEntries::CreatedBy))
                    .col(timestamp_with_time_zone(LedgerEntries::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(LedgerEntries::Table, LedgerEntries::CounterpartyId)
                            .to(Counterparties::Table, Counterparties::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_ledger_counterparty_date")
                    .table(LedgerEntries::Table)
                    .col(LedgerEntries::CounterpartyId)
                    .col(LedgerEntries::EntryDate)
                    .col(LedgerEntries::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_ledger_source")
                    .table(LedgerEntries::Table)
                    .col(LedgerEntries::Source)
                    .col(LedgerEntries::SourceId)
                    .to_owned(),
            )
            .await?;
        // One column a statement: SQLite adds no more.
        for column in [
            string(Counterparties::BlockMode).default("none").to_owned(),
            boolean(Counterparties::BlockByRule)
                .default(false)
                .to_owned(),
            big_integer_null(Counterparties::CreditLimitKopecks),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Counterparties::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        let db = manager.get_connection();
        db.execute_unprepared("UPDATE counterparties SET block_mode = 'full' WHERE blocked")
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Counterparties::Table)
                    .drop_column(Counterparties::Blocked)
                    .to_owned(),
            )
            .await?;
        if manager.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
            db.execute_unprepared(&format!(
                "GRANT SELECT ON ledger_entries TO {SUPPLIER_ROLE}; \
                 ALTER TABLE ledger_entries ENABLE ROW LEVEL SECURITY; \
                 CREATE POLICY supplier_rows ON ledger_entries TO {SUPPLIER_ROLE} \
                 USING (counterparty_id = kabinet_counterparty()) \
                 WITH CHECK (counterparty_id = kabinet_counterparty())"
            ))
            .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(LedgerEntries::Table).to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Counterparties::Table)
                    .add_column(boolean(Counterparties::Blocked).default(false))
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        db.execute_unprepared("UPDATE counterparties SET blocked = (block_mode <> 'none')")
            .await?;
        for column in [
            Counterparties::BlockMode,
            Counterparties::BlockByRule,
            Counterparties::CreditLimitKopecks,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Counterparties::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
