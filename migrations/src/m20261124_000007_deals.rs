//! Deals, contracts, specifications and supplier orders under one deal number; the per-year
//! counter; tasks with their templates and comments; files of these papers; jobs of the
//! background scheduler; and settings (kind codes, reminder days).
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum DealCounters {
    Table,
    Year,
    Last,
}

#[derive(DeriveIden)]
enum Deals {
    Table,
    Id,
    Title,
    Customer,
    AmountKopecks,
    ResponsibleUserId,
    StageId,
    Version,
    NumberYear,
    NumberSeq,
    Number,
    NumberedAt,
    CreatedBy,
    CreatedAt,
    StageEnteredAt,
    SearchText,
}

#[derive(DeriveIden)]
enum DealItemCounters {
    Table,
    DealId,
    Kind,
    Last,
}

#[derive(DeriveIden)]
enum Contracts {
    Table,
    Id,
    CounterpartyId,
    DealId,
    ItemSeq,
    Number,
    SignedOn,
    DeferralDays,
    DeferralBase,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Specifications {
    Table,
    Id,
    ContractId,
    CounterpartyId,
    DealId,
    ItemSeq,
    Number,
    DatedOn,
    TotalKopecks,
    CreatedAt,
}

#[derive(DeriveIden)]
enum SpecificationLines {
    Table,
    Id,
    SpecificationId,
    Position,
    Name,
    Quantity,
    Unit,
    PriceKopecks,
    Vat,
    AmountKopecks,
}

#[derive(DeriveIden)]
enum SupplierOrders {
    Table,
    Id,
    CounterpartyId,
    ContractId,
    DealId,
    ItemSeq,
    Number,
    AmountKopecks,
    Description,
    PlannedDeliveryOn,
    DeliveredOn,
    ClosingDocumentsOn,
    PaymentDeadline,
    PaidOn,
    StageId,
    Version,
    ResponsibleUserId,
    CreatedAt,
    StageEnteredAt,
}

#[derive(DeriveIden)]
enum PipelineEvents {
    Table,
    Id,
    Pipeline,
    CardId,
    FromStageId,
    ToStageId,
    UserId,
    Comment,
    At,
}

#[derive(DeriveIden)]
enum ItemFiles {
    Table,
    Id,
    OwnerKind,
    OwnerId,
    CounterpartyId,
    Sha256,
    OriginalName,
    Mime,
    SizeBytes,
    UploadedBy,
    UploadedAt,
}

#[derive(DeriveIden)]
enum Tasks {
    Table,
    Id,
    Title,
    TitleEn,
    Description,
    AssigneeUserId,
    AssigneeRole,
    AssigneeCounterpartyId,
    Deadline,
    Status,
    DealId,
    OrderId,
    ContractId,
    DocumentId,
    DedupeKey,
    CreatedBy,
    CreatedAt,
    DoneAt,
}

#[derive(DeriveIden)]
enum TaskComments {
    Table,
    Id,
    TaskId,
    UserId,
    Body,
    At,
}

#[derive(DeriveIden)]
enum TaskTemplates {
    Table,
    Id,
    Position,
    DepartmentRu,
    DepartmentEn,
    TitleRu,
    TitleEn,
    Role,
    UserId,
    DeadlineDays,
    Active,
}

#[derive(DeriveIden)]
enum ScheduledJobs {
    Table,
    Id,
    Kind,
    Key,
    RunAt,
    LockedUntil,
    Attempts,
    DoneAt,
    LastError,
}

#[derive(DeriveIden)]
enum AppSettings {
    Table,
    Key,
    Value,
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
enum Counterparties {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

const DEAL_STAGES: [(&str, &str, &str); 6] = [
    ("new", "Новая", "New"),
    ("proposal", "КП и тендер", "Proposal"),
    ("agreed", "Согласована", "Agreed"),
    ("implementation", "Реализация", "Implementation"),
    ("done", "Завершена", "Done"),
    ("lost", "Проиграна", "Lost"),
];

const ORDER_STAGES: [(&str, &str, &str); 6] = [
    ("draft", "Черновик", "Draft"),
    ("placed", "Заказ размещён", "Placed"),
    ("confirmed", "Подтверждён поставщиком", "Confirmed"),
    ("delivered", "Поставлено", "Delivered"),
    ("closing_docs", "Закрывающие документы", "Closing documents"),
    ("paid", "Оплачено", "Paid"),
];

/// The back-office templates of the deals issue (kept equal to
/// `domain::tasks::default_templates` by a test): department, titles, role, deadline days.
pub const DEFAULT_TASK_TEMPLATES: [(&str, &str, &str, &str, &str, i32); 3] = [
    (
        "Финансы",
        "Finance",
        "Подготовить бюджет по сделке №{number}",
        "Prepare the budget for deal №{number}",
        "accountant",
        3,
    ),
    (
        "ВЭД",
        "Foreign trade",
        "Подобрать коды ТН ВЭД по сделке №{number}",
        "Select customs codes for deal №{number}",
        "manager",
        5,
    ),
    (
        "Юристы и закупки",
        "Legal and procurement",
        "Подготовить договор со спецификацией по сделке №{number}",
        "Prepare the contract with specification for deal №{number}",
        "manager",
        5,
    ),
];

const DEFAULT_SETTINGS: [(&str, &str); 4] = [
    ("kind_code.order", "PO"),
    ("kind_code.contract", "CT"),
    ("kind_code.specification", "SP"),
    ("payment_reminder_days", "3"),
];

fn fk(
    from: (impl IntoIden, impl IntoIden),
    to: (impl IntoIden, impl IntoIden),
    cascade: bool,
) -> ForeignKeyCreateStatement {
    let mut key = ForeignKey::create()
        .from(from.0, from.1)
        .to(to.0, to.1)
        .to_owned();
    if cascade {
        key.on_delete(ForeignKeyAction::Cascade);
    }
    key
}

async fn index(
    manager: &SchemaManager<'_>,
    name: &str,
    table: impl IntoIden,
    cols: &[&'static str],
    unique: bool,
) -> Result<(), DbErr> {
    let mut stmt = Index::create().name(name).table(table).to_owned();
    for col in cols {
        stmt.col(Alias::new(*col));
    }
    if unique {
        stmt.unique();
    }
    manager.create_index(stmt).await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(DealCounters::Table)
                    .col(integer(DealCounters::Year).primary_key())
                    .col(integer(DealCounters::Last).default(0))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Deals::Table)
                    .col(pk_auto(Deals::Id))
                    .col(string(Deals::Title))
                    .col(string(Deals::Customer))
                    .col(big_integer(Deals::AmountKopecks))
                    .col(integer_null(Deals::ResponsibleUserId))
                    .col(integer(Deals::StageId))
                    .col(integer(Deals::Version).default(1))
                    .col(integer_null(Deals::NumberYear))
                    .col(integer_null(Deals::NumberSeq))
                    .col(string_null(Deals::Number))
                    .col(timestamp_with_time_zone_null(Deals::NumberedAt))
                    .col(integer_null(Deals::CreatedBy))
                    .col(timestamp_with_time_zone(Deals::CreatedAt))
                    .col(timestamp_with_time_zone(Deals::StageEnteredAt))
                    .col(string(Deals::SearchText))
                    .foreign_key(&mut fk(
                        (Deals::Table, Deals::ResponsibleUserId),
                        (Users::Table, Users::Id),
                        false,
                    ))
                    .foreign_key(&mut fk(
                        (Deals::Table, Deals::StageId),
                        (Stages::Table, Stages::Id),
                        false,
                    ))
                    .to_owned(),
            )
            .await?;
        // The last guard against a duplicate number, whatever the counter did.
        index(
            manager,
            "uq_deals_number",
            Deals::Table,
            &["number_year", "number_seq"],
            true,
        )
        .await?;
        index(
            manager,
            "idx_deals_stage",
            Deals::Table,
            &["stage_id"],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(DealItemCounters::Table)
                    .col(integer(DealItemCounters::DealId))
                    .col(string(DealItemCounters::Kind))
                    .col(integer(DealItemCounters::Last).default(0))
                    .primary_key(
                        Index::create()
                            .col(DealItemCounters::DealId)
                            .col(DealItemCounters::Kind),
                    )
                    .foreign_key(&mut fk(
                        (DealItemCounters::Table, DealItemCounters::DealId),
                        (Deals::Table, Deals::Id),
                        true,
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Contracts::Table)
                    .col(pk_auto(Contracts::Id))
                    .col(integer(Contracts::CounterpartyId))
                    .col(integer_null(Contracts::DealId))
                    .col(integer_null(Contracts::ItemSeq))
                    .col(string_null(Contracts::Number))
                    .col(date(Contracts::SignedOn))
                    .col(integer(Contracts::DeferralDays))
                    .col(string(Contracts::DeferralBase))
                    .col(timestamp_with_time_zone(Contracts::CreatedAt))
                    .foreign_key(&mut fk(
                        (Contracts::Table, Contracts::CounterpartyId),
                        (Counterparties::Table, Counterparties::Id),
                        false,
                    ))
                    .foreign_key(&mut fk(
                        (Contracts::Table, Contracts::DealId),
                        (Deals::Table, Deals::Id),
                        false,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "uq_contracts_deal_seq",
            Contracts::Table,
            &["deal_id", "item_seq"],
            true,
        )
        .await?;
        index(
            manager,
            "idx_contracts_counterparty",
            Contracts::Table,
            &["counterparty_id"],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(Specifications::Table)
                    .col(pk_auto(Specifications::Id))
                    .col(integer(Specifications::ContractId))
                    .col(integer(Specifications::CounterpartyId))
                    .col(integer_null(Specifications::DealId))
                    .col(integer_null(Specifications::ItemSeq))
                    .col(string_null(Specifications::Number))
                    .col(date(Specifications::DatedOn))
                    .col(big_integer(Specifications::TotalKopecks))
                    .col(timestamp_with_time_zone(Specifications::CreatedAt))
                    .foreign_key(&mut fk(
                        (Specifications::Table, Specifications::ContractId),
                        (Contracts::Table, Contracts::Id),
                        false,
                    ))
                    .foreign_key(&mut fk(
                        (Specifications::Table, Specifications::DealId),
                        (Deals::Table, Deals::Id),
                        false,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "uq_specifications_deal_seq",
            Specifications::Table,
            &["deal_id", "item_seq"],
            true,
        )
        .await?;
        index(
            manager,
            "idx_specifications_counterparty",
            Specifications::Table,
            &["counterparty_id"],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(SpecificationLines::Table)
                    .col(pk_auto(SpecificationLines::Id))
                    .col(integer(SpecificationLines::SpecificationId))
                    .col(integer(SpecificationLines::Position))
                    .col(string(SpecificationLines::Name))
                    .col(string(SpecificationLines::Quantity))
                    .col(string(SpecificationLines::Unit))
                    .col(big_integer(SpecificationLines::PriceKopecks))
                    .col(string(SpecificationLines::Vat))
                    .col(big_integer(SpecificationLines::AmountKopecks))
                    .foreign_key(&mut fk(
                        (
                            SpecificationLines::Table,
                            SpecificationLines::SpecificationId,
                        ),
                        (Specifications::Table, Specifications::Id),
                        true,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_specification_lines_spec",
            SpecificationLines::Table,
            &["specification_id"],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(SupplierOrders::Table)
                    .col(pk_auto(SupplierOrders::Id))
                    .col(integer(SupplierOrders::CounterpartyId))
                    .col(integer(SupplierOrders::ContractId))
                    .col(integer_null(SupplierOrders::DealId))
                    .col(integer_null(SupplierOrders::ItemSeq))
                    .col(string_null(SupplierOrders::Number))
                    .col(big_integer(SupplierOrders::AmountKopecks))
                    .col(text(SupplierOrders::Description))
                    .col(date_null(SupplierOrders::PlannedDeliveryOn))
                    .col(date_null(SupplierOrders::DeliveredOn))
                    .col(date_null(SupplierOrders::ClosingDocumentsOn))
                    .col(date_null(SupplierOrders::PaymentDeadline))
                    .col(date_null(SupplierOrders::PaidOn))
                    .col(integer(SupplierOrders::StageId))
                    .col(integer(SupplierOrders::Version).default(1))
                    .col(integer_null(SupplierOrders::ResponsibleUserId))
                    .col(timestamp_with_time_zone(SupplierOrders::CreatedAt))
                    .col(timestamp_with_time_zone(SupplierOrders::StageEnteredAt))
                    .foreign_key(&mut fk(
                        (SupplierOrders::Table, SupplierOrders::CounterpartyId),
                        (Counterparties::Table, Counterparties::Id),
                        false,
                    ))
                    .foreign_key(&mut fk(
                        (SupplierOrders::Table, SupplierOrders::ContractId),
                        (Contracts::Table, Contracts::Id),
                        false,
                    ))
                    .foreign_key(&mut fk(
                        (SupplierOrders::Table, SupplierOrders::DealId),
                        (Deals::Table, Deals::Id),
                        false,
                    ))
                    .foreign_key(&mut fk(
                        (SupplierOrders::Table, SupplierOrders::StageId),
                        (Stages::Table, Stages::Id),
                        false,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "uq_supplier_orders_deal_seq",
            SupplierOrders::Table,
            &["deal_id", "item_seq"],
            true,
        )
        .await?;
        index(
            manager,
            "idx_supplier_orders_counterparty",
            SupplierOrders::Table,
            &["counterparty_id"],
            false,
        )
        .await?;
        index(
            manager,
            "idx_supplier_orders_stage",
            SupplierOrders::Table,
            &["stage_id"],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(PipelineEvents::Table)
                    .col(pk_auto(PipelineEvents::Id))
                    .col(string(PipelineEvents::Pipeline))
                    .col(integer(PipelineEvents::CardId))
                    .col(integer_null(PipelineEvents::FromStageId))
                    .col(integer(PipelineEvents::ToStageId))
                    .col(integer_null(PipelineEvents::UserId))
                    .col(text_null(PipelineEvents::Comment))
                    .col(timestamp_with_time_zone(PipelineEvents::At))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_pipeline_events_card",
            PipelineEvents::Table,
            &["pipeline", "card_id"],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(ItemFiles::Table)
                    .col(pk_auto(ItemFiles::Id))
                    .col(string(ItemFiles::OwnerKind))
                    .col(integer(ItemFiles::OwnerId))
                    .col(integer_null(ItemFiles::CounterpartyId))
                    .col(string_len(ItemFiles::Sha256, 64))
                    .col(string(ItemFiles::OriginalName))
                    .col(string(ItemFiles::Mime))
                    .col(big_integer(ItemFiles::SizeBytes))
                    .col(integer(ItemFiles::UploadedBy))
                    .col(timestamp_with_time_zone(ItemFiles::UploadedAt))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_item_files_owner",
            ItemFiles::Table,
            &["owner_kind", "owner_id"],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(Tasks::Table)
                    .col(pk_auto(Tasks::Id))
                    .col(string(Tasks::Title))
                    .col(string_null(Tasks::TitleEn))
                    .col(text(Tasks::Description))
                    .col(integer_null(Tasks::AssigneeUserId))
                    .col(string_null(Tasks::AssigneeRole))
                    .col(integer_null(Tasks::AssigneeCounterpartyId))
                    .col(date_null(Tasks::Deadline))
                    .col(string(Tasks::Status))
                    .col(integer_null(Tasks::DealId))
                    .col(integer_null(Tasks::OrderId))
                    .col(integer_null(Tasks::ContractId))
                    .col(integer_null(Tasks::DocumentId))
                    .col(string_null(Tasks::DedupeKey))
                    .col(integer_null(Tasks::CreatedBy))
                    .col(timestamp_with_time_zone(Tasks::CreatedAt))
                    .col(timestamp_with_time_zone_null(Tasks::DoneAt))
                    .to_owned(),
            )
            .await?;
        // One task per automatic reason (a deal's template, an order's reminder), whoever runs.
        index(
            manager,
            "uq_tasks_dedupe_key",
            Tasks::Table,
            &["dedupe_key"],
            true,
        )
        .await?;
        index(
            manager,
            "idx_tasks_counterparty",
            Tasks::Table,
            &["assignee_counterparty_id"],
            false,
        )
        .await?;
        index(manager, "idx_tasks_deal", Tasks::Table, &["deal_id"], false).await?;
        index(
            manager,
            "idx_tasks_order",
            Tasks::Table,
            &["order_id"],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(TaskComments::Table)
                    .col(pk_auto(TaskComments::Id))
                    .col(integer(TaskComments::TaskId))
                    .col(integer(TaskComments::UserId))
                    .col(text(TaskComments::Body))
                    .col(timestamp_with_time_zone(TaskComments::At))
                    .foreign_key(&mut fk(
                        (TaskComments::Table, TaskComments::TaskId),
                        (Tasks::Table, Tasks::Id),
                        true,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_task_comments_task",
            TaskComments::Table,
            &["task_id"],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(TaskTemplates::Table)
                    .col(pk_auto(TaskTemplates::Id))
                    .col(integer(TaskTemplates::Position))
                    .col(string(TaskTemplates::DepartmentRu))
                    .col(string(TaskTemplates::DepartmentEn))
                    .col(string(TaskTemplates::TitleRu))
                    .col(string(TaskTemplates::TitleEn))
                    .col(string(TaskTemplates::Role))
                    .col(integer_null(TaskTemplates::UserId))
                    .col(integer(TaskTemplates::DeadlineDays))
                    .col(boolean(TaskTemplates::Active).default(true))
                    .to_owned(),
            )
            .await?;
        let mut insert = Query::insert()
            .into_table(TaskTemplates::Table)
            .columns([
                TaskTemplates::Position,
                TaskTemplates::DepartmentRu,
                TaskTemplates::DepartmentEn,
                TaskTemplates::TitleRu,
                TaskTemplates::TitleEn,
                TaskTemplates::Role,
                TaskTemplates::DeadlineDays,
            ])
            .to_owned();
        for (position, (dep_ru, dep_en, ru, en, role, days)) in
            DEFAULT_TASK_TEMPLATES.iter().enumerate()
        {
            insert.values_panic([
                (position as i32).into(),
                (*dep_ru).into(),
                (*dep_en).into(),
                (*ru).into(),
                (*en).into(),
                (*role).into(),
                (*days).into(),
            ]);
        }
        manager.exec_stmt(insert).await?;

        manager
            .create_table(
                Table::create()
                    .table(ScheduledJobs::Table)
                    .col(pk_auto(ScheduledJobs::Id))
                    .col(string(ScheduledJobs::Kind))
                    .col(string(ScheduledJobs::Key))
                    .col(timestamp_with_time_zone(ScheduledJobs::RunAt))
                    .col(timestamp_with_time_zone_null(ScheduledJobs::LockedUntil))
                    .col(integer(ScheduledJobs::Attempts).default(0))
                    .col(timestamp_with_time_zone_null(ScheduledJobs::DoneAt))
                    .col(text_null(ScheduledJobs::LastError))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "uq_scheduled_jobs_key",
            ScheduledJobs::Table,
            &["key"],
            true,
        )
        .await?;
        index(
            manager,
            "idx_scheduled_jobs_due",
            ScheduledJobs::Table,
            &["done_at", "run_at"],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(AppSettings::Table)
                    .col(string(AppSettings::Key).primary_key())
                    .col(string(AppSettings::Value))
                    .to_owned(),
            )
            .await?;
        let mut insert = Query::insert()
            .into_table(AppSettings::Table)
            .columns([AppSettings::Key, AppSettings::Value])
            .to_owned();
        for (key, value) in DEFAULT_SETTINGS {
            insert.values_panic([key.into(), value.into()]);
        }
        manager.exec_stmt(insert).await?;

        for (pipeline, stages) in [("deals", DEAL_STAGES), ("supplier_orders", ORDER_STAGES)] {
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
            for (position, (code, ru, en)) in stages.iter().enumerate() {
                insert.values_panic([
                    pipeline.into(),
                    (*code).into(),
                    (position as i32).into(),
                    (*ru).into(),
                    (*en).into(),
                ]);
            }
            manager.exec_stmt(insert).await?;
        }
        Ok(())
    }
}
