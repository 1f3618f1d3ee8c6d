//! The ledger's imports from the accounting system: the import page (history, and the API
//! tokens for admins), issuing and revoking tokens. The files themselves come through a plain
//! route (`file_routes::upload_ledger`), the integrations' JSON through another.
use leptos::prelude::*;

use crate::error::AppError;

pub use crate::model::ledger_import::*;

/// The import page: the latest imports (accountants and admins), the API tokens (admins).
#[server(prefix = "/api", endpoint = "staff/ledger_imports")]
pub async fn get_imports() -> Result<ImportsPage, AppError> {
    use crate::server::repo::ledger_import;
    crate::error::respond(
        async move {
            let (ctx, state) = super::staff().await?;
            ledger_import::page(&ctx, &state.db).await
        }
        .await,
    )
}

/// Issues an API token for the ledger import, named for what uses it (admins). The token is
/// in this answer only; a plain form gets the page back without it, so the page's script is
/// the way to see it.
#[server(prefix = "/api", endpoint = "admin/api_token_issue")]
pub async fn issue_api_token(name: String) -> Result<IssuedToken, AppError> {
    use crate::domain::api_tokens::{TokenScope, check_name};
    use crate::server::repo::ledger_import;
    crate::error::respond(
        async move {
            let (ctx, state) = super::admin().await?;
            let name = check_name(&name).map_err(|e| crate::error::invalid("name", e))?;
            ledger_import::issue_token(
                &ctx,
                &state.db,
                &name,
                TokenScope::LedgerImport,
                state.now().at,
            )
            .await
        }
        .await,
    )
}

/// Revokes API token `id` (admins): from now on it opens nothing.
#[server(prefix = "/api", endpoint = "admin/api_token_revoke")]
pub async fn revoke_api_token(id: i32) -> Result<(), AppError> {
    use crate::server::repo::ledger_import;
    crate::error::respond(
        async move {
            let (ctx, state) = super::admin().await?;
            ledger_import::revoke_token(&ctx, &state.db, id, state.now().at).await?;
            crate::server::auth::redirect_plain_form(crate::paths::LEDGER_IMPORT_PAGE);
            Ok(())
        }
        .await,
    )
}
