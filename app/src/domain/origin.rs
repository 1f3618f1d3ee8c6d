//! Cross-site request forgery defence: a state-changing request must come from the app's own
//! pages. Browsers say so in `Sec-Fetch-Site`; older ones send at least `Origin`.

/// `true` when a state-changing request may proceed.
///
/// - `Sec-Fetch-Site` present: only `same-origin` passes.
/// - otherwise `Origin` must name this very host (`http(s)://{host}`) or one of the configured
///   public origins.
/// - neither header: refused, since no browser page of ours sends such a request.
pub fn is_same_origin_request(
    sec_fetch_site: Option<&str>,
    origin: Option<&str>,
    host: Option<&str>,
    allowed_origins: &[String],
) -> bool {
    if let Some(site) = sec_fetch_site {
        return site.eq_ignore_ascii_case("same-origin");
    }
    let Some(origin) = origin.map(|o| o.trim_end_matches('/')) else {
        return false;
    };
    if allowed_origins
        .iter()
        .any(|allowed| allowed.trim_end_matches('/').eq_ignore_ascii_case(origin))
    {
        return true;
    }
    match (host, origin.split_once("://")) {
        (Some(host), Some(("http" | "https", origin_host))) => {
            origin_host.eq_ignore_ascii_case(host)
        }
        _ => false,
    }
}

/// Methods that never change state and so need no check.
pub fn is_safe_method(method: &str) -> bool {
    matches!(method, "GET" | "HEAD" | "OPTIONS")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decides_by_fetch_metadata_then_origin() {
        let allowed = vec!["https://cabinet.example.ru".to_string()];
        let host = Some("127.0.0.1:3000");
        let table = [
            // sec-fetch-site, origin, expected
            (Some("same-origin"), None, true),
            (Some("same-origin"), Some("https://evil.example"), true),
            (Some("cross-site"), Some("http://127.0.0.1:3000"), false),
            (Some("same-site"), None, false),
            (Some("none"), None, false),
            (None, Some("http://127.0.0.1:3000"), true),
            (None, Some("https://127.0.0.1:3000"), true),
            (None, Some("http://127.0.0.1:3000/"), true),
            (None, Some("http://127.0.0.1:4000"), false),
            (None, Some("https://evil.example"), false),
            (None, Some("null"), false),
            (None, Some("https://cabinet.example.ru"), true),
            (None, None, false),
        ];
        for (site, origin, expected) in table {
            assert_eq!(
                is_same_origin_request(site, origin, host, &allowed),
                expected,
                "{site:?} {origin:?}"
            );
        }
    }

    #[test]
    fn without_a_host_only_configured_origins_pass() {
        assert!(!is_same_origin_request(None, Some("http://a"), None, &[]));
        assert!(is_same_origin_request(
            None,
            Some("http://a"),
            None,
            &["http://a".to_string()]
        ));
    }

    #[test]
    fn safe_methods() {
        for (method, safe) in [
            ("GET", true),
            ("HEAD", true),
            ("OPTIONS", true),
            ("POST", false),
            ("PUT", false),
            ("DELETE", false),
            ("PATCH", false),
        ] {
            assert_eq!(is_safe_method(method), safe, "{method}");
        }
    }
}
