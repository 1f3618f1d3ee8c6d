//! The abuse cases found in review: inputs one user could use to break pages for everyone, or
//! to get past a limit. Each test failed on the code before its fix.

use crate::common::*;
use app::api::board::Board;
use app::domain::form::{FieldError, FieldProblem};
use app::domain::money::{Money, MoneyError};
use app::error::AppError;
use http::StatusCode;

on_both_databases!(
    amounts_near_the_column_limit_do_not_break_the_sums,
    money_over_the_maximum_is_refused_wherever_it_is_entered,
);

/// Rows stored before the maximum existed (or by an import) may hold amounts near the limit of
/// the column: two of them in one stage overflowed the per-stage sum, and the staff board and
/// the homes answered 500 for everyone.
async fn amounts_near_the_column_limit_do_not_break_the_sums(app: TestApp) {
    let huge: i64 = 9_000_000_000_000_000_000;
    app.exec(&format!(
        "UPDATE document_cards SET amount_kopecks = {huge} WHERE id IN \
         (SELECT id FROM document_cards WHERE stage_id = \
          (SELECT id FROM stages WHERE code = 'review') ORDER BY id LIMIT 2)"
    ))
    .await;
    let manager = app.session(MANAGER).await;
    let response = app.call("/api/staff/board", &[], Some(&manager)).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    let board: Board = response.json();
    let review = board
        .columns
        .iter()
        .find(|c| c.stage.code == "review")
        .expect("review column");
    let exact: Money = review.cards.iter().map(|c| c.amount).sum();
    assert_eq!(review.total, exact);
    assert!(
        review.total > Money::from_kopecks(i64::MAX),
        "{:?}",
        review.total
    );

    let home = app.call("/api/staff/home", &[], Some(&manager)).await;
    assert_eq!(home.status, StatusCode::OK, "{}", home.body);
    let supplier = app.session(SUPPLIER_A).await;
    let home = app.call("/api/cabinet/home", &[], Some(&supplier)).await;
    assert_eq!(home.status, StatusCode::OK, "{}", home.body);
    let page = app.get("/staff/board", Some(&manager), "ru").await;
    assert_eq!(page.status, StatusCode::OK);
}

async fn money_over_the_maximum_is_refused_wherever_it_is_entered(app: TestApp) {
    let manager = app.session(MANAGER).await;
    let over = FieldError::Amount(MoneyError::AboveMaximum(Money::DEFAULT_MAXIMUM));
    let deals_before = app.count("deals").await;
    let response = app
        .call(
            "/api/staff/create_deal",
            &[
                ("title", "Поставка"),
                ("customer", "АО Заказчик"),
                ("amount", "92 233 720 368 547 758"),
            ],
            Some(&manager),
        )
        .await;
    assert_eq!(
        response.app_error(),
        AppError::Rejected {
            problems: vec![FieldProblem::field("amount", over.clone())]
        }
    );
    assert_eq!(app.count("deals").await, deals_before);

    let romashka = app
        .scalar("SELECT counterparty_id AS n FROM users WHERE email = 'supplier@romashka.demo'")
        .await as i32;
    let contract = crate::deals::create_contract(&app, &manager, romashka, None, "", "delivery")
        .await
        .to_string();
    let orders_before = app.count("supplier_orders").await;
    let response = app
        .call(
            "/api/staff/create_order",
            &[
                ("contract", contract.as_str()),
                ("amount", "10 000 000 000,01"),
                ("planned_delivery_on", ""),
            ],
            Some(&manager),
        )
        .await;
    assert_eq!(
        response.app_error(),
        AppError::Rejected {
            problems: vec![FieldProblem::field("amount", over.clone())]
        }
    );
    assert_eq!(app.count("supplier_orders").await, orders_before);

    let specs_before = app.count("specifications").await;
    let response = app
        .call(
            "/api/staff/create_specification",
            &[
                ("contract", contract.as_str()),
                ("dated_on", "2026-11-20"),
                ("lines[0][name]", "Котёл"),
                ("lines[0][quantity]", "1000000"),
                ("lines[0][unit]", "шт"),
                ("lines[0][price]", "9 000 000 000"),
                ("lines[0][vat]", "22"),
            ],
            Some(&manager),
        )
        .await;
    assert_eq!(
        response.app_error(),
        AppError::Rejected {
            problems: vec![FieldProblem::field("lines[0].quantity", over)]
        }
    );
    assert_eq!(app.count("specifications").await, specs_before);
}

on_both_databases!(
    a_part_over_the_file_limit_is_refused_at_once,
    a_parallel_burst_gets_no_more_tries_than_the_limit,
    overlong_credentials_are_refused_before_any_work,
    a_right_password_gets_past_a_locked_address,
    the_proxy_added_address_is_the_one_throttled,
    live_streams_end_with_their_session,
    live_streams_are_few_per_user_and_resume_only_from_real_ids,
    downloads_are_named_by_the_detected_type,
    cookies_are_secure_host_only_and_pages_are_not_stored,
    setting_a_password_spends_the_other_links,
    housekeeping_purges_what_no_longer_counts,
);

/// A body of many tiny file parts, the last part left open: the server must answer at the
/// part over the limit instead of reading (and storing) the rest first.
async fn a_part_over_the_file_limit_is_refused_at_once(app: TestApp) {
    use app::domain::upload::MAX_FILES_PER_SUBMISSION;
    use axum::body::Body;
    use futures::StreamExt as _;
    let a = app.session(SUPPLIER_A).await;
    let boundary = "XyZkabinetBoundary";
    let mut head = String::new();
    for (name, value) in [
        ("kind", "invoice"),
        ("invoice_number", "СЧ-1"),
        ("invoice_date", "2026-11-20"),
        ("amount", "100"),
        ("vat", "22"),
    ] {
        head.push_str(&format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
        ));
    }
    let mut bytes = head.into_bytes();
    for i in 0..MAX_FILES_PER_SUBMISSION + 5 {
        bytes.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{i}.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.7 {i}\r\n"
            )
            .as_bytes(),
        );
    }
    // The body never ends: only a server that stops at the limit answers.
    let (sender, receiver) = futures::channel::mpsc::unbounded::<Result<Vec<u8>, std::io::Error>>();
    sender.unbounded_send(Ok(bytes)).expect("body");
    let body = Body::from_stream(receiver.map(|chunk| chunk.map(axum::body::Bytes::from)));
    let request = http::Request::post(app::paths::UPLOAD_PATH)
        .header(http::header::HOST, HOST)
        .header(http::header::ORIGIN, ORIGIN)
        .header("sec-fetch-site", "same-origin")
        .header(http::header::ACCEPT, "application/json")
        .header(http::header::COOKIE, &a)
        .header(
            http::header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(body)
        .expect("request");
    let response = tokio::time::timeout(std::time::Duration::from_secs(10), app.send(request))
        .await
        .expect("the server answers before the body ends");
    assert_eq!(
        response.app_error(),
        AppError::Rejected {
            problems: vec![FieldProblem::submission(FieldError::TooManyFiles(
                MAX_FILES_PER_SUBMISSION
            ))]
        }
    );
    drop(sender);
    assert_eq!(
        app.count("document_cards WHERE invoice_number = 'СЧ-1'")
            .await,
        0
    );
    assert!(app.stored_files().is_empty(), "{:?}", app.stored_files());
}

/// 30 wrong passwords at once for one account: at most the limit (5) are really checked, the
/// rest hear of the lock. Before, each counted its failure only after its own check, so a
/// burst got 18 to 58 real tries.
async fn a_parallel_burst_gets_no_more_tries_than_the_limit(app: TestApp) {
    let attempts = (0..30).map(|_| app.sign_in(ACCOUNTANT, "wrong-password"));
    let answers = futures::future::join_all(attempts).await;
    let checked = answers
        .iter()
        .filter(|r| r.app_error() == AppError::InvalidCredentials)
        .count();
    let locked = answers
        .iter()
        .filter(|r| matches!(r.app_error(), AppError::TooManyAttempts { .. }))
        .count();
    assert!(checked <= 5, "{checked} real tries");
    assert_eq!(checked + locked, 30);
    // Every real try counts as a failure; those turned away at the gate do not.
    assert_eq!(
        app.count("login_failures WHERE throttle_key = 'account:accountant@demo.local'")
            .await,
        checked as i64
    );
    // So the account is locked exactly when the burst used up the limit.
    let right = app.sign_in(ACCOUNTANT, PASSWORD).await;
    if checked == 5 {
        assert!(matches!(
            right.app_error(),
            AppError::TooManyAttempts { .. }
        ));
    } else {
        assert_eq!(right.status, StatusCode::OK, "{}", right.body);
    }
}

async fn overlong_credentials_are_refused_before_any_work(app: TestApp) {
    let long_email = format!("{}@demo.local", "a".repeat(300));
    let response = app.sign_in(&long_email, PASSWORD).await;
    assert_eq!(
        response.app_error(),
        AppError::Invalid {
            field: "email".into(),
            problem: FieldError::TooLong(254)
        }
    );
    let response = app.sign_in(MANAGER, &"x".repeat(10_000)).await;
    assert_eq!(
        response.app_error(),
        AppError::Invalid {
            field: "password".into(),
            problem: FieldError::TooLong(128)
        }
    );
    // Refused before any work: not even counted as an attempt.
    assert_eq!(app.count("login_failures").await, 0);
}

/// An office behind one NAT: twenty failures from its address, across accounts, lock the
/// address; a colleague with the right password still gets in, a wrong one hears of the lock.
async fn a_right_password_gets_past_a_locked_address(app: TestApp) {
    let office = "198.51.100.20";
    for i in 0..20 {
        let response = app
            .sign_in_from(&format!("nobody{i}@demo.local"), "wrong", office)
            .await;
        assert_eq!(response.app_error(), AppError::InvalidCredentials, "{i}");
    }
    let wrong = app.sign_in_from(MANAGER, "wrong", office).await;
    assert!(
        matches!(wrong.app_error(), AppError::TooManyAttempts { .. }),
        "{}",
        wrong.body
    );
    let right = app.sign_in_from(MANAGER, PASSWORD, office).await;
    assert_eq!(right.status, StatusCode::OK, "{}", right.body);
    // Another address is not affected at all.
    let elsewhere = app.sign_in_from(ACCOUNTANT, "wrong", "192.0.2.1").await;
    assert_eq!(elsewhere.app_error(), AppError::InvalidCredentials);
}

/// Behind a trusted proxy the client can put anything at the front of `X-Forwarded-For`; only
/// the address the proxy added (the last) may be throttled.
async fn the_proxy_added_address_is_the_one_throttled(app: TestApp) {
    for i in 0..20 {
        let forwarded = format!("10.0.{i}.1, 198.51.100.77");
        let response = app
            .sign_in_from(&format!("ghost{i}@demo.local"), "wrong", &forwarded)
            .await;
        assert_eq!(response.app_error(), AppError::InvalidCredentials, "{i}");
    }
    let response = app
        .sign_in_from("ghost99@demo.local", "wrong", "10.9.9.9, 198.51.100.77")
        .await;
    assert!(
        matches!(response.app_error(), AppError::TooManyAttempts { .. }),
        "{}",
        response.body
    );
    // Twenty before the lock and the one that met it: wrong passwords count while locked.
    assert_eq!(
        app.count("login_failures WHERE throttle_key = 'address:198.51.100.77'")
            .await,
        21
    );
}

async fn live_status(
    app: &TestApp,
    cookie: &str,
    query: &str,
    last_event_id: Option<&str>,
) -> StatusCode {
    use tower::ServiceExt as _;
    let mut builder = http::Request::get(format!("{}{query}", app::paths::LIVE_PATH))
        .header(http::header::HOST, HOST)
        .header(http::header::ACCEPT, "text/event-stream")
        .header(http::header::COOKIE, cookie);
    if let Some(id) = last_event_id {
        builder = builder.header("last-event-id", id);
    }
    app.router
        .clone()
        .oneshot(builder.body(axum::body::Body::empty()).expect("request"))
        .await
        .expect("the router answers")
        .status()
}

async fn live_streams_end_with_their_session(app: TestApp) {
    use crate::live::Stream;
    use std::time::Duration;
    let wait = Duration::from_secs(3);

    // Signing out ends the stream of that session.
    let manager = app.session(MANAGER).await;
    let mut stream = Stream::open(&app, &manager, None, None).await;
    assert!(!stream.ends_within(Duration::from_millis(300)).await);
    let out = app.call("/api/auth/sign_out", &[], Some(&manager)).await;
    assert_eq!(out.status, StatusCode::OK, "{}", out.body);
    assert!(
        stream.ends_within(wait).await,
        "sign-out left the stream open"
    );

    // The session's end in time ends it too.
    let accountant = app.session(ACCOUNTANT).await;
    let mut stream = Stream::open(&app, &accountant, None, None).await;
    app.exec("UPDATE sessions SET expires_at = '2000-01-01 00:00:00+00:00'")
        .await;
    app.state.live.wake();
    assert!(
        stream.ends_within(wait).await,
        "an expired session kept its stream"
    );

    // A full block of the counterparty ends its users' streams.
    let supplier = app.session(SUPPLIER_A).await;
    let mut stream = Stream::open(&app, &supplier, None, None).await;
    app.exec(
        "UPDATE counterparties SET block_mode = 'full' WHERE id = \
         (SELECT counterparty_id FROM users WHERE email = 'supplier@romashka.demo')",
    )
    .await;
    app.state.live.wake();
    assert!(
        stream.ends_within(wait).await,
        "a blocked supplier kept its stream"
    );

    // Switching the account off (by staff) ends it.
    let manager = app.session(MANAGER).await;
    let supplier_b = app.session(SUPPLIER_B).await;
    let mut stream = Stream::open(&app, &supplier_b, None, None).await;
    let user = app
        .scalar("SELECT id AS n FROM users WHERE email = 'supplier@vektor.demo'")
        .await
        .to_string();
    let off = app
        .call(
            "/api/staff/set_user_active",
            &[("id", user.as_str()), ("active", "false")],
            Some(&manager),
        )
        .await;
    assert_eq!(off.status, StatusCode::OK, "{}", off.body);
    assert!(
        stream.ends_within(wait).await,
        "a switched-off account kept its stream"
    );
}

async fn live_streams_are_few_per_user_and_resume_only_from_real_ids(app: TestApp) {
    use crate::live::Stream;
    use app::server::live::MAX_STREAMS_PER_USER;
    let manager = app.session(MANAGER).await;
    for (query, header) in [
        ("?after=-9223372036854775808", None),
        ("?after=-1", None),
        ("?after=abc", None),
        ("", Some("-9223372036854775808")),
        ("", Some("not-a-number")),
    ] {
        assert_eq!(
            live_status(&app, &manager, query, header).await,
            StatusCode::BAD_REQUEST,
            "{query} {header:?}"
        );
    }
    // Far past the newest change resumes from the newest: the stream still hears what comes.
    assert_eq!(
        live_status(&app, &manager, "?after=9223372036854775807", None).await,
        StatusCode::OK
    );

    let mut open = Vec::new();
    for _ in 0..MAX_STREAMS_PER_USER {
        open.push(Stream::open(&app, &manager, None, None).await);
    }
    assert_eq!(
        live_status(&app, &manager, "", None).await,
        StatusCode::TOO_MANY_REQUESTS
    );
    // Another user is not affected; a closed stream gives its place back.
    let accountant = app.session(ACCOUNTANT).await;
    let _theirs = Stream::open(&app, &accountant, None, None).await;
    open.pop();
    let _again = Stream::open(&app, &manager, None, None).await;
}

async fn downloads_are_named_by_the_detected_type(app: TestApp) {
    let a = app.session(SUPPLIER_A).await;
    let mut parts = invoice_fields("СЧ-700");
    parts.push(Part::File {
        field: "files",
        file_name: "invoice.hta",
        content: pdf("hta"),
    });
    parts.push(Part::File {
        field: "files",
        file_name: "act\u{202E}fdp.exe",
        content: pdf("bidi"),
    });
    let response = app.upload(&parts, &a).await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.body);
    let card = app
        .scalar("SELECT id AS n FROM document_cards WHERE invoice_number = 'СЧ-700'")
        .await;
    let files = app
        .column(&format!(
            "SELECT id AS n FROM document_files WHERE card_id = {card} ORDER BY id"
        ))
        .await;
    let mut names = Vec::new();
    for id in files {
        let download = app
            .get(&format!("/files/{id}?download=1"), Some(&a), "ru")
            .await;
        assert_eq!(download.status, StatusCode::OK);
        let disposition = download
            .headers
            .get(http::header::CONTENT_DISPOSITION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        names.push(disposition);
    }
    assert_eq!(
        names,
        [
            "attachment; filename=\"invoice.hta.pdf\"; filename*=UTF-8''invoice.hta.pdf",
            "attachment; filename=\"actfdp.exe.pdf\"; filename*=UTF-8''actfdp.exe.pdf",
        ]
    );
    // Stored without the invisible character too.
    assert_eq!(
        app.count("document_files WHERE original_name = 'actfdp.exe'")
            .await,
        1
    );
}

async fn cookies_are_secure_host_only_and_pages_are_not_stored(app: TestApp) {
    use clap::Parser as _;
    // Secure is the default; only an explicit setting turns it off.
    assert!(server::config::Config::parse_from(["server"]).secure_cookies());
    assert!(
        !server::config::Config::parse_from(["server", "--secure-cookies", "off"]).secure_cookies()
    );

    let app = app.with_settings(|s| s.secure_cookies = true);
    let response = app.sign_in(MANAGER, PASSWORD).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    let set_cookie = response
        .set_cookies()
        .into_iter()
        .find(|c| c.starts_with("__Host-kabinet_session="))
        .expect("a __Host- session cookie");
    for attribute in ["Secure", "HttpOnly", "Path=/", "SameSite=Lax"] {
        assert!(set_cookie.contains(attribute), "{set_cookie}");
    }
    assert!(!set_cookie.contains("Domain"), "{set_cookie}");
    assert_eq!(
        response
            .headers
            .get(http::header::STRICT_TRANSPORT_SECURITY)
            .and_then(|v| v.to_str().ok()),
        Some("max-age=31536000; includeSubDomains")
    );
    assert_eq!(
        response
            .headers
            .get(http::header::CACHE_CONTROL)
            .and_then(|v| v.to_str().ok()),
        Some("no-store")
    );
    let cookie = response.cookie("__Host-kabinet_session").expect("cookie");
    let me = app.call("/api/auth/me", &[], Some(&cookie)).await;
    assert!(me.body.contains(MANAGER), "{}", me.body);
    // The same token under the plain name (planted by a sibling or over HTTP) opens nothing.
    let planted = cookie.replacen("__Host-", "", 1);
    let me = app.call("/api/auth/me", &[], Some(&planted)).await;
    assert_eq!(me.body, "null");
    let page = app.get("/staff", Some(&cookie), "ru").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(
        page.headers
            .get(http::header::CACHE_CONTROL)
            .and_then(|v| v.to_str().ok()),
        Some("no-store")
    );
}

async fn setting_a_password_spends_the_other_links(app: TestApp) {
    use crate::accounts::token_in_letter;
    let mut tokens = Vec::new();
    for _ in 0..2 {
        let response = app
            .call("/api/auth/forgot_password", &[("email", SUPPLIER_A)], None)
            .await;
        assert_eq!(response.status, StatusCode::OK, "{}", response.body);
        tokens.push(token_in_letter(&app, SUPPLIER_A, "/reset/").await);
    }
    assert_ne!(tokens[0], tokens[1]);
    let set = app
        .call(
            "/api/auth/set_password",
            &[
                ("token", tokens[1].as_str()),
                ("password", "new-password-2026"),
            ],
            None,
        )
        .await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.body);
    // The older letter's link no longer opens the account.
    let old = app
        .call(
            "/api/auth/set_password",
            &[
                ("token", tokens[0].as_str()),
                ("password", "attackers-password"),
            ],
            None,
        )
        .await;
    assert_eq!(old.app_error(), AppError::LinkNotValid);
    assert_eq!(
        app.sign_in(SUPPLIER_A, "new-password-2026").await.status,
        StatusCode::OK
    );
    assert_eq!(
        app.count(
            "user_tokens WHERE used_at IS NULL AND user_id = \
                   (SELECT id FROM users WHERE email = 'supplier@romashka.demo')"
        )
        .await,
        0
    );
}

async fn housekeeping_purges_what_no_longer_counts(app: TestApp) {
    use app::server::repo::scheduler::{Purged, housekeeping};
    let live = app.session(MANAGER).await;
    let _expired = app.session(ACCOUNTANT).await;
    app.exec(
        "UPDATE sessions SET expires_at = '2000-01-01 00:00:00+00:00' WHERE user_id = \
         (SELECT id FROM users WHERE email = 'accountant@demo.local')",
    )
    .await;
    app.sign_in(SUPPLIER_B, "wrong").await;
    app.exec(
        "INSERT INTO login_failures (throttle_key, failed_at) VALUES \
         ('account:old@demo.local', '2000-01-01 00:00:00+00:00'), \
         ('address:192.0.2.9', '2000-01-01 00:00:00+00:00')",
    )
    .await;
    app.call("/api/auth/forgot_password", &[("email", SUPPLIER_A)], None)
        .await;
    app.exec(
        "INSERT INTO user_tokens (user_id, purpose, token_hash, created_at, expires_at, used_at) \
         SELECT id, 'password_reset', 'spent-long-ago', '2000-01-01 00:00:00+00:00', \
         '2000-01-01 02:00:00+00:00', '2000-01-01 01:00:00+00:00' FROM users \
         WHERE email = 'supplier@romashka.demo'",
    )
    .await;
    let purged = housekeeping(&app.db, chrono::Utc::now())
        .await
        .expect("housekeeping");
    assert_eq!(
        purged,
        Purged {
            sessions: 1,
            failures: 2,
            links: 1
        }
    );
    // What still counts stays: the live session, today's failures, the fresh link.
    assert_eq!(app.count("sessions").await, 1);
    assert_eq!(app.count("login_failures").await, 2);
    assert_eq!(
        app.count("user_tokens WHERE token_hash = 'spent-long-ago'")
            .await,
        0
    );
    assert!(app.count("user_tokens WHERE used_at IS NULL").await >= 1);
    let me = app.call("/api/auth/me", &[], Some(&live)).await;
    assert!(me.body.contains(MANAGER), "{}", me.body);
}
