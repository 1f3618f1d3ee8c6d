//! The payments made to the supplier: date, amount, purpose, the invoice paid and the payment
//! order to download. Nothing of the approval inside the buyer's company.
use leptos::prelude::*;

use crate::api::payments::{SupplierPayment, get_supplier_payments};
use crate::i18n::*;
use crate::ui::components::hydration::mark_hydrated;
use crate::ui::components::lang::use_lang;
use crate::ui::components::loaded::Loaded;
use crate::ui::components::page_title::PageTitle;
use crate::ui::components::papers::{ItemFiles, date_or_dash};

#[component]
pub fn SupplierPaymentsPage() -> impl IntoView {
    let i18n = use_i18n();
    let payments = Resource::new(|| (), |_| get_supplier_payments());
    view! {
        <PageTitle text=move || t_string!(i18n, supplier_payments_title).to_string() />
        <div class="page">
            <header class="page__header">
                <h1>{t!(i18n, supplier_payments_title)}</h1>
            </header>
            <Loaded data=payments view=move |list| view! { <PaymentsView list=list /> }.into_any() />
        </div>
    }
}

#[component]
fn PaymentsView(list: Vec<SupplierPayment>) -> impl IntoView {
    mark_hydrated();
    let i18n = use_i18n();
    let lang = use_lang();
    if list.is_empty() {
        return view! { <p class="card muted" data-testid="supplier-payments-empty">{t!(i18n, supplier_payments_empty)}</p> }.into_any();
    }
    view! {
        <ul class="card-list" data-testid="supplier-payments">
            {list.into_iter().map(|payment| {
                let amount = payment.amount;
                let paid_on = payment.paid_on;
                view! {
                    <li class="card" data-testid="supplier-payment">
                        <dl class="facts">
                            <dt>{t!(i18n, paid_date_field)}</dt>
                            <dd data-testid="supplier-payment-date">{move || date_or_dash(Some(paid_on), lang.get())}</dd>
                            <dt>{t!(i18n, amount_rub)}</dt>
                            <dd class="money" data-testid="supplier-payment-amount">{move || amount.format(lang.get())}</dd>
                            <dt>{t!(i18n, payment_purpose)}</dt>
                            <dd>{payment.purpose.clone()}</dd>
                            {payment.invoice_number.clone().map(|number| {
                                let href = payment.document_card_id.map(|card| format!("/cabinet/documents/{card}"));
                                view! {
                                    <dt>{t!(i18n, invoice)}</dt>
                                    <dd><a href=href>{number}</a></dd>
                                }
                            })}
                        </dl>
                        <h3>{t!(i18n, payment_order)}</h3>
                        <ItemFiles files=payment.payment_order.clone() upload_to=None />
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}
