//! Receiving a multipart body: each file streamed to temporary storage while hashed, counted
//! and checked, then kept under its hash, and forgotten again if the rows are not committed.
use axum::body::Body;
use axum::extract::{FromRequest, Multipart, Request};
use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt as _;

use crate::domain::access::Ctx;
use crate::domain::files::{FileLimits, SNIFF_BYTES, accept_file};
use crate::domain::form::{FieldError, FieldProblem};
use crate::domain::upload::{MAX_FILES_PER_SUBMISSION, RawUploadFields, clean_file_name};
use crate::error::{AppError, AppResult};
use crate::server::AppState;
use crate::server::repo::files as file_rows;
use crate::server::storage::{FileStore, PendingFile};

use super::*;

/// A file part received in full and checked.
pub(super) struct ReceivedFile {
    pending: PendingFile,
    stored: file_rows::StoredFile,
}

/// What a multipart body held: text fields, accepted files and every problem found.
#[derive(Default)]
pub(super) struct Received {
    pub fields: RawUploadFields,
    pub files: Vec<ReceivedFile>,
    pub problems: Vec<FieldProblem>,
}

pub(super) fn incomplete(err: axum::extract::multipart::MultipartError) -> AppError {
    tracing::info!(error = %err, "multipart body refused");
    rejected(vec![FieldProblem::submission(FieldError::Incomplete)])
}

pub(super) fn storage_error(err: std::io::Error) -> AppError {
    tracing::error!(error = %err, "file storage failed");
    AppError::Internal
}

/// Reads the body part by part. Files go to temporary storage as they arrive; a problem with
/// one file is noted and the rest still read, so the user hears about every file at once. The
/// whole body is capped by `limits.max_request_bytes`, counted here.
pub(super) async fn receive(
    store: &dyn FileStore,
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
        // The part over the limit is refused as it begins: a body of thousands of tiny parts
        // is not read (nor stored) to its end first.
        if file_parts(&received) >= MAX_FILES_PER_SUBMISSION {
            return Err(rejected(vec![FieldProblem::submission(
                FieldError::TooManyFiles(MAX_FILES_PER_SUBMISSION),
            )]));
        }
        // Made at the first byte: an empty part stores nothing.
        let mut pending: Option<PendingFile> = None;
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
            let file = match &mut pending {
                Some(file) => file,
                None => pending.insert(store.create().await.map_err(storage_error)?),
            };
            file.writer.write_all(&chunk).await.map_err(storage_error)?;
        }
        // A form with no file chosen still sends one empty, nameless part.
        if sent_name.is_empty() && size == 0 {
            continue;
        }
        match (accept_file(size, &head, limits), pending) {
            (Ok(file_type), Some(mut pending)) => {
                pending.finish().await.map_err(storage_error)?;
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
            (Err(rejection), _) => received
                .problems
                .push(FieldProblem::file(&file_name, rejection)),
            // Accepted with no byte stored cannot be: an empty file is refused above.
            (Ok(_), None) => {
                return Err(AppError::Internal);
            }
        }
    }
    let file_count = file_parts(&received);
    if file_count == 0 {
        received
            .problems
            .push(FieldProblem::submission(FieldError::NoFiles));
    }
    Ok(received)
}

/// The file parts read so far: accepted or refused.
fn file_parts(received: &Received) -> usize {
    received.files.len()
        + received
            .problems
            .iter()
            .filter(|p| matches!(p.subject, crate::domain::form::Subject::File(_)))
            .count()
}

/// Moves the received files to their permanent names. Returns what the rows need and the
/// objects that are new, to remove again if the database refuses the rows.
pub(super) async fn keep_all(
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

/// Keeps the received files and runs `commit` with them (their rows, in one transaction); when
/// it fails, the objects only it would have pointed at go again. Every upload route stores so.
pub(super) async fn keep_then<T>(
    state: &AppState,
    files: Vec<ReceivedFile>,
    commit: impl AsyncFnOnce(&[file_rows::StoredFile]) -> AppResult<T>,
) -> AppResult<T> {
    let (stored, fresh) = keep_all(state, files).await?;
    let result = commit(&stored).await;
    if result.is_err() {
        forget_objects(state, &fresh).await;
    }
    result
}

/// The files of a body that must hold nothing else wrong.
pub(super) async fn receive_files(
    state: &AppState,
    multipart: Multipart,
) -> AppResult<Vec<ReceivedFile>> {
    let received = receive(state.files.as_ref(), multipart, state.settings.file_limits).await?;
    if !received.problems.is_empty() {
        return Err(rejected(received.problems));
    }
    Ok(received.files)
}

/// After a failed commit: new objects no row points at go again. On a store several servers
/// share, another server's upload of the same content may be about to commit a row pointing
/// at one: the sweep removes them once they are older than its grace instead.
pub(super) async fn forget_objects(state: &AppState, fresh: &[String]) {
    if state.files.sweep_grace() > chrono::TimeDelta::zero() {
        return;
    }
    for sha256 in fresh {
        // Every counterparty's rows: another's file may hold the same content.
        if let Ok(false) = file_rows::is_referenced(&state.db.unwalled(), sha256).await
            && let Err(err) = state.files.remove(sha256).await
        {
            tracing::warn!(error = %err, sha256, "could not remove an unused object");
        }
    }
}

pub(super) async fn multipart_of(
    state: &AppState,
    request: Request,
) -> AppResult<(Ctx, AppState, Multipart)> {
    multipart_from(state, request, false).await
}

/// The signed-in user (staff or a supplier, as `staff` says) and the request's parts.
pub(super) async fn multipart_from(
    state: &AppState,
    request: Request,
    staff: bool,
) -> AppResult<(Ctx, AppState, Multipart)> {
    let (parts, body) = request.into_parts();
    let (ctx, state) = signed_in(state, &parts).await?;
    if staff {
        ctx.require_staff()?;
    } else {
        ctx.require_supplier()?;
    }
    Ok((ctx, state, multipart_of_parts(parts, body).await?))
}

/// The request's body as multipart; a body that is not one is an incomplete submission.
pub(super) async fn multipart_of_parts(
    parts: http::request::Parts,
    body: Body,
) -> AppResult<Multipart> {
    Multipart::from_request(Request::from_parts(parts, body), &())
        .await
        .map_err(|_| rejected(vec![FieldProblem::submission(FieldError::Incomplete)]))
}

/// What the receiver made of a body, for the fuzz target (`app/fuzz`): the same code path as
/// an upload, against any store, with no database.
#[doc(hidden)]
pub mod fuzzing {
    use super::*;

    /// The outcome of one body: how many files were accepted, how many problems were noted,
    /// or the error the route would answer.
    #[derive(Debug)]
    pub struct Outcome {
        pub files: usize,
        pub problems: usize,
        pub bytes_accepted: u64,
    }

    /// Feeds `body` to the receiver as a multipart body with `boundary`.
    pub async fn receive_body(
        store: &dyn FileStore,
        boundary: &str,
        body: Vec<u8>,
        limits: FileLimits,
    ) -> AppResult<Outcome> {
        let request = Request::builder()
            .method("POST")
            .header(
                http::header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(Body::from(body))
            .map_err(|_| AppError::Internal)?;
        let (parts, body) = request.into_parts();
        let multipart = multipart_of_parts(parts, body).await?;
        let received = receive(store, multipart, limits).await?;
        Ok(Outcome {
            files: received.files.len(),
            problems: received.problems.len(),
            bytes_accepted: received.files.iter().map(|f| f.stored.size_bytes).sum(),
        })
    }
}
