use leptos::prelude::*;

use crate::api::home::{StaffOverview, StageSummary, staff_home};
use crate::domain::format::{format_date, group_thousands};
use crate::i18n::*;
use crate::ui::components::lang::use_lang;
use crate::ui::components::loaded::Loaded;
use crate::ui::components::page_title::PageTitle;

#[component]
pub fn StaffHomePage() -> impl IntoView {
    let i18n = use_i18n();
    let home = Resource::new(|| (), |_| staff_home());
    view! {
        <PageTitle text=move || t_string!(i18n, staff_home_title).to_string() />
        <div class="page">
            <Loaded data=home view=move |home| view! { <StaffDashboard home=home /> }.into_any() />
        </div>
    }
}

#[component]
fn StaffDashboard(home: StaffOverview) -> impl IntoView {
    crate::ui::components::hydration::mark_hydrated();
    let i18n = use_i18n();
    let lang = use_lang();
    let StaffOverview {
        stages,
        awaiting_payment,
        counterparties,
        recent,
    } = home;
    let recent = StoredValue::new(recent);

    view! {
        <header class="page__header page__header--actions">
            <h1>{t!(i18n, staff_home_title)}</h1>
            <a class="button" href="/staff/board">{t!(i18n, open_board)}</a>
        </header>
        <section class="stats">
            <div class="stat stat--accent" data-testid="awaiting-payment">
                <span class="stat__label">{t!(i18n, awaiting_payment)}</span>
                <span class="stat__value">{move || awaiting_payment.format(lang.get())}</span>
            </div>
            <div class="stat">
                <span class="stat__label">{t!(i18n, counterparties)}</span>
                <span class="stat__value">{move || group_thousands(counterparties, lang.get())}</span>
            </div>
        </section>
        <div class="grid">
            <section class="card" aria-labelledby="stages-title">
                <h2 id="stages-title">{t!(i18n, documents_by_stage)}</h2>
                <StageTable stages=stages />
            </section>
            <section class="card card--wide" aria-labelledby="recent-title">
                <h2 id="recent-title">{t!(i18n, recent_documents)}</h2>
                <Show
                    when=move || recent.with_value(|r| !r.is_empty())
                    fallback=move || view! { <p class="muted">{t!(i18n, no_documents)}</p> }
                >
                    <div class="table-wrap">
                        <table class="table">
                            <thead>
                                <tr>
                                    <th scope="col">{t!(i18n, invoice)}</th>
                                    <th scope="col">{t!(i18n, counterparty)}</th>
                                    <th scope="col">{t!(i18n, stage)}</th>
                                    <th scope="col" class="num">{t!(i18n, amount)}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {move || {
                                    recent
                                        .get_value()
                                        .into_iter()
                                        .map(|row| {
                                            let stage = row.stage.clone();
                                            let badge = stage.badge_class();
                                            view! {
                                                <tr>
                                                    <td>
                                                        <strong>{row.invoice_number.clone()}</strong>
                                                        <span class="muted cell-sub">
                                                            {move || format_date(row.invoice_date, lang.get())}
                                                        </span>
                                                    </td>
                                                    <td>{row.counterparty_name.clone()}</td>
                                                    <td>
                                                        <span class=badge>
                                                            {move || stage.name(lang.get()).to_owned()}
                                                        </span>
                                                    </td>
                                                    <td class="num money">
                                                        {move || row.amount.format(lang.get())}
                                                    </td>
                                                </tr>
                                            }
                                        })
                                        .collect_view()
                                }}
                            </tbody>
                        </table>
                    </div>
                </Show>
            </section>
        </div>
    }
}

/// Count and sum of documents per stage; used by both home pages.
#[component]
pub fn StageTable(stages: Vec<StageSummary>) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang();
    view! {
        <table class="table stage-table" data-testid="stage-table">
            <thead>
                <tr>
                    <th scope="col">{t!(i18n, stage)}</th>
                    <th scope="col" class="num">{t!(i18n, documents)}</th>
                    <th scope="col" class="num">{t!(i18n, sum)}</th>
                </tr>
            </thead>
            <tbody>
                {stages
                    .into_iter()
                    .map(|summary| {
                        let stage = summary.stage.clone();
                        view! {
                            <tr data-stage=summary.stage.code>
                                <td>
                                    <span class=summary.stage.dot_class() aria-hidden="true"></span>
                                    {move || stage.name(lang.get()).to_owned()}
                                </td>
                                <td class="num">{summary.count}</td>
                                <td class="num money">{move || summary.total.format(lang.get())}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}
