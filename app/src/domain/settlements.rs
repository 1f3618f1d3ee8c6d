//! Settlements with a counterparty (DESIGN.md, reference 004): the ledger's entries, the
//! balance per contract and in total, what is overdue, the reconciliation statement's figures
//! and the access block a debtor gets.
//!
//! The ledger is kept in our books on the counterparty's account: a *credit* raises what we owe
//! it (its accepted invoice or act, a delivered order), a *debit* lowers it (our payment) or,
//! past zero, makes the counterparty owe us (an advance, a return). A balance above zero is in
//! the counterparty's favour.
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::deals::OrderStage;
use super::form::FieldError;
use super::lang::Lang;
use super::money::Money;
use super::stage::DocumentStage;
use super::upload::DocumentKind;

/// The side of our books an entry stands on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// We owe more (the counterparty delivered, invoiced, acted).
    Credit,
    /// We owe less (we paid), or the counterparty owes us.
    Debit,
}

impl Side {
    pub const ALL: [Side; 2] = [Side::Credit, Side::Debit];

    pub fn code(self) -> &'static str {
        match self {
            Side::Credit => "credit",
            Side::Debit => "debit",
        }
    }

    pub fn from_code(code: &str) -> Option<Side> {
        Side::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn other(self) -> Side {
        match self {
            Side::Credit => Side::Debit,
            Side::Debit => Side::Credit,
        }
    }
}

/// What an entry comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// A supplier's document card (invoice with act).
    Document,
    /// A supplier order.
    Order,
    /// An import from the accounting system (its id: the import's).
    Import,
}

impl Source {
    pub const ALL: [Source; 3] = [Source::Document, Source::Order, Source::Import];

    pub fn code(self) -> &'static str {
        match self {
            Source::Document => "document",
            Source::Order => "order",
            Source::Import => "import",
        }
    }

    pub fn from_code(code: &str) -> Option<Source> {
        Source::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// What an entry records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    /// The counterparty's delivery or invoice accepted: we owe it.
    Accrual,
    /// Our payment.
    Payment,
    /// An entry of the accounting system's (an opening balance, a payment made there), on
    /// the side its row gives.
    Imported,
}

impl EntryKind {
    pub const ALL: [EntryKind; 3] = [EntryKind::Accrual, EntryKind::Payment, EntryKind::Imported];

    pub fn code(self) -> &'static str {
        match self {
            EntryKind::Accrual => "accrual",
            EntryKind::Payment => "payment",
            EntryKind::Imported => "imported",
        }
    }

    pub fn from_code(code: &str) -> Option<EntryKind> {
        EntryKind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// The side an event's entry of this kind stands on (its reversal stands on the other);
    /// an imported entry stands where its row puts it.
    pub fn side(self) -> Option<Side> {
        match self {
            EntryKind::Accrual => Some(Side::Credit),
            EntryKind::Payment => Some(Side::Debit),
            EntryKind::Imported => None,
        }
    }

    /// `Счёт № 12 от 01.10.2026`-style label of what the entry records.
    pub fn label(self, lang: Lang, reversal: bool) -> &'static str {
        match (lang, self, reversal) {
            (Lang::Ru, EntryKind::Accrual, false) => "Поступление (акт, накладная)",
            (Lang::Ru, EntryKind::Payment, false) => "Оплата",
            (Lang::Ru, EntryKind::Accrual, true) => "Сторно поступления",
            (Lang::Ru, EntryKind::Payment, true) => "Сторно оплаты",
            (Lang::En, EntryKind::Accrual, false) => "Delivery (act, invoice)",
            (Lang::En, EntryKind::Payment, false) => "Payment",
            (Lang::En, EntryKind::Accrual, true) => "Delivery reversed",
            (Lang::En, EntryKind::Payment, true) => "Payment reversed",
            (Lang::Ru, EntryKind::Imported, false) => "Из учётной системы",
            (Lang::Ru, EntryKind::Imported, true) => "Сторно (из учётной системы)",
            (Lang::En, EntryKind::Imported, false) => "From the accounting system",
            (Lang::En, EntryKind::Imported, true) => "Reversal (accounting system)",
        }
    }
}

/// One ledger entry as the rules see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Line {
    pub date: NaiveDate,
    pub side: Side,
    pub amount: Money,
    /// When a credit is to be paid by (the contract's deferral), or an advance closed by.
    pub due: Option<NaiveDate>,
    pub contract_id: Option<i32>,
}

impl Line {
    /// What the entry adds to the balance: plus in the counterparty's favour.
    pub fn signed(&self) -> Money {
        match self.side {
            Side::Credit => self.amount,
            Side::Debit => Money::ZERO - self.amount,
        }
    }
}

/// What a card's stage stands for in the ledger: its delivery accepted, its payment made.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Wanted {
    pub accrued: bool,
    pub paid: bool,
}

/// The entries that bring what a card has posted (`posted`: entries net of reversals) to what
/// its stage wants: each missing kind is posted, each kind no longer wanted is reversed
/// (a correction is a reversing entry, never an edit). A move that changes nothing in the
/// ledger posts nothing, so a card posts each entry exactly once however it moves.
pub fn postings(posted: Wanted, wanted: Wanted) -> Vec<(EntryKind, bool)> {
    let mut out = Vec::new();
    for (kind, has, wants) in [
        (EntryKind::Accrual, posted.accrued, wanted.accrued),
        (EntryKind::Payment, posted.paid, wanted.paid),
    ] {
        match (has, wants) {
            (false, true) => out.push((kind, false)),
            (true, false) => out.push((kind, true)),
            _ => {}
        }
    }
    out
}

/// What a supplier document in `stage` stands for: an invoice with its act counts once it is
/// accepted (past review, into accounting) and is paid in "paid". Closing documents and other
/// papers close what an order or invoice raised and count for nothing themselves; a document
/// returned for correction is not accepted.
pub fn document_wants(kind: DocumentKind, stage: DocumentStage) -> Wanted {
    if kind != DocumentKind::InvoiceWithAct {
        return Wanted::default();
    }
    use DocumentStage::*;
    Wanted {
        accrued: matches!(stage, Accounting | PaymentPlan | Paid),
        paid: stage == Paid,
    }
}

/// What a supplier order in `stage` stands for: delivered, we owe it; paid, we paid it.
pub fn order_wants(stage: OrderStage) -> Wanted {
    use OrderStage::*;
    Wanted {
        accrued: matches!(stage, Delivered | ClosingDocs | Paid),
        paid: stage == Paid,
    }
}

/// Whom a balance is in favour of.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InFavourOf {
    /// We owe the counterparty.
    Counterparty,
    /// The counterparty owes us.
    Us,
    Nobody,
}

pub fn in_favour_of(balance: Money) -> InFavourOf {
    if balance > Money::ZERO {
        InFavourOf::Counterparty
    } else if balance < Money::ZERO {
        InFavourOf::Us
    } else {
        InFavourOf::Nobody
    }
}

/// The magnitude of a signed amount.
pub fn magnitude(amount: Money) -> Money {
    if amount < Money::ZERO {
        Money::ZERO - amount
    } else {
        amount
    }
}

/// The balance of `lines`: plus in the counterparty's favour.
pub fn balance(lines: &[Line]) -> Money {
    lines.iter().map(Line::signed).sum()
}

/// The balance after each of `lines`, in their order, starting from `opening`.
pub fn running(opening: Money, lines: &[Line]) -> Vec<Money> {
    let mut at = opening;
    lines
        .iter()
        .map(|line| {
            at = at + line.signed();
            at
        })
        .collect()
}

/// What is past its deadline on one account (a contract, or all of them).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Overdue {
    /// What we owe the counterparty past its deadline.
    pub we_owe: Money,
    /// What the counterparty owes us (advances not closed) past its deadline.
    pub they_owe: Money,
    /// The most days anything open is past its deadline.
    pub days: i64,
    /// The earliest deadline still open, overdue or not.
    pub next_due: Option<NaiveDate>,
}

impl Overdue {
    pub fn any(&self) -> bool {
        self.we_owe > Money::ZERO || self.they_owe > Money::ZERO
    }

    /// Two accounts' overdue together.
    pub fn and(self, other: Overdue) -> Overdue {
        Overdue {
            we_owe: self.we_owe + other.we_owe,
            they_owe: self.they_owe + other.they_owe,
            days: self.days.max(other.days),
            next_due: match (self.next_due, other.next_due) {
                (Some(x), Some(y)) => Some(x.min(y)),
                (x, y) => x.or(y),
            },
        }
    }
}

/// What each of `lines` (one account, in date order) has left open, first in first out: each
/// entry first closes the oldest open entries of the other side; what it has left is open.
pub fn open_remainders(lines: &[Line]) -> Vec<Money> {
    let mut left: Vec<Money> = lines.iter().map(|l| l.amount).collect();
    // Indexes of the entries still open, per side, oldest first.
    let mut credits = std::collections::VecDeque::new();
    let mut debits = std::collections::VecDeque::new();
    for (i, line) in lines.iter().enumerate() {
        let (against, own) = match line.side {
            Side::Credit => (&mut debits, &mut credits),
            Side::Debit => (&mut credits, &mut debits),
        };
        while left[i] > Money::ZERO {
            let Some(&j) = against.front() else { break };
            if left[j] > left[i] {
                left[j] = left[j] - left[i];
                left[i] = Money::ZERO;
            } else {
                left[i] = left[i] - left[j];
                left[j] = Money::ZERO;
                against.pop_front();
            }
        }
        if left[i] > Money::ZERO {
            own.push_back(i);
        }
    }
    left
}

/// Whether the entry with `remainder` left open is past its deadline at `today`.
pub fn is_line_overdue(line: &Line, remainder: Money, today: NaiveDate) -> bool {
    remainder > Money::ZERO && line.due.is_some_and(|due| due < today)
}

/// What is overdue on one account at `today`, first in first out: each payment closes the
/// oldest credits first; what a credit has left after them is open until its deadline, and a
/// payment beyond every credit (an advance) is what the counterparty owes until its own.
/// An entry without a deadline is never overdue.
pub fn overdue(lines: &[Line], today: NaiveDate) -> Overdue {
    let mut sorted: Vec<Line> = lines.to_vec();
    sorted.sort_by_key(|l| l.date);
    let remainders = open_remainders(&sorted);
    let mut result = Overdue::default();
    for (line, amount) in sorted.iter().zip(remainders) {
        let Some(due) = line.due.filter(|_| amount > Money::ZERO) else {
            continue;
        };
        result.next_due = Some(result.next_due.map_or(due, |d: NaiveDate| d.min(due)));
        if due < today {
            match line.side {
                Side::Credit => result.we_owe = result.we_owe + amount,
                Side::Debit => result.they_owe = result.they_owe + amount,
            }
            result.days = result.days.max((today - due).num_days());
        }
    }
    result
}

/// The lines per account: each contract's, then those under no contract, in first-seen order.
pub fn by_contract(lines: &[Line]) -> Vec<(Option<i32>, Vec<Line>)> {
    let mut accounts: Vec<(Option<i32>, Vec<Line>)> = Vec::new();
    for line in lines {
        match accounts.iter_mut().find(|(c, _)| *c == line.contract_id) {
            Some((_, list)) => list.push(line.clone()),
            None => accounts.push((line.contract_id, vec![line.clone()])),
        }
    }
    accounts
}

/// Overdue over every account: each contract is settled on its own (a payment under one
/// contract does not close another's debt).
pub fn overdue_by_account(lines: &[Line], today: NaiveDate) -> Overdue {
    by_contract(lines)
        .iter()
        .map(|(_, lines)| overdue(lines, today))
        .fold(Overdue::default(), Overdue::and)
}

/// The side of the books an account's open entries stand on: first in first out leaves open
/// only entries of the side its balance is on.
pub fn open_side(balance: Money) -> Option<Side> {
    match in_favour_of(balance) {
        InFavourOf::Counterparty => Some(Side::Credit),
        InFavourOf::Us => Some(Side::Debit),
        InFavourOf::Nobody => None,
    }
}

/// What each of an account's newest entries has left open, from its balance alone: `newest_first`
/// are its entries newest first (all of them, or at least those of its [`open_side`] that add
/// up to the balance). First in first out closes the oldest entries of a side first, so what
/// is open is exactly the newest entries of the balance's side, the oldest of them in part;
/// every other entry has nothing open. The same as [`open_remainders`] over the whole history.
pub fn open_of_newest(balance: Money, newest_first: &[Line]) -> Vec<Money> {
    let side = open_side(balance);
    let mut left = magnitude(balance);
    newest_first
        .iter()
        .map(|line| {
            if Some(line.side) != side || left <= Money::ZERO {
                return Money::ZERO;
            }
            let open = line.amount.min(left);
            left = left - open;
            open
        })
        .collect()
}

/// [`overdue`] of one account without its whole history: from its balance and its newest
/// entries (see [`open_of_newest`]).
pub fn overdue_of_open(balance: Money, newest_first: &[Line], today: NaiveDate) -> Overdue {
    let mut result = Overdue::default();
    for (line, open) in newest_first
        .iter()
        .zip(open_of_newest(balance, newest_first))
    {
        let Some(due) = line.due.filter(|_| open > Money::ZERO) else {
            continue;
        };
        result.next_due = Some(result.next_due.map_or(due, |d: NaiveDate| d.min(due)));
        if due < today {
            match line.side {
                Side::Credit => result.we_owe = result.we_owe + open,
                Side::Debit => result.they_owe = result.they_owe + open,
            }
            result.days = result.days.max((today - due).num_days());
        }
    }
    result
}

/// How many entries one page of the balance table lists.
pub const ENTRIES_PER_PAGE: u64 = 100;

/// Which of a period's entries a reader wants: every one (a statement), or one page of
/// [`ENTRIES_PER_PAGE`] (the balance page), counted from 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntryRows {
    All,
    Page(u64),
}

impl EntryRows {
    /// The page an address asks for: a positive number, else the first.
    pub fn page_of_query(value: Option<&str>) -> EntryRows {
        EntryRows::Page(
            value
                .and_then(|v| v.trim().parse::<u64>().ok())
                .filter(|p| *p > 0)
                .unwrap_or(1),
        )
    }

    /// Where the rows wanted start among `total`, how many of them, and the page it is (kept
    /// within the pages there are).
    pub fn window(self, total: u64) -> Window {
        match self {
            EntryRows::All => Window {
                offset: 0,
                limit: None,
                page: 1,
            },
            EntryRows::Page(page) => {
                let page = page.clamp(1, entry_pages(total));
                Window {
                    offset: (page - 1) * ENTRIES_PER_PAGE,
                    limit: Some(ENTRIES_PER_PAGE),
                    page,
                }
            }
        }
    }
}

/// The rows of a period one reader gets (see [`EntryRows::window`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    pub offset: u64,
    pub limit: Option<u64>,
    pub page: u64,
}

/// How many pages `total` entries fill (one, when there are none).
pub fn entry_pages(total: u64) -> u64 {
    total.div_ceil(ENTRIES_PER_PAGE).max(1)
}

/// Which account a page or statement shows: all of them, one contract, or the entries under no
/// contract.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Account {
    #[default]
    All,
    Contract(i32),
    NoContract,
}

impl Account {
    /// `all` (or empty), `none`, or a contract's id, as the address carries it.
    pub fn from_query(value: &str) -> Option<Account> {
        match value.trim() {
            "" | "all" => Some(Account::All),
            "none" => Some(Account::NoContract),
            id => id.parse().ok().filter(|id| *id > 0).map(Account::Contract),
        }
    }

    pub fn to_query(self) -> String {
        match self {
            Account::All => "all".to_owned(),
            Account::NoContract => "none".to_owned(),
            Account::Contract(id) => id.to_string(),
        }
    }

    pub fn holds(self, contract_id: Option<i32>) -> bool {
        match self {
            Account::All => true,
            Account::NoContract => contract_id.is_none(),
            Account::Contract(id) => contract_id == Some(id),
        }
    }
}

/// A reconciliation statement's period, both ends inclusive.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// The longest period one statement covers.
pub const MAX_PERIOD_DAYS: i64 = 366 * 5;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum PeriodError {
    #[error("the period ends before it starts")]
    Reversed,
    #[error("the period is longer than five years")]
    TooLong,
}

impl Period {
    pub fn new(from: NaiveDate, to: NaiveDate) -> Result<Period, PeriodError> {
        if to < from {
            return Err(PeriodError::Reversed);
        }
        if (to - from).num_days() > MAX_PERIOD_DAYS {
            return Err(PeriodError::TooLong);
        }
        Ok(Period { from, to })
    }

    /// The current quarter up to `today`: what a supplier asks for most.
    pub fn quarter_to_date(today: NaiveDate) -> Period {
        use chrono::Datelike;
        let month = (today.month0() / 3) * 3 + 1;
        let from = NaiveDate::from_ymd_opt(today.year(), month, 1).unwrap_or(today);
        Period { from, to: today }
    }

    /// This calendar year up to `today`.
    pub fn year_to_date(today: NaiveDate) -> Period {
        use chrono::Datelike;
        Period {
            from: today.with_ordinal(1).unwrap_or(today),
            to: today,
        }
    }

    /// The whole quarter before the one `today` is in.
    pub fn last_quarter(today: NaiveDate) -> Period {
        let this = Period::quarter_to_date(today);
        let to = this.from.pred_opt().unwrap_or(this.from);
        Period {
            from: Period::quarter_to_date(to).from,
            to,
        }
    }

    /// The period an address asks for (`from`, `to` as YYYY-MM-DD, either may be blank): none
    /// is this quarter to date, only `from` runs to today, only `to` starts at its quarter.
    pub fn from_query(
        from: Option<&str>,
        to: Option<&str>,
        today: NaiveDate,
    ) -> Result<Period, (&'static str, FieldError)> {
        let parse = |field: &'static str, value: Option<&str>| match value
            .map(str::trim)
            .filter(|v| !v.is_empty())
        {
            None => Ok(None),
            Some(v) => NaiveDate::parse_from_str(v, "%Y-%m-%d")
                .map(Some)
                .map_err(|_| (field, FieldError::BadDate)),
        };
        let (from, to) = (parse("from", from)?, parse("to", to)?);
        let (from, to) = match (from, to) {
            (None, None) => return Ok(Period::quarter_to_date(today)),
            (Some(f), None) => (f, today.max(f)),
            (None, Some(t)) => (Period::quarter_to_date(t).from, t),
            (Some(f), Some(t)) => (f, t),
        };
        Period::new(from, to).map_err(|e| {
            (
                "to",
                match e {
                    PeriodError::Reversed => FieldError::PeriodReversed,
                    PeriodError::TooLong => FieldError::PeriodTooLong,
                },
            )
        })
    }

    pub fn contains(&self, date: NaiveDate) -> bool {
        self.from <= date && date <= self.to
    }
}

/// A statement's figures: the balance before the period, the turnover of each side within it
/// and the balance at its end.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figures {
    pub opening: Money,
    pub debit: Money,
    pub credit: Money,
    pub closing: Money,
}

/// The figures of `lines` over `period`; lines after it count for nothing.
pub fn figures(lines: &[Line], period: Period) -> Figures {
    let mut f = Figures {
        opening: Money::ZERO,
        debit: Money::ZERO,
        credit: Money::ZERO,
        closing: Money::ZERO,
    };
    for line in lines {
        if line.date < period.from {
            f.opening = f.opening + line.signed();
        } else if line.date <= period.to {
            match line.side {
                Side::Credit => f.credit = f.credit + line.amount,
                Side::Debit => f.debit = f.debit + line.amount,
            }
        }
    }
    f.closing = f.opening + f.credit - f.debit;
    f
}

/// One entry as the statement prints it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatementEntry {
    pub date: NaiveDate,
    pub kind: EntryKind,
    pub reversal: bool,
    pub number: String,
    pub document_date: NaiveDate,
    pub debit: Option<Money>,
    pub credit: Option<Money>,
}

/// What a statement is made of.
#[derive(Clone, Copy)]
pub struct StatementInput<'a> {
    pub lang: Lang,
    pub company: &'a str,
    pub counterparty: &'a str,
    /// The contract it is for, or all of them.
    pub contract: Option<&'a str>,
    pub period: Period,
    pub figures: Figures,
    pub entries: &'a [StatementEntry],
    pub made_on: NaiveDate,
}

/// A line of the statement's table, on our side (the counterparty's side mirrors it: our
/// debit is its credit).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatementRow {
    pub date: Option<NaiveDate>,
    pub document: String,
    pub debit: Option<Money>,
    pub credit: Option<Money>,
    /// Balances and turnovers, in bold.
    pub strong: bool,
}

/// The reconciliation statement (акт сверки взаимных расчётов) as 1C lays it out: the
/// heading, both parties' columns, the opening balance, every entry, the turnovers, the
/// closing balance, whom it is in favour of, and places for both signatures.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Statement {
    pub title: String,
    pub heading: String,
    pub ours: String,
    pub theirs: String,
    pub columns: [String; 4],
    pub rows: Vec<StatementRow>,
    pub conclusion: String,
    pub signatures: [Vec<String>; 2],
    pub footer: String,
}

/// A balance as a statement row: a balance in the counterparty's favour stands in our credit.
fn balance_row(document: String, balance: Money) -> StatementRow {
    let (debit, credit) = match in_favour_of(balance) {
        InFavourOf::Counterparty => (None, Some(balance)),
        InFavourOf::Us => (Some(magnitude(balance)), None),
        InFavourOf::Nobody => (None, None),
    };
    StatementRow {
        date: None,
        document,
        debit,
        credit,
        strong: true,
    }
}

pub fn statement(input: &StatementInput) -> Statement {
    use super::format::format_date;
    let lang = input.lang;
    let (from, to) = (
        format_date(input.period.from, lang),
        format_date(input.period.to, lang),
    );
    let between = match lang {
        Lang::Ru => format!("между {} и {}", input.company, input.counterparty),
        Lang::En => format!("between {} and {}", input.company, input.counterparty),
    };
    let contract = match (lang, input.contract) {
        (Lang::Ru, Some(c)) => format!(" по договору {c}"),
        (Lang::En, Some(c)) => format!(" under contract {c}"),
        (_, None) => String::new(),
    };
    let (title, heading) = match lang {
        Lang::Ru => (
            "Акт сверки взаимных расчётов".to_owned(),
            format!(
                "за период: {from} – {to}\n{between}{contract}\nМы, нижеподписавшиеся, составили настоящий акт сверки в том, что состояние взаимных расчётов по данным учёта следующее:"
            ),
        ),
        Lang::En => (
            "Reconciliation statement".to_owned(),
            format!(
                "for the period {from} – {to}\n{between}{contract}\nWe, the undersigned, have drawn up this statement of the state of mutual settlements according to our records:"
            ),
        ),
    };
    let (ours, theirs, columns) = match lang {
        Lang::Ru => (
            format!("По данным {}, руб.", input.company),
            format!("По данным {}, руб.", input.counterparty),
            ["Дата", "Документ", "Дебет", "Кредит"].map(str::to_owned),
        ),
        Lang::En => (
            format!("According to {}, RUB", input.company),
            format!("According to {}, RUB", input.counterparty),
            ["Date", "Document", "Debit", "Credit"].map(str::to_owned),
        ),
    };
    let f = input.figures;
    let mut rows = vec![balance_row(
        match lang {
            Lang::Ru => "Сальдо начальное".to_owned(),
            Lang::En => "Opening balance".to_owned(),
        },
        f.opening,
    )];
    for e in input.entries {
        let document = match lang {
            Lang::Ru => format!(
                "{} (№ {} от {})",
                e.kind.label(lang, e.reversal),
                e.number,
                format_date(e.document_date, lang)
            ),
            Lang::En => format!(
                "{} (No. {} of {})",
                e.kind.label(lang, e.reversal),
                e.number,
                format_date(e.document_date, lang)
            ),
        };
        rows.push(StatementRow {
            date: Some(e.date),
            document,
            debit: e.debit,
            credit: e.credit,
            strong: false,
        });
    }
    rows.push(StatementRow {
        date: None,
        document: match lang {
            Lang::Ru => "Обороты за период".to_owned(),
            Lang::En => "Turnover for the period".to_owned(),
        },
        debit: Some(f.debit),
        credit: Some(f.credit),
        strong: true,
    });
    rows.push(balance_row(
        match lang {
            Lang::Ru => "Сальдо конечное".to_owned(),
            Lang::En => "Closing balance".to_owned(),
        },
        f.closing,
    ));
    let amount = magnitude(f.closing).format(lang);
    let conclusion = match (lang, in_favour_of(f.closing)) {
        (Lang::Ru, InFavourOf::Counterparty) => format!(
            "По данным {} на {to} задолженность в пользу {} составляет {amount}",
            input.company, input.counterparty
        ),
        (Lang::Ru, InFavourOf::Us) => format!(
            "По данным {} на {to} задолженность в пользу {} составляет {amount}",
            input.company, input.company
        ),
        (Lang::Ru, InFavourOf::Nobody) => {
            format!(
                "По данным {} на {to} задолженность отсутствует",
                input.company
            )
        }
        (Lang::En, InFavourOf::Counterparty) => format!(
            "According to {} as of {to}, the balance in favour of {} is {amount}",
            input.company, input.counterparty
        ),
        (Lang::En, InFavourOf::Us) => format!(
            "According to {} as of {to}, the balance in favour of {} is {amount}",
            input.company, input.company
        ),
        (Lang::En, InFavourOf::Nobody) => format!(
            "According to {} as of {to}, there is no outstanding balance",
            input.company
        ),
    };
    let sign = |party: &str| match lang {
        Lang::Ru => vec![
            format!("От {party}"),
            "Руководитель ____________ (____________)".to_owned(),
            "Главный бухгалтер ____________ (____________)".to_owned(),
            "М. П.".to_owned(),
        ],
        Lang::En => vec![
            format!("For {party}"),
            "Director ____________ (____________)".to_owned(),
            "Chief accountant ____________ (____________)".to_owned(),
            "Seal".to_owned(),
        ],
    };
    Statement {
        title,
        heading,
        ours,
        theirs,
        columns,
        rows,
        conclusion,
        signatures: [sign(input.company), sign(input.counterparty)],
        footer: match lang {
            Lang::Ru => format!("Сформирован {} · стр.", format_date(input.made_on, lang)),
            Lang::En => format!("Made on {} · page", format_date(input.made_on, lang)),
        },
    }
}

/// How a counterparty's access is limited.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BlockMode {
    #[default]
    None,
    /// Every cabinet page leads to the balance page; the statement and uploads stay open.
    BalanceOnly,
    /// Its users cannot sign in.
    Full,
}

impl BlockMode {
    pub const ALL: [BlockMode; 3] = [BlockMode::None, BlockMode::BalanceOnly, BlockMode::Full];

    pub fn code(self) -> &'static str {
        match self {
            BlockMode::None => "none",
            BlockMode::BalanceOnly => "balance_only",
            BlockMode::Full => "full",
        }
    }

    pub fn from_code(code: &str) -> Option<BlockMode> {
        BlockMode::ALL.into_iter().find(|m| m.code() == code)
    }
}

/// A counterparty's block: its mode, and whether the debtor rule set it (the rule lifts only
/// what it set; a block set by hand stays until lifted by hand).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlockState {
    pub mode: BlockMode,
    pub by_rule: bool,
}

/// The admin's debtor rule: overdue beyond `overdue_days`, or owing us over the credit limit,
/// puts the counterparty on balance only.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DebtorRule {
    pub enabled: bool,
    pub overdue_days: u32,
    pub over_limit: bool,
}

impl Default for DebtorRule {
    fn default() -> Self {
        DebtorRule {
            enabled: false,
            overdue_days: 30,
            over_limit: true,
        }
    }
}

pub const MAX_RULE_DAYS: u32 = 365;

/// What owing us more than its limit means: the advances not closed (a balance in our favour).
pub fn over_limit(balance: Money, limit: Option<Money>) -> bool {
    limit.is_some_and(|limit| balance < Money::ZERO && magnitude(balance) > limit)
}

/// Is the counterparty a debtor by the rule: it owes us past the deadline for more than the
/// rule's days, or owes us over its limit. (What *we* owe late does not make it a debtor.)
pub fn is_debtor(
    rule: &DebtorRule,
    overdue: &Overdue,
    balance: Money,
    limit: Option<Money>,
) -> bool {
    let late = overdue.they_owe > Money::ZERO && overdue.days > i64::from(rule.overdue_days);
    late || (rule.over_limit && over_limit(balance, limit))
}

/// The block the rule leaves: it sets balance-only on a debtor that is not blocked, and lifts
/// its own block once cleared; a block set by hand, or a full block, it never touches.
/// `None` when nothing changes.
pub fn rule_change(rule: &DebtorRule, current: BlockState, debtor: bool) -> Option<BlockState> {
    if !rule.enabled {
        return None;
    }
    match (current.mode, current.by_rule, debtor) {
        (BlockMode::None, _, true) => Some(BlockState {
            mode: BlockMode::BalanceOnly,
            by_rule: true,
        }),
        (BlockMode::BalanceOnly, true, false) => Some(BlockState::default()),
        _ => None,
    }
}

/// How much of its credit limit a counterparty uses, in whole percent (what it owes us over
/// the limit); `None` without a limit.
pub fn limit_used_percent(balance: Money, limit: Option<Money>) -> Option<u32> {
    let limit = limit?;
    let owes = if balance < Money::ZERO {
        magnitude(balance)
    } else {
        Money::ZERO
    };
    if limit == Money::ZERO {
        return Some(if owes > Money::ZERO { 100 } else { 0 });
    }
    let percent = i128::from(owes.kopecks()) * 100 / i128::from(limit.kopecks().max(1));
    Some(u32::try_from(percent).unwrap_or(u32::MAX))
}

/// The letter that tells a supplier's users its block changed, and why.
pub fn block_letter(lang: Lang, mode: BlockMode, reason: Option<&str>) -> super::accounts::Letter {
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    let (subject, what) = match (lang, mode) {
        (Lang::Ru, BlockMode::None) => (
            "Доступ к кабинету поставщика восстановлен",
            "Доступ к кабинету поставщика восстановлен полностью.",
        ),
        (Lang::Ru, BlockMode::BalanceOnly) => (
            "Доступ к кабинету ограничен страницей баланса",
            "До погашения задолженности в кабинете доступны только баланс, акт сверки и загрузка закрывающих документов.",
        ),
        (Lang::Ru, BlockMode::Full) => (
            "Доступ к кабинету поставщика заблокирован",
            "Вход в кабинет поставщика заблокирован.",
        ),
        (Lang::En, BlockMode::None) => (
            "Access to the supplier cabinet restored",
            "Your access to the supplier cabinet is fully restored.",
        ),
        (Lang::En, BlockMode::BalanceOnly) => (
            "Access to the cabinet limited to the balance",
            "Until the debt is settled, only the balance, the reconciliation statement and uploads of closing documents are open in the cabinet.",
        ),
        (Lang::En, BlockMode::Full) => (
            "Access to the supplier cabinet blocked",
            "Signing in to the supplier cabinet is blocked.",
        ),
    };
    let mut body = what.to_owned();
    if let Some(reason) = reason {
        body.push_str(match lang {
            Lang::Ru => "\nПричина: ",
            Lang::En => "\nReason: ",
        });
        body.push_str(reason);
    }
    super::accounts::Letter {
        subject: subject.to_owned(),
        body,
    }
}

/// A supplier's reply to a reconciliation statement.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The statement is right as it stands.
    Confirmed,
    /// One entry is wrong; a comment says why.
    Disputed,
}

impl Verdict {
    pub const ALL: [Verdict; 2] = [Verdict::Confirmed, Verdict::Disputed];

    pub fn code(self) -> &'static str {
        match self {
            Verdict::Confirmed => "confirmed",
            Verdict::Disputed => "disputed",
        }
    }

    pub fn from_code(code: &str) -> Option<Verdict> {
        Verdict::ALL.into_iter().find(|v| v.code() == code)
    }
}

/// The days accounting has to answer a disputed entry.
pub const DISPUTE_ANSWER_DAYS: u64 = 3;

/// The title of accounting's task about a disputed entry, in each language.
pub fn dispute_task_title(
    lang: Lang,
    counterparty: &str,
    number: &str,
    document_date: NaiveDate,
) -> String {
    let date = super::format::format_date(document_date, lang);
    match lang {
        Lang::Ru => format!("Спор по акту сверки: {counterparty}, документ № {number} от {date}"),
        Lang::En => format!("Statement dispute: {counterparty}, document no. {number} of {date}"),
    }
}

/// The cabinet pages a balance-only block leaves open: the balance (with its statement) and
/// the upload of closing documents, by which the supplier clears it.
pub const BALANCE_PATH: &str = "/cabinet/balance";
pub const OPEN_PAGES_WHEN_BALANCE_ONLY: [&str; 2] = [BALANCE_PATH, "/cabinet/upload"];

pub fn page_open_when_balance_only(path: &str) -> bool {
    OPEN_PAGES_WHEN_BALANCE_ONLY
        .iter()
        .any(|open| path == *open || path.strip_prefix(open).is_some_and(|r| r.starts_with('/')))
}

/// The server calls and file routes a balance-only block leaves open: signing in and out, the
/// balance and its statement, uploads. A page render's own calls are decided by its page.
pub const OPEN_CALLS_WHEN_BALANCE_ONLY: [&str; 5] = [
    "/api/auth/",
    "/api/cabinet/balance",
    "/api/cabinet/upload",
    "/api/settlements/statement",
    "/api/live",
];

pub fn call_open_when_balance_only(path: &str) -> bool {
    let is_call = path.starts_with("/api/") || path.starts_with("/files/");
    !is_call
        || OPEN_CALLS_WHEN_BALANCE_ONLY
            .iter()
            .any(|open| path.starts_with(open))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdicts_round_trip_and_dispute_titles_name_the_document() {
        for verdict in Verdict::ALL {
            assert_eq!(Verdict::from_code(verdict.code()), Some(verdict));
        }
        assert_eq!(Verdict::from_code("maybe"), None);
        // (lang, title)
        let table = [
            (
                Lang::Ru,
                "Спор по акту сверки: ООО «Ромашка», документ № СЧ-7 от 05.11.2026",
            ),
            (
                Lang::En,
                "Statement dispute: ООО «Ромашка», document no. СЧ-7 of",
            ),
        ];
        for (lang, title) in table {
            let made = dispute_task_title(lang, "ООО «Ромашка»", "СЧ-7", d("2026-11-05"));
            assert!(made.starts_with(title), "{made}");
        }
    }

    fn d(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn rub(r: i64) -> Money {
        Money::from_kopecks(r * 100)
    }

    fn line(date: &str, side: Side, amount: i64, due: Option<&str>, contract: Option<i32>) -> Line {
        Line {
            date: d(date),
            side,
            amount: rub(amount),
            due: due.map(d),
            contract_id: contract,
        }
    }

    use Side::{Credit as C, Debit as D};

    #[test]
    fn balance_and_running_balance() {
        let lines = [
            line("2026-01-10", C, 1000, None, None),
            line("2026-01-20", D, 400, None, None),
            line("2026-02-01", D, 800, None, None),
            line("2026-02-05", C, 200, None, None),
        ];
        assert_eq!(balance(&lines), rub(0));
        assert_eq!(
            running(rub(50), &lines),
            vec![rub(1050), rub(650), rub(-150), rub(50)]
        );
        assert_eq!(in_favour_of(rub(1)), InFavourOf::Counterparty);
        assert_eq!(in_favour_of(rub(-1)), InFavourOf::Us);
        assert_eq!(in_favour_of(rub(0)), InFavourOf::Nobody);
        assert_eq!(balance(&[]), Money::ZERO);
    }

    #[test]
    fn overdue_by_deadline_across_month_and_year_ends() {
        // (lines, today, we owe, they owe, days, next due)
        type Row = (Vec<Line>, &'static str, i64, i64, i64, Option<&'static str>);
        let table: Vec<Row> = vec![
            // A credit due on 31 Dec is not overdue on the 31st, is on 1 Jan.
            (
                vec![line("2026-12-17", C, 500, Some("2026-12-31"), None)],
                "2026-12-31",
                0,
                0,
                0,
                Some("2026-12-31"),
            ),
            (
                vec![line("2026-12-17", C, 500, Some("2026-12-31"), None)],
                "2027-01-01",
                500,
                0,
                1,
                Some("2026-12-31"),
            ),
            // Over a month end, in a leap February.
            (
                vec![line("2028-02-15", C, 300, Some("2028-02-29"), None)],
                "2028-03-02",
                300,
                0,
                2,
                Some("2028-02-29"),
            ),
            // A payment closes the oldest credit first: the newer one is not yet due.
            (
                vec![
                    line("2026-10-01", C, 100, Some("2026-10-15"), None),
                    line("2026-11-01", C, 200, Some("2026-11-30"), None),
                    line("2026-11-10", D, 100, None, None),
                ],
                "2026-11-20",
                0,
                0,
                0,
                Some("2026-11-30"),
            ),
            // A partial payment leaves the rest of the oldest overdue.
            (
                vec![
                    line("2026-10-01", C, 100, Some("2026-10-15"), None),
                    line("2026-10-20", D, 60, None, None),
                ],
                "2026-11-01",
                40,
                0,
                17,
                Some("2026-10-15"),
            ),
            // An advance beyond every credit is owed to us until its own deadline, then overdue.
            (
                vec![
                    line("2026-09-01", C, 100, Some("2026-09-15"), None),
                    line("2026-09-10", D, 400, Some("2026-10-10"), None),
                ],
                "2026-10-31",
                0,
                300,
                21,
                Some("2026-10-10"),
            ),
            // A later delivery closes the advance.
            (
                vec![
                    line("2026-09-10", D, 400, Some("2026-10-10"), None),
                    line("2026-09-30", C, 400, Some("2026-10-14"), None),
                ],
                "2026-12-01",
                0,
                0,
                0,
                None,
            ),
            // No deadline, never overdue.
            (
                vec![line("2020-01-01", C, 100, None, None)],
                "2026-01-01",
                0,
                0,
                0,
                None,
            ),
        ];
        for (i, (lines, today, we, they, days, next)) in table.into_iter().enumerate() {
            let o = overdue(&lines, d(today));
            assert_eq!(
                (o.we_owe, o.they_owe, o.days, o.next_due),
                (rub(we), rub(they), days, next.map(d)),
                "row {i}"
            );
        }
    }

    #[test]
    fn each_contract_is_settled_on_its_own() {
        let lines = [
            line("2026-10-01", C, 100, Some("2026-10-15"), Some(1)),
            // Paid under contract 2: does not close contract 1's debt.
            line("2026-10-05", D, 100, Some("2026-11-05"), Some(2)),
        ];
        let all = overdue_by_account(&lines, d("2026-11-10"));
        assert_eq!(
            (all.we_owe, all.they_owe, all.days),
            (rub(100), rub(100), 26)
        );
        // Taken as one account, they would cancel out.
        assert!(!overdue(&lines, d("2026-11-10")).any());
        let accounts = by_contract(&lines);
        assert_eq!(
            accounts.iter().map(|(c, _)| *c).collect::<Vec<_>>(),
            vec![Some(1), Some(2)]
        );
    }

    #[test]
    fn statement_figures_for_periods_that_start_mid_history() {
        let lines = [
            line("2026-01-10", C, 1000, None, None),
            line("2026-03-31", D, 300, None, None),
            line("2026-04-01", C, 500, None, None),
            line("2026-06-30", D, 1500, None, None),
            line("2026-07-01", C, 70, None, None),
        ];
        // (from, to, opening, debit, credit, closing)
        let table = [
            ("2026-01-01", "2026-03-31", 0, 300, 1000, 700),
            ("2026-04-01", "2026-06-30", 700, 1500, 500, -300),
            ("2026-04-02", "2026-06-29", 1200, 0, 0, 1200),
            ("2026-07-01", "2026-12-31", -300, 0, 70, -230),
            ("2025-01-01", "2025-12-31", 0, 0, 0, 0),
            ("2026-01-01", "2026-12-31", 0, 1800, 1570, -230),
        ];
        for (from, to, opening, debit, credit, closing) in table {
            let f = figures(&lines, Period::new(d(from), d(to)).unwrap());
            assert_eq!(
                f,
                Figures {
                    opening: rub(opening),
                    debit: rub(debit),
                    credit: rub(credit),
                    closing: rub(closing),
                },
                "{from}..{to}"
            );
            // The closing of one period is the opening of the next.
            let next = to.parse::<NaiveDate>().unwrap().succ_opt().unwrap();
            assert_eq!(
                figures(&lines, Period::new(next, next).unwrap()).opening,
                f.closing
            );
        }
    }

    #[test]
    fn periods() {
        assert_eq!(
            Period::new(d("2026-02-01"), d("2026-01-31")),
            Err(PeriodError::Reversed)
        );
        assert_eq!(
            Period::new(d("2020-01-01"), d("2026-01-31")),
            Err(PeriodError::TooLong)
        );
        let table = [
            (
                "2026-12-07",
                "2026-10-01",
                "2026-12-07",
                "2026-07-01",
                "2026-09-30",
            ),
            (
                "2026-01-01",
                "2026-01-01",
                "2026-01-01",
                "2025-10-01",
                "2025-12-31",
            ),
            (
                "2026-03-31",
                "2026-01-01",
                "2026-03-31",
                "2025-10-01",
                "2025-12-31",
            ),
            (
                "2026-05-15",
                "2026-04-01",
                "2026-05-15",
                "2026-01-01",
                "2026-03-31",
            ),
        ];
        for (today, qf, qt, lf, lt) in table {
            let q = Period::quarter_to_date(d(today));
            assert_eq!((q.from, q.to), (d(qf), d(qt)), "{today}");
            let l = Period::last_quarter(d(today));
            assert_eq!((l.from, l.to), (d(lf), d(lt)), "{today}");
            let y = Period::year_to_date(d(today));
            let year_start = format!("{}-01-01", &today[..4]);
            assert_eq!((y.from, y.to), (d(&year_start), d(today)), "{today}");
        }
    }

    #[test]
    fn a_period_from_the_address() {
        type Answer<'a> = Result<(&'a str, &'a str), (&'a str, FieldError)>;
        let today = d("2026-12-07");
        // (from, to, answer)
        let table: [(Option<&str>, Option<&str>, Answer); 7] = [
            (None, None, Ok(("2026-10-01", "2026-12-07"))),
            (Some(""), Some(" "), Ok(("2026-10-01", "2026-12-07"))),
            (Some("2026-01-15"), None, Ok(("2026-01-15", "2026-12-07"))),
            (None, Some("2026-05-31"), Ok(("2026-04-01", "2026-05-31"))),
            (
                Some("2026-03-01"),
                Some("2026-02-01"),
                Err(("to", FieldError::PeriodReversed)),
            ),
            (
                Some("2020-01-01"),
                Some("2026-01-02"),
                Err(("to", FieldError::PeriodTooLong)),
            ),
            (Some("1.2.2026"), None, Err(("from", FieldError::BadDate))),
        ];
        for (from, to, answer) in table {
            let got = Period::from_query(from, to, today).map(|p| (p.from, p.to));
            assert_eq!(got, answer.map(|(f, t)| (d(f), d(t))), "{from:?} {to:?}");
        }
    }

    #[test]
    fn debtor_rule_blocks_and_lifts_only_its_own() {
        let rule = DebtorRule {
            enabled: true,
            overdue_days: 30,
            over_limit: true,
        };
        let late = |days| Overdue {
            they_owe: rub(10),
            days,
            ..Overdue::default()
        };
        // (overdue, balance, limit, debtor)
        let table = [
            (late(30), rub(-10), None, false),
            (late(31), rub(-10), None, true),
            // What we owe late does not make it a debtor.
            (
                Overdue {
                    we_owe: rub(10),
                    days: 90,
                    ..Overdue::default()
                },
                rub(10),
                None,
                false,
            ),
            (Overdue::default(), rub(-101), Some(rub(100)), true),
            (Overdue::default(), rub(-100), Some(rub(100)), false),
            (Overdue::default(), rub(500), Some(rub(100)), false),
        ];
        for (i, (o, balance, limit, debtor)) in table.into_iter().enumerate() {
            assert_eq!(is_debtor(&rule, &o, balance, limit), debtor, "row {i}");
        }
        let no_limit_rule = DebtorRule {
            over_limit: false,
            ..rule
        };
        assert!(!is_debtor(
            &no_limit_rule,
            &Overdue::default(),
            rub(-101),
            Some(rub(100))
        ));

        let none = BlockState::default();
        let by_rule = BlockState {
            mode: BlockMode::BalanceOnly,
            by_rule: true,
        };
        let by_hand = BlockState {
            mode: BlockMode::BalanceOnly,
            by_rule: false,
        };
        let full = BlockState {
            mode: BlockMode::Full,
            by_rule: false,
        };
        // (current, debtor, change)
        let table = [
            (none, true, Some(by_rule)),
            (none, false, None),
            (by_rule, true, None),
            (by_rule, false, Some(none)),
            (by_hand, false, None),
            (by_hand, true, None),
            (full, false, None),
            (full, true, None),
        ];
        for (i, (current, debtor, change)) in table.into_iter().enumerate() {
            assert_eq!(rule_change(&rule, current, debtor), change, "row {i}");
        }
        let off = DebtorRule {
            enabled: false,
            ..rule
        };
        assert_eq!(rule_change(&off, none, true), None);
        assert_eq!(rule_change(&off, by_rule, false), None);
    }

    #[test]
    fn balance_only_leaves_the_balance_and_upload_open() {
        let table = [
            ("/cabinet/balance", true),
            ("/cabinet/upload", true),
            ("/cabinet/balance/anything", true),
            ("/cabinet/balancesheet", false),
            ("/cabinet", false),
            ("/cabinet/documents", false),
            ("/cabinet/payments", false),
        ];
        for (path, open) in table {
            assert_eq!(page_open_when_balance_only(path), open, "{path}");
        }
        let calls = [
            ("/api/auth/sign_out", true),
            ("/api/cabinet/balance", true),
            ("/api/cabinet/upload", true),
            ("/api/cabinet/upload_limits", true),
            ("/api/settlements/statement", true),
            ("/api/cabinet/documents", false),
            ("/api/cabinet/home", false),
            ("/api/cabinet/papers", false),
            ("/files/12", false),
            // A page's render: its page was let through already.
            ("/cabinet/balance", true),
        ];
        for (path, open) in calls {
            assert_eq!(call_open_when_balance_only(path), open, "{path}");
        }
    }

    #[test]
    fn postings_bring_the_ledger_to_the_stage() {
        let w = |accrued, paid| Wanted { accrued, paid };
        use EntryKind::*;
        let table = [
            (w(false, false), w(true, false), vec![(Accrual, false)]),
            (
                w(false, false),
                w(true, true),
                vec![(Accrual, false), (Payment, false)],
            ),
            (w(true, false), w(true, true), vec![(Payment, false)]),
            (w(true, false), w(true, false), vec![]),
            (w(true, true), w(true, true), vec![]),
            // Taken back: reversed, never edited.
            (w(true, true), w(true, false), vec![(Payment, true)]),
            (w(true, false), w(false, false), vec![(Accrual, true)]),
            (w(false, false), w(false, false), vec![]),
        ];
        for (i, (posted, wanted, expected)) in table.into_iter().enumerate() {
            assert_eq!(postings(posted, wanted), expected, "row {i}");
        }
    }

    #[test]
    fn what_each_stage_stands_for() {
        let w = |accrued, paid| Wanted { accrued, paid };
        use DocumentStage::*;
        let table = [
            (Uploaded, w(false, false)),
            (Review, w(false, false)),
            (Accounting, w(true, false)),
            (PaymentPlan, w(true, false)),
            (Paid, w(true, true)),
            (Returned, w(false, false)),
        ];
        for (stage, wanted) in table {
            assert_eq!(
                document_wants(DocumentKind::InvoiceWithAct, stage),
                wanted,
                "{stage:?}"
            );
            assert_eq!(
                document_wants(DocumentKind::ClosingDocuments, stage),
                w(false, false)
            );
            assert_eq!(document_wants(DocumentKind::Other, stage), w(false, false));
        }
        use OrderStage as O;
        let table = [
            (O::Draft, w(false, false)),
            (O::Placed, w(false, false)),
            (O::Confirmed, w(false, false)),
            (O::Delivered, w(true, false)),
            (O::ClosingDocs, w(true, false)),
            (O::Paid, w(true, true)),
        ];
        for (stage, wanted) in table {
            assert_eq!(order_wants(stage), wanted, "{stage:?}");
        }
    }

    #[test]
    fn each_entry_keeps_what_is_left_open_on_it() {
        let lines = [
            line("2026-10-01", C, 100, Some("2026-10-15"), None),
            line("2026-10-05", C, 200, Some("2026-10-20"), None),
            line("2026-10-10", D, 150, None, None),
            line("2026-10-12", D, 300, Some("2026-11-12"), None),
        ];
        assert_eq!(
            open_remainders(&lines),
            vec![rub(0), rub(0), rub(0), rub(150)]
        );
        let lines = &lines[..3];
        let left = open_remainders(lines);
        assert_eq!(left, vec![rub(0), rub(150), rub(0)]);
        assert!(!is_line_overdue(&lines[0], left[0], d("2026-11-01")));
        assert!(is_line_overdue(&lines[1], left[1], d("2026-11-01")));
        assert!(!is_line_overdue(&lines[1], left[1], d("2026-10-20")));
    }

    #[test]
    fn accounts_from_the_address() {
        let table = [
            ("", Some(Account::All)),
            ("all", Some(Account::All)),
            ("none", Some(Account::NoContract)),
            ("12", Some(Account::Contract(12))),
            ("0", None),
            ("-3", None),
            ("x", None),
        ];
        for (text, account) in table {
            assert_eq!(Account::from_query(text), account, "{text}");
            if let Some(account) = account {
                assert_eq!(Account::from_query(&account.to_query()), Some(account));
            }
        }
        assert!(Account::All.holds(None) && Account::All.holds(Some(1)));
        assert!(Account::NoContract.holds(None) && !Account::NoContract.holds(Some(1)));
        assert!(Account::Contract(1).holds(Some(1)) && !Account::Contract(1).holds(None));
    }

    #[test]
    fn credit_limit_use() {
        let table = [
            (rub(-50), Some(rub(100)), Some(50)),
            (rub(-150), Some(rub(100)), Some(150)),
            (rub(50), Some(rub(100)), Some(0)),
            (rub(-1), Some(rub(0)), Some(100)),
            (rub(0), Some(rub(0)), Some(0)),
            (rub(-50), None, None),
        ];
        for (balance, limit, used) in table {
            assert_eq!(
                limit_used_percent(balance, limit),
                used,
                "{balance:?} {limit:?}"
            );
        }
    }

    #[test]
    fn block_letters_say_what_and_why() {
        let l = block_letter(Lang::Ru, BlockMode::BalanceOnly, Some("Долг по актам"));
        assert!(l.subject.contains("баланса"));
        assert!(l.body.ends_with("Причина: Долг по актам"));
        let l = block_letter(Lang::En, BlockMode::None, Some("  "));
        assert!(!l.body.contains("Reason"));
        assert!(
            block_letter(Lang::En, BlockMode::Full, None)
                .subject
                .contains("blocked")
        );
    }

    #[test]
    fn the_statement_runs_from_opening_to_closing_in_favour_of_the_right_party() {
        let lines = [
            line("2026-06-10", C, 1000, None, None),
            line("2026-07-05", D, 300, None, None),
            line("2026-08-01", C, 200, None, None),
        ];
        let period = Period::new(d("2026-07-01"), d("2026-09-30")).unwrap();
        let entries: Vec<StatementEntry> = lines[1..]
            .iter()
            .map(|l| StatementEntry {
                date: l.date,
                kind: if l.side == C {
                    EntryKind::Accrual
                } else {
                    EntryKind::Payment
                },
                reversal: false,
                number: "15".into(),
                document_date: l.date,
                debit: (l.side == D).then_some(l.amount),
                credit: (l.side == C).then_some(l.amount),
            })
            .collect();
        let input = StatementInput {
            lang: Lang::Ru,
            company: "АО «Заказчик»",
            counterparty: "ООО «Ромашка»",
            contract: None,
            period,
            figures: figures(&lines, period),
            entries: &entries,
            made_on: d("2026-10-01"),
        };
        let s = statement(&input);
        assert_eq!(s.title, "Акт сверки взаимных расчётов");
        assert!(s.heading.contains("01.07.2026 – 30.09.2026"));
        assert_eq!(s.rows.len(), 5);
        assert_eq!((s.rows[0].debit, s.rows[0].credit), (None, Some(rub(1000))));
        assert_eq!(s.rows[1].document, "Оплата (№ 15 от 05.07.2026)");
        assert_eq!(
            (s.rows[3].debit, s.rows[3].credit),
            (Some(rub(300)), Some(rub(200)))
        );
        assert_eq!((s.rows[4].debit, s.rows[4].credit), (None, Some(rub(900))));
        assert!(
            s.conclusion
                .contains("в пользу ООО «Ромашка» составляет 900,00"),
            "{}",
            s.conclusion
        );
        assert_eq!(s.signatures[1][0], "От ООО «Ромашка»");

        // Paid more than owed: in our favour, in the debit column.
        let overpaid = Figures {
            opening: rub(0),
            debit: rub(50),
            credit: rub(0),
            closing: rub(-50),
        };
        let s = statement(&StatementInput {
            figures: overpaid,
            lang: Lang::En,
            ..input
        });
        assert_eq!((s.rows[4].debit, s.rows[4].credit), (Some(rub(50)), None));
        assert!(
            s.conclusion
                .contains("in favour of АО «Заказчик» is ₽50.00"),
            "{}",
            s.conclusion
        );
        let even = Figures {
            opening: rub(0),
            debit: rub(0),
            credit: rub(0),
            closing: rub(0),
        };
        let s = statement(&StatementInput {
            figures: even,
            entries: &[],
            ..input
        });
        assert!(s.conclusion.ends_with("задолженность отсутствует"));
    }

    #[test]
    fn codes_round_trip() {
        for m in BlockMode::ALL {
            assert_eq!(BlockMode::from_code(m.code()), Some(m));
        }
        for s in Side::ALL {
            assert_eq!(Side::from_code(s.code()), Some(s));
            assert_eq!(s.other().other(), s);
        }
        for k in EntryKind::ALL {
            assert_eq!(EntryKind::from_code(k.code()), Some(k));
        }
        for s in Source::ALL {
            assert_eq!(Source::from_code(s.code()), Some(s));
        }
        assert_eq!(BlockMode::from_code("blocked"), None);
    }

    #[test]
    fn the_open_entries_alone_give_what_the_whole_history_gives() {
        // Pseudo-random histories (a fixed LCG): sides, amounts, dates and deadlines mixed,
        // advances and partial payments among them.
        let mut seed: u64 = 0x5eed;
        let mut next = |m: u64| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) % m
        };
        let today = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
        for history in 0..300 {
            let count = 1 + next(40) as usize;
            let mut lines: Vec<Line> = (0..count)
                .map(|_| {
                    let date = NaiveDate::from_ymd_opt(2025, 12, 1).unwrap()
                        + chrono::Days::new(next(200));
                    let side = if next(3) == 0 {
                        Side::Debit
                    } else {
                        Side::Credit
                    };
                    Line {
                        date,
                        side,
                        amount: Money::from_kopecks(1 + next(100_000) as i64),
                        due: (next(4) != 0).then(|| date + chrono::Days::new(next(40))),
                        contract_id: None,
                    }
                })
                .collect();
            lines.sort_by_key(|l| l.date);
            let whole = overdue(&lines, today);
            let total = balance(&lines);
            let newest: Vec<Line> = lines.iter().rev().cloned().collect();
            assert_eq!(
                overdue_of_open(total, &newest, today),
                whole,
                "history {history}"
            );
            // Entry by entry, too: what first in first out leaves open on each.
            let mut fifo = open_remainders(&lines);
            fifo.reverse();
            assert_eq!(open_of_newest(total, &newest), fifo, "history {history}");
        }
    }

    #[test]
    fn a_page_of_entries_is_kept_within_the_pages_there_are() {
        let page = |offset, page| Window {
            offset,
            limit: Some(ENTRIES_PER_PAGE),
            page,
        };
        let cases = [
            (None, 0, page(0, 1)),
            (Some("1"), 250, page(0, 1)),
            (Some("2"), 250, page(100, 2)),
            (Some("3"), 250, page(200, 3)),
            // Past the last page: the last one.
            (Some("9"), 250, page(200, 3)),
            (Some("0"), 250, page(0, 1)),
            (Some("-2"), 250, page(0, 1)),
            (Some("два"), 250, page(0, 1)),
        ];
        for (asked, total, window) in cases {
            assert_eq!(
                EntryRows::page_of_query(asked).window(total),
                window,
                "{asked:?} of {total}"
            );
        }
        assert_eq!(
            EntryRows::All.window(250),
            Window {
                offset: 0,
                limit: None,
                page: 1
            }
        );
        for (total, pages) in [(0, 1), (1, 1), (100, 1), (101, 2), (9_000, 90)] {
            assert_eq!(entry_pages(total), pages, "{total}");
        }
    }
}
