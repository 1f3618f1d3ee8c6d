//! One change feed and one notification centre for every pipeline: their rows say which
//! pipeline's card they are about, and a change of a card with no supplier (a deal) has no
//! counterparty.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum CardChanges {
    Table,
    Id,
    Pipeline,
    CardId,
    CounterpartyId,
    Kind,
    UserId,
    Detail,
    At,
}

#[derive(DeriveIden)]
enum Notifications {
    Table,
    Pipeline,
}

const DOCUMENTS: &str = "supplier_documents";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Notifications::Table)
                    .add_column(string(Notifications::Pipeline).default(DOCUMENTS))
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        match manager.get_database_backend() {
            sea_orm::DatabaseBackend::Sqlite => {
                // SQLite cannot make a column nullable in place: the table is made anew with
                // the same ids (live pages resume from them) and the old one dropped.
                db.execute_unprepared("DROP INDEX idx_card_changes_counterparty")
                    .await?;
                db.execute_unprepared("ALTER TABLE card_changes RENAME TO card_changes_before")
                    .await?;
                manager
                    .create_table(
                        Table::create()
                            .table(CardChanges::Table)
                            .col(big_pk_auto(CardChanges::Id))
                            .col(string(CardChanges::Pipeline).default(DOCUMENTS))
                            .col(integer(CardChanges::CardId))
                            .col(integer_null(CardChanges::CounterpartyId))
                            .col(string(CardChanges::Kind))
                            .col(integer_null(CardChanges::UserId))
                            .col(text_null(CardChanges::Detail))
                            .col(timestamp_with_time_zone(CardChanges::At))
                            .to_owned(),
                    )
                    .await?;
                db.execute_unprepared(
                    "INSERT INTO card_changes \
                     (id, pipeline, card_id, counterparty_id, kind, user_id, detail, at) \
                     SELECT id, 'supplier_documents', card_id, counterparty_id, kind, user_id, \
                     detail, at FROM card_changes_before",
                )
                .await?;
                db.execute_unprepared("DROP TABLE card_changes_before")
                    .await?;
            }
            _ => {
                manager
                    .alter_table(
                        Table::alter()
                            .table(CardChanges::Table)
                            .add_column(string(CardChanges::Pipeline).default(DOCUMENTS))
                            .modify_column(integer_null(CardChanges::CounterpartyId))
                            .to_owned(),
                    )
                    .await?;
                manager
                    .drop_index(
                        Index::drop()
                            .name("idx_card_changes_counterparty")
                            .table(CardChanges::Table)
                            .to_owned(),
                    )
                    .await?;
            }
        }
        manager
            .create_index(
                Index::create()
                    .name("idx_card_changes_counterparty")
                    .table(CardChanges::Table)
                    .col(CardChanges::CounterpartyId)
                    .col(CardChanges::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_card_changes_card")
                    .table(CardChanges::Table)
                    .col(CardChanges::Pipeline)
                    .col(CardChanges::CardId)
                    .to_owned(),
            )
            .await
    }
}
