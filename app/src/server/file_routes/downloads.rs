//! The download routes: a document's file and an item's file, to whoever may see their card.
use axum::body::Body;
use axum::extract::{Path, Query, Request, State};
use axum::response::Response;
use http::HeaderValue;
use http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_LENGTH, CONTENT_TYPE};

use crate::domain::files::content_disposition;
use crate::error::{AppError, AppResult};
use crate::server::AppState;
use crate::server::repo::{audit, files as file_rows};

use super::*;

#[derive(Debug, Default, serde::Deserialize)]
pub struct DownloadQuery {
    /// `1`: save rather than open in the browser.
    #[serde(default)]
    pub download: Option<String>,
}

/// Types a browser shows by itself; everything else is always saved.
impl DownloadQuery {
    /// `?download=1`: saved, even what the browser could show.
    fn wants_download(&self) -> bool {
        self.download.as_deref() == Some("1")
    }
}

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
        let (ctx, state) = signed_in(&state, &parts).await?;
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
        let inline = opens_inline(&file.mime) && !query.wants_download();
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
        header(&content_disposition(
            &crate::domain::files::saved_name(name, mime),
            inline,
        ))?,
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
        let (ctx, state) = signed_in(&state, &parts).await?;
        let file = crate::server::repo::item_files::find(&ctx, &state.db, file_id).await?;
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
        let inline = opens_inline(&file.mime) && !query.wants_download();
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
