use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::api::documents::{DocumentDetails, supplier_document};
use crate::domain::format::{format_date, format_date_time};
use crate::error::AppError;
use crate::i18n::*;
use crate::ui::components::error_message::ErrorMessage;
use crate::ui::components::hydration::mark_hydrated;
use crate::ui::components::lang::use_lang;
use crate::ui::components::page_title::PageTitle;

/// Times are shown in Moscow time (UTC+3), where the buying company works.
const MOSCOW_OFFSET_MINUTES: i32 = 180;

#[component]
pub fn SupplierDocumentPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse::<i32>().ok())
    };
    let document = Resource::new(id, |id| async move {
        match id {
            Some(id) => supplier_document(id).await,
            None => Err(AppError::NotFound),
        }
    });
    view! {
        <div class="page">
            <p>
                <A href="/cabinet/documents" attr:class="back-link">{t!(i18n, back_to_documents)}</A>
            </p>
            <Suspense fallback=move || view! { <p class="muted">{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match document.await {
                        Ok(document) => view! { <DocumentView document=document /> }.into_any(),
                        Err(error) => view! { <ErrorMessage error=error /> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn DocumentView(document: DocumentDetails) -> impl IntoView {
    mark_hydrated();
    let i18n = use_i18n();
    let lang = use_lang();
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
        ..
    } = document;
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
        <div class="grid">
            <section class="card">
                <dl class="facts">
                    <dt>{t!(i18n, amount)}</dt>
                    <dd class="money">{move || amount.format(lang.get())}</dd>
                    <dt>{t!(i18n, invoice_date)}</dt>
                    <dd>{move || format_date(invoice_date, lang.get())}</dd>
                    <dt>{t!(i18n, planned_payment_date)}</dt>
                    <dd data-testid="planned-payment">
                        {move || match planned_payment_date {
                            Some(date) => format_date(date, lang.get()),
                            None => t_string!(i18n, not_planned_yet).to_string(),
                        }}
                    </dd>
                    {paid_date.map(|date| view! {
                        <dt>{t!(i18n, paid_date)}</dt>
                        <dd>{move || format_date(date, lang.get())}</dd>
                    })}
                </dl>
                {(!comment.is_empty()).then(|| view! { <p class="muted">{comment}</p> })}
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
                                        {move || format_date_time(entry.at, MOSCOW_OFFSET_MINUTES, lang.get())}
                                    </time>
                                </li>
                            }
                        })
                        .collect_view()}
                </ol>
                <p class="muted small">{t!(i18n, times_note)}</p>
            </section>
        </div>
    }
}
