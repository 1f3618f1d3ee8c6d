//! Payment requests: the form, the card page, sending for approval, an approver's decision and
//! the board's moves. Staff only; a supplier reaches none of them.
use leptos::prelude::*;

use crate::error::AppError;

pub use crate::domain::payments::RawRequest;
pub use crate::model::payments::*;

/// The form for a new request (prefilled from supplier document `document` or order `order`)
/// or for editing draft `id`.
#[server(prefix = "/api", endpoint = "staff/payment_form")]
pub async fn get_payment_form(
    id: Option<i32>,
    document: Option<i32>,
    order: Option<i32>,
) -> Result<PaymentForm, AppError> {
    use crate::server::repo::payments;
    crate::error::respond(
        async move {
            let (ctx, state) = super::staff().await?;
            payments::form(&ctx, &state.db, id, document, order, state.now()).await
        }
        .await,
    )
}

/// Saves a request as a draft: a new one (no `id`), or the initiator's draft or returned
/// request last seen at `version`. Every problem is told at once and nothing is saved.
#[server(prefix = "/api", endpoint = "staff/save_payment")]
pub async fn save_payment_request(
    id: Option<i32>,
    #[server(default)] version: i32,
    document_card_id: Option<i32>,
    supplier_order_id: Option<i32>,
    request: RawRequest,
) -> Result<i32, AppError> {
    use crate::domain::payments::check_request;
    use crate::server::{auth, repo::payments};
    crate::error::respond(
        async move {
            let (ctx, state) = super::staff().await?;
            let now = state.now();
            let fields = check_request(&request, state.settings.max_amount, now.today())
                .map_err(|problems| AppError::Rejected { problems })?;
            let id = payments::save(
                &ctx,
                &state.db,
                id,
                version,
                &fields,
                document_card_id,
                supplier_order_id,
                now.at,
            )
            .await?;
            state.live.wake();
            auth::redirect_plain_form(&crate::domain::board::Pipeline::Payments.card_path(id));
            Ok(id)
        }
        .await,
    )
}

/// A request's card page.
#[server(prefix = "/api", endpoint = "staff/payment")]
pub async fn get_payment_request(id: i32) -> Result<PaymentPage, AppError> {
    use crate::server::repo::payments;
    crate::error::respond(
        async move {
            let (ctx, state) = super::staff().await?;
            payments::page(&ctx, &state.db, id, state.now()).await
        }
        .await,
    )
}

/// Sends request `id`, last seen at `version`, for approval: its initiator's, with its invoice.
#[server(prefix = "/api", endpoint = "staff/send_payment")]
pub async fn send_payment_request(
    id: i32,
    version: i32,
) -> Result<crate::model::moves::MovedCard, AppError> {
    use crate::domain::board::Pipeline;
    use crate::domain::payments::PaymentStage;
    use crate::domain::pipeline::StageSet;
    let result = crate::error::respond(
        crate::api::moves::move_in(
            Pipeline::Payments,
            id,
            PaymentStage::Approval.code(),
            version,
            &Default::default(),
        )
        .await,
    );
    crate::server::auth::redirect_plain_form(&crate::api::moves::move_landing(
        &result,
        None,
        &Pipeline::Payments.card_path(id),
    ));
    result
}

/// The acting approver's decision on request `id`, last seen at `version`: `approve` or
/// `reject` (a comment required).
#[server(prefix = "/api", endpoint = "staff/decide_payment")]
pub async fn decide_payment(
    id: i32,
    version: i32,
    decision: String,
    #[server(default)] comment: String,
) -> Result<crate::model::moves::MovedCard, AppError> {
    use crate::domain::board::Pipeline;
    use crate::server::repo::payments;
    let result = crate::error::respond(
        async move {
            let approve = match decision.as_str() {
                "approve" => true,
                "reject" => false,
                _ => return Err(crate::error::unknown("decision")),
            };
            let (ctx, state) = super::staff().await?;
            let moved = payments::decide(
                &ctx,
                &state.db,
                id,
                version,
                approve,
                &comment,
                state.now(),
                &state.settings.public_url,
            )
            .await?;
            state.live.wake();
            sheet_after(&moved).await;
            Ok(moved)
        }
        .await,
    );
    crate::server::auth::redirect_plain_form(&crate::api::moves::move_landing(
        &result,
        None,
        &Pipeline::Payments.card_path(id),
    ));
    result
}

/// Moves request `id`, last seen at `version`, to stage `to` from the board: send, return
/// (with a comment), approve the last step, pay (with the date). Who may make each move is
/// the request's chain's to say.
#[server(prefix = "/api", endpoint = "staff/move_payment")]
pub async fn move_payment(
    id: i32,
    to: String,
    version: i32,
    comment: Option<String>,
    paid_date: Option<String>,
    return_to: Option<String>,
) -> Result<crate::model::moves::MovedCard, AppError> {
    use crate::domain::board::Pipeline;
    let request = crate::domain::moves::MoveRequest {
        comment,
        paid_date,
        ..Default::default()
    };
    let moved = crate::api::moves::move_in(Pipeline::Payments, id, &to, version, &request).await;
    if let Ok(moved) = &moved {
        sheet_after(moved).await;
    }
    let result = crate::error::respond(moved);
    crate::server::auth::redirect_plain_form(&crate::api::moves::move_landing(
        &result,
        return_to.as_deref(),
        &Pipeline::Payments.card_path(id),
    ));
    result
}

/// Accounting's payment register: approved requests by pay-by date, urgent first, filtered by
/// counterparty and cash-flow item.
#[server(prefix = "/api", endpoint = "staff/payment_register")]
pub async fn get_payment_register(
    counterparty: Option<i32>,
    item: Option<i32>,
) -> Result<PaymentRegister, AppError> {
    use crate::server::repo::payments;
    crate::error::respond(
        async move {
            let (ctx, state) = super::staff().await?;
            let filter = RegisterFilter {
                counterparty_id: counterparty,
                cash_flow_item_id: item,
            };
            payments::register(&ctx, &state.db, filter, state.now()).await
        }
        .await,
    )
}

/// Marks the register's selection paid on `paid_date`: `pick[ID]=VERSION` for each request
/// ticked. Accounting's; each request needs its payment order attached.
#[server(prefix = "/api", endpoint = "staff/pay_payments")]
pub async fn pay_payments(
    #[server(default)] pick: std::collections::BTreeMap<String, String>,
    paid_date: String,
) -> Result<PaidSelection, AppError> {
    use crate::server::repo::payments;
    let result = crate::error::respond(
        async move {
            let (ctx, state) = super::staff().await?;
            let picks = pick
                .iter()
                .map(|(id, version)| Some((id.parse().ok()?, version.parse().ok()?)))
                .collect::<Option<Vec<(i32, i32)>>>()
                .ok_or_else(|| crate::error::unknown("pick"))?;
            let done = payments::pay_selection(
                &ctx,
                &state.db,
                &picks,
                &paid_date,
                state.now(),
                &state.settings.public_url,
            )
            .await?;
            state.live.wake();
            Ok(done)
        }
        .await,
    );
    crate::server::auth::redirect_plain_form(crate::paths::PAYMENT_REGISTER_PATH);
    result
}

/// The payments made to the signed-in supplier: date, amount, purpose, payment order.
#[server(prefix = "/api", endpoint = "cabinet/payments")]
pub async fn get_supplier_payments() -> Result<Vec<SupplierPayment>, AppError> {
    use crate::server::repo::payments;
    crate::error::respond(
        async move {
            let (ctx, state) = super::supplier().await?;
            payments::supplier_payments(&ctx, &state.db).await
        }
        .await,
    )
}

/// After the last approval: the approval sheet is made and attached. The approval stands if
/// the sheet fails (it is logged); the card offers to make it again.
#[cfg(feature = "ssr")]
async fn sheet_after(moved: &crate::model::moves::MovedCard) {
    use crate::domain::payments::PaymentStage;
    use crate::domain::pipeline::StageSet;
    if moved.stage != PaymentStage::Accounting.stage_code() {
        return;
    }
    let Ok((ctx, state)) = super::staff().await else {
        return;
    };
    if let Err(error) = crate::server::repo::payments::make_sheet(
        &ctx,
        &state.db,
        state.files.as_ref(),
        moved.card_id,
        state.now(),
    )
    .await
    {
        tracing::error!(
            ?error,
            request = moved.card_id,
            "the approval sheet was not made"
        );
    }
}

/// Makes request `id`'s approval sheet again (approved requests only).
#[server(prefix = "/api", endpoint = "staff/make_approval_sheet")]
pub async fn make_approval_sheet(id: i32) -> Result<(), AppError> {
    use crate::server::repo::payments;
    let result = crate::error::respond(
        async move {
            let (ctx, state) = super::staff().await?;
            payments::make_sheet(&ctx, &state.db, state.files.as_ref(), id, state.now()).await
        }
        .await,
    );
    crate::server::auth::redirect_plain_form(
        &crate::domain::board::Pipeline::Payments.card_path(id),
    );
    result
}
