//! Settlements as pages read them: a counterparty's balance per contract, its entries over a
//! period (the balance page and the reconciliation statement), the debtors list, and the
//! debtor rule an admin switches on. Every reader takes the `Ctx` first: a supplier reaches
//! only its own counterparty (anything else is "not found").
use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use super::ledger::line;
use crate::domain::access::Ctx;
use crate::domain::lang::Lang;
use crate::domain::money::Money;
use crate::domain::settlements::{
    Account, BlockMode, BlockState, DISPUTE_ANSWER_DAYS, DebtorRule, EntryKind, EntryRows, Figures,
    Line, Overdue, Period, Side, Verdict, block_letter, dispute_task_title, entry_pages,
    in_favour_of, is_debtor, is_line_overdue, limit_used_percent, magnitude, open_of_newest,
    open_side, overdue_of_open, rule_change,
};
use crate::error::{AppError, AppResult};
use crate::model::settlements::{
    BalancePage, BalanceSummary, ContractBalance, DebtorRow, DebtorsPage, EntryRow, QuickPeriods,
    StatementReplyRow,
};
use crate::server::entities::{
    contracts, counterparties, ledger_entries, statement_replies, task_comments, tasks, users,
};

/// The counterparty a call is about: a supplier's own (whatever it asks for), or the one staff
/// name.
pub fn counterparty_of(ctx: &Ctx, asked: Option<i32>) -> AppResult<i32> {
    if ctx.role.is_staff() {
        asked.ok_or(AppError::NotFound)
    } else {
        ctx.counterparty_id.ok_or(AppError::Forbidden)
    }
}

async fn counterparty(
    ctx: &Ctx,
    db: &impl ConnectionTrait,
    id: i32,
) -> AppResult<counterparties::Model> {
    counterparties::Entity::find_by_id(id)
        .filter(super::counterparty_scope(ctx, counterparties::Column::Id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

fn block_of(party: &counterparties::Model) -> BlockMode {
    BlockMode::from_code(&party.block_mode).unwrap_or_default()
}

fn summary_of(party: &counterparties::Model, balance: Money, overdue: Overdue) -> BalanceSummary {
    BalanceSummary {
        balance,
        in_favour: in_favour_of(balance),
        overdue,
        block: block_of(party),
        block_reason: party.block_reason.clone(),
        credit_limit: party.credit_limit_kopecks.map(Money::from_kopecks),
    }
}

/// Each account's balance, summed on the database: (counterparty, contract, balance) for the
/// counterparty `which` names, or all of them (callers have scoped the call: staff, or the
/// counterparty a `Ctx` may see).
async fn account_balances(
    db: &impl ConnectionTrait,
    which: Option<i32>,
) -> AppResult<Vec<(i32, Option<i32>, Money)>> {
    use sea_orm::QuerySelect;
    let signed = format!(
        "CAST(SUM(CASE WHEN side = '{}' THEN amount_kopecks ELSE -amount_kopecks END) AS BIGINT)",
        Side::Credit.code()
    );
    let mut query = ledger_entries::Entity::find()
        .select_only()
        .column(ledger_entries::Column::CounterpartyId)
        .column(ledger_entries::Column::ContractId)
        .column_as(Expr::cust(signed), "balance");
    if let Some(id) = which {
        query = query.filter(ledger_entries::Column::CounterpartyId.eq(id));
    }
    let rows: Vec<(i32, Option<i32>, i64)> = query
        .group_by(ledger_entries::Column::CounterpartyId)
        .group_by(ledger_entries::Column::ContractId)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(party, contract, kopecks)| (party, contract, Money::from_kopecks(kopecks)))
        .collect())
}

/// How many entries one read of an account's open side takes.
const OPEN_CHUNK: u64 = 200;

/// One account's overdue without its whole history, and what each of its open entries has
/// left open (by entry id): only the newest entries of the side its balance leaves open are
/// read, newest first, until they cover the balance ([`open_of_newest`]).
async fn account_open(
    db: &impl ConnectionTrait,
    (counterparty_id, contract_id, balance): (i32, Option<i32>, Money),
    today: NaiveDate,
) -> AppResult<(Overdue, Vec<(i32, Money)>)> {
    use ledger_entries::Column as C;
    use sea_orm::QuerySelect;
    let Some(side) = open_side(balance) else {
        return Ok((Overdue::default(), Vec::new()));
    };
    let wanted = magnitude(balance);
    let mut newest: Vec<Line> = Vec::new();
    let mut ids: Vec<i32> = Vec::new();
    let mut covered = Money::ZERO;
    let mut after: Option<(NaiveDate, i32)> = None;
    loop {
        let mut query = ledger_entries::Entity::find()
            .filter(account_condition(counterparty_id, account_of(contract_id)))
            .filter(C::Side.eq(side.code()));
        if let Some((date, id)) = after {
            query = query.filter(earlier_than(date, id));
        }
        let rows = query
            .order_by_desc(C::EntryDate)
            .order_by_desc(C::Id)
            .limit(OPEN_CHUNK)
            .all(db)
            .await?;
        for row in &rows {
            covered = covered + Money::from_kopecks(row.amount_kopecks);
            newest.push(line(row));
            ids.push(row.id);
        }
        match rows.last() {
            Some(last) if covered < wanted && rows.len() as u64 == OPEN_CHUNK => {
                after = Some((last.entry_date, last.id));
            }
            _ => break,
        }
    }
    let open = ids
        .into_iter()
        .zip(open_of_newest(balance, &newest))
        .filter(|(_, left)| *left > Money::ZERO)
        .collect();
    Ok((overdue_of_open(balance, &newest, today), open))
}

/// Each counterparty's balance and overdue over all its accounts, read in SQL: the one
/// `which` names, or all of them (the caller has scoped the call, as for [`account_balances`]).
async fn standings_by_party(
    db: &impl ConnectionTrait,
    which: Option<i32>,
    today: NaiveDate,
) -> AppResult<HashMap<i32, (Money, Overdue)>> {
    let mut standing: HashMap<i32, (Money, Overdue)> = HashMap::new();
    for account in account_balances(db, which).await? {
        let (overdue, _) = account_open(db, account, today).await?;
        let entry = standing.entry(account.0).or_default();
        *entry = (entry.0 + account.2, entry.1.and(overdue));
    }
    Ok(standing)
}

/// The panel on every cabinet page: a sum per account and its newest open entries, however
/// long the history.
pub async fn summary(
    ctx: &Ctx,
    db: &impl ConnectionTrait,
    counterparty_id: i32,
    today: NaiveDate,
) -> AppResult<BalanceSummary> {
    let party = counterparty(ctx, db, counterparty_id).await?;
    let (balance, overdue) = standings_by_party(db, Some(counterparty_id), today)
        .await?
        .remove(&counterparty_id)
        .unwrap_or_default();
    Ok(summary_of(&party, balance, overdue))
}

fn contract_label(contract: &contracts::Model) -> String {
    contract
        .number
        .clone()
        .unwrap_or_else(|| format!("#{}", contract.id))
}

/// The account an entry under `contract_id` stands on.
fn account_of(contract_id: Option<i32>) -> Account {
    contract_id.map_or(Account::NoContract, Account::Contract)
}

/// The entries before the one at (`date`, `id`) in the ledger's order (date, then entry).
fn earlier_than(date: NaiveDate, id: i32) -> sea_orm::Condition {
    use ledger_entries::Column as C;
    sea_orm::Condition::any().add(C::EntryDate.lt(date)).add(
        sea_orm::Condition::all()
            .add(C::EntryDate.eq(date))
            .add(C::Id.lt(id)),
    )
}

/// A contract named by a page or a reply must be the counterparty's own.
async fn check_account(
    db: &impl ConnectionTrait,
    counterparty_id: i32,
    account: Account,
) -> AppResult<()> {
    let Account::Contract(id) = account else {
        return Ok(());
    };
    contracts::Entity::find_by_id(id)
        .filter(contracts::Column::CounterpartyId.eq(counterparty_id))
        .one(db)
        .await?
        .map(|_| ())
        .ok_or_else(|| crate::error::unknown("contract"))
}

/// A statement's figures for `account` over `period`, summed on the database, with the
/// condition naming the period's entries and how many there are.
async fn statement_sums(
    db: &impl ConnectionTrait,
    counterparty_id: i32,
    account: Account,
    period: Period,
) -> AppResult<(Figures, sea_orm::Condition, u64)> {
    use ledger_entries::Column as C;
    let chosen = account_condition(counterparty_id, account);
    let before = side_sums(db, chosen.clone().add(C::EntryDate.lt(period.from))).await?;
    let within = chosen
        .add(C::EntryDate.gte(period.from))
        .add(C::EntryDate.lte(period.to));
    let (credit, debit, count) = side_sums(db, within.clone()).await?;
    let opening = before.0 - before.1;
    let figures = Figures {
        opening,
        debit,
        credit,
        closing: opening + credit - debit,
    };
    Ok((figures, within, count))
}

/// The closing balance a supplier's reply keeps: that of the statement it saw.
async fn closing_of(
    db: &impl ConnectionTrait,
    counterparty_id: i32,
    account: Account,
    period: Period,
) -> AppResult<Money> {
    check_account(db, counterparty_id, account).await?;
    let (figures, _, _) = statement_sums(db, counterparty_id, account, period).await?;
    Ok(figures.closing)
}

/// The entries of one account (or all of a counterparty's), as a query condition.
fn account_condition(counterparty_id: i32, account: Account) -> sea_orm::Condition {
    use ledger_entries::Column as C;
    let party = sea_orm::Condition::all().add(C::CounterpartyId.eq(counterparty_id));
    match account {
        Account::All => party,
        Account::NoContract => party.add(C::ContractId.is_null()),
        Account::Contract(id) => party.add(C::ContractId.eq(id)),
    }
}

/// The sums of the entries `within` names, per side: (credit, debit, how many).
async fn side_sums(
    db: &impl ConnectionTrait,
    within: sea_orm::Condition,
) -> AppResult<(Money, Money, u64)> {
    use sea_orm::QuerySelect;
    let rows: Vec<(String, i64, i64)> = ledger_entries::Entity::find()
        .select_only()
        .column(ledger_entries::Column::Side)
        .column_as(Expr::cust("CAST(SUM(amount_kopecks) AS BIGINT)"), "total")
        .column_as(Expr::cust("CAST(COUNT(*) AS BIGINT)"), "count")
        .filter(within)
        .group_by(ledger_entries::Column::Side)
        .into_tuple()
        .all(db)
        .await?;
    let mut sums = (Money::ZERO, Money::ZERO, 0u64);
    for (side, total, count) in rows {
        match Side::from_code(&side) {
            Some(Side::Credit) => sums.0 = sums.0 + Money::from_kopecks(total),
            Some(Side::Debit) => sums.1 = sums.1 + Money::from_kopecks(total),
            None => {}
        }
        sums.2 += u64::try_from(count).unwrap_or(0);
    }
    Ok(sums)
}

/// The balance page, and the statement's content: each account's standing, and the chosen
/// account's entries over `period` (every one, or a page of them) with the running balance
/// from the period's opening. Every figure is summed on the database and only the rows shown
/// are read, however long the history.
pub async fn page(
    ctx: &Ctx,
    db: &impl ConnectionTrait,
    counterparty_id: i32,
    account: Account,
    period: Period,
    wanted: EntryRows,
    today: NaiveDate,
) -> AppResult<BalancePage> {
    use ledger_entries::Column as C;
    use sea_orm::QuerySelect;
    let party = counterparty(ctx, db, counterparty_id).await?;
    let contracts: HashMap<i32, contracts::Model> = contracts::Entity::find()
        .filter(contracts::Column::CounterpartyId.eq(counterparty_id))
        .order_by_asc(contracts::Column::SignedOn)
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    check_account(db, counterparty_id, account).await?;
    // Per account (each contract on its own): its standing, and which of its newest entries
    // first in first out leaves open.
    let mut accounts = Vec::new();
    let mut open: HashMap<i32, Money> = HashMap::new();
    let mut total = (Money::ZERO, Overdue::default());
    for standing in account_balances(db, Some(counterparty_id)).await? {
        let (_, contract_id, balance) = standing;
        let (overdue, open_entries) = account_open(db, standing, today).await?;
        open.extend(open_entries);
        total = (total.0 + balance, total.1.and(overdue));
        let contract = contract_id.and_then(|id| contracts.get(&id));
        accounts.push(ContractBalance {
            account: account_of(contract_id),
            number: contract.map(contract_label),
            signed_on: contract.map(|c| c.signed_on),
            deferral_days: contract
                .map(|c| c.deferral_days)
                .or(contract_id.is_none().then_some(party.payment_deferral_days)),
            balance,
            overdue,
        });
    }
    accounts.sort_by_key(|a| (a.account == Account::NoContract, a.signed_on));

    let (figures, within, count) = statement_sums(db, counterparty_id, account, period).await?;
    let window = wanted.window(count);
    let mut query = ledger_entries::Entity::find()
        .filter(within.clone())
        .order_by_asc(C::EntryDate)
        .order_by_asc(C::Id);
    // SQLite takes no OFFSET without a LIMIT.
    if let Some(limit) = window.limit {
        query = query.offset(window.offset).limit(limit);
    }
    let rows = query.all(db).await?;
    // The running balance before the first row shown: the opening and the period's rows
    // before it.
    let mut running = figures.opening;
    if let Some(first) = rows.first().filter(|_| window.offset > 0) {
        let earlier = side_sums(db, within.add(earlier_than(first.entry_date, first.id))).await?;
        running = running + earlier.0 - earlier.1;
    }
    let mut table = Vec::with_capacity(rows.len());
    for row in &rows {
        let l = line(row);
        running = running + l.signed();
        let left = open.get(&row.id).copied().unwrap_or(Money::ZERO);
        table.push(EntryRow {
            id: row.id,
            date: l.date,
            kind: EntryKind::from_code(&row.kind).unwrap_or(EntryKind::Accrual),
            reversal: row.reversal,
            number: row.document_number.clone(),
            document_date: row.document_date,
            contract: l
                .contract_id
                .and_then(|id| contracts.get(&id))
                .map(contract_label),
            debit: (l.side == Side::Debit).then_some(l.amount),
            credit: (l.side == Side::Credit).then_some(l.amount),
            running,
            due: l.due,
            overdue: is_line_overdue(&l, left, today),
        });
    }
    Ok(BalancePage {
        counterparty_id,
        counterparty: party.name.clone(),
        summary: summary_of(&party, total.0, total.1),
        accounts,
        account,
        period,
        figures,
        rows: table,
        entries: count,
        page: window.page,
        pages: entry_pages(count),
        quick: QuickPeriods {
            this_quarter: Period::quarter_to_date(today),
            last_quarter: Period::last_quarter(today),
            year_to_date: Period::year_to_date(today),
        },
        replies: replies(ctx, db, counterparty_id).await?,
        may_reply: ctx.counterparty_id == Some(counterparty_id),
    })
}

const RULE_KEY: &str = "debtor_rule";

/// The admin's debtor rule (off until switched on).
pub async fn rule(db: &impl ConnectionTrait) -> AppResult<DebtorRule> {
    Ok(super::settings::value(db, RULE_KEY)
        .await?
        .and_then(|v| serde_json::from_str(&v).ok())
        .unwrap_or_default())
}

/// Saves the rule (admins), audited, and applies it at once.
pub async fn save_rule(
    ctx: &Ctx,
    db: &crate::server::db::Db,
    rule: &DebtorRule,
    now: DateTime<Utc>,
    today: NaiveDate,
) -> AppResult<usize> {
    ctx.require_admin()?;
    let txn = super::begin_write(db).await?;
    let text = serde_json::to_string(rule).map_err(|_| AppError::Internal)?;
    super::settings::set(&txn, RULE_KEY, text.clone()).await?;
    super::audit::record(&txn, Some(ctx.user_id), "debtor_rule_changed", &text).await?;
    txn.commit().await?;
    sweep(db, now, today).await
}

/// Every counterparty's standing, for the debtors list and the rule's sweep (staff only).
async fn standings(
    db: &impl ConnectionTrait,
    rule: &DebtorRule,
    today: NaiveDate,
) -> AppResult<Vec<DebtorRow>> {
    let parties = counterparties::Entity::find()
        .order_by_asc(counterparties::Column::Name)
        .all(db)
        .await?;
    let mut standing = standings_by_party(db, None, today).await?;
    Ok(parties
        .into_iter()
        .map(|p| {
            let (balance, overdue) = standing.remove(&p.id).unwrap_or_default();
            let limit = p.credit_limit_kopecks.map(Money::from_kopecks);
            DebtorRow {
                counterparty_id: p.id,
                debtor: is_debtor(rule, &overdue, balance, limit),
                limit_used_percent: limit_used_percent(balance, limit),
                name: p.name.clone(),
                balance,
                overdue,
                credit_limit: limit,
                block: block_of(&p),
                block_by_rule: p.block_by_rule,
            }
        })
        .collect())
}

/// The debtors list: counterparties with anything overdue, over their limit, or blocked.
pub async fn debtors(
    ctx: &Ctx,
    db: &impl ConnectionTrait,
    today: NaiveDate,
) -> AppResult<DebtorsPage> {
    ctx.require_staff()?;
    let rule = rule(db).await?;
    let mut rows: Vec<DebtorRow> = standings(db, &rule, today)
        .await?
        .into_iter()
        .filter(|r| {
            r.overdue.any()
                || r.debtor
                || r.block != BlockMode::None
                || r.limit_used_percent.is_some_and(|p| p >= 100)
        })
        .collect();
    rows.sort_by(|a, b| {
        b.overdue
            .days
            .cmp(&a.overdue.days)
            .then_with(|| a.name.cmp(&b.name))
    });
    Ok(DebtorsPage {
        rows,
        rule,
        may_edit_rule: ctx.role == crate::domain::access::Role::Admin,
    })
}

/// Applies the debtor rule to every counterparty: blocks new debtors down to their balance and
/// lifts the blocks it set on those who cleared. Each change is a conditional update (made
/// once however many sweeps run), audited and told to the supplier. Returns the changes.
pub async fn sweep(
    db: &crate::server::db::Db,
    now: DateTime<Utc>,
    today: NaiveDate,
) -> AppResult<usize> {
    let rule = rule(db).await?;
    if !rule.enabled {
        return Ok(0);
    }
    let mut changed = 0;
    for row in standings(db, &rule, today).await? {
        let current = BlockState {
            mode: row.block,
            by_rule: row.block_by_rule,
        };
        let Some(next) = rule_change(&rule, current, row.debtor) else {
            continue;
        };
        let txn = super::begin_write(db).await?;
        let updated = counterparties::Entity::update_many()
            .col_expr(
                counterparties::Column::BlockMode,
                Expr::value(next.mode.code()),
            )
            .col_expr(
                counterparties::Column::BlockByRule,
                Expr::value(next.by_rule),
            )
            .filter(counterparties::Column::Id.eq(row.counterparty_id))
            .filter(counterparties::Column::BlockMode.eq(current.mode.code()))
            .filter(counterparties::Column::BlockByRule.eq(current.by_rule))
            .exec(&txn)
            .await?;
        if updated.rows_affected != 1 {
            continue;
        }
        super::audit::record(
            &txn,
            None,
            "counterparty_block_by_rule",
            &format!(
                "counterparty {} block {} -> {} (overdue {} days)",
                row.counterparty_id,
                current.mode.code(),
                next.mode.code(),
                row.overdue.days
            ),
        )
        .await?;
        tell_block(&txn, row.counterparty_id, next.mode, None, now).await?;
        txn.commit().await?;
        changed += 1;
    }
    Ok(changed)
}

/// Tells each active user of the counterparty, by letter in their language, that its block
/// changed.
pub async fn tell_block(
    txn: &impl ConnectionTrait,
    counterparty_id: i32,
    mode: BlockMode,
    reason: Option<&str>,
    now: DateTime<Utc>,
) -> AppResult<()> {
    for (email, lang) in
        super::pipeline::moves::supplier_addresses(txn, Some(counterparty_id)).await?
    {
        super::accounts::enqueue(txn, &email, &block_letter(lang, mode, reason), now).await?;
    }
    Ok(())
}

/// The most replies the balance page lists.
const REPLIES_SHOWN: u64 = 20;

/// The counterparty's replies to its statements, newest first, with accounting's answers.
async fn replies(
    ctx: &Ctx,
    db: &impl ConnectionTrait,
    counterparty_id: i32,
) -> AppResult<Vec<StatementReplyRow>> {
    use sea_orm::QuerySelect;
    let rows = statement_replies::Entity::find()
        .filter(super::counterparty_scope(
            ctx,
            statement_replies::Column::CounterpartyId,
        ))
        .filter(statement_replies::Column::CounterpartyId.eq(counterparty_id))
        .order_by_desc(statement_replies::Column::CreatedAt)
        .order_by_desc(statement_replies::Column::Id)
        .limit(REPLIES_SHOWN)
        .all(db)
        .await?;
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let entry_ids: Vec<i32> = rows.iter().filter_map(|r| r.entry_id).collect();
    let numbers: HashMap<i32, String> = ledger_entries::Entity::find()
        .filter(ledger_entries::Column::Id.is_in(entry_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|e| (e.id, e.document_number))
        .collect();
    let task_ids: Vec<i32> = rows.iter().filter_map(|r| r.task_id).collect();
    let done: HashMap<i32, bool> = tasks::Entity::find()
        .filter(tasks::Column::Id.is_in(task_ids.clone()))
        .all(db)
        .await?
        .into_iter()
        .map(|t| {
            (
                t.id,
                t.status == crate::domain::tasks::TaskStatus::Done.code(),
            )
        })
        .collect();
    let comments = task_comments::Entity::find()
        .filter(task_comments::Column::TaskId.is_in(task_ids))
        .order_by_asc(task_comments::Column::At)
        .order_by_asc(task_comments::Column::Id)
        .all(db)
        .await?;
    let mut people: Vec<i32> = rows.iter().map(|r| r.created_by).collect();
    people.extend(comments.iter().map(|c| c.user_id));
    let people: HashMap<i32, users::Model> = users::Entity::find()
        .filter(users::Column::Id.is_in(people))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    // Accounting's answer: the latest comment of a staff member on the dispute's task.
    let mut answers: HashMap<i32, String> = HashMap::new();
    for comment in comments {
        if people
            .get(&comment.user_id)
            .is_some_and(|u| u.counterparty_id.is_none())
        {
            answers.insert(comment.task_id, comment.body);
        }
    }
    Ok(rows
        .into_iter()
        .map(|r| StatementReplyRow {
            id: r.id,
            verdict: Verdict::from_code(&r.verdict).unwrap_or(Verdict::Disputed),
            account: Account::from_query(&r.account).unwrap_or(Account::All),
            period: Period {
                from: r.period_from,
                to: r.period_to,
            },
            closing: Money::from_kopecks(r.closing_kopecks),
            entry_number: r.entry_id.and_then(|id| numbers.get(&id).cloned()),
            comment: r.comment,
            by: people
                .get(&r.created_by)
                .map(|u| format!("{} {}", u.first_name, u.last_name))
                .unwrap_or_default(),
            at: r.created_at,
            task_id: r.task_id,
            resolved: r
                .task_id
                .and_then(|t| done.get(&t).copied())
                .unwrap_or(false),
            answer: r.task_id.and_then(|t| answers.get(&t).cloned()),
        })
        .collect())
}

/// The supplier confirms its statement of `account` over `period`: the closing balance it saw
/// is kept with its name and the time.
pub async fn confirm(
    ctx: &Ctx,
    db: &crate::server::db::Db,
    account: Account,
    period: Period,
    now: DateTime<Utc>,
) -> AppResult<i32> {
    let counterparty_id = ctx.counterparty_id.ok_or(AppError::Forbidden)?;
    let closing = closing_of(db, counterparty_id, account, period).await?;
    let txn = super::begin_write(db).await?;
    let id = add_reply(
        &txn,
        ctx,
        counterparty_id,
        account,
        period,
        closing,
        Verdict::Confirmed,
        None,
        "",
        None,
        now,
    )
    .await?;
    super::audit::record(
        &txn,
        Some(ctx.user_id),
        "statement.confirm",
        &format!(
            "counterparty {counterparty_id}, account {}, {} — {}",
            account.to_query(),
            period.from,
            period.to
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(id)
}

/// The supplier disputes one entry of its statement with a comment: accounting gets a task
/// about it (which the supplier follows; the answer comes back in the task and on the balance
/// page), in the same transaction as the reply.
pub async fn dispute(
    ctx: &Ctx,
    db: &crate::server::db::Db,
    entry_id: i32,
    comment: &str,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> AppResult<i32> {
    let counterparty_id = ctx.counterparty_id.ok_or(AppError::Forbidden)?;
    let party = counterparty(ctx, db, counterparty_id).await?;
    let entry = ledger_entries::Entity::find_by_id(entry_id)
        .filter(super::counterparty_scope(
            ctx,
            ledger_entries::Column::CounterpartyId,
        ))
        .filter(ledger_entries::Column::CounterpartyId.eq(counterparty_id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    // The reply keeps the entry's account from the entry's day to today, with its closing
    // balance, as the statement showing the entry had it.
    let account = account_of(entry.contract_id);
    let period = Period::new(entry.entry_date.min(today), today)
        .unwrap_or_else(|_| Period::quarter_to_date(today));
    let closing = closing_of(db, counterparty_id, account, period).await?;
    let title = |lang| {
        dispute_task_title(
            lang,
            &party.name,
            &entry.document_number,
            entry.document_date,
        )
    };
    let description = format!(
        "{comment}\n\n/staff/counterparties/{counterparty_id}/balance?from={}&to={}",
        period.from, period.to
    );
    let txn = super::begin_write(db).await?;
    let task = super::tasks::open_about_counterparty(
        &txn,
        ctx,
        super::tasks::AboutCounterparty {
            title_ru: title(Lang::Ru),
            title_en: title(Lang::En),
            description,
            role: crate::domain::access::Role::Accountant,
            counterparty_id,
            deadline: today.checked_add_days(chrono::Days::new(DISPUTE_ANSWER_DAYS)),
            dedupe_key: None,
        },
        now,
    )
    .await?;
    let id = add_reply(
        &txn,
        ctx,
        counterparty_id,
        account,
        period,
        closing,
        Verdict::Disputed,
        Some(entry.id),
        comment,
        Some(task),
        now,
    )
    .await?;
    super::audit::record(
        &txn,
        Some(ctx.user_id),
        "statement.dispute",
        &format!(
            "counterparty {counterparty_id}, entry {}, task {task}",
            entry.id
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(id)
}

#[allow(clippy::too_many_arguments)]
async fn add_reply(
    txn: &impl ConnectionTrait,
    ctx: &Ctx,
    counterparty_id: i32,
    account: Account,
    period: Period,
    closing: Money,
    verdict: Verdict,
    entry_id: Option<i32>,
    comment: &str,
    task_id: Option<i32>,
    now: DateTime<Utc>,
) -> AppResult<i32> {
    use sea_orm::{ActiveModelTrait, Set};
    let row = statement_replies::ActiveModel {
        counterparty_id: Set(counterparty_id),
        account: Set(account.to_query()),
        period_from: Set(period.from),
        period_to: Set(period.to),
        closing_kopecks: Set(closing.kopecks()),
        verdict: Set(verdict.code().to_owned()),
        entry_id: Set(entry_id),
        comment: Set(comment.to_owned()),
        task_id: Set(task_id),
        created_by: Set(ctx.user_id),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok(row.id)
}
