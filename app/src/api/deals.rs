//! Deals: their board, page and moves. Entering implementation the first time numbers a deal
//! (`2026-0042`), gives the number to its papers and makes its back-office tasks, all in the
//! move's transaction.
use leptos::prelude::*;

use crate::api::moves::MovedCard;
#[cfg(feature = "ssr")]
use crate::domain::board::Pipeline;
use crate::error::AppError;

pub use crate::model::deals::*;

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
            let fields = check_deal(
                &RawDeal {
                    title,
                    customer,
                    amount,
                    responsible,
                },
                state.settings.max_amount,
            )
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
    let request = crate::domain::moves::MoveRequest::default();
    let result = crate::error::respond(
        crate::api::moves::move_in(Pipeline::Deals, id, &to, version, &request).await,
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
    crate::error::respond(crate::api::moves::assign_in(Pipeline::Deals, id, user_id).await)
}
