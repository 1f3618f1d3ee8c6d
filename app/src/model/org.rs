//! What the org-structure settings exchange with the browser: departments, where each staff
//! member sits and whom their requests go to, deputies, cash-flow items and approval rules.
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::access::Role;
use crate::domain::money::Money;
use crate::model::board::Choice;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DepartmentRow {
    pub id: i32,
    pub name: String,
    pub parent_id: Option<i32>,
    pub head_user_id: Option<i32>,
    pub head_name: Option<String>,
    pub directorate: bool,
    /// How deep in the tree it is (0 for a top department), for the chart's indent.
    pub depth: usize,
}

/// Whom a person's payment requests go to, as the chain stands today.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ChainView {
    Approvers(Vec<String>),
    /// Nobody is above them and no rule adds anyone.
    NoApprover,
    /// Their line goes round in a circle.
    Loop,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonRow {
    pub user_id: i32,
    pub name: String,
    pub role: Role,
    pub department_id: Option<i32>,
    /// Set by hand; `None` means the department's head.
    pub line_manager_id: Option<i32>,
    pub job_title: String,
    pub chain: ChainView,
    /// The person acting for them today, when they named a deputy.
    pub deputy_today: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeputyRow {
    pub id: i32,
    pub user_name: String,
    pub deputy_name: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CashFlowItemRow {
    pub id: i32,
    pub code: String,
    pub name: String,
    pub active: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleRow {
    pub id: i32,
    pub min_amount: Option<Money>,
    pub cash_flow_item_id: Option<i32>,
    pub approver_user_id: i32,
    pub active: bool,
}

/// The whole settings page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgSettings {
    /// In tree order: each department right after its parent.
    pub departments: Vec<DepartmentRow>,
    pub people: Vec<PersonRow>,
    pub deputies: Vec<DeputyRow>,
    pub items: Vec<CashFlowItemRow>,
    pub rules: Vec<RuleRow>,
    pub staff: Vec<Choice>,
    /// Who is looking: they may name their own deputy.
    pub viewer_id: i32,
    /// An admin may change everything.
    pub can_edit: bool,
}

/// A department as the form sends it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DepartmentInput {
    pub name: String,
    #[serde(default)]
    pub parent: Option<String>,
    #[serde(default)]
    pub head: Option<String>,
    #[serde(default)]
    pub directorate: Option<String>,
}

/// A person's place as the form sends it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlacementInput {
    #[serde(default)]
    pub department: Option<String>,
    #[serde(default)]
    pub line_manager: Option<String>,
    #[serde(default)]
    pub job_title: Option<String>,
}
