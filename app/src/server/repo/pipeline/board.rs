//! Any pipeline's board: per-stage counts and sums under a filter, a page of cards per column,
//! and one card for live updates. Staff only.
use std::collections::HashMap;

use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};

use super::{Common, PipelineDef};
use crate::domain::access::Ctx;
use crate::domain::board::{BoardFilter, COLUMN_PAGE, initials};
use crate::domain::clock::Now;
use crate::domain::money::Money;
use crate::domain::pipeline::StageSet;
use crate::error::{AppError, AppResult};
use crate::model::board::{Board, BoardCard, BoardColumn};
use crate::server::entities::stages;
use crate::server::repo::stages::{rows_of, stage_name};
use crate::server::repo::users::full_name;

/// The cards `ctx` may see that match `filter`.
pub fn matching<P: PipelineDef>(ctx: &Ctx, filter: &BoardFilter, now: Now) -> Condition {
    let mut condition = Condition::all()
        .add(P::scope(ctx))
        .add(P::filtered(filter, now.zone));
    let responsible = P::column(Common::ResponsibleUserId);
    if filter.mine {
        condition = condition.add(responsible.eq(ctx.user_id));
    } else if let Some(id) = filter.responsible_id {
        condition = condition.add(responsible.eq(id));
    }
    let amount = P::column(Common::AmountKopecks);
    if let Some(min) = filter.min_amount {
        condition = condition.add(amount.gte(min.kopecks()));
    }
    if let Some(max) = filter.max_amount {
        condition = condition.add(amount.lte(max.kopecks()));
    }
    condition
}

/// Count and sum of amounts per stage row of the rows matching `condition`.
///
/// A plain `SUM` of kopecks overflows an `i64` (SQLite fails the query, PostgreSQL's cast does)
/// once a stage holds amounts near the limit of the column; summing the millions and the rest
/// apart keeps both sums small, and they meet in an `i128`.
pub async fn stage_totals<P: PipelineDef>(
    db: &impl ConnectionTrait,
    condition: Condition,
) -> AppResult<HashMap<i32, (i64, Money)>> {
    const SPLIT: i128 = 1_000_000;
    let stage = P::column(Common::StageId);
    let totals: Vec<(i32, i64, i64, i64)> = P::Entity::find()
        .select_only()
        .column(stage)
        .column_as(Expr::cust("COUNT(*)"), "count")
        // SUM of BIGINT is NUMERIC on PostgreSQL: bring each back to an integer.
        .column_as(
            Expr::cust("CAST(COALESCE(SUM(amount_kopecks / 1000000), 0) AS BIGINT)"),
            "millions",
        )
        .column_as(
            Expr::cust("CAST(COALESCE(SUM(amount_kopecks % 1000000), 0) AS BIGINT)"),
            "rest",
        )
        .filter(condition)
        .group_by(stage)
        .into_tuple()
        .all(db)
        .await?;
    Ok(totals
        .into_iter()
        .map(|(stage, count, millions, rest)| {
            let kopecks = i128::from(millions) * SPLIT + i128::from(rest);
            (stage, (count, Money::from_wide_kopecks(kopecks)))
        })
        .collect())
}

/// Board cards for rows: counterparty and responsible names filled in. A row in a stage its
/// pipeline does not know is an error, not a card quietly left out.
pub async fn cards_of<P: PipelineDef>(
    db: &impl ConnectionTrait,
    all: &[stages::Model],
    rows: Vec<P::Row>,
    now: Now,
) -> AppResult<Vec<BoardCard>> {
    let heads: Vec<_> = rows.iter().map(P::head).collect();
    let names = crate::server::repo::counterparties::names(
        db,
        heads.iter().filter_map(|h| h.counterparty_id).collect(),
    )
    .await?;
    let people = crate::server::repo::users::by_ids(
        db,
        heads.iter().filter_map(|h| h.responsible_user_id).collect(),
    )
    .await?;
    let codes: HashMap<i32, &str> = all.iter().map(|s| (s.id, s.code.as_str())).collect();
    let today = now.today();
    rows.iter()
        .zip(heads)
        .map(|(row, head)| {
            let code = codes.get(&head.stage_id).copied().unwrap_or_default();
            let Some(stage) = P::Stage::from_code(code) else {
                tracing::error!(
                    card = head.id,
                    stage = head.stage_id,
                    "card in an unknown stage"
                );
                return Err(AppError::Internal);
            };
            let face = P::face(row, stage, today);
            let person = head.responsible_user_id.and_then(|id| people.get(&id));
            Ok(BoardCard {
                id: head.id,
                version: head.version,
                stage: stage.stage_code(),
                number: face.number,
                title: face.title,
                counterparty_name: face
                    .party
                    .or_else(|| head.counterparty_id.and_then(|id| names.get(&id).cloned()))
                    .unwrap_or_default(),
                amount: head.amount,
                stage_entered_at: head.stage_entered_at,
                responsible_initials: person.map(|u| initials(&u.first_name, &u.last_name)),
                responsible_name: person.map(full_name),
                planned_payment_date: face.planned_payment_date,
                returned: face.returned,
                overdue: face.overdue,
                possible_duplicate: face.possible_duplicate,
            })
        })
        .collect()
}

/// A page of cards newest in the stage first: of one stage, or the one card `only`.
#[allow(clippy::too_many_arguments)]
async fn page<P: PipelineDef>(
    ctx: &Ctx,
    db: &impl ConnectionTrait,
    all: &[stages::Model],
    filter: &BoardFilter,
    stage_id: Option<i32>,
    only: Option<i32>,
    offset: u64,
    now: Now,
) -> AppResult<Vec<BoardCard>> {
    let mut query = P::Entity::find().filter(matching::<P>(ctx, filter, now));
    if let Some(stage_id) = stage_id {
        query = query.filter(P::column(Common::StageId).eq(stage_id));
    }
    if let Some(id) = only {
        query = query.filter(P::column(Common::Id).eq(id));
    }
    let found = query
        .order_by_desc(P::column(Common::StageEnteredAt))
        .order_by_desc(P::column(Common::Id))
        .offset(offset)
        .limit(COLUMN_PAGE)
        .all(db)
        .await?;
    cards_of::<P>(db, all, found, now).await
}

pub async fn board<P: PipelineDef>(
    ctx: &Ctx,
    db: &impl ConnectionTrait,
    filter: &BoardFilter,
    now: Now,
) -> AppResult<Board> {
    ctx.require_staff()?;
    // Read before the cards: a change that lands meanwhile is replayed, never missed.
    let last_change = crate::server::repo::changes::last_change(db).await?;
    let all = rows_of(db, P::PIPELINE.code()).await?;
    let totals = stage_totals::<P>(db, matching::<P>(ctx, filter, now)).await?;
    let mut columns = Vec::with_capacity(all.len());
    for stage in &all {
        let (count, total) = totals.get(&stage.id).copied().unwrap_or_default();
        let cards = if count > 0 {
            page::<P>(ctx, db, &all, filter, Some(stage.id), None, 0, now).await?
        } else {
            Vec::new()
        };
        columns.push(BoardColumn {
            stage: stage_name(stage)?,
            count: Ord::max(count, 0) as u64,
            total,
            cards,
        });
    }
    Ok(Board {
        pipeline: P::PIPELINE,
        columns,
        counterparties: if P::PIPELINE.has_supplier() {
            crate::server::repo::counterparties::choices(db).await?
        } else {
            Vec::new()
        },
        staff: crate::server::repo::users::active_staff(db).await?,
        last_change,
    })
}

/// More cards of stage `stage`, after the `offset` already shown.
pub async fn column_page<P: PipelineDef>(
    ctx: &Ctx,
    db: &impl ConnectionTrait,
    filter: &BoardFilter,
    stage: &str,
    offset: u64,
    now: Now,
) -> AppResult<Vec<BoardCard>> {
    ctx.require_staff()?;
    let stage = P::Stage::from_code(stage).ok_or_else(|| crate::error::unknown("stage"))?;
    let all = rows_of(db, P::PIPELINE.code()).await?;
    let stage_id = crate::server::repo::stages::row_among(&all, stage.code())?.id;
    page::<P>(ctx, db, &all, filter, Some(stage_id), None, offset, now).await
}

/// Card `id` as the board shows it, if it matches `filter`.
pub async fn card<P: PipelineDef>(
    ctx: &Ctx,
    db: &impl ConnectionTrait,
    filter: &BoardFilter,
    id: i32,
    now: Now,
) -> AppResult<Option<BoardCard>> {
    ctx.require_staff()?;
    let all = rows_of(db, P::PIPELINE.code()).await?;
    Ok(page::<P>(ctx, db, &all, filter, None, Some(id), 0, now)
        .await?
        .pop())
}
