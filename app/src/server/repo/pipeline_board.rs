//! The deals and supplier-orders boards: the same columns, counts, sums and pages as the
//! documents board, over their own tables. Both are staff-only.
use std::collections::HashMap;

use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

use super::contains_text;
use super::stages::{row_among, rows_of, stage_name};
use super::users::full_name;
use crate::domain::access::Ctx;
use crate::domain::board::{BoardFilter, COLUMN_PAGE, Pipeline, initials};
use crate::domain::clock::{CompanyZone, Now};
use crate::domain::deadlines::is_overdue;
use crate::domain::money::Money;
use crate::error::{AppError, AppResult};
use crate::model::board::{Board, BoardCard, BoardColumn};
use crate::server::entities::{counterparties, deals, stages, supplier_orders as orders};

fn deal_matching(ctx: &Ctx, filter: &BoardFilter, zone: CompanyZone) -> Condition {
    let mut condition = Condition::all();
    if filter.mine {
        condition = condition.add(deals::Column::ResponsibleUserId.eq(ctx.user_id));
    } else if let Some(id) = filter.responsible_id {
        condition = condition.add(deals::Column::ResponsibleUserId.eq(id));
    }
    if let Some(from) = filter.from {
        condition = condition.add(deals::Column::CreatedAt.gte(zone.midnight(from)));
    }
    if let Some(to) = filter.to {
        condition =
            condition.add(deals::Column::CreatedAt.lt(zone.midnight(to + chrono::Days::new(1))));
    }
    if let Some(min) = filter.min_amount {
        condition = condition.add(deals::Column::AmountKopecks.gte(min.kopecks()));
    }
    if let Some(max) = filter.max_amount {
        condition = condition.add(deals::Column::AmountKopecks.lte(max.kopecks()));
    }
    if let Some(text) = &filter.text {
        condition = condition.add(deals::Column::SearchText.like(contains_text(text)));
    }
    condition
}

fn order_matching(ctx: &Ctx, filter: &BoardFilter) -> Condition {
    let mut condition = Condition::all();
    if let Some(id) = filter.counterparty_id {
        condition = condition.add(orders::Column::CounterpartyId.eq(id));
    }
    if filter.mine {
        condition = condition.add(orders::Column::ResponsibleUserId.eq(ctx.user_id));
    } else if let Some(id) = filter.responsible_id {
        condition = condition.add(orders::Column::ResponsibleUserId.eq(id));
    }
    if let Some(from) = filter.from {
        condition = condition.add(orders::Column::PlannedDeliveryOn.gte(from));
    }
    if let Some(to) = filter.to {
        condition = condition.add(orders::Column::PlannedDeliveryOn.lte(to));
    }
    if let Some(min) = filter.min_amount {
        condition = condition.add(orders::Column::AmountKopecks.gte(min.kopecks()));
    }
    if let Some(max) = filter.max_amount {
        condition = condition.add(orders::Column::AmountKopecks.lte(max.kopecks()));
    }
    if let Some(text) = &filter.text {
        condition = condition.add(
            Condition::any()
                .add(Expr::cust("LOWER(supplier_orders.number)").like(contains_text(text)))
                .add(
                    orders::Column::CounterpartyId.in_subquery(
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

async fn deal_cards(
    db: &impl ConnectionTrait,
    all: &[stages::Model],
    found: Vec<deals::Model>,
) -> Result<Vec<BoardCard>, DbErr> {
    let people = super::users::by_ids(
        db,
        found.iter().filter_map(|d| d.responsible_user_id).collect(),
    )
    .await?;
    let codes: HashMap<i32, &str> = all.iter().map(|s| (s.id, s.code.as_str())).collect();
    Ok(found
        .into_iter()
        .filter_map(|deal| {
            let person = deal.responsible_user_id.and_then(|id| people.get(&id));
            Some(BoardCard {
                id: deal.id,
                version: deal.version,
                stage: (*codes.get(&deal.stage_id)?).to_owned(),
                number: deal.number.unwrap_or_else(|| format!("#{}", deal.id)),
                title: Some(deal.title),
                counterparty_name: deal.customer,
                amount: Money::from_kopecks(deal.amount_kopecks),
                stage_entered_at: deal.stage_entered_at,
                responsible_initials: person.map(|u| initials(&u.first_name, &u.last_name)),
                responsible_name: person.map(full_name),
                planned_payment_date: None,
                returned: false,
                overdue: false,
                possible_duplicate: false,
            })
        })
        .collect())
}

async fn order_cards(
    db: &impl ConnectionTrait,
    all: &[stages::Model],
    found: Vec<orders::Model>,
    now: Now,
) -> Result<Vec<BoardCard>, DbErr> {
    let people = super::users::by_ids(
        db,
        found.iter().filter_map(|o| o.responsible_user_id).collect(),
    )
    .await?;
    let names =
        super::counterparties::names(db, found.iter().map(|o| o.counterparty_id).collect()).await?;
    let codes: HashMap<i32, &str> = all.iter().map(|s| (s.id, s.code.as_str())).collect();
    let today = now.today();
    Ok(found
        .into_iter()
        .filter_map(|order| {
            let person = order.responsible_user_id.and_then(|id| people.get(&id));
            Some(BoardCard {
                id: order.id,
                version: order.version,
                stage: (*codes.get(&order.stage_id)?).to_owned(),
                number: order.number.unwrap_or_else(|| format!("#{}", order.id)),
                title: Some(order.description).filter(|d| !d.is_empty()),
                counterparty_name: names
                    .get(&order.counterparty_id)
                    .cloned()
                    .unwrap_or_default(),
                amount: Money::from_kopecks(order.amount_kopecks),
                stage_entered_at: order.stage_entered_at,
                responsible_initials: person.map(|u| initials(&u.first_name, &u.last_name)),
                responsible_name: person.map(full_name),
                planned_payment_date: order.payment_deadline,
                returned: false,
                overdue: is_overdue(order.payment_deadline, order.paid_on.is_some(), today),
                possible_duplicate: false,
            })
        })
        .collect())
}

#[allow(clippy::too_many_arguments)]
async fn column_cards(
    ctx: &Ctx,
    db: &impl ConnectionTrait,
    pipeline: Pipeline,
    all: &[stages::Model],
    filter: &BoardFilter,
    stage_id: Option<i32>,
    only: Option<i32>,
    offset: u64,
    now: Now,
) -> AppResult<Vec<BoardCard>> {
    match pipeline {
        Pipeline::Deals => {
            let mut query = deals::Entity::find().filter(deal_matching(ctx, filter, now.zone));
            if let Some(stage_id) = stage_id {
                query = query.filter(deals::Column::StageId.eq(stage_id));
            }
            if let Some(id) = only {
                query = query.filter(deals::Column::Id.eq(id));
            }
            let found = query
                .order_by_desc(deals::Column::StageEnteredAt)
                .order_by_desc(deals::Column::Id)
                .offset(offset)
                .limit(COLUMN_PAGE)
                .all(db)
                .await?;
            Ok(deal_cards(db, all, found).await?)
        }
        Pipeline::Orders => {
            let mut query = orders::Entity::find().filter(order_matching(ctx, filter));
            if let Some(stage_id) = stage_id {
                query = query.filter(orders::Column::StageId.eq(stage_id));
            }
            if let Some(id) = only {
                query = query.filter(orders::Column::Id.eq(id));
            }
            let found = query
                .order_by_desc(orders::Column::StageEnteredAt)
                .order_by_desc(orders::Column::Id)
                .offset(offset)
                .limit(COLUMN_PAGE)
                .all(db)
                .await?;
            Ok(order_cards(db, all, found, now).await?)
        }
        Pipeline::Documents => Err(AppError::Internal),
    }
}

/// Count and sum per stage id under the filter.
async fn totals(
    ctx: &Ctx,
    db: &impl ConnectionTrait,
    pipeline: Pipeline,
    filter: &BoardFilter,
    zone: CompanyZone,
) -> AppResult<HashMap<i32, (i64, i64)>> {
    let rows: Vec<(i32, i64, Option<i64>)> = match pipeline {
        Pipeline::Deals => {
            deals::Entity::find()
                .select_only()
                .column(deals::Column::StageId)
                .column_as(Expr::cust("COUNT(*)"), "count")
                .column_as(Expr::cust("SUM(amount_kopecks)"), "total")
                .filter(deal_matching(ctx, filter, zone))
                .group_by(deals::Column::StageId)
                .into_tuple()
                .all(db)
                .await?
        }
        Pipeline::Orders => {
            orders::Entity::find()
                .select_only()
                .column(orders::Column::StageId)
                .column_as(Expr::cust("COUNT(*)"), "count")
                .column_as(Expr::cust("SUM(amount_kopecks)"), "total")
                .filter(order_matching(ctx, filter))
                .group_by(orders::Column::StageId)
                .into_tuple()
                .all(db)
                .await?
        }
        Pipeline::Documents => return Err(AppError::Internal),
    };
    Ok(rows
        .into_iter()
        .map(|(stage, count, total)| (stage, (count, total.unwrap_or(0))))
        .collect())
}

pub async fn board(
    ctx: &Ctx,
    db: &impl ConnectionTrait,
    pipeline: Pipeline,
    filter: &BoardFilter,
    now: Now,
) -> AppResult<Board> {
    ctx.require_staff()?;
    let all = rows_of(db, pipeline.code()).await?;
    let totals = totals(ctx, db, pipeline, filter, now.zone).await?;
    let mut columns = Vec::with_capacity(all.len());
    for stage in &all {
        let (count, total) = totals.get(&stage.id).copied().unwrap_or_default();
        let cards = if count > 0 {
            column_cards(
                ctx,
                db,
                pipeline,
                &all,
                filter,
                Some(stage.id),
                None,
                0,
                now,
            )
            .await?
        } else {
            Vec::new()
        };
        columns.push(BoardColumn {
            stage: stage_name(stage),
            count: Ord::max(count, 0) as u64,
            total: Money::from_kopecks(total),
            cards,
        });
    }
    Ok(Board {
        pipeline,
        columns,
        counterparties: if pipeline == Pipeline::Orders {
            super::counterparties::choices(db).await?
        } else {
            Vec::new()
        },
        staff: super::users::active_staff(db).await?,
        last_change: 0,
    })
}

pub async fn column_page(
    ctx: &Ctx,
    db: &impl ConnectionTrait,
    pipeline: Pipeline,
    filter: &BoardFilter,
    stage: &str,
    offset: u64,
    now: Now,
) -> AppResult<Vec<BoardCard>> {
    ctx.require_staff()?;
    let all = rows_of(db, pipeline.code()).await?;
    let stage_id = row_among(&all, stage)
        .map_err(|_| AppError::Invalid {
            field: "stage".to_owned(),
            problem: "unknown stage".to_owned(),
        })?
        .id;
    column_cards(
        ctx,
        db,
        pipeline,
        &all,
        filter,
        Some(stage_id),
        None,
        offset,
        now,
    )
    .await
}

pub async fn card(
    ctx: &Ctx,
    db: &impl ConnectionTrait,
    pipeline: Pipeline,
    filter: &BoardFilter,
    id: i32,
    now: Now,
) -> AppResult<Option<BoardCard>> {
    ctx.require_staff()?;
    let all = rows_of(db, pipeline.code()).await?;
    Ok(
        column_cards(ctx, db, pipeline, &all, filter, None, Some(id), 0, now)
            .await?
            .pop(),
    )
}
