//! A deal for staff: its number (given when it first enters implementation), fields, stage
//! with a move form, history, its contracts, specifications and supplier orders with their
//! numbers, its tasks, and forms to add papers and tasks. Every form is a plain form that works
//! without JavaScript.
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::api::deals::{AssignDeal, CreateDeal, DealPage, MoveDeal, get_deal};
use crate::api::papers::{CreateContract, CreateOrder, CreateSpecification};
use crate::api::tasks::CreateTask;
use crate::domain::board::Pipeline;
use crate::domain::deadlines::DeferralBase;
use crate::i18n::*;
use crate::ui::components::error_message::ErrorMessage;
use crate::ui::components::hydration::mark_hydrated;
use crate::ui::components::lang::use_lang;
use crate::ui::components::loaded::Loaded;
use crate::ui::components::page_title::PageTitle;
use crate::ui::components::papers::{
    ContractTable, HistoryList, OrderTable, SpecificationTable, StageBadge, TaskTable,
    deferral_base_name, shown_number,
};
use crate::ui::components::url::object_by_id;

#[component]
pub fn NewDealPage() -> impl IntoView {
    mark_hydrated();
    let i18n = use_i18n();
    let create = ServerAction::<CreateDeal>::new();
    let managers = Resource::new(|| (), |_| crate::api::counterparties::managers());
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(id)) = create.value().get() {
            navigate(&Pipeline::Deals.card_path(id), Default::default());
        }
    });
    view! {
        <PageTitle text=move || t_string!(i18n, new_deal).to_string() />
        <div class="page">
            <p><a href="/staff/deals" class="back-link">{t!(i18n, deals_board_title)}</a></p>
            <h1>{t!(i18n, new_deal)}</h1>
            <section class="card">
                {move || create.value().get().and_then(|r| r.err()).map(|error| view! { <ErrorMessage error=error /> })}
                <ActionForm action=create attr:class="form" attr:data-testid="new-deal-form">
                    <label class="field">
                        <span class="field__label">{t!(i18n, deal_title_field)}</span>
                        <input class="input" name="title" required maxlength="200" />
                    </label>
                    <label class="field">
                        <span class="field__label">{t!(i18n, deal_customer_field)}</span>
                        <input class="input" name="customer" required maxlength="200" />
                    </label>
                    <label class="field">
                        <span class="field__label">{t!(i18n, amount_rub)}</span>
                        <input class="input" name="amount" inputmode="decimal" required />
                    </label>
                    <Transition fallback=|| ()>
                        {move || Suspend::new(async move {
                            let all = managers.await.unwrap_or_default();
                            view! {
                                <label class="field">
                                    <span class="field__label">{t!(i18n, responsible)}</span>
                                    <select class="input" name="responsible">
                                        <option value="">{t!(i18n, responsible_me)}</option>
                                        {all.into_iter()
                                            .map(|m| view! { <option value=m.id.to_string()>{m.name}</option> })
                                            .collect_view()}
                                    </select>
                                </label>
                            }
                        })}
                    </Transition>
                    <div class="form-actions">
                        <button type="submit" class="button" data-testid="new-deal-submit">{t!(i18n, create)}</button>
                    </div>
                </ActionForm>
            </section>
        </div>
    }
}

#[component]
pub fn StaffDealPage() -> impl IntoView {
    let i18n = use_i18n();
    let (deal, refresh) = object_by_id(get_deal);
    view! {
        <div class="page">
            <p><a href="/staff/deals" class="back-link">{t!(i18n, deals_board_title)}</a></p>
            <Loaded data=deal view=move |deal| view! { <DealView deal=deal refresh=refresh /> }.into_any() />
        </div>
    }
}

#[component]
fn DealView(deal: DealPage, refresh: RwSignal<u32>) -> impl IntoView {
    mark_hydrated();
    let i18n = use_i18n();
    let lang = use_lang();
    let title = deal.title.clone();
    let number = deal.number.clone();
    let heading_number = number.clone();
    let stage = deal.stage.clone();
    let amount = deal.amount;
    view! {
        <PageTitle text=move || format!("{} · {}", shown_number(i18n, &heading_number), title) />
        <header class="page__header">
            <div>
                <p class="deal-number" data-testid="deal-number">
                    {
                        let number = number.clone();
                        move || shown_number(i18n, &number)
                    }
                </p>
                <h1>{deal.title.clone()}</h1>
                <p class="muted">{deal.customer.clone()}</p>
            </div>
            <StageBadge stage=stage testid="deal-stage" />
        </header>
        <div class="grid">
            <section class="card">
                <dl class="facts">
                    <dt>{t!(i18n, amount_rub)}</dt>
                    <dd class="money">{move || amount.format(lang.get())}</dd>
                    <dt>{t!(i18n, responsible)}</dt>
                    <dd>{deal.responsible_name.clone().unwrap_or_else(|| "—".to_owned())}</dd>
                </dl>
                {number.is_none().then(|| view! { <p class="muted small">{t!(i18n, deal_number_hint)}</p> })}
                <AssignForm deal=deal.clone() refresh=refresh />
            </section>
            <DealMoveForm deal=deal.clone() refresh=refresh />
        </div>
        <p>
            <a class="button button--secondary" href=crate::paths::deal_export_path(deal.id) download="" data-testid="deal-export">
                {t!(i18n, deal_export)}
            </a>
        </p>
        <section class="card">
            <h2>{t!(i18n, contracts_title)}</h2>
            <ContractTable contracts=deal.contracts.clone() staff=true />
            <NewContractForm deal=deal.clone() refresh=refresh />
        </section>
        <section class="card">
            <h2>{t!(i18n, specifications_title)}</h2>
            <SpecificationTable specifications=deal.specifications.clone() staff=true />
            {(!deal.contracts.is_empty()).then(|| view! { <NewSpecificationForm deal=deal.clone() refresh=refresh /> })}
        </section>
        <section class="card">
            <h2>{t!(i18n, orders_title)}</h2>
            <OrderTable orders=deal.orders.clone() staff=true />
            {(!deal.contracts.is_empty()).then(|| view! { <NewOrderForm deal=deal.clone() refresh=refresh /> })}
        </section>
        <section class="card">
            <h2>{t!(i18n, tasks_title)}</h2>
            <TaskTable tasks=deal.tasks.clone() staff=true />
            <NewTaskForm deal=Some(deal.id) order=None staff=deal.staff.clone() counterparties=deal.counterparties.clone() return_to=Pipeline::Deals.card_path(deal.id) refresh=refresh />
        </section>
        <section class="card">
            <h2>{t!(i18n, history_title)}</h2>
            <HistoryList history=deal.history.clone() />
        </section>
    }
}

/// The responsible manager, changed by a plain form.
#[component]
fn AssignForm(deal: DealPage, refresh: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<AssignDeal>::new();
    Effect::new(move |_| {
        if let Some(Ok(())) = action.value().get() {
            refresh.update(|n| *n += 1);
        }
    });
    let current = deal.responsible_user_id;
    view! {
        {move || action.value().get().and_then(|r| r.err()).map(|error| view! { <ErrorMessage error=error /> })}
        <ActionForm action=action attr:class="form form--inline" attr:data-testid="deal-assign-form">
            <input type="hidden" name="id" value=deal.id.to_string() />
            <label class="field">
                <span class="field__label">{t!(i18n, responsible)}</span>
                <select class="input" name="user_id" data-testid="deal-responsible">
                    {deal.staff
                        .into_iter()
                        .map(|c| view! { <option value=c.id.to_string() selected=Some(c.id) == current>{c.name}</option> })
                        .collect_view()}
                </select>
            </label>
            <div class="form-actions">
                <button type="submit" class="button button--secondary">{t!(i18n, save)}</button>
            </div>
        </ActionForm>
    }
}

#[component]
fn DealMoveForm(deal: DealPage, refresh: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang();
    let action = ServerAction::<MoveDeal>::new();
    Effect::new(move |_| {
        if let Some(Ok(_)) = action.value().get() {
            refresh.update(|n| *n += 1);
        }
    });
    let current = deal.stage.code;
    view! {
        <section class="card" id="move">
            <h2>{t!(i18n, move_card)}</h2>
            {move || action.value().get().and_then(|r| r.err()).map(|error| view! { <ErrorMessage error=error /> })}
            <ActionForm action=action attr:class="form" attr:data-testid="deal-move-form">
                <input type="hidden" name="id" value=deal.id.to_string() />
                <input type="hidden" name="version" value=deal.version.to_string() />
                <input type="hidden" name="return_to" value=Pipeline::Deals.card_path(deal.id) />
                <label class="field">
                    <span class="field__label">{t!(i18n, to_stage)}</span>
                    <select class="input" name="to" data-testid="deal-move-stage">
                        {deal.stages
                            .into_iter()
                            .filter(|s| s.code != current)
                            .map(|s| {
                                let code = s.code;
                                view! { <option value=code>{move || s.name(lang.get()).to_owned()}</option> }
                            })
                            .collect_view()}
                    </select>
                </label>
                <div class="form-actions">
                    <button type="submit" class="button" data-testid="deal-move-submit">{t!(i18n, move_confirm)}</button>
                </div>
            </ActionForm>
        </section>
    }
}

#[component]
fn NewContractForm(deal: DealPage, refresh: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<CreateContract>::new();
    Effect::new(move |_| {
        if let Some(Ok(_)) = action.value().get() {
            refresh.update(|n| *n += 1);
        }
    });
    view! {
        <details class="add-form">
            <summary class="button button--secondary" data-testid="add-contract">{t!(i18n, add_contract)}</summary>
            {move || action.value().get().and_then(|r| r.err()).map(|error| view! { <ErrorMessage error=error /> })}
            <ActionForm action=action attr:class="form form--inline" attr:data-testid="contract-form">
                <input type="hidden" name="deal" value=deal.id.to_string() />
                <label class="field">
                    <span class="field__label">{t!(i18n, filter_counterparty)}</span>
                    <select class="input" name="counterparty" required>
                        {deal.counterparties
                            .into_iter()
                            .map(|c| view! { <option value=c.id.to_string()>{c.name}</option> })
                            .collect_view()}
                    </select>
                </label>
                <label class="field">
                    <span class="field__label">{t!(i18n, contract_date)}</span>
                    <input class="input" type="date" name="signed_on" required value=deal.today.format("%Y-%m-%d").to_string() />
                </label>
                <label class="field">
                    <span class="field__label">{t!(i18n, deferral_days)}</span>
                    <input class="input" name="deferral_days" inputmode="numeric" placeholder=move || t_string!(i18n, deferral_default).to_string() />
                </label>
                <label class="field">
                    <span class="field__label">{t!(i18n, deferral_base)}</span>
                    <select class="input" name="deferral_base">
                        {DeferralBase::ALL
                            .into_iter()
                            .map(|base| view! { <option value=base.code()>{move || deferral_base_name(i18n, base)}</option> })
                            .collect_view()}
                    </select>
                </label>
                <div class="form-actions">
                    <button type="submit" class="button" data-testid="contract-submit">{t!(i18n, create)}</button>
                </div>
            </ActionForm>
        </details>
    }
}

fn contract_options(deal: &DealPage) -> impl IntoView + use<> {
    deal.contracts
        .iter()
        .map(|c| {
            let label = format!(
                "{} · {}",
                c.number.clone().unwrap_or_else(|| format!("#{}", c.id)),
                c.counterparty_name
            );
            view! { <option value=c.id.to_string()>{label}</option> }
        })
        .collect_view()
}

#[component]
fn NewSpecificationForm(deal: DealPage, refresh: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<CreateSpecification>::new();
    Effect::new(move |_| {
        if let Some(Ok(_)) = action.value().get() {
            refresh.update(|n| *n += 1);
        }
    });
    let vat_options = || {
        crate::domain::upload::VatRate::ALL
            .into_iter()
            .map(|v| {
                let label = v
                    .percent()
                    .map(|p| format!("{p} %"))
                    .unwrap_or_else(|| "—".to_owned());
                view! { <option value=v.code()>{label}</option> }
            })
            .collect_view()
    };
    view! {
        <details class="add-form">
            <summary class="button button--secondary" data-testid="add-specification">{t!(i18n, add_specification)}</summary>
            {move || action.value().get().and_then(|r| r.err()).map(|error| view! { <ErrorMessage error=error /> })}
            <ActionForm action=action attr:class="form" attr:data-testid="specification-form">
                <div class="form--inline">
                    <label class="field">
                        <span class="field__label">{t!(i18n, contract)}</span>
                        <select class="input" name="contract" required>{contract_options(&deal)}</select>
                    </label>
                    <label class="field">
                        <span class="field__label">{t!(i18n, specification_date)}</span>
                        <input class="input" type="date" name="dated_on" required value=deal.today.format("%Y-%m-%d").to_string() />
                    </label>
                </div>
                <table class="table table--form">
                    <thead>
                        <tr>
                            <th>{t!(i18n, line_name)}</th>
                            <th>{t!(i18n, line_quantity)}</th>
                            <th>{t!(i18n, line_unit)}</th>
                            <th>{t!(i18n, line_price)}</th>
                            <th>{t!(i18n, vat_column)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {(0..5)
                            .map(|at| view! {
                                <tr>
                                    <td><input class="input" name=format!("lines[{at}][name]") /></td>
                                    <td><input class="input" name=format!("lines[{at}][quantity]") inputmode="decimal" /></td>
                                    <td><input class="input" name=format!("lines[{at}][unit]") /></td>
                                    <td><input class="input" name=format!("lines[{at}][price]") inputmode="decimal" /></td>
                                    <td><select class="input" name=format!("lines[{at}][vat]")>{vat_options()}</select></td>
                                </tr>
                            })
                            .collect_view()}
                    </tbody>
                </table>
                <div class="form-actions">
                    <button type="submit" class="button" data-testid="specification-submit">{t!(i18n, create)}</button>
                </div>
            </ActionForm>
        </details>
    }
}

#[component]
fn NewOrderForm(deal: DealPage, refresh: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<CreateOrder>::new();
    Effect::new(move |_| {
        if let Some(Ok(_)) = action.value().get() {
            refresh.update(|n| *n += 1);
        }
    });
    view! {
        <details class="add-form">
            <summary class="button button--secondary" data-testid="add-order">{t!(i18n, add_order)}</summary>
            {move || action.value().get().and_then(|r| r.err()).map(|error| view! { <ErrorMessage error=error /> })}
            <ActionForm action=action attr:class="form form--inline" attr:data-testid="order-form">
                <label class="field">
                    <span class="field__label">{t!(i18n, contract)}</span>
                    <select class="input" name="contract" required>{contract_options(&deal)}</select>
                </label>
                <label class="field">
                    <span class="field__label">{t!(i18n, amount_rub)}</span>
                    <input class="input" name="amount" inputmode="decimal" required />
                </label>
                <label class="field">
                    <span class="field__label">{t!(i18n, planned_delivery)}</span>
                    <input class="input" type="date" name="planned_delivery_on" />
                </label>
                <label class="field">
                    <span class="field__label">{t!(i18n, order_description)}</span>
                    <input class="input" name="description" maxlength="2000" />
                </label>
                <div class="form-actions">
                    <button type="submit" class="button" data-testid="order-submit">{t!(i18n, create)}</button>
                </div>
            </ActionForm>
        </details>
    }
}

/// A task set by staff: for a colleague, a role or a supplier, optionally linked to a deal or
/// an order.
#[component]
pub fn NewTaskForm(
    deal: Option<i32>,
    order: Option<i32>,
    staff: Vec<crate::api::board::Choice>,
    counterparties: Vec<crate::api::board::Choice>,
    return_to: String,
    refresh: RwSignal<u32>,
) -> impl IntoView {
    use crate::domain::access::Role;
    let i18n = use_i18n();
    let action = ServerAction::<CreateTask>::new();
    Effect::new(move |_| {
        if let Some(Ok(_)) = action.value().get() {
            refresh.update(|n| *n += 1);
        }
    });
    view! {
        <details class="add-form">
            <summary class="button button--secondary" data-testid="add-task">{t!(i18n, add_task)}</summary>
            {move || action.value().get().and_then(|r| r.err()).map(|error| view! { <ErrorMessage error=error /> })}
            <ActionForm action=action attr:class="form" attr:data-testid="task-form">
                {deal.map(|id| view! { <input type="hidden" name="deal" value=id.to_string() /> })}
                {order.map(|id| view! { <input type="hidden" name="order" value=id.to_string() /> })}
                <input type="hidden" name="return_to" value=return_to />
                <label class="field">
                    <span class="field__label">{t!(i18n, task_title_field)}</span>
                    <input class="input" name="title" required maxlength="300" />
                </label>
                <label class="field">
                    <span class="field__label">{t!(i18n, task_description)}</span>
                    <textarea class="input" name="description" rows="2"></textarea>
                </label>
                <div class="form--inline">
                    <label class="field">
                        <span class="field__label">{t!(i18n, task_assignee)}</span>
                        <select class="input" name="assignee" required data-testid="task-assignee">
                            <optgroup label=move || t_string!(i18n, task_for_role).to_string()>
                                {Role::ALL
                                    .into_iter()
                                    .filter(|r| r.is_staff())
                                    .map(|role| view! {
                                        <option value=format!("role:{}", role.code())>{move || crate::ui::layout::role_name(i18n, role)}</option>
                                    })
                                    .collect_view()}
                            </optgroup>
                            <optgroup label=move || t_string!(i18n, task_for_person).to_string()>
                                {staff
                                    .into_iter()
                                    .map(|c| view! { <option value=format!("user:{}", c.id)>{c.name}</option> })
                                    .collect_view()}
                            </optgroup>
                            <optgroup label=move || t_string!(i18n, task_for_supplier).to_string()>
                                {counterparties
                                    .into_iter()
                                    .map(|c| view! { <option value=format!("counterparty:{}", c.id)>{c.name}</option> })
                                    .collect_view()}
                            </optgroup>
                        </select>
                    </label>
                    <label class="field">
                        <span class="field__label">{t!(i18n, task_deadline)}</span>
                        <input class="input" type="date" name="deadline" />
                    </label>
                </div>
                <div class="form-actions">
                    <button type="submit" class="button" data-testid="task-submit">{t!(i18n, create)}</button>
                </div>
            </ActionForm>
        </details>
    }
}
