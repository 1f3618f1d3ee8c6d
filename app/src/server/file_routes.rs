//! File upload and download as plain axum routes beside the server functions. Server functions
//! buffer a multipart body before the function runs; these routes stream each part to storage
//! while hashing and counting it, so a 100 MiB submission costs a few kilobytes of memory and
//! a file over the limit is refused as soon as it crosses it.
use axum::Json;
use axum::body::Body;
use axum::extract::{FromRequest, Multipart, Path, Query, Request, State};
use axum::response::{IntoResponse, Response};
use http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_LENGTH, CONTENT_TYPE};
use http::{HeaderValue, StatusCode};
use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt as _;

use super::AppState;
use super::auth;
use super::repo::{audit, files as file_rows};
use super::storage::PendingFile;
use crate::domain::access::Ctx;
use crate::domain::files::{FileLimits, SNIFF_BYTES, accept_file, content_disposition};
use crate::domain::form::{FieldError, FieldProblem};
use crate::domain::upload::{
    MAX_FILES_PER_SUBMISSION, RawUploadFields, check_fields, clean_file_name,
};
use crate::error::{AppError, AppResult};

pub use crate::paths::{
    CORRECTED_FILES_PATH, DOWNLOAD_PATH, EXPORT_PATH, STAFF_FILES_PATH, UPLOAD_PATH,
};

/// A text field longer than this is not a form field of ours.
const MAX_TEXT_FIELD_BYTES: usize = 16 * 1024;

fn error_response(error: AppError) -> Response {
    let status = StatusCode::from_u16(error.status_code()).unwrap_or(StatusCode::BAD_REQUEST);
    (status, Json(error)).into_response()
}

fn rejected(problems: Vec<FieldProblem>) -> AppError {
    AppError::Rejected { problems }
}

async fn signed_in(state: &AppState, parts: &http::request::Parts) -> AppResult<Ctx> {
    auth::current_user(state, parts)
        .await?
        .map(|(ctx, _)| ctx)
        .ok_or(AppError::Unauthenticated)
}

/// A file part received in full and checked.
struct ReceivedFile {
    pending: PendingFile,
    stored: file_rows::StoredFile,
}

/// What a multipart body held: text fields, accepted files and every problem found.
#[derive(Default)]
struct Received {
    fields: RawUploadFields,
    files: Vec<ReceivedFile>,
    problems: Vec<FieldProblem>,
}

fn incomplete(err: axum::extract::multipart::MultipartError) -> AppError {
    tracing::info!(error = %err, "multipart body refused");
    rejected(vec![FieldProblem::submission(FieldError::Incomplete)])
}

fn storage_error(err: std::io::Error) -> AppError {
    tracing::error!(error = %err, "file storage failed");
    AppError::Internal
}

/// Reads the body part by part. Files go to temporary storage as they arrive; a problem with
/// one file is noted and the rest still read, so the user hears about every file at once. The
/// whole body is capped by `limits.max_request_bytes`, counted here.
async fn receive(
    state: &AppState,
    mut multipart: Multipart,
    limits: FileLimits,
) -> AppResult<Received> {
    let mut received = Received::default();
    let mut total: u64 = 0;
    let too_big = || rejected(vec![FieldProblem::submission(FieldError::SubmissionTooBig)]);
    while let Some(mut field) = multipart.next_field().await.map_err(incomplete)? {
        let name = field.name().unwrap_or_default().to_owned();
        if name != "files" {
            let mut text = Vec::new();
            while let Some(chunk) = field.chunk().await.map_err(incomplete)? {
                total += chunk.len() as u64;
                if total > limits.max_request_bytes {
                    return Err(too_big());
                }
                if text.len() + chunk.len() > MAX_TEXT_FIELD_BYTES {
                    return Err(rejected(vec![FieldProblem::field(
                        &name,
                        FieldError::TooLong(MAX_TEXT_FIELD_BYTES),
                    )]));
                }
                text.extend_from_slice(&chunk);
            }
            received
                .fields
                .set(&name, String::from_utf8_lossy(&text).into_owned());
            continue;
        }

        let sent_name = field.file_name().unwrap_or_default().to_owned();
        let file_name = clean_file_name(&sent_name);
        let mut pending = state.files.create().await.map_err(storage_error)?;
        let mut hasher = Sha256::new();
        let mut head = Vec::with_capacity(SNIFF_BYTES);
        let mut size: u64 = 0;
        while let Some(chunk) = field.chunk().await.map_err(incomplete)? {
            total += chunk.len() as u64;
            if total > limits.max_request_bytes {
                return Err(too_big());
            }
            size += chunk.len() as u64;
            if size > limits.max_file_bytes {
                // Keep reading (and counting) to reach the next part, but store no more.
                continue;
            }
            if head.len() < SNIFF_BYTES {
                let wanted = (SNIFF_BYTES - head.len()).min(chunk.len());
                head.extend_from_slice(&chunk[..wanted]);
            }
            hasher.update(&chunk);
            pending
                .writer
                .write_all(&chunk)
                .await
                .map_err(storage_error)?;
        }
        // A form with no file chosen still sends one empty, nameless part.
        if sent_name.is_empty() && size == 0 {
            continue;
        }
        match accept_file(size, &head, limits) {
            Ok(file_type) => {
                received.files.push(ReceivedFile {
                    pending,
                    stored: file_rows::StoredFile {
                        sha256: format!("{:x}", hasher.finalize()),
                        original_name: file_name,
                        mime: file_type.mime(),
                        size_bytes: size,
                    },
                });
            }
            Err(rejection) => received
                .problems
                .push(FieldProblem::file(&file_name, rejection)),
        }
    }
    let file_count = received.files.len()
        + received
            .problems
            .iter()
            .filter(|p| matches!(p.subject, crate::domain::form::Subject::File(_)))
            .count();
    if file_count == 0 {
        received
            .problems
            .push(FieldProblem::submission(FieldError::NoFiles));
    } else if file_count > MAX_FILES_PER_SUBMISSION {
        received
            .problems
            .push(FieldProblem::submission(FieldError::TooManyFiles(
                MAX_FILES_PER_SUBMISSION,
            )));
    }
    Ok(received)
}

/// Moves the received files to their permanent names. Returns what the rows need and the
/// objects that are new, to remove again if the database refuses the rows.
async fn keep_all(
    state: &AppState,
    files: Vec<ReceivedFile>,
) -> AppResult<(Vec<file_rows::StoredFile>, Vec<String>)> {
    let mut stored = Vec::with_capacity(files.len());
    let mut fresh = Vec::new();
    for file in files {
        let sha256 = file.stored.sha256.clone();
        if state
            .files
            .keep(file.pending, &sha256)
            .await
            .map_err(storage_error)?
        {
            fresh.push(sha256);
        }
        stored.push(file.stored);
    }
    Ok((stored, fresh))
}

/// After a failed commit: new objects no row points at go again.
async fn forget_objects(state: &AppState, fresh: &[String]) {
    for sha256 in fresh {
        if let Ok(false) = file_rows::is_referenced(&state.db, sha256).await
            && let Err(err) = state.files.remove(sha256).await
        {
            tracing::warn!(error = %err, sha256, "could not remove an unused object");
        }
    }
}

async fn multipart_of(state: &AppState, request: Request) -> AppResult<(Ctx, Multipart)> {
    multipart_from(state, request, false).await
}

/// The signed-in user (staff or a supplier, as `staff` says) and the request's parts.
async fn multipart_from(
    state: &AppState,
    request: Request,
    staff: bool,
) -> AppResult<(Ctx, Multipart)> {
    let (parts, body) = request.into_parts();
    let ctx = signed_in(state, &parts).await?;
    if staff {
        ctx.require_staff()?;
    } else {
        ctx.require_supplier()?;
    }
    let multipart = Multipart::from_request(Request::from_parts(parts, body), &())
        .await
        .map_err(|_| rejected(vec![FieldProblem::submission(FieldError::Incomplete)]))?;
    Ok((ctx, multipart))
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

/// `POST /api/cabinet/upload`: a new submission (fields and one or more files).
pub async fn upload(State(state): State<AppState>, request: Request) -> Response {
    let plain_form = wants_page(&request);
    let result = async {
        let (ctx, multipart) = multipart_of(&state, request).await?;
        let limits = state.settings.file_limits;
        let received = receive(&state, multipart, limits).await?;
        let today = state.now().today();
        let fields = check_fields(&received.fields, today);
        let mut problems = received.problems;
        if let Err(field_problems) = &fields {
            problems.splice(0..0, field_problems.iter().cloned());
        }
        let fields = match fields {
            Ok(fields) if problems.is_empty() => fields,
            _ => return Err(rejected(problems)),
        };
        let (stored, fresh) = keep_all(&state, received.files).await?;
        match file_rows::submit(&ctx, &state.db, &fields, &stored, state.now().at).await {
            Ok(submitted) => {
                state.live.wake();
                Ok(submitted)
            }
            Err(err) => {
                forget_objects(&state, &fresh).await;
                Err(err)
            }
        }
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
        let (ctx, multipart) = multipart_of(&state, request).await?;
        // Another counterparty's card is "not found" before a byte is stored.
        file_rows::of_card(&ctx, &state.db, card_id).await?;
        let received = receive(&state, multipart, state.settings.file_limits).await?;
        if !received.problems.is_empty() {
            return Err(rejected(received.problems));
        }
        let (stored, fresh) = keep_all(&state, received.files).await?;
        match file_rows::add_corrected(&ctx, &state.db, card_id, &stored, state.now().at).await {
            Ok(submitted) => {
                state.live.wake();
                Ok(submitted)
            }
            Err(err) => {
                forget_objects(&state, &fresh).await;
                Err(err)
            }
        }
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
        let (ctx, multipart) = multipart_from(&state, request, true).await?;
        file_rows::of_card(&ctx, &state.db, card_id).await?;
        let received = receive(&state, multipart, state.settings.file_limits).await?;
        if !received.problems.is_empty() {
            return Err(rejected(received.problems));
        }
        if received.files.is_empty() {
            return Err(rejected(vec![FieldProblem::submission(
                FieldError::NoFiles,
            )]));
        }
        let (stored, fresh) = keep_all(&state, received.files).await?;
        match file_rows::attach_by_staff(&ctx, &state.db, card_id, &stored, state.now().at).await {
            Ok(submitted) => {
                state.live.wake();
                Ok(submitted)
            }
            Err(err) => {
                forget_objects(&state, &fresh).await;
                Err(err)
            }
        }
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

#[derive(Debug, Default, serde::Deserialize)]
pub struct DownloadQuery {
    /// `1`: save rather than open in the browser.
    #[serde(default)]
    pub download: Option<String>,
}

/// Types a browser shows by itself; everything else is always saved.
fn opens_inline(mime: &str) -> bool {
    mime == "application/pdf" || mime.starts_with("image/") && mime != "image/heic"
}

/// `GET /files/{id}`: a file under its original name, to whoever may see its card.
pub async fn download(
    State(state): State<AppState>,
    Path(file_id): Path<i32>,
    Query(query): Query<DownloadQuery>,
    request: Request,
) -> Response {
    let result = async {
        let (parts, _) = request.into_parts();
        let ctx = signed_in(&state, &parts).await?;
        let file = file_rows::find(&ctx, &state.db, file_id).await?;
        if ctx.role.is_staff() {
            audit::record(
                &state.db,
                Some(ctx.user_id),
                "file_downloaded",
                &format!("file {} card {}", file.id, file.card_id),
            )
            .await?;
        }
        let inline = opens_inline(&file.mime) && query.download.as_deref() != Some("1");
        file_response(
            &state,
            &file.sha256,
            &file.mime,
            &file.original_name,
            inline,
        )
        .await
    }
    .await;
    result.unwrap_or_else(error_response)
}

/// A stored object streamed under its original name: shown in the browser (`inline`) or saved.
async fn file_response(
    state: &AppState,
    sha256: &str,
    mime: &str,
    name: &str,
    inline: bool,
) -> AppResult<Response> {
    let (reader, size) = state.files.open(sha256).await.map_err(|err| {
        tracing::error!(error = %err, sha256, "stored object missing");
        AppError::NotFound
    })?;
    let mut response = Response::new(Body::from_stream(tokio_util::io::ReaderStream::new(reader)));
    let headers = response.headers_mut();
    let header = |value: &str| HeaderValue::from_str(value).map_err(|_| AppError::Internal);
    headers.insert(CONTENT_TYPE, header(mime)?);
    headers.insert(CONTENT_LENGTH, HeaderValue::from(size));
    headers.insert(
        CONTENT_DISPOSITION,
        header(&content_disposition(name, inline))?,
    );
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    if inline {
        // The staff card page previews PDFs and images in a frame of its own origin.
        headers.insert(
                http::header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static("default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'"),
            );
        headers.insert(
            http::header::X_FRAME_OPTIONS,
            HeaderValue::from_static("SAMEORIGIN"),
        );
    }
    Ok(response)
}

/// `POST /api/items/{kind}/{id}/files`: files of a contract, specification or order (staff),
/// or of a task (staff, or the supplier answering it). A plain form goes back to its page.
pub async fn add_item_files(
    State(state): State<AppState>,
    Path((kind, id)): Path<(String, i32)>,
    request: Request,
) -> Response {
    use super::repo::item_files;
    let plain_form = wants_page(&request);
    let result = async {
        let (parts, body) = request.into_parts();
        let ctx = signed_in(&state, &parts).await?;
        // Another counterparty's object is "not found" before a byte is stored.
        item_files::owner_in_scope(&ctx, &state.db, &kind, id).await?;
        if !item_files::may_attach(&ctx, &kind) {
            return Err(AppError::Forbidden);
        }
        let multipart = Multipart::from_request(Request::from_parts(parts, body), &())
            .await
            .map_err(|_| rejected(vec![FieldProblem::submission(FieldError::Incomplete)]))?;
        let received = receive(&state, multipart, state.settings.file_limits).await?;
        if !received.problems.is_empty() {
            return Err(rejected(received.problems));
        }
        let (stored, fresh) = keep_all(&state, received.files).await?;
        match item_files::attach(&ctx, &state.db, &kind, id, &stored, state.now().at).await {
            Ok(()) => Ok(ctx),
            Err(err) => {
                forget_objects(&state, &fresh).await;
                Err(err)
            }
        }
    }
    .await;
    let page = |ctx: Option<&Ctx>| {
        let staff = ctx.is_none_or(|c| c.role.is_staff());
        match (kind.as_str(), staff) {
            ("task", _) => crate::paths::task_path(
                ctx.map(|c| c.role)
                    .unwrap_or(crate::domain::access::Role::Supplier),
                id,
            ),
            ("order", true) => format!("/staff/orders/{id}"),
            ("order", false) => format!("/cabinet/orders/{id}"),
            (other, true) => format!("/staff/{other}s/{id}"),
            (other, false) => format!("/cabinet/{other}s/{id}"),
        }
    };
    match (result, plain_form) {
        (Ok(ctx), true) => see_other(&page(Some(&ctx))),
        (Ok(_), false) => StatusCode::OK.into_response(),
        (Err(AppError::Unauthenticated), true) => see_other("/login"),
        (Err(_), true) => see_other("/"),
        (Err(error), false) => error_response(error),
    }
}

/// `GET /item-files/{id}`: a file of a contract, specification, order or task, to whoever may
/// see its owner.
pub async fn download_item(
    State(state): State<AppState>,
    Path(file_id): Path<i32>,
    Query(query): Query<DownloadQuery>,
    request: Request,
) -> Response {
    let result = async {
        let (parts, _) = request.into_parts();
        let ctx = signed_in(&state, &parts).await?;
        let file = super::repo::item_files::find(&ctx, &state.db, file_id).await?;
        if ctx.role.is_staff() {
            audit::record(
                &state.db,
                Some(ctx.user_id),
                "file_downloaded",
                &format!(
                    "item file {} of {} {}",
                    file.id, file.owner_kind, file.owner_id
                ),
            )
            .await?;
        }
        let inline = opens_inline(&file.mime) && query.download.as_deref() != Some("1");
        file_response(
            &state,
            &file.sha256,
            &file.mime,
            &file.original_name,
            inline,
        )
        .await
    }
    .await;
    result.unwrap_or_else(error_response)
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct ExportQuery {
    #[serde(default)]
    pub from: Option<String>,
    #[serde(default)]
    pub to: Option<String>,
}

/// `GET /api/staff/counterparties/{id}/export?from=…&to=…`: every file of the counterparty's
/// documents dated in the period, as one ZIP written while it is sent (a folder per document,
/// files stored as they are: PDFs and photos do not compress).
pub async fn export_counterparty(
    State(state): State<AppState>,
    Path(counterparty_id): Path<i32>,
    Query(query): Query<ExportQuery>,
    request: Request,
) -> Response {
    let result = async {
        let (parts, _) = request.into_parts();
        let ctx = signed_in(&state, &parts).await?;
        ctx.require_staff()?;
        let period = crate::domain::documents::document_query(
            None,
            query.from.as_deref(),
            query.to.as_deref(),
            None,
            None,
        )
        .map_err(|err| crate::error::invalid(err.field(), err.into()))?;
        let (name, files) =
            file_rows::for_export(&ctx, &state.db, counterparty_id, period.from, period.to).await?;
        audit::record(
            &state.db,
            Some(ctx.user_id),
            "counterparty_exported",
            &format!(
                "counterparty {counterparty_id} from {:?} to {:?}: {} files",
                period.from,
                period.to,
                files.len()
            ),
        )
        .await?;
        let archive_name = match (period.from, period.to) {
            (Some(from), Some(to)) => format!("{name} {from} — {to}.zip"),
            (Some(from), None) => format!("{name} from {from}.zip"),
            (None, Some(to)) => format!("{name} to {to}.zip"),
            (None, None) => format!("{name}.zip"),
        };
        zip_response(&state, &archive_name, files)
    }
    .await;
    result.unwrap_or_else(error_response)
}

/// `GET /api/staff/deals/{id}/export`: every file of the deal's contracts, specifications and
/// orders as one ZIP, each in a folder named by the paper's date and number.
pub async fn export_deal(
    State(state): State<AppState>,
    Path(deal_id): Path<i32>,
    request: Request,
) -> Response {
    let result = async {
        let (parts, _) = request.into_parts();
        let ctx = signed_in(&state, &parts).await?;
        let (archive_name, files) = super::repo::item_files::for_deal_export(
            &ctx,
            &state.db,
            deal_id,
            state.settings.company_zone,
        )
        .await?;
        audit::record(
            &state.db,
            Some(ctx.user_id),
            "deal_exported",
            &format!("deal {deal_id}: {} files", files.len()),
        )
        .await?;
        zip_response(&state, &archive_name, files)
    }
    .await;
    result.unwrap_or_else(error_response)
}

/// A ZIP streamed while it is written.
fn zip_response(
    state: &AppState,
    archive_name: &str,
    files: Vec<file_rows::ExportFile>,
) -> AppResult<Response> {
    let (writer, reader) = tokio::io::duplex(256 * 1024);
    tokio::spawn(write_zip(state.files.clone(), files, writer));
    let mut response = Response::new(Body::from_stream(tokio_util::io::ReaderStream::new(reader)));
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/zip"));
    headers.insert(
        CONTENT_DISPOSITION,
        HeaderValue::from_str(&content_disposition(archive_name, false))
            .map_err(|_| AppError::Internal)?,
    );
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    Ok(response)
}

/// Writes the archive into `out` entry by entry; a failure mid-way cuts the download short
/// (the browser reports it) and is logged.
async fn write_zip(
    store: std::sync::Arc<dyn super::storage::FileStore>,
    files: Vec<file_rows::ExportFile>,
    out: tokio::io::DuplexStream,
) {
    use async_zip::base::write::ZipFileWriter;
    use async_zip::{Compression, ZipEntryBuilder};
    use tokio_util::compat::FuturesAsyncWriteCompatExt as _;

    let items: Vec<_> = files.iter().map(|f| f.item.clone()).collect();
    let names = crate::domain::files::export_entry_names(&items);
    let mut zip = ZipFileWriter::with_tokio(out);
    for (file, name) in files.iter().zip(names) {
        let written = async {
            let (mut reader, _) = store.open(&file.sha256).await?;
            let entry = ZipEntryBuilder::new(name.into(), Compression::Stored);
            let mut entry_writer = zip
                .write_entry_stream(entry)
                .await
                .map_err(std::io::Error::other)?
                .compat_write();
            tokio::io::copy(&mut reader, &mut entry_writer).await?;
            entry_writer
                .into_inner()
                .close()
                .await
                .map_err(std::io::Error::other)
        }
        .await;
        if let Err(err) = written {
            tracing::error!(error = %err, sha256 = %file.sha256, "export cut short");
            return;
        }
    }
    if let Err(err) = zip.close().await {
        tracing::warn!(error = %err, "export archive not finished (client gone?)");
    }
}

/// At start: temporary files of uploads a stopped process left are removed, and so are
/// objects no file row points at (kept just before a commit that never happened).
pub async fn sweep_at_start(state: &AppState) -> AppResult<()> {
    let temporary = state.files.sweep_temporary().await.map_err(storage_error)?;
    let referenced = file_rows::referenced_objects(&state.db).await?;
    let mut orphans = 0;
    for name in state.files.object_names().await.map_err(storage_error)? {
        if !referenced.contains(&name) {
            state.files.remove(&name).await.map_err(storage_error)?;
            orphans += 1;
        }
    }
    if temporary + orphans > 0 {
        tracing::info!(temporary, orphans, "removed files of unfinished uploads");
    }
    Ok(())
}
