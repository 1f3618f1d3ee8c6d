//! Settlements as pages read them: a counterparty's balance per contract, its entries over a
//! period (the balance page and the reconciliation statement), the debtors list, and the
//! debtor rule an admin switches on. Every reader takes the `Ctx` first: a supplier reaches
//! only its own counterparty (anything else is "not found").
use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use super::ledger::{entries_of, line};
use crate::domain::access::Ctx;
use crate::domain::lang::Lang;
use crate::domain::money::Money;
use crate::domain::settlements::{
    Account, BlockMode, BlockState, DISPUTE_ANSWER_DAYS, DebtorRule, EntryKind, Line, Period, Side,
    Verdict, balance, block_letter, by_contract, dispute_task_title, figures, in_favour_of,
    is_debtor, is_line_overdue, limit_used_percent, open_remainders, overdue_by_account,
    rule_change,
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

fn summary_of(party: &counterparties::Model, lines: &[Line], today: NaiveDate) -> BalanceSummary {
    let balance = balance(lines);
    BalanceSummary {
        balance,
        in_favour: in_favour_of(balance),
        overdue: overdue_by_account(lines, today),
        block: block_of(party),
        block_reason: party.block_reason.clone(),
        credit_limit: party.credit_limit_kopecks.map(Money::from_kopecks),
    }
}

/// The panel on every cabinet page.
pub async fn summary(
    ctx: &Ctx,
    db: &impl ConnectionTrait,
    counterparty_id: i32,
    today: NaiveDate,
) -> AppResult<BalanceSummary> {
    let party = counterparty(ctx, db, counterparty_id).await?;
    let rows = entries_of(ctx, db, counterparty_id).await?;
    let lines: Vec<Line> = rows.iter().map(line).collect();
    Ok(summary_of(&party, &lines, today))
}

fn contract_label(contract: &contracts::Model) -> String {
    contract
        .number
        .clone()
        .unwrap_or_else(|| format!("#{}", contract.id))
}

/// The balance page, and the statement's content: each account's standing, and the chosen
/// account's entries over `period` with the running balance from the period's opening.
pub async fn page(
    ctx: &Ctx,
    db: &impl ConnectionTrait,
    counterparty_id: i32,
    account: Account,
    period: Period,
    today: NaiveDate,
) -> AppResult<BalancePage> {
    let party = counterparty(ctx, db, counterparty_id).await?;
    let rows = entries_of(ctx, db, counterparty_id).await?;
    let lines: Vec<Line> = rows.iter().map(line).collect();
    let contracts: HashMap<i32, contracts::Model> = contracts::Entity::find()
        .filter(contracts::Column::CounterpartyId.eq(counterparty_id))
        .order_by_asc(contracts::Column::SignedOn)
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    if let Account::Contract(id) = account
        && !contracts.contains_key(&id)
    {
        return Err(crate::error::unknown("contract"));
    }
    // Per account (each contract on its own): its standing, and what FIFO leaves open on
    // each of its entries.
    let mut accounts = Vec::new();
    let mut open = vec![Money::ZERO; rows.len()];
    for (contract_id, account_lines) in by_contract(&lines) {
        let idx = (0..rows.len()).filter(|i| lines[*i].contract_id == contract_id);
        for (i, left) in idx.zip(open_remainders(&account_lines)) {
            open[i] = left;
        }
        let contract = contract_id.and_then(|id| contracts.get(&id));
        accounts.push(ContractBalance {
            account: contract_id.map_or(Account::NoContract, Account::Contract),
            number: contract.map(contract_label),
            signed_on: contract.map(|c| c.signed_on),
            deferral_days: contract
                .map(|c| c.deferral_days)
                .or(contract_id.is_none().then_some(party.payment_deferral_days)),
            balance: balance(&account_lines),
            overdue: crate::domain::settlements::overdue(&account_lines, today),
        });
    }
    accounts.sort_by_key(|a| (a.account == Account::NoContract, a.signed_on));

    let chosen: Vec<usize> = (0..rows.len())
        .filter(|i| account.holds(lines[*i].contract_id))
        .collect();
    let chosen_lines: Vec<Line> = chosen.iter().map(|i| lines[*i].clone()).collect();
    let figures = figures(&chosen_lines, period);
    let mut running = figures.opening;
    let mut table = Vec::new();
    for i in chosen {
        let (row, l) = (&rows[i], &lines[i]);
        if !period.contains(l.date) {
            continue;
        }
        running = running + l.signed();
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
            overdue: is_line_overdue(l, open[i], today),
        });
    }
    Ok(BalancePage {
        counterparty_id,
        counterparty: party.name.clone(),
        summary: summary_of(&party, &lines, today),
        accounts,
        account,
        period,
        figures,
        rows: table,
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
    let mut lines: HashMap<i32, Vec<Line>> = HashMap::new();
    for row in ledger_entries::Entity::find()
        .order_by_asc(ledger_entries::Column::EntryDate)
        .order_by_asc(ledger_entries::Column::Id)
        .all(db)
        .await?
    {
        lines
            .entry(row.counterparty_id)
            .or_default()
            .push(line(&row));
    }
    Ok(parties
        .into_iter()
        .map(|p| {
            let lines = lines.remove(&p.id).unwrap_or_default();
            let balance = balance(&lines);
            let overdue = overdue_by_account(&lines, today);
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
    today: NaiveDate,
    now: DateTime<Utc>,
) -> AppResult<i32> {
    let counterparty_id = ctx.counterparty_id.ok_or(AppError::Forbidden)?;
    let shown = page(ctx, db, counterparty_id, account, period, today).await?;
    let txn = super::begin_write(db).await?;
    let id = add_reply(
        &txn,
        ctx,
        counterparty_id,
        account,
        period,
        shown.figures.closing,
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
    let account = entry
        .contract_id
        .map_or(Account::NoContract, Account::Contract);
    let period = Period::new(entry.entry_date.min(today), today)
        .unwrap_or_else(|_| Period::quarter_to_date(today));
    let shown = page(ctx, db, counterparty_id, account, period, today).await?;
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
        shown.figures.closing,
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
