//! The message thread of a document card, shared by staff and the card's supplier.
use crate::server::db::Db;
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};

use super::begin_write;
use super::changes::{self, ChangeKind};
use crate::domain::access::Ctx;
use crate::error::AppResult;
use crate::model::messages::ThreadMessage;
use crate::server::entities::{card_messages, document_cards as cards};

/// Adds a message; call in a transaction that found the card within the caller's scope and
/// records the card's change (a move does it for the stage rule's message).
pub async fn insert(
    db: &impl ConnectionTrait,
    card: &cards::Model,
    author: Option<&Ctx>,
    body: &str,
    body_en: Option<&str>,
    now: DateTime<Utc>,
) -> AppResult<()> {
    message(card, author, body, body_en, now).insert(db).await?;
    Ok(())
}

/// The row `insert` adds, for a `WriteBatch`.
pub fn message(
    card: &cards::Model,
    author: Option<&Ctx>,
    body: &str,
    body_en: Option<&str>,
    now: DateTime<Utc>,
) -> card_messages::ActiveModel {
    card_messages::ActiveModel {
        card_id: Set(card.id),
        author_user_id: Set(author.map(|ctx| ctx.user_id)),
        from_supplier: Set(author.is_some_and(|ctx| !ctx.role.is_staff())),
        body: Set(body.to_owned()),
        body_en: Set(body_en.map(str::to_owned)),
        created_at: Set(now),
        ..Default::default()
    }
}

/// A person writes to the thread of card `card_id` (a supplier only on its own cards).
pub async fn post(
    ctx: &Ctx,
    db: &Db,
    card_id: i32,
    body: &str,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let txn = begin_write(db).await?;
    let card = super::card_in_scope(ctx, &txn, card_id).await?;
    insert(&txn, &card, Some(ctx), body, None, now).await?;
    changes::record(
        &txn,
        card.id,
        card.counterparty_id,
        ChangeKind::Message,
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The thread of a card the caller has already found within their scope, oldest first.
pub async fn thread_of_checked_card(
    db: &impl ConnectionTrait,
    card_id: i32,
) -> AppResult<Vec<ThreadMessage>> {
    let rows = card_messages::Entity::find()
        .filter(card_messages::Column::CardId.eq(card_id))
        .order_by_asc(card_messages::Column::Id)
        .all(db)
        .await?;
    let author_ids: Vec<i32> = rows.iter().filter_map(|m| m.author_user_id).collect();
    let authors = super::users::names(db, author_ids).await?;
    Ok(rows
        .into_iter()
        .map(|m| ThreadMessage {
            id: m.id,
            author: m.author_user_id.and_then(|id| authors.get(&id).cloned()),
            from_supplier: m.from_supplier,
            body: m.body,
            body_en: m.body_en,
            at: m.created_at,
        })
        .collect())
}
