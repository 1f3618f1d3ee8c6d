//! Refuses state-changing requests that did not come from the app's own pages (CSRF).
use std::sync::Arc;

use app::domain::origin::{is_safe_method, is_same_origin_request};
use app::server::Settings;
use axum::body::Body;
use axum::extract::State;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::header::{HOST, ORIGIN};
use http::{Request, StatusCode};

pub async fn same_origin_guard(
    State(settings): State<Arc<Settings>>,
    request: Request<Body>,
    next: Next,
) -> Response {
    if is_safe_method(request.method().as_str()) {
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
