//! Response security headers that depend on the page being sent.

/// The Content-Security-Policy: only our own scripts, and inline ones only with this response's
/// nonce; WebAssembly may compile; no framing.
pub fn content_security_policy(nonce: Option<&str>) -> String {
    let script = match nonce {
        Some(nonce) => format!("script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'"),
        None => "script-src 'self' 'wasm-unsafe-eval'".to_owned(),
    };
    // `cargo leptos watch` reloads the page through a WebSocket on its reload port.
    let connect = if cfg!(debug_assertions) {
        "connect-src 'self' ws://127.0.0.1:* ws://localhost:*"
    } else {
        "connect-src 'self'"
    };
    format!(
        "default-src 'self'; {script}; style-src 'self'; img-src 'self' data: blob:; \
         font-src 'self'; {connect}; object-src 'none'; base-uri 'self'; form-action 'self'; \
         frame-ancestors 'none'"
    )
}

/// The nonce of a page's inline scripts: the `nonce` of its first `<script>` tag. Page text
/// cannot fake one: the page escapes `<` in what people typed.
pub fn inline_script_nonce(html: &str) -> Option<&str> {
    let start = html.find("<script")?;
    let tag = &html[start..start + html[start..].find('>')?];
    let value = tag.split(" nonce=\"").nth(1)?.split('"').next()?;
    let plain = !value.is_empty()
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"+/=-_".contains(&b));
    plain.then_some(value)
}

/// Gives an HTML page the policy with the nonce its inline scripts carry, read from the page
/// as sent; a response that set its own policy (an inline file) keeps it, anything else gets
/// the policy without a nonce. The page is read whole: pages render whole before they are sent
/// (`SsrMode::Async`). Why not from inside the render (Leptos' `ResponseOptions`): under
/// load, now and then a page went out without the headers set there, and the browser then
/// refused its hydration scripts.
pub async fn content_security_policy_layer(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    use http::header::{CONTENT_SECURITY_POLICY, CONTENT_TYPE};
    let response = next.run(request).await;
    if response.headers().contains_key(CONTENT_SECURITY_POLICY) {
        return response;
    }
    let is_html = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let (mut parts, body) = response.into_parts();
    let (body, nonce) = if is_html {
        let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
            return http::StatusCode::INTERNAL_SERVER_ERROR.into_response();
        };
        let nonce = std::str::from_utf8(&bytes)
            .ok()
            .and_then(inline_script_nonce)
            .map(str::to_owned);
        (axum::body::Body::from(bytes), nonce)
    } else {
        (body, None)
    };
    if let Ok(policy) = http::HeaderValue::from_str(&content_security_policy(nonce.as_deref())) {
        parts.headers.insert(CONTENT_SECURITY_POLICY, policy);
    }
    axum::response::Response::from_parts(parts, body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_allows_wasm_and_the_nonce_only() {
        let policy = content_security_policy(Some("abc"));
        assert!(policy.contains("script-src 'self' 'nonce-abc' 'wasm-unsafe-eval'"));
        assert!(policy.contains("frame-ancestors 'none'"));
        assert!(!policy.contains("unsafe-inline"));
        assert!(!content_security_policy(None).contains("nonce"));
    }

    #[test]
    fn the_nonce_is_read_from_the_first_script_tag_only() {
        let cases = [
            (
                r#"<head><script type="module" nonce="aB3+/=_-">x</script>"#,
                Some("aB3+/=_-"),
            ),
            (r#"<p>nonce="typed"</p><script nonce="real">"#, Some("real")),
            (
                r#"<script src="/pkg/a.js"></script><script nonce="later">"#,
                None,
            ),
            (r#"<script nonce="">"#, None),
            (r#"<script nonce="a b">"#, None),
            (r#"<script nonce="a'; script-src *">"#, None),
            ("<p>no scripts</p>", None),
        ];
        for (html, expected) in cases {
            assert_eq!(inline_script_nonce(html), expected, "{html}");
        }
    }
}
