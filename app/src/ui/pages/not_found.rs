use leptos::prelude::*;
use leptos_meta::Title;

use crate::i18n::*;

/// Any address the app does not know, with a real 404 status.
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    crate::ui::components::hydration::mark_hydrated();
    let i18n = use_i18n();
    view! {
        <Title text=move || t_string!(i18n, not_found_title).to_string() />
        <main class="page page--centered">
            <div class="card card--narrow message-page">
                <p class="message-page__code" aria-hidden="true">"404"</p>
                <h1>{t!(i18n, not_found_title)}</h1>
                <p>{t!(i18n, not_found_text)}</p>
                <a class="button" href="/">{t!(i18n, go_home)}</a>
            </div>
        </main>
    }
}
