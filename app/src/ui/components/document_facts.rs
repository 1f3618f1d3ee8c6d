//! The facts of a supplier document (kind, amount, VAT, dates), as rows of a `<dl class="facts">`
//! on the supplier's document page and on the staff card page.
use chrono::NaiveDate;
use leptos::prelude::*;

use crate::domain::format::format_date;
use crate::domain::money::Money;
use crate::domain::upload::{DocumentKind, VatRate};
use crate::i18n::*;
use crate::ui::components::lang::use_lang;
use crate::ui::components::upload::{kind_label, vat_label};

#[component]
pub fn DocumentFactRows(
    kind: Option<DocumentKind>,
    amount: Money,
    vat: Option<VatRate>,
    invoice_date: NaiveDate,
    planned: Option<NaiveDate>,
    paid: Option<NaiveDate>,
) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang();
    view! {
        {kind.map(|kind| view! {
            <dt>{t!(i18n, kind)}</dt>
            <dd>{move || kind_label(i18n, kind)}</dd>
        })}
        <dt>{t!(i18n, amount)}</dt>
        <dd class="money">{move || amount.format(lang.get())}</dd>
        {vat.map(|vat| view! {
            <dt>{t!(i18n, vat)}</dt>
            <dd>{move || vat_label(i18n, vat)}</dd>
        })}
        <dt>{t!(i18n, invoice_date)}</dt>
        <dd>{move || format_date(invoice_date, lang.get())}</dd>
        <dt>{t!(i18n, planned_payment_date)}</dt>
        <dd data-testid="planned-payment">
            {move || match planned {
                Some(date) => format_date(date, lang.get()),
                None => t_string!(i18n, not_planned_yet).to_string(),
            }}
        </dd>
        {paid.map(|date| view! {
            <dt>{t!(i18n, paid_date)}</dt>
            <dd>{move || format_date(date, lang.get())}</dd>
        })}
    }
}
