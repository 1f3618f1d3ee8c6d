//! Staff's debtors list: every counterparty with an overdue amount, a limit in use or a block —
//! overdue either way, days, limit use, block state — each a link to its balance; and, for
//! admins, the debtor rule that puts debtors on balance only and lifts it when they clear.
use leptos::prelude::*;

use crate::api::settlements::{DebtorRow, DebtorsPage, SaveDebtorRule, get_debtors};
use crate::domain::settlements::{BlockMode, DebtorRule, magnitude};
use crate::i18n::*;
use crate::ui::components::balance::{block_text, favour_text};
use crate::ui::components::error_message::ErrorMessage;
use crate::ui::components::hydration::mark_hydrated;
use crate::ui::components::lang::use_lang;
use crate::ui::components::loaded::Loaded;
use crate::ui::components::page_title::PageTitle;

#[component]
pub fn StaffDebtorsPage() -> impl IntoView {
    let i18n = use_i18n();
    let save_rule = ServerAction::<SaveDebtorRule>::new();
    let page = Resource::new(move || save_rule.version().get(), |_| get_debtors());
    view! {
        <PageTitle text=move || t_string!(i18n, debtors_title).to_string() />
        <div class="page">
            <header class="page__header">
                <h1>{t!(i18n, debtors_title)}</h1>
            </header>
            {move || save_rule.value().get().and_then(|r| r.err()).map(|error| view! { <ErrorMessage error=error /> })}
            {move || save_rule.value().get().and_then(|r| r.ok()).map(|changed| view! {
                <p class="alert alert--success" role="status" data-testid="rule-saved">{t!(i18n, debtor_rule_saved, count = move || changed)}</p>
            })}
            <Loaded data=page view=move |page| view! { <DebtorsView page=page action=save_rule /> }.into_any() />
        </div>
    }
}

#[component]
fn DebtorsView(page: DebtorsPage, action: ServerAction<SaveDebtorRule>) -> impl IntoView {
    mark_hydrated();
    let i18n = use_i18n();
    let DebtorsPage {
        rows,
        rule,
        may_edit_rule,
    } = page;
    view! {
        <section class="card">
            <DebtorsTable rows=rows />
        </section>
        <section class="card" data-testid="debtor-rule">
            <h2>{t!(i18n, debtor_rule_title)}</h2>
            <p class="muted small">{t!(i18n, debtor_rule_hint)}</p>
            {if may_edit_rule {
                view! { <RuleForm rule=rule action=action /> }.into_any()
            } else {
                view! { <RuleFacts rule=rule /> }.into_any()
            }}
        </section>
    }
}

#[component]
fn DebtorsTable(rows: Vec<DebtorRow>) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang();
    if rows.is_empty() {
        return view! { <p class="muted" data-testid="no-debtors">{t!(i18n, no_debtors)}</p> }
            .into_any();
    }
    view! {
        <div class="table-wrap">
            <table class="table table--stack" data-testid="debtors">
                <thead>
                    <tr>
                        <th>{t!(i18n, filter_counterparty)}</th>
                        <th class="num">{t!(i18n, balance_column)}</th>
                        <th class="num">{t!(i18n, overdue_we_owe)}</th>
                        <th class="num">{t!(i18n, overdue_they_owe)}</th>
                        <th class="num">{t!(i18n, overdue_days)}</th>
                        <th class="num">{t!(i18n, limit_used)}</th>
                        <th>{t!(i18n, access)}</th>
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|row| {
                        let DebtorRow { counterparty_id, name, balance, overdue, credit_limit, limit_used_percent, block, block_by_rule, debtor } = row;
                        let shown = magnitude(balance);
                        let favour = crate::domain::settlements::in_favour_of(balance);
                        let we_late = overdue.we_owe > crate::domain::money::Money::ZERO;
                        let they_late = overdue.they_owe > crate::domain::money::Money::ZERO;
                        view! {
                            <tr data-testid="debtor-row" class:row--overdue=debtor>
                                <td data-label=move || t_string!(i18n, filter_counterparty).to_string()>
                                    <span>
                                        <a href=format!("/staff/counterparties/{counterparty_id}/balance") data-testid="debtor-name">{name}</a>
                                        {debtor.then(|| view! { " " <span class="badge badge--danger">{t!(i18n, debtor_badge)}</span> })}
                                    </span>
                                </td>
                                <td data-label=move || t_string!(i18n, balance_column).to_string() class="num">
                                    <span>
                                        <span class="money">{move || shown.format(lang.get())}</span>
                                        <span class="muted small cell-sub">{move || favour_text(i18n, favour, true)}</span>
                                    </span>
                                </td>
                                <td data-label=move || t_string!(i18n, overdue_we_owe).to_string() class="num money" class:overdue=we_late>
                                    {move || overdue.we_owe.format(lang.get())}
                                </td>
                                <td data-label=move || t_string!(i18n, overdue_they_owe).to_string() class="num money" class:overdue=they_late>
                                    {move || overdue.they_owe.format(lang.get())}
                                </td>
                                <td data-label=move || t_string!(i18n, overdue_days).to_string() class="num">{overdue.days}</td>
                                <td data-label=move || t_string!(i18n, limit_used).to_string() class="num">
                                    {move || match (limit_used_percent, credit_limit) {
                                        (Some(p), Some(l)) => view! {
                                            <span>
                                                {format!("{p}%")}
                                                <span class="muted small cell-sub">{l.format(lang.get())}</span>
                                            </span>
                                        }.into_any(),
                                        _ => view! { <span>{t_string!(i18n, no_limit).to_string()}</span> }.into_any(),
                                    }}
                                </td>
                                <td data-label=move || t_string!(i18n, access).to_string() data-testid="debtor-block" class:overdue=block != BlockMode::None>
                                    {move || block_text(i18n, block)}
                                    {block_by_rule.then(|| view! { " " <span class="muted small">{t!(i18n, by_rule)}</span> })}
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
fn RuleForm(rule: DebtorRule, action: ServerAction<SaveDebtorRule>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <ActionForm action=action attr:class="form form--inline" attr:data-testid="debtor-rule-form">
            <label class="field field--check">
                <input type="checkbox" name="enabled" value="on" checked=rule.enabled />
                <span>{t!(i18n, debtor_rule_enabled)}</span>
            </label>
            <label class="field">
                <span class="field__label">{t!(i18n, debtor_rule_days)}</span>
                <input class="input" name="overdue_days" inputmode="numeric" value=rule.overdue_days.to_string() required />
            </label>
            <label class="field field--check">
                <input type="checkbox" name="over_limit" value="on" checked=rule.over_limit />
                <span>{t!(i18n, debtor_rule_over_limit)}</span>
            </label>
            <div class="form-actions">
                <button type="submit" class="button">{t!(i18n, save)}</button>
            </div>
        </ActionForm>
    }
}

#[component]
fn RuleFacts(rule: DebtorRule) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <dl class="facts">
            <dt>{t!(i18n, debtor_rule_enabled)}</dt>
            <dd>{move || if rule.enabled { t_string!(i18n, yes).to_string() } else { t_string!(i18n, no).to_string() }}</dd>
            <dt>{t!(i18n, debtor_rule_days)}</dt>
            <dd>{rule.overdue_days}</dd>
            <dt>{t!(i18n, debtor_rule_over_limit)}</dt>
            <dd>{move || if rule.over_limit { t_string!(i18n, yes).to_string() } else { t_string!(i18n, no).to_string() }}</dd>
        </dl>
    }
}
