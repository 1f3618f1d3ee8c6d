//! The global search box: a deal by its number or part of it (or by title or customer), with
//! every paper that carries the number.
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::api::home::StageName;
use crate::api::papers::{ContractRow, OrderRow, SpecificationRow};
use crate::error::AppError;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DealHit {
    pub id: i32,
    pub number: Option<String>,
    pub title: String,
    pub customer: String,
    pub stage: StageName,
    pub contracts: Vec<ContractRow>,
    pub specifications: Vec<SpecificationRow>,
    pub orders: Vec<OrderRow>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchResults {
    pub query: String,
    pub deals: Vec<DealHit>,
}

/// Deals whose number contains what was typed (`42`, `2026-42`, `2026-0042/PO-1`), or whose
/// title or customer does, newest first, each with its papers.
#[server(prefix = "/api", endpoint = "staff/search")]
pub async fn search(#[server(default)] q: String) -> Result<SearchResults, AppError> {
    use crate::server::{auth, repo::search, state};
    crate::error::respond(
        async move {
            let ctx = auth::require_ctx().await?;
            ctx.require_staff()?;
            search::deals(&ctx, &state()?.db, &q, chrono::Utc::now()).await
        }
        .await,
    )
}
