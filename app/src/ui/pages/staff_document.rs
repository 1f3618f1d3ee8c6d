//! A document card for staff: fields, files with a preview, the history of stage events, the
//! thread with the supplier, the responsible person, and a move form that works without
//! JavaScript (the board's "Move to…" lands here when a stage needs data).
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use crate::api::documents::FileInfo;
use crate::api::moves::{AssignResponsible, MoveDocument};
use crate::api::staff_documents::{
    AssignmentEntry, HistoryEntry, StaffDocumentView, staff_document,
};
use crate::domain::format::format_date_time;
use crate::domain::moves::{MoveField, fields_on_entry, staff_can_enter};
use crate::domain::stage::DocumentStage;
use crate::i18n::*;
use crate::ui::components::clock::company_zone;
use crate::ui::components::document_facts::DocumentFactRows;
use crate::ui::components::error_message::ErrorMessage;
use crate::ui::components::hydration::mark_hydrated;
use crate::ui::components::lang::use_lang;
use crate::ui::components::loaded::Loaded;
use crate::ui::components::page_title::PageTitle;
use crate::ui::components::thread::Thread;
use crate::ui::components::upload::size_text;
use crate::ui::components::url::object_by_id;

#[component]
pub fn StaffDocumentPage() -> impl IntoView {
    let i18n = use_i18n();
    // Bumped by live updates and by this page's own actions: the card is read again.
    let (document, refresh) = object_by_id(staff_document);
    view! {
        <div class="page">
            <p>
                <A href="/staff/board" attr:class="back-link">{t!(i18n, card_page_back)}</A>
            </p>
            <Loaded data=document view=move |document| view! { <CardView document=document refresh=refresh /> }.into_any() />
        </div>
    }
}

#[component]
fn CardView(document: StaffDocumentView, refresh: RwSignal<u32>) -> impl IntoView {
    mark_hydrated();
    let i18n = use_i18n();
    let lang = use_lang();
    let query = use_query_map();
    let StaffDocumentView {
        document,
        version,
        counterparty_id,
        counterparty_name,
        responsible,
        staff,
        stages,
        history,
        assignments,
        last_change,
    } = document;
    let card_id = document.card_id;
    let live = crate::ui::components::live::refresh_on_change(
        crate::domain::pipeline::Pipeline::Documents,
        card_id,
        last_change,
        refresh,
    );
    let number = document.invoice_number.clone();
    let title_number = number.clone();
    let stage = document.stage.clone();
    let badge = stage.badge_class();
    let amount = document.amount;
    let invoice_date = document.invoice_date;
    let planned = document.planned_payment_date;
    let paid = document.paid_date;
    let kind = document.kind;
    let vat = document.vat;

    view! {
        <PageTitle text=move || t_string!(i18n, invoice_number_title, number = title_number.clone()).to_string() />
        <header class="page__header doc-header">
            <h1>{t!(i18n, invoice_number_title, number = move || number.clone())}</h1>
            <span class=badge data-testid="current-stage">
                {move || stage.name(lang.get()).to_owned()}
            </span>
            <a class="button button--secondary" href=format!("/staff/payments/new?document={card_id}") data-testid="new-payment-from-document">
                {t!(i18n, new_payment_request)}
            </a>
        </header>
        {document.possible_duplicate.then(|| view! {
            <div class="alert alert--warning" role="status">{t!(i18n, possible_duplicate)}</div>
        })}
        <div class="grid">
            <section class="card">
                <dl class="facts">
                    <dt>{t!(i18n, counterparty_card)}</dt>
                    <dd>
                        <a href=format!("/staff/counterparties/{counterparty_id}")>{counterparty_name}</a>
                    </dd>
                    <DocumentFactRows
                        kind=kind
                        amount=amount
                        vat=vat
                        invoice_date=invoice_date
                        planned=planned
                        paid=paid
                    />
                    <dt>{t!(i18n, responsible)}</dt>
                    <dd data-testid="responsible">
                        {match responsible.clone() {
                            Some(person) => person.name.into_any(),
                            None => t!(i18n, nobody).into_any(),
                        }}
                    </dd>
                </dl>
                {(!document.comment.is_empty()).then(|| view! { <p class="muted">{document.comment.clone()}</p> })}
                <AssignForm card_id=card_id staff=staff current=responsible.map(|r| r.id) refresh=refresh />
            </section>
            <MoveForm
                card_id=card_id
                version=version
                current=document.stage.code.code().to_owned()
                stages=stages
                preselected=query.read_untracked().get("move_to")
                problem=query.read_untracked().get("problem")
                refresh=refresh
            />
            <section class="card" aria-labelledby="files-title">
                <h2 id="files-title">{t!(i18n, document_files)}</h2>
                <FilePreviews files=document.files.clone() />
                <form
                    method="post"
                    enctype="multipart/form-data"
                    action=crate::paths::staff_files_path(card_id)
                    class="inline-form attach-form"
                >
                    <label class="field">
                        <span class="field__label">{t!(i18n, attach_file_label)}</span>
                        <input class="input" type="file" name="files" required data-testid="attach-input" />
                    </label>
                    <button type="submit" class="button button--secondary" data-testid="attach-submit">
                        {t!(i18n, attach)}
                    </button>
                </form>
            </section>
            <section class="card" aria-labelledby="history-title">
                <h2 id="history-title">{t!(i18n, history)}</h2>
                <ol class="timeline" data-testid="history">
                    {history_items(history, assignments)
                        .into_iter()
                        .map(|item| match item {
                            HistoryItem::Stage(entry) => {
                                let to = entry.to.clone();
                                view! {
                                    <li class="timeline__item">
                                        <span class=entry.to.dot_class() aria-hidden="true"></span>
                                        <span class="timeline__stage">{move || to.name(lang.get()).to_owned()}</span>
                                        <time class="muted" datetime=entry.at.to_rfc3339()>
                                            {move || format_date_time(entry.at, company_zone(), lang.get())}
                                        </time>
                                        {entry.who.map(|who| view! { <span class="muted small">{who}</span> })}
                                        {entry.comment.map(|c| view! { <p class="small">{c}</p> })}
                                    </li>
                                }
                                .into_any()
                            }
                            HistoryItem::Assignment(entry) => {
                                let person = entry.to.clone();
                                view! {
                                    <li class="timeline__item">
                                        <span class="dot" aria-hidden="true"></span>
                                        <span class="timeline__stage">
                                            {move || t_string!(i18n, history_assigned, person = person.clone()).to_string()}
                                        </span>
                                        <time class="muted" datetime=entry.at.to_rfc3339()>
                                            {move || format_date_time(entry.at, company_zone(), lang.get())}
                                        </time>
                                        {entry.who.map(|who| view! { <span class="muted small">{who}</span> })}
                                    </li>
                                }
                                .into_any()
                            }
                        })
                        .collect_view()}
                </ol>
                <p class="muted small">{t!(i18n, times_note)}</p>
            </section>
            <section class="card card--wide" aria-labelledby="thread-title">
                <h2 id="thread-title">{t!(i18n, thread)}</h2>
                <Thread card_id=card_id messages=document.messages.clone() staff_view=true refresh=refresh />
            </section>
        </div>
        <span class="visually-hidden" data-testid="live-status" data-live=move || live.get().to_string()></span>
    }
}

/// One line of the card's history: a stage entered, or a new responsible person.
enum HistoryItem {
    Stage(HistoryEntry),
    Assignment(AssignmentEntry),
}

/// Stage events and assignments in one timeline, oldest first.
fn history_items(
    history: Vec<HistoryEntry>,
    assignments: Vec<AssignmentEntry>,
) -> Vec<HistoryItem> {
    let mut items: Vec<(chrono::DateTime<chrono::Utc>, HistoryItem)> = history
        .into_iter()
        .map(|h| (h.at, HistoryItem::Stage(h)))
        .chain(
            assignments
                .into_iter()
                .map(|a| (a.at, HistoryItem::Assignment(a))),
        )
        .collect();
    // Stable: entries of one moment keep their order.
    items.sort_by_key(|(at, _)| *at);
    items.into_iter().map(|(_, item)| item).collect()
}

#[component]
fn AssignForm(
    card_id: i32,
    staff: Vec<crate::api::board::Choice>,
    current: Option<i32>,
    refresh: RwSignal<u32>,
) -> impl IntoView {
    let i18n = use_i18n();
    let assign = ServerAction::<AssignResponsible>::new();
    Effect::new(move |_| {
        if let Some(Ok(())) = assign.value().get() {
            refresh.update(|n| *n += 1);
        }
    });
    view! {
        <ActionForm action=assign attr:class="inline-form assign-form">
            <input type="hidden" name="id" value=card_id.to_string() />
            <label class="field">
                <span class="field__label">{t!(i18n, responsible)}</span>
                <select class="input" name="user_id" data-testid="assign-select">
                    {staff
                        .into_iter()
                        .map(|person| {
                            let selected = Some(person.id) == current;
                            view! { <option value=person.id.to_string() selected=selected>{person.name}</option> }
                        })
                        .collect_view()}
                </select>
            </label>
            <button type="submit" class="button button--secondary">{t!(i18n, assign)}</button>
        </ActionForm>
    }
}

/// The move form of the card page: a stage and the fields it needs. Without JavaScript the
/// fields of every stage show and the server takes those the stage asks for.
#[component]
fn MoveForm(
    card_id: i32,
    version: i32,
    current: String,
    stages: Vec<crate::api::home::StageName>,
    preselected: Option<String>,
    problem: Option<String>,
    refresh: RwSignal<u32>,
) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang();
    let move_action = ServerAction::<MoveDocument>::new();
    let choice = RwSignal::new(
        preselected
            .filter(|p| *p != current)
            .or_else(|| {
                stages
                    .iter()
                    .map(|s| s.code.code().to_owned())
                    .find(|c| *c != current && c != "uploaded")
            })
            .unwrap_or_default(),
    );
    Effect::new(move |_| {
        if let Some(Ok(_)) = move_action.value().get() {
            refresh.update(|n| *n += 1);
        }
    });
    let needs = move |field: MoveField| {
        choice.with(|c| {
            DocumentStage::from_code(c).is_some_and(|s| fields_on_entry(s).contains(&field))
        })
    };
    let problem_text = move |code: &str| match code {
        "missing" => t_string!(i18n, move_problem_missing).to_string(),
        "conflict" => t_string!(i18n, move_problem_conflict).to_string(),
        "forbidden" => t_string!(i18n, move_problem_forbidden).to_string(),
        _ => t_string!(i18n, move_problem_invalid).to_string(),
    };
    let today = chrono::Utc::now()
        .date_naive()
        .format("%Y-%m-%d")
        .to_string();
    view! {
        <section class="card" id="move" aria-labelledby="move-title">
            <h2 id="move-title">{t!(i18n, move_card)}</h2>
            {problem.map(|code| view! {
                <div class="alert alert--error" role="alert" data-testid="move-problem">{move || problem_text(&code)}</div>
            })}
            {move || move_action.value().get().and_then(|r| r.err()).map(|error| view! {
                <ErrorMessage error=error />
            })}
            <ActionForm action=move_action attr:class="form" attr:data-testid="card-move-form">
                <input type="hidden" name="id" value=card_id.to_string() />
                <input type="hidden" name="version" value=version.to_string() />
                <input type="hidden" name="return_to" value=format!("/staff/documents/{card_id}") />
                <label class="field">
                    <span class="field__label">{t!(i18n, to_stage)}</span>
                    <select
                        class="input"
                        name="to"
                        data-testid="move-stage"
                        on:change=move |ev| choice.set(event_target_value(&ev))
                    >
                        {stages
                            .into_iter()
                            .filter(|s| s.code.code() != current && DocumentStage::from_code(s.code.code()).is_some_and(staff_can_enter))
                            .map(|s| {
                                let code = s.code;
                                let selected = choice.get_untracked() == code.code();
                                view! { <option value=code selected=selected>{move || s.name(lang.get()).to_owned()}</option> }
                            })
                            .collect_view()}
                    </select>
                </label>
                <label class="field move-field" class:move-field--hidden=move || !needs(MoveField::PlannedPaymentDate)>
                    <span class="field__label">{t!(i18n, planned_payment_date_field)}</span>
                    <input class="input" type="date" name="planned_payment_date" />
                </label>
                <label class="field move-field" class:move-field--hidden=move || !needs(MoveField::PaidDate)>
                    <span class="field__label">{t!(i18n, paid_date_field)}</span>
                    <input class="input" type="date" name="paid_date" value=today />
                </label>
                <label class="field move-field" class:move-field--hidden=move || !needs(MoveField::Comment)>
                    <span class="field__label">{t!(i18n, comment_for_supplier)}</span>
                    <textarea class="input" name="comment" rows="3"></textarea>
                </label>
                <div class="form-actions">
                    <button type="submit" class="button" data-testid="card-move-submit">{t!(i18n, move_confirm)}</button>
                </div>
            </ActionForm>
        </section>
    }
}

/// Files with a preview: images inline, PDFs in the browser's own viewer.
#[component]
fn FilePreviews(files: Vec<FileInfo>) -> impl IntoView {
    let i18n = use_i18n();
    if files.is_empty() {
        return view! { <p class="muted">{t!(i18n, no_files)}</p> }.into_any();
    }
    view! {
        <ul class="file-list" data-testid="document-files">
            {files
                .into_iter()
                .map(|file| {
                    let size = file.size_bytes.max(0) as u64;
                    let open = file.href(false);
                    let preview = if file.mime.starts_with("image/") && file.mime != "image/heic" {
                        Some(view! { <img class="file-preview" src=open.clone() alt=file.name.clone() loading="lazy" /> }.into_any())
                    } else if file.mime == "application/pdf" {
                        Some(view! {
                            <iframe
                                class="file-preview file-preview--pdf"
                                src=open.clone()
                                title=file.name.clone()
                                data-testid="pdf-preview"
                            ></iframe>
                        }.into_any())
                    } else {
                        None
                    };
                    view! {
                        <li class="file-list__item file-list__item--preview" data-testid="document-file">
                            <a class="file-list__name" href=open.clone() target="_blank" rel="noopener">
                                {file.name.clone()}
                            </a>
                            <span class="muted small">{size_text(i18n, size)}</span>
                            <a class="link-button" href=file.href(true) download=file.name.clone()>
                                {t!(i18n, download_file)}
                            </a>
                            {preview}
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}
