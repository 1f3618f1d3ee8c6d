//! One engine for every staff board. A pipeline is a declaration (`PipelineDef`): its table and
//! the columns every card has, how the board's filter reads on it, what a card shows, what
//! entering a stage requires (the pure domain rule) and what it does besides moving (numbering
//! a deal, scheduling a payment reminder). The engine does the rest once for all of them: the
//! board's columns, counts, sums and pages (`board`), and the move transaction with its scope
//! check, version guard, entry rule, stage event, stage rule, change feed and audit (`moves`).
//!
//! A new pipeline adds a file here with its declaration, an arm in `Pipeline::info`
//! (`domain/pipeline.rs`) and one in `with_pipeline!`, its migration and its pages.
pub mod board;
pub mod deals;
pub mod documents;
pub mod moves;
pub mod orders;
pub mod payments;

use crate::server::db::Db;
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{Condition, EntityTrait, FromQueryResult, ModelTrait};

use super::{WriteBatch, WriteTxn};
use crate::domain::access::{Ctx, Role};
use crate::domain::board::BoardFilter;
use crate::domain::clock::{CompanyZone, Now};
use crate::domain::money::Money;
use crate::domain::moves::MoveRequest;
use crate::domain::pipeline::{MoveError, Pipeline, StageSet};
use crate::error::AppResult;

/// The columns every pipeline's table has, under its own names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Common {
    Id,
    StageId,
    Version,
    StageEnteredAt,
    ResponsibleUserId,
    AmountKopecks,
}

/// What every card has, read off its row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Head {
    pub id: i32,
    pub version: i32,
    pub stage_id: i32,
    pub stage_entered_at: DateTime<Utc>,
    pub responsible_user_id: Option<i32>,
    /// The supplier it belongs to, on pipelines that have one.
    pub counterparty_id: Option<i32>,
    pub amount: Money,
}

/// What a card shows beyond its head.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Face {
    pub number: String,
    pub title: Option<String>,
    /// Whom the card is with when that is not a counterparty (a deal's customer).
    pub party: Option<String>,
    pub planned_payment_date: Option<NaiveDate>,
    pub returned: bool,
    pub overdue: bool,
    pub possible_duplicate: bool,
}

/// What a move writes beyond the stage, version and responsible person.
pub type Writes<E> = Vec<(<E as EntityTrait>::Column, sea_orm::Value)>;

/// A pipeline as the engine sees it.
pub trait PipelineDef: Send + Sync + 'static {
    const PIPELINE: Pipeline;
    /// The supplier hears of moves by letter (no thread on its cards): the engine reads the
    /// supplier's addresses for `add_supplier_message`.
    const MESSAGES_BY_LETTER: bool;
    type Entity: EntityTrait<Model = Self::Row>;
    type Row: ModelTrait<Entity = Self::Entity> + FromQueryResult + Clone + Send + Sync;
    type Stage: StageSet;
    /// The checked effect of entering a stage: the dates and comment it sets.
    type Entry: Send + Sync;
    /// What the entry's own effects read before the write transaction.
    type Prepared: Send + Sync;

    fn column(common: Common) -> <Self::Entity as EntityTrait>::Column;

    fn head(row: &Self::Row) -> Head;

    /// The rows `ctx` may see: a supplier only its own counterparty's.
    fn scope(ctx: &Ctx) -> Condition;

    /// The parts of the filter that read differently per pipeline: the period, the text, the
    /// counterparty. (Responsible and amounts are the engine's.)
    fn filtered(filter: &BoardFilter, zone: CompanyZone) -> Condition;

    fn face(row: &Self::Row, stage: Self::Stage, today: NaiveDate) -> Face;

    /// The pure rule of entering `to`: who may, and what it needs.
    fn check_entry(
        role: Role,
        from: Self::Stage,
        to: Self::Stage,
        request: &MoveRequest,
        today: NaiveDate,
    ) -> Result<Self::Entry, MoveError>;

    /// The mover's comment the stage event keeps and the supplier's message quotes.
    fn entry_comment(entry: &Self::Entry) -> Option<String>;

    /// Reads what the entry's effects need, and checks what only the card's own data can say
    /// (a payment request's send is its initiator's, its decision the acting approver's).
    fn prepare(
        ctx: &Ctx,
        db: &Db,
        row: &Self::Row,
        to: Self::Stage,
        entry: &Self::Entry,
        now: Now,
        public_url: &str,
    ) -> impl Future<Output = AppResult<Self::Prepared>> + Send;

    /// Who is responsible after the move when the card itself says so (a payment request's
    /// acting approver); `None` leaves it to the stage's rule.
    fn responsible(_prepared: &Self::Prepared) -> Option<i32> {
        None
    }

    fn entry_writes(
        row: &Self::Row,
        entry: &Self::Entry,
        prepared: &Self::Prepared,
    ) -> Writes<Self::Entity>;

    /// The entry's own effects, in the move's transaction; returns what the audit line adds.
    fn on_entry(
        txn: &WriteTxn,
        ctx: &Ctx,
        row: &Self::Row,
        to: Self::Stage,
        prepared: Self::Prepared,
        now: Now,
    ) -> impl Future<Output = AppResult<Option<String>>> + Send;

    /// What the card's new stage stands for in the settlement ledger (a delivery accepted, a
    /// payment made), which the engine posts in the move's transaction. Pipelines that owe
    /// nothing have none.
    fn settlement(
        _row: &Self::Row,
        _to: Self::Stage,
        _entry: &Self::Entry,
        _prepared: &Self::Prepared,
    ) -> Option<crate::server::repo::ledger::Settlement> {
        None
    }

    /// The stage event's row.
    fn add_event(batch: &mut WriteBatch, event: StageEvent);

    /// Tells the supplier of the move (the stage rule's message): a thread message on a
    /// document, a letter on an order. Pipelines without a supplier have none.
    fn add_supplier_message(
        batch: &mut WriteBatch,
        row: &Self::Row,
        message: &(String, String),
        supplier_emails: &[(String, crate::domain::lang::Lang)],
        now: DateTime<Utc>,
    );
}

/// A card entered a stage.
pub struct StageEvent {
    pub card_id: i32,
    pub from: Option<i32>,
    pub to: i32,
    pub user_id: i32,
    pub comment: Option<String>,
    pub at: DateTime<Utc>,
}

/// Runs `$body` with `$def` naming the declaration of `$pipeline`: the one place, besides
/// `Pipeline::info`, that lists the pipelines.
#[macro_export]
macro_rules! with_pipeline {
    ($pipeline:expr, $def:ident => $body:expr) => {
        match $pipeline {
            $crate::domain::pipeline::Pipeline::Documents => {
                type $def = $crate::server::repo::pipeline::documents::Documents;
                $body
            }
            $crate::domain::pipeline::Pipeline::Deals => {
                type $def = $crate::server::repo::pipeline::deals::Deals;
                $body
            }
            $crate::domain::pipeline::Pipeline::Orders => {
                type $def = $crate::server::repo::pipeline::orders::Orders;
                $body
            }
            $crate::domain::pipeline::Pipeline::Payments => {
                type $def = $crate::server::repo::pipeline::payments::Payments;
                $body
            }
        }
    };
}

/// Rows whose counterparty's name or requisites contain `text`.
pub fn counterparty_matches(column: impl sea_orm::ColumnTrait, text: &str) -> Condition {
    use crate::server::entities::counterparties;
    use sea_orm::sea_query::Query;
    Condition::all().add(
        column.in_subquery(
            Query::select()
                .column(counterparties::Column::Id)
                .from(counterparties::Entity)
                .and_where(sea_orm::ColumnTrait::like(
                    &counterparties::Column::SearchText,
                    super::contains_text(text),
                ))
                .to_owned(),
        ),
    )
}
