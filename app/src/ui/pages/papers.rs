//! Supplier orders, contracts and specifications, for staff and for the supplier they belong
//! to: numbers, dates, the payment deadline (red once overdue), lines and files. Staff also
//! move an order here (a plain form) and see its history and tasks. The supplier's "Orders and
//! contracts" page lists its own.
use leptos::prelude::*;

use crate::api::papers::{
    MoveOrder, OrderPage, get_contract, get_order, get_specification, get_supplier_papers,
};
use crate::domain::board::Pipeline;
use crate::domain::deals::OrderStage;
use crate::domain::format::format_date;
use crate::domain::moves::MoveField;
use crate::i18n::*;
use crate::ui::components::error_message::ErrorMessage;
use crate::ui::components::hydration::mark_hydrated;
use crate::ui::components::lang::use_lang;
use crate::ui::components::loaded::Loaded;
use crate::ui::components::page_title::PageTitle;
use crate::ui::components::papers::deferral_base_name;
use crate::ui::components::papers::{
    ContractTable, HistoryList, ItemFiles, OrderTable, SpecificationTable, StageBadge, TaskTable,
    date_or_dash, shown_number,
};
use crate::ui::components::url::object_by_id;

#[component]
pub fn OrderPageView(staff: bool) -> impl IntoView {
    let i18n = use_i18n();
    let (order, refresh) = object_by_id(get_order);
    let back = if staff {
        ("/staff/orders", true)
    } else {
        ("/cabinet/orders", false)
    };
    view! {
        <div class="page">
            <p>
                <a href=back.0 class="back-link">
                    {move || if back.1 { t_string!(i18n, orders_board_title).to_string() } else { t_string!(i18n, nav_orders).to_string() }}
                </a>
            </p>
            <Loaded data=order view=move |order| view! { <OrderView page=order staff=staff refresh=refresh /> }.into_any() />
        </div>
    }
}

#[component]
fn OrderView(page: OrderPage, staff: bool, refresh: RwSignal<u32>) -> impl IntoView {
    mark_hydrated();
    let i18n = use_i18n();
    let lang = use_lang();
    let order = page.order.clone();
    let number = order.number.clone();
    let title_number = number.clone();
    let stage = order.stage.clone();
    let amount = order.amount;
    let deal_number = order.deal_number.clone();
    let contract_number = order.contract_number.clone();
    let side = if staff { "/staff" } else { "/cabinet" };
    let base = page.deferral_base;
    let days = page.deferral_days;
    view! {
        <PageTitle text=move || format!("{} {}", t_string!(i18n, order_word), shown_number(i18n, &title_number)) />
        <header class="page__header">
            <div>
                <p class="muted">{t!(i18n, order_word)}</p>
                <h1 data-testid="order-number">{move || shown_number(i18n, &number)}</h1>
                <p class="muted">{order.counterparty_name.clone()}</p>
            </div>
            <StageBadge stage=stage testid="order-stage" />
            {staff.then(|| view! {
                <a class="button button--secondary" href=format!("/staff/payments/new?order={}", order.id) data-testid="new-payment-from-order">
                    {t!(i18n, new_payment_request)}
                </a>
            })}
        </header>
        <div class="grid">
            <section class="card">
                <dl class="facts">
                    {(staff && order.deal_id.is_some()).then(|| {
                        let deal_id = order.deal_id.unwrap_or_default();
                        let deal_number = deal_number.clone();
                        view! {
                            <dt>{t!(i18n, deal_word)}</dt>
                            <dd><a href=Pipeline::Deals.card_path(deal_id)>{move || shown_number(i18n, &deal_number)}</a></dd>
                        }
                    })}
                    <dt>{t!(i18n, contract)}</dt>
                    <dd><a href=format!("{side}/contracts/{}", order.contract_id)>{move || shown_number(i18n, &contract_number)}</a></dd>
                    <dt>{t!(i18n, amount_rub)}</dt>
                    <dd class="money" class:overdue=order.overdue>{move || amount.format(lang.get())}</dd>
                    <dt>{t!(i18n, planned_delivery)}</dt>
                    <dd>{move || date_or_dash(order.planned_delivery_on, lang.get())}</dd>
                    <dt>{t!(i18n, actual_delivery)}</dt>
                    <dd data-testid="order-delivered">{move || date_or_dash(order.delivered_on, lang.get())}</dd>
                    <dt>{t!(i18n, closing_documents_on_field)}</dt>
                    <dd>{move || date_or_dash(order.closing_documents_on, lang.get())}</dd>
                    <dt>{t!(i18n, payment_deadline)}</dt>
                    <dd class:overdue=order.overdue data-testid="order-deadline">
                        {move || date_or_dash(order.payment_deadline, lang.get())}
                        {order.overdue.then(|| view! { <span class="badge badge--danger">{t!(i18n, badge_overdue)}</span> })}
                        <span class="muted small cell-sub">
                            {move || t_string!(i18n, deferral_summary, days = days, base = deferral_base_name(i18n, base)).to_string()}
                        </span>
                    </dd>
                    <dt>{t!(i18n, paid_date_field)}</dt>
                    <dd>{move || date_or_dash(order.paid_on, lang.get())}</dd>
                </dl>
                {(!page.description.is_empty()).then(|| view! { <p>{page.description.clone()}</p> })}
            </section>
            {staff.then(|| view! { <OrderMoveForm page=page.clone() refresh=refresh /> })}
        </div>
        <section class="card">
            <h2>{t!(i18n, files_title)}</h2>
            <ItemFiles files=page.files.clone() upload_to=staff.then(|| crate::paths::item_files_path(crate::domain::files::FileOwner::Order.code(), order.id)) />
        </section>
        {staff.then(|| view! {
            <section class="card">
                <h2>{t!(i18n, tasks_title)}</h2>
                <TaskTable tasks=page.tasks.clone() staff=true />
            </section>
            <section class="card">
                <h2>{t!(i18n, history_title)}</h2>
                <HistoryList history=page.history.clone() />
            </section>
        })}
    }
}

#[component]
fn OrderMoveForm(page: OrderPage, refresh: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang();
    let action = ServerAction::<MoveOrder>::new();
    Effect::new(move |_| {
        if let Some(Ok(_)) = action.value().get() {
            refresh.update(|n| *n += 1);
        }
    });
    let current = page.order.stage.code;
    let choice = RwSignal::new(
        page.stages
            .iter()
            .map(|s| s.code)
            .find(|c| *c != current)
            .map(|c| c.code().to_owned())
            .unwrap_or_default(),
    );
    let needs = move |field: MoveField| {
        choice.with(|c| {
            OrderStage::from_code(c).is_some_and(|s| s.fields_on_entry().contains(&field))
        })
    };
    let today = page.today.format("%Y-%m-%d").to_string();
    view! {
        <section class="card" id="move">
            <h2>{t!(i18n, move_card)}</h2>
            {move || action.value().get().and_then(|r| r.err()).map(|error| view! { <ErrorMessage error=error /> })}
            <ActionForm action=action attr:class="form" attr:data-testid="order-move-form">
                <input type="hidden" name="id" value=page.order.id.to_string() />
                <input type="hidden" name="version" value=page.order.version.to_string() />
                <input type="hidden" name="return_to" value=Pipeline::Orders.card_path(page.order.id) />
                <label class="field">
                    <span class="field__label">{t!(i18n, to_stage)}</span>
                    <select class="input" name="to" on:change=move |ev| choice.set(event_target_value(&ev))>
                        {page.stages
                            .into_iter()
                            .filter(|s| s.code != current)
                            .map(|s| {
                                let code = s.code;
                                view! { <option value=code>{move || s.name(lang.get()).to_owned()}</option> }
                            })
                            .collect_view()}
                    </select>
                </label>
                <label class="field move-field" class:move-field--hidden=move || !needs(MoveField::DeliveredOn)>
                    <span class="field__label">{t!(i18n, delivered_on_field)}</span>
                    <input class="input" type="date" name="delivered_on" value=today.clone() />
                </label>
                <label class="field move-field" class:move-field--hidden=move || !needs(MoveField::ClosingDocumentsOn)>
                    <span class="field__label">{t!(i18n, closing_documents_on_field)}</span>
                    <input class="input" type="date" name="closing_documents_on" value=today.clone() />
                </label>
                <label class="field move-field" class:move-field--hidden=move || !needs(MoveField::PaidDate)>
                    <span class="field__label">{t!(i18n, paid_date_field)}</span>
                    <input class="input" type="date" name="paid_date" value=today />
                </label>
                <div class="form-actions">
                    <button type="submit" class="button" data-testid="order-move-submit">{t!(i18n, move_confirm)}</button>
                </div>
            </ActionForm>
        </section>
    }
}

#[component]
pub fn ContractPageView(staff: bool) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang();
    let (contract, _) = object_by_id(get_contract);
    view! {
        <div class="page">
            <Loaded data=contract view=move |page| {
                mark_hydrated();
                let c = page.contract.clone();
                let number = c.number.clone();
                let title_number = number.clone();
                let deal_number = c.deal_number.clone();
                view! {
                    <PageTitle text=move || format!("{} {}", t_string!(i18n, contract), shown_number(i18n, &title_number)) />
                    <header class="page__header">
                        <div>
                            <p class="muted">{t!(i18n, contract)}</p>
                            <h1 data-testid="contract-number">{move || shown_number(i18n, &number)}</h1>
                            <p class="muted">{c.counterparty_name.clone()}</p>
                        </div>
                    </header>
                    <section class="card">
                        <dl class="facts">
                            {(staff && c.deal_id.is_some()).then(|| {
                                let deal_number = deal_number.clone();
                                view! {
                                    <dt>{t!(i18n, deal_word)}</dt>
                                    <dd><a href=Pipeline::Deals.card_path(c.deal_id.unwrap_or_default())>{move || shown_number(i18n, &deal_number)}</a></dd>
                                }
                            })}
                            <dt>{t!(i18n, contract_date)}</dt>
                            <dd>{move || format_date(c.signed_on, lang.get())}</dd>
                            <dt>{t!(i18n, deferral_days)}</dt>
                            <dd>{move || t_string!(i18n, deferral_summary, days = c.deferral_days, base = deferral_base_name(i18n, c.deferral_base)).to_string()}</dd>
                        </dl>
                    </section>
                    <section class="card">
                        <h2>{t!(i18n, files_title)}</h2>
                        <ItemFiles files=page.files.clone() upload_to=staff.then(|| crate::paths::item_files_path(crate::domain::files::FileOwner::Contract.code(), c.id)) />
                    </section>
                    <section class="card">
                        <h2>{t!(i18n, specifications_title)}</h2>
                        <SpecificationTable specifications=page.specifications.clone() staff=staff />
                    </section>
                    <section class="card">
                        <h2>{t!(i18n, orders_title)}</h2>
                        <OrderTable orders=page.orders.clone() staff=staff />
                    </section>
                }
                .into_any()
            } />
        </div>
    }
}

#[component]
pub fn SpecificationPageView(staff: bool) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang();
    let (specification, _) = object_by_id(get_specification);
    let side = if staff { "/staff" } else { "/cabinet" };
    view! {
        <div class="page">
            <Loaded data=specification view=move |page| {
                mark_hydrated();
                let s = page.specification.clone();
                let number = s.number.clone();
                let title_number = number.clone();
                let contract_number = s.contract_number.clone();
                let total = s.total;
                view! {
                    <PageTitle text=move || format!("{} {}", t_string!(i18n, specification_word), shown_number(i18n, &title_number)) />
                    <header class="page__header">
                        <div>
                            <p class="muted">{t!(i18n, specification_word)}</p>
                            <h1 data-testid="specification-number">{move || shown_number(i18n, &number)}</h1>
                            <p class="muted">
                                {s.counterparty_name.clone()} " · "
                                <a href=format!("{side}/contracts/{}", s.contract_id)>{move || shown_number(i18n, &contract_number)}</a>
                                " · " {move || format_date(s.dated_on, lang.get())}
                            </p>
                        </div>
                    </header>
                    <section class="card">
                        <div class="table-wrap">
                            <table class="table" data-testid="specification-lines">
                                <thead>
                                    <tr>
                                        <th>{t!(i18n, line_name)}</th>
                                        <th class="num">{t!(i18n, line_quantity)}</th>
                                        <th>{t!(i18n, line_unit)}</th>
                                        <th class="num">{t!(i18n, line_price)}</th>
                                        <th>{t!(i18n, vat_column)}</th>
                                        <th class="num">{t!(i18n, total)}</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {page.lines.clone().into_iter().map(|line| {
                                        let (price, amount) = (line.price, line.amount);
                                        view! {
                                            <tr>
                                                <td>{line.name.clone()}</td>
                                                <td class="num">{line.quantity.clone()}</td>
                                                <td>{line.unit.clone()}</td>
                                                <td class="num money">{move || price.format(lang.get())}</td>
                                                <td>{line.vat.percent().map(|p| format!("{p} %")).unwrap_or_else(|| "—".to_owned())}</td>
                                                <td class="num money">{move || amount.format(lang.get())}</td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                                <tfoot>
                                    <tr>
                                        <th colspan="5">{t!(i18n, total)}</th>
                                        <th class="num money" data-testid="specification-total">{move || total.format(lang.get())}</th>
                                    </tr>
                                </tfoot>
                            </table>
                        </div>
                    </section>
                    <section class="card">
                        <h2>{t!(i18n, files_title)}</h2>
                        <ItemFiles files=page.files.clone() upload_to=staff.then(|| crate::paths::item_files_path(crate::domain::files::FileOwner::Specification.code(), s.id)) />
                    </section>
                }
                .into_any()
            } />
        </div>
    }
}

/// The supplier's orders (with deal-based numbers, delivery dates, payment deadline and
/// state), contracts and specifications.
#[component]
pub fn SupplierPapersPage() -> impl IntoView {
    let i18n = use_i18n();
    let papers = Resource::new(|| (), |_| get_supplier_papers());
    view! {
        <PageTitle text=move || t_string!(i18n, nav_orders).to_string() />
        <div class="page">
            <h1>{t!(i18n, nav_orders)}</h1>
            <Loaded data=papers view=move |papers| {
                mark_hydrated();
                view! {
                    <section class="card">
                        <h2>{t!(i18n, orders_title)}</h2>
                        <OrderTable orders=papers.orders staff=false />
                    </section>
                    <section class="card">
                        <h2>{t!(i18n, contracts_title)}</h2>
                        <ContractTable contracts=papers.contracts staff=false />
                    </section>
                    <section class="card">
                        <h2>{t!(i18n, specifications_title)}</h2>
                        <SpecificationTable specifications=papers.specifications staff=false />
                    </section>
                }
                .into_any()
            } />
        </div>
    }
}

#[component]
pub fn StaffOrderPage() -> impl IntoView {
    view! { <OrderPageView staff=true /> }
}

#[component]
pub fn SupplierOrderPage() -> impl IntoView {
    view! { <OrderPageView staff=false /> }
}

#[component]
pub fn StaffContractPage() -> impl IntoView {
    view! { <ContractPageView staff=true /> }
}

#[component]
pub fn SupplierContractPage() -> impl IntoView {
    view! { <ContractPageView staff=false /> }
}

#[component]
pub fn StaffSpecificationPage() -> impl IntoView {
    view! { <SpecificationPageView staff=true /> }
}

#[component]
pub fn SupplierSpecificationPage() -> impl IntoView {
    view! { <SpecificationPageView staff=false /> }
}
