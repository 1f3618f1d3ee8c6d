//! Sign-in, sessions, roles and the cross-site guard, through the server functions, on SQLite and
//! PostgreSQL.

use crate::common::*;
use app::api::auth::UserProfile;
use app::domain::access::Role;
use app::error::AppError;
use axum::body::Body;
use http::StatusCode;

on_both_databases!(
    sign_in_opens_a_session_for_the_right_password,
    wrong_password_and_unknown_user_get_the_same_answer,
    too_many_failures_lock_the_account,
    too_many_failures_from_one_address_lock_that_address,
    expired_session_is_refused,
    sign_out_ends_the_session_on_the_server,
    staff_and_supplier_functions_refuse_the_other_side,
    supplier_sees_only_its_own_counterparty,
    cross_origin_posts_are_refused_and_change_nothing,
    blocked_counterparty_cannot_sign_in,
    chosen_language_is_remembered_for_the_user,
);

async fn me(app: &TestApp, cookie: &str) -> Option<UserProfile> {
    let response = app.call("/api/auth/me", &[], Some(cookie)).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    response.json()
}

async fn sign_in_opens_a_session_for_the_right_password(app: TestApp) {
    let response = app.sign_in(MANAGER, PASSWORD).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    assert_eq!(response.json::<String>(), "/staff");

    let set_cookie = response
        .set_cookies()
        .into_iter()
        .find(|c| c.starts_with("kabinet_session="))
        .expect("a session cookie");
    assert!(set_cookie.contains("HttpOnly"), "{set_cookie}");
    assert!(set_cookie.contains("SameSite=Lax"), "{set_cookie}");
    assert!(set_cookie.contains("Path=/"), "{set_cookie}");

    // The token is stored hashed, never as sent.
    let token = set_cookie
        .split(';')
        .next()
        .and_then(|c| c.split_once('='))
        .map(|(_, v)| v.to_owned())
        .expect("token");
    let stored = app
        .count(&format!("sessions WHERE token_hash = '{token}'"))
        .await;
    assert_eq!(stored, 0);
    assert_eq!(app.count("sessions").await, 1);

    let cookie = response.cookie("kabinet_session").expect("cookie");
    let user = me(&app, &cookie).await.expect("signed in");
    assert_eq!(user.role, Role::Manager);
    assert_eq!(user.email, MANAGER);

    // E-mail is matched without regard to case and surrounding spaces.
    let response = app.sign_in("  Supplier@Romashka.DEMO ", PASSWORD).await;
    assert_eq!(response.json::<String>(), "/cabinet");
}

async fn wrong_password_and_unknown_user_get_the_same_answer(app: TestApp) {
    let wrong = app.sign_in(MANAGER, "not-the-password").await;
    let unknown = app.sign_in("nobody@demo.local", PASSWORD).await;
    assert_eq!(wrong.app_error(), AppError::InvalidCredentials);
    assert_eq!(unknown.app_error(), AppError::InvalidCredentials);
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong.status, unknown.status);
    assert_eq!(wrong.body, unknown.body);
    assert!(wrong.cookie("kabinet_session").is_none());
    assert_eq!(app.count("sessions").await, 0);
}

async fn too_many_failures_lock_the_account(app: TestApp) {
    for attempt in 1..=5 {
        let response = app.sign_in(ACCOUNTANT, "wrong").await;
        assert_eq!(
            response.app_error(),
            AppError::InvalidCredentials,
            "attempt {attempt}"
        );
    }
    // Even the right password is refused now, with the time to wait.
    let locked = app.sign_in(ACCOUNTANT, PASSWORD).await;
    assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS);
    match locked.app_error() {
        AppError::TooManyAttempts {
            retry_after_minutes,
        } => assert!(
            (1..=15).contains(&retry_after_minutes),
            "{retry_after_minutes}"
        ),
        other => panic!("expected a lock-out, got {other:?}"),
    }
    assert_eq!(app.count("sessions").await, 0);

    // An unknown account locks the same way, so a lock-out does not reveal who exists.
    for _ in 0..5 {
        app.sign_in("ghost@demo.local", "wrong").await;
    }
    assert!(matches!(
        app.sign_in("ghost@demo.local", "wrong").await.app_error(),
        AppError::TooManyAttempts { .. }
    ));

    // Other accounts are not affected.
    let other = app.sign_in(MANAGER, PASSWORD).await;
    assert_eq!(other.status, StatusCode::OK, "{}", other.body);

    // When the window has passed, the account opens again.
    app.exec("UPDATE login_failures SET failed_at = '2000-01-01 00:00:00+00:00'")
        .await;
    let later = app.sign_in(ACCOUNTANT, PASSWORD).await;
    assert_eq!(later.status, StatusCode::OK, "{}", later.body);
}

async fn too_many_failures_from_one_address_lock_that_address(app: TestApp) {
    let attacker = "198.51.100.66";
    for i in 0..20 {
        let response = app
            .sign_in_from(&format!("guess{i}@demo.local"), "wrong", attacker)
            .await;
        assert_eq!(response.app_error(), AppError::InvalidCredentials);
    }
    // A wrong password from the locked address hears of the lock (a right one still gets
    // in: `abuse::a_right_password_gets_past_a_locked_address`).
    let from_attacker = app.sign_in_from(MANAGER, "wrong", attacker).await;
    assert!(matches!(
        from_attacker.app_error(),
        AppError::TooManyAttempts { .. }
    ));
    let from_elsewhere = app.sign_in_from(MANAGER, PASSWORD, "192.0.2.10").await;
    assert_eq!(
        from_elsewhere.status,
        StatusCode::OK,
        "{}",
        from_elsewhere.body
    );
}

async fn expired_session_is_refused(app: TestApp) {
    let cookie = app.session(MANAGER).await;
    assert!(me(&app, &cookie).await.is_some());

    app.exec("UPDATE sessions SET expires_at = '2000-01-01 00:00:00+00:00'")
        .await;
    assert!(me(&app, &cookie).await.is_none());
    let response = app.call("/api/staff/home", &[], Some(&cookie)).await;
    assert_eq!(response.app_error(), AppError::Unauthenticated);
    // The expired session is gone from the database.
    assert_eq!(app.count("sessions").await, 0);
}

async fn sign_out_ends_the_session_on_the_server(app: TestApp) {
    let cookie = app.session(SUPPLIER_A).await;
    let other_device = app.session(SUPPLIER_A).await;
    assert_eq!(app.count("sessions").await, 2);

    let response = app.call("/api/auth/sign_out", &[], Some(&cookie)).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    let cleared = response
        .set_cookies()
        .into_iter()
        .find(|c| c.starts_with("kabinet_session="))
        .expect("the cookie is cleared");
    assert!(cleared.contains("Max-Age=0"), "{cleared}");

    // The old cookie no longer works, even if the browser kept it.
    assert!(me(&app, &cookie).await.is_none());
    let home = app.call("/api/cabinet/home", &[], Some(&cookie)).await;
    assert_eq!(home.app_error(), AppError::Unauthenticated);
    // Signing out on one device leaves the other signed in.
    assert!(me(&app, &other_device).await.is_some());
    assert_eq!(app.count("sessions").await, 1);
}

async fn staff_and_supplier_functions_refuse_the_other_side(app: TestApp) {
    let supplier = app.session(SUPPLIER_A).await;
    let manager = app.session(MANAGER).await;

    let response = app.call("/api/staff/home", &[], Some(&supplier)).await;
    assert_eq!(response.status, StatusCode::FORBIDDEN);
    assert_eq!(response.app_error(), AppError::Forbidden);
    let response = app.call("/api/cabinet/home", &[], Some(&manager)).await;
    assert_eq!(response.app_error(), AppError::Forbidden);

    for path in ["/api/staff/home", "/api/cabinet/home"] {
        let response = app.call(path, &[], None).await;
        assert_eq!(response.app_error(), AppError::Unauthenticated, "{path}");
    }

    let response = app.call("/api/staff/home", &[], Some(&manager)).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    let response = app.call("/api/cabinet/home", &[], Some(&supplier)).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
}

async fn supplier_sees_only_its_own_counterparty(app: TestApp) {
    use app::api::home::{StaffOverview, SupplierOverview};

    let a = app.session(SUPPLIER_A).await;
    let b = app.session(SUPPLIER_B).await;
    let manager = app.session(MANAGER).await;

    let home_a: SupplierOverview = app.call("/api/cabinet/home", &[], Some(&a)).await.json();
    let home_b: SupplierOverview = app.call("/api/cabinet/home", &[], Some(&b)).await.json();
    let staff: StaffOverview = app
        .call("/api/staff/home", &[], Some(&manager))
        .await
        .json();

    let count =
        |stages: &[app::api::home::StageSummary]| stages.iter().map(|s| s.count).sum::<i64>();
    assert_eq!(home_a.counterparty_name, "ООО «Ромашка»");
    assert_eq!(home_b.counterparty_name, "АО «Вектор»");
    assert_eq!(count(&home_a.stages), 6);
    assert_eq!(count(&home_b.stages), 4);
    assert_eq!(count(&staff.stages), 10);
    assert_eq!(
        home_a.awaiting_payment.kopecks() + home_b.awaiting_payment.kopecks(),
        staff.awaiting_payment.kopecks()
    );
    // Only A's returned document, with its reason.
    assert_eq!(home_a.returned.len(), 1);
    assert!(home_a.returned[0].reason.contains("подписи"));
    assert!(home_b.returned.is_empty());
    // A's planned payments are A's invoices only.
    assert!(
        home_a
            .next_payments
            .iter()
            .all(|p| p.invoice_number.starts_with("СЧ-"))
    );
    assert!(
        home_b
            .next_payments
            .iter()
            .all(|p| p.invoice_number.starts_with("В-"))
    );
}

async fn cross_origin_posts_are_refused_and_change_nothing(app: TestApp) {
    let form = encode_form(&[("email", MANAGER), ("password", PASSWORD)]);
    let cases: [(&str, Option<&str>, Option<&str>); 4] = [
        ("foreign Origin", Some("https://evil.example"), None),
        ("cross-site fetch", Some(ORIGIN), Some("cross-site")),
        ("same-site fetch", None, Some("same-site")),
        ("no Origin at all", None, None),
    ];
    for (case, origin, fetch_site) in cases {
        let mut request = TestApp::server_fn("/api/auth/sign_in", None);
        if let Some(origin) = origin {
            request = request.header(http::header::ORIGIN, origin);
        }
        if let Some(site) = fetch_site {
            request = request.header("sec-fetch-site", site);
        }
        let response = app
            .send(request.body(Body::from(form.clone())).expect("request"))
            .await;
        assert_eq!(response.status, StatusCode::FORBIDDEN, "{case}");
        assert!(response.cookie("kabinet_session").is_none(), "{case}");
    }
    assert_eq!(app.count("sessions").await, 0);
    assert_eq!(app.count("login_failures").await, 0);

    // A forged sign-out from another site leaves the session alive.
    let cookie = app.session(MANAGER).await;
    let forged = TestApp::server_fn("/api/auth/sign_out", Some(&cookie))
        .header(http::header::ORIGIN, "https://evil.example")
        .body(Body::empty())
        .expect("request");
    assert_eq!(app.send(forged).await.status, StatusCode::FORBIDDEN);
    assert!(me(&app, &cookie).await.is_some());
}

async fn blocked_counterparty_cannot_sign_in(app: TestApp) {
    let before_block = app.session(SUPPLIER_B).await;
    app.exec(
        "UPDATE counterparties SET block_mode = 'full', block_reason = 'Просроченная задолженность.' \
         WHERE inn = '7736207543'",
    )
    .await;

    let response = app.sign_in(SUPPLIER_B, PASSWORD).await;
    assert_eq!(
        response.app_error(),
        AppError::CounterpartyBlocked {
            reason: Some("Просроченная задолженность.".to_owned())
        }
    );
    // A wrong password still gets the ordinary answer: the block is told only to the owner.
    let response = app.sign_in(SUPPLIER_B, "wrong").await;
    assert_eq!(response.app_error(), AppError::InvalidCredentials);
    // A session opened before the block stops working.
    assert!(me(&app, &before_block).await.is_none());
    // The other counterparty is unaffected.
    assert!(me(&app, &app.session(SUPPLIER_A).await).await.is_some());
}

async fn chosen_language_is_remembered_for_the_user(app: TestApp) {
    let cookie = app.session(MANAGER).await;
    let response = app
        .call("/api/auth/language", &[("lang", "en")], Some(&cookie))
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    assert_eq!(
        response.cookie("i18n_pref_locale").as_deref(),
        Some("i18n_pref_locale=en")
    );

    // On another device, signing in brings the choice back.
    let response = app.sign_in(MANAGER, PASSWORD).await;
    assert_eq!(
        response.cookie("i18n_pref_locale").as_deref(),
        Some("i18n_pref_locale=en")
    );
    // Someone else keeps their own language.
    let response = app.sign_in(SUPPLIER_A, PASSWORD).await;
    assert!(response.cookie("i18n_pref_locale").is_none());
}
