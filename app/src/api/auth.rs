//! Signing in and out, the signed-in user, and their language.
use leptos::prelude::*;

use crate::domain::lang::Lang;
use crate::error::AppError;

pub use crate::model::auth::*;

/// Returns the path of the user's home page.
#[server(prefix = "/api", endpoint = "auth/sign_in")]
pub async fn sign_in(email: String, password: String) -> Result<String, AppError> {
    use crate::server::{auth, state};
    crate::error::respond(
        async move {
            let state = state()?;
            let parts = auth::request_parts()?;
            let address = auth::client_address(&parts, state.settings.trust_forwarded_for);
            let home = auth::sign_in(&state, &email, &password, &address).await?;
            auth::redirect_plain_form(&home);
            Ok(home)
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "auth/sign_out")]
pub async fn sign_out() -> Result<(), AppError> {
    use crate::server::{auth, state};
    crate::error::respond(
        async move {
            let state = state()?;
            let parts = auth::request_parts()?;
            auth::sign_out(&state, &parts).await?;
            auth::redirect_plain_form("/login");
            Ok(())
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "auth/me")]
pub async fn current_user() -> Result<Option<UserProfile>, AppError> {
    use crate::server::{auth, state};
    crate::error::respond(
        async move {
            let state = state()?;
            let parts = auth::request_parts()?;
            Ok(auth::current_user(&state, &parts)
                .await?
                .map(|(ctx, record)| UserProfile {
                    first_name: record.user.first_name,
                    last_name: record.user.last_name,
                    email: record.user.email,
                    role: ctx.role,
                    counterparty_name: record.counterparty_name,
                }))
        }
        .await,
    )
}

/// Remembers the chosen language for the signed-in user (and in the cookie for everyone).
#[server(prefix = "/api", endpoint = "auth/language")]
pub async fn set_language(lang: Lang) -> Result<(), AppError> {
    use crate::server::{auth, repo, state};
    crate::error::respond(
        async move {
            let state = state()?;
            let parts = auth::request_parts()?;
            auth::set_locale_cookie(lang, state.settings.secure_cookies);
            if let Some((ctx, _)) = auth::current_user(&state, &parts).await? {
                repo::users::set_locale(&state.db, ctx.user_id, lang.code()).await?;
            }
            Ok(())
        }
        .await,
    )
}
