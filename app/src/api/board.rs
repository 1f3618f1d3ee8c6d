//! The staff board of supplier documents: columns with counts and sums, cards, paging per
//! column, and one card fresh for live updates.
use leptos::prelude::*;

use crate::domain::board::RawBoardFilter;
use crate::error::AppError;

pub use crate::model::board::*;

/// A board filter's problem as the user is told it (every board's server functions).
#[cfg(feature = "ssr")]
pub(crate) fn bad_filter(
    (field, err): (&'static str, crate::domain::board::BoardFilterError),
) -> AppError {
    AppError::Invalid {
        field: field.to_owned(),
        problem: err.to_string(),
    }
}

/// The board under `filter` (as it stands in the address).
#[server(prefix = "/api", endpoint = "staff/board")]
pub async fn staff_board(#[server(default)] filter: RawBoardFilter) -> Result<Board, AppError> {
    use crate::server::repo::board;
    crate::error::respond(
        async move {
            let (ctx, state) = super::staff().await?;
            let filter = filter.check().map_err(bad_filter)?;
            board::board(&ctx, &state.db, &filter, state.now()).await
        }
        .await,
    )
}

/// More cards of one column, after the `offset` already shown.
#[server(prefix = "/api", endpoint = "staff/more_board_cards")]
pub async fn more_board_cards(
    #[server(default)] filter: RawBoardFilter,
    stage: String,
    offset: u64,
) -> Result<Vec<BoardCard>, AppError> {
    use crate::domain::stage::DocumentStage;
    use crate::server::repo::board;
    crate::error::respond(
        async move {
            let (ctx, state) = super::staff().await?;
            let filter = filter.check().map_err(bad_filter)?;
            let stage = DocumentStage::from_code(&stage).ok_or_else(|| AppError::Invalid {
                field: "stage".to_owned(),
                problem: "unknown stage".to_owned(),
            })?;
            board::column_page(&ctx, &state.db, &filter, stage, offset, state.now()).await
        }
        .await,
    )
}

/// One card as the board shows it now, if it still matches `filter` (live updates).
#[server(prefix = "/api", endpoint = "staff/fresh_board_card")]
pub async fn fresh_board_card(
    #[server(default)] filter: RawBoardFilter,
    id: i32,
) -> Result<Option<BoardCard>, AppError> {
    use crate::server::repo::board;
    crate::error::respond(
        async move {
            let (ctx, state) = super::staff().await?;
            let filter = filter.check().map_err(bad_filter)?;
            board::card(&ctx, &state.db, &filter, id, state.now()).await
        }
        .await,
    )
}
