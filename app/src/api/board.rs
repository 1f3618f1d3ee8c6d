//! The staff board of supplier documents: columns with counts and sums, cards, paging per
//! column, and one card fresh for live updates.
use chrono::{DateTime, NaiveDate, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::api::home::StageName;
use crate::domain::board::RawBoardFilter;
use crate::domain::money::Money;
use crate::error::AppError;

/// A card as the board shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoardCard {
    pub id: i32,
    pub version: i32,
    pub stage: String,
    /// The invoice number of a document, a deal's or order's number (`#id` until it has one).
    pub number: String,
    /// A deal's title, an order's description.
    pub title: Option<String>,
    /// The counterparty, or a deal's customer.
    pub counterparty_name: String,
    pub amount: Money,
    pub stage_entered_at: DateTime<Utc>,
    pub responsible_initials: Option<String>,
    pub responsible_name: Option<String>,
    /// A document's planned payment date, an order's payment deadline.
    pub planned_payment_date: Option<NaiveDate>,
    /// Was returned for correction at some point.
    pub returned: bool,
    pub overdue: bool,
    pub possible_duplicate: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoardColumn {
    pub stage: StageName,
    /// Cards of the stage matching the filter, and the sum of their amounts.
    pub count: u64,
    pub total: Money,
    /// The first page of them, newest in the stage first.
    pub cards: Vec<BoardCard>,
}

/// A choice for a filter's drop-down.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    pub id: i32,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Board {
    pub pipeline: crate::domain::board::Pipeline,
    pub columns: Vec<BoardColumn>,
    pub counterparties: Vec<Choice>,
    pub staff: Vec<Choice>,
    /// The change the board is current to: live updates resume after it.
    pub last_change: i64,
}

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
    use crate::server::{auth, repo::board, state};
    crate::error::respond(
        async move {
            let ctx = auth::require_ctx().await?;
            ctx.require_staff()?;
            let filter = filter.check().map_err(bad_filter)?;
            board::board(&ctx, &state()?.db, &filter, Utc::now()).await
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
    use crate::server::{auth, repo::board, state};
    crate::error::respond(
        async move {
            let ctx = auth::require_ctx().await?;
            ctx.require_staff()?;
            let filter = filter.check().map_err(bad_filter)?;
            let stage = DocumentStage::from_code(&stage).ok_or_else(|| AppError::Invalid {
                field: "stage".to_owned(),
                problem: "unknown stage".to_owned(),
            })?;
            board::column_page(&ctx, &state()?.db, &filter, stage, offset, Utc::now()).await
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
    use crate::server::{auth, repo::board, state};
    crate::error::respond(
        async move {
            let ctx = auth::require_ctx().await?;
            ctx.require_staff()?;
            let filter = filter.check().map_err(bad_filter)?;
            board::card(&ctx, &state()?.db, &filter, id, Utc::now()).await
        }
        .await,
    )
}
