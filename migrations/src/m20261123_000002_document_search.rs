//! A lower-cased search text per document card, written by the application: SQLite's LOWER()
//! folds only ASCII, and suppliers search Cyrillic invoice numbers.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum DocumentCards {
    Table,
    SearchText,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(DocumentCards::Table)
                    .add_column(text(DocumentCards::SearchText).default(""))
                    .to_owned(),
            )
            .await
    }
}
