#![recursion_limit = "256"]
//! Staff moving supplier documents, on SQLite and PostgreSQL: entry rules, optimistic
//! concurrency, and what the supplier then sees.
mod common;

use app::api::documents::DocumentDetails;
use app::api::moves::MovedCard;
use app::domain::form::{FieldError, FieldProblem};
use app::error::AppError;
use common::*;
use http::StatusCode;

on_both_databases!(
    a_move_shows_on_the_suppliers_page_with_its_timeline,
    two_moves_from_the_same_version_one_wins_the_other_conflicts,
    a_move_missing_required_data_changes_nothing,
    suppliers_cannot_move_cards,
);

async fn card_id(app: &TestApp, number: &str) -> i32 {
    app.scalar(&format!(
        "SELECT id AS n FROM document_cards WHERE invoice_number = '{number}'"
    ))
    .await as i32
}

async fn version(app: &TestApp, id: i32) -> i32 {
    app.scalar(&format!(
        "SELECT version AS n FROM document_cards WHERE id = {id}"
    ))
    .await as i32
}

async fn move_to(
    app: &TestApp,
    cookie: &str,
    id: i32,
    to: &str,
    version: i32,
    extra: &[(&str, &str)],
) -> TestResponse {
    let (id, version) = (id.to_string(), version.to_string());
    let mut form = vec![
        ("id", id.as_str()),
        ("to", to),
        ("version", version.as_str()),
    ];
    form.extend_from_slice(extra);
    app.call("/api/staff/move_document", &form, Some(cookie))
        .await
}

async fn a_move_shows_on_the_suppliers_page_with_its_timeline(app: TestApp) {
    let manager = app.session(MANAGER).await;
    let accountant = app.session(ACCOUNTANT).await;
    let supplier = app.session(SUPPLIER_A).await;
    let id = card_id(&app, "СЧ-98").await; // under review
    let v = version(&app, id).await;
    let moved = move_to(&app, &manager, id, "accounting", v, &[]).await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);
    let moved: MovedCard = moved.json();
    assert_eq!((moved.stage.as_str(), moved.version), ("accounting", v + 1));

    let planned = move_to(
        &app,
        &accountant,
        id,
        "payment_plan",
        moved.version,
        &[("planned_payment_date", "2026-12-05")],
    )
    .await;
    assert_eq!(planned.status, StatusCode::OK, "{}", planned.body);

    let response = app
        .call(
            "/api/cabinet/document",
            &[("id", &id.to_string())],
            Some(&supplier),
        )
        .await;
    let document: DocumentDetails = response.json();
    assert_eq!(document.stage.code, "payment_plan");
    assert_eq!(
        document.planned_payment_date,
        chrono::NaiveDate::from_ymd_opt(2026, 12, 5)
    );
    let stages: Vec<_> = document
        .timeline
        .iter()
        .map(|e| e.stage.code.as_str())
        .collect();
    assert!(
        stages.ends_with(&["accounting", "payment_plan"]),
        "{stages:?}"
    );
}

async fn two_moves_from_the_same_version_one_wins_the_other_conflicts(app: TestApp) {
    let manager = app.session(MANAGER).await;
    let id = card_id(&app, "СЧ-101").await;
    let v = version(&app, id).await;
    let events_before = app.count("stage_events").await;
    let (first, second) = tokio::join!(
        move_to(&app, &manager, id, "review", v, &[]),
        move_to(
            &app,
            &manager,
            id,
            "returned",
            v,
            &[("comment", "Нет акта")]
        ),
    );
    let mut statuses = [first.status, second.status];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::OK, StatusCode::CONFLICT]);
    let loser = if first.status == StatusCode::CONFLICT {
        &first
    } else {
        &second
    };
    assert_eq!(loser.app_error(), AppError::Conflict);
    assert_eq!(app.count("stage_events").await, events_before + 1);
    assert_eq!(version(&app, id).await, v + 1);
}

async fn a_move_missing_required_data_changes_nothing(app: TestApp) {
    let manager = app.session(MANAGER).await;
    let id = card_id(&app, "СЧ-95").await; // in accounting
    let v = version(&app, id).await;
    let events_before = app.count("stage_events").await;
    for (to, field) in [
        ("payment_plan", "planned_payment_date"),
        ("paid", "paid_date"),
        ("returned", "comment"),
    ] {
        let response = move_to(&app, &manager, id, to, v, &[]).await;
        assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY, "{to}");
        assert_eq!(
            response.app_error(),
            AppError::Rejected {
                problems: vec![FieldProblem::field(field, FieldError::Required)]
            },
            "{to}"
        );
    }
    assert_eq!(version(&app, id).await, v);
    assert_eq!(app.count("stage_events").await, events_before);
}

async fn suppliers_cannot_move_cards(app: TestApp) {
    let supplier = app.session(SUPPLIER_A).await;
    let id = card_id(&app, "СЧ-101").await;
    let v = version(&app, id).await;
    let response = move_to(&app, &supplier, id, "review", v, &[]).await;
    assert_eq!(response.status, StatusCode::FORBIDDEN);
    assert_eq!(version(&app, id).await, v);
}
