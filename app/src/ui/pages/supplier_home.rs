use leptos::prelude::*;
use leptos_router::components::A;

use crate::api::home::{SupplierOverview, supplier_home};
use crate::domain::format::format_date;
use crate::i18n::*;
use crate::ui::components::lang::use_lang;
use crate::ui::components::loaded::Loaded;
use crate::ui::components::page_title::PageTitle;
use crate::ui::pages::staff_home::StageTable;

#[component]
pub fn SupplierHomePage() -> impl IntoView {
    let i18n = use_i18n();
    let home = Resource::new(|| (), |_| supplier_home());
    view! {
        <PageTitle text=move || t_string!(i18n, supplier_home_title).to_string() />
        <div class="page">
            <Loaded data=home view=move |home| view! { <SupplierDashboard home=home /> }.into_any() />
        </div>
    }
}

#[component]
fn SupplierDashboard(home: SupplierOverview) -> impl IntoView {
    crate::ui::components::hydration::mark_hydrated();
    let i18n = use_i18n();
    let lang = use_lang();
    let SupplierOverview {
        counterparty_name,
        stages,
        awaiting_payment,
        next_payments,
        returned,
    } = home;
    let payments = StoredValue::new(next_payments);
    let returned = StoredValue::new(returned);

    view! {
        <header class="page__header">
            <p class="page__eyebrow">{counterparty_name}</p>
            <h1>{t!(i18n, supplier_home_title)}</h1>
        </header>
        <section class="stats">
            <div class="stat stat--accent" data-testid="awaiting-payment">
                <span class="stat__label">{t!(i18n, awaiting_payment)}</span>
                <span class="stat__value">{move || awaiting_payment.format(lang.get())}</span>
            </div>
        </section>
        <div class="grid">
            <section class="card" aria-labelledby="stages-title">
                <h2 id="stages-title">{t!(i18n, documents_by_stage)}</h2>
                <StageTable stages=stages />
            </section>
            <section class="card" aria-labelledby="payments-title">
                <h2 id="payments-title">{t!(i18n, next_payments)}</h2>
                <Show
                    when=move || payments.with_value(|p| !p.is_empty())
                    fallback=move || view! { <p class="muted">{t!(i18n, no_planned_payments)}</p> }
                >
                    <ul class="list">
                        {move || {
                            payments
                                .get_value()
                                .into_iter()
                                .map(|payment| {
                                    view! {
                                        <li class="list__item">
                                            <span class="list__main">
                                                <A href=format!("/cabinet/documents/{}", payment.card_id)>
                                                    <strong>{payment.invoice_number.clone()}</strong>
                                                </A>
                                                <span class="muted">
                                                    {move || format_date(payment.date, lang.get())}
                                                </span>
                                            </span>
                                            <span class="money">
                                                {move || payment.amount.format(lang.get())}
                                            </span>
                                        </li>
                                    }
                                })
                                .collect_view()
                        }}
                    </ul>
                </Show>
            </section>
            <section class="card card--wide" aria-labelledby="returned-title">
                <h2 id="returned-title">{t!(i18n, returned_documents)}</h2>
                <Show
                    when=move || returned.with_value(|r| !r.is_empty())
                    fallback=move || view! { <p class="muted">{t!(i18n, no_returned_documents)}</p> }
                >
                    <ul class="list">
                        {move || {
                            returned
                                .get_value()
                                .into_iter()
                                .map(|doc| {
                                    let returned_on = doc.returned_at.date_naive();
                                    view! {
                                        <li class="list__item list__item--stacked">
                                            <span class="list__main">
                                                <A href=format!("/cabinet/documents/{}", doc.card_id)>
                                                    <strong>{doc.invoice_number.clone()}</strong>
                                                </A>
                                                <span class="money">
                                                    {move || doc.amount.format(lang.get())}
                                                </span>
                                                <span class="muted">
                                                    {move || format_date(returned_on, lang.get())}
                                                </span>
                                            </span>
                                            <span class="badge badge--warning">
                                                {t!(i18n, reason)}
                                            </span>
                                            <p class="list__note">{doc.reason.clone()}</p>
                                        </li>
                                    }
                                })
                                .collect_view()
                        }}
                    </ul>
                </Show>
            </section>
        </div>
    }
}
