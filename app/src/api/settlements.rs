//! Settlements: the balance panel on every cabinet page, the balance page (a supplier's own,
//! or any counterparty's for staff), the debtors list and the admin's debtor rule. The
//! reconciliation statement's files come from a plain route (`paths::STATEMENT_PATH`).
use leptos::prelude::*;

use crate::error::AppError;

pub use crate::model::settlements::*;

/// The compact panel: the caller's counterparty's balance, overdue amounts and block. Staff
/// have no counterparty and get none.
#[server(prefix = "/api", endpoint = "cabinet/balance_panel")]
pub async fn get_balance_panel() -> Result<Option<BalanceSummary>, AppError> {
    use crate::server::repo::settlements;
    crate::error::respond(
        async move {
            let (ctx, state) = super::signed_in().await?;
            let Some(counterparty) = ctx.counterparty_id else {
                return Ok(None);
            };
            settlements::summary(&ctx, &state.db, counterparty, state.now().today())
                .await
                .map(Some)
        }
        .await,
    )
}

/// The balance page: per contract the standing, and one account's entries (`account`: blank
/// for all, a contract's id, or `none`) over a period (`from`, `to`, YYYY-MM-DD; blank: this
/// quarter to date), a page of them at a time (`page`, from 1). A supplier always gets its own
/// counterparty's; staff name `counterparty`.
#[server(prefix = "/api", endpoint = "cabinet/balance")]
pub async fn get_balance(
    #[server(default)] counterparty: Option<i32>,
    #[server(default)] account: Option<String>,
    #[server(default)] from: Option<String>,
    #[server(default)] to: Option<String>,
    #[server(default)] page: Option<String>,
) -> Result<BalancePage, AppError> {
    use crate::server::repo::settlements;
    crate::error::respond(
        async move {
            let (ctx, state) = super::signed_in().await?;
            let today = state.now().today();
            let id = settlements::counterparty_of(&ctx, counterparty)?;
            let (account, period) =
                account_and_period(account.as_deref(), from.as_deref(), to.as_deref(), today)?;
            let rows = crate::domain::settlements::EntryRows::page_of_query(page.as_deref());
            settlements::page(&ctx, &state.db, id, account, period, rows, today).await
        }
        .await,
    )
}

/// The account and period of a balance page's address, as the domain takes them.
#[cfg(feature = "ssr")]
fn account_and_period(
    account: Option<&str>,
    from: Option<&str>,
    to: Option<&str>,
    today: chrono::NaiveDate,
) -> Result<
    (
        crate::domain::settlements::Account,
        crate::domain::settlements::Period,
    ),
    AppError,
> {
    use crate::domain::settlements::{Account, Period};
    let account = match account.map(str::trim).filter(|a| !a.is_empty()) {
        None => Account::All,
        Some(text) => Account::from_query(text).ok_or_else(|| crate::error::unknown("account"))?,
    };
    let period = Period::from_query(from, to, today)
        .map_err(|(field, problem)| crate::error::invalid(field, problem))?;
    Ok((account, period))
}

/// The supplier confirms the statement of an account over a period (the balance page's
/// address): its closing balance is kept with who confirmed it and when.
#[server(prefix = "/api", endpoint = "cabinet/balance_confirm")]
pub async fn confirm_statement(
    #[server(default)] account: Option<String>,
    #[server(default)] from: Option<String>,
    #[server(default)] to: Option<String>,
) -> Result<i32, AppError> {
    use crate::server::repo::settlements;
    crate::error::respond(
        async move {
            let (ctx, state) = super::supplier().await?;
            let now = state.now();
            let (account, period) = account_and_period(
                account.as_deref(),
                from.as_deref(),
                to.as_deref(),
                now.today(),
            )?;
            let id = settlements::confirm(&ctx, &state.db, account, period, now.at).await?;
            crate::server::auth::redirect_plain_form(crate::domain::settlements::BALANCE_PATH);
            Ok(id)
        }
        .await,
    )
}

/// The supplier disputes one entry of its statement, saying why (`body`): accounting gets a
/// task, and its answer comes back on the balance page, in the task and by e-mail.
#[server(prefix = "/api", endpoint = "cabinet/balance_dispute")]
pub async fn dispute_entry(entry: i32, body: String) -> Result<i32, AppError> {
    use crate::server::repo::settlements;
    crate::error::respond(
        async move {
            let (ctx, state) = super::supplier().await?;
            let now = state.now();
            let comment = crate::domain::tasks::check_comment(&body).map_err(|problem| {
                AppError::Rejected {
                    problems: vec![problem],
                }
            })?;
            let id =
                settlements::dispute(&ctx, &state.db, entry, &comment, now.today(), now.at).await?;
            crate::server::auth::redirect_plain_form(crate::domain::settlements::BALANCE_PATH);
            Ok(id)
        }
        .await,
    )
}

/// Staff's debtors list: who is overdue, over the limit or blocked, and the debtor rule.
#[server(prefix = "/api", endpoint = "staff/debtors")]
pub async fn get_debtors() -> Result<DebtorsPage, AppError> {
    use crate::server::repo::settlements;
    crate::error::respond(
        async move {
            let (ctx, state) = super::staff().await?;
            settlements::debtors(&ctx, &state.db, state.now().today()).await
        }
        .await,
    )
}

/// Switches the debtor rule (admins): on or off, the overdue days that make a debtor, and
/// whether being over the credit limit does. Applied at once; returns how many blocks changed.
#[server(prefix = "/api", endpoint = "admin/debtor_rule")]
pub async fn save_debtor_rule(
    #[server(default)] enabled: Option<String>,
    overdue_days: String,
    #[server(default)] over_limit: Option<String>,
) -> Result<usize, AppError> {
    use crate::domain::form::{FieldError, ticked};
    use crate::domain::settlements::{DebtorRule, MAX_RULE_DAYS};
    use crate::server::repo::settlements;
    crate::error::respond(
        async move {
            let (ctx, state) = super::admin().await?;
            let days: u32 = overdue_days
                .trim()
                .parse()
                .map_err(|_| crate::error::invalid("overdue_days", FieldError::NotANumber))?;
            if !(1..=MAX_RULE_DAYS).contains(&days) {
                return Err(crate::error::invalid(
                    "overdue_days",
                    FieldError::OutOfRange {
                        min: 1,
                        max: i64::from(MAX_RULE_DAYS),
                    },
                ));
            }
            let rule = DebtorRule {
                enabled: ticked(enabled.as_deref()),
                overdue_days: days,
                over_limit: ticked(over_limit.as_deref()),
            };
            let now = state.now();
            let changed =
                settlements::save_rule(&ctx, &state.db, &rule, now.at, now.today()).await?;
            crate::server::auth::redirect_plain_form("/staff/debtors");
            Ok(changed)
        }
        .await,
    )
}
