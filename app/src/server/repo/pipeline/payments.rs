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

use super::moves::{Notice, add_notices};
use super::{Common, Face, Head, PipelineDef, StageEvent, Writes, counterparty_matches};
use crate::domain::access::{Ctx, Role};
use crate::domain::approvals::{
    ChainError, DEFAULT_STEP_WAIT_HOURS, Material, WorkCalendar, acting_approver, build_chain,
    escalation_times, on_resend,
};
use crate::domain::board::BoardFilter;
use crate::domain::clock::{CompanyZone, Now};
use crate::domain::files::FileOwner;
use crate::domain::form::FieldError;
use crate::domain::lang::Lang;
use crate::domain::money::Money;
use crate::domain::moves::MoveRequest;
use crate::domain::payments::{
    self, PaymentEntry, PaymentStage, StepState, check_payment_move, next_to_ask, plan_round,
    request_number,
};
use crate::domain::pipeline::{MoveError, Pipeline};
use crate::error::{AppError, AppResult, invalid};
use crate::server::entities::{
    approval_steps as steps, cash_flow_items, item_files, payment_requests as requests, users,
};
use crate::server::repo::{WriteBatch, WriteTxn, contains_text};

pub struct Payments;

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
    decision: Option<Decided>,
    /// The round's steps not yet asked end with a rejection.
    cancel_waiting: Option<i32>,
    notices: Vec<Notice>,
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
            PaymentStage::Paid => {
                let on = entry.paid_on.unwrap_or_else(|| now.today());
                let notices = request_notices(
                    db,
                    &[(row.initiator_user_id, payments::Notice::Paid { on })],
                    row,
                    public_url,
                )
                .await?;
                Ok(Effects {
                    notices,
                    audit: format!("paid on {on}"),
                    ..Effects::default()
                })
            }
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
        _ctx: &Ctx,
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
        let mut batch = WriteBatch::new(txn);
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
/// steps remain after it; another's step is `Forbidden`.
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
    let mut new_steps = Vec::new();
    for (position, step) in planned.iter().enumerate() {
        let asked = step.state == StepState::Pending;
        if asked {
            pending = Some(step.acting_user_id);
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
