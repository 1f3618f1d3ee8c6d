//! A notification names a card of any pipeline (`pipeline`, `card_id`), but its `card_id` kept
//! the foreign key to `document_cards` from when only supplier documents had cards: a notice
//! about a deal, an order or a payment request whose id no document has was refused, and one
//! whose id a document had was deleted with that document. The key goes; the user's stays.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Notifications {
    Table,
    Id,
    UserId,
    CardId,
    Text,
    CreatedAt,
    ReadAt,
    Pipeline,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

const DOCUMENTS: &str = "supplier_documents";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        match manager.get_database_backend() {
            sea_orm::DatabaseBackend::Sqlite => {
                // SQLite cannot drop a foreign key in place: the table is made anew with the
                // same rows and ids.
                db.execute_unprepared("DROP INDEX idx_notifications_user")
                    .await?;
                db.execute_unprepared("ALTER TABLE notifications RENAME TO notifications_before")
                    .await?;
                manager
                    .create_table(
                        Table::create()
                            .table(Notifications::Table)
                            .col(pk_auto(Notifications::Id))
                            .col(integer(Notifications::UserId))
                            .col(integer_null(Notifications::CardId))
                            .col(text(Notifications::Text))
                            .col(timestamp_with_time_zone(Notifications::CreatedAt))
                            .col(timestamp_with_time_zone_null(Notifications::ReadAt))
                            .col(string(Notifications::Pipeline).default(DOCUMENTS))
                            .foreign_key(
                                ForeignKey::create()
                                    .from(Notifications::Table, Notifications::UserId)
                                    .to(Users::Table, Users::Id)
                                    .on_delete(ForeignKeyAction::Cascade),
                            )
                            .to_owned(),
                    )
                    .await?;
                db.execute_unprepared(
                    "INSERT INTO notifications \
                     (id, user_id, card_id, text, created_at, read_at, pipeline) \
                     SELECT id, user_id, card_id, text, created_at, read_at, pipeline \
                     FROM notifications_before",
                )
                .await?;
                db.execute_unprepared("DROP TABLE notifications_before")
                    .await?;
                manager
                    .create_index(
                        Index::create()
                            .name("idx_notifications_user")
                            .table(Notifications::Table)
                            .col(Notifications::UserId)
                            .col(Notifications::ReadAt)
                            .to_owned(),
                    )
                    .await?;
            }
            _ => {
                // Whatever the key was named when it was made.
                db.execute_unprepared(
                    "DO $$ DECLARE r record; BEGIN \
                     FOR r IN SELECT c.conname FROM pg_constraint c \
                       JOIN pg_class t ON t.oid = c.conrelid \
                       JOIN pg_namespace n ON n.oid = t.relnamespace \
                       JOIN pg_class f ON f.oid = c.confrelid \
                       WHERE c.contype = 'f' AND t.relname = 'notifications' \
                         AND f.relname = 'document_cards' AND n.nspname = current_schema() \
                     LOOP EXECUTE 'ALTER TABLE notifications DROP CONSTRAINT ' \
                       || quote_ident(r.conname); END LOOP; END $$",
                )
                .await?;
            }
        }
        Ok(())
    }

    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        // The key cannot come back: notifications of other pipelines would break it.
        Ok(())
    }
}
