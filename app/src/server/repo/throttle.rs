use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect, Set};

use crate::server::entities::login_failures::{self, Column};

/// The failures of `key` since `since`, but for the rows `except` (an attempt's own).
pub async fn failures_since(
    db: &impl ConnectionTrait,
    key: &str,
    since: DateTime<Utc>,
    except: &[i32],
) -> Result<Vec<DateTime<Utc>>, DbErr> {
    login_failures::Entity::find()
        .select_only()
        .column(Column::FailedAt)
        .filter(Column::ThrottleKey.eq(key))
        .filter(Column::FailedAt.gt(since))
        .filter(Column::Id.is_not_in(except.iter().copied()))
        .into_tuple()
        .all(db)
        .await
}

/// Counts an attempt as a failure of each key before it is checked; returns the rows, to
/// forget them when the attempt turns out right (or was refused unchecked).
pub async fn record_attempt(
    db: &impl ConnectionTrait,
    keys: &[&str],
    at: DateTime<Utc>,
) -> Result<Vec<i32>, DbErr> {
    let mut ids = Vec::with_capacity(keys.len());
    for key in keys {
        let row = login_failures::ActiveModel {
            throttle_key: Set((*key).to_owned()),
            failed_at: Set(at),
            ..Default::default()
        };
        ids.push(
            login_failures::Entity::insert(row)
                .exec(db)
                .await?
                .last_insert_id,
        );
    }
    Ok(ids)
}

pub async fn forget(db: &impl ConnectionTrait, ids: &[i32]) -> Result<(), DbErr> {
    login_failures::Entity::delete_many()
        .filter(Column::Id.is_in(ids.iter().copied()))
        .exec(db)
        .await?;
    Ok(())
}

/// Housekeeping: failures older than `before` no longer count for anything.
pub async fn purge_before(db: &impl ConnectionTrait, before: DateTime<Utc>) -> Result<u64, DbErr> {
    Ok(login_failures::Entity::delete_many()
        .filter(Column::FailedAt.lt(before))
        .exec(db)
        .await?
        .rows_affected)
}

pub async fn clear(db: &impl ConnectionTrait, key: &str) -> Result<(), DbErr> {
    login_failures::Entity::delete_many()
        .filter(Column::ThrottleKey.eq(key))
        .exec(db)
        .await?;
    Ok(())
}
