//! Every staff board (supplier documents, deals, supplier orders): columns with counts and
//! sums, cards, paging per column, and one card fresh for live updates. One engine serves all
//! (`server::repo::pipeline`); the documents board keeps its older addresses too.
use leptos::prelude::*;

use crate::domain::board::{Pipeline, RawBoardFilter};
use crate::error::AppError;

pub use crate::model::board::*;

/// A board filter's problem as the user is told it (every board's server functions).
#[cfg(feature = "ssr")]
pub(crate) fn bad_filter(
    (field, err): (&'static str, crate::domain::board::BoardFilterError),
) -> AppError {
    crate::error::invalid(field, err.into())
}

/// The board of `pipeline` under `filter` (as it stands in the address).
#[server(prefix = "/api", endpoint = "staff/pipeline_board")]
pub async fn pipeline_board(
    pipeline: Pipeline,
    #[server(default)] filter: RawBoardFilter,
) -> Result<Board, AppError> {
    use crate::server::repo::pipeline::board;
    crate::error::respond(
        async move {
            let (ctx, state) = super::staff().await?;
            let filter = filter.check().map_err(bad_filter)?;
            crate::with_pipeline!(pipeline, P => board::board::<P>(&ctx, &state.db, &filter, state.now()).await)
        }
        .await,
    )
}

/// More cards of one column, after the `offset` already shown.
#[server(prefix = "/api", endpoint = "staff/more_pipeline_cards")]
pub async fn more_pipeline_cards(
    pipeline: Pipeline,
    #[server(default)] filter: RawBoardFilter,
    stage: String,
    offset: u64,
) -> Result<Vec<BoardCard>, AppError> {
    use crate::server::repo::pipeline::board;
    crate::error::respond(
        async move {
            let (ctx, state) = super::staff().await?;
            let filter = filter.check().map_err(bad_filter)?;
            crate::with_pipeline!(pipeline, P => {
                board::column_page::<P>(&ctx, &state.db, &filter, &stage, offset, state.now())
                    .await
            })
        }
        .await,
    )
}

/// One card as the board shows it now, if it still matches `filter` (live updates).
#[server(prefix = "/api", endpoint = "staff/fresh_pipeline_card")]
pub async fn fresh_pipeline_card(
    pipeline: Pipeline,
    #[server(default)] filter: RawBoardFilter,
    id: i32,
) -> Result<Option<BoardCard>, AppError> {
    use crate::server::repo::pipeline::board;
    crate::error::respond(
        async move {
            let (ctx, state) = super::staff().await?;
            let filter = filter.check().map_err(bad_filter)?;
            crate::with_pipeline!(pipeline, P => board::card::<P>(&ctx, &state.db, &filter, id, state.now()).await)
        }
        .await,
    )
}

/// The documents board (its first address).
#[server(prefix = "/api", endpoint = "staff/board")]
pub async fn staff_board(#[server(default)] filter: RawBoardFilter) -> Result<Board, AppError> {
    pipeline_board(Pipeline::Documents, filter).await
}

/// More cards of one column of the documents board (its first address).
#[server(prefix = "/api", endpoint = "staff/more_board_cards")]
pub async fn more_board_cards(
    #[server(default)] filter: RawBoardFilter,
    stage: String,
    offset: u64,
) -> Result<Vec<BoardCard>, AppError> {
    more_pipeline_cards(Pipeline::Documents, filter, stage, offset).await
}

/// One card of the documents board as it is now (its first address).
#[server(prefix = "/api", endpoint = "staff/fresh_board_card")]
pub async fn fresh_board_card(
    #[server(default)] filter: RawBoardFilter,
    id: i32,
) -> Result<Option<BoardCard>, AppError> {
    fresh_pipeline_card(Pipeline::Documents, filter, id).await
}
