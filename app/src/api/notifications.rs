//! The in-app notification centre of staff.
use leptos::prelude::*;

use crate::error::AppError;

pub use crate::model::notifications::*;

/// The caller's latest notifications and how many are unread.
#[server(prefix = "/api", endpoint = "staff/notifications")]
pub async fn my_notifications() -> Result<Notices, AppError> {
    use crate::server::repo::notifications;
    crate::error::respond(
        async move {
            let (ctx, state) = super::staff().await?;
            notifications::latest(&ctx, &state.db).await
        }
        .await,
    )
}

/// Marks all of the caller's notifications read.
#[server(prefix = "/api", endpoint = "staff/notifications_read")]
pub async fn read_notifications() -> Result<(), AppError> {
    use crate::server::{auth, repo::notifications};
    crate::error::respond(
        async move {
            let (ctx, state) = super::staff().await?;
            notifications::mark_all_read(&ctx, &state.db, state.now().at).await?;
            auth::redirect_plain_form("/staff/notifications");
            Ok(())
        }
        .await,
    )
}
