//! A supplier's documents: the filtered list and one document with its stage timeline.
use leptos::prelude::*;

use crate::domain::files::FileLimits;
use crate::error::AppError;

pub use crate::model::documents::*;

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
    use crate::server::repo::documents;
    crate::error::respond(
        async move {
            let (ctx, state) = super::supplier().await?;
            let query = document_query(
                stage.as_deref(),
                from.as_deref(),
                to.as_deref(),
                text.as_deref(),
                page,
            )
            .map_err(|err| crate::error::invalid(err.field(), err.into()))?;
            documents::list(&ctx, &state.db, &query).await
        }
        .await,
    )
}

/// One of the signed-in supplier's documents; another counterparty's is "not found", exactly
/// like one that does not exist.
#[server(prefix = "/api", endpoint = "cabinet/document")]
pub async fn supplier_document(id: i32) -> Result<DocumentDetails, AppError> {
    use crate::server::repo::documents;
    crate::error::respond(
        async move {
            let (ctx, state) = super::supplier().await?;
            documents::details(&ctx, &state.db, id).await
        }
        .await,
    )
}

/// The upload limits in force, so the browser refuses a file before sending it.
#[server(prefix = "/api", endpoint = "cabinet/upload_limits")]
pub async fn upload_limits() -> Result<FileLimits, AppError> {
    crate::error::respond(
        async move {
            let (_ctx, state) = super::supplier().await?;
            Ok(state.settings.file_limits)
        }
        .await,
    )
}
