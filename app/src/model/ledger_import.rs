//! What the ledger import's server functions and routes exchange with the browser and with
//! integrations.
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::api_tokens::TokenScope;
use crate::domain::ledger_import::{ImportOrigin, RowProblem};

/// One import, stored or refused: the answer to an upload or an API call, and a line of the
/// history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    pub id: i32,
    pub at: DateTime<Utc>,
    pub origin: ImportOrigin,
    pub file_name: String,
    /// Who uploaded it, or the API token's name.
    pub by: String,
    /// Entry rows the file held.
    pub rows: u32,
    /// Rows stored now.
    pub imported: u32,
    /// Rows imported before with the same figures.
    pub skipped: u32,
    /// Nothing of the file was stored; `problems` says why, by line and column.
    pub refused: bool,
    pub problems: Vec<RowProblem>,
}

/// An API token as the admin's list shows it (never the token itself).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiTokenRow {
    pub id: i32,
    pub name: String,
    pub scope: TokenScope,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// A token just issued: the only time it is shown.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuedToken {
    pub id: i32,
    pub name: String,
    pub token: String,
}

/// The import page: the latest imports and, for admins, the API tokens.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportsPage {
    pub imports: Vec<ImportReport>,
    /// Empty for accountants, who see tokens neither.
    pub tokens: Vec<ApiTokenRow>,
    pub may_manage_tokens: bool,
}
