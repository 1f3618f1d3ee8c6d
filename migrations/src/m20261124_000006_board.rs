//! The staff board: stage rules (what entering a stage does), in-app notifications, the message
//! thread of a card, the change feed live pages follow, and indexes for the board's columns.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Stages {
    Table,
    Id,
    Pipeline,
    Code,
}

#[derive(DeriveIden)]
enum StageRules {
    Table,
    StageId,
    NotifyRole,
    NotifyResponsible,
    Responsible,
    SupplierMessageRu,
    SupplierMessageEn,
}

#[derive(DeriveIden)]
enum Notifications {
    Table,
    Id,
    UserId,
    CardId,
    Text,
    CreatedAt,
    ReadAt,
}

#[derive(DeriveIden)]
enum CardMessages {
    Table,
    Id,
    CardId,
    AuthorUserId,
    FromSupplier,
    Body,
    BodyEn,
    CreatedAt,
}

#[derive(DeriveIden)]
enum CardChanges {
    Table,
    Id,
    CardId,
    CounterpartyId,
    Kind,
    UserId,
    Detail,
    At,
}

#[derive(DeriveIden)]
enum DocumentCards {
    Table,
    Id,
    StageId,
    StageEnteredAt,
    ResponsibleUserId,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

/// (stage code, notify role, notify responsible, responsible, message ru, message en).
type DefaultRule = (
    &'static str,
    Option<&'static str>,
    bool,
    &'static str,
    Option<&'static str>,
    Option<&'static str>,
);

/// The defaults of `app::domain::stage_rules::default_rule`, which a test keeps equal.
const DEFAULT_RULES: [DefaultRule; 6] = [
    ("uploaded", None, false, "keep", None, None),
    (
        "review",
        None,
        false,
        "role:manager",
        Some("Ваши документы на проверке у менеджера."),
        Some("Your documents are under manager review."),
    ),
    (
        "accounting",
        Some("accountant"),
        false,
        "role:accountant",
        Some("Ваши документы переданы в бухгалтерию."),
        Some("Your documents were passed to accounting."),
    ),
    (
        "payment_plan",
        None,
        false,
        "keep",
        Some("Ваши документы включены в план оплат."),
        Some("Your documents are in the payment plan."),
    ),
    (
        "paid",
        None,
        true,
        "keep",
        Some("Ваши документы оплачены."),
        Some("Your documents were paid."),
    ),
    (
        "returned",
        None,
        true,
        "keep",
        Some("Документы возвращены на доработку: {comment}"),
        Some("Your documents were returned for correction: {comment}"),
    ),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(StageRules::Table)
                    .col(integer(StageRules::StageId).primary_key())
                    .col(string_null(StageRules::NotifyRole))
                    .col(boolean(StageRules::NotifyResponsible).default(false))
                    .col(string(StageRules::Responsible).default("keep"))
                    .col(text_null(StageRules::SupplierMessageRu))
                    .col(text_null(StageRules::SupplierMessageEn))
                    .foreign_key(
                        ForeignKey::create()
                            .from(StageRules::Table, StageRules::StageId)
                            .to(Stages::Table, Stages::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        for (code, role, notify_responsible, responsible, ru, en) in DEFAULT_RULES {
            let insert = Query::insert()
                .into_table(StageRules::Table)
                .columns([
                    StageRules::StageId,
                    StageRules::NotifyRole,
                    StageRules::NotifyResponsible,
                    StageRules::Responsible,
                    StageRules::SupplierMessageRu,
                    StageRules::SupplierMessageEn,
                ])
                .select_from(
                    Query::select()
                        .expr(Expr::col(Stages::Id))
                        .expr(Expr::val(role))
                        .expr(Expr::val(notify_responsible))
                        .expr(Expr::val(responsible))
                        .expr(Expr::val(ru))
                        .expr(Expr::val(en))
                        .from(Stages::Table)
                        .and_where(Expr::col(Stages::Pipeline).eq("supplier_documents"))
                        .and_where(Expr::col(Stages::Code).eq(code))
                        .to_owned(),
                )
                .map_err(|err| DbErr::Custom(err.to_string()))?
                .to_owned();
            manager.exec_stmt(insert).await?;
        }

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
                    .foreign_key(
                        ForeignKey::create()
                            .from(Notifications::Table, Notifications::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Notifications::Table, Notifications::CardId)
                            .to(DocumentCards::Table, DocumentCards::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
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

        manager
            .create_table(
                Table::create()
                    .table(CardMessages::Table)
                    .col(pk_auto(CardMessages::Id))
                    .col(integer(CardMessages::CardId))
                    .col(integer_null(CardMessages::AuthorUserId))
                    .col(boolean(CardMessages::FromSupplier).default(false))
                    .col(text(CardMessages::Body))
                    .col(text_null(CardMessages::BodyEn))
                    .col(timestamp_with_time_zone(CardMessages::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(CardMessages::Table, CardMessages::CardId)
                            .to(DocumentCards::Table, DocumentCards::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_card_messages_card")
                    .table(CardMessages::Table)
                    .col(CardMessages::CardId)
                    .to_owned(),
            )
            .await?;

        // What live pages follow: one row per change of a card, written with the change.
        manager
            .create_table(
                Table::create()
                    .table(CardChanges::Table)
                    .col(big_pk_auto(CardChanges::Id))
                    .col(integer(CardChanges::CardId))
                    .col(integer(CardChanges::CounterpartyId))
                    .col(string(CardChanges::Kind))
                    .col(integer_null(CardChanges::UserId))
                    .col(text_null(CardChanges::Detail))
                    .col(timestamp_with_time_zone(CardChanges::At))
                    .to_owned(),
            )
            .await?;
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
                    .name("idx_document_cards_stage_entered")
                    .table(DocumentCards::Table)
                    .col(DocumentCards::StageId)
                    .col(DocumentCards::StageEnteredAt)
                    .col(DocumentCards::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_document_cards_responsible")
                    .table(DocumentCards::Table)
                    .col(DocumentCards::ResponsibleUserId)
                    .to_owned(),
            )
            .await
    }
}
