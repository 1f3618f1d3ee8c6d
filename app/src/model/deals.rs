//! What the deals server functions exchange with the browser.
use crate::domain::money::Money;
use crate::model::board::Choice;
use crate::model::home::StageName;
use crate::model::papers::{ContractRow, OrderRow, SpecificationRow};
use crate::model::tasks::TaskRow;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// A stage move in a card's history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry {
    pub at: DateTime<Utc>,
    pub stage: StageName,
    pub by: Option<String>,
    pub comment: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DealPage {
    pub id: i32,
    pub version: i32,
    pub number: Option<String>,
    pub title: String,
    pub customer: String,
    pub amount: Money,
    pub stage: StageName,
    pub responsible_user_id: Option<i32>,
    pub responsible_name: Option<String>,
    pub created_at: DateTime<Utc>,
    pub numbered_at: Option<DateTime<Utc>>,
    pub stages: Vec<StageName>,
    pub history: Vec<HistoryEntry>,
    pub contracts: Vec<ContractRow>,
    pub specifications: Vec<SpecificationRow>,
    pub orders: Vec<OrderRow>,
    pub tasks: Vec<TaskRow>,
    /// For the forms on the page: counterparties (new contract) and staff (responsible).
    pub counterparties: Vec<Choice>,
    pub staff: Vec<Choice>,
    pub today: NaiveDate,
}
