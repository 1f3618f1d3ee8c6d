use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use crate::api::documents::{DocumentDetails, FileInfo, supplier_document, upload_limits};
use crate::domain::files::FileLimits;
use crate::domain::format::format_date_time;
use crate::i18n::*;
use crate::paths::corrected_files_path;
use crate::ui::components::clock::company_zone;
use crate::ui::components::document_facts::DocumentFactRows;
use crate::ui::components::error_message::ErrorMessage;
use crate::ui::components::hydration::mark_hydrated;
use crate::ui::components::lang::use_lang;
use crate::ui::components::page_title::PageTitle;
use crate::ui::components::thread::Thread;
use crate::ui::components::upload::{UploadForm, size_text};
use crate::ui::components::url::object_by_id;

#[component]
pub fn SupplierDocumentPage() -> impl IntoView {
    let i18n = use_i18n();
    // Bumped by live updates and by a message sent here: the document is read again.
    let (document, refresh) = object_by_id(supplier_document);
    let limits = Resource::new(|| (), |_| upload_limits());
    let query = use_query_map();
    let just_uploaded = move || query.read().get("uploaded").is_some();
    let refused = move || query.read().get("refused").is_some();
    view! {
        <div class="page">
            <p>
                <A href="/cabinet/documents" attr:class="back-link">{t!(i18n, back_to_documents)}</A>
            </p>
            <Transition fallback=move || view! { <p class="muted">{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match (document.await, limits.await) {
                        (Ok(document), Ok(limits)) => view! {
                            {refused().then(|| view! {
                                <div class="alert alert--error" role="alert">{t!(i18n, upload_refused)}</div>
                            })}
                            {just_uploaded().then(|| view! {
                                <div class="alert alert--success" role="status" data-testid="uploaded-notice">
                                    {t!(i18n, uploaded_notice)}
                                </div>
                            })}
                            <DocumentView document=document limits=limits refresh=refresh />
                        }.into_any(),
                        (Err(error), _) | (_, Err(error)) => view! { <ErrorMessage error=error /> }.into_any(),
                    }
                })}
            </Transition>
        </div>
    }
}

#[component]
fn DocumentView(
    document: DocumentDetails,
    limits: FileLimits,
    refresh: RwSignal<u32>,
) -> impl IntoView {
    mark_hydrated();
    let i18n = use_i18n();
    let lang = use_lang();
    let live = crate::ui::components::live::refresh_on_change(
        crate::domain::pipeline::Pipeline::Documents,
        document.card_id,
        document.last_change,
        refresh,
    );
    let DocumentDetails {
        invoice_number,
        invoice_date,
        amount,
        comment,
        stage,
        planned_payment_date,
        paid_date,
        return_comment,
        timeline,
        card_id,
        kind,
        vat,
        possible_duplicate,
        files,
        messages,
        last_change: _,
    } = document;
    let is_returned = return_comment.is_some();
    let number = invoice_number.clone();
    let badge = stage.badge_class();
    let last = timeline.len().saturating_sub(1);

    view! {
        <PageTitle text=move || {
            t_string!(i18n, invoice_number_title, number = number.clone()).to_string()
        } />
        <header class="page__header doc-header">
            <h1>{t!(i18n, invoice_number_title, number = move || invoice_number.clone())}</h1>
            <span class=badge data-testid="current-stage">
                {move || stage.name(lang.get()).to_owned()}
            </span>
        </header>
        {return_comment.map(|reason| view! {
            <div class="alert alert--warning" role="status">
                <strong>{t!(i18n, returned_title)}</strong>
                <p class="alert__text">{reason}</p>
            </div>
        })}
        {possible_duplicate.then(|| view! {
            <div class="alert alert--warning" role="status" data-testid="possible-duplicate">
                {t!(i18n, possible_duplicate)}
            </div>
        })}
        <div class="grid">
            <section class="card">
                <dl class="facts">
                    <DocumentFactRows
                        kind=kind
                        amount=amount
                        vat=vat
                        invoice_date=invoice_date
                        planned=planned_payment_date
                        paid=paid_date
                    />
                </dl>
                {(!comment.is_empty()).then(|| view! { <p class="muted">{comment}</p> })}
            </section>
            <section class="card" aria-labelledby="files-title">
                <h2 id="files-title">{t!(i18n, document_files)}</h2>
                <FileList files=files />
                {is_returned.then(|| view! {
                    <h3>{t!(i18n, add_corrected_files)}</h3>
                    <p class="muted small">{t!(i18n, corrected_files_lead)}</p>
                    <UploadForm action=corrected_files_path(card_id) with_fields=false limits=limits />
                })}
            </section>
            <section class="card" aria-labelledby="history-title">
                <h2 id="history-title">{t!(i18n, stage_history)}</h2>
                <ol class="timeline" data-testid="timeline">
                    {timeline
                        .into_iter()
                        .enumerate()
                        .map(|(i, entry)| {
                            let stage = entry.stage.clone();
                            let class = if i == last { "timeline__item timeline__item--current" } else { "timeline__item" };
                            view! {
                                <li class=class>
                                    <span class=entry.stage.dot_class() aria-hidden="true"></span>
                                    <span class="timeline__stage">{move || stage.name(lang.get()).to_owned()}</span>
                                    <time class="muted" datetime=entry.at.to_rfc3339()>
                                        {move || format_date_time(entry.at, company_zone(), lang.get())}
                                    </time>
                                </li>
                            }
                        })
                        .collect_view()}
                </ol>
                <p class="muted small">{t!(i18n, times_note)}</p>
            </section>
            <section class="card card--wide" aria-labelledby="thread-title">
                <h2 id="thread-title">{t!(i18n, thread_supplier)}</h2>
                <Thread card_id=card_id messages=messages staff_view=false refresh=refresh />
            </section>
        </div>
        <span class="visually-hidden" data-testid="live-status" data-live=move || live.get().to_string()></span>
    }
}

#[component]
fn FileList(files: Vec<FileInfo>) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang();
    if files.is_empty() {
        return view! { <p class="muted">{t!(i18n, no_files)}</p> }.into_any();
    }
    view! {
        <ul class="file-list" data-testid="document-files">
            {files
                .into_iter()
                .map(|file| {
                    let size = file.size_bytes.max(0) as u64;
                    let uploaded_at = file.uploaded_at;
                    view! {
                        <li class="file-list__item" data-testid="document-file">
                            <a class="file-list__name" href=file.href(false) target="_blank" rel="noopener">
                                {file.name.clone()}
                            </a>
                            <span class="muted small">{size_text(i18n, size)}</span>
                            <time class="muted small" datetime=uploaded_at.to_rfc3339()>
                                {move || format_date_time(uploaded_at, company_zone(), lang.get())}
                            </time>
                            <a class="link-button" href=file.href(true) download=file.name.clone()>
                                {t!(i18n, download_file)}
                            </a>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}
