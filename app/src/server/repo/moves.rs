//! Stage moves of supplier document cards: the card as it is now, and the move itself guarded
//! by the version the mover saw, with its stage event and audit line in one transaction.
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set,
    TransactionTrait,
};

use super::{audit, counterparty_scope};
use crate::api::moves::MovedCard;
use crate::domain::access::Ctx;
use crate::domain::moves::StageEntry;
use crate::domain::stage::DocumentStage;
use crate::error::{AppError, AppResult};
use crate::server::entities::{document_cards as cards, stage_events, stages};

/// A card as a move sees it.
pub struct CurrentCard {
    pub id: i32,
    pub stage: DocumentStage,
    pub stage_id: i32,
}

async fn stage_row(
    db: &impl sea_orm::ConnectionTrait,
    stage: DocumentStage,
) -> AppResult<stages::Model> {
    stages::Entity::find()
        .filter(stages::Column::Pipeline.eq(stages::SUPPLIER_DOCUMENTS))
        .filter(stages::Column::Code.eq(stage.code()))
        .one(db)
        .await?
        .ok_or(AppError::Internal)
}

pub async fn current(ctx: &Ctx, db: &DatabaseConnection, card_id: i32) -> AppResult<CurrentCard> {
    let card = cards::Entity::find_by_id(card_id)
        .filter(counterparty_scope(ctx, cards::Column::CounterpartyId))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let stage = stages::Entity::find_by_id(card.stage_id)
        .one(db)
        .await?
        .and_then(|s| DocumentStage::from_code(&s.code))
        .ok_or(AppError::Internal)?;
    Ok(CurrentCard {
        id: card.id,
        stage,
        stage_id: card.stage_id,
    })
}

pub async fn apply(
    ctx: &Ctx,
    db: &DatabaseConnection,
    card: &CurrentCard,
    to: DocumentStage,
    seen_version: i32,
    entry: &StageEntry,
    now: DateTime<Utc>,
) -> AppResult<MovedCard> {
    ctx.require_staff()?;
    let txn = db.begin().await?;
    let target = stage_row(&txn, to).await?;
    let mut update = cards::Entity::update_many()
        .col_expr(cards::Column::StageId, Expr::value(target.id))
        .col_expr(cards::Column::StageEnteredAt, Expr::value(now))
        .col_expr(cards::Column::Version, Expr::value(seen_version + 1));
    if let Some(date) = entry.planned_payment_date {
        update = update.col_expr(cards::Column::PlannedPaymentDate, Expr::value(date));
    }
    if let Some(date) = entry.paid_date {
        update = update.col_expr(cards::Column::PaidDate, Expr::value(date));
    }
    if let Some(comment) = &entry.return_comment {
        update = update.col_expr(cards::Column::ReturnComment, Expr::value(comment.clone()));
    }
    if entry.mover_becomes_responsible {
        update = update.col_expr(cards::Column::ResponsibleUserId, Expr::value(ctx.user_id));
    }
    let moved = update
        .filter(cards::Column::Id.eq(card.id))
        .filter(cards::Column::StageId.eq(card.stage_id))
        .filter(cards::Column::Version.eq(seen_version))
        .exec(&txn)
        .await?;
    if moved.rows_affected != 1 {
        return Err(AppError::Conflict);
    }
    stage_events::ActiveModel {
        card_id: Set(card.id),
        from_stage_id: Set(Some(card.stage_id)),
        to_stage_id: Set(target.id),
        user_id: Set(Some(ctx.user_id)),
        comment: Set(entry.return_comment.clone()),
        at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        Some(ctx.user_id),
        "document_moved",
        &format!("card {} {} -> {}", card.id, card.stage.code(), to.code()),
    )
    .await?;
    txn.commit().await?;
    Ok(MovedCard {
        card_id: card.id,
        stage: to.code().to_owned(),
        version: seen_version + 1,
    })
}
