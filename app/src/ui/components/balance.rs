//! Settlements in the frame: the compact balance panel on every cabinet page, and the words
//! for whom a balance favours, shared by the panel, the balance page and the debtors list.
use leptos::prelude::*;
use leptos_i18n::I18nContext;

use crate::api::settlements::{BalanceSummary, get_balance_panel};
use crate::domain::money::Money;
use crate::domain::settlements::{BlockMode, InFavourOf, magnitude};
use crate::i18n::*;
use crate::ui::components::lang::use_lang;

/// "in your favour" / "in the buyer's favour" for a supplier; "the counterparty's" / "ours"
/// for staff.
pub fn favour_text(i18n: I18nContext<Locale>, favour: InFavourOf, staff: bool) -> String {
    match (favour, staff) {
        (InFavourOf::Counterparty, false) => t_string!(i18n, favour_you).to_string(),
        (InFavourOf::Us, false) => t_string!(i18n, favour_buyer).to_string(),
        (InFavourOf::Counterparty, true) => t_string!(i18n, favour_counterparty).to_string(),
        (InFavourOf::Us, true) => t_string!(i18n, favour_us).to_string(),
        (InFavourOf::Nobody, _) => t_string!(i18n, favour_nobody).to_string(),
    }
}

pub fn block_text(i18n: I18nContext<Locale>, mode: BlockMode) -> String {
    match mode {
        BlockMode::None => t_string!(i18n, block_none).to_string(),
        BlockMode::BalanceOnly => t_string!(i18n, block_balance_only).to_string(),
        BlockMode::Full => t_string!(i18n, block_full).to_string(),
    }
}

/// The panel above every cabinet page, read again on each page change (an upload or a
/// payment moves it).
#[component]
pub fn BalancePanel() -> impl IntoView {
    let location = leptos_router::hooks::use_location();
    let panel = Resource::new(move || location.pathname.get(), |_| get_balance_panel());
    view! {
        <Transition fallback=|| ()>
            // Awaited inside `Suspend`, not read with `.get()`: frames that read resources
            // with `.get()` in several boundaries can leave a server render waiting for ever
            // (leptos-rs/leptos#4578).
            {move || Suspend::new(async move {
                panel
                    .await
                    .ok()
                    .flatten()
                    .map(|summary| view! { <PanelView summary=summary /> })
            })}
        </Transition>
    }
}

#[component]
fn PanelView(summary: BalanceSummary) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang();
    let BalanceSummary {
        balance,
        in_favour,
        overdue,
        block,
        block_reason,
        ..
    } = summary;
    let shown = magnitude(balance);
    let any_overdue = overdue.any();
    view! {
        <aside
            class="balance-panel"
            class:balance-panel--overdue=any_overdue
            data-testid="balance-panel"
            aria-label=move || t_string!(i18n, balance_panel_label).to_string()
        >
            <a class="balance-panel__link" href="/cabinet/balance">
                <span class="balance-panel__item">
                    <span class="muted">{t!(i18n, balance_title_short)}</span>
                    " "
                    <strong class="money" data-testid="panel-balance">{move || shown.format(lang.get())}</strong>
                    " "
                    <span class="muted">{move || favour_text(i18n, in_favour, false)}</span>
                </span>
                {(overdue.we_owe > Money::ZERO).then(|| view! {
                    <span class="balance-panel__item overdue" data-testid="panel-overdue-ours">
                        {t!(i18n, overdue_we_owe_you)}
                        " "
                        <span class="money">{move || overdue.we_owe.format(lang.get())}</span>
                    </span>
                })}
                {(overdue.they_owe > Money::ZERO).then(|| view! {
                    <span class="balance-panel__item overdue" data-testid="panel-overdue-theirs">
                        {t!(i18n, overdue_you_owe)}
                        " "
                        <span class="money">{move || overdue.they_owe.format(lang.get())}</span>
                    </span>
                })}
            </a>
            {(block != BlockMode::None).then(|| view! {
                <p class="balance-panel__block" role="alert" data-testid="panel-block">
                    <strong>{move || block_text(i18n, block)}</strong>
                    {block_reason.clone().map(|reason| view! { ": " {reason} })}
                    " "
                    {t!(i18n, block_how_to_clear)}
                </p>
            })}
        </aside>
    }
}
