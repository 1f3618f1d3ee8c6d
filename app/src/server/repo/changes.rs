//! The change feed: every change of a card a live page should show writes a row here in its own
//! transaction; after the commit the caller wakes the live streams (`LiveHub::wake`), which on
//! PostgreSQL also tells the other app servers.
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, EntityTrait, QuerySelect, Set};

use crate::domain::pipeline::Pipeline;
use crate::error::AppResult;
use crate::server::entities::card_changes;

pub use crate::domain::pipeline::ChangeKind;

/// Call inside the change's transaction; wake this process's streams after the commit
/// (`LiveHub::wake`).
pub async fn record(
    db: &impl ConnectionTrait,
    card_id: i32,
    counterparty_id: i32,
    kind: ChangeKind,
    now: DateTime<Utc>,
) -> AppResult<()> {
    change(card_id, counterparty_id, kind, None, now)
        .insert(db)
        .await?;
    Ok(())
}

/// The row `record` adds for a supplier document, for a `WriteBatch`; `by` is who made the
/// change and what the card's history says of it.
pub fn change(
    card_id: i32,
    counterparty_id: i32,
    kind: ChangeKind,
    by: Option<(i32, String)>,
    now: DateTime<Utc>,
) -> card_changes::ActiveModel {
    change_in(
        Pipeline::Documents,
        card_id,
        Some(counterparty_id),
        kind,
        by,
        now,
    )
}

/// A change of card `card_id` of any pipeline, for a `WriteBatch`.
pub fn change_in(
    pipeline: Pipeline,
    card_id: i32,
    counterparty_id: Option<i32>,
    kind: ChangeKind,
    by: Option<(i32, String)>,
    now: DateTime<Utc>,
) -> card_changes::ActiveModel {
    let (user_id, detail) = by.unzip();
    card_changes::ActiveModel {
        pipeline: Set(pipeline.code().to_owned()),
        card_id: Set(card_id),
        counterparty_id: Set(counterparty_id),
        kind: Set(kind.code().to_owned()),
        user_id: Set(user_id),
        detail: Set(detail),
        at: Set(now),
        ..Default::default()
    }
}

/// The newest change: a page rendered now is current up to it.
pub async fn last_change(db: &impl ConnectionTrait) -> Result<i64, DbErr> {
    let max: Option<Option<i64>> = card_changes::Entity::find()
        .select_only()
        .column_as(Expr::cust("MAX(id)"), "max")
        .into_tuple()
        .one(db)
        .await?;
    Ok(max.flatten().unwrap_or(0))
}
