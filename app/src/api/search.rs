//! The global search box: a deal by its number or part of it (or by title or customer), with
//! every paper that carries the number.
use leptos::prelude::*;

use crate::error::AppError;

pub use crate::model::search::*;

/// Deals whose number contains what was typed (`42`, `2026-42`, `2026-0042/PO-1`), or whose
/// title or customer does, newest first, each with its papers.
#[server(prefix = "/api", endpoint = "staff/search")]
pub async fn search(#[server(default)] q: String) -> Result<SearchResults, AppError> {
    use crate::server::repo::search;
    crate::error::respond(
        async move {
            let (ctx, state) = super::staff().await?;
            search::deals(&ctx, &state.db, &q, state.now()).await
        }
        .await,
    )
}
