//! The sweep at start: what a stopped process left behind.

use crate::error::AppResult;
use crate::server::AppState;
use crate::server::repo::files as file_rows;

use super::*;

/// At start: temporary files of uploads a stopped process left are removed, and so are
/// objects no file row points at (kept just before a commit that never happened).
pub async fn sweep_at_start(state: &AppState) -> AppResult<()> {
    let temporary = state.files.sweep_temporary().await.map_err(storage_error)?;
    let referenced = file_rows::referenced_objects(&state.db).await?;
    let mut orphans = 0;
    for name in state.files.object_names().await.map_err(storage_error)? {
        if !referenced.contains(&name) {
            state.files.remove(&name).await.map_err(storage_error)?;
            orphans += 1;
        }
    }
    if temporary + orphans > 0 {
        tracing::info!(temporary, orphans, "removed files of unfinished uploads");
    }
    Ok(())
}
