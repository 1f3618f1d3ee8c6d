use leptos::prelude::*;
use leptos_router::components::Redirect;

use crate::api::auth::current_user;
use crate::ui::pages::error::ErrorPage;

/// `/`: the user's home, or the sign-in page.
#[component]
pub fn RootRedirect() -> impl IntoView {
    let user = Resource::new(|| (), |_| current_user());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match user.await {
                    Ok(Some(user)) => view! { <Redirect path=user.role.home_path() /> }.into_any(),
                    Ok(None) => view! { <Redirect path="/login" /> }.into_any(),
                    Err(error) => view! { <ErrorPage error=error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
