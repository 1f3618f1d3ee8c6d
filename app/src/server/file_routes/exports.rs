//! Exports as one ZIP: a counterparty's files of a period, a deal's papers.
use axum::body::Body;
use axum::extract::{Path, Query, Request, State};
use axum::response::Response;
use http::HeaderValue;
use http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};

use crate::domain::files::content_disposition;
use crate::error::{AppError, AppResult};
use crate::server::AppState;
use crate::server::repo::{audit, files as file_rows};

use super::*;

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
        let (ctx, state) = signed_in(&state, &parts).await?;
        ctx.require_staff()?;
        let period = crate::domain::documents::document_query(
            None,
            query.from.as_deref(),
            query.to.as_deref(),
            None,
            None,
        )
        .map_err(|err| crate::error::invalid(err.field(), err.into()))?;
        let (name, files) = file_rows::for_export(
            &ctx,
            &state.db,
            counterparty_id,
            period.from,
            period.to,
            state.settings.company_zone,
        )
        .await?;
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
        let (ctx, state) = signed_in(&state, &parts).await?;
        let (archive_name, files) = crate::server::repo::item_files::for_deal_export(
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
    attachment(
        Body::from_stream(tokio_util::io::ReaderStream::new(reader)),
        "application/zip",
        archive_name,
    )
}

/// A file made for this request, to be saved as `name`: never cached, as it is someone's.
fn attachment(body: Body, mime: &'static str, name: &str) -> AppResult<Response> {
    let mut response = Response::new(body);
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(mime));
    headers.insert(
        CONTENT_DISPOSITION,
        HeaderValue::from_str(&content_disposition(name, false)).map_err(|_| AppError::Internal)?,
    );
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    Ok(response)
}

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// Writes the archive into `out` entry by entry; a failure mid-way cuts the download short
/// (the browser reports it) and is logged.
async fn write_zip(
    store: std::sync::Arc<dyn crate::server::storage::FileStore>,
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

#[derive(Debug, Default, serde::Deserialize)]
pub struct RegisterQuery {
    #[serde(default)]
    pub counterparty: Option<i32>,
    #[serde(default)]
    pub item: Option<i32>,
    #[serde(default)]
    pub lang: Option<String>,
}

/// `GET /api/staff/payments/register.xlsx?counterparty=&item=&lang=`: the payment register
/// under the page's filter as an XLSX workbook, a row per request and a total per day.
pub async fn export_payment_register(
    State(state): State<AppState>,
    Query(query): Query<RegisterQuery>,
    request: Request,
) -> Response {
    let result = async {
        let (parts, _) = request.into_parts();
        let (ctx, state) = signed_in(&state, &parts).await?;
        let filter = crate::model::payments::RegisterFilter {
            counterparty_id: query.counterparty,
            cash_flow_item_id: query.item,
        };
        let register =
            crate::server::repo::payments::register(&ctx, &state.db, filter, state.now()).await?;
        let lang = query
            .lang
            .as_deref()
            .and_then(crate::domain::lang::Lang::from_code)
            .unwrap_or(crate::domain::lang::Lang::Ru);
        let bytes = crate::server::spreadsheets::payment_register(&register, lang)?;
        let name = match lang {
            crate::domain::lang::Lang::Ru => format!("Реестр платежей {}.xlsx", register.today),
            crate::domain::lang::Lang::En => format!("Payment register {}.xlsx", register.today),
        };
        attachment(Body::from(bytes), XLSX, &name)
    }
    .await;
    result.unwrap_or_else(error_response)
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct StatementQuery {
    #[serde(default)]
    pub counterparty: Option<i32>,
    #[serde(default)]
    pub account: Option<String>,
    #[serde(default)]
    pub from: Option<String>,
    #[serde(default)]
    pub to: Option<String>,
    #[serde(default)]
    pub format: Option<String>,
    #[serde(default)]
    pub lang: Option<String>,
}

/// `GET /api/settlements/statement?format=pdf|xlsx&from=&to=&account=&counterparty=&lang=`:
/// the reconciliation statement of the balance page's account and period. A supplier gets
/// its own counterparty's whatever it names; staff name the counterparty.
pub async fn statement_file(
    State(state): State<AppState>,
    Query(query): Query<StatementQuery>,
    request: Request,
) -> Response {
    use crate::domain::lang::Lang;
    use crate::domain::settlements::{Account, EntryRows, Period};
    use crate::paths::StatementFormat;
    let result = async {
        let (parts, _) = request.into_parts();
        let (ctx, state) = signed_in(&state, &parts).await?;
        let format = StatementFormat::from_code(query.format.as_deref().unwrap_or("pdf"))
            .ok_or_else(|| crate::error::unknown("format"))?;
        let lang = query
            .lang
            .as_deref()
            .and_then(Lang::from_code)
            .unwrap_or(Lang::Ru);
        let today = state.now().today();
        let account = Account::from_query(query.account.as_deref().unwrap_or(""))
            .ok_or_else(|| crate::error::unknown("account"))?;
        let period = Period::from_query(query.from.as_deref(), query.to.as_deref(), today)
            .map_err(|(field, problem)| crate::error::invalid(field, problem))?;
        let id = crate::server::repo::settlements::counterparty_of(&ctx, query.counterparty)?;
        let page = crate::server::repo::settlements::page(
            &ctx,
            &state.db,
            id,
            account,
            period,
            EntryRows::All,
            today,
        )
        .await?;
        let st =
            crate::server::statement::of_page(&page, lang, &state.settings.company_name, today);
        let (bytes, mime) = match format {
            StatementFormat::Pdf => (crate::server::statement::pdf(&st, lang)?, "application/pdf"),
            StatementFormat::Xlsx => (crate::server::statement::xlsx(&st, lang)?, XLSX),
        };
        let name = format!(
            "{} {}–{}.{}",
            match lang {
                Lang::Ru => "Акт сверки",
                Lang::En => "Reconciliation statement",
            },
            period.from,
            period.to,
            format.code()
        );
        attachment(Body::from(bytes), mime, &name)
    }
    .await;
    result.unwrap_or_else(error_response)
}
