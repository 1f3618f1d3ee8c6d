//! A counterparty's full requisites (registration numbers, addresses, bank details, responsible
//! manager), a search text written by the application, and its contacts.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Counterparties {
    Table,
    Id,
    Kpp,
    Ogrn,
    LegalAddress,
    PostalAddress,
    BankName,
    Bic,
    SettlementAccount,
    CorrespondentAccount,
    ResponsibleManagerId,
    SearchText,
}

#[derive(DeriveIden)]
enum CounterpartyContacts {
    Table,
    Id,
    CounterpartyId,
    Name,
    Position,
    Email,
    Phone,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per statement.
        let columns = [
            string_null(Counterparties::Kpp),
            string_null(Counterparties::Ogrn),
            text_null(Counterparties::LegalAddress),
            text_null(Counterparties::PostalAddress),
            string_null(Counterparties::BankName),
            string_null(Counterparties::Bic),
            string_null(Counterparties::SettlementAccount),
            string_null(Counterparties::CorrespondentAccount),
            // A plain column: SQLite cannot add a foreign key to an existing table.
            integer_null(Counterparties::ResponsibleManagerId),
            text(Counterparties::SearchText).default("").to_owned(),
        ];
        for mut column in columns {
            manager
                .alter_table(
                    Table::alter()
                        .table(Counterparties::Table)
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_index(
                Index::create()
                    .name("idx_counterparties_inn")
                    .table(Counterparties::Table)
                    .col(Alias::new("inn"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(CounterpartyContacts::Table)
                    .col(pk_auto(CounterpartyContacts::Id))
                    .col(integer(CounterpartyContacts::CounterpartyId))
                    .col(string(CounterpartyContacts::Name))
                    .col(string(CounterpartyContacts::Position).default(""))
                    .col(string(CounterpartyContacts::Email).default(""))
                    .col(string(CounterpartyContacts::Phone).default(""))
                    .col(timestamp_with_time_zone(CounterpartyContacts::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                CounterpartyContacts::Table,
                                CounterpartyContacts::CounterpartyId,
                            )
                            .to(Counterparties::Table, Counterparties::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_counterparty_contacts_counterparty")
                    .table(CounterpartyContacts::Table)
                    .col(CounterpartyContacts::CounterpartyId)
                    .to_owned(),
            )
            .await
    }
}
