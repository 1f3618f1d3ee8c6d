use crate::domain::settlements::BlockMode;
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set,
};

use super::users::UserRecord;
use crate::domain::access::{Ctx, Role, counterparty_link_is_valid};
use crate::domain::session::session_is_live;
use crate::server::entities::{counterparties, sessions, users};

pub async fn create(
    db: &impl ConnectionTrait,
    user_id: i32,
    token_hash: &str,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> Result<(), DbErr> {
    sessions::ActiveModel {
        token_hash: Set(token_hash.to_owned()),
        user_id: Set(user_id),
        created_at: Set(now),
        expires_at: Set(expires_at),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Housekeeping: sessions past their end open nothing; their rows go.
pub async fn purge_expired(db: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<u64, DbErr> {
    Ok(sessions::Entity::delete_many()
        .filter(sessions::Column::ExpiresAt.lte(now))
        .exec(db)
        .await?
        .rows_affected)
}

pub async fn delete_by_token_hash(
    db: &impl ConnectionTrait,
    token_hash: &str,
) -> Result<(), DbErr> {
    sessions::Entity::delete_many()
        .filter(sessions::Column::TokenHash.eq(token_hash))
        .exec(db)
        .await?;
    Ok(())
}

/// The user behind a live session; expired sessions are deleted when met.
pub async fn find_live_user(
    db: &impl ConnectionTrait,
    token_hash: &str,
    now: DateTime<Utc>,
) -> Result<Option<(Ctx, UserRecord)>, DbErr> {
    // One query for the session and its user: every request of a signed-in user asks this.
    let Some((session, user)) = sessions::Entity::find()
        .filter(sessions::Column::TokenHash.eq(token_hash))
        .find_also_related(users::Entity)
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    if !session_is_live(session.expires_at, now) {
        sessions::Entity::delete_by_id(session.id).exec(db).await?;
        return Ok(None);
    }
    let Some(user) = user.filter(|u| u.active) else {
        return Ok(None);
    };
    let Some(role) = Role::from_code(&user.role) else {
        return Ok(None);
    };
    if !counterparty_link_is_valid(role, user.counterparty_id) {
        return Ok(None);
    }
    let counterparty = match user.counterparty_id {
        Some(id) => counterparties::Entity::find_by_id(id).one(db).await?,
        None => None,
    };
    let block = counterparty
        .as_ref()
        .and_then(|c| BlockMode::from_code(&c.block_mode))
        .unwrap_or_default();
    if block == BlockMode::Full {
        return Ok(None);
    }
    let ctx = Ctx {
        user_id: user.id,
        role,
        counterparty_id: user.counterparty_id,
    };
    Ok(Some((
        ctx,
        UserRecord {
            user,
            counterparty_name: counterparty.map(|c| c.name),
            block,
        },
    )))
}
