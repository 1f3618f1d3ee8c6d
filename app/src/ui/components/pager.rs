//! "Page N of M" with links to the previous and next pages, for every list paged in the
//! address (documents, the counterparty registry, a balance page's entries).
use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::*;

#[component]
pub fn Pager(
    page: u64,
    pages: u64,
    previous: Option<String>,
    next: Option<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <nav class="pager" aria-label=move || t_string!(i18n, page_of, page, pages).to_string() data-testid="pager">
            {previous.map(|href| view! { <A href=href attr:class="button button--ghost" attr:rel="prev">{t!(i18n, previous_page)}</A> })}
            <span class="muted">{t!(i18n, page_of, page = move || page, pages = move || pages)}</span>
            {next.map(|href| view! { <A href=href attr:class="button button--ghost" attr:rel="next">{t!(i18n, next_page)}</A> })}
        </nav>
    }
}
