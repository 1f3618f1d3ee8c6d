//! What the payment-request server functions exchange with the browser.
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::approvals::{Change, StepReason};
use crate::domain::money::Money;
use crate::domain::payments::{DayGroup, RawRequest, StepState};
use crate::model::board::Choice;
use crate::model::deals::HistoryEntry;
use crate::model::home::StageName;
use crate::model::tasks::ItemFile;

/// A request as its card page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentRequestRow {
    pub id: i32,
    pub version: i32,
    pub stage: StageName,
    pub round: i32,
    pub initiator_user_id: i32,
    pub initiator_name: String,
    pub counterparty_id: i32,
    pub counterparty_name: String,
    /// ИНН/КПП and the bank account, as one line for the approver's eye.
    pub counterparty_requisites: String,
    pub contact_name: Option<String>,
    pub amount: Money,
    pub purpose: String,
    pub cash_flow_item: String,
    pub in_budget: bool,
    pub urgent: bool,
    pub pay_by: Option<NaiveDate>,
    pub comment: String,
    pub paid_on: Option<NaiveDate>,
    pub document_card_id: Option<i32>,
    pub supplier_order_id: Option<i32>,
    pub created_at: DateTime<Utc>,
}

/// One approver's step as the chain on the card shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepView {
    pub round: i32,
    pub position: i32,
    pub approver_name: String,
    pub job_title: String,
    /// The deputy deciding for the approver, when one does.
    pub deputy_name: Option<String>,
    pub reason: StepReason,
    pub state: StepState,
    pub comment: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub activated_at: Option<DateTime<Utc>>,
    /// What changed since this approver's earlier approval (old → new).
    pub changes: Vec<Change>,
}

/// What the viewer may do on the card now.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentActions {
    /// The initiator, in draft or rework: edit, attach, send.
    pub edit: bool,
    /// The acting approver of the pending step: approve or return.
    pub decide: bool,
    /// Accounting, once approved: mark paid.
    pub pay: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentPage {
    pub request: PaymentRequestRow,
    /// Every round's steps, the latest round first.
    pub steps: Vec<StepView>,
    pub invoice: Vec<ItemFile>,
    pub files: Vec<ItemFile>,
    /// The payment order accounting attached (the counterparty sees it once paid).
    pub payment_order: Vec<ItemFile>,
    /// The approval sheet (PDF), once the last approver approved.
    pub sheet: Vec<ItemFile>,
    pub history: Vec<HistoryEntry>,
    pub actions: PaymentActions,
    /// Whom it waits on now, and since when.
    pub waiting_on: Option<(String, DateTime<Utc>)>,
    pub today: NaiveDate,
}

/// A counterparty a request may name, with its contacts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PayeeChoice {
    pub id: i32,
    pub name: String,
    pub requisites: String,
    pub contacts: Vec<Choice>,
}

/// What the request form offers, and what it starts with.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentForm {
    /// The request being edited; `None` for a new one.
    pub id: Option<i32>,
    pub version: i32,
    pub payees: Vec<PayeeChoice>,
    pub items: Vec<Choice>,
    pub values: RawRequest,
    /// The supplier document or order it starts from.
    pub document_card_id: Option<i32>,
    pub supplier_order_id: Option<i32>,
    pub today: NaiveDate,
}

/// One approved request in accounting's payment register.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisterRow {
    pub id: i32,
    pub version: i32,
    pub counterparty_name: String,
    pub purpose: String,
    pub cash_flow_item: String,
    pub in_budget: bool,
    pub amount: Money,
    pub urgent: bool,
    pub pay_by: Option<NaiveDate>,
    /// Its payment order is attached: it can be marked paid.
    pub has_payment_order: bool,
}

/// What the register shows under a filter: approved requests by day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentRegister {
    pub days: Vec<DayGroup<RegisterRow>>,
    pub count: usize,
    pub total: Money,
    pub counterparties: Vec<Choice>,
    pub items: Vec<Choice>,
    /// The viewer is accounting and may mark requests paid.
    pub may_pay: bool,
    pub today: NaiveDate,
}

/// The register's filter, as in the address (`?counterparty=3&item=2`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisterFilter {
    pub counterparty_id: Option<i32>,
    pub cash_flow_item_id: Option<i32>,
}

/// A payment made to the supplier, as its cabinet shows it: no chain, no names.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupplierPayment {
    pub id: i32,
    pub paid_on: NaiveDate,
    pub amount: Money,
    pub purpose: String,
    /// The supplier document it paid, when it started from one: its invoice number.
    pub invoice_number: Option<String>,
    pub document_card_id: Option<i32>,
    pub payment_order: Vec<ItemFile>,
}

/// What marking a day's selection paid did: the requests paid, and those refused with why.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaidSelection {
    pub paid: Vec<i32>,
    pub refused: Vec<(i32, crate::error::AppError)>,
}
