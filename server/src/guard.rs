//! Request guards: cross-site state changes are refused (CSRF), and page requests go to the
//! side of the app the user belongs to.
use std::sync::Arc;

use app::domain::access::{PageAccess, is_guarded_path, page_access};
use app::domain::api_tokens::{bearer, scope_of_path};
use app::domain::origin::{is_safe_method, is_same_origin_request};
use app::domain::settlements::{BALANCE_PATH, BlockMode, page_open_when_balance_only};
use app::server::{AppState, Settings, auth};
use axum::body::Body;
use axum::extract::State;
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use http::header::{AUTHORIZATION, HOST, ORIGIN};
use http::{Request, StatusCode};

/// An API token opens its scope's endpoint and nothing else: a request carrying one anywhere
/// else is refused outright (403), not served as if anonymous.
pub async fn api_token_guard(request: Request<Body>, next: Next) -> Response {
    let token = request
        .headers()
        .get(AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(bearer)
        .is_some();
    if token && scope_of_path(request.uri().path()).is_none() {
        return (
            StatusCode::FORBIDDEN,
            "This API token opens only its own endpoint / Этот API-токен открывает только свой адрес",
        )
            .into_response();
    }
    next.run(request).await
}

/// Refuses state-changing requests that did not come from the app's own pages. An API
/// token's own endpoint takes no cookies, only its bearer token, which no other site can
/// make a browser send: it needs no origin.
pub async fn same_origin_guard(
    State(settings): State<Arc<Settings>>,
    request: Request<Body>,
    next: Next,
) -> Response {
    if is_safe_method(request.method().as_str()) || scope_of_path(request.uri().path()).is_some() {
        return next.run(request).await;
    }
    let headers = request.headers();
    let header = |name: &str| headers.get(name).and_then(|value| value.to_str().ok());
    let allowed = is_same_origin_request(
        header("sec-fetch-site"),
        header(ORIGIN.as_str()),
        header(HOST.as_str()),
        &settings.allowed_origins,
    );
    if allowed {
        return next.run(request).await;
    }
    tracing::warn!(
        method = %request.method(),
        path = %request.uri().path(),
        origin = header(ORIGIN.as_str()).unwrap_or("-"),
        "cross-origin state-changing request refused"
    );
    (
        StatusCode::FORBIDDEN,
        "Cross-origin request refused / Запрос с другого сайта отклонён",
    )
        .into_response()
}

/// Sends page requests to sign-in or to the user's own side before anything renders, so the
/// pages of an area can assume a signed-in user of that side. Server functions check again.
pub async fn page_guard(
    State(state): State<AppState>,
    request: Request<Body>,
    next: Next,
) -> Response {
    let path = request.uri().path();
    // Assets, server functions and pages that are the same for everyone need no lookup.
    if request.method() != http::Method::GET || !is_guarded_path(path) {
        return next.run(request).await;
    }
    let (mut parts, body) = request.into_parts();
    let user = match auth::current_user(&state, &parts).await {
        Ok(user) => user,
        Err(_) => {
            return (
                StatusCode::INTERNAL_SERVER_ERROR,
                "Internal error / Ошибка сервера",
            )
                .into_response();
        }
    };
    let role = user.as_ref().map(|(ctx, _)| ctx.role);
    // A counterparty blocked down to its balance sees only the balance (and uploads).
    let balance_only = user
        .as_ref()
        .is_some_and(|(_, record)| record.block == BlockMode::BalanceOnly);
    if balance_only
        && (parts.uri.path() == "/cabinet" || parts.uri.path().starts_with("/cabinet/"))
        && !page_open_when_balance_only(parts.uri.path())
    {
        return Redirect::to(BALANCE_PATH).into_response();
    }
    match page_access(parts.uri.path(), role) {
        PageAccess::Allow => {
            parts.extensions.insert(auth::SessionLookup(user));
            next.run(Request::from_parts(parts, body)).await
        }
        PageAccess::RedirectTo(target) => Redirect::to(target).into_response(),
    }
}
