//! Unified deal numbering in the database: the per-year counter, per-deal item counters, and
//! numbering a deal with everything already linked to it. Every function here runs inside the
//! caller's write transaction: the counter row is incremented under its lock (PostgreSQL's row
//! lock of `INSERT … ON CONFLICT DO UPDATE … RETURNING`; SQLite's `BEGIN IMMEDIATE`), so a
//! number is given only if the whole change commits — no gaps, no duplicates — and the unique
//! indexes on the numbers are the last guard.
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::domain::numbering::{DealNumber, ItemKind, KindCodes, item_number};
use crate::error::{AppError, AppResult};
use crate::server::entities::{
    contracts, deal_counters, deal_item_counters, deals, specifications, supplier_orders,
};

/// Adds `count` to a counter row (made at `count` when missing) and returns its new value.
async fn bump(
    db: &impl ConnectionTrait,
    insert: sea_orm::sea_query::InsertStatement,
) -> AppResult<i32> {
    let row = db.query_one(&insert).await?.ok_or(AppError::Internal)?;
    Ok(row.try_get::<i32>("", "last")?)
}

/// The next number of `year`'s counter.
pub async fn next_deal_seq(db: &impl ConnectionTrait, year: i32) -> AppResult<i32> {
    let last = (deal_counters::Entity, deal_counters::Column::Last);
    bump(
        db,
        Query::insert()
            .into_table(deal_counters::Entity)
            .columns([deal_counters::Column::Year, deal_counters::Column::Last])
            .values_panic([year.into(), 1.into()])
            .on_conflict(
                OnConflict::column(deal_counters::Column::Year)
                    .value(deal_counters::Column::Last, Expr::col(last).add(1))
                    .to_owned(),
            )
            .returning_col(deal_counters::Column::Last)
            .to_owned(),
    )
    .await
}

/// Reserves `count` item suffixes of `kind` for deal `deal_id`; returns the first of them.
pub async fn reserve_item_seqs(
    db: &impl ConnectionTrait,
    deal_id: i32,
    kind: ItemKind,
    count: i32,
) -> AppResult<i32> {
    let last = (deal_item_counters::Entity, deal_item_counters::Column::Last);
    let new_last = bump(
        db,
        Query::insert()
            .into_table(deal_item_counters::Entity)
            .columns([
                deal_item_counters::Column::DealId,
                deal_item_counters::Column::Kind,
                deal_item_counters::Column::Last,
            ])
            .values_panic([deal_id.into(), kind.code().into(), count.into()])
            .on_conflict(
                OnConflict::columns([
                    deal_item_counters::Column::DealId,
                    deal_item_counters::Column::Kind,
                ])
                .value(deal_item_counters::Column::Last, Expr::col(last).add(count))
                .to_owned(),
            )
            .returning_col(deal_item_counters::Column::Last)
            .to_owned(),
    )
    .await?;
    Ok(new_last - count + 1)
}

/// The deal's number, if it has one.
pub fn number_of(deal: &deals::Model) -> Option<DealNumber> {
    match (deal.number_year, deal.number_seq) {
        (Some(year), Some(seq)) if seq > 0 => Some(DealNumber {
            year,
            seq: seq as u32,
        }),
        _ => None,
    }
}

/// The number a new item of `kind` of deal `deal` gets now: its suffix and written number, or
/// nothing while the deal has no number (it gets one when the deal is numbered).
pub async fn number_for_new_item(
    db: &impl ConnectionTrait,
    deal: Option<&deals::Model>,
    kind: ItemKind,
    codes: &KindCodes,
) -> AppResult<(Option<i32>, Option<String>)> {
    let Some((deal, number)) = deal.and_then(|d| number_of(d).map(|n| (d, n))) else {
        return Ok((None, None));
    };
    let seq = reserve_item_seqs(db, deal.id, kind, 1).await?;
    Ok((
        Some(seq),
        Some(item_number(number, codes.of(kind), seq as u32)),
    ))
}

/// Numbers deal `deal` (which has no number yet) in `year` and every paper already linked to
/// it, in the order they were made. Returns the number.
pub async fn number_deal(
    db: &impl ConnectionTrait,
    deal: &deals::Model,
    year: i32,
    codes: &KindCodes,
    now: DateTime<Utc>,
) -> AppResult<DealNumber> {
    let seq = next_deal_seq(db, year).await?;
    let number = DealNumber {
        year,
        seq: seq as u32,
    };
    let numbered = deals::Entity::update_many()
        .col_expr(deals::Column::NumberYear, Expr::value(year))
        .col_expr(deals::Column::NumberSeq, Expr::value(seq))
        .col_expr(deals::Column::Number, Expr::value(number.to_string()))
        .col_expr(deals::Column::NumberedAt, Expr::value(now))
        .col_expr(
            deals::Column::SearchText,
            Expr::value(format!("{} {number}", deal.search_text)),
        )
        .filter(deals::Column::Id.eq(deal.id))
        .filter(deals::Column::NumberSeq.is_null())
        .exec(db)
        .await?;
    if numbered.rows_affected != 1 {
        // Numbered meanwhile by another move: this transaction must not commit.
        return Err(AppError::Conflict);
    }
    number_waiting_items(db, deal.id, number, codes).await?;
    Ok(number)
}

/// Gives the deal's number to papers made before it had one.
async fn number_waiting_items(
    db: &impl ConnectionTrait,
    deal_id: i32,
    number: DealNumber,
    codes: &KindCodes,
) -> AppResult<()> {
    macro_rules! number_table {
        ($entity:ident, $kind:expr) => {{
            let waiting: Vec<i32> = $entity::Entity::find()
                .select_only()
                .column($entity::Column::Id)
                .filter($entity::Column::DealId.eq(deal_id))
                .filter($entity::Column::ItemSeq.is_null())
                .order_by_asc($entity::Column::Id)
                .into_tuple()
                .all(db)
                .await?;
            if !waiting.is_empty() {
                let first = reserve_item_seqs(db, deal_id, $kind, waiting.len() as i32).await?;
                for (offset, id) in waiting.into_iter().enumerate() {
                    let seq = first + offset as i32;
                    $entity::Entity::update_many()
                        .col_expr($entity::Column::ItemSeq, Expr::value(seq))
                        .col_expr(
                            $entity::Column::Number,
                            Expr::value(item_number(number, codes.of($kind), seq as u32)),
                        )
                        .filter($entity::Column::Id.eq(id))
                        .exec(db)
                        .await?;
                }
            }
        }};
    }
    number_table!(contracts, ItemKind::Contract);
    number_table!(specifications, ItemKind::Specification);
    number_table!(supplier_orders, ItemKind::Order);
    Ok(())
}
