use leptos::prelude::*;
use leptos_meta::Title;

use crate::error::AppError;
use crate::i18n::*;
use crate::ui::components::error_message::error_text;

/// A whole page that says what went wrong, in the user's language, with the HTTP status of the
/// error.
#[component]
pub fn ErrorPage(error: AppError) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let (Some(response), Ok(status)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::StatusCode::from_u16(error.status_code()),
    ) {
        response.set_status(status);
    }
    crate::ui::components::hydration::mark_hydrated();
    let i18n = use_i18n();
    view! {
        <Title text=move || t_string!(i18n, error_title).to_string() />
        <main class="page page--centered">
            <div class="card card--narrow message-page" role="alert">
                <h1>{t!(i18n, error_title)}</h1>
                <p>{move || error_text(i18n, &error)}</p>
                <a class="button" href="/">{t!(i18n, go_home)}</a>
            </div>
        </main>
    }
}
