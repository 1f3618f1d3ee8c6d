//! The supplier's replies to a reconciliation statement (issue 17): a confirmation of an
//! account's statement over a period with the closing balance it agreed to, or a dispute of
//! one entry with a comment, which opens a task for accounting (the answer comes back in the
//! task's thread).
use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261202_000009_row_level_security::SUPPLIER_ROLE;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum StatementReplies {
    Table,
    Id,
    CounterpartyId,
    Account,
    PeriodFrom,
    PeriodTo,
    ClosingKopecks,
    Verdict,
    EntryId,
    Comment,
    TaskId,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Counterparties {
    Table,
    Id,
}

/// Walled for suppliers: each reads and adds only its own counterparty's replies.
pub const WALLED: [&str; 1] = ["statement_replies"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(StatementReplies::Table)
                    .col(pk_auto(StatementReplies::Id))
                    .col(integer(StatementReplies::CounterpartyId))
                    .col(string(StatementReplies::Account))
                    .col(date(StatementReplies::PeriodFrom))
                    .col(date(StatementReplies::PeriodTo))
                    .col(big_integer(StatementReplies::ClosingKopecks))
                    .col(string(StatementReplies::Verdict))
                    .col(integer_null(StatementReplies::EntryId))
                    .col(text(StatementReplies::Comment).default(""))
                    .col(integer_null(StatementReplies::TaskId))
                    .col(integer(StatementReplies::CreatedBy))
                    .col(timestamp_with_time_zone(StatementReplies::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(StatementReplies::Table, StatementReplies::CounterpartyId)
                            .to(Counterparties::Table, Counterparties::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_statement_replies_counterparty")
                    .table(StatementReplies::Table)
                    .col(StatementReplies::CounterpartyId)
                    .col(StatementReplies::CreatedAt)
                    .to_owned(),
            )
            .await?;
        if manager.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
            manager
                .get_connection()
                .execute_unprepared(&format!(
                    "GRANT SELECT, INSERT ON statement_replies TO {SUPPLIER_ROLE}; \
                     GRANT USAGE, SELECT ON SEQUENCE statement_replies_id_seq TO {SUPPLIER_ROLE}; \
                     ALTER TABLE statement_replies ENABLE ROW LEVEL SECURITY; \
                     CREATE POLICY supplier_rows ON statement_replies TO {SUPPLIER_ROLE} \
                     USING (counterparty_id = kabinet_counterparty()) \
                     WITH CHECK (counterparty_id = kabinet_counterparty())"
                ))
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(StatementReplies::Table).to_owned())
            .await
    }
}
