//! Pages as a browser gets them: status, language, security headers, redirects.

use crate::common::*;
use http::StatusCode;

on_both_databases!(
    unknown_address_gets_a_404_page_in_the_users_language,
    pages_carry_security_headers_and_a_nonce,
    signed_in_areas_send_strangers_to_sign_in,
    each_side_lands_on_its_own_home,
    static_assets_are_compressed,
    pages_render_whole_under_concurrent_requests,
);

/// Many pages at once, as a busy morning: each one whole, titled and with its nonce. (A title
/// read after the request's reactive arena was gone used to panic now and then.)
async fn pages_render_whole_under_concurrent_requests(app: TestApp) {
    let supplier = app.session(SUPPLIER_A).await;
    let manager = app.session(MANAGER).await;
    let mut requests = tokio::task::JoinSet::new();
    for i in 0..32 {
        let (path, cookie) = match i % 4 {
            0 => ("/cabinet", supplier.clone()),
            1 => ("/cabinet/documents", supplier.clone()),
            2 => ("/staff", manager.clone()),
            _ => ("/staff/counterparties", manager.clone()),
        };
        let router = app.router.clone();
        requests.spawn(async move {
            use tower::ServiceExt as _;
            let request = http::Request::get(path)
                .header(http::header::HOST, HOST)
                .header(http::header::ACCEPT, "text/html")
                .header(http::header::COOKIE, cookie)
                .body(axum::body::Body::empty())
                .expect("request");
            let response = router.oneshot(request).await.expect("a response");
            let status = response.status();
            let csp = response
                .headers()
                .get("content-security-policy")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned();
            let body = axum::body::to_bytes(response.into_body(), 8 * 1024 * 1024)
                .await
                .map(|b| String::from_utf8_lossy(&b).into_owned())
                .unwrap_or_default();
            (path, status, csp, body)
        });
    }
    while let Some(result) = requests.join_next().await {
        let (path, status, csp, body) = result.expect("the request did not panic");
        assert_eq!(status, StatusCode::OK, "{path}");
        assert!(csp.contains("'nonce-"), "{path}: {csp}");
        assert!(body.contains("— Кабинет поставщика</title>"), "{path}");
        assert!(body.contains("</html>"), "{path}: cut short");
    }
}

async fn unknown_address_gets_a_404_page_in_the_users_language(app: TestApp) {
    let ru = app.get("/no-such-page", None, "ru-RU,ru;q=0.9").await;
    assert_eq!(ru.status, StatusCode::NOT_FOUND);
    assert!(ru.body.contains("Страница не найдена"), "{}", ru.body);
    assert!(ru.body.contains("lang=\"ru\""));

    let en = app.get("/no-such-page", None, "en-GB,en;q=0.9").await;
    assert_eq!(en.status, StatusCode::NOT_FOUND);
    assert!(en.body.contains("Page not found"), "{}", en.body);

    // The language chosen in the app wins over the browser's.
    let chosen = app
        .get("/no-such-page", Some("i18n_pref_locale=en"), "ru-RU")
        .await;
    assert!(chosen.body.contains("Page not found"));
}

async fn pages_carry_security_headers_and_a_nonce(app: TestApp) {
    let page = app.get("/login", None, "ru").await;
    assert_eq!(page.status, StatusCode::OK);
    let header = |name: &str| {
        page.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let csp = header("content-security-policy");
    assert!(csp.contains("'wasm-unsafe-eval'"), "{csp}");
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("a nonce in the policy");
    // Every inline script with code carries this response's nonce.
    let scripts =
        page.body.matches("<script").count() - page.body.matches("<script></script>").count();
    let with_nonce = page.body.matches(&format!("nonce=\"{nonce}\"")).count();
    assert!(scripts > 0);
    assert_eq!(scripts, with_nonce, "{}", page.body);

    assert_eq!(header("x-content-type-options"), "nosniff");
    assert_eq!(header("referrer-policy"), "strict-origin-when-cross-origin");
    assert_eq!(header("x-frame-options"), "DENY");
    assert!(!header("x-request-id").is_empty());
    assert!(page.body.contains("Вход"));
}

async fn signed_in_areas_send_strangers_to_sign_in(app: TestApp) {
    for path in ["/", "/cabinet", "/staff", "/cabinet/documents/1"] {
        app.get(path, None, "ru").await.assert_redirect_to("/login");
    }
}

async fn each_side_lands_on_its_own_home(app: TestApp) {
    let supplier = app.session(SUPPLIER_A).await;
    let manager = app.session(MANAGER).await;

    let cases = [
        (&supplier, "/", Some("/cabinet")),
        (&supplier, "/staff", Some("/cabinet")),
        (&manager, "/", Some("/staff")),
        (&manager, "/cabinet", Some("/staff")),
        (&supplier, "/cabinet", None),
        (&manager, "/staff", None),
    ];
    for (cookie, path, redirect) in cases {
        let response = app.get(path, Some(cookie), "ru").await;
        match redirect {
            Some(target) => response.assert_redirect_to(target),
            None => assert_eq!(response.status, StatusCode::OK, "{path}"),
        }
    }

    let cabinet = app.get("/cabinet", Some(&supplier), "ru").await;
    assert!(cabinet.body.contains("Мои документы"), "{}", cabinet.body);
    assert!(cabinet.body.contains("ООО «Ромашка»"));
    assert!(!cabinet.body.contains("АО «Вектор»"));
    // Every piece of data the page was rendered with reached it without error (a page built
    // twice on the server once shipped a stale failed resource that broke hydration).
    assert!(!cabinet.body.contains(r#"{\"Err\""#), "{}", cabinet.body);
    // Two for the home page, one for the balance panel above it.
    assert_eq!(cabinet.body.matches("__RESOLVED_RESOURCES[").count(), 3);
    // The documents list renders on the server from the filter in the address.
    let returned = app
        .get("/cabinet/documents?stage=returned", Some(&supplier), "ru")
        .await;
    assert_eq!(returned.status, StatusCode::OK);
    assert!(returned.body.contains("СЧ-99"), "{}", returned.body);
    assert!(!returned.body.contains("СЧ-101"));
    assert!(!returned.body.contains(r#"{\"Err\""#));

    let staff = app.get("/staff", Some(&manager), "en").await;
    assert!(
        staff.body.contains("Supplier documents overview"),
        "{}",
        staff.body
    );
}

async fn static_assets_are_compressed(app: TestApp) {
    let pkg = std::env::temp_dir().join("kabinet-test-site").join("pkg");
    std::fs::create_dir_all(&pkg).expect("pkg folder");
    let script = "console.log('Кабинет поставщика');\n".repeat(200);
    std::fs::write(pkg.join("kabinet-test.js"), &script).expect("asset");

    for (encoding, expected) in [("br", "br"), ("gzip", "gzip")] {
        let request = http::Request::get("/pkg/kabinet-test.js")
            .header(http::header::HOST, HOST)
            .header(http::header::ACCEPT_ENCODING, encoding)
            .body(axum::body::Body::empty())
            .expect("request");
        let response = app.send(request).await;
        assert_eq!(response.status, StatusCode::OK);
        let header = |name: &str| {
            response
                .headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        assert_eq!(header("content-encoding").as_deref(), Some(expected));
        assert!(
            response.body.len() < script.len() / 4,
            "{encoding} did not shrink it"
        );
        // Without cargo-leptos' file hashing the names do not change: revalidate every time.
        assert_eq!(header("cache-control").as_deref(), Some("no-cache"));
        assert_eq!(header("x-content-type-options").as_deref(), Some("nosniff"));
    }
}
