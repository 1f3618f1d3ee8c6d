//! What the notifications server functions exchange with the browser.
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    pub id: i32,
    pub card_id: Option<i32>,
    /// The card's page, when the notice is about a card.
    pub link: Option<String>,
    pub text: String,
    pub at: DateTime<Utc>,
    pub unread: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notices {
    pub unread: u64,
    pub items: Vec<Notice>,
}
