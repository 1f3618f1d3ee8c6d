//! Paying a request: the letter to the counterparty carries the payment order, so an outbox
//! letter may name files (JSON: hash, name, type), read from the store when it is sent; and the
//! payment register reads approved requests by pay-by date.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum EmailOutbox {
    Table,
    Attachments,
}

#[derive(DeriveIden)]
enum PaymentRequests {
    Table,
    StageId,
    Urgent,
    PayBy,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(EmailOutbox::Table)
                    .add_column(text_null(EmailOutbox::Attachments))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_payment_requests_register")
                    .table(PaymentRequests::Table)
                    .col(PaymentRequests::StageId)
                    .col(PaymentRequests::Urgent)
                    .col(PaymentRequests::PayBy)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_payment_requests_register")
                    .table(PaymentRequests::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(EmailOutbox::Table)
                    .drop_column(EmailOutbox::Attachments)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }
}
