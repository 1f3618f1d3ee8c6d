use leptos::prelude::*;
use leptos_meta::Title;

use crate::i18n::*;

/// The browser tab's title: the page's own, then the product's name.
///
/// On the server the title is computed at once: leptos_meta writes the head after the body,
/// and a reactive title read then may find the request's reactive arena gone (seen as panics
/// under concurrent requests). In the browser it follows the language switch.
#[component]
pub fn PageTitle<F>(text: F) -> impl IntoView
where
    F: Fn() -> String + Send + Sync + 'static,
{
    let i18n = use_i18n();
    let title = move || format!("{} — {}", text(), t_string!(i18n, app_name));
    #[cfg(feature = "ssr")]
    let title = title();
    view! { <Title text=title /> }
}
