//! The sweep at start: what a stopped process left behind.

use crate::error::AppResult;
use crate::server::AppState;
use crate::server::repo::files as file_rows;

use super::*;

/// At start (and every hour on a shared store): temporary files of uploads a stopped process
/// left are removed, and so are objects no file row points at (kept just before a commit that
/// never happened). On a store several servers share, only what is older than its grace:
/// another server may be receiving a temporary file or about to commit an object's row.
pub async fn sweep_at_start(state: &AppState) -> AppResult<()> {
    sweep(state, state.clock.now()).await
}

pub async fn sweep(state: &AppState, now: chrono::DateTime<chrono::Utc>) -> AppResult<()> {
    let before = now - state.files.sweep_grace();
    let temporary = state
        .files
        .sweep_temporary(before)
        .await
        .map_err(storage_error)?;
    // Objects listed first, rows read after: an object kept meanwhile is too young to go.
    let objects = state.files.objects().await.map_err(storage_error)?;
    let referenced = file_rows::referenced_objects(&state.db).await?;
    let mut orphans = 0;
    for object in objects {
        if object.stored_at < before && !referenced.contains(&object.sha256) {
            state
                .files
                .remove(&object.sha256)
                .await
                .map_err(storage_error)?;
            orphans += 1;
        }
    }
    if temporary + orphans > 0 {
        tracing::info!(temporary, orphans, "removed files of unfinished uploads");
    }
    Ok(())
}
