//! A supplier's documents: the filtered list and one document with its stage timeline.
use chrono::{DateTime, NaiveDate, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::api::home::{DocumentRow, StageName};
use crate::domain::files::FileLimits;
use crate::domain::money::Money;
use crate::domain::upload::{DocumentKind, VatRate};
use crate::error::AppError;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentList {
    pub rows: Vec<DocumentRow>,
    pub total: u64,
    pub page: u64,
    pub pages: u64,
    /// Every stage, for the filter.
    pub stages: Vec<StageName>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineEntry {
    pub stage: StageName,
    pub at: DateTime<Utc>,
}

/// What the upload routes answer on success.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Submitted {
    pub card_id: i32,
    pub possible_duplicate: bool,
}

/// A file of a document, as listed on its page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileInfo {
    pub id: i32,
    pub name: String,
    pub mime: String,
    pub size_bytes: i64,
    pub uploaded_at: DateTime<Utc>,
}

impl FileInfo {
    /// Where the file opens, or with `save` is downloaded.
    pub fn href(&self, save: bool) -> String {
        crate::paths::download_path(self.id, save)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentDetails {
    pub card_id: i32,
    pub invoice_number: String,
    pub invoice_date: NaiveDate,
    pub amount: Money,
    pub comment: String,
    pub stage: StageName,
    pub planned_payment_date: Option<NaiveDate>,
    pub paid_date: Option<NaiveDate>,
    /// Shown while the document is returned for correction.
    pub return_comment: Option<String>,
    /// Every stage the document reached, oldest first.
    pub timeline: Vec<TimelineEntry>,
    pub kind: Option<DocumentKind>,
    pub vat: Option<VatRate>,
    pub possible_duplicate: bool,
    pub files: Vec<FileInfo>,
    /// The thread with staff, oldest first.
    pub messages: Vec<crate::api::messages::ThreadMessage>,
    /// The change the page is current to: live updates resume after it.
    pub last_change: i64,
}

/// The signed-in supplier's documents, newest first. Empty filter fields mean "any".
#[server(prefix = "/api", endpoint = "cabinet/documents")]
pub async fn supplier_documents(
    stage: Option<String>,
    from: Option<String>,
    to: Option<String>,
    text: Option<String>,
    page: Option<u64>,
) -> Result<DocumentList, AppError> {
    use crate::domain::documents::document_query;
    use crate::server::{auth, repo::documents, state};
    crate::error::respond(
        async move {
            let ctx = auth::require_ctx().await?;
            ctx.require_supplier()?;
            let query = document_query(
                stage.as_deref(),
                from.as_deref(),
                to.as_deref(),
                text.as_deref(),
                page,
            )
            .map_err(|err| AppError::Invalid {
                field: err.field().to_owned(),
                problem: err.to_string(),
            })?;
            documents::list(&ctx, &state()?.db, &query).await
        }
        .await,
    )
}

/// One of the signed-in supplier's documents; another counterparty's is "not found", exactly
/// like one that does not exist.
#[server(prefix = "/api", endpoint = "cabinet/document")]
pub async fn supplier_document(id: i32) -> Result<DocumentDetails, AppError> {
    use crate::server::{auth, repo::documents, state};
    crate::error::respond(
        async move {
            let ctx = auth::require_ctx().await?;
            ctx.require_supplier()?;
            documents::details(&ctx, &state()?.db, id).await
        }
        .await,
    )
}

/// The upload limits in force, so the browser refuses a file before sending it.
#[server(prefix = "/api", endpoint = "cabinet/upload_limits")]
pub async fn upload_limits() -> Result<FileLimits, AppError> {
    use crate::server::{auth, state};
    crate::error::respond(
        async move {
            let ctx = auth::require_ctx().await?;
            ctx.require_supplier()?;
            Ok(state()?.settings.file_limits)
        }
        .await,
    )
}
