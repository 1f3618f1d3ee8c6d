//! The one move of any pipeline's card, in one write transaction: scope check, version guard,
//! the entry rule, the stage event, the stage's rule (responsible person, notifications in the
//! app and by e-mail, the supplier's message), the pipeline's own effects, the change-feed row
//! and the audit line. The caller wakes the live streams after it returns.
use crate::server::db::Db;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use super::{Common, Head, PipelineDef, StageEvent};
use crate::domain::access::{Ctx, Role};
use crate::domain::accounts::Letter;
use crate::domain::clock::Now;
use crate::domain::lang::Lang;
use crate::domain::moves::MoveRequest;
use crate::domain::pipeline::{Pipeline, StageSet};
use crate::domain::stage_rules::{
    Responsible, StageRule, notification_letter, notification_text, responsible_after,
    supplier_message,
};
use crate::error::{AppError, AppResult};
use crate::model::moves::MovedCard;
use crate::server::entities::{stage_rules, stages, users};
use crate::server::repo::changes::{self, ChangeKind};
use crate::server::repo::{WriteBatch, WriteTxn, audit, begin_write};

/// The counterparty a change is told to: only on pipelines whose cards are the supplier's (a
/// payment request names one, but its supplier's live pages must not hear of it).
pub fn supplier_of<P: PipelineDef>(head: &Head) -> Option<i32> {
    head.counterparty_id.filter(|_| P::PIPELINE.has_supplier())
}

/// Row `id` of the pipeline if `ctx` may see it; another counterparty's is "not found",
/// exactly like a missing one.
pub async fn row_in_scope<P: PipelineDef>(
    ctx: &Ctx,
    db: &impl ConnectionTrait,
    id: i32,
) -> AppResult<P::Row> {
    P::Entity::find()
        .filter(P::column(Common::Id).eq(id))
        .filter(P::scope(ctx))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// The stage rows of the pipeline with their rules (the stored one, else the stage's default),
/// in board order.
pub async fn stages_with_rules(
    db: &impl ConnectionTrait,
    pipeline: Pipeline,
) -> AppResult<Vec<(stages::Model, StageRule)>> {
    let rows = stages::Entity::find()
        .filter(stages::Column::Pipeline.eq(pipeline.code()))
        .find_also_related(stage_rules::Entity)
        .order_by_asc(stages::Column::Position)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(stage, rule)| {
            let rule = rule
                .as_ref()
                .and_then(crate::server::repo::stage_rules::rule_of)
                .unwrap_or_else(|| pipeline.default_rule(&stage.code));
            (stage, rule)
        })
        .collect())
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

/// The language a user reads their notices in: their setting, else Russian.
pub fn lang_of(user: &users::Model) -> Lang {
    user.locale
        .as_deref()
        .and_then(Lang::from_code)
        .unwrap_or(Lang::Ru)
}

/// What a staff member is told: who, at which address, the notification, the letter.
pub type Notice = (i32, String, String, Letter);

/// What a card is called in a notice: its number and whom it is with.
pub struct CardLabel {
    pub pipeline: Pipeline,
    pub id: i32,
    pub number: String,
    pub party: String,
}

/// What each recipient is told of the card entering `stage`, each in their language.
pub fn notices_for(
    recipients: &[users::Model],
    card: &CardLabel,
    stage: &stages::Model,
    public_url: &str,
) -> Vec<Notice> {
    let link = format!("{public_url}{}", card.pipeline.card_path(card.id));
    recipients
        .iter()
        .map(|user| {
            let lang = lang_of(user);
            let stage_name = match lang {
                Lang::Ru => &stage.name_ru,
                Lang::En => &stage.name_en,
            };
            let text = notification_text(
                lang,
                card.pipeline.info().card_noun,
                &card.number,
                &card.party,
                stage_name,
            );
            let letter = notification_letter(lang, &text, &link);
            (user.id, user.email.clone(), text, letter)
        })
        .collect()
}

/// Adds the notifications and their letters to the change's batch.
pub fn add_notices(
    batch: &mut WriteBatch,
    notices: &[Notice],
    pipeline: Pipeline,
    card_id: i32,
    now: DateTime<Utc>,
) {
    for (user_id, email, text, letter) in notices {
        batch.insert(crate::server::repo::notifications::notification(
            *user_id,
            pipeline,
            Some(card_id),
            text,
            now,
        ));
        batch.insert(crate::server::repo::accounts::queued_letter(
            email, letter, now,
        ));
    }
}

/// The active supplier users of a counterparty, with their languages (a letter tells them).
pub(crate) async fn supplier_addresses(
    db: &impl ConnectionTrait,
    counterparty_id: Option<i32>,
) -> AppResult<Vec<(String, Lang)>> {
    let Some(counterparty_id) = counterparty_id else {
        return Ok(Vec::new());
    };
    Ok(users::Entity::find()
        .filter(users::Column::CounterpartyId.eq(counterparty_id))
        .filter(users::Column::Role.eq(Role::Supplier.code()))
        .filter(users::Column::Active.eq(true))
        .order_by_asc(users::Column::Id)
        .all(db)
        .await?
        .iter()
        .map(|u| (u.email.clone(), lang_of(u)))
        .collect())
}

/// The label of a card in notices: its board number and whom it is with.
async fn label_of<P: PipelineDef>(
    db: &impl ConnectionTrait,
    row: &P::Row,
    head: &Head,
    stage: P::Stage,
    now: Now,
) -> AppResult<CardLabel> {
    let face = P::face(row, stage, now.today());
    let party = match face.party {
        Some(party) => party,
        None => match head.counterparty_id {
            Some(id) => crate::server::repo::counterparties::names(db, vec![id])
                .await?
                .remove(&id)
                .unwrap_or_default(),
            None => String::new(),
        },
    };
    Ok(CardLabel {
        pipeline: P::PIPELINE,
        id: head.id,
        number: face.number,
        party,
    })
}

/// A move read and checked, waiting to be written (`write_move`) in a write transaction.
pub struct PlannedMove<P: PipelineDef> {
    row: P::Row,
    head: Head,
    from: P::Stage,
    to: P::Stage,
    target_id: i32,
    seen_version: i32,
    entry: P::Entry,
    prepared: P::Prepared,
    responsible: Option<i32>,
    comment: Option<String>,
    message: Option<(String, String)>,
    notices: Vec<Notice>,
    supplier_emails: Vec<(String, Lang)>,
}

/// Moves card `id`, last seen at `seen_version`, to stage `to`; `Conflict` when it changed
/// meanwhile. Everything the move needs to know is read first: the write transaction (one
/// writer at a time on SQLite) then only writes, and its version guard refuses a card changed
/// meanwhile.
#[allow(clippy::too_many_arguments)]
pub async fn move_card<P: PipelineDef>(
    ctx: &Ctx,
    db: &Db,
    id: i32,
    to: &str,
    seen_version: i32,
    request: &MoveRequest,
    now: Now,
    public_url: &str,
) -> AppResult<MovedCard> {
    let planned = plan_move::<P>(ctx, db, id, to, seen_version, request, now, public_url).await?;
    let txn = begin_write(db).await?;
    let moved = write_move(&txn, ctx, planned, now).await?;
    txn.commit().await?;
    Ok(moved)
}

/// The reading half of a move: scope, entry rule, version, the stage's rule and the
/// pipeline's own preparation. Another pipeline's move may carry it (a paid request moves its
/// supplier document in its own transaction).
#[allow(clippy::too_many_arguments)]
pub async fn plan_move<P: PipelineDef>(
    ctx: &Ctx,
    db: &Db,
    id: i32,
    to: &str,
    seen_version: i32,
    request: &MoveRequest,
    now: Now,
    public_url: &str,
) -> AppResult<PlannedMove<P>> {
    ctx.require_staff()?;
    let to = P::Stage::from_code(to).ok_or_else(|| crate::error::unknown("to"))?;
    let row = row_in_scope::<P>(ctx, db, id).await?;
    let head = P::head(&row);
    let stages = stages_with_rules(db, P::PIPELINE).await?;
    let from_row = stages
        .iter()
        .find(|(s, _)| s.id == head.stage_id)
        .map(|(s, _)| s)
        .ok_or(AppError::Internal)?;
    let from = P::Stage::from_code(&from_row.code).ok_or_else(|| {
        tracing::error!(card = id, stage = %from_row.code, "card in an unknown stage");
        AppError::Internal
    })?;
    let entry = P::check_entry(ctx.role, from, to, request, now.today())?;
    if head.version != seen_version {
        return Err(AppError::Conflict);
    }
    let (target, rule) = stages
        .iter()
        .find(|(s, _)| s.code == to.code())
        .ok_or_else(|| crate::server::repo::stages::missing_stage(to.code()))?;

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
    let prepared = P::prepare(ctx, db, &row, to, &entry, now, public_url).await?;
    let responsible = P::responsible(&prepared).or(responsible_after(
        &rule.responsible,
        (ctx.user_id, ctx.role),
        head.responsible_user_id,
        first_of_role,
    ));
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
    let comment = P::entry_comment(&entry);
    let message = if P::PIPELINE.has_supplier() {
        supplier_message(rule, comment.as_deref())
    } else {
        None
    };
    let notices = if recipients.is_empty() {
        Vec::new()
    } else {
        let label = label_of::<P>(db, &row, &head, to, now).await?;
        notices_for(&recipients, &label, target, public_url)
    };
    let supplier_emails = match &message {
        Some(_) if P::MESSAGES_BY_LETTER => supplier_addresses(db, head.counterparty_id).await?,
        _ => Vec::new(),
    };
    Ok(PlannedMove {
        row,
        head,
        from,
        to,
        target_id: target.id,
        seen_version,
        entry,
        prepared,
        responsible,
        comment,
        message,
        notices,
        supplier_emails,
    })
}

/// The writing half of a move, in the caller's transaction (not committed here).
pub async fn write_move<P: PipelineDef>(
    txn: &WriteTxn,
    ctx: &Ctx,
    planned: PlannedMove<P>,
    now: Now,
) -> AppResult<MovedCard> {
    let PlannedMove {
        row,
        head,
        from,
        to,
        target_id,
        seen_version,
        entry,
        prepared,
        responsible,
        comment,
        message,
        notices,
        supplier_emails,
    } = planned;
    let id = head.id;
    let mut update = P::Entity::update_many()
        .col_expr(P::column(Common::StageId), Expr::value(target_id))
        .col_expr(P::column(Common::StageEnteredAt), Expr::value(now.at))
        .col_expr(P::column(Common::Version), Expr::value(seen_version + 1))
        .col_expr(
            P::column(Common::ResponsibleUserId),
            Expr::value(responsible),
        );
    for (column, value) in P::entry_writes(&row, &entry, &prepared) {
        update = update.col_expr(column, Expr::value(value));
    }
    // The version guard holds on PostgreSQL too, where the read above takes no lock.
    let moved = update
        .filter(P::column(Common::Id).eq(id))
        .filter(P::column(Common::StageId).eq(head.stage_id))
        .filter(P::column(Common::Version).eq(seen_version))
        .exec(txn)
        .await?;
    if moved.rows_affected != 1 {
        return Err(AppError::Conflict);
    }
    let settlement = P::settlement(&row, to, &entry, &prepared);
    let extra = P::on_entry(txn, ctx, &row, to, prepared, now).await?;
    if let Some(settlement) = &settlement {
        crate::server::repo::ledger::settle(txn, ctx.user_id, settlement, now).await?;
    }
    // What the move adds goes in one batch: each round trip here holds SQLite's one writer.
    let mut batch = WriteBatch::new(txn);
    P::add_event(
        &mut batch,
        StageEvent {
            card_id: id,
            from: Some(head.stage_id),
            to: target_id,
            user_id: ctx.user_id,
            comment,
            at: now.at,
        },
    );
    if let Some(message) = &message {
        P::add_supplier_message(&mut batch, &row, message, &supplier_emails, now.at);
    }
    add_notices(&mut batch, &notices, P::PIPELINE, id, now.at);
    batch.insert(changes::change_in(
        P::PIPELINE,
        id,
        supplier_of::<P>(&head),
        ChangeKind::Moved,
        None,
        now.at,
    ));
    let mut detail = format!(
        "{} {id}: {} -> {}",
        P::PIPELINE.code(),
        from.code(),
        to.code()
    );
    if let Some(extra) = extra {
        detail.push_str(", ");
        detail.push_str(&extra);
    }
    batch.insert(audit::line(
        Some(ctx.user_id),
        P::PIPELINE.info().moved_action,
        &detail,
    ));
    batch.run(txn).await?;
    Ok(MovedCard {
        card_id: id,
        stage: to.stage_code(),
        version: seen_version + 1,
    })
}

/// Makes `user_id` (an active staff member) responsible for the card; told to them, in the
/// change feed, audited. Guarded by the version read: it never overwrites a change made
/// meanwhile.
pub async fn assign<P: PipelineDef>(
    ctx: &Ctx,
    db: &Db,
    id: i32,
    user_id: i32,
    now: Now,
    public_url: &str,
) -> AppResult<()> {
    ctx.require_staff()?;
    let row = row_in_scope::<P>(ctx, db, id).await?;
    let head = P::head(&row);
    let user = users::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .filter(|u| u.active && Role::from_code(&u.role).is_some_and(Role::is_staff))
        .ok_or_else(|| {
            crate::error::invalid("user_id", crate::domain::form::FieldError::NotStaff)
        })?;
    let notices = if user.id == ctx.user_id {
        Vec::new()
    } else {
        let all = crate::server::repo::stages::rows_of(db, P::PIPELINE.code()).await?;
        let stage_row = crate::server::repo::stages::row_by_id(&all, head.stage_id)?;
        let stage = P::Stage::from_code(&stage_row.code).ok_or(AppError::Internal)?;
        let label = label_of::<P>(db, &row, &head, stage, now).await?;
        notices_for(std::slice::from_ref(&user), &label, stage_row, public_url)
    };
    let txn = begin_write(db).await?;
    let assigned = P::Entity::update_many()
        .col_expr(
            P::column(Common::ResponsibleUserId),
            Expr::value(Some(user.id)),
        )
        .col_expr(P::column(Common::Version), Expr::value(head.version + 1))
        .filter(P::column(Common::Id).eq(id))
        .filter(P::column(Common::Version).eq(head.version))
        .exec(&txn)
        .await?;
    if assigned.rows_affected != 1 {
        return Err(AppError::Conflict);
    }
    let mut batch = WriteBatch::new(&txn);
    add_notices(&mut batch, &notices, P::PIPELINE, id, now.at);
    batch.insert(changes::change_in(
        P::PIPELINE,
        id,
        supplier_of::<P>(&head),
        ChangeKind::Assigned,
        Some((ctx.user_id, crate::server::repo::users::full_name(&user))),
        now.at,
    ));
    batch.insert(audit::line(
        Some(ctx.user_id),
        P::PIPELINE.info().assigned_action,
        &format!(
            "{} {id}: responsible {:?} -> {}",
            P::PIPELINE.code(),
            head.responsible_user_id,
            user.id
        ),
    ));
    batch.run(&txn).await?;
    txn.commit().await?;
    Ok(())
}
