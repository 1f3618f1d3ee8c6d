//! A page's "loading → data or error", once for every page: "Loading…" while its data comes,
//! then the page's view of it, or what went wrong in the user's language. While the data is
//! read again (after a save, a new filter) the page keeps showing what it had.
use std::sync::Arc;

use leptos::prelude::*;
use serde::{Serialize, de::DeserializeOwned};

use crate::error::AppError;
use crate::i18n::*;
use crate::ui::components::error_message::ErrorMessage;

#[component]
pub fn Loaded<T, V, F>(
    /// What the page shows, as the server answered.
    data: Resource<Result<T, AppError>>,
    /// The page's view of it.
    view: F,
) -> impl IntoView
where
    T: Clone + Send + Sync + Serialize + DeserializeOwned + 'static,
    V: IntoView + 'static,
    F: Fn(T) -> V + Send + Sync + 'static,
{
    let i18n = use_i18n();
    let view = Arc::new(view);
    view! {
        <Transition fallback=move || view! { <p class="muted">{t!(i18n, loading)}</p> }>
            {move || {
                let view = Arc::clone(&view);
                Suspend::new(async move {
                    match data.await {
                        Ok(data) => view(data).into_any(),
                        Err(error) => view! { <ErrorMessage error=error /> }.into_any(),
                    }
                })
            }}
        </Transition>
    }
}
