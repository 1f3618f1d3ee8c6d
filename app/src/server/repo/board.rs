//! The staff board: per-stage counts and sums under a filter, a page of cards per column, and
//! one card for live updates.
use std::collections::HashMap;

use crate::domain::clock::Now;
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

use super::stages::{id_among, pipeline_stages, stage_name};
use super::users::full_name;
use super::{contains_text, counterparty_scope};
use crate::domain::access::Ctx;
use crate::domain::board::{BoardFilter, COLUMN_PAGE, initials, is_overdue};
use crate::domain::money::Money;
use crate::domain::stage::DocumentStage;
use crate::error::AppResult;
use crate::model::board::{Board, BoardCard, BoardColumn, Choice};
use crate::server::entities::{card_changes, counterparties, document_cards as cards, stages};

/// The cards `ctx` may see that match `filter`.
fn matching(ctx: &Ctx, filter: &BoardFilter) -> Condition {
    let mut condition =
        Condition::all().add(counterparty_scope(ctx, cards::Column::CounterpartyId));
    if let Some(id) = filter.counterparty_id {
        condition = condition.add(cards::Column::CounterpartyId.eq(id));
    }
    if filter.mine {
        condition = condition.add(cards::Column::ResponsibleUserId.eq(ctx.user_id));
    } else if let Some(id) = filter.responsible_id {
        condition = condition.add(cards::Column::ResponsibleUserId.eq(id));
    }
    if let Some(from) = filter.from {
        condition = condition.add(cards::Column::InvoiceDate.gte(from));
    }
    if let Some(to) = filter.to {
        condition = condition.add(cards::Column::InvoiceDate.lte(to));
    }
    if let Some(min) = filter.min_amount {
        condition = condition.add(cards::Column::AmountKopecks.gte(min.kopecks()));
    }
    if let Some(max) = filter.max_amount {
        condition = condition.add(cards::Column::AmountKopecks.lte(max.kopecks()));
    }
    if let Some(text) = &filter.text {
        condition = condition.add(
            Condition::any()
                .add(cards::Column::SearchText.like(contains_text(text)))
                .add(
                    cards::Column::CounterpartyId.in_subquery(
                        Query::select()
                            .column(counterparties::Column::Id)
                            .from(counterparties::Entity)
                            .and_where(counterparties::Column::SearchText.like(contains_text(text)))
                            .to_owned(),
                    ),
                ),
        );
    }
    condition
}

/// Board cards for rows: counterparty and responsible names filled in.
async fn board_cards(
    db: &impl ConnectionTrait,
    all: &[stages::Model],
    found: Vec<cards::Model>,
    now: Now,
) -> Result<Vec<BoardCard>, DbErr> {
    let names =
        super::counterparties::names(db, found.iter().map(|c| c.counterparty_id).collect()).await?;
    let people = super::users::by_ids(
        db,
        found.iter().filter_map(|c| c.responsible_user_id).collect(),
    )
    .await?;
    let codes: HashMap<i32, &str> = all.iter().map(|s| (s.id, s.code.as_str())).collect();
    let today = now.today();
    Ok(found
        .into_iter()
        .filter_map(|card| {
            let code = *codes.get(&card.stage_id)?;
            let stage = DocumentStage::from_code(code)?;
            let person = card.responsible_user_id.and_then(|id| people.get(&id));
            Some(BoardCard {
                id: card.id,
                version: card.version,
                stage: code.to_owned(),
                number: card.invoice_number,
                title: None,
                counterparty_name: names.get(&card.counterparty_id)?.clone(),
                amount: Money::from_kopecks(card.amount_kopecks),
                stage_entered_at: card.stage_entered_at,
                responsible_initials: person.map(|u| initials(&u.first_name, &u.last_name)),
                responsible_name: person.map(full_name),
                planned_payment_date: card.planned_payment_date,
                returned: card.return_comment.is_some(),
                overdue: is_overdue(stage, card.planned_payment_date, today),
                possible_duplicate: card.possible_duplicate,
            })
        })
        .collect())
}

async fn column_cards(
    ctx: &Ctx,
    db: &impl ConnectionTrait,
    all: &[stages::Model],
    filter: &BoardFilter,
    stage_id: i32,
    offset: u64,
    now: Now,
) -> Result<Vec<BoardCard>, DbErr> {
    let found = cards::Entity::find()
        .filter(matching(ctx, filter))
        .filter(cards::Column::StageId.eq(stage_id))
        .order_by_desc(cards::Column::StageEnteredAt)
        .order_by_desc(cards::Column::Id)
        .offset(offset)
        .limit(COLUMN_PAGE)
        .all(db)
        .await?;
    board_cards(db, all, found, now).await
}

/// The newest change: a board rendered now is current up to it.
pub async fn last_change(db: &impl ConnectionTrait) -> Result<i64, DbErr> {
    let max: Option<Option<i64>> = card_changes::Entity::find()
        .select_only()
        .column_as(Expr::cust("MAX(id)"), "max")
        .into_tuple()
        .one(db)
        .await?;
    Ok(max.flatten().unwrap_or(0))
}

async fn choices(db: &impl ConnectionTrait) -> Result<(Vec<Choice>, Vec<Choice>), DbErr> {
    let counterparties = super::counterparties::choices(db).await?;
    let staff = super::users::active_staff(db).await?;
    Ok((counterparties, staff))
}

pub async fn board(
    ctx: &Ctx,
    db: &impl ConnectionTrait,
    filter: &BoardFilter,
    now: Now,
) -> AppResult<Board> {
    ctx.require_staff()?;
    // Read before the cards: a change that lands meanwhile is replayed, never missed.
    let last_change = last_change(db).await?;
    let all = pipeline_stages(db).await?;
    let totals = super::documents::stage_totals(db, matching(ctx, filter)).await?;
    let mut columns = Vec::with_capacity(all.len());
    for stage in &all {
        let (count, total) = totals.get(&stage.id).copied().unwrap_or_default();
        let cards = if count > 0 {
            column_cards(ctx, db, &all, filter, stage.id, 0, now).await?
        } else {
            Vec::new()
        };
        columns.push(BoardColumn {
            stage: stage_name(stage),
            count: count.max(0) as u64,
            total: Money::from_kopecks(total),
            cards,
        });
    }
    let (counterparties, staff) = choices(db).await?;
    Ok(Board {
        pipeline: crate::domain::board::Pipeline::Documents,
        columns,
        counterparties,
        staff,
        last_change,
    })
}

pub async fn column_page(
    ctx: &Ctx,
    db: &impl ConnectionTrait,
    filter: &BoardFilter,
    stage: DocumentStage,
    offset: u64,
    now: Now,
) -> AppResult<Vec<BoardCard>> {
    ctx.require_staff()?;
    let all = pipeline_stages(db).await?;
    let stage_id = id_among(&all, stage)?;
    Ok(column_cards(ctx, db, &all, filter, stage_id, offset, now).await?)
}

pub async fn card(
    ctx: &Ctx,
    db: &impl ConnectionTrait,
    filter: &BoardFilter,
    id: i32,
    now: Now,
) -> AppResult<Option<BoardCard>> {
    ctx.require_staff()?;
    let all = pipeline_stages(db).await?;
    let found = cards::Entity::find_by_id(id)
        .filter(matching(ctx, filter))
        .all(db)
        .await?;
    Ok(board_cards(db, &all, found, now).await?.pop())
}
