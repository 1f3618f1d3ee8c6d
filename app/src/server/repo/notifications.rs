//! The in-app notification centre: a staff member's notifications, unread first counted.
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use crate::domain::access::Ctx;
use crate::domain::pipeline::Pipeline;
use crate::error::{AppError, AppResult};
use crate::model::notifications::{Notice, Notices};
use crate::server::entities::notifications;

const SHOWN: u64 = 30;

/// Call in the transaction of what it announces.
pub async fn add(
    db: &impl ConnectionTrait,
    user_id: i32,
    card_id: Option<i32>,
    text: &str,
    now: DateTime<Utc>,
) -> AppResult<()> {
    // Without RETURNING: a supplier's action notifies staff, whose rows its wall does not let
    // it read back.
    notifications::Entity::insert(notification(
        user_id,
        Pipeline::Documents,
        card_id,
        text,
        now,
    ))
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// The row `add` adds, for a `WriteBatch`.
pub fn notification(
    user_id: i32,
    pipeline: Pipeline,
    card_id: Option<i32>,
    text: &str,
    now: DateTime<Utc>,
) -> notifications::ActiveModel {
    notifications::ActiveModel {
        user_id: Set(user_id),
        pipeline: Set(pipeline.code().to_owned()),
        card_id: Set(card_id),
        text: Set(text.to_owned()),
        created_at: Set(now),
        read_at: Set(None),
        ..Default::default()
    }
}

pub async fn unread_count(ctx: &Ctx, db: &impl ConnectionTrait) -> AppResult<u64> {
    Ok(notifications::Entity::find()
        .filter(notifications::Column::UserId.eq(ctx.user_id))
        .filter(notifications::Column::ReadAt.is_null())
        .count(db)
        .await?)
}

/// The caller's latest notifications.
pub async fn latest(ctx: &Ctx, db: &impl ConnectionTrait) -> AppResult<Notices> {
    let items = notifications::Entity::find()
        .filter(notifications::Column::UserId.eq(ctx.user_id))
        .order_by_desc(notifications::Column::Id)
        .limit(SHOWN)
        .all(db)
        .await?
        .into_iter()
        .map(|n| {
            let pipeline = Pipeline::from_code(&n.pipeline).ok_or_else(|| {
                tracing::error!(notification = n.id, pipeline = %n.pipeline, "unknown pipeline");
                AppError::Internal
            })?;
            Ok(Notice {
                id: n.id,
                card_id: n.card_id,
                link: n.card_id.map(|id| pipeline.card_path(id)),
                text: n.text,
                at: n.created_at,
                unread: n.read_at.is_none(),
            })
        })
        .collect::<AppResult<_>>()?;
    Ok(Notices {
        unread: unread_count(ctx, db).await?,
        items,
    })
}

/// Marks every notification of the caller read.
pub async fn mark_all_read(
    ctx: &Ctx,
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
) -> AppResult<()> {
    notifications::Entity::update_many()
        .col_expr(notifications::Column::ReadAt, Expr::value(now))
        .filter(notifications::Column::UserId.eq(ctx.user_id))
        .filter(notifications::Column::ReadAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}
