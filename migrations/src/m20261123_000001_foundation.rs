//! Users, sessions, sign-in throttling, counterparties, pipelines with their stages, supplier
//! document cards with their stage events, and the audit log.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Counterparties {
    Table,
    Id,
    Name,
    Inn,
    Blocked,
    BlockReason,
    PaymentDeferralDays,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    Email,
    FirstName,
    LastName,
    Role,
    CounterpartyId,
    PasswordHash,
    Locale,
    Active,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Sessions {
    Table,
    Id,
    TokenHash,
    UserId,
    CreatedAt,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum LoginFailures {
    Table,
    Id,
    ThrottleKey,
    FailedAt,
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
enum DocumentCards {
    Table,
    Id,
    CounterpartyId,
    StageId,
    Kind,
    InvoiceNumber,
    InvoiceDate,
    AmountKopecks,
    Comment,
    PlannedPaymentDate,
    PaidDate,
    ReturnComment,
    ResponsibleUserId,
    Version,
    CreatedAt,
    StageEnteredAt,
}

#[derive(DeriveIden)]
enum StageEvents {
    Table,
    Id,
    CardId,
    FromStageId,
    ToStageId,
    UserId,
    Comment,
    At,
}

#[derive(DeriveIden)]
enum AuditLog {
    Table,
    Id,
    At,
    UserId,
    Action,
    Details,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Counterparties::Table)
                    .col(pk_auto(Counterparties::Id))
                    .col(string(Counterparties::Name))
                    .col(string(Counterparties::Inn))
                    .col(boolean(Counterparties::Blocked).default(false))
                    .col(text_null(Counterparties::BlockReason))
                    .col(integer(Counterparties::PaymentDeferralDays).default(14))
                    .col(timestamp_with_time_zone(Counterparties::CreatedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Users::Table)
                    .col(pk_auto(Users::Id))
                    .col(string_uniq(Users::Email))
                    .col(string(Users::FirstName))
                    .col(string(Users::LastName))
                    .col(string(Users::Role))
                    .col(integer_null(Users::CounterpartyId))
                    .col(string(Users::PasswordHash))
                    .col(string_null(Users::Locale))
                    .col(boolean(Users::Active).default(true))
                    .col(timestamp_with_time_zone(Users::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Users::Table, Users::CounterpartyId)
                            .to(Counterparties::Table, Counterparties::Id),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Sessions::Table)
                    .col(pk_auto(Sessions::Id))
                    .col(string_uniq(Sessions::TokenHash))
                    .col(integer(Sessions::UserId))
                    .col(timestamp_with_time_zone(Sessions::CreatedAt))
                    .col(timestamp_with_time_zone(Sessions::ExpiresAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Sessions::Table, Sessions::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(LoginFailures::Table)
                    .col(pk_auto(LoginFailures::Id))
                    .col(string(LoginFailures::ThrottleKey))
                    .col(timestamp_with_time_zone(LoginFailures::FailedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_login_failures_key_time")
                    .table(LoginFailures::Table)
                    .col(LoginFailures::ThrottleKey)
                    .col(LoginFailures::FailedAt)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Stages::Table)
                    .col(pk_auto(Stages::Id))
                    .col(string(Stages::Pipeline))
                    .col(string(Stages::Code))
                    .col(integer(Stages::Position))
                    .col(string(Stages::NameRu))
                    .col(string(Stages::NameEn))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_stages_pipeline_code")
                    .table(Stages::Table)
                    .col(Stages::Pipeline)
                    .col(Stages::Code)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(DocumentCards::Table)
                    .col(pk_auto(DocumentCards::Id))
                    .col(integer(DocumentCards::CounterpartyId))
                    .col(integer(DocumentCards::StageId))
                    .col(string(DocumentCards::Kind))
                    .col(string(DocumentCards::InvoiceNumber))
                    .col(date(DocumentCards::InvoiceDate))
                    .col(big_integer(DocumentCards::AmountKopecks))
                    .col(text(DocumentCards::Comment).default(""))
                    .col(date_null(DocumentCards::PlannedPaymentDate))
                    .col(date_null(DocumentCards::PaidDate))
                    .col(text_null(DocumentCards::ReturnComment))
                    .col(integer_null(DocumentCards::ResponsibleUserId))
                    .col(integer(DocumentCards::Version).default(1))
                    .col(timestamp_with_time_zone(DocumentCards::CreatedAt))
                    .col(timestamp_with_time_zone(DocumentCards::StageEnteredAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(DocumentCards::Table, DocumentCards::CounterpartyId)
                            .to(Counterparties::Table, Counterparties::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(DocumentCards::Table, DocumentCards::StageId)
                            .to(Stages::Table, Stages::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(DocumentCards::Table, DocumentCards::ResponsibleUserId)
                            .to(Users::Table, Users::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_document_cards_counterparty")
                    .table(DocumentCards::Table)
                    .col(DocumentCards::CounterpartyId)
                    .col(DocumentCards::StageId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(StageEvents::Table)
                    .col(pk_auto(StageEvents::Id))
                    .col(integer(StageEvents::CardId))
                    .col(integer_null(StageEvents::FromStageId))
                    .col(integer(StageEvents::ToStageId))
                    .col(integer_null(StageEvents::UserId))
                    .col(text_null(StageEvents::Comment))
                    .col(timestamp_with_time_zone(StageEvents::At))
                    .foreign_key(
                        ForeignKey::create()
                            .from(StageEvents::Table, StageEvents::CardId)
                            .to(DocumentCards::Table, DocumentCards::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AuditLog::Table)
                    .col(pk_auto(AuditLog::Id))
                    .col(timestamp_with_time_zone(AuditLog::At))
                    .col(integer_null(AuditLog::UserId))
                    .col(string(AuditLog::Action))
                    .col(text(AuditLog::Details))
                    .to_owned(),
            )
            .await?;

        seed_supplier_document_stages(manager).await
    }
}

/// The supplier-document pipeline of DESIGN.md; stages are rows so an admin can rename them.
async fn seed_supplier_document_stages(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    const STAGES: [(&str, &str, &str); 6] = [
        ("uploaded", "Документы загружены", "Documents uploaded"),
        ("review", "На проверке у менеджера", "Under manager review"),
        (
            "accounting",
            "Передано в бухгалтерию",
            "Passed to accounting",
        ),
        ("payment_plan", "Встало в план оплат", "In payment plan"),
        ("paid", "Оплачено", "Paid"),
        (
            "returned",
            "Возвращено на доработку",
            "Returned for correction",
        ),
    ];
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
            "supplier_documents".into(),
            (*code).into(),
            (position as i32).into(),
            (*ru).into(),
            (*en).into(),
        ]);
    }
    manager.exec_stmt(insert).await
}
