//! Lists of the papers that carry a deal's number (contracts, specifications, supplier orders),
//! tasks, a card's history and a paper's files, shared by staff and supplier pages.
use leptos::prelude::*;

use crate::api::deals::HistoryEntry;
use crate::api::papers::{ContractRow, OrderRow, SpecificationRow};
use crate::api::tasks::{AssigneeView, ItemFile, TaskLink, TaskRow};
use crate::domain::deadlines::DeferralBase;
use crate::domain::format::{format_date, format_date_time};
use crate::domain::lang::Lang;
use crate::domain::tasks::TaskStatus;
use crate::i18n::*;
use crate::ui::components::clock::company_zone;
use crate::ui::components::lang::use_lang;

/// A number, or what stands in for it until the deal is numbered.
pub fn shown_number(i18n: leptos_i18n::I18nContext<Locale>, number: &Option<String>) -> String {
    match number {
        Some(number) => format!("№ {number}"),
        None => t_string!(i18n, number_pending).to_string(),
    }
}

pub fn date_or_dash(date: Option<chrono::NaiveDate>, lang: Lang) -> String {
    date.map(|d| format_date(d, lang))
        .unwrap_or_else(|| "—".to_owned())
}

/// A stage as a coloured badge, named in the page's language.
#[component]
pub fn StageBadge(
    stage: crate::api::home::StageName,
    #[prop(optional)] testid: &'static str,
) -> impl IntoView {
    let lang = use_lang();
    let class = stage.badge_class();
    view! { <span class=class data-testid=testid>{move || stage.name(lang.get()).to_owned()}</span> }
}

fn side(staff: bool) -> &'static str {
    if staff { "/staff" } else { "/cabinet" }
}

#[component]
pub fn ContractTable(contracts: Vec<ContractRow>, staff: bool) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang();
    if contracts.is_empty() {
        return view! { <p class="muted">{t!(i18n, none_yet)}</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table class="table" data-testid="contracts">
                <thead>
                    <tr>
                        <th>{t!(i18n, number_column)}</th>
                        <th>{t!(i18n, filter_counterparty)}</th>
                        <th>{t!(i18n, contract_date)}</th>
                        <th>{t!(i18n, deferral_days)}</th>
                    </tr>
                </thead>
                <tbody>
                    {contracts
                        .into_iter()
                        .map(|c| {
                            let number = c.number.clone();
                            view! {
                                <tr data-testid="contract-row">
                                    <td><a href=format!("{}/contracts/{}", side(staff), c.id) class="paper-number" data-testid="contract-number">{move || shown_number(i18n, &number)}</a></td>
                                    <td>{c.counterparty_name.clone()}</td>
                                    <td>{move || format_date(c.signed_on, lang.get())}</td>
                                    <td>{move || {
                                        let base = deferral_base_name(i18n, c.deferral_base);
                                        t_string!(i18n, deferral_summary, days = c.deferral_days, base = base).to_string()
                                    }}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
pub fn SpecificationTable(specifications: Vec<SpecificationRow>, staff: bool) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang();
    if specifications.is_empty() {
        return view! { <p class="muted">{t!(i18n, none_yet)}</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table class="table" data-testid="specifications">
                <thead>
                    <tr>
                        <th>{t!(i18n, number_column)}</th>
                        <th>{t!(i18n, contract)}</th>
                        <th>{t!(i18n, specification_date)}</th>
                        <th class="num">{t!(i18n, total)}</th>
                    </tr>
                </thead>
                <tbody>
                    {specifications
                        .into_iter()
                        .map(|s| {
                            let number = s.number.clone();
                            let contract = s.contract_number.clone();
                            let total = s.total;
                            view! {
                                <tr data-testid="specification-row">
                                    <td><a href=format!("{}/specifications/{}", side(staff), s.id) class="paper-number" data-testid="specification-number">{move || shown_number(i18n, &number)}</a></td>
                                    <td class="paper-number">{move || shown_number(i18n, &contract)}</td>
                                    <td>{move || format_date(s.dated_on, lang.get())}</td>
                                    <td class="num money">{move || total.format(lang.get())}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
pub fn OrderTable(orders: Vec<OrderRow>, staff: bool) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang();
    if orders.is_empty() {
        return view! { <p class="muted">{t!(i18n, none_yet)}</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table class="table table--stack" data-testid="orders">
                <thead>
                    <tr>
                        <th>{t!(i18n, number_column)}</th>
                        {staff.then(|| view! { <th>{t!(i18n, filter_counterparty)}</th> })}
                        <th>{t!(i18n, stage)}</th>
                        <th>{t!(i18n, planned_delivery)}</th>
                        <th>{t!(i18n, actual_delivery)}</th>
                        <th>{t!(i18n, payment_deadline)}</th>
                        <th class="num">{t!(i18n, amount_rub)}</th>
                    </tr>
                </thead>
                <tbody>
                    {orders
                        .into_iter()
                        .map(|o| {
                            let number = o.number.clone();
                            let stage = o.stage.clone();
                            let amount = o.amount;
                            view! {
                                <tr data-testid="order-row" class:row--overdue=o.overdue>
                                    <td data-label=move || t_string!(i18n, number_column).to_string()><a href=format!("{}/orders/{}", side(staff), o.id) class="paper-number" data-testid="order-number">{move || shown_number(i18n, &number)}</a></td>
                                    {staff.then(|| view! { <td data-label=move || t_string!(i18n, filter_counterparty).to_string()>{o.counterparty_name.clone()}</td> })}
                                    <td data-label=move || t_string!(i18n, stage).to_string()><StageBadge stage=stage /></td>
                                    <td data-label=move || t_string!(i18n, planned_delivery).to_string()>{move || date_or_dash(o.planned_delivery_on, lang.get())}</td>
                                    <td data-label=move || t_string!(i18n, actual_delivery).to_string()>{move || date_or_dash(o.delivered_on, lang.get())}</td>
                                    <td data-label=move || t_string!(i18n, payment_deadline).to_string() class:overdue=o.overdue data-testid="order-deadline">
                                        {move || date_or_dash(o.payment_deadline, lang.get())}
                                        {o.overdue.then(|| view! { <span class="badge badge--danger">{t!(i18n, badge_overdue)}</span> })}
                                    </td>
                                    <td data-label=move || t_string!(i18n, amount_rub).to_string() class="num money" class:overdue=o.overdue>{move || amount.format(lang.get())}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

pub fn assignee_text(i18n: leptos_i18n::I18nContext<Locale>, assignee: &AssigneeView) -> String {
    match assignee {
        AssigneeView::User(name) => name.clone(),
        AssigneeView::Role(role) => crate::ui::layout::role_name(i18n, *role),
        AssigneeView::Counterparty(name) => name.clone(),
    }
}

pub fn task_title(task: &TaskRow, lang: Lang) -> String {
    match (lang, &task.title_en) {
        (Lang::En, Some(en)) => en.clone(),
        _ => task.title.clone(),
    }
}

#[component]
pub fn TaskTable(tasks: Vec<TaskRow>, staff: bool) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang();
    if tasks.is_empty() {
        return view! { <p class="muted">{t!(i18n, no_tasks)}</p> }.into_any();
    }
    view! {
        <ul class="list task-list" data-testid="tasks">
            {tasks
                .into_iter()
                .map(|task| {
                    let href = crate::paths::task_path(
                        if staff { crate::domain::access::Role::Manager } else { crate::domain::access::Role::Supplier },
                        task.id,
                    );
                    let done = task.status == TaskStatus::Done;
                    let title_task = task.clone();
                    let assignee = task.assignee.clone();
                    let deadline = task.deadline;
                    view! {
                        <li class="list__item" class:task--overdue=task.overdue class:task--done=done data-testid="task">
                            <div class="list__main">
                                <a href=href data-testid="task-title">{move || task_title(&title_task, lang.get())}</a>
                                <span class="muted small">
                                    {move || assignee_text(i18n, &assignee)}
                                    " · "
                                    {move || date_or_dash(deadline, lang.get())}
                                </span>
                                <span class="task-links small">
                                    {task.links.iter().map(|link| link_view(link, staff)).collect_view()}
                                </span>
                            </div>
                            {task.overdue.then(|| view! { <span class="badge badge--danger">{t!(i18n, badge_overdue)}</span> })}
                            {done.then(|| view! { <span class="badge">{t!(i18n, task_done)}</span> })}
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}

pub fn link_view(link: &TaskLink, staff: bool) -> impl IntoView + use<> {
    let (href, label) = match link {
        TaskLink::Deal { id, label } => (format!("/staff/deals/{id}"), label.clone()),
        TaskLink::Order { id, label } => (format!("{}/orders/{id}", side(staff)), label.clone()),
        TaskLink::Contract { id, label } => {
            (format!("{}/contracts/{id}", side(staff)), label.clone())
        }
        TaskLink::Document { id, label } => {
            (format!("{}/documents/{id}", side(staff)), label.clone())
        }
    };
    view! { <a class="chip" href=href>{label}</a> }
}

#[component]
pub fn HistoryList(history: Vec<HistoryEntry>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <ol class="timeline" data-testid="history">
            {history
                .into_iter()
                .map(|entry| {
                    let at = entry.at;
                    let stage = entry.stage.clone();
                    view! {
                        <li class="timeline__item">
                            <StageBadge stage=stage />
                            <time class="muted small" datetime=at.to_rfc3339()>
                                {move || format_date_time(at, company_zone(), lang.get())}
                            </time>
                            {entry.by.clone().map(|by| view! { <span class="small">{by}</span> })}
                            {entry.comment.clone().map(|c| view! { <p class="small">{c}</p> })}
                        </li>
                    }
                })
                .collect_view()}
        </ol>
    }
}

/// A paper's files, and a plain form to add more when `upload_to` is given.
#[component]
pub fn ItemFiles(files: Vec<ItemFile>, upload_to: Option<String>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        {if files.is_empty() {
            view! { <p class="muted">{t!(i18n, no_files)}</p> }.into_any()
        } else {
            view! {
                <ul class="file-list" data-testid="item-files">
                    {files
                        .into_iter()
                        .map(|file| {
                            let size = file.size_bytes.max(0) as u64;
                            view! {
                                <li class="file-list__item" data-testid="item-file">
                                    <a class="file-list__name" href=crate::paths::item_download_path(file.id, false) target="_blank" rel="noopener">{file.name.clone()}</a>
                                    <span class="muted small">{crate::ui::components::upload::size_text(i18n, size)}</span>
                                    <a class="link-button" href=crate::paths::item_download_path(file.id, true) download=file.name.clone()>{t!(i18n, download_file)}</a>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            }
            .into_any()
        }}
        {upload_to.map(|action| view! {
            <form class="form form--inline" method="post" enctype="multipart/form-data" action=action data-testid="item-files-form">
                <input class="input" type="file" name="files" multiple required />
                <button type="submit" class="button button--secondary">{t!(i18n, attach_files)}</button>
            </form>
        })}
    }
}

pub fn deferral_base_name(i18n: leptos_i18n::I18nContext<Locale>, base: DeferralBase) -> String {
    match base {
        DeferralBase::Delivery => t_string!(i18n, deferral_from_delivery).to_string(),
        DeferralBase::ClosingDocuments => t_string!(i18n, deferral_from_closing).to_string(),
    }
}
