//! The supplier-documents pipeline: invoices, acts and closing documents a supplier uploaded,
//! from review to payment. Its cards belong to a counterparty (a supplier sees its own), the
//! supplier hears of moves in the card's thread, and a card waiting for payment past its
//! planned date is overdue.
use crate::server::db::Db;
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ColumnTrait, Condition};

use super::{Common, Face, Head, PipelineDef, StageEvent, Writes, counterparty_matches};
use crate::domain::access::{Ctx, Role};
use crate::domain::board::{BoardFilter, is_overdue};
use crate::domain::clock::{CompanyZone, Now};
use crate::domain::lang::Lang;
use crate::domain::money::Money;
use crate::domain::moves::{MoveRequest, StageEntry, check_move};
use crate::domain::pipeline::{MoveError, Pipeline};
use crate::domain::settlements::{Source, document_wants};
use crate::domain::stage::DocumentStage;
use crate::error::AppResult;
use crate::server::entities::document_cards as cards;
use crate::server::repo::ledger::Settlement;
use crate::server::repo::{WriteBatch, WriteTxn, contains_text, counterparty_scope};

pub struct Documents;

impl PipelineDef for Documents {
    const PIPELINE: Pipeline = Pipeline::Documents;
    const MESSAGES_BY_LETTER: bool = false;
    type Entity = cards::Entity;
    type Row = cards::Model;
    type Stage = DocumentStage;
    type Entry = StageEntry;
    type Prepared = ();

    fn column(common: Common) -> cards::Column {
        match common {
            Common::Id => cards::Column::Id,
            Common::StageId => cards::Column::StageId,
            Common::Version => cards::Column::Version,
            Common::StageEnteredAt => cards::Column::StageEnteredAt,
            Common::ResponsibleUserId => cards::Column::ResponsibleUserId,
            Common::AmountKopecks => cards::Column::AmountKopecks,
        }
    }

    fn head(row: &cards::Model) -> Head {
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
        counterparty_scope(ctx, cards::Column::CounterpartyId)
    }

    /// The period is the invoice date's; the text is the invoice's or the counterparty's.
    fn filtered(filter: &BoardFilter, _zone: CompanyZone) -> Condition {
        let mut condition = Condition::all();
        if let Some(id) = filter.counterparty_id {
            condition = condition.add(cards::Column::CounterpartyId.eq(id));
        }
        if let Some(from) = filter.from {
            condition = condition.add(cards::Column::InvoiceDate.gte(from));
        }
        if let Some(to) = filter.to {
            condition = condition.add(cards::Column::InvoiceDate.lte(to));
        }
        if let Some(text) = &filter.text {
            condition = condition.add(
                Condition::any()
                    .add(cards::Column::SearchText.like(contains_text(text)))
                    .add(counterparty_matches(cards::Column::CounterpartyId, text)),
            );
        }
        condition
    }

    fn face(row: &cards::Model, stage: DocumentStage, today: NaiveDate) -> Face {
        Face {
            number: row.invoice_number.clone(),
            title: None,
            party: None,
            planned_payment_date: row.planned_payment_date,
            returned: row.return_comment.is_some(),
            overdue: is_overdue(stage, row.planned_payment_date, today),
            possible_duplicate: row.possible_duplicate,
        }
    }

    fn check_entry(
        role: Role,
        from: DocumentStage,
        to: DocumentStage,
        request: &MoveRequest,
        today: NaiveDate,
    ) -> Result<StageEntry, MoveError> {
        check_move(role, from, to, request, today)
    }

    fn entry_comment(entry: &StageEntry) -> Option<String> {
        entry.return_comment.clone()
    }

    async fn prepare(
        _ctx: &Ctx,
        _db: &Db,
        _row: &cards::Model,
        _to: DocumentStage,
        _entry: &StageEntry,
        _now: Now,
        _public_url: &str,
    ) -> AppResult<()> {
        Ok(())
    }

    fn entry_writes(_row: &cards::Model, entry: &StageEntry, _: &()) -> Writes<cards::Entity> {
        let mut writes = Writes::<cards::Entity>::new();
        if let Some(date) = entry.planned_payment_date {
            writes.push((cards::Column::PlannedPaymentDate, Some(date).into()));
        }
        if let Some(date) = entry.paid_date {
            writes.push((cards::Column::PaidDate, Some(date).into()));
        }
        if let Some(comment) = &entry.return_comment {
            writes.push((cards::Column::ReturnComment, Some(comment.clone()).into()));
        }
        writes
    }

    async fn on_entry(
        _txn: &WriteTxn,
        _ctx: &Ctx,
        _row: &cards::Model,
        _to: DocumentStage,
        _prepared: (),
        _now: Now,
    ) -> AppResult<Option<String>> {
        Ok(None)
    }

    /// An accepted invoice with its act raises what we owe; paid, it lowers it.
    fn settlement(
        row: &cards::Model,
        to: DocumentStage,
        entry: &StageEntry,
        _: &(),
    ) -> Option<Settlement> {
        let kind = crate::domain::upload::DocumentKind::from_code(&row.kind)?;
        Some(Settlement {
            source: Source::Document,
            source_id: row.id,
            counterparty_id: row.counterparty_id,
            contract_id: None,
            wanted: document_wants(kind, to),
            number: row.invoice_number.clone(),
            document_date: row.invoice_date,
            amount: Money::from_kopecks(row.amount_kopecks),
            accrued_on: row.invoice_date,
            due: entry.planned_payment_date.or(row.planned_payment_date),
            paid_on: entry.paid_date.or(row.paid_date),
        })
    }

    fn add_event(batch: &mut WriteBatch, event: StageEvent) {
        batch.insert(crate::server::repo::stages::event(
            event.card_id,
            event.from,
            event.to,
            event.user_id,
            event.comment,
            event.at,
        ));
    }

    /// A message in the card's thread, which the supplier reads on the document's page.
    fn add_supplier_message(
        batch: &mut WriteBatch,
        row: &cards::Model,
        (ru, en): &(String, String),
        _supplier_emails: &[(String, Lang)],
        now: DateTime<Utc>,
    ) {
        batch.insert(crate::server::repo::messages::message(
            row,
            None,
            ru,
            Some(en),
            now,
        ));
    }
}
