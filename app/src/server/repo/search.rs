//! The global search over deal numbers, titles and customers.
use crate::server::db::Db;
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::contains_text;
use super::stages::{rows_of, stage_name};
use crate::domain::access::Ctx;
use crate::domain::clock::Now;
use crate::domain::deals::DEALS_PIPELINE;
use crate::domain::numbering::number_needle;
use crate::error::AppResult;
use crate::model::search::{DealHit, SearchResults};
use crate::server::entities::deals;

/// The most deals one search lists.
const MOST_DEALS: u64 = 20;
const MAX_QUERY_CHARS: usize = 100;

pub async fn deals(ctx: &Ctx, db: &Db, query: &str, now: Now) -> AppResult<SearchResults> {
    ctx.require_staff()?;
    let query: String = query.trim().chars().take(MAX_QUERY_CHARS).collect();
    if query.is_empty() {
        return Ok(SearchResults {
            query,
            deals: Vec::new(),
        });
    }
    let mut condition = Condition::any().add(deals::Column::SearchText.like(contains_text(&query)));
    if let Some(needle) = number_needle(&query) {
        condition = condition.add(deals::Column::Number.like(contains_text(&needle)));
    }
    let found = deals::Entity::find()
        .filter(condition)
        .order_by_desc(deals::Column::NumberYear)
        .order_by_desc(deals::Column::NumberSeq)
        .order_by_desc(deals::Column::Id)
        .limit(MOST_DEALS)
        .all(db)
        .await?;
    let all = rows_of(db, DEALS_PIPELINE).await?;
    let today = now.today();
    let mut hits = Vec::with_capacity(found.len());
    for deal in found {
        let Some(stage) = all.iter().find(|s| s.id == deal.stage_id) else {
            continue;
        };
        let (contracts, specifications, orders) =
            super::papers::of_deal(ctx, db, deal.id, today).await?;
        hits.push(DealHit {
            id: deal.id,
            number: deal.number,
            title: deal.title,
            customer: deal.customer,
            stage: stage_name(stage)?,
            contracts,
            specifications,
            orders,
        });
    }
    Ok(SearchResults { query, deals: hits })
}
