//! Staff moving a supplier document to another stage. The kanban board will call the same
//! function; until it lands, the end-to-end tests do.
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// The card after a move: its new stage and the version the next move must name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MovedCard {
    pub card_id: i32,
    pub stage: String,
    pub version: i32,
}

/// Moves card `id`, last seen at `version`, to stage `to`. The stage's entry rules are checked
/// here whatever the client sent; a move based on an old version is a conflict.
#[server(prefix = "/api", endpoint = "staff/move_document")]
pub async fn move_document(
    id: i32,
    to: String,
    version: i32,
    planned_payment_date: Option<String>,
    paid_date: Option<String>,
    comment: Option<String>,
) -> Result<MovedCard, AppError> {
    use crate::domain::moves::{MoveError, MoveRequest, check_move};
    use crate::domain::stage::DocumentStage;
    use crate::server::{auth, repo::moves, state};
    crate::error::respond(
        async move {
            let ctx = auth::require_ctx().await?;
            ctx.require_staff()?;
            let to = DocumentStage::from_code(&to).ok_or_else(|| AppError::Invalid {
                field: "to".to_owned(),
                problem: "unknown stage".to_owned(),
            })?;
            let db = &state()?.db;
            let card = moves::current(&ctx, db, id).await?;
            let request = MoveRequest {
                planned_payment_date,
                paid_date,
                comment,
            };
            let today = chrono::Utc::now().date_naive();
            let entry =
                check_move(ctx.role, card.stage, to, &request, today).map_err(|err| match err {
                    MoveError::NotStaff => AppError::Forbidden,
                    MoveError::Missing(problems) => AppError::Rejected { problems },
                    other => AppError::Invalid {
                        field: "to".to_owned(),
                        problem: other.to_string(),
                    },
                })?;
            moves::apply(&ctx, db, &card, to, version, &entry, chrono::Utc::now()).await
        }
        .await,
    )
}
