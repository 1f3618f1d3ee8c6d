//! The counterparty registry: search by name or INN, pages of 20, a link to each card.
use leptos::prelude::*;
use leptos_router::components::{A, Form};
use leptos_router::hooks::use_query_map;

use crate::api::counterparties::{CounterpartyPage, counterparties};
use crate::i18n::*;
use crate::ui::components::hydration::mark_hydrated;
use crate::ui::components::loaded::Loaded;
use crate::ui::components::page_title::PageTitle;
use crate::ui::components::pager::Pager;
use crate::ui::components::url::query_string;

fn registry_href(text: &Option<String>, page: u64) -> String {
    let query = query_string(&[
        ("text", text.clone()),
        ("page", (page > 1).then(|| page.to_string())),
    ]);
    format!("/staff/counterparties{query}")
}

#[component]
pub fn StaffCounterpartiesPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let filter = Memo::new(move |_| {
        let query = query.read();
        (
            query.get("text"),
            query.get("page").and_then(|p| p.parse::<u64>().ok()),
        )
    });
    let registry = Resource::new(
        move || filter.get(),
        |(text, page)| counterparties(text, page),
    );
    view! {
        <PageTitle text=move || t_string!(i18n, counterparties_title).to_string() />
        <div class="page">
            <header class="page__header page__header--actions">
                <h1>{t!(i18n, counterparties_title)}</h1>
                <A href="/staff/counterparties/new" attr:class="button">{t!(i18n, new_counterparty)}</A>
            </header>
            <Loaded data=registry view=move |page| view! { <RegistryView page=page text=filter.get_untracked().0 /> }.into_any() />
        </div>
    }
}

#[component]
fn RegistryView(page: CounterpartyPage, text: Option<String>) -> impl IntoView {
    mark_hydrated();
    let i18n = use_i18n();
    let CounterpartyPage {
        rows,
        total,
        page,
        pages,
    } = page;
    let previous = (page > 1).then(|| registry_href(&text, page - 1));
    let next = (page < pages).then(|| registry_href(&text, page + 1));
    view! {
        <section class="card filters-card">
            <Form method="GET" action="/staff/counterparties" attr:class="filters">
                <label class="field filters__search">
                    <span class="field__label">{t!(i18n, search)}</span>
                    <input
                        class="input"
                        type="search"
                        name="text"
                        maxlength="100"
                        value=text.clone()
                        placeholder=move || t_string!(i18n, counterparty_search_placeholder).to_string()
                    />
                </label>
                <div class="filters__actions">
                    <button type="submit" class="button">{t!(i18n, apply_filters)}</button>
                    <a class="button button--ghost" href="/staff/counterparties">{t!(i18n, reset_filters)}</a>
                </div>
            </Form>
        </section>
        <p class="muted" data-testid="found">{t!(i18n, found, count = move || total)}</p>
        <div class="card table-wrap">
            <table class="table" data-testid="counterparties">
                <thead>
                    <tr>
                        <th>{t!(i18n, counterparty)}</th>
                        <th>{t!(i18n, inn)}</th>
                        <th>{t!(i18n, responsible_manager)}</th>
                        <th class="num">{t!(i18n, documents)}</th>
                    </tr>
                </thead>
                <tbody>
                    {rows
                        .into_iter()
                        .map(|row| view! {
                            <tr>
                                <td>
                                    <A href=format!("/staff/counterparties/{}", row.id)>{row.name.clone()}</A>
                                    {(row.block_mode != crate::domain::settlements::BlockMode::None).then(|| view! {
                                        <span class="badge badge--warning">{t!(i18n, blocked)}</span>
                                    })}
                                </td>
                                <td>{row.inn.clone()}</td>
                                <td>{row.responsible_manager.clone().unwrap_or_default()}</td>
                                <td class="num">{row.documents}</td>
                            </tr>
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
        <Pager page=page pages=pages previous=previous next=next />
    }
}
