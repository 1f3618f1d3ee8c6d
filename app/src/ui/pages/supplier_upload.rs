use leptos::prelude::*;

use crate::api::documents::upload_limits;
use crate::i18n::*;
use crate::paths::UPLOAD_PATH;
use crate::ui::components::hydration::mark_hydrated;
use crate::ui::components::loaded::Loaded;
use crate::ui::components::page_title::PageTitle;
use crate::ui::components::upload::UploadForm;

/// "Upload documents": the fields of the invoice and its files in one submission.
#[component]
pub fn SupplierUploadPage() -> impl IntoView {
    let i18n = use_i18n();
    let limits = Resource::new(|| (), |_| upload_limits());
    let query = leptos_router::hooks::use_query_map();
    let refused = move || query.read().get("refused").is_some();
    view! {
        <PageTitle text=move || t_string!(i18n, upload_title).to_string() />
        <div class="page">
            <header class="page__header">
                <h1>{t!(i18n, upload_title)}</h1>
            </header>
            {move || refused().then(|| view! {
                <div class="alert alert--error" role="alert" data-testid="upload-refused">{t!(i18n, upload_refused)}</div>
            })}
            <Loaded data=limits view=move |limits| {
                mark_hydrated();
                let max_mib = limits.max_file_bytes / (1024 * 1024);
                view! {
                    <section class="card">
                        <p class="muted">{t!(i18n, upload_lead, max_mib)}</p>
                        <UploadForm action=UPLOAD_PATH.to_owned() with_fields=true limits=limits />
                    </section>
                }
                .into_any()
            } />
        </div>
    }
}
