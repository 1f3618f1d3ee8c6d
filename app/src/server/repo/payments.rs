//! Payment requests beyond their moves (`pipeline::payments`): making and editing a draft, the
//! card page with its chain, and an approver's decision, which is a move when it ends the round
//! (a return, or the last approval) and a step of the chain otherwise. Staff only.
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};

use super::pipeline::moves::{add_notices, move_card, row_in_scope};
use super::pipeline::payments::{
    Asked, Decided, Payments, acting_of, decide_step, material_of, pending_step_of,
    request_notices, round_steps, schedule_step_jobs, sealed, state_of, step_deadlines, user_name,
};
use super::stages::{record_pipeline_event, row_among, rows_of, stage_name};
use super::{WriteBatch, audit, begin_write};
use crate::domain::access::Ctx;
use crate::domain::approvals::{Change, StepReason};
use crate::domain::clock::Now;
use crate::domain::files::FileOwner;
use crate::domain::form::FieldError;
use crate::domain::money::Money;
use crate::domain::moves::MoveRequest;
use crate::domain::payments::{
    self, PAYMENTS_PIPELINE, PaymentStage, RawRequest, RequestFields, StepState, decision_comment,
    next_to_ask,
};
use crate::domain::pipeline::{Pipeline, StageSet};
use crate::error::{AppError, AppResult, invalid};
use crate::model::board::Choice;
use crate::model::moves::MovedCard;
use crate::model::payments::{
    PaidSelection, PayeeChoice, PaymentActions, PaymentForm, PaymentPage, PaymentRegister,
    PaymentRequestRow, RegisterFilter, RegisterRow, StepView, SupplierPayment,
};
use crate::server::db::Db;
use crate::server::entities::{
    approval_steps as steps, cash_flow_items, counterparties, counterparty_contacts,
    document_cards, item_files, payment_requests as requests, pipeline_events, staff_placements,
};
use crate::server::repo::changes::{self, ChangeKind};

fn requisites_line(c: &counterparties::Model) -> String {
    let mut parts = vec![format!("ИНН {}", c.inn)];
    if let Some(kpp) = c.kpp.as_deref().filter(|k| !k.is_empty()) {
        parts.push(format!("КПП {kpp}"));
    }
    if let Some(account) = c.settlement_account.as_deref().filter(|a| !a.is_empty()) {
        parts.push(format!("р/с {account}"));
    }
    if let Some(bank) = c.bank_name.as_deref().filter(|b| !b.is_empty()) {
        parts.push(bank.to_owned());
    }
    if let Some(bic) = c.bic.as_deref().filter(|b| !b.is_empty()) {
        parts.push(format!("БИК {bic}"));
    }
    parts.join(", ")
}

/// What the form offers: unblocked counterparties with their contacts, active cash-flow items;
/// filled from request `id` when editing, or from a supplier document or order it starts from.
pub async fn form(
    ctx: &Ctx,
    db: &Db,
    id: Option<i32>,
    from_document: Option<i32>,
    from_order: Option<i32>,
    now: Now,
) -> AppResult<PaymentForm> {
    ctx.require_staff()?;
    let parties = counterparties::Entity::find()
        .filter(
            counterparties::Column::BlockMode
                .ne(crate::domain::settlements::BlockMode::Full.code()),
        )
        .order_by_asc(counterparties::Column::Name)
        .all(db)
        .await?;
    let contacts = counterparty_contacts::Entity::find()
        .order_by_asc(counterparty_contacts::Column::Name)
        .all(db)
        .await?;
    let payees = parties
        .iter()
        .map(|c| PayeeChoice {
            id: c.id,
            name: c.name.clone(),
            requisites: requisites_line(c),
            contacts: contacts
                .iter()
                .filter(|k| k.counterparty_id == c.id)
                .map(|k| Choice {
                    id: k.id,
                    name: if k.position.is_empty() {
                        k.name.clone()
                    } else {
                        format!("{} ({})", k.name, k.position)
                    },
                })
                .collect(),
        })
        .collect();
    let items = super::org::cash_flow_items(db, true)
        .await?
        .into_iter()
        .map(|i| Choice {
            id: i.id,
            name: format!("{} {}", i.code, i.name),
        })
        .collect();
    let mut values = RawRequest::default();
    let mut version = 0;
    let (mut document_card_id, mut supplier_order_id) = (None, None);
    if let Some(id) = id {
        let row = editable(ctx, db, id).await?;
        version = row.version;
        document_card_id = row.document_card_id;
        supplier_order_id = row.supplier_order_id;
        values = RawRequest {
            counterparty: row.counterparty_id.to_string(),
            amount: Money::from_kopecks(row.amount_kopecks).amount().to_string(),
            purpose: row.purpose.clone(),
            cash_flow_item: row.cash_flow_item_id.to_string(),
            in_budget: row.in_budget.then(|| "on".to_owned()),
            urgent: row.urgent.then(|| "on".to_owned()),
            pay_by: row.pay_by.map(|d| d.to_string()),
            comment: row.comment.clone(),
            contact: row.contact_id.map(|c| c.to_string()),
        };
    } else if let Some(card_id) = from_document {
        let card = document_cards::Entity::find_by_id(card_id)
            .one(db)
            .await?
            .ok_or(AppError::NotFound)?;
        document_card_id = Some(card.id);
        values = RawRequest {
            counterparty: card.counterparty_id.to_string(),
            amount: Money::from_kopecks(card.amount_kopecks)
                .amount()
                .to_string(),
            purpose: format!(
                "Оплата по счёту № {} от {}",
                card.invoice_number,
                card.invoice_date.format("%d.%m.%Y")
            ),
            pay_by: card.planned_payment_date.map(|d| d.to_string()),
            in_budget: Some("on".to_owned()),
            ..RawRequest::default()
        };
    } else if let Some(order_id) = from_order {
        let order = crate::server::entities::supplier_orders::Entity::find_by_id(order_id)
            .one(db)
            .await?
            .ok_or(AppError::NotFound)?;
        supplier_order_id = Some(order.id);
        let number = order
            .number
            .clone()
            .unwrap_or_else(|| format!("#{}", order.id));
        values = RawRequest {
            counterparty: order.counterparty_id.to_string(),
            amount: Money::from_kopecks(order.amount_kopecks)
                .amount()
                .to_string(),
            purpose: format!("Оплата по заказу {number}"),
            pay_by: order.payment_deadline.map(|d| d.to_string()),
            in_budget: Some("on".to_owned()),
            ..RawRequest::default()
        };
    }
    Ok(PaymentForm {
        id,
        version,
        payees,
        items,
        values,
        document_card_id,
        supplier_order_id,
        today: now.today(),
    })
}

/// The names of everyone on a chain (approvers, deputies) and the initiator, and the approvers'
/// job titles, by user id.
async fn chain_people(
    db: &impl ConnectionTrait,
    chain: &[steps::Model],
    initiator: i32,
) -> AppResult<(
    std::collections::HashMap<i32, String>,
    std::collections::HashMap<i32, String>,
)> {
    let mut people: Vec<i32> = chain
        .iter()
        .flat_map(|s| [s.approver_user_id, acting_of(s)])
        .collect();
    people.push(initiator);
    let names = super::users::names(db, people.clone()).await?;
    let titles = staff_placements::Entity::find()
        .filter(staff_placements::Column::UserId.is_in(people))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.user_id, p.job_title))
        .collect();
    Ok((names, titles))
}

/// Request `id` when `ctx` may change it: its initiator, in draft or rework.
async fn editable(ctx: &Ctx, db: &impl ConnectionTrait, id: i32) -> AppResult<requests::Model> {
    let row = row_in_scope::<Payments>(ctx, db, id).await?;
    if row.initiator_user_id != ctx.user_id {
        return Err(AppError::Forbidden);
    }
    let all = rows_of(db, PAYMENTS_PIPELINE).await?;
    let stage = super::stages::row_by_id(&all, row.stage_id)?;
    match PaymentStage::from_code(&stage.code) {
        Some(stage) if stage.editable() => Ok(row),
        _ => Err(invalid("to", FieldError::NotEditable)),
    }
}

/// Whether `ctx` may add files to request `id` now: as for editing it.
pub async fn may_attach(ctx: &Ctx, db: &impl ConnectionTrait, id: i32) -> AppResult<()> {
    editable(ctx, db, id).await.map(|_| ())
}

/// Whether `ctx` may attach the payment order of request `id`: accounting, while the request
/// waits in accounting to be paid.
pub async fn may_attach_order(ctx: &Ctx, db: &impl ConnectionTrait, id: i32) -> AppResult<()> {
    if !is_accounting(ctx) {
        return Err(AppError::Forbidden);
    }
    let row = row_in_scope::<Payments>(ctx, db, id).await?;
    let all = rows_of(db, PAYMENTS_PIPELINE).await?;
    let stage = super::stages::row_by_id(&all, row.stage_id)?;
    if stage.code != PaymentStage::Accounting.code() {
        return Err(invalid("payment_order", FieldError::NotEditable));
    }
    Ok(())
}

/// Accounting pays: its accountants, and admins.
fn is_accounting(ctx: &Ctx) -> bool {
    matches!(
        ctx.role,
        crate::domain::access::Role::Accountant | crate::domain::access::Role::Admin
    )
}

/// Checks that what the fields name exists: the counterparty (not blocked), the cash-flow
/// item (active), the contact (the counterparty's).
async fn check_references(db: &impl ConnectionTrait, fields: &RequestFields) -> AppResult<()> {
    let counterparty = counterparties::Entity::find_by_id(fields.counterparty_id)
        .one(db)
        .await?
        .filter(|c| c.block_mode != crate::domain::settlements::BlockMode::Full.code())
        .ok_or_else(|| invalid("counterparty", FieldError::Unknown))?;
    cash_flow_items::Entity::find_by_id(fields.cash_flow_item_id)
        .one(db)
        .await?
        .filter(|i| i.active)
        .ok_or_else(|| invalid("cash_flow_item", FieldError::Unknown))?;
    if let Some(contact) = fields.contact_id {
        counterparty_contacts::Entity::find_by_id(contact)
            .one(db)
            .await?
            .filter(|k| k.counterparty_id == counterparty.id)
            .ok_or_else(|| invalid("contact", FieldError::Unknown))?;
    }
    Ok(())
}

/// Saves a new draft (`id` `None`), or the initiator's changes to one in draft or rework when
/// it is still at `version`. Returns the request's id.
#[allow(clippy::too_many_arguments)]
pub async fn save(
    ctx: &Ctx,
    db: &Db,
    id: Option<i32>,
    version: i32,
    fields: &RequestFields,
    document_card_id: Option<i32>,
    supplier_order_id: Option<i32>,
    now: DateTime<Utc>,
) -> AppResult<i32> {
    ctx.require_staff()?;
    check_references(db, fields).await?;
    if let Some(card) = document_card_id
        && document_cards::Entity::find_by_id(card)
            .one(db)
            .await?
            .is_none_or(|c| c.counterparty_id != fields.counterparty_id)
    {
        return Err(invalid(
            "counterparty",
            FieldError::NotDocumentsCounterparty,
        ));
    }
    match id {
        Some(id) => {
            let row = editable(ctx, db, id).await?;
            if row.version != version {
                return Err(AppError::Conflict);
            }
            let txn = begin_write(db).await?;
            let updated = requests::Entity::update_many()
                .col_expr(
                    requests::Column::CounterpartyId,
                    Expr::value(fields.counterparty_id),
                )
                .col_expr(requests::Column::ContactId, Expr::value(fields.contact_id))
                .col_expr(
                    requests::Column::AmountKopecks,
                    Expr::value(fields.amount.kopecks()),
                )
                .col_expr(
                    requests::Column::Purpose,
                    Expr::value(fields.purpose.clone()),
                )
                .col_expr(
                    requests::Column::CashFlowItemId,
                    Expr::value(fields.cash_flow_item_id),
                )
                .col_expr(requests::Column::InBudget, Expr::value(fields.in_budget))
                .col_expr(requests::Column::Urgent, Expr::value(fields.urgent))
                .col_expr(requests::Column::PayBy, Expr::value(fields.pay_by))
                .col_expr(
                    requests::Column::Comment,
                    Expr::value(fields.comment.clone()),
                )
                .col_expr(requests::Column::Version, Expr::value(version + 1))
                .col_expr(requests::Column::UpdatedAt, Expr::value(now))
                .filter(requests::Column::Id.eq(id))
                .filter(requests::Column::Version.eq(version))
                .exec(&txn)
                .await?;
            if updated.rows_affected != 1 {
                return Err(AppError::Conflict);
            }
            let mut batch = WriteBatch::new(&txn);
            batch.insert(changes::change_in(
                Pipeline::Payments,
                id,
                None,
                ChangeKind::Moved,
                None,
                now,
            ));
            batch.insert(audit::line(
                Some(ctx.user_id),
                "payment.edit",
                &format!(
                    "payment_requests {id}: amount {} pay_by {:?}",
                    fields.amount.kopecks(),
                    fields.pay_by
                ),
            ));
            batch.run(&txn).await?;
            txn.commit().await?;
            Ok(id)
        }
        None => {
            let all = rows_of(db, PAYMENTS_PIPELINE).await?;
            let draft = row_among(&all, PaymentStage::Draft.code())?.id;
            let txn = begin_write(db).await?;
            let row = requests::ActiveModel {
                stage_id: Set(draft),
                version: Set(1),
                stage_entered_at: Set(now),
                responsible_user_id: Set(Some(ctx.user_id)),
                initiator_user_id: Set(ctx.user_id),
                counterparty_id: Set(fields.counterparty_id),
                contact_id: Set(fields.contact_id),
                amount_kopecks: Set(fields.amount.kopecks()),
                purpose: Set(fields.purpose.clone()),
                cash_flow_item_id: Set(fields.cash_flow_item_id),
                in_budget: Set(fields.in_budget),
                urgent: Set(fields.urgent),
                pay_by: Set(fields.pay_by),
                comment: Set(fields.comment.clone()),
                document_card_id: Set(document_card_id),
                supplier_order_id: Set(supplier_order_id),
                round: Set(0),
                paid_on: Set(None),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
            record_pipeline_event(
                &txn,
                PAYMENTS_PIPELINE,
                row.id,
                None,
                draft,
                ctx.user_id,
                None,
                now,
            )
            .await?;
            let mut batch = WriteBatch::new(&txn);
            batch.insert(changes::change_in(
                Pipeline::Payments,
                row.id,
                None,
                ChangeKind::Uploaded,
                None,
                now,
            ));
            batch.insert(audit::line(
                Some(ctx.user_id),
                "payment.create",
                &format!(
                    "payment_requests {}: counterparty {} amount {}",
                    row.id,
                    fields.counterparty_id,
                    fields.amount.kopecks()
                ),
            ));
            batch.run(&txn).await?;
            txn.commit().await?;
            Ok(row.id)
        }
    }
}

/// An approver's decision on request `id`, last seen at `version`: a return for rework (a
/// comment required) or an approval. The last approval moves the request to accounting; an
/// earlier one asks the next approver. Another's step is `Forbidden`; a step decided meanwhile
/// is a `Conflict`, and either changes nothing.
#[allow(clippy::too_many_arguments)]
pub async fn decide(
    ctx: &Ctx,
    db: &Db,
    id: i32,
    version: i32,
    approve: bool,
    comment: &str,
    now: Now,
    public_url: &str,
) -> AppResult<MovedCard> {
    ctx.require_staff()?;
    let comment = decision_comment(approve, comment).map_err(|problem| AppError::Rejected {
        problems: vec![problem],
    })?;
    let row = row_in_scope::<Payments>(ctx, db, id).await?;
    if row.version != version {
        return Err(AppError::Conflict);
    }
    let (step, left) = pending_step_of(ctx, db, &row).await?;
    let request = MoveRequest {
        comment: comment.clone(),
        ..MoveRequest::default()
    };
    if !approve {
        return move_card::<Payments>(
            ctx,
            db,
            id,
            PaymentStage::Rework.code(),
            version,
            &request,
            now,
            public_url,
        )
        .await;
    }
    if !left {
        return move_card::<Payments>(
            ctx,
            db,
            id,
            PaymentStage::Accounting.code(),
            version,
            &request,
            now,
            public_url,
        )
        .await;
    }
    // An approval with approvers after it: the next one is asked.
    let all = round_steps(db, id, row.round).await?;
    let states = all.iter().map(state_of).collect::<AppResult<Vec<_>>>()?;
    let at = all
        .iter()
        .position(|s| s.id == step.id)
        .ok_or(AppError::Internal)?;
    let next = next_to_ask(&states, at)
        .and_then(|i| all.get(i))
        .ok_or(AppError::Internal)?;
    let next_acting = acting_of(next);
    let material = sealed(&material_of(db, &row).await?)?;
    let by = user_name(db, ctx.user_id).await?;
    let notices = request_notices(
        db,
        &[
            (row.initiator_user_id, payments::Notice::Approved { by }),
            (next_acting, payments::Notice::YourTurn),
        ],
        &row,
        public_url,
    )
    .await?;
    let (remind_at, escalate_at) = step_deadlines(now.at, now.zone);

    let txn = begin_write(db).await?;
    let bumped = requests::Entity::update_many()
        .col_expr(requests::Column::Version, Expr::value(version + 1))
        .col_expr(
            requests::Column::ResponsibleUserId,
            Expr::value(Some(next_acting)),
        )
        .filter(requests::Column::Id.eq(id))
        .filter(requests::Column::Version.eq(version))
        .exec(&txn)
        .await?;
    if bumped.rows_affected != 1 {
        return Err(AppError::Conflict);
    }
    decide_step(
        &txn,
        Decided {
            step_id: step.id,
            state: StepState::Approved,
            by: ctx.user_id,
            comment: comment.clone(),
            material: Some(material),
        },
        now.at,
    )
    .await?;
    steps::Entity::update_many()
        .col_expr(steps::Column::State, Expr::value(StepState::Pending.code()))
        .col_expr(steps::Column::ActivatedAt, Expr::value(Some(now.at)))
        .col_expr(steps::Column::RemindAt, Expr::value(Some(remind_at)))
        .col_expr(steps::Column::EscalateAt, Expr::value(Some(escalate_at)))
        .filter(steps::Column::Id.eq(next.id))
        .filter(steps::Column::State.eq(StepState::Waiting.code()))
        .exec(&txn)
        .await?;
    schedule_step_jobs(
        &txn,
        id,
        &Asked {
            round: row.round,
            position: next.position,
            remind_at,
            escalate_at,
        },
    )
    .await?;
    let mut batch = WriteBatch::new(&txn);
    add_notices(&mut batch, &notices, Pipeline::Payments, id, now.at);
    batch.insert(changes::change_in(
        Pipeline::Payments,
        id,
        None,
        ChangeKind::Assigned,
        None,
        now.at,
    ));
    batch.insert(audit::line(
        Some(ctx.user_id),
        "payment.approve",
        &format!(
            "payment_requests {id}: round {} step {} approved, next {}",
            row.round, step.position, next.position
        ),
    ));
    batch.run(&txn).await?;
    txn.commit().await?;
    // A step in the middle: the request stays in approval.
    Ok(MovedCard {
        card_id: id,
        stage: PaymentStage::Approval.stage_code(),
        version: version + 1,
    })
}

/// The card page of request `id`: its fields, every round's chain, files, history, and what
/// the viewer may do.
pub async fn page(ctx: &Ctx, db: &Db, id: i32, now: Now) -> AppResult<PaymentPage> {
    ctx.require_staff()?;
    let row = row_in_scope::<Payments>(ctx, db, id).await?;
    let all = rows_of(db, PAYMENTS_PIPELINE).await?;
    let stage_row = super::stages::row_by_id(&all, row.stage_id)?;
    let stage = PaymentStage::from_code(&stage_row.code).ok_or(AppError::Internal)?;
    let counterparty = counterparties::Entity::find_by_id(row.counterparty_id)
        .one(db)
        .await?
        .ok_or(AppError::Internal)?;
    let contact = match row.contact_id {
        Some(c) => counterparty_contacts::Entity::find_by_id(c).one(db).await?,
        None => None,
    };
    let item = cash_flow_items::Entity::find_by_id(row.cash_flow_item_id)
        .one(db)
        .await?;
    let chain = steps::Entity::find()
        .filter(steps::Column::RequestId.eq(id))
        .order_by_desc(steps::Column::Round)
        .order_by_asc(steps::Column::Position)
        .all(db)
        .await?;
    let (names, titles) = chain_people(db, &chain, row.initiator_user_id).await?;
    let name = |id: i32| names.get(&id).cloned().unwrap_or_default();
    let mut steps_view = Vec::new();
    let mut waiting_on = None;
    let mut decide = false;
    for step in &chain {
        let state = state_of(step)?;
        let acting = acting_of(step);
        if step.round == row.round && state == StepState::Pending && stage == PaymentStage::Approval
        {
            waiting_on = Some((
                name(acting),
                step.activated_at.unwrap_or(row.stage_entered_at),
            ));
            decide = acting == ctx.user_id;
        }
        steps_view.push(StepView {
            round: step.round,
            position: step.position,
            approver_name: name(step.approver_user_id),
            job_title: titles
                .get(&step.approver_user_id)
                .cloned()
                .unwrap_or_default(),
            deputy_name: (acting != step.approver_user_id).then(|| name(acting)),
            reason: StepReason::from_code(&step.reason).unwrap_or(StepReason::Line),
            state,
            comment: step.comment.clone(),
            decided_at: step.decided_at,
            activated_at: step.activated_at,
            changes: step
                .changes
                .as_deref()
                .and_then(|c| serde_json::from_str::<Vec<Change>>(c).ok())
                .unwrap_or_default(),
        });
    }
    if waiting_on.is_none() && stage.editable() {
        waiting_on = Some((name(row.initiator_user_id), row.stage_entered_at));
    }
    let events = pipeline_events::Entity::find()
        .filter(pipeline_events::Column::Pipeline.eq(PAYMENTS_PIPELINE))
        .filter(pipeline_events::Column::CardId.eq(id))
        .order_by_asc(pipeline_events::Column::At)
        .order_by_asc(pipeline_events::Column::Id)
        .all(db)
        .await?;
    let is_accounting = is_accounting(ctx);
    Ok(PaymentPage {
        request: PaymentRequestRow {
            id: row.id,
            version: row.version,
            stage: stage_name(stage_row)?,
            round: row.round,
            initiator_user_id: row.initiator_user_id,
            initiator_name: name(row.initiator_user_id),
            counterparty_id: counterparty.id,
            counterparty_name: counterparty.name.clone(),
            counterparty_requisites: requisites_line(&counterparty),
            contact_name: contact.map(|k| k.name),
            amount: Money::from_kopecks(row.amount_kopecks),
            purpose: row.purpose.clone(),
            cash_flow_item: item
                .map(|i| format!("{} {}", i.code, i.name))
                .unwrap_or_default(),
            in_budget: row.in_budget,
            urgent: row.urgent,
            pay_by: row.pay_by,
            comment: row.comment.clone(),
            paid_on: row.paid_on,
            document_card_id: row.document_card_id,
            supplier_order_id: row.supplier_order_id,
            created_at: row.created_at,
        },
        steps: steps_view,
        invoice: super::item_files::list(db, FileOwner::PaymentInvoice, id).await?,
        files: super::item_files::list(db, FileOwner::PaymentRequest, id).await?,
        payment_order: super::item_files::list(db, FileOwner::PaymentOrder, id).await?,
        sheet: super::item_files::list(db, FileOwner::ApprovalSheet, id).await?,
        history: super::deals::history(db, &all, events).await?,
        actions: PaymentActions {
            edit: stage.editable() && row.initiator_user_id == ctx.user_id,
            decide,
            pay: stage == PaymentStage::Accounting && is_accounting,
        },
        waiting_on,
        today: now.today(),
    })
}

/// The requests started from supplier document `card_id`, for its card page: id and stage.
pub async fn of_document(
    db: &impl ConnectionTrait,
    card_id: i32,
) -> AppResult<Vec<(i32, crate::model::home::StageName)>> {
    let all = rows_of(db, PAYMENTS_PIPELINE).await?;
    let found = requests::Entity::find()
        .filter(requests::Column::DocumentCardId.eq(card_id))
        .order_by_asc(requests::Column::Id)
        .all(db)
        .await?;
    found
        .into_iter()
        .map(|r| {
            Ok((
                r.id,
                stage_name(super::stages::row_by_id(&all, r.stage_id)?)?,
            ))
        })
        .collect()
}

/// Accounting's payment register: the requests approved and waiting to be paid, urgent first,
/// then by pay-by date, each day with its count and total. Staff see it; accounting pays.
pub async fn register(
    ctx: &Ctx,
    db: &Db,
    filter: RegisterFilter,
    now: Now,
) -> AppResult<PaymentRegister> {
    use sea_orm::sea_query::Query;
    ctx.require_staff()?;
    let all = rows_of(db, PAYMENTS_PIPELINE).await?;
    let accounting = row_among(&all, PaymentStage::Accounting.code())?.id;
    let mut query = requests::Entity::find().filter(requests::Column::StageId.eq(accounting));
    if let Some(id) = filter.counterparty_id {
        query = query.filter(requests::Column::CounterpartyId.eq(id));
    }
    if let Some(id) = filter.cash_flow_item_id {
        query = query.filter(requests::Column::CashFlowItemId.eq(id));
    }
    let rows = query
        .order_by_desc(requests::Column::Urgent)
        .order_by_asc(requests::Column::PayBy)
        .order_by_asc(requests::Column::Id)
        .all(db)
        .await?;
    let in_accounting = Query::select()
        .column(requests::Column::Id)
        .from(requests::Entity)
        .and_where(requests::Column::StageId.eq(accounting))
        .to_owned();
    let with_order: std::collections::HashSet<i32> = item_files::Entity::find()
        .filter(item_files::Column::OwnerKind.eq(FileOwner::PaymentOrder.code()))
        .filter(item_files::Column::OwnerId.in_subquery(in_accounting))
        .all(db)
        .await?
        .into_iter()
        .map(|f| f.owner_id)
        .collect();
    let parties = counterparties::Entity::find()
        .order_by_asc(counterparties::Column::Name)
        .all(db)
        .await?;
    let party_names: std::collections::HashMap<i32, String> =
        parties.iter().map(|c| (c.id, c.name.clone())).collect();
    let items = super::org::cash_flow_items(db, false).await?;
    let item_names: std::collections::HashMap<i32, String> = items
        .iter()
        .map(|i| (i.id, format!("{} {}", i.code, i.name)))
        .collect();
    let rows: Vec<RegisterRow> = rows
        .into_iter()
        .map(|r| RegisterRow {
            id: r.id,
            version: r.version,
            counterparty_name: party_names
                .get(&r.counterparty_id)
                .cloned()
                .unwrap_or_default(),
            purpose: r.purpose,
            cash_flow_item: item_names
                .get(&r.cash_flow_item_id)
                .cloned()
                .unwrap_or_default(),
            in_budget: r.in_budget,
            amount: Money::from_kopecks(r.amount_kopecks),
            urgent: r.urgent,
            pay_by: r.pay_by,
            has_payment_order: with_order.contains(&r.id),
        })
        .collect();
    let count = rows.len();
    let total = rows.iter().map(|r| r.amount).sum();
    let days = payments::group_by_day(rows, |r| {
        (payments::RegisterDay::of(r.urgent, r.pay_by), r.amount)
    });
    Ok(PaymentRegister {
        days,
        count,
        total,
        counterparties: parties
            .into_iter()
            .map(|c| Choice {
                id: c.id,
                name: c.name,
            })
            .collect(),
        items: items
            .into_iter()
            .map(|i| Choice {
                id: i.id,
                name: format!("{} {}", i.code, i.name),
            })
            .collect(),
        may_pay: is_accounting(ctx),
        today: now.today(),
    })
}

/// At most this many requests are marked paid in one selection.
pub const MAX_PAID_AT_ONCE: usize = 200;

/// Marks a day's selection paid on `paid_date`: each request (id, version seen) its own move,
/// with its payment order; those that cannot be paid are told back with why, and the rest
/// still paid.
pub async fn pay_selection(
    ctx: &Ctx,
    db: &Db,
    picks: &[(i32, i32)],
    paid_date: &str,
    now: Now,
    public_url: &str,
) -> AppResult<PaidSelection> {
    ctx.require_staff()?;
    if !is_accounting(ctx) {
        return Err(AppError::Forbidden);
    }
    if picks.is_empty() {
        return Err(invalid("requests", FieldError::Required));
    }
    if picks.len() > MAX_PAID_AT_ONCE {
        return Err(invalid(
            "requests",
            FieldError::TooManyAtOnce(MAX_PAID_AT_ONCE),
        ));
    }
    let request = MoveRequest {
        paid_date: Some(paid_date.to_owned()),
        ..MoveRequest::default()
    };
    let mut done = PaidSelection::default();
    for &(id, version) in picks {
        match move_card::<Payments>(
            ctx,
            db,
            id,
            PaymentStage::Paid.code(),
            version,
            &request,
            now,
            public_url,
        )
        .await
        {
            Ok(_) => done.paid.push(id),
            // A date wrong for one is wrong for all: nothing is paid.
            Err(error @ AppError::Rejected { .. })
                if done.paid.is_empty() && is_date_problem(&error) =>
            {
                return Err(error);
            }
            Err(error) => done.refused.push((id, error)),
        }
    }
    Ok(done)
}

fn is_date_problem(error: &AppError) -> bool {
    matches!(error, AppError::Rejected { problems } if problems.iter().any(|p| p.names_field("paid_date")))
}

/// The payments made to the supplier of `ctx`, latest first: date, amount, purpose, the invoice
/// it paid and the payment order. Never the chain, its comments or anyone's name.
pub async fn supplier_payments(
    ctx: &Ctx,
    db: &impl ConnectionTrait,
) -> AppResult<Vec<SupplierPayment>> {
    ctx.require_supplier()?;
    let counterparty = ctx.counterparty_id.ok_or(AppError::Forbidden)?;
    let rows = requests::Entity::find()
        .filter(requests::Column::CounterpartyId.eq(counterparty))
        .filter(requests::Column::PaidOn.is_not_null())
        .order_by_desc(requests::Column::PaidOn)
        .order_by_desc(requests::Column::Id)
        .all(db)
        .await?;
    let ids: Vec<i32> = rows.iter().map(|r| r.id).collect();
    let cards: std::collections::HashMap<i32, String> = document_cards::Entity::find()
        .filter(document_cards::Column::CounterpartyId.eq(counterparty))
        .filter(document_cards::Column::Id.is_in(rows.iter().filter_map(|r| r.document_card_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.invoice_number))
        .collect();
    let mut orders: std::collections::HashMap<i32, Vec<crate::model::tasks::ItemFile>> =
        Default::default();
    for file in item_files::Entity::find()
        .filter(item_files::Column::OwnerKind.eq(FileOwner::PaymentOrder.code()))
        .filter(item_files::Column::OwnerId.is_in(ids))
        .filter(item_files::Column::CounterpartyId.eq(counterparty))
        .order_by_asc(item_files::Column::Id)
        .all(db)
        .await?
    {
        orders
            .entry(file.owner_id)
            .or_default()
            .push(crate::model::tasks::ItemFile {
                id: file.id,
                name: file.original_name,
                size_bytes: file.size_bytes,
            });
    }
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            Some(SupplierPayment {
                id: r.id,
                paid_on: r.paid_on?,
                amount: Money::from_kopecks(r.amount_kopecks),
                purpose: r.purpose,
                invoice_number: r.document_card_id.and_then(|c| cards.get(&c).cloned()),
                document_card_id: r.document_card_id.filter(|c| cards.contains_key(c)),
                payment_order: orders.remove(&r.id).unwrap_or_default(),
            })
        })
        .collect())
}

/// Makes request `id`'s approval sheet from the round that approved it and attaches it in place
/// of an earlier one (a request approved again after rework gets a new sheet). Approved requests
/// only: in accounting or paid.
pub async fn make_sheet(
    ctx: &Ctx,
    db: &Db,
    files: &dyn crate::server::storage::FileStore,
    id: i32,
    now: Now,
) -> AppResult<()> {
    use crate::domain::format::format_date_time;
    use crate::domain::lang::Lang;
    use tokio::io::AsyncWriteExt as _;
    ctx.require_staff()?;
    let row = row_in_scope::<Payments>(ctx, db, id).await?;
    let all = rows_of(db, PAYMENTS_PIPELINE).await?;
    let stage = PaymentStage::from_code(&super::stages::row_by_id(&all, row.stage_id)?.code)
        .ok_or(AppError::Internal)?;
    if !matches!(stage, PaymentStage::Accounting | PaymentStage::Paid) {
        return Err(invalid("sheet", FieldError::NotEditable));
    }
    let chain = round_steps(db, id, row.round).await?;
    let (names, titles) = chain_people(db, &chain, row.initiator_user_id).await?;
    let counterparty = counterparties::Entity::find_by_id(row.counterparty_id)
        .one(db)
        .await?
        .ok_or(AppError::Internal)?;
    let item = cash_flow_items::Entity::find_by_id(row.cash_flow_item_id)
        .one(db)
        .await?
        .map(|i| format!("{} {}", i.code, i.name))
        .unwrap_or_default();
    let name = |id: i32| names.get(&id).map(String::as_str).unwrap_or_default();
    let states = chain.iter().map(state_of).collect::<AppResult<Vec<_>>>()?;
    let decided: Vec<Option<String>> = chain
        .iter()
        .map(|s| {
            s.decided_at
                .map(|at| format_date_time(at, now.zone, Lang::Ru))
        })
        .collect();
    let requisites = requisites_line(&counterparty);
    let made_at = format_date_time(now.at, now.zone, Lang::Ru);
    let sheet = payments::approval_sheet(&payments::SheetInput {
        id,
        counterparty: &counterparty.name,
        requisites: &requisites,
        amount: Money::from_kopecks(row.amount_kopecks),
        purpose: &row.purpose,
        cash_flow_item: &item,
        in_budget: row.in_budget,
        urgent: row.urgent,
        pay_by: row.pay_by,
        initiator: name(row.initiator_user_id),
        made_at: &made_at,
        steps: chain
            .iter()
            .zip(states)
            .zip(&decided)
            .map(|((step, state), at)| {
                let acting = acting_of(step);
                payments::SheetStepInput {
                    approver: name(step.approver_user_id),
                    job_title: titles
                        .get(&step.approver_user_id)
                        .map(String::as_str)
                        .unwrap_or_default(),
                    deputy: (acting != step.approver_user_id).then(|| name(acting)),
                    state,
                    at: at.clone(),
                    comment: step.comment.as_deref(),
                }
            })
            .collect(),
    });
    let bytes = tokio::task::spawn_blocking(move || crate::server::approval_sheet::render(&sheet))
        .await
        .map_err(|_| AppError::Internal)??;
    let sha256 = {
        use sha2::{Digest, Sha256};
        Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    };
    let stored = async {
        let mut pending = files.create().await?;
        pending.writer.write_all(&bytes).await?;
        pending.finish().await?;
        files.keep(pending, &sha256).await
    }
    .await
    .map_err(|error| {
        tracing::error!(%error, request = id, "the approval sheet was not stored");
        AppError::Internal
    })?;
    let txn = begin_write(db).await?;
    item_files::Entity::delete_many()
        .filter(item_files::Column::OwnerKind.eq(FileOwner::ApprovalSheet.code()))
        .filter(item_files::Column::OwnerId.eq(id))
        .exec(&txn)
        .await?;
    let mut batch = WriteBatch::new(&txn);
    batch.insert(item_files::ActiveModel {
        owner_kind: Set(FileOwner::ApprovalSheet.code().to_owned()),
        owner_id: Set(id),
        counterparty_id: Set(None),
        sha256: Set(sha256),
        original_name: Set(format!(
            "Лист согласования {}.pdf",
            payments::request_number(Lang::Ru, id)
        )),
        mime: Set("application/pdf".to_owned()),
        size_bytes: Set(bytes.len() as i64),
        uploaded_by: Set(ctx.user_id),
        uploaded_at: Set(now.at),
        ..Default::default()
    });
    batch.insert(audit::line(
        Some(ctx.user_id),
        "payment.sheet",
        &format!(
            "payment_requests {id}: approval sheet of round {}, {} bytes{}",
            row.round,
            bytes.len(),
            if stored { "" } else { " (same as stored)" }
        ),
    ));
    batch.run(&txn).await?;
    txn.commit().await?;
    Ok(())
}
