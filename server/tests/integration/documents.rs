//! A supplier's documents list and document page, on SQLite and PostgreSQL: scope, filters,
//! pagination, and another counterparty's document answered exactly like a missing one.

use crate::common::*;
use app::api::documents::{DocumentDetails, DocumentList};
use app::error::AppError;
use http::StatusCode;

on_both_databases!(
    each_supplier_lists_only_its_own_documents_newest_first,
    filters_by_stage_period_and_text,
    long_lists_are_paged,
    bad_filters_get_a_clear_error,
    document_page_shows_the_timeline_and_the_return_reason,
    another_counterpartys_document_is_not_found,
    staff_cannot_use_the_supplier_document_functions,
);

async fn list(app: &TestApp, cookie: &str, form: &[(&str, &str)]) -> DocumentList {
    let response = app.call("/api/cabinet/documents", form, Some(cookie)).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    response.json()
}

fn numbers(list: &DocumentList) -> Vec<&str> {
    list.rows
        .iter()
        .map(|r| r.invoice_number.as_str())
        .collect()
}

async fn each_supplier_lists_only_its_own_documents_newest_first(app: TestApp) {
    let a = app.session(SUPPLIER_A).await;
    let b = app.session(SUPPLIER_B).await;
    let of_a = list(&app, &a, &[]).await;
    let of_b = list(&app, &b, &[]).await;
    assert_eq!(of_a.total, 6);
    assert_eq!(of_b.total, 4);
    assert!(
        of_a.rows
            .iter()
            .all(|r| r.counterparty_name == "ООО «Ромашка»")
    );
    assert!(
        of_b.rows
            .iter()
            .all(|r| r.counterparty_name == "АО «Вектор»")
    );
    assert_eq!(
        numbers(&of_a),
        ["СЧ-101", "СЧ-99", "СЧ-98", "СЧ-95", "СЧ-91", "СЧ-87"]
    );
    assert_eq!(of_a.stages.len(), 6);
    assert_eq!((of_a.page, of_a.pages), (1, 1));
}

async fn filters_by_stage_period_and_text(app: TestApp) {
    let a = app.session(SUPPLIER_A).await;
    let returned = list(&app, &a, &[("stage", "returned")]).await;
    assert_eq!(numbers(&returned), ["СЧ-99"]);

    // Case does not matter, in Cyrillic too.
    let by_text = list(&app, &a, &[("text", "сч-9")]).await;
    assert_eq!(numbers(&by_text), ["СЧ-99", "СЧ-98", "СЧ-95", "СЧ-91"]);
    // A wildcard typed by the user is a literal character.
    assert_eq!(list(&app, &a, &[("text", "%")]).await.total, 0);
    // Another counterparty's numbers are not found by searching.
    assert_eq!(list(&app, &a, &[("text", "В-2026")]).await.total, 0);

    // The period is by invoice date, both ends included.
    let dates: Vec<_> = list(&app, &a, &[])
        .await
        .rows
        .iter()
        .map(|r| r.invoice_date)
        .collect();
    let (newest, oldest) = (dates[0], dates[dates.len() - 1]);
    let from = newest.format("%Y-%m-%d").to_string();
    let only_newest = list(&app, &a, &[("from", &from), ("to", &from)]).await;
    assert_eq!(numbers(&only_newest), ["СЧ-101"]);
    let to = oldest.format("%Y-%m-%d").to_string();
    let everything = list(&app, &a, &[("from", &to), ("to", &from)]).await;
    assert_eq!(everything.total, 6);

    let combined = list(&app, &a, &[("stage", "paid"), ("text", "87")]).await;
    assert_eq!(numbers(&combined), ["СЧ-87"]);
    assert_eq!(
        list(&app, &a, &[("stage", "paid"), ("text", "99")])
            .await
            .total,
        0
    );
}

async fn long_lists_are_paged(app: TestApp) {
    // 30 more documents for counterparty A, made in the past so the demo ones stay newest.
    for i in 0..30 {
        app.exec(&format!(
            "INSERT INTO document_cards (counterparty_id, stage_id, kind, invoice_number, \
             invoice_date, amount_kopecks, comment, version, created_at, stage_entered_at, \
             search_text) \
             SELECT c.id, s.id, 'invoice_with_act', 'OLD-{i:02}', '2025-01-01', 100, '', 1, \
             '2025-01-{day:02} 00:00:00+00:00', '2025-01-01 00:00:00+00:00', 'old-{i:02}' \
             FROM counterparties c, stages s WHERE c.inn = '7707083893' AND s.code = 'uploaded'",
            day = i + 1
        ))
        .await;
    }
    let a = app.session(SUPPLIER_A).await;
    let first = list(&app, &a, &[]).await;
    assert_eq!((first.total, first.page, first.pages), (36, 1, 2));
    assert_eq!(first.rows.len(), 20);
    let second = list(&app, &a, &[("page", "2")]).await;
    assert_eq!((second.page, second.rows.len()), (2, 16));
    assert_eq!(
        second.rows.last().map(|r| r.invoice_number.as_str()),
        Some("OLD-00")
    );
    // No row is on both pages.
    assert!(second.rows.iter().all(|r| !first.rows.contains(r)));
    // A page past the end shows the last one.
    let past = list(&app, &a, &[("page", "9")]).await;
    assert_eq!(past.page, 2);
    // Supplier B still sees its own four only.
    let b = app.session(SUPPLIER_B).await;
    assert_eq!(list(&app, &b, &[]).await.total, 4);
}

async fn bad_filters_get_a_clear_error(app: TestApp) {
    let a = app.session(SUPPLIER_A).await;
    let cases = [
        (vec![("stage", "archived")], "stage"),
        (vec![("from", "31.12.2026")], "period"),
        (vec![("from", "2026-11-30"), ("to", "2026-11-01")], "period"),
    ];
    for (form, field) in cases {
        let response = app.call("/api/cabinet/documents", &form, Some(&a)).await;
        assert_eq!(
            response.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{form:?}"
        );
        match response.app_error() {
            AppError::Invalid { field: f, .. } => assert_eq!(f, field, "{form:?}"),
            other => panic!("{form:?}: expected a field error, got {other:?}"),
        }
    }
}

async fn document_id(app: &TestApp, cookie: &str, number: &str) -> i32 {
    let found = list(app, cookie, &[("text", number)]).await;
    found
        .rows
        .iter()
        .find(|r| r.invoice_number == number)
        .map(|r| r.card_id)
        .unwrap_or_else(|| panic!("{number} not listed"))
}

async fn document_page_shows_the_timeline_and_the_return_reason(app: TestApp) {
    let a = app.session(SUPPLIER_A).await;
    let id = document_id(&app, &a, "СЧ-99").await;
    let response = app
        .call(
            "/api/cabinet/document",
            &[("id", &id.to_string())],
            Some(&a),
        )
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    let document: DocumentDetails = response.json();
    assert_eq!(document.stage.code, "returned");
    assert!(
        document
            .return_comment
            .as_deref()
            .is_some_and(|c| c.contains("подписи"))
    );
    let stages: Vec<&str> = document
        .timeline
        .iter()
        .map(|t| t.stage.code.as_str())
        .collect();
    assert_eq!(stages, ["uploaded", "returned"]);
    assert!(document.timeline[0].at <= document.timeline[1].at);

    let planned = document_id(&app, &a, "СЧ-91").await;
    let document: DocumentDetails = app
        .call(
            "/api/cabinet/document",
            &[("id", &planned.to_string())],
            Some(&a),
        )
        .await
        .json();
    assert_eq!(document.stage.code, "payment_plan");
    assert!(document.planned_payment_date.is_some());
    assert_eq!(document.return_comment, None);
}

async fn another_counterpartys_document_is_not_found(app: TestApp) {
    let a = app.session(SUPPLIER_A).await;
    let b = app.session(SUPPLIER_B).await;
    let of_b = document_id(&app, &b, "В-2026/311").await;
    let missing = 1_000_000;

    let foreign = app
        .call(
            "/api/cabinet/document",
            &[("id", &of_b.to_string())],
            Some(&a),
        )
        .await;
    let absent = app
        .call(
            "/api/cabinet/document",
            &[("id", &missing.to_string())],
            Some(&a),
        )
        .await;
    assert_eq!(foreign.status, StatusCode::NOT_FOUND);
    assert_eq!(
        (foreign.status, foreign.body.clone()),
        (absent.status, absent.body)
    );
    assert_eq!(foreign.app_error(), AppError::NotFound);
    // B still sees its own.
    let own = app
        .call(
            "/api/cabinet/document",
            &[("id", &of_b.to_string())],
            Some(&b),
        )
        .await;
    assert_eq!(own.status, StatusCode::OK);
}

async fn staff_cannot_use_the_supplier_document_functions(app: TestApp) {
    let manager = app.session(MANAGER).await;
    let response = app
        .call("/api/cabinet/documents", &[], Some(&manager))
        .await;
    assert_eq!(response.app_error(), AppError::Forbidden);
    let response = app
        .call("/api/cabinet/document", &[("id", "1")], Some(&manager))
        .await;
    assert_eq!(response.app_error(), AppError::Forbidden);
    let response = app.call("/api/cabinet/documents", &[], None).await;
    assert_eq!(response.app_error(), AppError::Unauthenticated);
}
