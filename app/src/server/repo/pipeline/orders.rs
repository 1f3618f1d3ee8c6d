//! The supplier-orders pipeline: an order to a supplier from placing to payment. Its cards
//! belong to a counterparty; the supplier hears of moves by letter. Setting the contract's
//! base date (delivery or closing documents) computes the payment deadline and schedules the
//! accountant's reminder; payment calls the reminder off.
use crate::server::db::Db;
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, Condition, EntityTrait};

use super::{Common, Face, Head, PipelineDef, StageEvent, Writes, counterparty_matches};
use crate::domain::access::{Ctx, Role};
use crate::domain::board::BoardFilter;
use crate::domain::clock::{CompanyZone, Now};
use crate::domain::deadlines::{is_overdue, payment_deadline, reminder_day};
use crate::domain::deals::{OrderEntry, OrderStage, check_order_move};
use crate::domain::lang::Lang;
use crate::domain::money::Money;
use crate::domain::moves::MoveRequest;
use crate::domain::pipeline::{MoveError, Pipeline};
use crate::domain::settlements::{Source, order_wants};
use crate::error::{AppError, AppResult};
use crate::server::entities::{contracts, supplier_orders as orders};
use crate::server::repo::ledger::Settlement;
use crate::server::repo::{WriteBatch, WriteTxn, contains_text, counterparty_scope, scheduler};

pub struct Orders;

/// The dates an order has after the move, its deadline, and when its reminder is due.
pub struct OrderDates {
    delivered_on: Option<NaiveDate>,
    closing_on: Option<NaiveDate>,
    paid_on: Option<NaiveDate>,
    deadline: Option<NaiveDate>,
    reminder_at: Option<DateTime<Utc>>,
}

impl PipelineDef for Orders {
    const PIPELINE: Pipeline = Pipeline::Orders;
    const MESSAGES_BY_LETTER: bool = true;
    type Entity = orders::Entity;
    type Row = orders::Model;
    type Stage = OrderStage;
    type Entry = OrderEntry;
    type Prepared = OrderDates;

    fn column(common: Common) -> orders::Column {
        match common {
            Common::Id => orders::Column::Id,
            Common::StageId => orders::Column::StageId,
            Common::Version => orders::Column::Version,
            Common::StageEnteredAt => orders::Column::StageEnteredAt,
            Common::ResponsibleUserId => orders::Column::ResponsibleUserId,
            Common::AmountKopecks => orders::Column::AmountKopecks,
        }
    }

    fn head(row: &orders::Model) -> Head {
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

    fn scope(ctx: &Ctx) -> Condition {
        counterparty_scope(ctx, orders::Column::CounterpartyId)
    }

    /// The period is the planned delivery date; the text is the order's number or the
    /// counterparty's.
    fn filtered(filter: &BoardFilter, _zone: CompanyZone) -> Condition {
        let mut condition = Condition::all();
        if let Some(id) = filter.counterparty_id {
            condition = condition.add(orders::Column::CounterpartyId.eq(id));
        }
        if let Some(from) = filter.from {
            condition = condition.add(orders::Column::PlannedDeliveryOn.gte(from));
        }
        if let Some(to) = filter.to {
            condition = condition.add(orders::Column::PlannedDeliveryOn.lte(to));
        }
        if let Some(text) = &filter.text {
            condition = condition.add(
                Condition::any()
                    .add(sea_orm::sea_query::ExprTrait::like(
                        Expr::cust("LOWER(supplier_orders.number)"),
                        contains_text(text),
                    ))
                    .add(counterparty_matches(orders::Column::CounterpartyId, text)),
            );
        }
        condition
    }

    fn face(row: &orders::Model, _stage: OrderStage, today: NaiveDate) -> Face {
        Face {
            number: row.number.clone().unwrap_or_else(|| format!("#{}", row.id)),
            title: Some(row.description.clone()).filter(|d| !d.is_empty()),
            party: None,
            planned_payment_date: row.payment_deadline,
            returned: false,
            overdue: is_overdue(row.payment_deadline, row.paid_on.is_some(), today),
            possible_duplicate: false,
        }
    }

    fn check_entry(
        role: Role,
        from: OrderStage,
        to: OrderStage,
        request: &MoveRequest,
        today: NaiveDate,
    ) -> Result<OrderEntry, MoveError> {
        check_order_move(role, from, to, request, today)
    }

    fn entry_comment(_entry: &OrderEntry) -> Option<String> {
        None
    }

    /// The deadline from the contract's terms and the dates after the move.
    async fn prepare(
        _ctx: &Ctx,
        db: &Db,
        row: &orders::Model,
        _to: OrderStage,
        entry: &OrderEntry,
        now: Now,
        _public_url: &str,
    ) -> AppResult<OrderDates> {
        let contract = contracts::Entity::find_by_id(row.contract_id)
            .one(db)
            .await?
            .ok_or(AppError::Internal)?;
        let delivered_on = entry.delivered_on.or(row.delivered_on);
        let closing_on = entry.closing_documents_on.or(row.closing_documents_on);
        let paid_on = entry.paid_on.or(row.paid_on);
        let base = crate::server::repo::papers::deferral_base_of(&contract)?;
        let deadline = payment_deadline(
            base,
            delivered_on,
            closing_on,
            contract.deferral_days.max(0) as u32,
        );
        let reminder_at = match (deadline, paid_on) {
            (Some(deadline), None) => {
                let days = crate::server::repo::settings::reminder_days(db).await?;
                Some(now.zone.midnight(reminder_day(deadline, days)))
            }
            _ => None,
        };
        Ok(OrderDates {
            delivered_on,
            closing_on,
            paid_on,
            deadline,
            reminder_at,
        })
    }

    fn entry_writes(
        _row: &orders::Model,
        _: &OrderEntry,
        dates: &OrderDates,
    ) -> Writes<orders::Entity> {
        vec![
            (orders::Column::DeliveredOn, dates.delivered_on.into()),
            (orders::Column::ClosingDocumentsOn, dates.closing_on.into()),
            (orders::Column::PaidOn, dates.paid_on.into()),
            (orders::Column::PaymentDeadline, dates.deadline.into()),
        ]
    }

    async fn on_entry(
        txn: &WriteTxn,
        _ctx: &Ctx,
        row: &orders::Model,
        _to: OrderStage,
        dates: OrderDates,
        now: Now,
    ) -> AppResult<Option<String>> {
        match dates.reminder_at {
            Some(run_at) => scheduler::schedule_payment_reminder(txn, row.id, run_at).await?,
            None => scheduler::call_off_payment_reminder(txn, row.id, now.at).await?,
        }
        Ok(Some(format!("deadline {:?}", dates.deadline)))
    }

    /// A delivered order raises what we owe under its contract; paid, it lowers it.
    fn settlement(
        row: &orders::Model,
        to: OrderStage,
        _: &OrderEntry,
        dates: &OrderDates,
    ) -> Option<Settlement> {
        let delivered_on = dates.delivered_on?;
        Some(Settlement {
            source: Source::Order,
            source_id: row.id,
            counterparty_id: row.counterparty_id,
            contract_id: Some(row.contract_id),
            wanted: order_wants(to),
            number: row.number.clone().unwrap_or_else(|| format!("#{}", row.id)),
            document_date: delivered_on,
            amount: Money::from_kopecks(row.amount_kopecks),
            accrued_on: delivered_on,
            due: dates.deadline,
            paid_on: dates.paid_on,
        })
    }

    fn add_event(batch: &mut WriteBatch, event: StageEvent) {
        batch.insert(crate::server::repo::stages::pipeline_event(
            Pipeline::Orders,
            event,
        ));
    }

    /// A letter to each of the supplier's active users, in their language.
    fn add_supplier_message(
        batch: &mut WriteBatch,
        row: &orders::Model,
        (ru, en): &(String, String),
        supplier_emails: &[(String, Lang)],
        now: DateTime<Utc>,
    ) {
        let number = row.number.clone().unwrap_or_else(|| format!("#{}", row.id));
        for (email, lang) in supplier_emails {
            let letter = crate::domain::stage_rules::supplier_letter(
                *lang,
                Pipeline::Orders.info().card_noun,
                &number,
                match lang {
                    Lang::Ru => ru,
                    Lang::En => en,
                },
            );
            batch.insert(crate::server::repo::accounts::queued_letter(
                email, &letter, now,
            ));
        }
    }
}
