//! What the papers server functions exchange with the browser.
use crate::domain::deadlines::DeferralBase;
use crate::domain::money::Money;
use crate::domain::upload::VatRate;
use crate::model::board::Choice;
use crate::model::deals::HistoryEntry;
use crate::model::home::StageName;
use crate::model::tasks::TaskRow;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContractRow {
    pub id: i32,
    pub number: Option<String>,
    pub counterparty_id: i32,
    pub counterparty_name: String,
    pub deal_id: Option<i32>,
    pub deal_number: Option<String>,
    pub signed_on: NaiveDate,
    pub deferral_days: i32,
    pub deferral_base: DeferralBase,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpecificationRow {
    pub id: i32,
    pub number: Option<String>,
    pub contract_id: i32,
    pub contract_number: Option<String>,
    pub counterparty_name: String,
    pub deal_id: Option<i32>,
    pub dated_on: NaiveDate,
    pub total: Money,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderRow {
    pub id: i32,
    pub version: i32,
    pub number: Option<String>,
    pub counterparty_id: i32,
    pub counterparty_name: String,
    pub deal_id: Option<i32>,
    pub deal_number: Option<String>,
    pub contract_id: i32,
    pub contract_number: Option<String>,
    pub amount: Money,
    pub stage: StageName,
    pub planned_delivery_on: Option<NaiveDate>,
    pub delivered_on: Option<NaiveDate>,
    pub closing_documents_on: Option<NaiveDate>,
    pub payment_deadline: Option<NaiveDate>,
    pub paid_on: Option<NaiveDate>,
    /// Unpaid after the deadline: red for staff and the supplier.
    pub overdue: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpecificationLineRow {
    pub name: String,
    pub quantity: String,
    pub unit: String,
    pub price: Money,
    pub vat: VatRate,
    pub amount: Money,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContractPage {
    pub contract: ContractRow,
    pub files: Vec<crate::model::tasks::ItemFile>,
    pub specifications: Vec<SpecificationRow>,
    pub orders: Vec<OrderRow>,
    pub today: NaiveDate,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpecificationPage {
    pub specification: SpecificationRow,
    pub files: Vec<crate::model::tasks::ItemFile>,
    pub lines: Vec<SpecificationLineRow>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderPage {
    pub order: OrderRow,
    pub files: Vec<crate::model::tasks::ItemFile>,
    pub description: String,
    pub deferral_days: i32,
    pub deferral_base: DeferralBase,
    /// Staff only: the stages to move to, the history and the order's tasks.
    pub stages: Vec<StageName>,
    pub history: Vec<HistoryEntry>,
    pub tasks: Vec<TaskRow>,
    pub created_at: DateTime<Utc>,
    pub today: NaiveDate,
}

/// What a supplier sees of its papers: orders, contracts and specifications.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupplierPapers {
    pub orders: Vec<OrderRow>,
    pub contracts: Vec<ContractRow>,
    pub specifications: Vec<SpecificationRow>,
    pub today: NaiveDate,
}

/// Contracts to choose from when making a specification or an order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContractChoices {
    pub contracts: Vec<Choice>,
}
