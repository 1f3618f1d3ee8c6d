//! Payment requests (заявки на оплату): a fourth pipeline, with its approval steps. A request's
//! files are item files (owner kinds `payment_invoice`, `payment_request`), kept with no
//! counterparty: on PostgreSQL a supplier's wall shows it none of them, nor the steps (the
//! internal chain).
use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261202_000009_row_level_security::SUPPLIER_ROLE;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum PaymentRequests {
    Table,
    Id,
    StageId,
    Version,
    StageEnteredAt,
    ResponsibleUserId,
    InitiatorUserId,
    CounterpartyId,
    ContactId,
    AmountKopecks,
    Purpose,
    CashFlowItemId,
    InBudget,
    Urgent,
    PayBy,
    Comment,
    DocumentCardId,
    SupplierOrderId,
    Round,
    PaidOn,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ApprovalSteps {
    Table,
    Id,
    RequestId,
    Round,
    Position,
    ApproverUserId,
    ActingUserId,
    Reason,
    State,
    Comment,
    DecidedAt,
    DecidedBy,
    ActivatedAt,
    RemindAt,
    EscalateAt,
    Material,
    Fingerprint,
    Changes,
}

#[derive(DeriveIden)]
enum Stages {
    Table,
    Id,
    Pipeline,
    Code,
    Position,
    NameRu,
    NameEn,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Counterparties {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum CashFlowItems {
    Table,
    Id,
}

const PIPELINE: &str = "payment_requests";

/// The tables this migration walls on PostgreSQL.
pub const WALLED: [&str; 2] = ["payment_requests", "approval_steps"];

const STAGES: [(&str, &str, &str); 5] = [
    ("draft", "Черновик", "Draft"),
    ("approval", "Согласование", "Approval"),
    ("accounting", "Бухгалтерия", "Accounting"),
    ("paid", "Оплачено", "Paid"),
    ("rework", "На доработке", "Returned for rework"),
];

fn fk(column: impl IntoIden, table: impl IntoIden, id: impl IntoIden) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from_col(column)
        .to(table, id)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(PaymentRequests::Table)
                    .col(pk_auto(PaymentRequests::Id))
                    .col(integer(PaymentRequests::StageId))
                    .col(integer(PaymentRequests::Version).default(1))
                    .col(timestamp_with_time_zone(PaymentRequests::StageEnteredAt))
                    .col(integer_null(PaymentRequests::ResponsibleUserId))
                    .col(integer(PaymentRequests::InitiatorUserId))
                    .col(integer(PaymentRequests::CounterpartyId))
                    .col(integer_null(PaymentRequests::ContactId))
                    .col(big_integer(PaymentRequests::AmountKopecks))
                    .col(text(PaymentRequests::Purpose))
                    .col(integer(PaymentRequests::CashFlowItemId))
                    .col(boolean(PaymentRequests::InBudget).default(true))
                    .col(boolean(PaymentRequests::Urgent).default(false))
                    .col(date_null(PaymentRequests::PayBy))
                    .col(text(PaymentRequests::Comment).default(""))
                    .col(integer_null(PaymentRequests::DocumentCardId))
                    .col(integer_null(PaymentRequests::SupplierOrderId))
                    .col(integer(PaymentRequests::Round).default(0))
                    .col(date_null(PaymentRequests::PaidOn))
                    .col(timestamp_with_time_zone(PaymentRequests::CreatedAt))
                    .col(timestamp_with_time_zone(PaymentRequests::UpdatedAt))
                    .foreign_key(&mut fk(PaymentRequests::StageId, Stages::Table, Stages::Id))
                    .foreign_key(&mut fk(
                        PaymentRequests::InitiatorUserId,
                        Users::Table,
                        Users::Id,
                    ))
                    .foreign_key(&mut fk(
                        PaymentRequests::CounterpartyId,
                        Counterparties::Table,
                        Counterparties::Id,
                    ))
                    .foreign_key(&mut fk(
                        PaymentRequests::CashFlowItemId,
                        CashFlowItems::Table,
                        CashFlowItems::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        for (name, column) in [
            ("idx_payment_requests_stage", PaymentRequests::StageId),
            (
                "idx_payment_requests_counterparty",
                PaymentRequests::CounterpartyId,
            ),
            (
                "idx_payment_requests_initiator",
                PaymentRequests::InitiatorUserId,
            ),
            (
                "idx_payment_requests_document",
                PaymentRequests::DocumentCardId,
            ),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(PaymentRequests::Table)
                        .col(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(ApprovalSteps::Table)
                    .col(pk_auto(ApprovalSteps::Id))
                    .col(integer(ApprovalSteps::RequestId))
                    .col(integer(ApprovalSteps::Round))
                    .col(integer(ApprovalSteps::Position))
                    .col(integer(ApprovalSteps::ApproverUserId))
                    .col(integer_null(ApprovalSteps::ActingUserId))
                    .col(string(ApprovalSteps::Reason))
                    .col(string(ApprovalSteps::State))
                    .col(text_null(ApprovalSteps::Comment))
                    .col(timestamp_with_time_zone_null(ApprovalSteps::DecidedAt))
                    .col(integer_null(ApprovalSteps::DecidedBy))
                    .col(timestamp_with_time_zone_null(ApprovalSteps::ActivatedAt))
                    .col(timestamp_with_time_zone_null(ApprovalSteps::RemindAt))
                    .col(timestamp_with_time_zone_null(ApprovalSteps::EscalateAt))
                    .col(text_null(ApprovalSteps::Material))
                    .col(string_null(ApprovalSteps::Fingerprint))
                    .col(text_null(ApprovalSteps::Changes))
                    .foreign_key(
                        ForeignKey::create()
                            .from_col(ApprovalSteps::RequestId)
                            .to(PaymentRequests::Table, PaymentRequests::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(&mut fk(
                        ApprovalSteps::ApproverUserId,
                        Users::Table,
                        Users::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_approval_steps_round_position")
                    .table(ApprovalSteps::Table)
                    .col(ApprovalSteps::RequestId)
                    .col(ApprovalSteps::Round)
                    .col(ApprovalSteps::Position)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_approval_steps_acting_state")
                    .table(ApprovalSteps::Table)
                    .col(ApprovalSteps::ActingUserId)
                    .col(ApprovalSteps::State)
                    .to_owned(),
            )
            .await?;
        let mut insert = Query::insert()
            .into_table(Stages::Table)
            .columns([
                Stages::Pipeline,
                Stages::Code,
                Stages::Position,
                Stages::NameRu,
                Stages::NameEn,
            ])
            .to_owned();
        for (position, (code, ru, en)) in STAGES.iter().enumerate() {
            insert.values_panic([
                PIPELINE.into(),
                (*code).into(),
                (position as i32).into(),
                (*ru).into(),
                (*en).into(),
            ]);
        }
        manager.exec_stmt(insert).await?;
        if manager.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
            let db = manager.get_connection();
            db.execute_unprepared(&format!(
                "GRANT SELECT, INSERT, UPDATE, DELETE ON payment_requests, approval_steps \
                 TO {SUPPLIER_ROLE}; \
                 ALTER TABLE payment_requests ENABLE ROW LEVEL SECURITY; \
                 CREATE POLICY supplier_rows ON payment_requests TO {SUPPLIER_ROLE} \
                 USING (counterparty_id = kabinet_counterparty()) \
                 WITH CHECK (counterparty_id = kabinet_counterparty()); \
                 ALTER TABLE approval_steps ENABLE ROW LEVEL SECURITY; \
                 CREATE POLICY staff_only ON approval_steps TO {SUPPLIER_ROLE} \
                 USING (false) WITH CHECK (false)"
            ))
            .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ApprovalSteps::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(PaymentRequests::Table).to_owned())
            .await?;
        let delete = Query::delete()
            .from_table(Stages::Table)
            .and_where(Expr::col(Stages::Pipeline).eq(PIPELINE))
            .to_owned();
        manager.exec_stmt(delete).await?;
        Ok(())
    }
}
