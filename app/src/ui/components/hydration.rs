use leptos::prelude::*;

/// Marks `<body data-hydrated="true">` once the calling component is live in the browser.
/// Called by the innermost component of each page: content inside `Suspense` hydrates after the
/// frame around it, and the end-to-end tests must not click before it does.
pub fn mark_hydrated() {
    Effect::new(|_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
}
