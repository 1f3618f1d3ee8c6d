//! Contracts, specifications and supplier orders: the papers that carry a deal's number
//! (`2026-0042/CT-1`, `/SP-1`, `/PO-1`). Staff make and move them; a supplier sees its own.
use leptos::prelude::*;

use crate::api::moves::MovedCard;
use crate::domain::deals::RawLine;
use crate::error::AppError;

pub use crate::model::papers::*;

#[cfg(feature = "ssr")]
fn rejected(problems: Vec<crate::domain::form::FieldProblem>) -> AppError {
    AppError::Rejected { problems }
}

/// Makes a contract; the deferral defaults to the counterparty's. Numbered at once when its
/// deal has a number, else when the deal gets one.
#[server(prefix = "/api", endpoint = "staff/create_contract")]
pub async fn create_contract(
    counterparty: Option<String>,
    deal: Option<String>,
    signed_on: String,
    deferral_days: String,
    deferral_base: String,
) -> Result<i32, AppError> {
    use crate::domain::deals::{RawContract, check_contract};
    use crate::server::{auth, repo::papers};
    crate::error::respond(
        async move {
            let (ctx, state) = super::staff().await?;
            let fields = check_contract(&RawContract {
                counterparty,
                deal,
                signed_on,
                deferral_days,
                deferral_base,
            })
            .map_err(rejected)?;
            let id = papers::create_contract(&ctx, &state.db, &fields, state.now().at).await?;
            auth::redirect_plain_form(&format!("/staff/contracts/{id}"));
            Ok(id)
        }
        .await,
    )
}

/// Makes a specification of a contract (and so of its deal) with its lines.
#[server(prefix = "/api", endpoint = "staff/create_specification")]
pub async fn create_specification(
    contract: Option<String>,
    dated_on: String,
    #[server(default)] lines: Vec<RawLine>,
) -> Result<i32, AppError> {
    use crate::domain::deals::{RawSpecification, check_specification};
    use crate::server::{auth, repo::papers};
    crate::error::respond(
        async move {
            let (ctx, state) = super::staff().await?;
            let fields = check_specification(
                &RawSpecification {
                    contract,
                    dated_on,
                    lines,
                },
                state.settings.max_amount,
            )
            .map_err(rejected)?;
            let id = papers::create_specification(&ctx, &state.db, &fields, state.now().at).await?;
            auth::redirect_plain_form(&format!("/staff/specifications/{id}"));
            Ok(id)
        }
        .await,
    )
}

/// Makes a supplier order under a contract (its counterparty and deal come from it), in
/// "Draft".
#[server(prefix = "/api", endpoint = "staff/create_order")]
pub async fn create_order(
    contract: Option<String>,
    amount: String,
    planned_delivery_on: String,
    #[server(default)] description: String,
) -> Result<i32, AppError> {
    use crate::domain::deals::{RawOrder, check_order};
    use crate::server::{auth, repo::papers};
    crate::error::respond(
        async move {
            let (ctx, state) = super::staff().await?;
            let fields = check_order(
                &RawOrder {
                    contract,
                    amount,
                    planned_delivery_on,
                    description,
                },
                state.settings.max_amount,
            )
            .map_err(rejected)?;
            let id = papers::create_order(&ctx, &state.db, &fields, state.now().at).await?;
            auth::redirect_plain_form(&crate::domain::board::Pipeline::Orders.card_path(id));
            Ok(id)
        }
        .await,
    )
}

/// Moves supplier order `id`, last seen at `version`, to stage `to`, with the date the stage
/// asks for. Setting the base date computes the payment deadline and schedules the
/// accountant's reminder.
#[allow(clippy::too_many_arguments)]
#[server(prefix = "/api", endpoint = "staff/move_order")]
pub async fn move_order(
    id: i32,
    to: String,
    version: i32,
    delivered_on: Option<String>,
    closing_documents_on: Option<String>,
    paid_date: Option<String>,
    return_to: Option<String>,
) -> Result<MovedCard, AppError> {
    use crate::domain::board::Pipeline;
    let request = crate::domain::moves::MoveRequest {
        delivered_on,
        closing_documents_on,
        paid_date,
        ..Default::default()
    };
    let result = crate::error::respond(
        crate::api::moves::move_in(Pipeline::Orders, id, &to, version, &request).await,
    );
    crate::server::auth::redirect_plain_form(&crate::api::moves::move_landing(
        &result,
        return_to.as_deref(),
        &crate::domain::board::Pipeline::Orders.card_path(id),
    ));
    result
}

/// A supplier order; a supplier sees only its own counterparty's.
#[server(prefix = "/api", endpoint = "order")]
pub async fn get_order(id: i32) -> Result<OrderPage, AppError> {
    use crate::server::repo::papers;
    crate::error::respond(
        async move {
            let (ctx, state) = super::signed_in().await?;
            papers::order_page(&ctx, &state.db, id, state.now()).await
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "contract")]
pub async fn get_contract(id: i32) -> Result<ContractPage, AppError> {
    use crate::server::repo::papers;
    crate::error::respond(
        async move {
            let (ctx, state) = super::signed_in().await?;
            papers::contract_page(&ctx, &state.db, id, state.now()).await
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "specification")]
pub async fn get_specification(id: i32) -> Result<SpecificationPage, AppError> {
    use crate::server::repo::papers;
    crate::error::respond(
        async move {
            let (ctx, state) = super::signed_in().await?;
            papers::specification_page(&ctx, &state.db, id).await
        }
        .await,
    )
}

/// The supplier's orders, contracts and specifications.
#[server(prefix = "/api", endpoint = "cabinet/papers")]
pub async fn get_supplier_papers() -> Result<SupplierPapers, AppError> {
    use crate::server::repo::papers;
    crate::error::respond(
        async move {
            let (ctx, state) = super::supplier().await?;
            papers::supplier_papers(&ctx, &state.db, state.now()).await
        }
        .await,
    )
}

/// Contracts to choose from (staff forms).
#[server(prefix = "/api", endpoint = "staff/contract_choices")]
pub async fn get_contract_choices(deal: Option<i32>) -> Result<ContractChoices, AppError> {
    use crate::server::repo::papers;
    crate::error::respond(
        async move {
            let (ctx, state) = super::staff().await?;
            papers::contract_choices(&ctx, &state.db, deal).await
        }
        .await,
    )
}
