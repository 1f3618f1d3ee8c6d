//! Contracts, specifications and supplier orders: the papers that carry a deal's number
//! (`2026-0042/CT-1`, `/SP-1`, `/PO-1`). Staff make and move them; a supplier sees its own.
use chrono::{DateTime, NaiveDate, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::api::board::Choice;
use crate::api::deals::HistoryEntry;
use crate::api::home::StageName;
use crate::api::moves::MovedCard;
use crate::api::tasks::TaskRow;
use crate::domain::deadlines::DeferralBase;
use crate::domain::deals::RawLine;
use crate::domain::money::Money;
use crate::domain::upload::VatRate;
use crate::error::AppError;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContractRow {
    pub id: i32,
    pub number: Option<String>,
    pub counterparty_id: i32,
    pub counterparty_name: String,
    pub deal_id: Option<i32>,
    pub deal_number: Option<String>,
    pub signed_on: NaiveDate,
    pub deferral_days: i32,
    pub deferral_base: DeferralBase,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpecificationRow {
    pub id: i32,
    pub number: Option<String>,
    pub contract_id: i32,
    pub contract_number: Option<String>,
    pub counterparty_name: String,
    pub deal_id: Option<i32>,
    pub dated_on: NaiveDate,
    pub total: Money,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderRow {
    pub id: i32,
    pub version: i32,
    pub number: Option<String>,
    pub counterparty_id: i32,
    pub counterparty_name: String,
    pub deal_id: Option<i32>,
    pub deal_number: Option<String>,
    pub contract_id: i32,
    pub contract_number: Option<String>,
    pub amount: Money,
    pub stage: StageName,
    pub planned_delivery_on: Option<NaiveDate>,
    pub delivered_on: Option<NaiveDate>,
    pub closing_documents_on: Option<NaiveDate>,
    pub payment_deadline: Option<NaiveDate>,
    pub paid_on: Option<NaiveDate>,
    /// Unpaid after the deadline: red for staff and the supplier.
    pub overdue: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpecificationLineRow {
    pub name: String,
    pub quantity: String,
    pub unit: String,
    pub price: Money,
    pub vat: VatRate,
    pub amount: Money,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContractPage {
    pub contract: ContractRow,
    pub files: Vec<crate::api::tasks::ItemFile>,
    pub specifications: Vec<SpecificationRow>,
    pub orders: Vec<OrderRow>,
    pub today: NaiveDate,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpecificationPage {
    pub specification: SpecificationRow,
    pub files: Vec<crate::api::tasks::ItemFile>,
    pub lines: Vec<SpecificationLineRow>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderPage {
    pub order: OrderRow,
    pub files: Vec<crate::api::tasks::ItemFile>,
    pub description: String,
    pub deferral_days: i32,
    pub deferral_base: DeferralBase,
    /// Staff only: the stages to move to, the history and the order's tasks.
    pub stages: Vec<StageName>,
    pub history: Vec<HistoryEntry>,
    pub tasks: Vec<TaskRow>,
    pub created_at: DateTime<Utc>,
    pub today: NaiveDate,
}

/// What a supplier sees of its papers: orders, contracts and specifications.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupplierPapers {
    pub orders: Vec<OrderRow>,
    pub contracts: Vec<ContractRow>,
    pub specifications: Vec<SpecificationRow>,
    pub today: NaiveDate,
}

/// Contracts to choose from when making a specification or an order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContractChoices {
    pub contracts: Vec<Choice>,
}

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
    use crate::server::{auth, repo::papers, state};
    crate::error::respond(
        async move {
            let ctx = auth::require_ctx().await?;
            ctx.require_staff()?;
            let fields = check_contract(&RawContract {
                counterparty,
                deal,
                signed_on,
                deferral_days,
                deferral_base,
            })
            .map_err(rejected)?;
            let id = papers::create_contract(&ctx, &state()?.db, &fields, Utc::now()).await?;
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
    use crate::server::{auth, repo::papers, state};
    crate::error::respond(
        async move {
            let ctx = auth::require_ctx().await?;
            ctx.require_staff()?;
            let fields = check_specification(&RawSpecification {
                contract,
                dated_on,
                lines,
            })
            .map_err(rejected)?;
            let id = papers::create_specification(&ctx, &state()?.db, &fields, Utc::now()).await?;
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
    use crate::server::{auth, repo::papers, state};
    crate::error::respond(
        async move {
            let ctx = auth::require_ctx().await?;
            ctx.require_staff()?;
            let fields = check_order(&RawOrder {
                contract,
                amount,
                planned_delivery_on,
                description,
            })
            .map_err(rejected)?;
            let id = papers::create_order(&ctx, &state()?.db, &fields, Utc::now()).await?;
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
    use crate::domain::deals::{OrderMoveRequest, OrderStage};
    use crate::server::{auth, repo::papers, state};
    let result = crate::error::respond(
        async move {
            let ctx = auth::require_ctx().await?;
            ctx.require_staff()?;
            let to = OrderStage::from_code(&to).ok_or_else(|| AppError::Invalid {
                field: "to".to_owned(),
                problem: "unknown stage".to_owned(),
            })?;
            let request = OrderMoveRequest {
                delivered_on,
                closing_documents_on,
                paid_date,
            };
            papers::move_order(&ctx, &state()?.db, id, to, version, &request, Utc::now()).await
        }
        .await,
    );
    auth::redirect_plain_form(&crate::api::moves::move_landing(
        &result,
        return_to.as_deref(),
        &crate::domain::board::Pipeline::Orders.card_path(id),
    ));
    result
}

/// A supplier order; a supplier sees only its own counterparty's.
#[server(prefix = "/api", endpoint = "order")]
pub async fn get_order(id: i32) -> Result<OrderPage, AppError> {
    use crate::server::{auth, repo::papers, state};
    crate::error::respond(
        async move {
            let ctx = auth::require_ctx().await?;
            papers::order_page(&ctx, &state()?.db, id, Utc::now()).await
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "contract")]
pub async fn get_contract(id: i32) -> Result<ContractPage, AppError> {
    use crate::server::{auth, repo::papers, state};
    crate::error::respond(
        async move {
            let ctx = auth::require_ctx().await?;
            papers::contract_page(&ctx, &state()?.db, id, Utc::now()).await
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "specification")]
pub async fn get_specification(id: i32) -> Result<SpecificationPage, AppError> {
    use crate::server::{auth, repo::papers, state};
    crate::error::respond(
        async move {
            let ctx = auth::require_ctx().await?;
            papers::specification_page(&ctx, &state()?.db, id).await
        }
        .await,
    )
}

/// The supplier's orders, contracts and specifications.
#[server(prefix = "/api", endpoint = "cabinet/papers")]
pub async fn get_supplier_papers() -> Result<SupplierPapers, AppError> {
    use crate::server::{auth, repo::papers, state};
    crate::error::respond(
        async move {
            let ctx = auth::require_ctx().await?;
            ctx.require_supplier()?;
            papers::supplier_papers(&ctx, &state()?.db, Utc::now()).await
        }
        .await,
    )
}

/// Contracts to choose from (staff forms).
#[server(prefix = "/api", endpoint = "staff/contract_choices")]
pub async fn get_contract_choices(deal: Option<i32>) -> Result<ContractChoices, AppError> {
    use crate::server::{auth, repo::papers, state};
    crate::error::respond(
        async move {
            let ctx = auth::require_ctx().await?;
            ctx.require_staff()?;
            papers::contract_choices(&ctx, &state()?.db, deal).await
        }
        .await,
    )
}
