//! What the accounts server functions exchange with the browser.
use crate::domain::accounts::{TokenPurpose, TokenState};
use serde::{Deserialize, Serialize};

/// What the page of an invitation or reset link shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountLink {
    pub purpose: TokenPurpose,
    pub email: String,
    pub first_name: String,
    pub state: TokenState,
}
