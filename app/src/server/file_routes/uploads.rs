//! The upload routes: a supplier's submission and corrected files, staff's files on a card,
//! and files of contracts, specifications, orders and tasks.
use axum::Json;
use axum::extract::{Path, Request, State};
use axum::response::{IntoResponse, Response};
use http::StatusCode;

use crate::domain::form::{FieldError, FieldProblem};
use crate::domain::upload::check_fields;
use crate::error::AppError;
use crate::server::AppState;
use crate::server::repo::files as file_rows;

use super::*;

/// `POST /api/cabinet/upload`: a new submission (fields and one or more files).
pub async fn upload(State(state): State<AppState>, request: Request) -> Response {
    let plain_form = wants_page(&request);
    let result = async {
        let (ctx, state, multipart) = multipart_of(&state, request).await?;
        let limits = state.settings.file_limits;
        let received = receive(state.files.as_ref(), multipart, limits).await?;
        let today = state.now().today();
        let fields = check_fields(&received.fields, today, state.settings.max_amount);
        let mut problems = received.problems;
        if let Err(field_problems) = &fields {
            problems.splice(0..0, field_problems.iter().cloned());
        }
        let fields = match fields {
            Ok(fields) if problems.is_empty() => fields,
            _ => return Err(rejected(problems)),
        };
        let submitted = keep_then(&state, received.files, async |stored| {
            file_rows::submit(&ctx, &state.db, &fields, stored, state.now().at).await
        })
        .await?;
        state.live.wake();
        Ok(submitted)
    }
    .await;
    upload_answer(
        result,
        StatusCode::CREATED,
        plain_form,
        "/cabinet/upload?refused=1",
    )
}

/// `POST /api/cabinet/documents/{id}/files`: corrected files for a returned document.
pub async fn add_corrected_files(
    State(state): State<AppState>,
    Path(card_id): Path<i32>,
    request: Request,
) -> Response {
    let plain_form = wants_page(&request);
    let result = async {
        let (ctx, state, multipart) = multipart_of(&state, request).await?;
        // Another counterparty's card is "not found" before a byte is stored.
        file_rows::of_card(&ctx, &state.db, card_id).await?;
        let files = receive_files(&state, multipart).await?;
        let submitted = keep_then(&state, files, async |stored| {
            file_rows::add_corrected(&ctx, &state.db, card_id, stored, state.now().at).await
        })
        .await?;
        state.live.wake();
        Ok(submitted)
    }
    .await;
    let refused_page = format!("/cabinet/documents/{card_id}?refused=1");
    upload_answer(result, StatusCode::OK, plain_form, &refused_page)
}

/// `POST /api/staff/documents/{id}/files`: staff attach files to a card, such as the payment
/// order of a paid document. A plain form goes back to the card page.
pub async fn add_staff_files(
    State(state): State<AppState>,
    Path(card_id): Path<i32>,
    request: Request,
) -> Response {
    let plain_form = wants_page(&request);
    let result = async {
        let (ctx, state, multipart) = multipart_from(&state, request, true).await?;
        file_rows::of_card(&ctx, &state.db, card_id).await?;
        let files = receive_files(&state, multipart).await?;
        if files.is_empty() {
            return Err(rejected(vec![FieldProblem::submission(
                FieldError::NoFiles,
            )]));
        }
        let submitted = keep_then(&state, files, async |stored| {
            file_rows::attach_by_staff(&ctx, &state.db, card_id, stored, state.now().at).await
        })
        .await?;
        state.live.wake();
        Ok(submitted)
    }
    .await;
    let card_page = format!("/staff/documents/{card_id}");
    match (result, plain_form) {
        (Ok(_), true) => see_other(&card_page),
        (Ok(submitted), false) => (StatusCode::OK, Json(submitted)).into_response(),
        (Err(AppError::Unauthenticated), true) => see_other("/login"),
        (Err(_), true) => see_other(&format!("{card_page}?refused=1")),
        (Err(error), false) => error_response(error),
    }
}

/// `POST /api/items/{kind}/{id}/files`: files of a contract, specification or order (staff),
/// or of a task (staff, or the supplier answering it). A plain form goes back to its page.
pub async fn add_item_files(
    State(state): State<AppState>,
    Path((kind, id)): Path<(String, i32)>,
    request: Request,
) -> Response {
    use crate::server::repo::item_files;
    let plain_form = wants_page(&request);
    let result = async {
        let (parts, body) = request.into_parts();
        let (ctx, state) = signed_in(&state, &parts).await?;
        let owner = crate::domain::files::FileOwner::from_code(&kind).ok_or(AppError::NotFound)?;
        // Another counterparty's object is "not found" before a byte is stored.
        item_files::owner_in_scope(&ctx, &state.db, owner, id).await?;
        if !item_files::may_attach(&ctx, owner) {
            return Err(AppError::Forbidden);
        }
        let multipart = multipart_of_parts(parts, body).await?;
        let files = receive_files(&state, multipart).await?;
        keep_then(&state, files, async |stored| {
            item_files::attach(&ctx, &state.db, owner, id, stored, state.now().at).await
        })
        .await?;
        Ok((ctx, owner))
    }
    .await;
    match (result, plain_form) {
        (Ok((ctx, owner)), true) => see_other(&owner.page(ctx.role.is_staff(), id)),
        (Ok(_), false) => StatusCode::OK.into_response(),
        (Err(AppError::Unauthenticated), true) => see_other("/login"),
        (Err(_), true) => see_other("/"),
        (Err(error), false) => error_response(error),
    }
}
