//! Deals: their board, page and moves. Entering implementation the first time numbers a deal
//! (`2026-0042`), gives the number to its papers and makes its back-office tasks, all in the
//! move's transaction.
use leptos::prelude::*;

use crate::api::board::{Board, BoardCard};
use crate::api::moves::MovedCard;
use crate::domain::board::{Pipeline, RawBoardFilter};
use crate::error::AppError;

pub use crate::model::deals::*;

#[cfg(feature = "ssr")]
fn not_a_document_board(pipeline: Pipeline) -> Result<(), AppError> {
    if pipeline == Pipeline::Documents {
        return Err(AppError::Invalid {
            field: "pipeline".to_owned(),
            problem: "the documents board has its own functions".to_owned(),
        });
    }
    Ok(())
}

/// The deals or supplier-orders board under `filter`.
#[server(prefix = "/api", endpoint = "staff/pipeline_board")]
pub async fn pipeline_board(
    pipeline: Pipeline,
    #[server(default)] filter: RawBoardFilter,
) -> Result<Board, AppError> {
    use crate::server::repo::pipeline_board;
    crate::error::respond(
        async move {
            let (ctx, state) = super::staff().await?;
            not_a_document_board(pipeline)?;
            let filter = filter.check().map_err(crate::api::board::bad_filter)?;
            pipeline_board::board(&ctx, &state.db, pipeline, &filter, state.now()).await
        }
        .await,
    )
}

/// More cards of one column of the deals or orders board.
#[server(prefix = "/api", endpoint = "staff/more_pipeline_cards")]
pub async fn more_pipeline_cards(
    pipeline: Pipeline,
    #[server(default)] filter: RawBoardFilter,
    stage: String,
    offset: u64,
) -> Result<Vec<BoardCard>, AppError> {
    use crate::server::repo::pipeline_board;
    crate::error::respond(
        async move {
            let (ctx, state) = super::staff().await?;
            not_a_document_board(pipeline)?;
            let filter = filter.check().map_err(crate::api::board::bad_filter)?;
            pipeline_board::column_page(
                &ctx,
                &state.db,
                pipeline,
                &filter,
                &stage,
                offset,
                state.now(),
            )
            .await
        }
        .await,
    )
}

/// One card of the deals or orders board as it is now, if it still matches `filter`.
#[server(prefix = "/api", endpoint = "staff/fresh_pipeline_card")]
pub async fn fresh_pipeline_card(
    pipeline: Pipeline,
    #[server(default)] filter: RawBoardFilter,
    id: i32,
) -> Result<Option<BoardCard>, AppError> {
    use crate::server::repo::pipeline_board;
    crate::error::respond(
        async move {
            let (ctx, state) = super::staff().await?;
            not_a_document_board(pipeline)?;
            let filter = filter.check().map_err(crate::api::board::bad_filter)?;
            pipeline_board::card(&ctx, &state.db, pipeline, &filter, id, state.now()).await
        }
        .await,
    )
}

/// Makes a deal in stage "New"; a plain form lands on its page.
#[server(prefix = "/api", endpoint = "staff/create_deal")]
pub async fn create_deal(
    title: String,
    customer: String,
    amount: String,
    responsible: Option<String>,
) -> Result<i32, AppError> {
    use crate::domain::deals::{RawDeal, check_deal};
    use crate::server::{auth, repo::deals};
    crate::error::respond(
        async move {
            let (ctx, state) = super::staff().await?;
            let fields = check_deal(&RawDeal {
                title,
                customer,
                amount,
                responsible,
            })
            .map_err(|problems| AppError::Rejected { problems })?;
            let id = deals::create(&ctx, &state.db, &fields, state.now().at).await?;
            auth::redirect_plain_form(&Pipeline::Deals.card_path(id));
            Ok(id)
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "staff/deal")]
pub async fn get_deal(id: i32) -> Result<DealPage, AppError> {
    use crate::server::repo::deals;
    crate::error::respond(
        async move {
            let (ctx, state) = super::staff().await?;
            deals::page(&ctx, &state.db, id, state.now()).await
        }
        .await,
    )
}

/// Moves deal `id`, last seen at `version`, to stage `to`. Entering implementation the first
/// time numbers it. A plain form goes back to `return_to` (or the deal's page).
#[server(prefix = "/api", endpoint = "staff/move_deal")]
pub async fn move_deal(
    id: i32,
    to: String,
    version: i32,
    return_to: Option<String>,
) -> Result<MovedCard, AppError> {
    use crate::domain::deals::DealStage;
    use crate::server::repo::deals;
    let result = crate::error::respond(
        async move {
            let (ctx, state) = super::staff().await?;
            let to = DealStage::from_code(&to).ok_or_else(|| AppError::Invalid {
                field: "to".to_owned(),
                problem: "unknown stage".to_owned(),
            })?;
            deals::move_deal(&ctx, &state.db, id, to, version, state.now()).await
        }
        .await,
    );
    crate::server::auth::redirect_plain_form(&crate::api::moves::move_landing(
        &result,
        return_to.as_deref(),
        &Pipeline::Deals.card_path(id),
    ));
    result
}

/// Makes staff member `user_id` the deal's responsible manager; a plain form lands on the deal.
#[server(prefix = "/api", endpoint = "staff/assign_deal")]
pub async fn assign_deal(id: i32, user_id: i32) -> Result<(), AppError> {
    use crate::server::{auth, repo::deals};
    crate::error::respond(
        async move {
            let (ctx, state) = super::staff().await?;
            deals::assign(&ctx, &state.db, id, user_id).await?;
            auth::redirect_plain_form(&Pipeline::Deals.card_path(id));
            Ok(())
        }
        .await,
    )
}
