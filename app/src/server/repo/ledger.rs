//! The settlement ledger: entries are written by the app's own events, in the transaction of
//! the event (`settle`, called by the move engine), and never edited; a correction is a
//! reversing entry. Reading is scoped by `Ctx`: a supplier reads only its own counterparty's.
use chrono::{Days, NaiveDate};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use crate::domain::clock::Now;
use crate::domain::money::Money;
use crate::domain::settlements::{EntryKind, Line, Side, Source, Wanted, postings};
use crate::error::AppResult;
use crate::server::entities::{counterparties, ledger_entries as entries};

/// What a card's stage stands for in the ledger, with the facts its entries carry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settlement {
    pub source: Source,
    pub source_id: i32,
    pub counterparty_id: i32,
    pub contract_id: Option<i32>,
    pub wanted: Wanted,
    /// The document's number and date, as the statement shows them.
    pub number: String,
    pub document_date: NaiveDate,
    pub amount: Money,
    /// When the delivery counts (the accrual's date) and when it is to be paid by; without a
    /// deadline the counterparty's deferral from the accrual's date.
    pub accrued_on: NaiveDate,
    pub due: Option<NaiveDate>,
    /// The payment's date, once paid.
    pub paid_on: Option<NaiveDate>,
}

/// What a source's entries add up to, net of reversals.
fn posted_of(rows: &[entries::Model]) -> Wanted {
    let net = |kind: EntryKind| {
        rows.iter()
            .filter(|r| r.kind == kind.code())
            .map(|r| if r.reversal { -1 } else { 1 })
            .sum::<i32>()
            > 0
    };
    Wanted {
        accrued: net(EntryKind::Accrual),
        paid: net(EntryKind::Payment),
    }
}

/// Brings the ledger to what `settlement` wants, in the caller's transaction; returns how many
/// entries it wrote (none when the move changes nothing in the ledger).
pub async fn settle(
    txn: &impl ConnectionTrait,
    user_id: i32,
    settlement: &Settlement,
    now: Now,
) -> AppResult<usize> {
    let rows = entries::Entity::find()
        .filter(entries::Column::Source.eq(settlement.source.code()))
        .filter(entries::Column::SourceId.eq(settlement.source_id))
        .all(txn)
        .await?;
    let wanted = postings(posted_of(&rows), settlement.wanted);
    if wanted.is_empty() {
        return Ok(0);
    }
    let due = match settlement.due {
        Some(due) => Some(due),
        None => {
            let days = counterparties::Entity::find_by_id(settlement.counterparty_id)
                .one(txn)
                .await?
                .map(|c| c.payment_deferral_days.max(0) as u64)
                .unwrap_or(crate::domain::deadlines::DEFAULT_DEFERRAL_DAYS.into());
            settlement.accrued_on.checked_add_days(Days::new(days))
        }
    };
    let today = now.today();
    let written = wanted.len();
    let mut batch = super::WriteBatch::new(txn);
    for (kind, reversal) in wanted {
        // Events post accruals and payments only; an imported entry is the import's.
        let Some(side) = kind.side() else { continue };
        let side = if reversal { side.other() } else { side };
        // An entry counts on its event's day; a reversal on the day it is made.
        let entry_date = match (reversal, kind) {
            (true, _) => today,
            (false, EntryKind::Accrual) => settlement.accrued_on,
            (false, EntryKind::Payment | EntryKind::Imported) => {
                settlement.paid_on.unwrap_or(today)
            }
        };
        batch.insert(entries::ActiveModel {
            counterparty_id: Set(settlement.counterparty_id),
            contract_id: Set(settlement.contract_id),
            entry_date: Set(entry_date),
            due_date: Set(match kind {
                EntryKind::Accrual => due,
                EntryKind::Payment | EntryKind::Imported => None,
            }),
            side: Set(side.code().to_owned()),
            kind: Set(kind.code().to_owned()),
            amount_kopecks: Set(settlement.amount.kopecks()),
            source: Set(settlement.source.code().to_owned()),
            source_id: Set(settlement.source_id),
            document_number: Set(settlement.number.clone()),
            document_date: Set(settlement.document_date),
            reversal: Set(reversal),
            created_by: Set(Some(user_id)),
            created_at: Set(now.at),
            ..Default::default()
        });
    }
    batch.run(txn).await?;
    Ok(written)
}

/// An entry as the rules see it.
pub fn line(row: &entries::Model) -> Line {
    Line {
        date: row.entry_date,
        side: Side::from_code(&row.side).unwrap_or(Side::Credit),
        amount: Money::from_kopecks(row.amount_kopecks),
        due: row.due_date,
        contract_id: row.contract_id,
    }
}
