//! Server functions, grouped by area, with the types they exchange with the browser. Each is thin:
//! authenticate, authorize with `Ctx`, apply the domain rule, call the repository.
pub mod accounts;
pub mod auth;
pub mod board;
pub mod counterparties;
pub mod deals;
pub mod documents;
pub mod home;
pub mod ledger_import;
pub mod live;
pub mod messages;
pub mod moves;
pub mod notifications;
pub mod org;
pub mod papers;
pub mod payments;
pub mod search;
pub mod settlements;
pub mod staff_documents;
pub mod stage_rules;
pub mod tasks;

// The opening steps of every server function: who calls (from the session cookie), whether
// their role may, and the app's state. Each returns `Unauthorized` or `Forbidden` otherwise.
#[cfg(feature = "ssr")]
use crate::{domain::access::Ctx, error::AppResult, server::AppState};

/// Anyone signed in.
#[cfg(feature = "ssr")]
pub(crate) async fn signed_in() -> AppResult<(Ctx, AppState)> {
    let ctx = crate::server::auth::require_ctx().await?;
    // A supplier's statements run behind its row-level wall.
    let state = crate::server::state()?.for_ctx(&ctx);
    Ok((ctx, state))
}

/// Staff of any role.
#[cfg(feature = "ssr")]
pub(crate) async fn staff() -> AppResult<(Ctx, AppState)> {
    let (ctx, state) = signed_in().await?;
    ctx.require_staff()?;
    Ok((ctx, state))
}

/// Administrators.
#[cfg(feature = "ssr")]
pub(crate) async fn admin() -> AppResult<(Ctx, AppState)> {
    let (ctx, state) = signed_in().await?;
    ctx.require_admin()?;
    Ok((ctx, state))
}

/// A supplier's user (of a counterparty).
#[cfg(feature = "ssr")]
pub(crate) async fn supplier() -> AppResult<(Ctx, AppState)> {
    let (ctx, state) = signed_in().await?;
    ctx.require_supplier()?;
    Ok((ctx, state))
}
