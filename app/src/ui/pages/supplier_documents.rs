use leptos::prelude::*;
use leptos_router::components::{A, Form};
use leptos_router::hooks::use_query_map;

use crate::api::documents::{DocumentList, supplier_documents};
use crate::domain::format::format_date;
use crate::i18n::*;
use crate::ui::components::hydration::mark_hydrated;
use crate::ui::components::lang::use_lang;
use crate::ui::components::loaded::Loaded;
use crate::ui::components::page_title::PageTitle;
use crate::ui::components::pager::Pager;
use crate::ui::components::url::query_string;

/// The filter as it stands in the address: stage, from, to, text, page.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
struct Filter {
    stage: Option<String>,
    from: Option<String>,
    to: Option<String>,
    text: Option<String>,
    page: Option<u64>,
}

impl Filter {
    fn href(&self, page: u64) -> String {
        let query = query_string(&[
            ("stage", self.stage.clone()),
            ("from", self.from.clone()),
            ("to", self.to.clone()),
            ("text", self.text.clone()),
            ("page", (page > 1).then(|| page.to_string())),
        ]);
        format!("/cabinet/documents{query}")
    }
}

#[component]
pub fn SupplierDocumentsPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let filter = Memo::new(move |_| {
        let query = query.read();
        Filter {
            stage: query.get("stage"),
            from: query.get("from"),
            to: query.get("to"),
            text: query.get("text"),
            page: query.get("page").and_then(|p| p.parse().ok()),
        }
    });
    let documents = Resource::new(
        move || filter.get(),
        |f| supplier_documents(f.stage, f.from, f.to, f.text, f.page),
    );
    view! {
        <PageTitle text=move || t_string!(i18n, documents_title).to_string() />
        <div class="page">
            <header class="page__header">
                <h1>{t!(i18n, documents_title)}</h1>
            </header>
            <Loaded data=documents view=move |list| view! { <DocumentsView list=list filter=filter.get_untracked() /> }.into_any() />
        </div>
    }
}

#[component]
fn DocumentsView(list: DocumentList, filter: Filter) -> impl IntoView {
    mark_hydrated();
    let i18n = use_i18n();
    let lang = use_lang();
    let DocumentList {
        rows,
        total,
        page,
        pages,
        stages,
    } = list;
    let selected = filter.stage.clone().unwrap_or_default();
    let previous = (page > 1).then(|| filter.href(page - 1));
    let next = (page < pages).then(|| filter.href(page + 1));

    view! {
        <section class="card filters-card">
            <Form method="GET" action="/cabinet/documents" attr:class="filters">
                <label class="field">
                    <span class="field__label">{t!(i18n, filter_stage)}</span>
                    <select class="input" name="stage">
                        <option value="" selected=selected.is_empty()>
                            {t!(i18n, any_stage)}
                        </option>
                        {stages
                            .into_iter()
                            .map(|stage| {
                                let is_selected = stage.code.code() == selected;
                                let code = stage.code;
                                view! {
                                    <option value=code selected=is_selected>
                                        {move || stage.name(lang.get()).to_owned()}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </label>
                <label class="field">
                    <span class="field__label">{t!(i18n, period_from)}</span>
                    <input class="input" type="date" name="from" value=filter.from.clone() />
                </label>
                <label class="field">
                    <span class="field__label">{t!(i18n, period_to)}</span>
                    <input class="input" type="date" name="to" value=filter.to.clone() />
                </label>
                <label class="field filters__search">
                    <span class="field__label">{t!(i18n, search)}</span>
                    <input
                        class="input"
                        type="search"
                        name="text"
                        maxlength="100"
                        value=filter.text.clone()
                        placeholder=move || t_string!(i18n, search_placeholder).to_string()
                    />
                </label>
                <div class="filters__actions">
                    <button type="submit" class="button">{t!(i18n, apply_filters)}</button>
                    <a class="button button--ghost" href="/cabinet/documents">
                        {t!(i18n, reset_filters)}
                    </a>
                </div>
            </Form>
        </section>
        <p class="muted" data-testid="found">{t!(i18n, found, count = move || total)}</p>
        <Show
            when={
                let empty = rows.is_empty();
                move || !empty
            }
            fallback=move || view! { <p class="card muted">{t!(i18n, no_documents)}</p> }
        >
            <ul class="card doc-list" data-testid="documents">
                {rows
                    .clone()
                    .into_iter()
                    .map(|row| {
                        let stage = row.stage.clone();
                        let badge = stage.badge_class();
                        view! {
                            <li class="doc-list__item">
                                <A href=format!("/cabinet/documents/{}", row.card_id) attr:class="doc-list__link">
                                    <span class="doc-list__number">{row.invoice_number.clone()}</span>
                                    <span class="muted">{move || format_date(row.invoice_date, lang.get())}</span>
                                </A>
                                <span class=badge>{move || stage.name(lang.get()).to_owned()}</span>
                                <span class="money doc-list__amount">{move || row.amount.format(lang.get())}</span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </Show>
        <Pager page=page pages=pages previous=previous next=next />
    }
}
