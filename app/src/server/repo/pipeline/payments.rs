//! The payment-requests pipeline (заявки на оплату): a staff member's request to pay a
//! counterparty, approved up the org structure, then paid by accounting. Staff only; the
//! counterparty it names never hears of the request's moves (it sees the payment once made).
//!
//! The moves carry the chain: sending (draft or rework → approval) computes the chain from the
//! org structure at that moment and asks its first approver not covered by an earlier approval;
//! returning (→ rework) is the acting approver's rejection, with its comment; approval of the
//! last step (→ accounting) is theirs too. The steps in between are decided without a move
//! (`repo::payments::decide`), under the same version guard.
use crate::server::db::Db;
use chrono::{DateTime, Datelike, NaiveDate, TimeDelta, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};

use super::documents::Documents;
use super::moves::{Notice, PlannedMove, add_notices, plan_move, write_move};
use super::{Common, Face, Head, PipelineDef, StageEvent, Writes, counterparty_matches};
use crate::domain::access::{Ctx, Role};
use crate::domain::accounts::LetterFile;
use crate::domain::approvals::{
    ChainError, DEFAULT_STEP_WAIT_HOURS, Material, WorkCalendar, acting_approver, build_chain,
    escalation_times, on_resend,
};
use crate::domain::board::BoardFilter;
use crate::domain::clock::{CompanyZone, Now};
use crate::domain::counterparty::plausible_email;
use crate::domain::files::FileOwner;
use crate::domain::form::FieldError;
use crate::domain::lang::Lang;
use crate::domain::money::Money;
use crate::domain::moves::MoveRequest;
use crate::domain::payments::{
    self, PaymentEntry, PaymentLetter, PaymentStage, StepState, check_payment_move, next_to_ask,
    payment_letter, plan_round, request_number,
};
use crate::domain::pipeline::{MoveError, Pipeline};
use crate::domain::stage::DocumentStage;
use crate::error::{AppError, AppResult, invalid};
use crate::server::entities::{
    approval_steps as steps, cash_flow_items, counterparty_contacts, document_cards,
    email_outbox as outbox, item_files, payment_requests as requests, users,
};
use crate::server::repo::{WriteBatch, WriteTxn, contains_text};

pub struct Payments;

/// A step just asked: its place, and when it reminds and escalates if still undecided.
pub struct Asked {
    pub round: i32,
    pub position: i32,
    pub remind_at: DateTime<Utc>,
    pub escalate_at: DateTime<Utc>,
}

/// The scheduler's jobs of a step asked: remind its approver, then escalate.
pub const STEP_REMINDER: &str = "approval_reminder";
pub const STEP_ESCALATION: &str = "approval_escalation";

fn step_job_key(kind: &str, request_id: i32, round: i32, position: i32) -> String {
    format!("{kind}:{request_id}:{round}:{position}")
}

/// Schedules the reminder and the escalation of a step asked; in its transaction.
pub async fn schedule_step_jobs(
    db: &impl ConnectionTrait,
    request_id: i32,
    asked: &Asked,
) -> AppResult<()> {
    use crate::server::repo::scheduler::schedule;
    for (kind, at) in [
        (STEP_REMINDER, asked.remind_at),
        (STEP_ESCALATION, asked.escalate_at),
    ] {
        let key = step_job_key(kind, request_id, asked.round, asked.position);
        schedule(db, kind, &key, at).await?;
    }
    Ok(())
}

/// A step's job: when the step still waits, its approver is reminded, or (escalation) the
/// initiator and the approver's own manager are told. A step decided meanwhile needs nothing.
pub async fn run_step_job(
    txn: &WriteTxn,
    job: &crate::server::entities::scheduled_jobs::Model,
    now: DateTime<Utc>,
    public_url: &str,
) -> AppResult<()> {
    let mut parts = job.key.rsplitn(4, ':');
    let mut number = || -> AppResult<i32> {
        parts
            .next()
            .and_then(|p| p.parse().ok())
            .ok_or(AppError::Internal)
    };
    let (position, round, request_id) = (number()?, number()?, number()?);
    let Some(step) = steps::Entity::find()
        .filter(steps::Column::RequestId.eq(request_id))
        .filter(steps::Column::Round.eq(round))
        .filter(steps::Column::Position.eq(position))
        .one(txn)
        .await?
    else {
        return Ok(());
    };
    let Some(row) = requests::Entity::find_by_id(request_id).one(txn).await? else {
        return Ok(());
    };
    if state_of(&step)? != StepState::Pending || row.round != round {
        return Ok(());
    }
    let acting = acting_of(&step);
    let told = if job.kind == STEP_REMINDER {
        vec![(acting, payments::Notice::StillWaiting)]
    } else {
        let approver = user_name(txn, acting).await?;
        let org = crate::server::repo::org::chain_inputs(txn).await?.org;
        let mut told = vec![(
            row.initiator_user_id,
            payments::Notice::Stuck {
                approver: approver.clone(),
            },
        )];
        if let Some(manager) = org
            .line_manager(acting)
            .filter(|m| *m != row.initiator_user_id)
        {
            told.push((manager, payments::Notice::Stuck { approver }));
        }
        told
    };
    let notices = request_notices(txn, &told, &row, public_url).await?;
    let mut batch = WriteBatch::new(txn);
    add_notices(&mut batch, &notices, Pipeline::Payments, row.id, now);
    batch.insert(crate::server::repo::audit::line(
        None,
        if job.kind == STEP_REMINDER {
            "payment.step_reminded"
        } else {
            "payment.step_escalated"
        },
        &format!(
            "payment_requests {request_id}: round {round} step {position}, {} told",
            notices.len()
        ),
    ));
    batch.run(txn).await?;
    Ok(())
}

/// A step's decision, written in the move's transaction under a guard on its pending state.
pub struct Decided {
    pub step_id: i32,
    pub state: StepState,
    pub by: i32,
    pub comment: Option<String>,
    /// What an approval covered, as JSON, and its fingerprint.
    pub material: Option<(String, String)>,
}

/// What a move of a request does besides the stage.
#[derive(Default)]
pub struct Effects {
    responsible: Option<i32>,
    /// Sending: the new round's number and steps.
    round: Option<(i32, Vec<steps::ActiveModel>)>,
    /// Sending: the step asked, and when it reminds and escalates.
    asked: Option<Asked>,
    decision: Option<Decided>,
    /// The round's steps not yet asked end with a rejection.
    cancel_waiting: Option<i32>,
    notices: Vec<Notice>,
    /// Paying: the letter to the counterparty's contact, with the payment order.
    letter: Option<outbox::ActiveModel>,
    /// Paying: the supplier document the request started from, moved to paid with it.
    document: Option<PlannedMove<Documents>>,
    audit: String,
}

impl PipelineDef for Payments {
    const PIPELINE: Pipeline = Pipeline::Payments;
    const MESSAGES_BY_LETTER: bool = false;
    type Entity = requests::Entity;
    type Row = requests::Model;
    type Stage = PaymentStage;
    type Entry = PaymentEntry;
    type Prepared = Effects;

    fn column(common: Common) -> requests::Column {
        match common {
            Common::Id => requests::Column::Id,
            Common::StageId => requests::Column::StageId,
            Common::Version => requests::Column::Version,
            Common::StageEnteredAt => requests::Column::StageEnteredAt,
            Common::ResponsibleUserId => requests::Column::ResponsibleUserId,
            Common::AmountKopecks => requests::Column::AmountKopecks,
        }
    }

    fn head(row: &requests::Model) -> Head {
        Head {
            id: row.id,
            version: row.version,
            stage_id: row.stage_id,
            stage_entered_at: row.stage_entered_at,
            responsible_user_id: row.responsible_user_id,
            counterparty_id: Some(row.counterparty_id),
            amount: Money::from_kopecks(row.amount_kopecks),
        }
    }

    /// Staff's alone: a supplier reaches none.
    fn scope(ctx: &Ctx) -> Condition {
        if ctx.role.is_staff() {
            Condition::all()
        } else {
            Condition::all().add(Expr::cust("1 = 0"))
        }
    }

    /// The period is the pay-by date; the text is the purpose or the counterparty's.
    fn filtered(filter: &BoardFilter, _zone: CompanyZone) -> Condition {
        let mut condition = Condition::all();
        if let Some(id) = filter.counterparty_id {
            condition = condition.add(requests::Column::CounterpartyId.eq(id));
        }
        if let Some(from) = filter.from {
            condition = condition.add(requests::Column::PayBy.gte(from));
        }
        if let Some(to) = filter.to {
            condition = condition.add(requests::Column::PayBy.lte(to));
        }
        if let Some(text) = &filter.text {
            condition = condition.add(
                Condition::any()
                    .add(sea_orm::sea_query::ExprTrait::like(
                        Expr::cust("LOWER(payment_requests.purpose)"),
                        contains_text(text),
                    ))
                    .add(counterparty_matches(requests::Column::CounterpartyId, text)),
            );
        }
        condition
    }

    fn face(row: &requests::Model, stage: PaymentStage, today: NaiveDate) -> Face {
        Face {
            number: request_number(Lang::Ru, row.id),
            title: Some(row.purpose.clone()).filter(|p| !p.is_empty()),
            party: None,
            planned_payment_date: row.pay_by,
            returned: stage == PaymentStage::Rework,
            overdue: !matches!(stage, PaymentStage::Paid) && row.pay_by.is_some_and(|d| d < today),
            possible_duplicate: false,
        }
    }

    fn check_entry(
        role: Role,
        from: PaymentStage,
        to: PaymentStage,
        request: &MoveRequest,
        today: NaiveDate,
    ) -> Result<PaymentEntry, MoveError> {
        check_payment_move(role, from, to, request, today)
    }

    fn entry_comment(entry: &PaymentEntry) -> Option<String> {
        entry.comment.clone()
    }

    async fn prepare(
        ctx: &Ctx,
        db: &Db,
        row: &requests::Model,
        to: PaymentStage,
        entry: &PaymentEntry,
        now: Now,
        public_url: &str,
    ) -> AppResult<Effects> {
        match to {
            PaymentStage::Approval => plan_send(ctx, db, row, now, public_url).await,
            PaymentStage::Rework => {
                let (step, _) = pending_step_of(ctx, db, row).await?;
                let by = user_name(db, ctx.user_id).await?;
                let comment = entry.comment.clone().unwrap_or_default();
                let notices = request_notices(
                    db,
                    &[(
                        row.initiator_user_id,
                        payments::Notice::Returned {
                            by,
                            comment: comment.clone(),
                        },
                    )],
                    row,
                    public_url,
                )
                .await?;
                Ok(Effects {
                    responsible: Some(row.initiator_user_id),
                    decision: Some(Decided {
                        step_id: step.id,
                        state: StepState::Rejected,
                        by: ctx.user_id,
                        comment: Some(comment),
                        material: None,
                    }),
                    cancel_waiting: Some(row.round),
                    notices,
                    audit: format!("step {} rejected", step.position),
                    ..Effects::default()
                })
            }
            PaymentStage::Accounting => {
                let (step, left) = pending_step_of(ctx, db, row).await?;
                if left {
                    return Err(invalid("to", FieldError::ApproversLeft));
                }
                let material = material_of(db, row).await?;
                let notices = request_notices(
                    db,
                    &[(row.initiator_user_id, payments::Notice::FullyApproved)],
                    row,
                    public_url,
                )
                .await?;
                Ok(Effects {
                    decision: Some(Decided {
                        step_id: step.id,
                        state: StepState::Approved,
                        by: ctx.user_id,
                        comment: entry.comment.clone(),
                        material: Some(sealed(&material)?),
                    }),
                    notices,
                    audit: format!("step {} approved, last", step.position),
                    ..Effects::default()
                })
            }
            PaymentStage::Paid => plan_pay(ctx, db, row, entry, now, public_url).await,
            // Never entered by a move (`staff_can_enter`).
            PaymentStage::Draft => Err(AppError::Internal),
        }
    }

    fn responsible(effects: &Effects) -> Option<i32> {
        effects.responsible
    }

    fn entry_writes(
        _row: &requests::Model,
        entry: &PaymentEntry,
        effects: &Effects,
    ) -> Writes<requests::Entity> {
        let mut writes = Vec::new();
        if let Some((round, _)) = &effects.round {
            writes.push((requests::Column::Round, (*round).into()));
        }
        if let Some(on) = entry.paid_on {
            writes.push((requests::Column::PaidOn, Some(on).into()));
        }
        writes
    }

    async fn on_entry(
        txn: &WriteTxn,
        ctx: &Ctx,
        row: &requests::Model,
        _to: PaymentStage,
        effects: Effects,
        now: Now,
    ) -> AppResult<Option<String>> {
        if let Some(decision) = effects.decision {
            decide_step(txn, decision, now.at).await?;
        }
        if let Some(round) = effects.cancel_waiting {
            steps::Entity::update_many()
                .col_expr(
                    steps::Column::State,
                    Expr::value(StepState::Cancelled.code()),
                )
                .filter(steps::Column::RequestId.eq(row.id))
                .filter(steps::Column::Round.eq(round))
                .filter(steps::Column::State.eq(StepState::Waiting.code()))
                .exec(txn)
                .await?;
        }
        if let Some(document) = effects.document {
            write_move(txn, ctx, document, now).await?;
        }
        if let Some(asked) = &effects.asked {
            schedule_step_jobs(txn, row.id, asked).await?;
        }
        let mut batch = WriteBatch::new(txn);
        if let Some(letter) = effects.letter {
            batch.insert(letter);
        }
        if let Some((_, new_steps)) = effects.round {
            for step in new_steps {
                batch.insert(step);
            }
        }
        add_notices(
            &mut batch,
            &effects.notices,
            Pipeline::Payments,
            row.id,
            now.at,
        );
        batch.run(txn).await?;
        Ok(Some(effects.audit))
    }

    fn add_event(batch: &mut WriteBatch, event: StageEvent) {
        batch.insert(crate::server::repo::stages::pipeline_event(
            Pipeline::Payments,
            event,
        ));
    }

    fn add_supplier_message(
        _batch: &mut WriteBatch,
        _row: &requests::Model,
        _message: &(String, String),
        _supplier_emails: &[(String, Lang)],
        _now: DateTime<Utc>,
    ) {
    }
}

/// Writes a step's decision; `Conflict` when it is no longer pending (decided meanwhile).
pub async fn decide_step(
    db: &impl ConnectionTrait,
    decision: Decided,
    at: DateTime<Utc>,
) -> AppResult<()> {
    let (material, fingerprint) = decision.material.unzip();
    let decided = steps::Entity::update_many()
        .col_expr(steps::Column::State, Expr::value(decision.state.code()))
        .col_expr(steps::Column::Comment, Expr::value(decision.comment))
        .col_expr(steps::Column::DecidedAt, Expr::value(Some(at)))
        .col_expr(steps::Column::DecidedBy, Expr::value(Some(decision.by)))
        .col_expr(steps::Column::Material, Expr::value(material))
        .col_expr(steps::Column::Fingerprint, Expr::value(fingerprint))
        .filter(steps::Column::Id.eq(decision.step_id))
        .filter(steps::Column::State.eq(StepState::Pending.code()))
        .exec(db)
        .await?;
    if decided.rows_affected != 1 {
        return Err(AppError::Conflict);
    }
    Ok(())
}

/// The steps of round `round` of request `id`, in chain order.
pub async fn round_steps(
    db: &impl ConnectionTrait,
    id: i32,
    round: i32,
) -> AppResult<Vec<steps::Model>> {
    Ok(steps::Entity::find()
        .filter(steps::Column::RequestId.eq(id))
        .filter(steps::Column::Round.eq(round))
        .order_by_asc(steps::Column::Position)
        .all(db)
        .await?)
}

/// Who decides a step: its acting approver (the deputy, when it fell on one).
pub fn acting_of(step: &steps::Model) -> i32 {
    step.acting_user_id.unwrap_or(step.approver_user_id)
}

pub fn state_of(step: &steps::Model) -> AppResult<StepState> {
    StepState::from_code(&step.state).ok_or_else(|| {
        tracing::error!(step = step.id, state = %step.state, "unknown step state stored");
        AppError::Internal
    })
}

/// The pending step of the request's round when `ctx` is the one to decide it, and whether
/// steps remain after it; another's step is `Forbidden`, one decided meanwhile a `Conflict`.
pub async fn pending_step_of(
    ctx: &Ctx,
    db: &impl ConnectionTrait,
    row: &requests::Model,
) -> AppResult<(steps::Model, bool)> {
    let all = round_steps(db, row.id, row.round).await?;
    let states = all.iter().map(state_of).collect::<AppResult<Vec<_>>>()?;
    let at = states
        .iter()
        .position(|s| *s == StepState::Pending)
        .ok_or(AppError::Conflict)?;
    let step = all[at].clone();
    if acting_of(&step) != ctx.user_id {
        // Decided meanwhile (the steps were read after another decision committed): the
        // request the caller saw is stale, which is a conflict, not another's step.
        let now = requests::Entity::find_by_id(row.id).one(db).await?;
        if now.is_none_or(|r| r.version != row.version) {
            return Err(AppError::Conflict);
        }
        return Err(AppError::Forbidden);
    }
    Ok((step, next_to_ask(&states, at).is_some()))
}

/// What an approval covers now: the request's material fields and its files' hashes.
pub async fn material_of(db: &impl ConnectionTrait, row: &requests::Model) -> AppResult<Material> {
    let counterparty_name =
        crate::server::repo::counterparties::names(db, vec![row.counterparty_id])
            .await?
            .remove(&row.counterparty_id)
            .unwrap_or_default();
    let item = cash_flow_items::Entity::find_by_id(row.cash_flow_item_id)
        .one(db)
        .await?;
    let files = item_files::Entity::find()
        .filter(item_files::Column::OwnerKind.is_in([
            FileOwner::PaymentInvoice.code(),
            FileOwner::PaymentRequest.code(),
        ]))
        .filter(item_files::Column::OwnerId.eq(row.id))
        .order_by_asc(item_files::Column::Id)
        .all(db)
        .await?;
    Ok(Material {
        counterparty_id: row.counterparty_id,
        counterparty_name,
        amount: Money::from_kopecks(row.amount_kopecks),
        pay_by: row.pay_by,
        urgent: row.urgent,
        cash_flow_item_id: row.cash_flow_item_id,
        cash_flow_item_name: item
            .map(|i| format!("{} {}", i.code, i.name))
            .unwrap_or_default(),
        in_budget: row.in_budget,
        files: files
            .into_iter()
            .map(|f| (f.sha256, f.original_name))
            .collect(),
    })
}

/// The material as an approval stores it: JSON, and the SHA-256 of its canonical text.
pub fn sealed(material: &Material) -> AppResult<(String, String)> {
    use sha2::{Digest, Sha256};
    let json = serde_json::to_string(material).map_err(|_| AppError::Internal)?;
    let digest = Sha256::digest(material.canonical().as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    Ok((json, hex))
}

/// A user's full name, or nothing for an unknown id.
pub async fn user_name(db: &impl ConnectionTrait, id: i32) -> AppResult<String> {
    Ok(crate::server::repo::users::names(db, vec![id])
        .await?
        .remove(&id)
        .unwrap_or_default())
}

/// What each recipient is told of the request, in their language, in the app and by letter.
pub async fn request_notices(
    db: &impl ConnectionTrait,
    told: &[(i32, payments::Notice)],
    row: &requests::Model,
    public_url: &str,
) -> AppResult<Vec<Notice>> {
    let users =
        crate::server::repo::users::by_ids(db, told.iter().map(|(id, _)| *id).collect()).await?;
    let counterparty = crate::server::repo::counterparties::names(db, vec![row.counterparty_id])
        .await?
        .remove(&row.counterparty_id)
        .unwrap_or_default();
    let link = format!("{public_url}{}", Pipeline::Payments.card_path(row.id));
    let amount = Money::from_kopecks(row.amount_kopecks);
    Ok(told
        .iter()
        .filter_map(|(id, notice)| {
            let user: &users::Model = users.get(id).filter(|u| u.active)?;
            let lang = super::moves::lang_of(user);
            let text = payments::notice_text(lang, notice, row.id, &counterparty, amount);
            let letter = crate::domain::stage_rules::notification_letter(lang, &text, &link);
            Some((user.id, user.email.clone(), text, letter))
        })
        .collect())
}

/// When a step asked at `at` reminds and escalates: 8 working hours and twice that, on the
/// company's working calendar.
pub fn step_deadlines(at: DateTime<Utc>, zone: CompanyZone) -> (DateTime<Utc>, DateTime<Utc>) {
    let local = zone.local(at);
    let year = local.date().year();
    let calendar = WorkCalendar::russian([year, year + 1]);
    let (remind, escalate) = escalation_times(
        &calendar,
        local,
        TimeDelta::hours(DEFAULT_STEP_WAIT_HOURS.into()),
    );
    let utc = |local: chrono::NaiveDateTime| {
        DateTime::<Utc>::from_naive_utc_and_offset(local, Utc)
            - TimeDelta::minutes(zone.offset_minutes().into())
    };
    (utc(remind), utc(escalate))
}

/// Sending: the initiator's, with the invoice attached; the chain from the org structure now,
/// each step skipped when its approver's last decision approved exactly this.
async fn plan_send(
    ctx: &Ctx,
    db: &Db,
    row: &requests::Model,
    now: Now,
    public_url: &str,
) -> AppResult<Effects> {
    if ctx.user_id != row.initiator_user_id {
        return Err(AppError::Forbidden);
    }
    let invoices = item_files::Entity::find()
        .filter(item_files::Column::OwnerKind.eq(FileOwner::PaymentInvoice.code()))
        .filter(item_files::Column::OwnerId.eq(row.id))
        .one(db)
        .await?;
    if invoices.is_none() {
        return Err(invalid("invoice", FieldError::Required));
    }
    let inputs = crate::server::repo::org::chain_inputs(db).await?;
    let chain = build_chain(
        &inputs.org,
        row.initiator_user_id,
        Money::from_kopecks(row.amount_kopecks),
        row.cash_flow_item_id,
        &inputs.rules,
    )
    .map_err(|e| match e {
        ChainError::NoApprover { .. } => invalid("to", FieldError::NoApprover),
        ChainError::Cycle { .. } => invalid("to", FieldError::OrgLoop),
    })?;
    let material = material_of(db, row).await?;
    let approved = earlier_approvals(db, row.id).await?;
    let today = now.today();
    let planned = plan_round(
        &chain,
        on_resend(&chain, &approved, &material),
        |approver| acting_approver(approver, row.initiator_user_id, &inputs.deputies, today),
    );
    let round = row.round + 1;
    let (remind_at, escalate_at) = step_deadlines(now.at, now.zone);
    let sealed_now = sealed(&material)?;
    let mut pending = None;
    let mut asked_step = None;
    let mut new_steps = Vec::new();
    for (position, step) in planned.iter().enumerate() {
        let asked = step.state == StepState::Pending;
        if asked {
            pending = Some(step.acting_user_id);
            asked_step = Some(Asked {
                round,
                position: position as i32,
                remind_at,
                escalate_at,
            });
        }
        let skipped = step.state == StepState::Skipped;
        new_steps.push(steps::ActiveModel {
            request_id: Set(row.id),
            round: Set(round),
            position: Set(position as i32),
            approver_user_id: Set(step.approver_user_id),
            acting_user_id: Set(Some(step.acting_user_id)),
            reason: Set(step.reason.code().to_owned()),
            state: Set(step.state.code().to_owned()),
            comment: Set(None),
            decided_at: Set(skipped.then_some(now.at)),
            decided_by: Set(None),
            activated_at: Set(asked.then_some(now.at)),
            remind_at: Set(asked.then_some(remind_at)),
            escalate_at: Set(asked.then_some(escalate_at)),
            material: Set(skipped.then(|| sealed_now.0.clone())),
            fingerprint: Set(skipped.then(|| sealed_now.1.clone())),
            changes: Set(if step.changes.is_empty() {
                None
            } else {
                serde_json::to_string(&step.changes).ok()
            }),
            ..Default::default()
        });
    }
    let pending = pending.ok_or(AppError::Internal)?;
    let notices = request_notices(
        db,
        &[(pending, payments::Notice::YourTurn)],
        row,
        public_url,
    )
    .await?;
    let skipped = planned
        .iter()
        .filter(|s| s.state == StepState::Skipped)
        .count();
    Ok(Effects {
        responsible: Some(pending),
        audit: format!(
            "round {round}: {} step(s), {skipped} skipped",
            planned.len()
        ),
        round: Some((round, new_steps)),
        asked: asked_step,
        notices,
        ..Effects::default()
    })
}

/// Each approver's approval that still stands: their last decision on this request, when it
/// was an approval (or a skip on one), with what it covered.
async fn earlier_approvals(db: &impl ConnectionTrait, id: i32) -> AppResult<Vec<(i32, Material)>> {
    let decided = steps::Entity::find()
        .filter(steps::Column::RequestId.eq(id))
        .filter(steps::Column::State.is_in([
            StepState::Approved.code(),
            StepState::Rejected.code(),
            StepState::Skipped.code(),
        ]))
        .order_by_asc(steps::Column::Round)
        .order_by_asc(steps::Column::Position)
        .all(db)
        .await?;
    let mut last: Vec<(i32, Option<Material>)> = Vec::new();
    for step in decided {
        let material = match state_of(&step)? {
            StepState::Rejected => None,
            _ => step
                .material
                .as_deref()
                .and_then(|m| serde_json::from_str::<Material>(m).ok()),
        };
        last.retain(|(user, _)| *user != step.approver_user_id);
        last.push((step.approver_user_id, material));
    }
    Ok(last
        .into_iter()
        .filter_map(|(user, material)| Some((user, material?)))
        .collect())
}

/// Paying: accounting's, with the payment order attached. The initiator is told; the chosen
/// contact of the counterparty gets a letter with the payment order; a supplier document the
/// request started from moves to paid in the same transaction.
async fn plan_pay(
    ctx: &Ctx,
    db: &Db,
    row: &requests::Model,
    entry: &PaymentEntry,
    now: Now,
    public_url: &str,
) -> AppResult<Effects> {
    let on = entry.paid_on.unwrap_or_else(|| now.today());
    let orders = item_files::Entity::find()
        .filter(item_files::Column::OwnerKind.eq(FileOwner::PaymentOrder.code()))
        .filter(item_files::Column::OwnerId.eq(row.id))
        .order_by_asc(item_files::Column::Id)
        .all(db)
        .await?;
    if orders.is_empty() {
        return Err(invalid("payment_order", FieldError::Required));
    }
    let mut audit = format!("paid on {on}");
    let card = match row.document_card_id {
        Some(id) => document_cards::Entity::find_by_id(id).one(db).await?,
        None => None,
    };
    let mut document = None;
    if let Some(card) = &card {
        let stages = crate::server::repo::stages::rows_of(db, Pipeline::Documents.code()).await?;
        let stage = crate::server::repo::stages::row_by_id(&stages, card.stage_id)?;
        if stage.code != DocumentStage::Paid.code() {
            let request = MoveRequest {
                paid_date: Some(on.to_string()),
                ..MoveRequest::default()
            };
            document = Some(
                plan_move::<Documents>(
                    ctx,
                    db,
                    card.id,
                    DocumentStage::Paid.code(),
                    card.version,
                    &request,
                    now,
                    public_url,
                )
                .await?,
            );
            audit.push_str(&format!(", document {} paid", card.id));
        }
    }
    let contact = match row.contact_id {
        Some(id) => {
            counterparty_contacts::Entity::find_by_id(id)
                .one(db)
                .await?
        }
        None => None,
    };
    let mut letter = None;
    if let Some(contact) = contact.filter(|c| plausible_email(&c.email)) {
        let payee = crate::server::repo::counterparties::names(db, vec![row.counterparty_id])
            .await?
            .remove(&row.counterparty_id)
            .unwrap_or_default();
        let signer = user_name(db, ctx.user_id).await?;
        let text = payment_letter(&PaymentLetter {
            signer: &signer,
            payee: &payee,
            contact_name: &contact.name,
            amount: Money::from_kopecks(row.amount_kopecks),
            paid_on: on,
            purpose: &row.purpose,
            invoice: card.as_ref().map(|c| c.invoice_number.as_str()),
        });
        let files: Vec<LetterFile> = orders
            .iter()
            .map(|f| LetterFile {
                sha256: f.sha256.clone(),
                name: f.original_name.clone(),
                mime: f.mime.clone(),
            })
            .collect();
        let mut queued =
            crate::server::repo::accounts::queued_letter(contact.email.trim(), &text, now.at);
        queued.attachments = Set(Some(
            serde_json::to_string(&files).map_err(|_| AppError::Internal)?,
        ));
        letter = Some(queued);
        audit.push_str(&format!(", letter to contact {}", contact.id));
    }
    let notices = request_notices(
        db,
        &[(row.initiator_user_id, payments::Notice::Paid { on })],
        row,
        public_url,
    )
    .await?;
    Ok(Effects {
        notices,
        letter,
        document,
        audit,
        ..Effects::default()
    })
}
