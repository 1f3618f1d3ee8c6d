//! The background scheduler: jobs are rows, so nothing is lost on a restart, and any number of
//! app servers may run it. A job is claimed inside a write transaction (`FOR UPDATE SKIP
//! LOCKED` on PostgreSQL, so two servers never take the same one; SQLite has one writer at a
//! time), done in it and marked done in it: either all of it happens once, or none of it.
//! The task a job makes also has a unique key, the last guard against a second one.
use crate::server::db::Db;
use chrono::{DateTime, TimeDelta, Utc};
use sea_orm::sea_query::{Expr, LockBehavior, LockType, OnConflict, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseBackend, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

use super::begin_write;
use crate::domain::access::Role;
use crate::domain::lang::Lang;
use crate::domain::tasks::{TaskStatus, payment_reminder_title};
use crate::error::{AppError, AppResult};
use crate::server::entities::{scheduled_jobs as jobs, supplier_orders as orders, tasks};

pub const PAYMENT_REMINDER: &str = "payment_reminder";
/// How long a failed job waits before it is tried again.
const RETRY_AFTER_MINUTES: i64 = 5;

fn reminder_key(order_id: i32) -> String {
    format!("{PAYMENT_REMINDER}:order:{order_id}")
}

/// Schedules (or moves) the reminder of order `order_id` to `run_at`; call in the order's
/// transaction.
pub async fn schedule_payment_reminder(
    db: &impl ConnectionTrait,
    order_id: i32,
    run_at: DateTime<Utc>,
) -> AppResult<()> {
    schedule(db, PAYMENT_REMINDER, &reminder_key(order_id), run_at).await
}

/// Schedules job `kind` under its unique `key` at `run_at` (or moves it there, to run again);
/// call in the transaction of what it is about.
pub async fn schedule(
    db: &impl ConnectionTrait,
    kind: &str,
    key: &str,
    run_at: DateTime<Utc>,
) -> AppResult<()> {
    let done_at: Option<DateTime<Utc>> = None;
    let upsert = Query::insert()
        .into_table(jobs::Entity)
        .columns([
            jobs::Column::Kind,
            jobs::Column::Key,
            jobs::Column::RunAt,
            jobs::Column::Attempts,
        ])
        .values_panic([kind.into(), key.into(), run_at.into(), 0.into()])
        .on_conflict(
            OnConflict::column(jobs::Column::Key)
                .update_columns([jobs::Column::RunAt, jobs::Column::Attempts])
                .value(jobs::Column::DoneAt, Expr::value(done_at))
                .to_owned(),
        )
        .to_owned();
    db.execute(&upsert).await?;
    Ok(())
}

/// The order was paid (or lost its deadline): its reminder is no longer wanted.
pub async fn call_off_payment_reminder(
    db: &impl ConnectionTrait,
    order_id: i32,
    now: DateTime<Utc>,
) -> AppResult<()> {
    jobs::Entity::update_many()
        .col_expr(jobs::Column::DoneAt, Expr::value(now))
        .filter(jobs::Column::Key.eq(reminder_key(order_id)))
        .filter(jobs::Column::DoneAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// Runs every job due at `now`, one transaction each; returns how many were done. Letters'
/// links point at `public_url`.
pub async fn run_due(db: &Db, now: DateTime<Utc>, public_url: &str) -> AppResult<usize> {
    let mut done = 0;
    loop {
        let txn = begin_write(db).await?;
        let mut due = jobs::Entity::find()
            .filter(jobs::Column::DoneAt.is_null())
            .filter(jobs::Column::RunAt.lte(now))
            .order_by_asc(jobs::Column::RunAt)
            .order_by_asc(jobs::Column::Id)
            .limit(1);
        if db.get_database_backend() == DatabaseBackend::Postgres {
            due = due.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
        }
        let Some(job) = due.one(&txn).await? else {
            txn.commit().await?;
            return Ok(done);
        };
        match run(&txn, &job, now, public_url).await {
            Ok(()) => {
                jobs::Entity::update_many()
                    .col_expr(jobs::Column::DoneAt, Expr::value(now))
                    .col_expr(jobs::Column::Attempts, Expr::value(job.attempts + 1))
                    .filter(jobs::Column::Id.eq(job.id))
                    .exec(&txn)
                    .await?;
                txn.commit().await?;
                done += 1;
            }
            Err(error) => {
                txn.rollback().await?;
                tracing::error!(job = job.key, ?error, "scheduled job failed");
                let txn = begin_write(db).await?;
                jobs::Entity::update_many()
                    .col_expr(jobs::Column::Attempts, Expr::value(job.attempts + 1))
                    .col_expr(jobs::Column::LastError, Expr::value(error.to_string()))
                    .col_expr(
                        jobs::Column::RunAt,
                        Expr::value(now + TimeDelta::minutes(RETRY_AFTER_MINUTES)),
                    )
                    .filter(jobs::Column::Id.eq(job.id))
                    .exec(&txn)
                    .await?;
                txn.commit().await?;
                // The next jobs wait for the next tick rather than spin on this one.
                return Ok(done);
            }
        }
    }
}

async fn run(
    db: &super::WriteTxn,
    job: &jobs::Model,
    now: DateTime<Utc>,
    public_url: &str,
) -> AppResult<()> {
    match job.kind.as_str() {
        super::pipeline::payments::STEP_REMINDER | super::pipeline::payments::STEP_ESCALATION => {
            super::pipeline::payments::run_step_job(db, job, now, public_url).await
        }
        PAYMENT_REMINDER => {
            let order_id = job
                .key
                .rsplit(':')
                .next()
                .and_then(|id| id.parse().ok())
                .ok_or(AppError::Internal)?;
            make_payment_reminder(db, order_id, now).await
        }
        other => {
            tracing::error!(kind = other, "unknown job kind");
            Err(AppError::Internal)
        }
    }
}

/// The accountants' "Prepare payment for order №…" task, linked to the order, its contract and
/// deal, with its deadline; each accountant is notified. Nothing for a paid order.
async fn make_payment_reminder(
    db: &impl ConnectionTrait,
    order_id: i32,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let Some(order) = orders::Entity::find_by_id(order_id).one(db).await? else {
        return Ok(());
    };
    if order.paid_on.is_some() {
        return Ok(());
    }
    let number = order
        .number
        .clone()
        .unwrap_or_else(|| format!("#{}", order.id));
    let key = reminder_key(order.id);
    let insert = Query::insert()
        .into_table(tasks::Entity)
        .columns([
            tasks::Column::Title,
            tasks::Column::TitleEn,
            tasks::Column::Description,
            tasks::Column::AssigneeRole,
            tasks::Column::Deadline,
            tasks::Column::Status,
            tasks::Column::DealId,
            tasks::Column::OrderId,
            tasks::Column::ContractId,
            tasks::Column::DedupeKey,
            tasks::Column::CreatedAt,
        ])
        .values_panic([
            payment_reminder_title(Lang::Ru, &number).into(),
            payment_reminder_title(Lang::En, &number).into(),
            String::new().into(),
            Role::Accountant.code().into(),
            order.payment_deadline.into(),
            TaskStatus::Open.code().into(),
            order.deal_id.into(),
            Some(order.id).into(),
            Some(order.contract_id).into(),
            key.clone().into(),
            now.into(),
        ])
        .on_conflict(
            OnConflict::column(tasks::Column::DedupeKey)
                .do_nothing()
                .to_owned(),
        )
        .to_owned();
    let made = db.execute(&insert).await?;
    if made.rows_affected() == 0 {
        // Made before (another server, or a run that did not mark its job): nothing more.
        return Ok(());
    }
    let task = tasks::Entity::find()
        .filter(tasks::Column::DedupeKey.eq(key))
        .one(db)
        .await?
        .ok_or(AppError::Internal)?;
    super::tasks::notify_assignees(db, &task, now).await
}

/// How long sign-in failures are kept: far longer than any throttling window.
const KEEP_FAILURES: TimeDelta = TimeDelta::days(1);
/// How long a used or expired link is kept, to tell its opener what became of it.
const KEEP_SPENT_LINKS: TimeDelta = TimeDelta::days(30);
/// How often housekeeping runs on one server (any number may run it: it only deletes).
const HOUSEKEEPING_EVERY: TimeDelta = TimeDelta::hours(1);

/// What housekeeping removed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Purged {
    pub sessions: u64,
    pub failures: u64,
    pub links: u64,
}

/// Removes expired sessions, sign-in failures past any window and links long spent.
pub async fn housekeeping(db: &Db, now: DateTime<Utc>) -> AppResult<Purged> {
    let txn = begin_write(db).await?;
    let purged = Purged {
        sessions: super::sessions::purge_expired(&txn, now).await?,
        failures: super::throttle::purge_before(&txn, now - KEEP_FAILURES).await?,
        links: super::accounts::purge_spent_tokens(&txn, now - KEEP_SPENT_LINKS).await?,
    };
    txn.commit().await?;
    Ok(purged)
}

/// Runs the scheduler every `every` until the process ends (started by the server binary),
/// and housekeeping every hour.
pub async fn run_forever(db: Db, every: std::time::Duration, public_url: String) {
    let mut ticker = tokio::time::interval(every);
    let mut housekept: Option<DateTime<Utc>> = None;
    loop {
        ticker.tick().await;
        let now = Utc::now();
        if let Err(error) = run_due(&db, now, &public_url).await {
            tracing::error!(?error, "scheduler tick failed");
        }
        if housekept.is_none_or(|at| now - at >= HOUSEKEEPING_EVERY) {
            match housekeeping(&db, now).await {
                Ok(purged) => {
                    housekept = Some(now);
                    tracing::debug!(?purged, "housekeeping");
                }
                Err(error) => tracing::error!(?error, "housekeeping failed"),
            }
            // The admin's debtor rule, applied as debts fall due (a no-op while it is off).
            if let Err(error) = super::settlements::sweep(&db, now, now.date_naive()).await {
                tracing::error!(?error, "debtor rule sweep failed");
            }
        }
    }
}
