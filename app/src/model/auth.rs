//! What the auth server functions exchange with the browser.
use crate::domain::access::Role;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserProfile {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub role: Role,
    pub counterparty_name: Option<String>,
}
