//! The message thread of a document card: staff and the card's supplier write to one thread.
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::lang::Lang;
use crate::error::AppError;

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

/// Writes to the thread of card `card_id`; a supplier only to its own counterparty's cards.
#[server(prefix = "/api", endpoint = "messages/post")]
pub async fn post_message(card_id: i32, body: String) -> Result<(), AppError> {
    use crate::domain::form::{FieldError, FieldProblem};
    use crate::server::{auth, repo::messages, state};
    crate::error::respond(
        async move {
            let ctx = auth::require_ctx().await?;
            let body = body.trim();
            let problem = if body.is_empty() {
                Some(FieldError::Required)
            } else if body.chars().count() > MAX_MESSAGE_CHARS {
                Some(FieldError::TooLong(MAX_MESSAGE_CHARS))
            } else {
                None
            };
            if let Some(error) = problem {
                return Err(AppError::Rejected {
                    problems: vec![FieldProblem::field("body", error)],
                });
            }
            let state = state()?;
            messages::post(&ctx, &state.db, card_id, body, Utc::now()).await?;
            state.live.wake();
            let area = if ctx.role.is_staff() {
                "staff"
            } else {
                "cabinet"
            };
            auth::redirect_plain_form(&format!("/{area}/documents/{card_id}"));
            Ok(())
        }
        .await,
    )
}
