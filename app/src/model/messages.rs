//! What the messages server functions exchange with the browser.
use crate::domain::lang::Lang;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub const MAX_MESSAGE_CHARS: usize = 2000;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThreadMessage {
    pub id: i32,
    /// Empty for a message a stage rule posted.
    pub author: Option<String>,
    pub from_supplier: bool,
    pub body: String,
    pub body_en: Option<String>,
    pub at: DateTime<Utc>,
}

impl ThreadMessage {
    pub fn text(&self, lang: Lang) -> &str {
        match (lang, &self.body_en) {
            (Lang::En, Some(en)) => en,
            _ => &self.body,
        }
    }
}
