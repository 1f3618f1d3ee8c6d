//! The counterparty registry (staff) and contacts (staff, and a supplier for its own
//! counterparty).
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::api::home::DocumentRow;
use crate::domain::counterparty::{CounterpartyForm, Requisites};
use crate::error::AppError;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CounterpartyRow {
    pub id: i32,
    pub name: String,
    pub inn: String,
    pub blocked: bool,
    pub responsible_manager: Option<String>,
    pub documents: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CounterpartyPage {
    pub rows: Vec<CounterpartyRow>,
    pub total: u64,
    pub page: u64,
    pub pages: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub id: i32,
    pub name: String,
    pub position: String,
    pub email: String,
    pub phone: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CounterpartyUser {
    pub id: i32,
    pub name: String,
    pub email: String,
    pub active: bool,
}

/// A staff member who can be made responsible for a counterparty.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manager {
    pub id: i32,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CounterpartyDetails {
    pub id: i32,
    pub requisites: Requisites,
    pub responsible_manager: Option<String>,
    pub contacts: Vec<Contact>,
    pub users: Vec<CounterpartyUser>,
    /// The latest documents, newest first.
    pub documents: Vec<DocumentRow>,
    pub document_count: u64,
}

/// The registry: search by name or INN, 20 a page, by name.
#[server(prefix = "/api", endpoint = "staff/counterparties")]
pub async fn counterparties(
    text: Option<String>,
    page: Option<u64>,
) -> Result<CounterpartyPage, AppError> {
    use crate::server::{auth, repo::counterparties as repo, state};
    crate::error::respond(
        async move {
            let ctx = auth::require_ctx().await?;
            ctx.require_staff()?;
            let text = text.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty());
            if text.as_ref().is_some_and(|t| t.chars().count() > 100) {
                return Err(AppError::Invalid {
                    field: "text".to_owned(),
                    problem: "too long".to_owned(),
                });
            }
            repo::page(
                &ctx,
                &state()?.db,
                text.as_deref(),
                page.unwrap_or(1).max(1),
            )
            .await
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "staff/counterparty")]
pub async fn counterparty(id: i32) -> Result<CounterpartyDetails, AppError> {
    use crate::server::{auth, repo::counterparties as repo, state};
    crate::error::respond(
        async move {
            let ctx = auth::require_ctx().await?;
            ctx.require_staff()?;
            repo::details(&ctx, &state()?.db, id).await
        }
        .await,
    )
}

/// Staff who can be responsible for a counterparty (managers and supervisors).
#[server(prefix = "/api", endpoint = "staff/managers")]
pub async fn managers() -> Result<Vec<Manager>, AppError> {
    use crate::server::{auth, repo::counterparties as repo, state};
    crate::error::respond(
        async move {
            let ctx = auth::require_ctx().await?;
            ctx.require_staff()?;
            repo::managers(&state()?.db).await
        }
        .await,
    )
}

/// Creates (`id` empty) or updates a counterparty; changes are audited with old and new values.
/// Returns its id.
#[server(prefix = "/api", endpoint = "staff/save_counterparty")]
pub async fn save_counterparty(id: Option<i32>, form: CounterpartyForm) -> Result<i32, AppError> {
    use crate::domain::counterparty::check_counterparty;
    use crate::server::{auth, repo::counterparties as repo, state};
    crate::error::respond(
        async move {
            let ctx = auth::require_ctx().await?;
            ctx.require_staff()?;
            let requisites =
                check_counterparty(&form).map_err(|problems| AppError::Rejected { problems })?;
            let db = &state()?.db;
            let saved = match id {
                Some(id) => repo::update(&ctx, db, id, &requisites).await?,
                None => repo::create(&ctx, db, &requisites).await?,
            };
            auth::redirect_plain_form(&format!("/staff/counterparties/{saved}"));
            Ok(saved)
        }
        .await,
    )
}

/// The signed-in supplier's counterparty and its contacts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnContacts {
    pub counterparty_id: i32,
    pub contacts: Vec<Contact>,
}

/// The signed-in supplier's own contacts.
#[server(prefix = "/api", endpoint = "cabinet/contacts")]
pub async fn my_contacts() -> Result<OwnContacts, AppError> {
    use crate::server::{auth, repo::counterparties as repo, state};
    crate::error::respond(
        async move {
            let ctx = auth::require_ctx().await?;
            let scope = ctx.require_supplier()?;
            let contacts = repo::contacts(&ctx, &state()?.db, scope.counterparty_id).await?;
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
    use crate::server::{auth, repo::counterparties as repo, state};
    crate::error::respond(
        async move {
            let ctx = auth::require_ctx().await?;
            let fields = check_contact(&name, &position, &email, &phone)
                .map_err(|problems| AppError::Rejected { problems })?;
            repo::add_contact(&ctx, &state()?.db, counterparty_id, &fields).await
        }
        .await,
    )
}

/// Removes a contact; scoped like `add_contact`.
#[server(prefix = "/api", endpoint = "contacts/remove")]
pub async fn remove_contact(id: i32) -> Result<(), AppError> {
    use crate::server::{auth, repo::counterparties as repo, state};
    crate::error::respond(
        async move {
            let ctx = auth::require_ctx().await?;
            repo::remove_contact(&ctx, &state()?.db, id).await
        }
        .await,
    )
}
