//! The in-app notification centre of staff.
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    pub id: i32,
    pub card_id: Option<i32>,
    pub text: String,
    pub at: DateTime<Utc>,
    pub unread: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notices {
    pub unread: u64,
    pub items: Vec<Notice>,
}

/// The caller's latest notifications and how many are unread.
#[server(prefix = "/api", endpoint = "staff/notifications")]
pub async fn my_notifications() -> Result<Notices, AppError> {
    use crate::server::{auth, repo::notifications, state};
    crate::error::respond(
        async move {
            let ctx = auth::require_ctx().await?;
            ctx.require_staff()?;
            notifications::latest(&ctx, &state()?.db).await
        }
        .await,
    )
}

/// Marks all of the caller's notifications read.
#[server(prefix = "/api", endpoint = "staff/notifications_read")]
pub async fn read_notifications() -> Result<(), AppError> {
    use crate::server::{auth, repo::notifications, state};
    crate::error::respond(
        async move {
            let ctx = auth::require_ctx().await?;
            ctx.require_staff()?;
            notifications::mark_all_read(&ctx, &state()?.db, Utc::now()).await?;
            auth::redirect_plain_form("/staff/notifications");
            Ok(())
        }
        .await,
    )
}
