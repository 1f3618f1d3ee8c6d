#![recursion_limit = "256"]
//! The HTTP server: the Leptos app, static assets and the middleware around them. `main.rs`
//! reads the configuration and runs it; the integration tests build the same router.
pub mod config;
pub mod guard;

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use app::server::{AppState, Settings, file_routes};
use app::{App, shell};
use axum::Router;
use axum::body::Body;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use http::header::{
    CACHE_CONTROL, REFERRER_POLICY, STRICT_TRANSPORT_SECURITY, X_CONTENT_TYPE_OPTIONS,
    X_FRAME_OPTIONS,
};
use http::{HeaderValue, Request, Response, StatusCode};
use leptos::prelude::*;
use leptos_axum::{LeptosRoutes, generate_route_list};
use tower::ServiceBuilder;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

/// The name cargo-leptos gives the JS, WASM and CSS files (`name` in the workspace metadata).
pub const OUTPUT_NAME: &str = "kabinet";

#[derive(Clone, Copy, Debug)]
pub struct HttpLimits {
    pub request_timeout: Duration,
    pub body_limit_bytes: usize,
    /// Uploads stream for as long as a slow phone needs; their size is counted by the route.
    pub upload_timeout: Duration,
}

impl Default for HttpLimits {
    fn default() -> Self {
        HttpLimits {
            request_timeout: Duration::from_secs(30),
            body_limit_bytes: 1024 * 1024,
            upload_timeout: Duration::from_secs(900),
        }
    }
}

/// Leptos options for assets under `site_root`. File hashing is on when cargo-leptos left its
/// hash file beside this executable.
pub fn leptos_options(site_root: &str, site_addr: std::net::SocketAddr) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name(OUTPUT_NAME)
        .site_root(site_root)
        .site_pkg_dir("pkg")
        .site_addr(site_addr)
        .hash_files(hash_file_present())
        .build()
}

fn hash_file_present() -> bool {
    std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join("hash.txt")))
        .is_some_and(|path| path.exists())
}

pub fn build_router(state: AppState, options: LeptosOptions, limits: HttpLimits) -> Router {
    let routes = generate_route_list(App);
    let context_state = state.clone();
    let provide_state = move || provide_context(context_state.clone());

    let pkg_dir = Path::new(options.site_root.as_ref()).join(options.site_pkg_dir.as_ref());
    // Hashed names change with the content: cache them for good. Without hashing, revalidate.
    let pkg_cache = if options.hash_files {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    let pkg_service = ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::overriding(
            CACHE_CONTROL,
            HeaderValue::from_static(pkg_cache),
        ))
        .service(ServeDir::new(pkg_dir));

    let app = Router::new()
        .leptos_routes_with_context(&options, routes, provide_state.clone(), {
            let options = options.clone();
            move || shell(options.clone())
        })
        .nest_service("/pkg", pkg_service)
        .fallback(leptos_axum::file_and_error_handler_with_context(
            provide_state,
            shell,
        ))
        .with_state(options)
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            limits.request_timeout,
        ))
        .layer(RequestBodyLimitLayer::new(limits.body_limit_bytes));

    // Uploads and downloads: outside the small body limit and the short timeout (the upload
    // route counts the bytes itself and stops at the configured limit).
    let files = Router::new()
        .route(file_routes::UPLOAD_PATH, post(file_routes::upload))
        .route(
            file_routes::CORRECTED_FILES_PATH,
            post(file_routes::add_corrected_files),
        )
        .route(
            file_routes::STAFF_FILES_PATH,
            post(file_routes::add_staff_files),
        )
        .route(file_routes::DOWNLOAD_PATH, get(file_routes::download))
        .route(
            app::paths::ITEM_FILES_PATH,
            post(file_routes::add_item_files),
        )
        .route(
            app::paths::ITEM_DOWNLOAD_PATH,
            get(file_routes::download_item),
        )
        .route(app::paths::DEAL_EXPORT_PATH, get(file_routes::export_deal))
        .route(app::paths::STATEMENT_PATH, get(file_routes::statement_file))
        .route(
            app::paths::PAYMENT_REGISTER_XLSX_PATH,
            get(file_routes::export_payment_register),
        )
        .route(
            file_routes::EXPORT_PATH,
            get(file_routes::export_counterparty),
        )
        .route(
            file_routes::LEDGER_UPLOAD_PATH,
            post(file_routes::upload_ledger),
        )
        .route(
            file_routes::LEDGER_IMPORT_API_PATH,
            post(file_routes::import_ledger_api),
        )
        .route(file_routes::OPENAPI_PATH, get(file_routes::openapi))
        .layer(DefaultBodyLimit::disable())
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            limits.upload_timeout,
        ))
        .with_state(state.clone());
    let health = Router::new()
        .route(HEALTH_PATH, get(health))
        .with_state(state.clone());
    // Live updates: a stream stays open for as long as the page does (no request timeout).
    let live = Router::new()
        .route(app::paths::LIVE_PATH, get(app::server::live::events))
        .with_state(state.clone());
    let app = app.merge(files).merge(live).merge(health);

    // HTTPS only, from the first answer on, where cookies are `Secure`.
    let hsts = state
        .settings
        .secure_cookies
        .then(|| HeaderValue::from_static("max-age=31536000; includeSubDomains"));

    // Listed from the innermost layer to the outermost.
    app.layer(axum::middleware::from_fn_with_state(
        state.clone(),
        guard::page_guard,
    ))
    .layer(axum::middleware::from_fn_with_state(
        state.settings.clone(),
        guard::same_origin_guard,
    ))
    .layer(axum::middleware::from_fn(guard::api_token_guard))
    .layer(axum::middleware::from_fn(
        app::server::security::content_security_policy_layer,
    ))
    .layer(SetResponseHeaderLayer::overriding(
        X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    ))
    .layer(SetResponseHeaderLayer::overriding(
        REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    ))
    // Only an inline file (a preview on the card page) sets its own, SAMEORIGIN.
    .layer(SetResponseHeaderLayer::if_not_present(
        X_FRAME_OPTIONS,
        HeaderValue::from_static("DENY"),
    ))
    // Pages and server-function answers carry personal data: no cache keeps them. Assets and
    // downloads set their own.
    .layer(SetResponseHeaderLayer::if_not_present(
        CACHE_CONTROL,
        |response: &Response<Body>| {
            personal_answer(response).then(|| HeaderValue::from_static("no-store"))
        },
    ))
    .layer(SetResponseHeaderLayer::if_not_present(
        STRICT_TRANSPORT_SECURITY,
        move |_: &Response<Body>| hsts.clone(),
    ))
    .layer(CompressionLayer::new().br(true).gzip(true))
    .layer(PropagateRequestIdLayer::x_request_id())
    .layer(
        TraceLayer::new_for_http().make_span_with(|request: &Request<Body>| {
            let request_id = request
                .headers()
                .get("x-request-id")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("-");
            tracing::info_span!(
                "request",
                method = %request.method(),
                path = %app::domain::accounts::loggable_path(request.uri().path()),
                request_id = %request_id,
            )
        }),
    )
    .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
}

/// The load balancer's health check.
pub const HEALTH_PATH: &str = "/healthz";

/// `GET /healthz`: 200 when this server takes requests (its database answers), 503 while it
/// drains before stopping or when the database does not answer.
async fn health(
    axum::extract::State(state): axum::extract::State<AppState>,
) -> (StatusCode, &'static str) {
    use sea_orm::ConnectionTrait as _;
    if state.live.is_draining() {
        return (StatusCode::SERVICE_UNAVAILABLE, "draining");
    }
    let ping = tokio::time::timeout(
        Duration::from_secs(2),
        state.db.execute_unprepared("SELECT 1"),
    );
    match ping.await {
        Ok(Ok(_)) => (StatusCode::OK, "ok"),
        _ => (StatusCode::SERVICE_UNAVAILABLE, "database"),
    }
}

/// A page or a server function's answer (HTML, JSON, form-encoded or plain text), as opposed to
/// a static asset or a stored file.
fn personal_answer(response: &Response<Body>) -> bool {
    let Some(kind) = response
        .headers()
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return true;
    };
    let kind = kind.to_ascii_lowercase();
    [
        "text/html",
        "application/json",
        "application/x-www-form-urlencoded",
        "text/plain",
    ]
    .iter()
    .any(|personal| kind.starts_with(personal))
}

/// Settings for the app from the configuration.
pub fn settings(config: &config::Config) -> Arc<Settings> {
    let mut settings = Settings {
        secure_cookies: config.secure_cookies(),
        allowed_origins: config.public_origin.clone(),
        trust_forwarded_for: config.trust_forwarded_for,
        public_url: config.public_url(),
        company_zone: config.company_time_zone,
        company_name: config.company_name.clone(),
        ..Settings::default()
    };
    settings.session.lifetime = chrono::TimeDelta::hours(config.session_hours.max(1));
    settings.max_amount = app::domain::money::Money::maximum_of_rubles(config.max_amount_rubles);
    settings.file_limits = app::domain::files::FileLimits {
        max_file_bytes: config.max_file_mib.max(1) * 1024 * 1024,
        max_request_bytes: config.max_upload_mib.max(1) * 1024 * 1024,
    };
    Arc::new(settings)
}
