//! Supplier accounts: staff invite and deactivate; anyone with a link sets a password; anyone
//! may ask for a reset letter (the answer never tells whether the address has an account).
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::domain::accounts::{TokenPurpose, TokenState};
use crate::error::AppError;

pub use crate::model::accounts::*;

/// Invites a person to a counterparty: an account without a password and a letter with a
/// single-use link valid for 7 days. Returns the new user's id.
#[server(prefix = "/api", endpoint = "staff/invite_user")]
pub async fn invite_user(
    counterparty_id: i32,
    email: String,
    first_name: String,
    last_name: String,
) -> Result<i32, AppError> {
    use crate::domain::accounts::check_invitee;
    use crate::server::{auth, repo::accounts};
    crate::error::respond(
        async move {
            let (ctx, state) = super::staff().await?;
            let invitee = check_invitee(&email, &first_name, &last_name)
                .map_err(|problems| AppError::Rejected { problems })?;
            let token = auth::new_session_token();
            let link = format!(
                "{}{}",
                state.settings.public_url,
                TokenPurpose::Invitation.path(&token)
            );
            accounts::invite(
                &ctx,
                &state.db,
                counterparty_id,
                &invitee,
                &auth::token_hash(&token),
                &link,
                state.now().at,
            )
            .await
        }
        .await,
    )
}

/// Switches a supplier's account off (its sessions end at once) or on again.
#[server(prefix = "/api", endpoint = "staff/set_user_active")]
pub async fn set_user_active(id: i32, active: bool) -> Result<(), AppError> {
    use crate::server::repo::accounts;
    crate::error::respond(
        async move {
            let (ctx, state) = super::staff().await?;
            accounts::set_active(&ctx, &state.db, id, active).await?;
            // The account's open live streams look at their session now, and end.
            state.live.wake();
            Ok(())
        }
        .await,
    )
}

/// The state of an invitation or reset link.
#[server(prefix = "/api", endpoint = "auth/link")]
pub async fn link_details(token: String) -> Result<AccountLink, AppError> {
    use crate::server::{auth, repo::accounts, state};
    crate::error::respond(
        async move {
            let info =
                accounts::link_info(&state()?.db, &auth::token_hash(&token), state()?.now().at)
                    .await?;
            Ok(AccountLink {
                purpose: info.purpose,
                email: info.email,
                first_name: info.first_name,
                state: info.state,
            })
        }
        .await,
    )
}

/// Sets the password through a link and signs in. Returns the home path.
#[server(prefix = "/api", endpoint = "auth/set_password")]
pub async fn set_password(token: String, password: String) -> Result<String, AppError> {
    use crate::domain::accounts::check_password;
    use crate::server::{auth, repo::accounts, state};
    crate::error::respond(
        async move {
            let state = state()?;
            let now = state.now().at;
            let token_hash = auth::token_hash(&token);
            let info = accounts::link_info(&state.db, &token_hash, now).await?;
            if info.state != TokenState::Valid {
                return Err(AppError::LinkNotValid);
            }
            check_password(&password, &info.email).map_err(|problem| AppError::Rejected {
                problems: vec![problem],
            })?;
            let password_hash = auth::hash_password_off_thread(password).await?;
            let user =
                accounts::set_password_by_link(&state.db, &token_hash, &password_hash, now).await?;
            let home = auth::open_session(&state, &user).await?;
            auth::redirect_plain_form(&home);
            Ok(home)
        }
        .await,
    )
}

/// Sends a reset letter if the address has an active account; answers the same either way.
#[server(prefix = "/api", endpoint = "auth/forgot_password")]
pub async fn forgot_password(email: String) -> Result<(), AppError> {
    use crate::server::{auth, repo::accounts, state};
    crate::error::respond(
        async move {
            let state = state()?;
            let token = auth::new_session_token();
            let link = format!(
                "{}{}",
                state.settings.public_url,
                TokenPurpose::PasswordReset.path(&token)
            );
            accounts::request_reset(
                &state.db,
                &auth::normalize_email(&email),
                &auth::token_hash(&token),
                &link,
                state.now().at,
            )
            .await
        }
        .await,
    )
}
