//! A document card as staff see it: fields, files, history, the thread with the supplier and
//! the responsible person.
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::api::board::Choice;
use crate::api::documents::DocumentDetails;
use crate::api::home::StageName;
use crate::error::AppError;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry {
    pub from: Option<StageName>,
    pub to: StageName,
    pub at: DateTime<Utc>,
    pub who: Option<String>,
    pub comment: Option<String>,
}

/// Someone made `to` responsible for the card.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssignmentEntry {
    pub at: DateTime<Utc>,
    pub who: Option<String>,
    pub to: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffDocumentView {
    pub document: DocumentDetails,
    pub version: i32,
    pub counterparty_id: i32,
    pub counterparty_name: String,
    pub responsible: Option<Choice>,
    /// Who can be made responsible.
    pub staff: Vec<Choice>,
    /// Every stage, in board order.
    pub stages: Vec<StageName>,
    pub history: Vec<HistoryEntry>,
    /// Changes of the responsible person, oldest first.
    pub assignments: Vec<AssignmentEntry>,
    /// The change the page is current to: live updates resume after it.
    pub last_change: i64,
}

#[server(prefix = "/api", endpoint = "staff/document")]
pub async fn staff_document(id: i32) -> Result<StaffDocumentView, AppError> {
    use crate::server::{auth, repo::staff_documents, state};
    crate::error::respond(
        async move {
            let ctx = auth::require_ctx().await?;
            ctx.require_staff()?;
            staff_documents::card(&ctx, &state()?.db, id).await
        }
        .await,
    )
}
