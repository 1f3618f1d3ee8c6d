//! Supplier accounts: invitations, single-use links, password resets, deactivation, and the
//! e-mail outbox they write to in the same transaction.
use crate::server::db::Db;
use chrono::{DateTime, TimeDelta, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};

use super::audit;
use crate::domain::access::{Ctx, Role};
use crate::domain::accounts::{
    Invitee, Letter, MAX_RESETS_PER_HOUR, TokenPurpose, TokenState, invitation_letter,
    reset_letter, token_state,
};
use crate::domain::form::{FieldError, FieldProblem};
use crate::domain::lang::Lang;
use crate::error::{AppError, AppResult};
use crate::server::entities::{
    counterparties, email_outbox as outbox, sessions, user_tokens, users,
};

/// A password hash no password matches: the account waits for its invitation to be accepted.
pub const NO_PASSWORD: &str = "!";

pub async fn enqueue(
    db: &impl ConnectionTrait,
    to: &str,
    letter: &Letter,
    now: DateTime<Utc>,
) -> AppResult<()> {
    // Without RETURNING: behind a supplier's wall the outbox takes rows but shows none.
    outbox::Entity::insert(queued_letter(to, letter, now))
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// The outbox row `enqueue` adds, for a `WriteBatch`.
pub fn queued_letter(to: &str, letter: &Letter, now: DateTime<Utc>) -> outbox::ActiveModel {
    outbox::ActiveModel {
        to_address: Set(to.to_owned()),
        subject: Set(letter.subject.clone()),
        body_text: Set(letter.body.clone()),
        created_at: Set(now),
        attempts: Set(0),
        ..Default::default()
    }
}

async fn insert_token(
    db: &impl ConnectionTrait,
    user_id: i32,
    purpose: TokenPurpose,
    token_hash: &str,
    now: DateTime<Utc>,
) -> AppResult<()> {
    user_tokens::ActiveModel {
        user_id: Set(user_id),
        purpose: Set(purpose.code().to_owned()),
        token_hash: Set(token_hash.to_owned()),
        created_at: Set(now),
        expires_at: Set(now + purpose.lifetime()),
        used_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Creates the supplier's account (no password yet), its invitation token and the letter, in
/// one transaction. `link` is where the token opens.
pub async fn invite(
    ctx: &Ctx,
    db: &Db,
    counterparty_id: i32,
    invitee: &Invitee,
    token_hash: &str,
    link: &str,
    now: DateTime<Utc>,
) -> AppResult<i32> {
    ctx.require_staff()?;
    let txn = super::begin_write(db).await?;
    let counterparty = counterparties::Entity::find_by_id(counterparty_id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let taken = users::Entity::find()
        .filter(users::Column::Email.eq(invitee.email.as_str()))
        .count(&txn)
        .await?
        > 0;
    if taken {
        return Err(AppError::Rejected {
            problems: vec![FieldProblem::field("email", FieldError::EmailTaken)],
        });
    }
    let user = users::ActiveModel {
        email: Set(invitee.email.clone()),
        first_name: Set(invitee.first_name.clone()),
        last_name: Set(invitee.last_name.clone()),
        role: Set(Role::Supplier.code().to_owned()),
        counterparty_id: Set(Some(counterparty_id)),
        password_hash: Set(NO_PASSWORD.to_owned()),
        locale: Set(None),
        active: Set(true),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    insert_token(&txn, user.id, TokenPurpose::Invitation, token_hash, now).await?;
    let letter = invitation_letter(Lang::Ru, &invitee.first_name, &counterparty.name, link);
    enqueue(&txn, &invitee.email, &letter, now).await?;
    audit::record(
        &txn,
        Some(ctx.user_id),
        "user_invited",
        &format!(
            "user {} {} counterparty {counterparty_id}",
            user.id, invitee.email
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(user.id)
}

/// What the page of a link shows before the password is set.
#[derive(Clone, Debug)]
pub struct LinkInfo {
    pub purpose: TokenPurpose,
    pub email: String,
    pub first_name: String,
    pub state: TokenState,
}

pub async fn link_info(
    db: &impl ConnectionTrait,
    token_hash: &str,
    now: DateTime<Utc>,
) -> AppResult<LinkInfo> {
    let token = user_tokens::Entity::find()
        .filter(user_tokens::Column::TokenHash.eq(token_hash))
        .one(db)
        .await?
        .ok_or(AppError::LinkNotValid)?;
    let user = users::Entity::find_by_id(token.user_id)
        .one(db)
        .await?
        .ok_or(AppError::LinkNotValid)?;
    Ok(LinkInfo {
        purpose: TokenPurpose::from_code(&token.purpose).ok_or(AppError::Internal)?,
        email: user.email,
        first_name: user.first_name,
        state: token_state(token.expires_at, token.used_at, now),
    })
}

/// Sets the password through a link, once: the token is spent in the same transaction, and
/// after a reset every other session of the account ends.
pub async fn set_password_by_link(
    db: &Db,
    token_hash: &str,
    password_hash: &str,
    now: DateTime<Utc>,
) -> AppResult<users::Model> {
    let txn = super::begin_write(db).await?;
    let token = user_tokens::Entity::find()
        .filter(user_tokens::Column::TokenHash.eq(token_hash))
        .one(&txn)
        .await?
        .ok_or(AppError::LinkNotValid)?;
    if token_state(token.expires_at, token.used_at, now) != TokenState::Valid {
        return Err(AppError::LinkNotValid);
    }
    let spent = user_tokens::Entity::update_many()
        .col_expr(user_tokens::Column::UsedAt, Expr::value(now))
        .filter(user_tokens::Column::Id.eq(token.id))
        .filter(user_tokens::Column::UsedAt.is_null())
        .exec(&txn)
        .await?;
    if spent.rows_affected != 1 {
        return Err(AppError::LinkNotValid);
    }
    let user = users::Entity::find_by_id(token.user_id)
        .one(&txn)
        .await?
        .ok_or(AppError::LinkNotValid)?;
    if !user.active {
        return Err(AppError::LinkNotValid);
    }
    // The password is set: every other live link of this user (an older reset letter, the
    // invitation) is spent with this one, so none of them opens the account again.
    user_tokens::Entity::update_many()
        .col_expr(user_tokens::Column::UsedAt, Expr::value(now))
        .filter(user_tokens::Column::UserId.eq(user.id))
        .filter(user_tokens::Column::UsedAt.is_null())
        .exec(&txn)
        .await?;
    let mut active: users::ActiveModel = user.into();
    active.password_hash = Set(password_hash.to_owned());
    let user = active.update(&txn).await?;
    sessions::Entity::delete_many()
        .filter(sessions::Column::UserId.eq(user.id))
        .exec(&txn)
        .await?;
    audit::record(
        &txn,
        Some(user.id),
        "password_set_by_link",
        &format!("user {} {}", user.id, token.purpose),
    )
    .await?;
    txn.commit().await?;
    Ok(user)
}

/// A reset letter for an active account, at most a few an hour; nothing (and no sign of it)
/// for an unknown address.
pub async fn request_reset(
    db: &Db,
    email: &str,
    token_hash: &str,
    link: &str,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let txn = super::begin_write(db).await?;
    let Some(user) = users::Entity::find()
        .filter(users::Column::Email.eq(email))
        .filter(users::Column::Active.eq(true))
        .one(&txn)
        .await?
    else {
        return Ok(());
    };
    let recent = user_tokens::Entity::find()
        .filter(user_tokens::Column::UserId.eq(user.id))
        .filter(user_tokens::Column::Purpose.eq(TokenPurpose::PasswordReset.code()))
        .filter(user_tokens::Column::CreatedAt.gt(now - TimeDelta::hours(1)))
        .count(&txn)
        .await?;
    if recent >= MAX_RESETS_PER_HOUR {
        return Ok(());
    }
    insert_token(&txn, user.id, TokenPurpose::PasswordReset, token_hash, now).await?;
    let lang = user
        .locale
        .as_deref()
        .and_then(Lang::from_code)
        .unwrap_or(Lang::Ru);
    enqueue(
        &txn,
        &user.email,
        &reset_letter(lang, &user.first_name, link),
        now,
    )
    .await?;
    audit::record(&txn, Some(user.id), "password_reset_requested", &user.email).await?;
    txn.commit().await?;
    Ok(())
}

/// Staff switch a supplier's account off (its sessions end) or on again.
pub async fn set_active(ctx: &Ctx, db: &Db, user_id: i32, active: bool) -> AppResult<()> {
    ctx.require_staff()?;
    let txn = super::begin_write(db).await?;
    let user = users::Entity::find_by_id(user_id)
        .filter(users::Column::Role.eq(Role::Supplier.code()))
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let email = user.email.clone();
    let mut model: users::ActiveModel = user.into();
    model.active = Set(active);
    model.update(&txn).await?;
    if !active {
        sessions::Entity::delete_many()
            .filter(sessions::Column::UserId.eq(user_id))
            .exec(&txn)
            .await?;
    }
    audit::record(
        &txn,
        Some(ctx.user_id),
        if active {
            "user_activated"
        } else {
            "user_deactivated"
        },
        &format!("user {user_id} {email}"),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Takes up to `limit` unsent letters for this sender for a minute, so two app servers do not
/// send one letter twice.
pub async fn claim_letters(
    db: &Db,
    now: DateTime<Utc>,
    limit: u64,
) -> AppResult<Vec<outbox::Model>> {
    let candidates = outbox::Entity::find()
        .filter(outbox::Column::SentAt.is_null())
        .filter(outbox::Column::Attempts.lt(10))
        .filter(
            sea_orm::Condition::any()
                .add(outbox::Column::ClaimedUntil.is_null())
                .add(outbox::Column::ClaimedUntil.lt(now)),
        )
        .order_by_asc(outbox::Column::Id)
        .limit(limit)
        .all(db)
        .await?;
    if candidates.is_empty() {
        return Ok(Vec::new());
    }
    // One write turn for the batch: on SQLite a write outside the turn would meet the moves'
    // transactions in SQLite's busy handler, which sleeps.
    let txn = super::begin_write(db).await?;
    let mut claimed = Vec::new();
    for letter in candidates {
        let taken = outbox::Entity::update_many()
            .col_expr(
                outbox::Column::ClaimedUntil,
                Expr::value(now + TimeDelta::minutes(1)),
            )
            .col_expr(outbox::Column::Attempts, Expr::value(letter.attempts + 1))
            .filter(outbox::Column::Id.eq(letter.id))
            .filter(outbox::Column::Attempts.eq(letter.attempts))
            .exec(&txn)
            .await?;
        if taken.rows_affected == 1 {
            claimed.push(letter);
        }
    }
    txn.commit().await?;
    Ok(claimed)
}

/// Records how a batch of letters went: `sent` went out, `failed` did not (with why); one
/// write turn for the batch.
pub async fn record_sending(
    db: &Db,
    sent: &[i32],
    failed: &[(i32, String)],
    now: DateTime<Utc>,
) -> AppResult<()> {
    if sent.is_empty() && failed.is_empty() {
        return Ok(());
    }
    let txn = super::begin_write(db).await?;
    if !sent.is_empty() {
        outbox::Entity::update_many()
            .col_expr(outbox::Column::SentAt, Expr::value(now))
            .filter(outbox::Column::Id.is_in(sent.iter().copied()))
            .exec(&txn)
            .await?;
    }
    for (id, error) in failed {
        outbox::Entity::update_many()
            .col_expr(outbox::Column::LastError, Expr::value(error.clone()))
            .filter(outbox::Column::Id.eq(*id))
            .exec(&txn)
            .await?;
    }
    txn.commit().await?;
    Ok(())
}

/// Housekeeping: links used or expired before `before` go. Until then an old link still says
/// "already used" or "expired" rather than "unknown".
pub async fn purge_spent_tokens(
    db: &impl ConnectionTrait,
    before: DateTime<Utc>,
) -> Result<u64, sea_orm::DbErr> {
    use sea_orm::Condition;
    Ok(user_tokens::Entity::delete_many()
        .filter(
            Condition::any()
                .add(user_tokens::Column::UsedAt.lt(before))
                .add(user_tokens::Column::ExpiresAt.lt(before)),
        )
        .exec(db)
        .await?
        .rows_affected)
}
