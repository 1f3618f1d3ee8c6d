//! Ledger entries from the accounting system (issue 17): every import, from an accountant's
//! upload or an integration's API call, with its counts and, when refused, the problems by line
//! and column; the API tokens admins issue for the import (only a hash of each is kept); and on
//! each imported entry the accounting system's id, unique, so a re-import stores nothing twice.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ApiTokens {
    Table,
    Id,
    Name,
    Scope,
    TokenHash,
    CreatedBy,
    CreatedAt,
    RevokedAt,
    RevokedBy,
    LastUsedAt,
}

#[derive(DeriveIden)]
enum LedgerImports {
    Table,
    Id,
    Origin,
    FileName,
    TokenId,
    CreatedBy,
    Rows,
    Imported,
    Skipped,
    Refused,
    Problems,
    CreatedAt,
}

#[derive(DeriveIden)]
enum LedgerEntries {
    Table,
    ExternalId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ApiTokens::Table)
                    .col(pk_auto(ApiTokens::Id))
                    .col(string(ApiTokens::Name))
                    .col(string(ApiTokens::Scope))
                    .col(string_uniq(ApiTokens::TokenHash))
                    .col(integer(ApiTokens::CreatedBy))
                    .col(timestamp_with_time_zone(ApiTokens::CreatedAt))
                    .col(timestamp_with_time_zone_null(ApiTokens::RevokedAt))
                    .col(integer_null(ApiTokens::RevokedBy))
                    .col(timestamp_with_time_zone_null(ApiTokens::LastUsedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(LedgerImports::Table)
                    .col(pk_auto(LedgerImports::Id))
                    .col(string(LedgerImports::Origin))
                    .col(string(LedgerImports::FileName))
                    .col(integer_null(LedgerImports::TokenId))
                    .col(integer_null(LedgerImports::CreatedBy))
                    .col(integer(LedgerImports::Rows))
                    .col(integer(LedgerImports::Imported))
                    .col(integer(LedgerImports::Skipped))
                    .col(boolean(LedgerImports::Refused))
                    .col(text(LedgerImports::Problems).default("[]"))
                    .col(timestamp_with_time_zone(LedgerImports::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(LedgerEntries::Table)
                    .add_column(string_null(LedgerEntries::ExternalId))
                    .to_owned(),
            )
            .await?;
        // Unique where set: both databases let any number of NULLs through.
        manager
            .create_index(
                Index::create()
                    .name("idx_ledger_external_id")
                    .table(LedgerEntries::Table)
                    .col(LedgerEntries::ExternalId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_ledger_external_id")
                    .table(LedgerEntries::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(LedgerEntries::Table)
                    .drop_column(LedgerEntries::ExternalId)
                    .to_owned(),
            )
            .await?;
        for table in [
            LedgerImports::Table.into_iden(),
            ApiTokens::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
