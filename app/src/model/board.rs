//! What the board server functions exchange with the browser.
use crate::domain::money::Money;
use crate::model::home::StageName;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// A card as the board shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoardCard {
    pub id: i32,
    pub version: i32,
    pub stage: crate::domain::pipeline::StageCode,
    /// The invoice number of a document, a deal's or order's number (`#id` until it has one).
    pub number: String,
    /// A deal's title, an order's description.
    pub title: Option<String>,
    /// The counterparty, or a deal's customer.
    pub counterparty_name: String,
    pub amount: Money,
    pub stage_entered_at: DateTime<Utc>,
    pub responsible_initials: Option<String>,
    pub responsible_name: Option<String>,
    /// A document's planned payment date, an order's payment deadline.
    pub planned_payment_date: Option<NaiveDate>,
    /// Was returned for correction at some point.
    pub returned: bool,
    pub overdue: bool,
    pub possible_duplicate: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoardColumn {
    pub stage: StageName,
    /// Cards of the stage matching the filter, and the sum of their amounts.
    pub count: u64,
    pub total: Money,
    /// The first page of them, newest in the stage first.
    pub cards: Vec<BoardCard>,
}

/// A choice for a filter's drop-down.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    pub id: i32,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Board {
    pub pipeline: crate::domain::board::Pipeline,
    pub columns: Vec<BoardColumn>,
    pub counterparties: Vec<Choice>,
    pub staff: Vec<Choice>,
    /// The change the board is current to: live updates resume after it.
    pub last_change: i64,
}
