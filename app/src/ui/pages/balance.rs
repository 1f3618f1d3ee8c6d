//! The balance page: per contract the balance, credit limit, overdue and the next deadline;
//! one account's entries over a period with the running balance; the reconciliation statement
//! of the same account and period as PDF or XLSX. A supplier sees its own at
//! `/cabinet/balance`; staff see any counterparty's at `/staff/counterparties/:id/balance`.
//! The filter lives in the address (`account`, `from`, `to`) and works without JavaScript.
use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

use crate::api::settlements::{
    BalancePage, ConfirmStatement, ContractBalance, DisputeEntry, EntryRow, StatementReplyRow,
    get_balance,
};
use crate::domain::format::format_date;
use crate::domain::money::Money;
use crate::domain::settlements::Verdict;
use crate::domain::settlements::{Account, Period, magnitude};
use crate::i18n::*;
use crate::paths::{StatementFormat, statement_path};
use crate::ui::components::balance::{block_text, favour_text};
use crate::ui::components::error_message::ErrorMessage;
use crate::ui::components::hydration::mark_hydrated;
use crate::ui::components::lang::use_lang;
use crate::ui::components::loaded::Loaded;
use crate::ui::components::page_title::PageTitle;
use crate::ui::components::pager::Pager;
use crate::ui::components::papers::date_or_dash;
use crate::ui::components::url::{id_param, query_string};

/// The filter as it stands in the address.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
struct Filter {
    account: Option<String>,
    from: Option<String>,
    to: Option<String>,
    page: Option<String>,
}

fn use_filter() -> Memo<Filter> {
    let query = use_query_map();
    Memo::new(move |_| {
        let query = query.read();
        Filter {
            account: query.get("account"),
            from: query.get("from"),
            to: query.get("to"),
            page: query.get("page"),
        }
    })
}

/// The supplier's replies to its statement: a confirmation, a disputed entry.
#[derive(Clone, Copy)]
struct Replies {
    confirm: ServerAction<ConfirmStatement>,
    dispute: ServerAction<DisputeEntry>,
}

#[component]
pub fn SupplierBalancePage() -> impl IntoView {
    let i18n = use_i18n();
    let filter = use_filter();
    let replies = Replies {
        confirm: ServerAction::<ConfirmStatement>::new(),
        dispute: ServerAction::<DisputeEntry>::new(),
    };
    let page = Resource::new(
        move || {
            (
                filter.get(),
                replies.confirm.version().get(),
                replies.dispute.version().get(),
            )
        },
        |(f, _, _)| get_balance(None, f.account, f.from, f.to, f.page),
    );
    view! {
        {move || replies.confirm.value().get().and_then(|r| r.err()).map(|error| view! { <ErrorMessage error=error /> })}
        {move || replies.dispute.value().get().and_then(|r| r.err()).map(|error| view! { <ErrorMessage error=error /> })}
        {move || replies.confirm.value().get().and_then(|r| r.ok()).map(|_| view! {
            <p class="alert alert--success" role="status" data-testid="statement-confirmed">{t!(i18n, statement_confirmed)}</p>
        })}
        {move || replies.dispute.value().get().and_then(|r| r.ok()).map(|_| view! {
            <p class="alert alert--success" role="status" data-testid="dispute-sent">{t!(i18n, dispute_sent)}</p>
        })}
        <BalanceFrame page=page staff=false replies=Some(replies) />
    }
}

#[component]
pub fn StaffBalancePage() -> impl IntoView {
    let filter = use_filter();
    let id = id_param();
    let page = Resource::new(
        move || (id.get(), filter.get()),
        |(id, f)| get_balance(Some(id.unwrap_or(0)), f.account, f.from, f.to, f.page),
    );
    view! { <BalanceFrame page=page staff=true replies=None /> }
}

#[component]
fn BalanceFrame(
    page: Resource<Result<BalancePage, crate::error::AppError>>,
    staff: bool,
    replies: Option<Replies>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageTitle text=move || t_string!(i18n, balance_title).to_string() />
        <div class="page">
            <Loaded data=page view=move |page| view! { <BalanceView page=page staff=staff replies=replies /> }.into_any() />
        </div>
    }
}

/// Where the page itself lives, for the filter form and the one-click periods.
fn base_path(page: &BalancePage, staff: bool) -> String {
    if staff {
        format!("/staff/counterparties/{}/balance", page.counterparty_id)
    } else {
        "/cabinet/balance".to_owned()
    }
}

fn period_href(base: &str, account: Account, period: Period) -> String {
    page_href(base, account, period, 1)
}

/// One page of the period's entries (the first needs no number).
fn page_href(base: &str, account: Account, period: Period, page: u64) -> String {
    let account = match account {
        Account::All => None,
        other => Some(other.to_query()),
    };
    let query = query_string(&[
        ("account", account),
        ("from", Some(period.from.to_string())),
        ("to", Some(period.to.to_string())),
        ("page", (page > 1).then(|| page.to_string())),
    ]);
    format!("{base}{query}")
}

#[component]
fn BalanceView(page: BalancePage, staff: bool, replies: Option<Replies>) -> impl IntoView {
    mark_hydrated();
    let i18n = use_i18n();
    let lang = use_lang();
    let base = base_path(&page, staff);
    let BalancePage {
        counterparty_id,
        counterparty,
        summary,
        accounts,
        account,
        period,
        figures,
        rows,
        entries,
        page: shown_page,
        pages,
        quick,
        replies: answered,
        may_reply,
    } = page;
    let replies = replies.filter(|_| may_reply);
    let hidden = Hidden {
        account: account.to_query(),
        from: period.from.to_string(),
        to: period.to.to_string(),
    };
    let who = staff.then_some(counterparty_id);
    let pdf = move || statement_path(who, account, period, StatementFormat::Pdf, lang.get());
    let xlsx = move || statement_path(who, account, period, StatementFormat::Xlsx, lang.get());
    let shown = magnitude(summary.balance);
    let in_favour = summary.in_favour;
    let closing = magnitude(figures.closing);
    let closing_favour = crate::domain::settlements::in_favour_of(figures.closing);
    let quick_links = [
        (
            quick.this_quarter,
            t_string!(i18n, period_this_quarter).to_string(),
        ),
        (
            quick.last_quarter,
            t_string!(i18n, period_last_quarter).to_string(),
        ),
        (
            quick.year_to_date,
            t_string!(i18n, period_year_to_date).to_string(),
        ),
    ];
    let account_query = account.to_query();
    let we_late = summary.overdue.we_owe > Money::ZERO;
    let they_late = summary.overdue.they_owe > Money::ZERO;
    let base_for_form = base.clone();
    view! {
        <header class="page__header">
            <h1>{t!(i18n, balance_title)}</h1>
            {staff.then(|| view! { <p class="muted">{counterparty.clone()}</p> })}
        </header>
        <section class="card balance-summary" data-testid="balance-summary">
            <dl class="facts">
                <dt>{t!(i18n, balance_total)}</dt>
                <dd>
                    <strong class="money" data-testid="balance-total">{move || shown.format(lang.get())}</strong>
                    " "
                    <span class="muted" data-testid="balance-favour">{move || favour_text(i18n, in_favour, staff)}</span>
                </dd>
                <dt>{t!(i18n, overdue_we_owe)}</dt>
                <dd class="money" class:overdue=we_late data-testid="balance-overdue-ours">
                    {move || summary.overdue.we_owe.format(lang.get())}
                </dd>
                <dt>{t!(i18n, overdue_they_owe)}</dt>
                <dd class="money" class:overdue=they_late data-testid="balance-overdue-theirs">
                    {move || summary.overdue.they_owe.format(lang.get())}
                </dd>
                {summary.overdue.any().then(|| view! {
                    <dt>{t!(i18n, overdue_days)}</dt>
                    <dd class="overdue">{summary.overdue.days}</dd>
                })}
                <dt>{t!(i18n, next_deadline)}</dt>
                <dd>{move || date_or_dash(summary.overdue.next_due, lang.get())}</dd>
                <dt>{t!(i18n, credit_limit_short)}</dt>
                <dd class="money">{move || summary.credit_limit.map(|l| l.format(lang.get())).unwrap_or_else(|| t_string!(i18n, no_limit).to_string())}</dd>
                {(summary.block != crate::domain::settlements::BlockMode::None).then(|| view! {
                    <dt>{t!(i18n, access)}</dt>
                    <dd class="overdue" data-testid="balance-block">
                        {move || block_text(i18n, summary.block)}
                        {summary.block_reason.clone().map(|reason| view! { ": " {reason} })}
                    </dd>
                })}
            </dl>
        </section>
        <section class="card">
            <h2>{t!(i18n, balance_by_contract)}</h2>
            <AccountsTable accounts=accounts.clone() base=base.clone() period=period />
        </section>
        <section class="card filters-card">
            <Form method="GET" action=base_for_form attr:class="filters" attr:data-testid="balance-filter">
                <label class="field">
                    <span class="field__label">{t!(i18n, contract)}</span>
                    <select class="input" name="account">
                        <option value="" selected=account == Account::All>{t!(i18n, all_contracts)}</option>
                        {accounts.iter().map(|a| {
                            let value = a.account.to_query();
                            let selected = value == account_query;
                            let label = a.number.clone();
                            view! {
                                <option value=value selected=selected>
                                    {move || label.clone().unwrap_or_else(|| t_string!(i18n, no_contract).to_string())}
                                </option>
                            }
                        }).collect_view()}
                    </select>
                </label>
                <label class="field">
                    <span class="field__label">{t!(i18n, statement_from)}</span>
                    <input class="input" type="date" name="from" value=period.from.to_string() />
                </label>
                <label class="field">
                    <span class="field__label">{t!(i18n, period_to)}</span>
                    <input class="input" type="date" name="to" value=period.to.to_string() />
                </label>
                <div class="filters__actions">
                    <button type="submit" class="button">{t!(i18n, apply_filters)}</button>
                </div>
            </Form>
            <p class="quick-periods">
                {quick_links.into_iter().map(|(p, label)| {
                    let href = period_href(&base, account, p);
                    let current = p == period;
                    view! {
                        <a class="chip" class:chip--active=current href=href aria-current=current.then_some("page")>{label}</a>
                    }
                }).collect_view()}
            </p>
        </section>
        <section class="card" data-testid="statement">
            <header class="page__header--actions">
                <h2>
                    {t!(i18n, entries_title)}
                    " "
                    <span class="muted small">{move || format!("{} — {}", format_date(period.from, lang.get()), format_date(period.to, lang.get()))}</span>
                </h2>
                <p class="actions">
                    <a class="button button--secondary" href=pdf rel="external" download data-testid="statement-pdf">{t!(i18n, statement_pdf)}</a>
                    " "
                    <a class="button button--secondary" href=xlsx rel="external" download data-testid="statement-xlsx">{t!(i18n, statement_xlsx)}</a>
                </p>
            </header>
            <dl class="facts facts--row" data-testid="statement-figures">
                <dt>{t!(i18n, opening_balance)}</dt>
                <dd class="money" data-testid="opening-balance">{move || figures.opening.format(lang.get())}</dd>
                <dt>{t!(i18n, turnover_debit)}</dt>
                <dd class="money">{move || figures.debit.format(lang.get())}</dd>
                <dt>{t!(i18n, turnover_credit)}</dt>
                <dd class="money">{move || figures.credit.format(lang.get())}</dd>
                <dt>{t!(i18n, closing_balance)}</dt>
                <dd data-testid="closing-balance">
                    <span class="money">{move || closing.format(lang.get())}</span>
                    " "
                    <span class="muted">{move || favour_text(i18n, closing_favour, staff)}</span>
                </dd>
            </dl>
            <EntriesTable rows=rows dispute=replies.map(|r| r.dispute) />
            {(pages > 1).then(|| view! {
                <p class="muted small" data-testid="entries-count">{t!(i18n, entries_count, count = move || entries, per = move || crate::domain::settlements::ENTRIES_PER_PAGE)}</p>
                <Pager
                    page=shown_page
                    pages=pages
                    previous=(shown_page > 1).then(|| page_href(&base, account, period, shown_page - 1))
                    next=(shown_page < pages).then(|| page_href(&base, account, period, shown_page + 1))
                />
            })}
            <p class="muted small">{t!(i18n, running_hint)}</p>
            {replies.map(|r| view! {
                <ActionForm action=r.confirm attr:class="form form--inline" attr:data-testid="confirm-form">
                    <HiddenPeriod hidden=hidden.clone() />
                    <p class="muted small">{t!(i18n, confirm_hint)}</p>
                    <button type="submit" class="button" data-testid="confirm-statement">{t!(i18n, confirm_statement)}</button>
                </ActionForm>
            })}
        </section>
        <RepliesList replies=answered />
    }
}

/// The account and period a reply is about, as the balance page's address has them.
#[derive(Clone, Debug)]
struct Hidden {
    account: String,
    from: String,
    to: String,
}

#[component]
fn HiddenPeriod(hidden: Hidden) -> impl IntoView {
    view! {
        <input type="hidden" name="account" value=hidden.account />
        <input type="hidden" name="from" value=hidden.from />
        <input type="hidden" name="to" value=hidden.to />
    }
}

#[component]
fn RepliesList(replies: Vec<StatementReplyRow>) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang();
    if replies.is_empty() {
        return ().into_any();
    }
    view! {
        <section class="card" data-testid="replies">
            <h2>{t!(i18n, replies_title)}</h2>
            <ul class="list">
                {replies.into_iter().map(|reply| {
                    let StatementReplyRow { verdict, period, closing, entry_number, comment, by, at, task_id, resolved, answer, .. } = reply;
                    view! {
                        <li class="list__item" data-testid="reply">
                            <p>
                                <strong>{move || match verdict {
                                    Verdict::Confirmed => t_string!(i18n, reply_confirmed).to_string(),
                                    Verdict::Disputed => t_string!(i18n, reply_disputed).to_string(),
                                }}</strong>
                                " "
                                {move || format!("{} — {}", format_date(period.from, lang.get()), format_date(period.to, lang.get()))}
                                " · "
                                <span class="money">{move || closing.format(lang.get())}</span>
                                {entry_number.clone().map(|n| view! { " · " {format!("№ {n}")} })}
                            </p>
                            {(!comment.is_empty()).then(|| view! { <p class="reply__comment">{comment.clone()}</p> })}
                            <p class="muted small">{by.clone()} " · " {move || crate::domain::format::format_date_time(at, crate::ui::components::clock::company_zone(), lang.get())}</p>
                            {(verdict == Verdict::Disputed).then(|| view! {
                                <p data-testid="reply-answer" class:muted=answer.is_none()>
                                    {match answer.clone() {
                                        Some(text) => view! { <strong>{t!(i18n, accounting_answer)}</strong> " " {text} }.into_any(),
                                        None => view! { {t!(i18n, awaiting_answer)} }.into_any(),
                                    }}
                                    {resolved.then(|| view! { " " <span class="badge badge--stage-paid">{t!(i18n, dispute_resolved)}</span> })}
                                    {task_id.map(|id| view! { " " <a href=format!("/cabinet/tasks/{id}")>{t!(i18n, open_task)}</a> })}
                                </p>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
    .into_any()
}

#[component]
fn AccountsTable(accounts: Vec<ContractBalance>, base: String, period: Period) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang();
    if accounts.is_empty() {
        return view! { <p class="muted" data-testid="no-accounts">{t!(i18n, no_entries_yet)}</p> }
            .into_any();
    }
    view! {
        <div class="table-wrap">
            <table class="table table--stack" data-testid="accounts">
                <thead>
                    <tr>
                        <th>{t!(i18n, contract)}</th>
                        <th>{t!(i18n, deferral_days_short)}</th>
                        <th class="num">{t!(i18n, balance_column)}</th>
                        <th class="num">{t!(i18n, overdue_column)}</th>
                        <th>{t!(i18n, next_deadline)}</th>
                    </tr>
                </thead>
                <tbody>
                    {accounts.into_iter().map(|a| {
                        let href = period_href(&base, a.account, period);
                        let label = a.number.clone();
                        let signed_on = a.signed_on;
                        let overdue = a.overdue.we_owe + a.overdue.they_owe;
                        let late = a.overdue.any();
                        let balance = a.balance;
                        view! {
                            <tr data-testid="account-row" class:row--overdue=late>
                                <td data-label=move || t_string!(i18n, contract).to_string()>
                                    <span>
                                        <a href=href>{move || label.clone().unwrap_or_else(|| t_string!(i18n, no_contract).to_string())}</a>
                                        {move || signed_on.map(|d| view! { " " <span class="muted small">{format_date(d, lang.get())}</span> })}
                                    </span>
                                </td>
                                <td data-label=move || t_string!(i18n, deferral_days_short).to_string()>
                                    {a.deferral_days.map(|d| d.to_string()).unwrap_or_else(|| "—".to_owned())}
                                </td>
                                <td data-label=move || t_string!(i18n, balance_column).to_string() class="num money">{move || balance.format(lang.get())}</td>
                                <td data-label=move || t_string!(i18n, overdue_column).to_string() class="num money" class:overdue=late>{move || overdue.format(lang.get())}</td>
                                <td data-label=move || t_string!(i18n, next_deadline).to_string()>
                                    {move || date_or_dash(a.overdue.next_due, lang.get())}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn EntriesTable(rows: Vec<EntryRow>, dispute: Option<ServerAction<DisputeEntry>>) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang();
    if rows.is_empty() {
        return view! { <p class="muted" data-testid="no-entries">{t!(i18n, no_entries_in_period)}</p> }.into_any();
    }
    let money = move |m: Option<Money>| m.map(|m| m.format_plain(lang.get())).unwrap_or_default();
    view! {
        <div class="table-wrap">
            <table class="table table--stack" data-testid="entries">
                <thead>
                    <tr>
                        <th>{t!(i18n, entry_date)}</th>
                        <th>{t!(i18n, entry_document)}</th>
                        <th>{t!(i18n, contract)}</th>
                        <th class="num">{t!(i18n, debit_rub)}</th>
                        <th class="num">{t!(i18n, credit_rub)}</th>
                        <th class="num">{t!(i18n, running_rub)}</th>
                        <th>{t!(i18n, entry_due)}</th>
                        {dispute.map(|_| view! { <th><span class="visually-hidden">{t!(i18n, dispute_line)}</span></th> })}
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|row| {
                        let EntryRow { id, date, kind, reversal, number, document_date, contract, debit, credit, running, due, overdue } = row;
                        view! {
                            <tr data-testid="entry-row" class:row--overdue=overdue>
                                <td data-label=move || t_string!(i18n, entry_date).to_string()>{move || format_date(date, lang.get())}</td>
                                <td data-label=move || t_string!(i18n, entry_document).to_string()>
                                    <span>
                                    {move || kind.label(lang.get(), reversal)}
                                    " "
                                    <span data-testid="entry-number">{format!("№ {number}")}</span>
                                    " "
                                    <span class="muted small">{move || format_date(document_date, lang.get())}</span>
                                    </span>
                                </td>
                                <td data-label=move || t_string!(i18n, contract).to_string()>{contract.clone().unwrap_or_else(|| "—".to_owned())}</td>
                                <td data-label=move || t_string!(i18n, debit_rub).to_string() class="num money">{move || money(debit)}</td>
                                <td data-label=move || t_string!(i18n, credit_rub).to_string() class="num money">{move || money(credit)}</td>
                                <td data-label=move || t_string!(i18n, running_rub).to_string() class="num money">{move || running.format_plain(lang.get())}</td>
                                <td data-label=move || t_string!(i18n, entry_due).to_string() class:overdue=overdue>
                                    {move || date_or_dash(due, lang.get())}
                                    {overdue.then(|| view! { " " <span class="badge badge--danger">{t!(i18n, badge_overdue)}</span> })}
                                </td>
                                {dispute.map(|action| view! {
                                    <td data-label="">
                                        <details class="dispute" data-testid="dispute">
                                            <summary class="button button--ghost button--small">{t!(i18n, dispute_line)}</summary>
                                            <ActionForm action=action attr:class="form" attr:data-testid="dispute-form">
                                                <input type="hidden" name="entry" value=id.to_string() />
                                                <label class="field">
                                                    <span class="field__label">{t!(i18n, dispute_comment)}</span>
                                                    <textarea class="input" name="body" rows="3" maxlength="2000" required></textarea>
                                                </label>
                                                <button type="submit" class="button" data-testid="send-dispute">{t!(i18n, send_dispute)}</button>
                                            </ActionForm>
                                        </details>
                                    </td>
                                })}
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
