//! Payment requests for staff: the form (new, from a supplier document or order, or editing a
//! draft or a returned request) and the card page with its fields, files, the approval chain of
//! every round, the decision panel of the acting approver and accounting's payment. Every form
//! is a plain form that works without JavaScript.
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api::payments::{
    DecidePayment, MakeApprovalSheet, MovePayment, PaymentForm, PaymentPage, SavePaymentRequest,
    SendPaymentRequest, StepView, get_payment_form, get_payment_request,
};
use crate::domain::approvals::{MaterialField, StepReason};
use crate::domain::board::Pipeline;
use crate::domain::files::FileOwner;
use crate::domain::format::format_date_time;
use crate::domain::payments::{StepState, request_number};
use crate::i18n::*;
use crate::ui::components::clock::company_zone;
use crate::ui::components::error_message::ErrorMessage;
use crate::ui::components::hydration::mark_hydrated;
use crate::ui::components::lang::use_lang;
use crate::ui::components::loaded::Loaded;
use crate::ui::components::page_title::PageTitle;
use crate::ui::components::papers::{HistoryList, ItemFiles, StageBadge, date_or_dash};
use crate::ui::components::url::{id_param, object_by_id};

fn query_id(value: Option<String>) -> Option<i32> {
    value.and_then(|v| v.parse().ok())
}

/// A new request: `?document=7` or `?order=7` starts it from that card.
#[component]
pub fn NewPaymentPage() -> impl IntoView {
    let query = use_query_map();
    let form = Resource::new(
        move || {
            let q = query.read();
            (query_id(q.get("document")), query_id(q.get("order")))
        },
        |(document, order)| get_payment_form(None, document, order),
    );
    view! { <PaymentFormPage form=form /> }
}

/// Editing a draft or a returned request.
#[component]
pub fn EditPaymentPage() -> impl IntoView {
    let id = id_param();
    let form = Resource::new(
        move || id.get(),
        |id| async move {
            match id {
                Some(id) => get_payment_form(Some(id), None, None).await,
                None => Err(crate::error::AppError::NotFound),
            }
        },
    );
    view! { <PaymentFormPage form=form /> }
}

#[component]
fn PaymentFormPage(form: Resource<Result<PaymentForm, crate::error::AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageTitle text=move || t_string!(i18n, new_payment_request).to_string() />
        <div class="page">
            <p><a href=Pipeline::Payments.board_path() class="back-link">{t!(i18n, payments_board_title)}</a></p>
            <Loaded data=form view=move |form| view! { <PaymentFormView form=form /> }.into_any() />
        </div>
    }
}

#[component]
fn PaymentFormView(form: PaymentForm) -> impl IntoView {
    mark_hydrated();
    let i18n = use_i18n();
    let lang = use_lang();
    let save = ServerAction::<SavePaymentRequest>::new();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(id)) = save.value().get() {
            navigate(&Pipeline::Payments.card_path(id), Default::default());
        }
    });
    let values = form.values.clone();
    let payees = StoredValue::new(form.payees.clone());
    let chosen = RwSignal::new(values.counterparty.clone());
    let urgent = RwSignal::new(values.urgent.is_some());
    let contact = values.contact.clone().unwrap_or_default();
    let payee = move || {
        let id: i32 = chosen.get().parse().unwrap_or_default();
        payees.with_value(|all| all.iter().find(|p| p.id == id).cloned())
    };
    let heading = if form.id.is_some() {
        view! { <h1>{move || format!("{} {}", t_string!(i18n, edit_payment_request), request_number(lang.get(), form.id.unwrap_or_default()))}</h1> }.into_any()
    } else {
        view! { <h1>{t!(i18n, new_payment_request)}</h1> }.into_any()
    };
    let today = form.today.format("%Y-%m-%d").to_string();
    view! {
        {heading}
        <section class="card">
            {move || save.value().get().and_then(|r| r.err()).map(|error| view! { <ErrorMessage error=error /> })}
            <ActionForm action=save attr:class="form" attr:data-testid="payment-form">
                {form.id.map(|id| view! {
                    <input type="hidden" name="id" value=id.to_string() />
                    <input type="hidden" name="version" value=form.version.to_string() />
                })}
                {form.document_card_id.map(|id| view! { <input type="hidden" name="document_card_id" value=id.to_string() /> })}
                {form.supplier_order_id.map(|id| view! { <input type="hidden" name="supplier_order_id" value=id.to_string() /> })}
                <label class="field">
                    <span class="field__label">{t!(i18n, counterparty)}</span>
                    <select class="input" name="request[counterparty]" required data-testid="payment-counterparty"
                        on:change=move |ev| chosen.set(event_target_value(&ev))>
                        <option value="">"—"</option>
                        {form.payees.iter().map(|p| {
                            let selected = p.id.to_string() == values.counterparty;
                            view! { <option value=p.id.to_string() selected=selected>{p.name.clone()}</option> }
                        }).collect_view()}
                    </select>
                    <span class="muted small" data-testid="payment-requisites">{move || payee().map(|p| p.requisites).unwrap_or_default()}</span>
                </label>
                <label class="field">
                    <span class="field__label">{t!(i18n, payment_contact)}</span>
                    <select class="input" name="request[contact]" data-testid="payment-contact">
                        <option value="">"—"</option>
                        {move || payee().map(|p| p.contacts).unwrap_or_default().into_iter().map(|c| {
                            let selected = c.id.to_string() == contact;
                            view! { <option value=c.id.to_string() selected=selected>{c.name}</option> }
                        }).collect_view()}
                    </select>
                </label>
                <label class="field">
                    <span class="field__label">{t!(i18n, amount_rub)}</span>
                    <input class="input" name="request[amount]" inputmode="decimal" required value=values.amount.clone() data-testid="payment-amount" />
                </label>
                <label class="field">
                    <span class="field__label">{t!(i18n, payment_purpose)}</span>
                    <textarea class="input" name="request[purpose]" required maxlength="500" rows="2" data-testid="payment-purpose">{values.purpose.clone()}</textarea>
                </label>
                <label class="field">
                    <span class="field__label">{t!(i18n, cash_flow_item)}</span>
                    <select class="input" name="request[cash_flow_item]" required data-testid="payment-item">
                        <option value="">"—"</option>
                        {form.items.iter().map(|item| {
                            let selected = item.id.to_string() == values.cash_flow_item;
                            view! { <option value=item.id.to_string() selected=selected>{item.name.clone()}</option> }
                        }).collect_view()}
                    </select>
                </label>
                <label class="field field--check">
                    <input type="checkbox" name="request[in_budget]" checked=values.in_budget.is_some() />
                    <span>{t!(i18n, payment_in_budget)}</span>
                </label>
                <label class="field field--check">
                    <input type="checkbox" name="request[urgent]" checked=values.urgent.is_some() data-testid="payment-urgent"
                        on:change=move |ev| urgent.set(event_target_checked(&ev)) />
                    <span>{t!(i18n, payment_urgent)}</span>
                </label>
                <label class="field">
                    <span class="field__label">{t!(i18n, payment_pay_by)}</span>
                    <input class="input" type="date" name="request[pay_by]" min=today value=values.pay_by.clone().unwrap_or_default()
                        disabled=move || urgent.get() data-testid="payment-pay-by" />
                </label>
                <label class="field">
                    <span class="field__label">{t!(i18n, comment)}</span>
                    <textarea class="input" name="request[comment]" maxlength="2000" rows="2">{values.comment.clone()}</textarea>
                </label>
                <div class="form-actions">
                    <button type="submit" class="button" data-testid="payment-save">{t!(i18n, payment_save_draft)}</button>
                </div>
            </ActionForm>
        </section>
    }
}

#[component]
pub fn StaffPaymentPage() -> impl IntoView {
    let i18n = use_i18n();
    let (page, refresh) = object_by_id(get_payment_request);
    view! {
        <div class="page">
            <p><a href=Pipeline::Payments.board_path() class="back-link">{t!(i18n, payments_board_title)}</a></p>
            <Loaded data=page view=move |page| view! { <PaymentView page=page refresh=refresh /> }.into_any() />
        </div>
    }
}

fn step_state_name(i18n: leptos_i18n::I18nContext<Locale>, state: StepState) -> String {
    match state {
        StepState::Waiting => t_string!(i18n, step_waiting).to_string(),
        StepState::Pending => t_string!(i18n, step_pending).to_string(),
        StepState::Approved => t_string!(i18n, step_approved).to_string(),
        StepState::Rejected => t_string!(i18n, step_rejected).to_string(),
        StepState::Skipped => t_string!(i18n, step_skipped).to_string(),
        StepState::Cancelled => t_string!(i18n, step_cancelled).to_string(),
    }
}

fn field_name(i18n: leptos_i18n::I18nContext<Locale>, field: MaterialField) -> String {
    match field {
        MaterialField::Counterparty => t_string!(i18n, counterparty).to_string(),
        MaterialField::Amount => t_string!(i18n, amount_rub).to_string(),
        MaterialField::PayBy => t_string!(i18n, payment_pay_by).to_string(),
        MaterialField::Urgent => t_string!(i18n, payment_urgent).to_string(),
        MaterialField::CashFlowItem => t_string!(i18n, cash_flow_item).to_string(),
        MaterialField::InBudget => t_string!(i18n, payment_in_budget).to_string(),
        MaterialField::Files => t_string!(i18n, files_title).to_string(),
    }
}

#[component]
fn PaymentView(page: PaymentPage, refresh: RwSignal<u32>) -> impl IntoView {
    mark_hydrated();
    let i18n = use_i18n();
    let lang = use_lang();
    let request = page.request.clone();
    let id = request.id;
    let amount = request.amount;
    let number = move || request_number(lang.get(), id);
    let yes_no = move |b: bool| {
        if b {
            t_string!(i18n, yes).to_string()
        } else {
            t_string!(i18n, no).to_string()
        }
    };
    let pending_changes = page
        .steps
        .iter()
        .find(|s| s.round == request.round && s.state == StepState::Pending)
        .map(|s| s.changes.clone())
        .unwrap_or_default();
    let waiting = page.waiting_on.clone();
    let actions = page.actions;
    view! {
        <PageTitle text=number />
        <header class="page__header">
            <div>
                <p class="muted">{t!(i18n, payment_request_word)}</p>
                <h1 data-testid="payment-number">{number}</h1>
                <p class="muted">{request.counterparty_name.clone()}</p>
            </div>
            <StageBadge stage=request.stage.clone() testid="payment-stage" />
        </header>
        {waiting.map(|(who, since)| view! {
            <p class="notice" data-testid="payment-waiting">
                {move || t_string!(i18n, payment_waiting_on, who = who.clone(), since = format_date_time(since, company_zone(), lang.get())).to_string()}
            </p>
        })}
        <div class="grid">
            <section class="card">
                <dl class="facts">
                    <dt>{t!(i18n, counterparty)}</dt>
                    <dd>
                        {request.counterparty_name.clone()}
                        <span class="muted small cell-sub">{request.counterparty_requisites.clone()}</span>
                    </dd>
                    <dt>{t!(i18n, amount_rub)}</dt>
                    <dd class="money" data-testid="payment-amount">{move || amount.format(lang.get())}</dd>
                    <dt>{t!(i18n, payment_purpose)}</dt>
                    <dd>{request.purpose.clone()}</dd>
                    <dt>{t!(i18n, cash_flow_item)}</dt>
                    <dd>{request.cash_flow_item.clone()}</dd>
                    <dt>{t!(i18n, payment_in_budget)}</dt>
                    <dd>{move || yes_no(request.in_budget)}</dd>
                    <dt>{t!(i18n, payment_pay_by)}</dt>
                    <dd>
                        {move || if request.urgent { t_string!(i18n, payment_urgent).to_string() } else { date_or_dash(request.pay_by, lang.get()) }}
                    </dd>
                    <dt>{t!(i18n, payment_contact)}</dt>
                    <dd>{request.contact_name.clone().unwrap_or_else(|| "—".to_owned())}</dd>
                    <dt>{t!(i18n, payment_initiator)}</dt>
                    <dd>{request.initiator_name.clone()}</dd>
                    {request.document_card_id.map(|card| view! {
                        <dt>{t!(i18n, payment_from_document)}</dt>
                        <dd><a href=Pipeline::Documents.card_path(card)>{format!("#{card}")}</a></dd>
                    })}
                    {request.paid_on.map(|on| view! {
                        <dt>{t!(i18n, paid_date_field)}</dt>
                        <dd data-testid="payment-paid-on">{move || date_or_dash(Some(on), lang.get())}</dd>
                    })}
                </dl>
                {(!request.comment.is_empty()).then(|| view! { <p>{request.comment.clone()}</p> })}
            </section>
            <div>
                {actions.edit.then(|| view! { <SendPanel id=id version=request.version refresh=refresh /> })}
                {actions.decide.then(|| view! { <DecisionPanel id=id version=request.version changes=pending_changes.clone() refresh=refresh /> })}
                {actions.pay.then(|| view! { <PayPanel id=id version=request.version today=page.today has_order=!page.payment_order.is_empty() refresh=refresh /> })}
            </div>
        </div>
        <section class="card">
            <h2>{t!(i18n, payment_invoice)}</h2>
            <ItemFiles files=page.invoice.clone() upload_to=actions.edit.then(|| crate::paths::item_files_path(FileOwner::PaymentInvoice.code(), id)) />
        </section>
        <section class="card">
            <h2>{t!(i18n, payment_other_files)}</h2>
            <ItemFiles files=page.files.clone() upload_to=actions.edit.then(|| crate::paths::item_files_path(FileOwner::PaymentRequest.code(), id)) />
        </section>
        {(!page.sheet.is_empty() || actions.pay || request.paid_on.is_some()).then(|| view! {
            <SheetSection id=id sheet=page.sheet.clone() refresh=refresh />
        })}
        {(actions.pay || !page.payment_order.is_empty()).then(|| view! {
            <section class="card" data-testid="payment-order">
                <h2>{t!(i18n, payment_order)}</h2>
                <ItemFiles files=page.payment_order.clone() upload_to=actions.pay.then(|| crate::paths::item_files_path(FileOwner::PaymentOrder.code(), id)) />
            </section>
        })}
        <section class="card">
            <h2>{t!(i18n, approval_chain)}</h2>
            <ChainTable steps=page.steps.clone() />
        </section>
        <section class="card">
            <h2>{t!(i18n, history_title)}</h2>
            <HistoryList history=page.history.clone() />
        </section>
    }
}

/// The approval sheet to download, and a way to make it again.
#[component]
fn SheetSection(
    id: i32,
    sheet: Vec<crate::model::tasks::ItemFile>,
    refresh: RwSignal<u32>,
) -> impl IntoView {
    let i18n = use_i18n();
    let make = ServerAction::<MakeApprovalSheet>::new();
    Effect::new(move |_| {
        if let Some(Ok(_)) = make.value().get() {
            refresh.update(|n| *n += 1);
        }
    });
    let missing = sheet.is_empty();
    view! {
        <section class="card" data-testid="approval-sheet">
            <h2>{t!(i18n, approval_sheet)}</h2>
            {missing.then(|| view! { <p class="muted">{t!(i18n, approval_sheet_missing)}</p> })}
            <ItemFiles files=sheet upload_to=None />
            {move || make.value().get().and_then(|r| r.err()).map(|error| view! { <ErrorMessage error=error /> })}
            <ActionForm action=make attr:class="form form--inline">
                <input type="hidden" name="id" value=id.to_string() />
                <button type="submit" class="button button--secondary" data-testid="approval-sheet-make">{t!(i18n, approval_sheet_make)}</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn ChainTable(steps: Vec<StepView>) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang();
    if steps.is_empty() {
        return view! { <p class="muted">{t!(i18n, approval_chain_empty)}</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table class="table" data-testid="approval-chain">
                <thead>
                    <tr>
                        <th>{t!(i18n, approval_round)}</th>
                        <th>{t!(i18n, approver)}</th>
                        <th>{t!(i18n, approval_decision)}</th>
                        <th>{t!(i18n, approval_when)}</th>
                        <th>{t!(i18n, comment)}</th>
                    </tr>
                </thead>
                <tbody>
                    {steps.into_iter().map(|step| {
                        let state = step.state;
                        let decided = step.decided_at;
                        let reason = step.reason;
                        let changes = step.changes.clone();
                        view! {
                            <tr data-testid="approval-step" data-state=state.code()>
                                <td>{step.round}"."{step.position + 1}</td>
                                <td>
                                    {step.approver_name.clone()}
                                    <span class="muted small cell-sub">
                                        {step.job_title.clone()}
                                        {(reason == StepReason::Rule).then(|| view! { " · " {t!(i18n, approval_by_rule)} })}
                                    </span>
                                    {step.deputy_name.clone().map(|deputy| view! {
                                        <span class="small cell-sub" data-testid="approval-deputy">
                                            {move || t_string!(i18n, approval_deputy_for, deputy = deputy.clone()).to_string()}
                                        </span>
                                    })}
                                </td>
                                <td><span class=format!("badge badge--step-{}", state.code())>{move || step_state_name(i18n, state)}</span></td>
                                <td>{move || decided.map(|at| format_date_time(at, company_zone(), lang.get())).unwrap_or_default()}</td>
                                <td>
                                    {step.comment.clone().unwrap_or_default()}
                                    {(!changes.is_empty()).then(|| view! { <ChangeList changes=changes.clone() /> })}
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
fn ChangeList(changes: Vec<crate::domain::approvals::Change>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <ul class="change-list" data-testid="approval-changes">
            {changes.into_iter().map(|c| view! {
                <li>{move || field_name(i18n, c.field)}": " <s>{c.old.clone()}</s>" → " <strong>{c.new.clone()}</strong></li>
            }).collect_view()}
        </ul>
    }
}

#[component]
fn SendPanel(id: i32, version: i32, refresh: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let send = ServerAction::<SendPaymentRequest>::new();
    Effect::new(move |_| {
        if let Some(Ok(_)) = send.value().get() {
            refresh.update(|n| *n += 1);
        }
    });
    view! {
        <section class="card" id="send">
            <h2>{t!(i18n, payment_send_title)}</h2>
            <p class="muted small">{t!(i18n, payment_send_hint)}</p>
            {move || send.value().get().and_then(|r| r.err()).map(|error| view! { <ErrorMessage error=error /> })}
            <div class="form-actions">
                <a class="button button--secondary" href=format!("{}/edit", Pipeline::Payments.card_path(id)) data-testid="payment-edit">{t!(i18n, edit)}</a>
                <ActionForm action=send attr:class="form form--inline" attr:data-testid="payment-send-form">
                    <input type="hidden" name="id" value=id.to_string() />
                    <input type="hidden" name="version" value=version.to_string() />
                    <button type="submit" class="button" data-testid="payment-send">{t!(i18n, payment_send)}</button>
                </ActionForm>
            </div>
        </section>
    }
}

#[component]
fn DecisionPanel(
    id: i32,
    version: i32,
    changes: Vec<crate::domain::approvals::Change>,
    refresh: RwSignal<u32>,
) -> impl IntoView {
    let i18n = use_i18n();
    let approve = ServerAction::<DecidePayment>::new();
    let reject = ServerAction::<DecidePayment>::new();
    Effect::new(move |_| {
        if matches!(approve.value().get(), Some(Ok(_)))
            || matches!(reject.value().get(), Some(Ok(_)))
        {
            refresh.update(|n| *n += 1);
        }
    });
    view! {
        <section class="card" id="decide" data-testid="decision-panel">
            <h2>{t!(i18n, approval_your_decision)}</h2>
            {(!changes.is_empty()).then(|| view! {
                <p class="notice">{t!(i18n, approval_changed_since)}</p>
                <ChangeList changes=changes.clone() />
            })}
            {move || approve.value().get().and_then(|r| r.err()).map(|error| view! { <ErrorMessage error=error /> })}
            {move || reject.value().get().and_then(|r| r.err()).map(|error| view! { <ErrorMessage error=error /> })}
            <ActionForm action=approve attr:class="form" attr:data-testid="approve-form">
                <input type="hidden" name="id" value=id.to_string() />
                <input type="hidden" name="version" value=version.to_string() />
                <input type="hidden" name="decision" value="approve" />
                <label class="field">
                    <span class="field__label">{t!(i18n, comment_optional)}</span>
                    <textarea class="input" name="comment" maxlength="2000" rows="2"></textarea>
                </label>
                <button type="submit" class="button" data-testid="approve">{t!(i18n, approve)}</button>
            </ActionForm>
            <ActionForm action=reject attr:class="form" attr:data-testid="reject-form">
                <input type="hidden" name="id" value=id.to_string() />
                <input type="hidden" name="version" value=version.to_string() />
                <input type="hidden" name="decision" value="reject" />
                <label class="field">
                    <span class="field__label">{t!(i18n, approval_reject_reason)}</span>
                    <textarea class="input" name="comment" maxlength="2000" rows="2" data-testid="reject-comment"></textarea>
                </label>
                <button type="submit" class="button button--danger" data-testid="reject">{t!(i18n, approval_return)}</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn PayPanel(
    id: i32,
    version: i32,
    today: chrono::NaiveDate,
    has_order: bool,
    refresh: RwSignal<u32>,
) -> impl IntoView {
    let i18n = use_i18n();
    let pay = ServerAction::<MovePayment>::new();
    Effect::new(move |_| {
        if let Some(Ok(_)) = pay.value().get() {
            refresh.update(|n| *n += 1);
        }
    });
    let today = today.format("%Y-%m-%d").to_string();
    view! {
        <section class="card" id="pay">
            <h2>{t!(i18n, payment_pay_title)}</h2>
            {(!has_order).then(|| view! { <p class="muted small" data-testid="payment-order-needed">{t!(i18n, payment_order_needed)}</p> })}
            {move || pay.value().get().and_then(|r| r.err()).map(|error| view! { <ErrorMessage error=error /> })}
            <ActionForm action=pay attr:class="form" attr:data-testid="pay-form">
                <input type="hidden" name="id" value=id.to_string() />
                <input type="hidden" name="version" value=version.to_string() />
                <input type="hidden" name="to" value="paid" />
                <input type="hidden" name="return_to" value=Pipeline::Payments.card_path(id) />
                <label class="field">
                    <span class="field__label">{t!(i18n, paid_date_field)}</span>
                    <input class="input" type="date" name="paid_date" max=today.clone() value=today required />
                </label>
                <button type="submit" class="button" data-testid="pay">{t!(i18n, payment_mark_paid)}</button>
            </ActionForm>
        </section>
    }
}
