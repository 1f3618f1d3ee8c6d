use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect, Set};

use crate::server::entities::login_failures::{self, Column};

pub async fn failures_since(
    db: &impl ConnectionTrait,
    key: &str,
    since: DateTime<Utc>,
) -> Result<Vec<DateTime<Utc>>, DbErr> {
    login_failures::Entity::find()
        .select_only()
        .column(Column::FailedAt)
        .filter(Column::ThrottleKey.eq(key))
        .filter(Column::FailedAt.gt(since))
        .into_tuple()
        .all(db)
        .await
}

pub async fn record_failure(
    db: &impl ConnectionTrait,
    keys: &[String],
    at: DateTime<Utc>,
) -> Result<(), DbErr> {
    let rows = keys.iter().map(|key| login_failures::ActiveModel {
        throttle_key: Set(key.clone()),
        failed_at: Set(at),
        ..Default::default()
    });
    login_failures::Entity::insert_many(rows).exec(db).await?;
    Ok(())
}

pub async fn clear(db: &impl ConnectionTrait, key: &str) -> Result<(), DbErr> {
    login_failures::Entity::delete_many()
        .filter(Column::ThrottleKey.eq(key))
        .exec(db)
        .await?;
    Ok(())
}
