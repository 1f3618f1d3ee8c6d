//! The counterparty registry (staff) and contacts (staff, and a supplier for its own
//! counterparty).
use leptos::prelude::*;

use crate::domain::counterparty::CounterpartyForm;
use crate::error::AppError;

pub use crate::model::counterparties::*;

/// The registry: search by name or INN, 20 a page, by name.
#[server(prefix = "/api", endpoint = "staff/counterparties")]
pub async fn counterparties(
    text: Option<String>,
    page: Option<u64>,
) -> Result<CounterpartyPage, AppError> {
    use crate::server::repo::counterparties as repo;
    crate::error::respond(
        async move {
            let (ctx, state) = super::staff().await?;
            let text = text.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty());
            if text.as_ref().is_some_and(|t| t.chars().count() > 100) {
                return Err(crate::error::invalid(
                    "text",
                    crate::domain::form::FieldError::TooLong(100),
                ));
            }
            repo::page(&ctx, &state.db, text.as_deref(), page.unwrap_or(1).max(1)).await
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "staff/counterparty")]
pub async fn counterparty(id: i32) -> Result<CounterpartyDetails, AppError> {
    use crate::server::repo::counterparties as repo;
    crate::error::respond(
        async move {
            let (ctx, state) = super::staff().await?;
            repo::details(&ctx, &state.db, id).await
        }
        .await,
    )
}

/// Staff who can be responsible for a counterparty (managers and supervisors).
#[server(prefix = "/api", endpoint = "staff/managers")]
pub async fn managers() -> Result<Vec<Manager>, AppError> {
    use crate::server::repo::counterparties as repo;
    crate::error::respond(
        async move {
            let (_ctx, state) = super::staff().await?;
            repo::managers(&state.db).await
        }
        .await,
    )
}

/// Creates (`id` empty) or updates a counterparty; changes are audited with old and new values.
/// Returns its id.
#[server(prefix = "/api", endpoint = "staff/save_counterparty")]
pub async fn save_counterparty(id: Option<i32>, form: CounterpartyForm) -> Result<i32, AppError> {
    use crate::domain::counterparty::check_counterparty;
    use crate::server::{auth, repo::counterparties as repo};
    crate::error::respond(
        async move {
            let (ctx, state) = super::staff().await?;
            let requisites =
                check_counterparty(&form).map_err(|problems| AppError::Rejected { problems })?;
            let db = &state.db;
            let saved = match id {
                Some(id) => repo::update(&ctx, db, id, &requisites).await?,
                None => repo::create(&ctx, db, &requisites).await?,
            };
            // A block ends its users' open live streams: they look at their sessions now.
            state.live.wake();
            auth::redirect_plain_form(&format!("/staff/counterparties/{saved}"));
            Ok(saved)
        }
        .await,
    )
}

/// The signed-in supplier's own contacts.
#[server(prefix = "/api", endpoint = "cabinet/contacts")]
pub async fn my_contacts() -> Result<OwnContacts, AppError> {
    use crate::server::repo::counterparties as repo;
    crate::error::respond(
        async move {
            let (ctx, state) = super::signed_in().await?;
            let scope = ctx.require_supplier()?;
            let contacts = repo::contacts(&ctx, &state.db, scope.counterparty_id).await?;
            Ok(OwnContacts {
                counterparty_id: scope.counterparty_id,
                contacts,
            })
        }
        .await,
    )
}

/// Adds a contact to a counterparty: staff to any, a supplier only to its own (another
/// counterparty is "not found").
#[server(prefix = "/api", endpoint = "contacts/add")]
pub async fn add_contact(
    counterparty_id: i32,
    name: String,
    position: String,
    email: String,
    phone: String,
) -> Result<Contact, AppError> {
    use crate::domain::counterparty::check_contact;
    use crate::server::repo::counterparties as repo;
    crate::error::respond(
        async move {
            let (ctx, state) = super::signed_in().await?;
            let fields = check_contact(&name, &position, &email, &phone)
                .map_err(|problems| AppError::Rejected { problems })?;
            repo::add_contact(&ctx, &state.db, counterparty_id, &fields).await
        }
        .await,
    )
}

/// Removes a contact; scoped like `add_contact`.
#[server(prefix = "/api", endpoint = "contacts/remove")]
pub async fn remove_contact(id: i32) -> Result<(), AppError> {
    use crate::server::repo::counterparties as repo;
    crate::error::respond(
        async move {
            let (ctx, state) = super::signed_in().await?;
            repo::remove_contact(&ctx, &state.db, id).await
        }
        .await,
    )
}

/// A counterparty's files in folders (documents, payment requests, contracts, specifications,
/// orders), dated in the period `from`–`to` (either may be empty).
#[server(prefix = "/api", endpoint = "staff/counterparty_files")]
pub async fn get_counterparty_files(
    id: i32,
    from: Option<String>,
    to: Option<String>,
) -> Result<crate::model::counterparties::CounterpartyFiles, AppError> {
    use crate::server::repo::files;
    crate::error::respond(
        async move {
            let (ctx, state) = super::staff().await?;
            let period = crate::domain::documents::document_query(
                None,
                from.as_deref(),
                to.as_deref(),
                None,
                None,
            )
            .map_err(|err| crate::error::invalid(err.field(), err.into()))?;
            files::counterparty_folders(
                &ctx,
                &state.db,
                id,
                period.from,
                period.to,
                state.settings.company_zone,
            )
            .await
        }
        .await,
    )
}
