//! Stage moves of supplier document cards: the card as it is now, and the move itself guarded
//! by the version the mover saw. The stage event, the stage's rule (responsible person,
//! notifications in the app and by e-mail, the supplier's message), the change-feed row and the
//! audit line are written in the move's transaction.
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
};

use super::changes::{self, ChangeKind};
use super::{WriteBatch, audit, begin_write};
use crate::domain::access::{Ctx, Role};
use crate::domain::accounts::Letter;
use crate::domain::lang::Lang;
use crate::domain::moves::StageEntry;
use crate::domain::stage::DocumentStage;
use crate::domain::stage_rules::{
    Responsible, notification_letter, notification_text, responsible_after, supplier_message,
};
use crate::error::{AppError, AppResult};
use crate::model::moves::MovedCard;
use crate::server::entities::{counterparties, document_cards as cards, stages, users};

/// A card as a move sees it.
pub struct CurrentCard {
    pub id: i32,
    pub stage: DocumentStage,
    pub stage_id: i32,
    /// The row as read; the move's version guard makes sure it is still so when it writes.
    pub row: cards::Model,
    /// The stage's row (its names) and the counterparty's name, for the notifications.
    pub stage_row: stages::Model,
    pub counterparty_name: String,
}

/// The card `ctx` may see, with its stage and counterparty, in one query: moves are the
/// board's busiest writes, and each round trip to the database counts under load.
pub async fn current(ctx: &Ctx, db: &DatabaseConnection, card_id: i32) -> AppResult<CurrentCard> {
    let (card, stage_row, counterparty) = super::find_card_in_scope(ctx, card_id)
        .find_also_related(stages::Entity)
        .find_also_related(counterparties::Entity)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let stage_row = stage_row.ok_or(AppError::Internal)?;
    let stage = DocumentStage::from_code(&stage_row.code).ok_or(AppError::Internal)?;
    Ok(CurrentCard {
        id: card.id,
        stage,
        stage_id: card.stage_id,
        row: card,
        stage_row,
        counterparty_name: counterparty.map(|c| c.name).unwrap_or_default(),
    })
}

async fn active_staff_of_role(
    db: &impl ConnectionTrait,
    role: Role,
) -> AppResult<Vec<users::Model>> {
    Ok(users::Entity::find()
        .filter(users::Column::Role.eq(role.code()))
        .filter(users::Column::Active.eq(true))
        .order_by_asc(users::Column::Id)
        .all(db)
        .await?)
}

/// What a staff member is told: who, at which address, the notification, the letter.
type Notice = (i32, String, String, Letter);

/// What each recipient is told of the card entering `stage`, each in their language.
fn notices_for(
    recipients: &[users::Model],
    card: &CurrentCard,
    stage: &stages::Model,
    public_url: &str,
) -> Vec<Notice> {
    let link = format!("{public_url}/staff/documents/{}", card.id);
    recipients
        .iter()
        .map(|user| {
            let lang = user
                .locale
                .as_deref()
                .and_then(Lang::from_code)
                .unwrap_or(Lang::Ru);
            let stage_name = match lang {
                Lang::Ru => &stage.name_ru,
                Lang::En => &stage.name_en,
            };
            let text = notification_text(
                lang,
                &card.row.invoice_number,
                &card.counterparty_name,
                stage_name,
            );
            let letter = notification_letter(lang, &text, &link);
            (user.id, user.email.clone(), text, letter)
        })
        .collect()
}

/// Adds the notifications and their letters to the change's batch.
fn add_notices(batch: &mut WriteBatch, notices: &[Notice], card_id: i32, now: DateTime<Utc>) {
    for (user_id, email, text, letter) in notices {
        batch.insert(super::notifications::notification(
            *user_id,
            Some(card_id),
            text,
            now,
        ));
        batch.insert(super::accounts::queued_letter(email, letter, now));
    }
}

/// Moves the card; `Conflict` when it changed since `seen_version`. The caller wakes the live
/// streams after it returns.
#[allow(clippy::too_many_arguments)]
pub async fn apply(
    ctx: &Ctx,
    db: &DatabaseConnection,
    card: &CurrentCard,
    to: DocumentStage,
    seen_version: i32,
    entry: &StageEntry,
    now: DateTime<Utc>,
    public_url: &str,
) -> AppResult<MovedCard> {
    ctx.require_staff()?;
    // Everything the move needs to know is read first: the write transaction (one writer at a
    // time on SQLite) then only writes, and its version guard refuses a card changed meanwhile.
    let row = &card.row;
    if row.version != seen_version {
        return Err(AppError::Conflict);
    }
    let (target, rule) = super::stage_rules::stage_with_rule(db, to).await?;
    // The role told is most often the role made responsible: its staff are read once.
    let notified_staff = match rule.notify_role {
        Some(role) => active_staff_of_role(db, role).await?,
        None => Vec::new(),
    };
    let first_of_role = match &rule.responsible {
        Responsible::Role(role) if ctx.role != *role => {
            if rule.notify_role == Some(*role) {
                notified_staff.first().map(|u| u.id)
            } else {
                active_staff_of_role(db, *role).await?.first().map(|u| u.id)
            }
        }
        _ => None,
    };
    let responsible = responsible_after(
        &rule.responsible,
        (ctx.user_id, ctx.role),
        row.responsible_user_id,
        first_of_role,
    );
    let mut recipients = notified_staff;
    if rule.notify_responsible
        && let Some(id) = responsible
        && !recipients.iter().any(|u| u.id == id)
        && let Some(user) = users::Entity::find_by_id(id).one(db).await?
        && user.active
    {
        recipients.push(user);
    }
    // Nobody is told of their own move.
    recipients.retain(|u| u.id != ctx.user_id);
    let notices = notices_for(&recipients, card, &target, public_url);
    let message = supplier_message(&rule, entry.return_comment.as_deref());

    let txn = begin_write(db).await?;
    let mut update = cards::Entity::update_many()
        .col_expr(cards::Column::StageId, Expr::value(target.id))
        .col_expr(cards::Column::StageEnteredAt, Expr::value(now))
        .col_expr(cards::Column::Version, Expr::value(seen_version + 1))
        .col_expr(cards::Column::ResponsibleUserId, Expr::value(responsible));
    if let Some(date) = entry.planned_payment_date {
        update = update.col_expr(cards::Column::PlannedPaymentDate, Expr::value(date));
    }
    if let Some(date) = entry.paid_date {
        update = update.col_expr(cards::Column::PaidDate, Expr::value(date));
    }
    if let Some(comment) = &entry.return_comment {
        update = update.col_expr(cards::Column::ReturnComment, Expr::value(comment.clone()));
    }
    // The version guard holds on PostgreSQL too, where the read above takes no lock.
    let moved = update
        .filter(cards::Column::Id.eq(card.id))
        .filter(cards::Column::StageId.eq(card.stage_id))
        .filter(cards::Column::Version.eq(seen_version))
        .exec(&txn)
        .await?;
    if moved.rows_affected != 1 {
        return Err(AppError::Conflict);
    }
    // What the move adds goes in one batch: each round trip here holds SQLite's one writer.
    let mut batch = WriteBatch::new(&txn);
    batch.insert(super::stages::event(
        card.id,
        Some(card.stage_id),
        target.id,
        ctx.user_id,
        entry.return_comment.clone(),
        now,
    ));
    if let Some((ru, en)) = &message {
        batch.insert(super::messages::message(row, None, ru, Some(en), now));
    }
    add_notices(&mut batch, &notices, card.id, now);
    batch.insert(changes::change(
        card.id,
        row.counterparty_id,
        ChangeKind::Moved,
        None,
        now,
    ));
    batch.insert(audit::line(
        Some(ctx.user_id),
        "document_moved",
        &format!("card {} {} -> {}", card.id, card.stage.code(), to.code()),
    ));
    batch.run(&txn).await?;
    txn.commit().await?;
    Ok(MovedCard {
        card_id: card.id,
        stage: to.code().to_owned(),
        version: seen_version + 1,
    })
}

/// Makes `user_id` (a staff member) responsible for the card; audited, and told to them.
pub async fn assign(
    ctx: &Ctx,
    db: &DatabaseConnection,
    card_id: i32,
    user_id: i32,
    now: DateTime<Utc>,
    public_url: &str,
) -> AppResult<()> {
    ctx.require_staff()?;
    let current = current(ctx, db, card_id).await?;
    let card = &current.row;
    let user = users::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .filter(|u| u.active && Role::from_code(&u.role).is_some_and(Role::is_staff))
        .ok_or_else(|| AppError::Invalid {
            field: "user_id".to_owned(),
            problem: "not an active staff member".to_owned(),
        })?;
    let notices = if user.id == ctx.user_id {
        Vec::new()
    } else {
        notices_for(
            std::slice::from_ref(&user),
            &current,
            &current.stage_row,
            public_url,
        )
    };
    let txn = begin_write(db).await?;
    // Guarded by the version read: an assignment never overwrites a change made meanwhile.
    let assigned = cards::Entity::update_many()
        .col_expr(cards::Column::ResponsibleUserId, Expr::value(Some(user.id)))
        .col_expr(cards::Column::Version, Expr::value(card.version + 1))
        .filter(cards::Column::Id.eq(card.id))
        .filter(cards::Column::Version.eq(card.version))
        .exec(&txn)
        .await?;
    if assigned.rows_affected != 1 {
        return Err(AppError::Conflict);
    }
    let mut batch = WriteBatch::new(&txn);
    add_notices(&mut batch, &notices, card.id, now);
    batch.insert(changes::change(
        card.id,
        card.counterparty_id,
        ChangeKind::Assigned,
        Some((ctx.user_id, super::users::full_name(&user))),
        now,
    ));
    batch.insert(audit::line(
        Some(ctx.user_id),
        "document_assigned",
        &format!(
            "card {} responsible {:?} -> {}",
            card.id, card.responsible_user_id, user.id
        ),
    ));
    batch.run(&txn).await?;
    txn.commit().await?;
    Ok(())
}
