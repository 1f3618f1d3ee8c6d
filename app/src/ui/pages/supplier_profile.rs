//! "My organisation": the supplier's own contacts, which it keeps up to date itself.
use leptos::prelude::*;

use crate::api::counterparties::{AddContact, OwnContacts, RemoveContact, my_contacts};
use crate::i18n::*;
use crate::ui::components::hydration::mark_hydrated;
use crate::ui::components::loaded::Loaded;
use crate::ui::components::page_title::PageTitle;
use crate::ui::pages::staff_counterparty::ContactsEditor;

#[component]
pub fn SupplierProfilePage() -> impl IntoView {
    let i18n = use_i18n();
    let add = ServerAction::<AddContact>::new();
    let remove = ServerAction::<RemoveContact>::new();
    let data = Resource::new(
        move || (add.version().get(), remove.version().get()),
        |_| my_contacts(),
    );
    view! {
        <PageTitle text=move || t_string!(i18n, my_organisation).to_string() />
        <div class="page">
            <header class="page__header">
                <h1>{t!(i18n, my_organisation)}</h1>
            </header>
            <Loaded data=data view=move |OwnContacts { counterparty_id, contacts }| {
                mark_hydrated();
                view! {
                    <section class="card" aria-labelledby="contacts-title">
                        <h2 id="contacts-title">{t!(i18n, contacts)}</h2>
                        <p class="muted small">{t!(i18n, contacts_lead)}</p>
                        <ContactsEditor counterparty_id=counterparty_id contacts=contacts add=add remove=remove />
                    </section>
                }
            } />
        </div>
    }
}
