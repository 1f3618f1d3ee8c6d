//! The global search: a deal by its number or part of it, with every paper that carries it.
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::search::search;
use crate::domain::board::Pipeline;
use crate::i18n::*;
use crate::ui::components::hydration::mark_hydrated;
use crate::ui::components::loaded::Loaded;
use crate::ui::components::page_title::PageTitle;
use crate::ui::components::papers::{
    ContractTable, OrderTable, SpecificationTable, StageBadge, shown_number,
};

#[component]
pub fn StaffSearchPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let q = Memo::new(move |_| query.read().get("q").unwrap_or_default());
    let found = Resource::new(move || q.get(), search);
    view! {
        <PageTitle text=move || t_string!(i18n, search_title).to_string() />
        <div class="page">
            <h1>{t!(i18n, search_title)}</h1>
            <form method="get" action="/staff/search" class="form form--inline" role="search">
                <input class="input" type="search" name="q" value=move || q.get() data-testid="search-page-input"
                    placeholder=move || t_string!(i18n, search_placeholder).to_string() />
                <button type="submit" class="button">{t!(i18n, search_button)}</button>
            </form>
            <Loaded data=found view=move |found| {
                mark_hydrated();
                if found.deals.is_empty() {
                    return view! {
                        <p class="muted" data-testid="search-empty">
                            {if found.query.is_empty() { None } else { Some(t!(i18n, search_nothing)) }}
                        </p>
                    }
                    .into_any();
                }
                found.deals.into_iter().map(|deal| {
                    let number = deal.number.clone();
                    let stage = deal.stage.clone();
                    view! {
                        <section class="card" data-testid="search-hit">
                            <header class="page__header">
                                <div>
                                    <a href=Pipeline::Deals.card_path(deal.id) class="deal-number" data-testid="search-deal-number">
                                        {move || shown_number(i18n, &number)}
                                    </a>
                                    <h2>{deal.title.clone()}</h2>
                                    <p class="muted">{deal.customer.clone()}</p>
                                </div>
                                <StageBadge stage=stage />
                            </header>
                            <h3>{t!(i18n, contracts_title)}</h3>
                            <ContractTable contracts=deal.contracts staff=true />
                            <h3>{t!(i18n, specifications_title)}</h3>
                            <SpecificationTable specifications=deal.specifications staff=true />
                            <h3>{t!(i18n, orders_title)}</h3>
                            <OrderTable orders=deal.orders staff=true />
                        </section>
                    }
                }).collect_view().into_any()
            } />
        </div>
    }
}
