//! The ledger's imports from the accounting system: an accountant's CSV/XLSX upload
//! (`POST /api/staff/ledger_import`, multipart, field `file`) and the integrations' JSON API
//! (`POST /api/import/ledger` with `Authorization: Bearer <token>`), described in
//! `openapi.yaml`, served at `/api/openapi.yaml`. Both answer with the import's report:
//! 200 stored (or nothing new), 422 refused with every problem by line and column.
use axum::Json;
use axum::extract::{Request, State};
use axum::response::{IntoResponse, Response};
use http::StatusCode;

use crate::domain::api_tokens::{TokenScope, bearer};
use crate::domain::form::{FieldError, FieldProblem};
use crate::domain::ledger_import::{ApiImport, api_table};
use crate::error::{AppError, AppResult};
use crate::model::ledger_import::ImportReport;
use crate::server::AppState;
use crate::server::repo::ledger_import::{self, Importer};

use super::*;

pub use crate::domain::api_tokens::{LEDGER_IMPORT_API_PATH, OPENAPI_PATH};
pub use crate::paths::{LEDGER_IMPORT_PAGE, LEDGER_UPLOAD_PATH};

/// The import API's description, as integrators read it.
pub const OPENAPI_YAML: &str = include_str!("../../../openapi.yaml");

fn report_answer(report: ImportReport) -> Response {
    let status = if report.refused {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    (status, Json(report)).into_response()
}

/// `POST /api/staff/ledger_import`: a CSV or XLSX file (field `file`) from an accountant or
/// an admin. A plain form goes back to the import page, showing the import's report.
pub async fn upload_ledger(State(state): State<AppState>, request: Request) -> Response {
    let plain_form = wants_page(&request);
    let result = async {
        let (parts, body) = request.into_parts();
        let (ctx, state) = signed_in(&state, &parts).await?;
        ctx.require_accounting()?;
        let mut multipart = multipart_of_parts(parts, body).await?;
        let limit = state.settings.file_limits.max_file_bytes;
        let mut file: Option<(String, Vec<u8>)> = None;
        while let Some(mut field) = multipart.next_field().await.map_err(incomplete)? {
            if field.name() != Some("file") {
                continue;
            }
            let name = crate::domain::upload::clean_file_name(field.file_name().unwrap_or(""));
            let mut bytes = Vec::new();
            while let Some(chunk) = field.chunk().await.map_err(incomplete)? {
                if (bytes.len() + chunk.len()) as u64 > limit {
                    return Err(rejected(vec![FieldProblem::field(
                        "file",
                        FieldError::File(crate::domain::files::FileRejection::TooBig),
                    )]));
                }
                bytes.extend_from_slice(&chunk);
            }
            file = Some((name, bytes));
        }
        let Some((name, bytes)) = file.filter(|(_, b)| !b.is_empty()) else {
            return Err(rejected(vec![FieldProblem::field(
                "file",
                FieldError::NoFiles,
            )]));
        };
        let table = crate::server::spreadsheets::read_upload(&bytes)
            .map_err(|error| rejected(vec![FieldProblem::field("file", error)]))?;
        drop(bytes);
        ledger_import::import(
            Importer::Staff(&ctx),
            &state.db,
            &name,
            &table,
            state.settings.max_amount,
            state.now(),
        )
        .await
    }
    .await;
    match (result, plain_form) {
        (Ok(report), true) => see_other(&format!("{LEDGER_IMPORT_PAGE}?report={}", report.id)),
        (Ok(report), false) => report_answer(report),
        (Err(AppError::Unauthenticated), true) => see_other("/login"),
        (Err(_), true) => see_other(&format!("{LEDGER_IMPORT_PAGE}?refused=1")),
        (Err(error), false) => error_response(error),
    }
}

/// `POST /api/import/ledger`: entries as JSON from an integration with a ledger-import token.
/// A missing, wrong or revoked token is 401; a token of another scope is 403.
pub async fn import_ledger_api(State(state): State<AppState>, request: Request) -> Response {
    let result: AppResult<ImportReport> = async {
        let token = request
            .headers()
            .get(http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(bearer)
            .ok_or(AppError::Unauthenticated)?
            .to_owned();
        let token =
            ledger_import::authenticate(&state.db, &token, TokenScope::LedgerImport).await?;
        let limit =
            usize::try_from(state.settings.file_limits.max_file_bytes).unwrap_or(usize::MAX);
        let body = axum::body::to_bytes(request.into_body(), limit)
            .await
            .map_err(|_| rejected(vec![FieldProblem::submission(FieldError::SubmissionTooBig)]))?;
        let entries: ApiImport = serde_json::from_slice(&body).map_err(|error| {
            AppError::Request(format!("the body is not the import's JSON: {error}"))
        })?;
        drop(body);
        let name = format!("API: {}", token.name);
        ledger_import::import(
            Importer::Token(&token),
            &state.db,
            &name,
            &api_table(&entries),
            state.settings.max_amount,
            state.now(),
        )
        .await
    }
    .await;
    match result {
        Ok(report) => report_answer(report),
        Err(AppError::Unauthenticated) => (
            StatusCode::UNAUTHORIZED,
            [(http::header::WWW_AUTHENTICATE, "Bearer")],
            Json(AppError::Unauthenticated),
        )
            .into_response(),
        Err(error) => error_response(error),
    }
}

/// `GET /api/openapi.yaml`: the import API's description.
pub async fn openapi() -> Response {
    (
        [(
            http::header::CONTENT_TYPE,
            "application/yaml; charset=utf-8",
        )],
        OPENAPI_YAML,
    )
        .into_response()
}
