//! Accounting's payment register: the approved requests by pay-by date, urgent first, each day
//! with its count and total, filtered by counterparty and cash-flow item, downloadable as XLSX;
//! accounting ticks requests (or a whole day) and marks them paid on a date. The filter is a
//! GET form and the payment a plain form: both work before the page's script has loaded.
use std::collections::{BTreeMap, BTreeSet};

use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

use crate::api::payments::{PayPayments, PaymentRegister, get_payment_register};
use crate::domain::board::Pipeline;
use crate::domain::money::Money;
use crate::domain::payments::{RegisterDay, request_number};
use crate::i18n::*;
use crate::ui::components::error_message::ErrorMessage;
use crate::ui::components::hydration::mark_hydrated;
use crate::ui::components::lang::use_lang;
use crate::ui::components::loaded::Loaded;
use crate::ui::components::page_title::PageTitle;

fn query_id(value: Option<String>) -> Option<i32> {
    value.and_then(|v| v.parse().ok())
}

#[component]
pub fn PaymentRegisterPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    // Held here, not in the view: the register reloads after a payment and the answer (what
    // was paid, what was refused) must outlive the view it replaces.
    let pay = ServerAction::<PayPayments>::new();
    let filter = Memo::new(move |_| {
        let q = query.read();
        (query_id(q.get("counterparty")), query_id(q.get("item")))
    });
    let register = Resource::new(
        move || (filter.get(), pay.version().get()),
        |((counterparty, item), _)| get_payment_register(counterparty, item),
    );
    view! {
        <PageTitle text=move || t_string!(i18n, register_title).to_string() />
        <div class="page">
            <p><a href=Pipeline::Payments.board_path() class="back-link">{t!(i18n, payments_board_title)}</a></p>
            <header class="page__header">
                <h1>{t!(i18n, register_title)}</h1>
            </header>
            <Loaded
                data=register
                view=move |register| view! { <RegisterView register=register filter=filter.get_untracked() pay=pay /> }.into_any()
            />
        </div>
    }
}

fn day_name(
    i18n: leptos_i18n::I18nContext<Locale>,
    day: RegisterDay,
    lang: crate::domain::lang::Lang,
) -> String {
    match day {
        RegisterDay::Urgent => t_string!(i18n, register_urgent).to_string(),
        RegisterDay::On(date) => crate::domain::format::format_date(date, lang),
        RegisterDay::Undated => t_string!(i18n, register_undated).to_string(),
    }
}

fn day_code(day: RegisterDay) -> String {
    match day {
        RegisterDay::Urgent => "urgent".to_owned(),
        RegisterDay::On(date) => date.to_string(),
        RegisterDay::Undated => "undated".to_owned(),
    }
}

#[component]
fn RegisterView(
    register: PaymentRegister,
    filter: (Option<i32>, Option<i32>),
    pay: ServerAction<PayPayments>,
) -> impl IntoView {
    mark_hydrated();
    let i18n = use_i18n();
    let lang = use_lang();
    let (counterparty, item) = filter;
    let may_pay = register.may_pay;
    // What is ticked, and each payable request's amount, for the running total.
    let selected = RwSignal::new(BTreeSet::<i32>::new());
    let amounts: BTreeMap<i32, Money> = register
        .days
        .iter()
        .flat_map(|d| d.rows.iter())
        .filter(|r| r.has_payment_order)
        .map(|r| (r.id, r.amount))
        .collect();
    let selection = move || {
        let chosen = selected.get();
        let total: Money = chosen
            .iter()
            .filter_map(|id| amounts.get(id))
            .copied()
            .sum();
        (chosen.len(), total)
    };
    let today = register.today.format("%Y-%m-%d").to_string();
    let xlsx = move || crate::paths::payment_register_xlsx_path(counterparty, item, lang.get());
    let (count, total) = (register.count, register.total);
    let empty = register.days.is_empty();
    view! {
        <section class="card filters-card">
            <Form method="GET" action=crate::paths::PAYMENT_REGISTER_PATH attr:class="filters">
                <label class="field">
                    <span class="field__label">{t!(i18n, filter_counterparty)}</span>
                    <select class="input" name="counterparty" data-testid="register-counterparty">
                        <option value="" selected=counterparty.is_none()>{t!(i18n, any_counterparty)}</option>
                        {register.counterparties.iter().map(|c| view! {
                            <option value=c.id.to_string() selected=counterparty == Some(c.id)>{c.name.clone()}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label class="field">
                    <span class="field__label">{t!(i18n, cash_flow_item)}</span>
                    <select class="input" name="item" data-testid="register-item">
                        <option value="" selected=item.is_none()>{t!(i18n, any_cash_flow_item)}</option>
                        {register.items.iter().map(|c| view! {
                            <option value=c.id.to_string() selected=item == Some(c.id)>{c.name.clone()}</option>
                        }).collect_view()}
                    </select>
                </label>
                <div class="filters__actions">
                    <button type="submit" class="button">{t!(i18n, apply_filters)}</button>
                    <a class="button button--ghost" href=crate::paths::PAYMENT_REGISTER_PATH>{t!(i18n, reset_filters)}</a>
                    <a class="button button--secondary" href=xlsx rel="external" download data-testid="register-xlsx">{t!(i18n, register_xlsx)}</a>
                </div>
            </Form>
        </section>
        <p class="notice" data-testid="register-total">
            {move || t_string!(i18n, register_total, count = count, total = total.format(lang.get())).to_string()}
        </p>
        {move || pay.value().get().map(|result| match result {
            Ok(done) => view! {
                <div class="notice" data-testid="register-paid">
                    <p>{t_string!(i18n, register_paid_result, count = done.paid.len()).to_string()}</p>
                    {done.refused.into_iter().map(|(id, error)| view! {
                        <p>{format!("{}: ", request_number(lang.get_untracked(), id))}{t!(i18n, register_refused)}</p>
                        <ErrorMessage error=error />
                    }).collect_view()}
                </div>
            }.into_any(),
            Err(error) => view! { <ErrorMessage error=error /> }.into_any(),
        })}
        {empty.then(|| view! { <p class="card muted" data-testid="register-empty">{t!(i18n, register_empty)}</p> })}
        <ActionForm action=pay attr:class="register" attr:data-testid="register-form">
            {register.days.into_iter().map(|day| {
                let label = day_name(i18n, day.day, lang.get_untracked());
                let payable: Vec<i32> = day.rows.iter().filter(|r| r.has_payment_order).map(|r| r.id).collect();
                let all_of_day = payable.clone();
                let day_ticked = move || {
                    let chosen = selected.get();
                    !all_of_day.is_empty() && all_of_day.iter().all(|id| chosen.contains(id))
                };
                let (day_count, day_total) = (day.count, day.total);
                view! {
                    <section class="card register-day" data-testid="register-day" data-day=day_code(day.day)>
                        <header class="register-day__header">
                            <h2>{label}</h2>
                            <p class="muted" data-testid="register-day-total">
                                {move || t_string!(i18n, register_day_total, count = day_count, total = day_total.format(lang.get())).to_string()}
                            </p>
                            {(may_pay && !payable.is_empty()).then(|| view! {
                                <label class="check">
                                    <input
                                        type="checkbox"
                                        data-testid="register-select-day"
                                        prop:checked=day_ticked
                                        on:change=move |ev| {
                                            let on = event_target_checked(&ev);
                                            selected.update(|chosen| for id in &payable {
                                                if on { chosen.insert(*id); } else { chosen.remove(id); }
                                            });
                                        }
                                    />
                                    {t!(i18n, register_select_day)}
                                </label>
                            })}
                        </header>
                        <div class="table-wrap">
                            <table class="table">
                                <thead>
                                    <tr>
                                        {may_pay.then(|| view! { <th><span class="visually-hidden">{t!(i18n, register_select)}</span></th> })}
                                        <th>{t!(i18n, payment_request_word)}</th>
                                        <th>{t!(i18n, counterparty)}</th>
                                        <th>{t!(i18n, payment_purpose)}</th>
                                        <th>{t!(i18n, cash_flow_item)}</th>
                                        <th class="money">{t!(i18n, amount_rub)}</th>
                                        <th>{t!(i18n, payment_order)}</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {day.rows.into_iter().map(|row| {
                                        let id = row.id;
                                        let amount = row.amount;
                                        view! {
                                            <tr data-testid="register-row" data-id=id.to_string()>
                                                {may_pay.then(|| view! {
                                                    <td>
                                                        {row.has_payment_order.then(|| view! {
                                                            <input
                                                                type="checkbox"
                                                                name=format!("pick[{id}]")
                                                                value=row.version.to_string()
                                                                aria-label=move || t_string!(i18n, register_select).to_string()
                                                                data-testid="register-pick"
                                                                prop:checked=move || selected.get().contains(&id)
                                                                on:change=move |ev| {
                                                                    let on = event_target_checked(&ev);
                                                                    selected.update(|chosen| {
                                                                        if on { chosen.insert(id); } else { chosen.remove(&id); }
                                                                    });
                                                                }
                                                            />
                                                        })}
                                                    </td>
                                                })}
                                                <td><a href=Pipeline::Payments.card_path(id)>{move || request_number(lang.get(), id)}</a></td>
                                                <td>{row.counterparty_name.clone()}</td>
                                                <td>{row.purpose.clone()}</td>
                                                <td>{row.cash_flow_item.clone()}</td>
                                                <td class="money">{move || amount.format(lang.get())}</td>
                                                <td class="small">
                                                    {if row.has_payment_order {
                                                        view! { <span>{t!(i18n, register_order_attached)}</span> }.into_any()
                                                    } else {
                                                        view! { <a class="muted" href=Pipeline::Payments.card_path(id)>{t!(i18n, register_order_missing)}</a> }.into_any()
                                                    }}
                                                </td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    </section>
                }
            }).collect_view()}
            {(may_pay && !empty).then(|| view! {
                <section class="card register-pay">
                    <p data-testid="register-selected">
                        {move || {
                            let (n, sum) = selection();
                            t_string!(i18n, register_selected, count = n, total = sum.format(lang.get())).to_string()
                        }}
                    </p>
                    <label class="field">
                        <span class="field__label">{t!(i18n, paid_date_field)}</span>
                        <input class="input" type="date" name="paid_date" max=today.clone() value=today.clone() required />
                    </label>
                    <button type="submit" class="button" data-testid="register-pay">{t!(i18n, register_pay_selected)}</button>
                </section>
            })}
        </ActionForm>
    }
}
