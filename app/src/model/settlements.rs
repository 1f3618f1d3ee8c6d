//! What the settlements server functions exchange with the browser.
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::money::Money;
use crate::domain::settlements::{
    Account, BlockMode, DebtorRule, EntryKind, Figures, InFavourOf, Overdue, Period, Verdict,
};

/// The compact panel on every cabinet page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BalanceSummary {
    pub balance: Money,
    pub in_favour: InFavourOf,
    pub overdue: Overdue,
    pub block: BlockMode,
    pub block_reason: Option<String>,
    pub credit_limit: Option<Money>,
}

/// One account's standing: a contract's, or the entries under no contract.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContractBalance {
    pub account: Account,
    /// The contract's number, when it has one.
    pub number: Option<String>,
    pub signed_on: Option<NaiveDate>,
    pub deferral_days: Option<i32>,
    pub balance: Money,
    pub overdue: Overdue,
}

/// One entry as the balance page's table shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryRow {
    pub id: i32,
    pub date: NaiveDate,
    pub kind: EntryKind,
    pub reversal: bool,
    pub number: String,
    pub document_date: NaiveDate,
    pub contract: Option<String>,
    pub debit: Option<Money>,
    pub credit: Option<Money>,
    pub running: Money,
    pub due: Option<NaiveDate>,
    pub overdue: bool,
}

/// A counterparty's balance page: the panel, each account, and the chosen account's entries
/// over the chosen period.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BalancePage {
    pub counterparty_id: i32,
    pub counterparty: String,
    pub summary: BalanceSummary,
    pub accounts: Vec<ContractBalance>,
    pub account: Account,
    pub period: Period,
    pub figures: Figures,
    /// The entries of the period shown: all of them, or one page.
    pub rows: Vec<EntryRow>,
    /// How many entries the period holds, on how many pages; the page shown.
    pub entries: u64,
    pub page: u64,
    pub pages: u64,
    /// The periods the page offers in one click: this quarter, the last one, this year.
    pub quick: QuickPeriods,
    /// The supplier's replies to its statements, newest first.
    pub replies: Vec<StatementReplyRow>,
    /// Whether the caller may confirm or dispute (the counterparty's own people).
    pub may_reply: bool,
}

/// A supplier's reply to a statement as the balance page shows it, with accounting's answer
/// to a dispute once there is one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatementReplyRow {
    pub id: i32,
    pub verdict: Verdict,
    pub account: Account,
    pub period: Period,
    pub closing: Money,
    /// The disputed entry's document number.
    pub entry_number: Option<String>,
    pub comment: String,
    pub by: String,
    pub at: DateTime<Utc>,
    pub task_id: Option<i32>,
    /// Accounting closed the dispute's task.
    pub resolved: bool,
    /// Accounting's latest comment on the dispute.
    pub answer: Option<String>,
}

/// The periods a balance page offers in one click, counted from the company's today.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuickPeriods {
    pub this_quarter: Period,
    pub last_quarter: Period,
    pub year_to_date: Period,
}

/// One counterparty on the staff's debtors list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DebtorRow {
    pub counterparty_id: i32,
    pub name: String,
    pub balance: Money,
    pub overdue: Overdue,
    pub credit_limit: Option<Money>,
    /// Share of the limit used, in whole percent, when there is a limit.
    pub limit_used_percent: Option<u32>,
    pub block: BlockMode,
    pub block_by_rule: bool,
    pub debtor: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DebtorsPage {
    pub rows: Vec<DebtorRow>,
    pub rule: DebtorRule,
    pub may_edit_rule: bool,
}
