//! Stage moves of supplier document cards: the card as it is now, and the move itself guarded
//! by the version the mover saw, with its stage event and audit line in one transaction.
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, TransactionTrait};

use super::stages::{record_event, stage_id};
use super::{audit, counterparty_scope};
use crate::api::moves::MovedCard;
use crate::domain::access::Ctx;
use crate::domain::moves::StageEntry;
use crate::domain::stage::DocumentStage;
use crate::error::{AppError, AppResult};
use crate::server::entities::{document_cards as cards, stages};

/// A card as a move sees it.
pub struct CurrentCard {
    pub id: i32,
    pub stage: DocumentStage,
    pub stage_id: i32,
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
    let target = stage_id(&txn, to).await?;
    let mut update = cards::Entity::update_many()
        .col_expr(cards::Column::StageId, Expr::value(target))
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
    record_event(
        &txn,
        card.id,
        Some(card.stage_id),
        target,
        ctx.user_id,
        entry.return_comment.clone(),
        now,
    )
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
