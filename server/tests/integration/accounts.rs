//! Supplier accounts on SQLite and PostgreSQL: invitations by e-mail link (single use, 7 days),
//! password reset the same way, deactivation, and the outbox sender.

use crate::common::*;
use app::api::accounts::AccountLink;
use app::domain::accounts::{TokenPurpose, TokenState};
use app::domain::form::{FieldError, FieldProblem};
use app::error::AppError;
use app::server::mailer::{Mailer, drain_once};
use http::StatusCode;

on_both_databases!(
    an_invited_person_sets_a_password_once_and_signs_in,
    an_expired_invitation_does_not_work,
    a_password_reset_link_replaces_the_password_and_ends_other_sessions,
    a_reset_request_for_an_unknown_address_answers_alike_and_sends_nothing,
    a_deactivated_supplier_is_signed_out_and_cannot_sign_in,
    the_outbox_sender_writes_each_letter_once,
);

async fn counterparty_of_a(app: &TestApp) -> String {
    app.scalar("SELECT counterparty_id AS n FROM users WHERE email = 'supplier@romashka.demo'")
        .await
        .to_string()
}

/// The token in the last letter to `to` (the outbox keeps the text as written).
pub(crate) async fn token_in_letter(app: &TestApp, to: &str, path: &str) -> String {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
    let letter = app::server::entities::email_outbox::Entity::find()
        .filter(app::server::entities::email_outbox::Column::ToAddress.eq(to))
        .order_by_desc(app::server::entities::email_outbox::Column::Id)
        .one(&app.db)
        .await
        .expect("outbox")
        .expect("a letter");
    let start = letter.body_text.find(path).expect("the link in the letter") + path.len();
    letter.body_text[start..]
        .split_whitespace()
        .next()
        .expect("a token")
        .to_owned()
}

async fn invite(app: &TestApp, staff: &str, email: &str) -> TestResponse {
    let counterparty = counterparty_of_a(app).await;
    app.call(
        "/api/staff/invite_user",
        &[
            ("counterparty_id", &counterparty),
            ("email", email),
            ("first_name", "Анна"),
            ("last_name", "Петрова"),
        ],
        Some(staff),
    )
    .await
}

async fn an_invited_person_sets_a_password_once_and_signs_in(app: TestApp) {
    let manager = app.session(MANAGER).await;
    let response = invite(&app, &manager, " Anna@Romashka.demo ").await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    // No password yet: signing in fails like any wrong password.
    let early = app.sign_in("anna@romashka.demo", "").await;
    assert_eq!(early.app_error(), AppError::InvalidCredentials);

    let token = token_in_letter(&app, "anna@romashka.demo", "/invite/").await;
    let view: AccountLink = app
        .call("/api/auth/link", &[("token", &token)], None)
        .await
        .json();
    assert_eq!(
        (view.purpose, view.state, view.email.as_str()),
        (
            TokenPurpose::Invitation,
            TokenState::Valid,
            "anna@romashka.demo"
        )
    );

    let short = app
        .call(
            "/api/auth/set_password",
            &[("token", &token), ("password", "short")],
            None,
        )
        .await;
    assert_eq!(
        short.app_error(),
        AppError::Rejected {
            problems: vec![FieldProblem::field("password", FieldError::TooShort(10))]
        }
    );
    let set = app
        .call(
            "/api/auth/set_password",
            &[("token", &token), ("password", "ромашка-весна-2026")],
            None,
        )
        .await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.body);
    assert_eq!(set.json::<String>(), "/cabinet");
    let cookie = set
        .cookie(app::server::auth::SESSION_COOKIE)
        .expect("signed in");
    let home = app.call("/api/cabinet/home", &[], Some(&cookie)).await;
    assert_eq!(home.status, StatusCode::OK, "{}", home.body);
    assert!(home.body.contains("ООО «Ромашка»"));
    let signed_in = app
        .sign_in("anna@romashka.demo", "ромашка-весна-2026")
        .await;
    assert_eq!(signed_in.status, StatusCode::OK);

    // Single use.
    let again = app
        .call(
            "/api/auth/set_password",
            &[("token", &token), ("password", "another-password-1")],
            None,
        )
        .await;
    assert_eq!(again.status, StatusCode::GONE);
    assert_eq!(again.app_error(), AppError::LinkNotValid);

    // The same address cannot be invited twice.
    let twice = invite(&app, &manager, "anna@romashka.demo").await;
    assert_eq!(
        twice.app_error(),
        AppError::Rejected {
            problems: vec![FieldProblem::field("email", FieldError::EmailTaken)]
        }
    );
}

async fn an_expired_invitation_does_not_work(app: TestApp) {
    let manager = app.session(MANAGER).await;
    assert_eq!(
        invite(&app, &manager, "late@romashka.demo").await.status,
        StatusCode::OK
    );
    let token = token_in_letter(&app, "late@romashka.demo", "/invite/").await;
    // Eight days later.
    app.exec("UPDATE user_tokens SET expires_at = '2020-01-01T00:00:00Z'")
        .await;
    let view: AccountLink = app
        .call("/api/auth/link", &[("token", &token)], None)
        .await
        .json();
    assert_eq!(view.state, TokenState::Expired);
    let set = app
        .call(
            "/api/auth/set_password",
            &[("token", &token), ("password", "long-enough-password")],
            None,
        )
        .await;
    assert_eq!(set.status, StatusCode::GONE);
    let unknown = app
        .call("/api/auth/link", &[("token", "no-such-token")], None)
        .await;
    assert_eq!(unknown.app_error(), AppError::LinkNotValid);
}

async fn a_password_reset_link_replaces_the_password_and_ends_other_sessions(app: TestApp) {
    let old_session = app.session(SUPPLIER_A).await;
    let response = app
        .call(
            "/api/auth/forgot_password",
            &[("email", "Supplier@Romashka.demo")],
            None,
        )
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    let token = token_in_letter(&app, SUPPLIER_A, "/reset/").await;
    let set = app
        .call(
            "/api/auth/set_password",
            &[("token", &token), ("password", "new-password-2026")],
            None,
        )
        .await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.body);
    assert_eq!(
        app.sign_in(SUPPLIER_A, PASSWORD).await.app_error(),
        AppError::InvalidCredentials
    );
    assert_eq!(
        app.sign_in(SUPPLIER_A, "new-password-2026").await.status,
        StatusCode::OK
    );
    let stale = app.call("/api/cabinet/home", &[], Some(&old_session)).await;
    assert_eq!(stale.status, StatusCode::UNAUTHORIZED);
}

async fn a_reset_request_for_an_unknown_address_answers_alike_and_sends_nothing(app: TestApp) {
    let before = app.count("email_outbox").await;
    let unknown = app
        .call(
            "/api/auth/forgot_password",
            &[("email", "nobody@nowhere.demo")],
            None,
        )
        .await;
    assert_eq!(
        (unknown.status, unknown.body.as_str()),
        (StatusCode::OK, "null")
    );
    assert_eq!(app.count("email_outbox").await, before);
    // A few letters an hour at most.
    for _ in 0..5 {
        app.call("/api/auth/forgot_password", &[("email", SUPPLIER_A)], None)
            .await;
    }
    assert_eq!(app.count("email_outbox").await, before + 3);
}

async fn a_deactivated_supplier_is_signed_out_and_cannot_sign_in(app: TestApp) {
    let manager = app.session(MANAGER).await;
    let supplier = app.session(SUPPLIER_A).await;
    let id = app
        .scalar("SELECT id AS n FROM users WHERE email = 'supplier@romashka.demo'")
        .await
        .to_string();
    // A supplier cannot switch anyone off.
    let refused = app
        .call(
            "/api/staff/set_user_active",
            &[("id", &id), ("active", "false")],
            Some(&supplier),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let off = app
        .call(
            "/api/staff/set_user_active",
            &[("id", &id), ("active", "false")],
            Some(&manager),
        )
        .await;
    assert_eq!(off.status, StatusCode::OK, "{}", off.body);
    let home = app.call("/api/cabinet/home", &[], Some(&supplier)).await;
    assert_eq!(home.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        app.sign_in(SUPPLIER_A, PASSWORD).await.app_error(),
        AppError::InvalidCredentials
    );
    // Staff accounts are not switched through this function.
    let manager_id = app
        .scalar("SELECT id AS n FROM users WHERE email = 'manager@demo.local'")
        .await
        .to_string();
    let staff = app
        .call(
            "/api/staff/set_user_active",
            &[("id", &manager_id), ("active", "false")],
            Some(&manager),
        )
        .await;
    assert_eq!(staff.status, StatusCode::NOT_FOUND);
    let on = app
        .call(
            "/api/staff/set_user_active",
            &[("id", &id), ("active", "true")],
            Some(&manager),
        )
        .await;
    assert_eq!(on.status, StatusCode::OK);
    assert_eq!(
        app.sign_in(SUPPLIER_A, PASSWORD).await.status,
        StatusCode::OK
    );
}

async fn the_outbox_sender_writes_each_letter_once(app: TestApp) {
    let manager = app.session(MANAGER).await;
    assert_eq!(
        invite(&app, &manager, "mail@romashka.demo").await.status,
        StatusCode::OK
    );
    let dir = app.files_dir.join("outbox");
    let mailer = Mailer::new(None, "Кабинет <noreply@localhost>", dir.clone()).expect("mailer");
    assert_eq!(drain_once(&app.db, &mailer).await.expect("drain"), 1);
    assert_eq!(drain_once(&app.db, &mailer).await.expect("drain"), 0);
    let files: Vec<_> = std::fs::read_dir(&dir)
        .expect("outbox dir")
        .flatten()
        .collect();
    assert_eq!(files.len(), 1);
    let eml = std::fs::read_to_string(files[0].path()).expect("eml");
    assert!(eml.contains("To: mail@romashka.demo"), "{eml}");
    assert!(eml.contains("Subject: "), "{eml}");
    assert_eq!(
        app.scalar("SELECT COUNT(*) AS n FROM email_outbox WHERE sent_at IS NULL")
            .await,
        0
    );
}
