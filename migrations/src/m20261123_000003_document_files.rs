//! Files of a supplier document, kept under their content's SHA-256; the VAT rate of a card and
//! its "possible duplicate" mark.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum DocumentCards {
    Table,
    Id,
    Vat,
    PossibleDuplicate,
}

#[derive(DeriveIden)]
enum DocumentFiles {
    Table,
    Id,
    CardId,
    Sha256,
    OriginalName,
    Mime,
    SizeBytes,
    UploadedBy,
    UploadedAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per statement.
        manager
            .alter_table(
                Table::alter()
                    .table(DocumentCards::Table)
                    .add_column(string(DocumentCards::Vat).default("none"))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(DocumentCards::Table)
                    .add_column(boolean(DocumentCards::PossibleDuplicate).default(false))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(DocumentFiles::Table)
                    .col(pk_auto(DocumentFiles::Id))
                    .col(integer(DocumentFiles::CardId))
                    .col(string_len(DocumentFiles::Sha256, 64))
                    .col(string(DocumentFiles::OriginalName))
                    .col(string(DocumentFiles::Mime))
                    .col(big_integer(DocumentFiles::SizeBytes))
                    .col(integer(DocumentFiles::UploadedBy))
                    .col(timestamp_with_time_zone(DocumentFiles::UploadedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(DocumentFiles::Table, DocumentFiles::CardId)
                            .to(DocumentCards::Table, DocumentCards::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(DocumentFiles::Table, DocumentFiles::UploadedBy)
                            .to(Users::Table, Users::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_document_files_card")
                    .table(DocumentFiles::Table)
                    .col(DocumentFiles::CardId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_document_files_sha256")
                    .table(DocumentFiles::Table)
                    .col(DocumentFiles::Sha256)
                    .to_owned(),
            )
            .await
    }
}
