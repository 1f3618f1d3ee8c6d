//! Deals: their board, page and moves. Entering implementation the first time numbers a deal
//! (`2026-0042`), gives the number to its papers and makes its back-office tasks, all in the
//! move's transaction.
use chrono::{DateTime, NaiveDate, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::api::board::{Board, BoardCard, Choice};
use crate::api::home::StageName;
use crate::api::moves::MovedCard;
use crate::api::papers::{ContractRow, OrderRow, SpecificationRow};
use crate::api::tasks::TaskRow;
use crate::domain::board::{Pipeline, RawBoardFilter};
use crate::domain::money::Money;
use crate::error::AppError;

/// A stage move in a card's history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry {
    pub at: DateTime<Utc>,
    pub stage: StageName,
    pub by: Option<String>,
    pub comment: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DealPage {
    pub id: i32,
    pub version: i32,
    pub number: Option<String>,
    pub title: String,
    pub customer: String,
    pub amount: Money,
    pub stage: StageName,
    pub responsible_user_id: Option<i32>,
    pub responsible_name: Option<String>,
    pub created_at: DateTime<Utc>,
    pub numbered_at: Option<DateTime<Utc>>,
    pub stages: Vec<StageName>,
    pub history: Vec<HistoryEntry>,
    pub contracts: Vec<ContractRow>,
    pub specifications: Vec<SpecificationRow>,
    pub orders: Vec<OrderRow>,
    pub tasks: Vec<TaskRow>,
    /// For the forms on the page: counterparties (new contract) and staff (responsible).
    pub counterparties: Vec<Choice>,
    pub staff: Vec<Choice>,
    pub today: NaiveDate,
}

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
    use crate::server::{auth, repo::pipeline_board, state};
    crate::error::respond(
        async move {
            let ctx = auth::require_ctx().await?;
            ctx.require_staff()?;
            not_a_document_board(pipeline)?;
            let filter = filter.check().map_err(crate::api::board::bad_filter)?;
            pipeline_board::board(&ctx, &state()?.db, pipeline, &filter, Utc::now()).await
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
    use crate::server::{auth, repo::pipeline_board, state};
    crate::error::respond(
        async move {
            let ctx = auth::require_ctx().await?;
            ctx.require_staff()?;
            not_a_document_board(pipeline)?;
            let filter = filter.check().map_err(crate::api::board::bad_filter)?;
            pipeline_board::column_page(
                &ctx,
                &state()?.db,
                pipeline,
                &filter,
                &stage,
                offset,
                Utc::now(),
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
    use crate::server::{auth, repo::pipeline_board, state};
    crate::error::respond(
        async move {
            let ctx = auth::require_ctx().await?;
            ctx.require_staff()?;
            not_a_document_board(pipeline)?;
            let filter = filter.check().map_err(crate::api::board::bad_filter)?;
            pipeline_board::card(&ctx, &state()?.db, pipeline, &filter, id, Utc::now()).await
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
    use crate::server::{auth, repo::deals, state};
    crate::error::respond(
        async move {
            let ctx = auth::require_ctx().await?;
            ctx.require_staff()?;
            let fields = check_deal(&RawDeal {
                title,
                customer,
                amount,
                responsible,
            })
            .map_err(|problems| AppError::Rejected { problems })?;
            let id = deals::create(&ctx, &state()?.db, &fields, Utc::now()).await?;
            auth::redirect_plain_form(&Pipeline::Deals.card_path(id));
            Ok(id)
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "staff/deal")]
pub async fn get_deal(id: i32) -> Result<DealPage, AppError> {
    use crate::server::{auth, repo::deals, state};
    crate::error::respond(
        async move {
            let ctx = auth::require_ctx().await?;
            ctx.require_staff()?;
            deals::page(&ctx, &state()?.db, id, Utc::now()).await
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
    use crate::server::{auth, repo::deals, state};
    let result = crate::error::respond(
        async move {
            let ctx = auth::require_ctx().await?;
            ctx.require_staff()?;
            let to = DealStage::from_code(&to).ok_or_else(|| AppError::Invalid {
                field: "to".to_owned(),
                problem: "unknown stage".to_owned(),
            })?;
            deals::move_deal(&ctx, &state()?.db, id, to, version, Utc::now()).await
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
    use crate::server::{auth, repo::deals, state};
    crate::error::respond(
        async move {
            let ctx = auth::require_ctx().await?;
            ctx.require_staff()?;
            deals::assign(&ctx, &state()?.db, id, user_id).await?;
            auth::redirect_plain_form(&Pipeline::Deals.card_path(id));
            Ok(())
        }
        .await,
    )
}
