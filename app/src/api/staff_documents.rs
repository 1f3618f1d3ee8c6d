//! A document card as staff see it: fields, files, history, the thread with the supplier and
//! the responsible person.
use leptos::prelude::*;

use crate::error::AppError;

pub use crate::model::staff_documents::*;

#[server(prefix = "/api", endpoint = "staff/document")]
pub async fn staff_document(id: i32) -> Result<StaffDocumentView, AppError> {
    use crate::server::repo::staff_documents;
    crate::error::respond(
        async move {
            let (ctx, state) = super::staff().await?;
            staff_documents::card(&ctx, &state.db, id).await
        }
        .await,
    )
}
