//! The message thread of a document card: staff and the card's supplier write to one thread.
use leptos::prelude::*;

use crate::error::AppError;

pub use crate::model::messages::*;

/// Writes to the thread of card `card_id`; a supplier only to its own counterparty's cards.
#[server(prefix = "/api", endpoint = "messages/post")]
pub async fn post_message(card_id: i32, body: String) -> Result<(), AppError> {
    use crate::domain::form::{FieldError, FieldProblem};
    use crate::server::{auth, repo::messages};
    crate::error::respond(
        async move {
            let (ctx, state) = super::signed_in().await?;
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
            messages::post(&ctx, &state.db, card_id, body, state.now().at).await?;
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
