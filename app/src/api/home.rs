//! The first page each side sees after signing in.
use leptos::prelude::*;

use crate::error::AppError;

pub use crate::model::home::*;

#[server(prefix = "/api", endpoint = "cabinet/home")]
pub async fn supplier_home() -> Result<SupplierOverview, AppError> {
    use crate::server::repo::documents;
    crate::error::respond(
        async move {
            let (ctx, state) = super::supplier().await?;
            documents::supplier_home(&ctx, &state.db, state.now().today()).await
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "staff/home")]
pub async fn staff_home() -> Result<StaffOverview, AppError> {
    use crate::server::repo::documents;
    crate::error::respond(
        async move {
            let (ctx, state) = super::staff().await?;
            documents::staff_home(&ctx, &state.db).await
        }
        .await,
    )
}
