//! File upload and download as plain axum routes beside the server functions. Server functions
//! buffer a multipart body before the function runs; these routes stream each part to storage
//! while hashing and counting it, so a 100 MiB submission costs a few kilobytes of memory and
//! a file over the limit is refused as soon as it crosses it.
use axum::Json;
use axum::extract::Request;
use axum::response::{IntoResponse, Response};
use http::{HeaderValue, StatusCode};

use crate::domain::access::Ctx;
use crate::domain::form::FieldProblem;
use crate::error::{AppError, AppResult};
use crate::server::AppState;
use crate::server::auth;

pub use crate::paths::{
    CORRECTED_FILES_PATH, DOWNLOAD_PATH, EXPORT_PATH, STAFF_FILES_PATH, UPLOAD_PATH,
};

mod downloads;
mod exports;
mod imports;
mod receive;
mod sweep;
mod uploads;

pub use downloads::*;
pub use exports::*;
pub use imports::*;
#[doc(hidden)]
pub use receive::fuzzing;
use receive::*;
pub use sweep::*;
pub use uploads::*;

/// A text field longer than this is not a form field of ours.
const MAX_TEXT_FIELD_BYTES: usize = 16 * 1024;

fn error_response(error: AppError) -> Response {
    let status = StatusCode::from_u16(error.status_code()).unwrap_or(StatusCode::BAD_REQUEST);
    (status, Json(error)).into_response()
}

fn rejected(problems: Vec<FieldProblem>) -> AppError {
    AppError::Rejected { problems }
}

/// The signed-in user and the app state for their request: a supplier's behind its
/// row-level wall.
async fn signed_in(state: &AppState, parts: &http::request::Parts) -> AppResult<(Ctx, AppState)> {
    let (ctx, record) = auth::current_user(state, parts)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    auth::refuse_when_balance_only(&record, parts.uri.path())?;
    let state = state.for_ctx(&ctx);
    Ok((ctx, state))
}

/// A plain HTML form post (JavaScript off or not loaded yet) wants a page, not JSON.
fn wants_page(request: &Request) -> bool {
    request
        .headers()
        .get(http::header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"))
}

fn see_other(location: &str) -> Response {
    match HeaderValue::from_str(location) {
        Ok(location) => {
            (StatusCode::SEE_OTHER, [(http::header::LOCATION, location)]).into_response()
        }
        Err(_) => StatusCode::BAD_REQUEST.into_response(),
    }
}

/// The answer to an upload: JSON for the page's script; for a plain form, the document on
/// success and the form again, with a notice, on refusal.
fn upload_answer(
    result: AppResult<crate::model::documents::Submitted>,
    success: StatusCode,
    plain_form: bool,
    refused_page: &str,
) -> Response {
    match (result, plain_form) {
        (Ok(submitted), true) => see_other(&format!(
            "/cabinet/documents/{}?uploaded=1",
            submitted.card_id
        )),
        (Ok(submitted), false) => (success, Json(submitted)).into_response(),
        (Err(AppError::Unauthenticated), true) => see_other("/login"),
        (Err(_), true) => see_other(refused_page),
        (Err(error), false) => error_response(error),
    }
}
