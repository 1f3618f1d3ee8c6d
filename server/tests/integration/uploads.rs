//! Uploading documents, corrected files and downloads, on SQLite and PostgreSQL: what is stored,
//! what is refused (and that a refusal stores nothing), and who may fetch a file.

use crate::common::*;
use app::api::documents::{DocumentDetails, Submitted};
use app::domain::files::FileRejection;
use app::domain::form::{FieldError, FieldProblem};
use app::domain::money::MoneyError;
use app::error::AppError;
use http::StatusCode;

on_both_databases!(
    an_upload_creates_the_card_its_files_and_its_first_stage_event,
    the_same_file_again_is_a_possible_duplicate_for_that_counterparty_only,
    bad_input_is_refused_with_a_clear_error_and_stores_nothing,
    a_truncated_body_stores_nothing,
    downloads_carry_the_type_the_original_name_and_nosniff,
    another_counterpartys_file_and_card_are_not_found,
    corrected_files_put_a_returned_document_back_to_uploaded,
    only_a_returned_document_takes_corrected_files,
    staff_downloads_are_audited_and_staff_cannot_upload,
    an_upload_without_the_same_origin_is_refused,
    a_plain_form_upload_gets_pages_not_json,
);

async fn upload_ok(app: &TestApp, cookie: &str, parts: &[Part<'_>]) -> Submitted {
    let response = app.upload(parts, cookie).await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.body);
    response.json()
}

async fn details(app: &TestApp, cookie: &str, id: i32) -> DocumentDetails {
    let response = app
        .call(
            "/api/cabinet/document",
            &[("id", &id.to_string())],
            Some(cookie),
        )
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    response.json()
}

fn with_files(mut parts: Vec<Part<'static>>, files: Vec<Part<'static>>) -> Vec<Part<'static>> {
    parts.extend(files);
    parts
}

fn file(file_name: &'static str, content: Vec<u8>) -> Part<'static> {
    Part::File {
        field: "files",
        file_name,
        content,
    }
}

async fn snapshot(app: &TestApp) -> (i64, i64, i64, i64, usize) {
    (
        app.count("document_cards").await,
        app.count("document_files").await,
        app.count("stage_events").await,
        app.count("audit_log").await,
        app.stored_files().len(),
    )
}

async fn an_upload_creates_the_card_its_files_and_its_first_stage_event(app: TestApp) {
    let a = app.session(SUPPLIER_A).await;
    let cards_before = app.count("document_cards").await;
    let parts = with_files(
        invoice_fields("СЧ-200"),
        vec![
            file("Счёт СЧ-200.pdf", pdf("invoice 200")),
            file("act-photo.jpg", jpeg("act 200")),
        ],
    );
    let submitted = upload_ok(&app, &a, &parts).await;
    assert!(!submitted.possible_duplicate);
    assert_eq!(app.count("document_cards").await, cards_before + 1);

    let document = details(&app, &a, submitted.card_id).await;
    assert_eq!(document.invoice_number, "СЧ-200");
    assert_eq!(document.stage.code, "uploaded");
    assert_eq!(document.amount.kopecks(), 1_234_567);
    assert_eq!(document.comment, "Поставка за ноябрь");
    assert_eq!(document.timeline.len(), 1);
    assert_eq!(document.timeline[0].stage.code, "uploaded");
    let names: Vec<_> = document.files.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["Счёт СЧ-200.pdf", "act-photo.jpg"]);
    let mimes: Vec<_> = document.files.iter().map(|f| f.mime.as_str()).collect();
    assert_eq!(mimes, ["application/pdf", "image/jpeg"]);
    // Two objects under their hash names, no temporary file left.
    let stored = app.stored_files();
    assert_eq!(stored.len(), 2, "{stored:?}");
    assert!(
        stored
            .iter()
            .all(|p| p.to_string_lossy().contains("objects"))
    );

    // The new document is in the supplier's list, newest first.
    let list = app
        .call("/api/cabinet/documents", &[], Some(&a))
        .await
        .json::<app::api::documents::DocumentList>();
    assert_eq!(list.rows[0].invoice_number, "СЧ-200");
}

async fn the_same_file_again_is_a_possible_duplicate_for_that_counterparty_only(app: TestApp) {
    let a = app.session(SUPPLIER_A).await;
    let b = app.session(SUPPLIER_B).await;
    let first = upload_ok(
        &app,
        &a,
        &with_files(invoice_fields("1"), vec![file("a.pdf", pdf("same"))]),
    )
    .await;
    assert!(!first.possible_duplicate);
    let again = upload_ok(
        &app,
        &a,
        &with_files(invoice_fields("2"), vec![file("renamed.pdf", pdf("same"))]),
    )
    .await;
    assert!(again.possible_duplicate);
    assert!(details(&app, &a, again.card_id).await.possible_duplicate);
    // Another counterparty sending the same content is not told about A's file.
    let other = upload_ok(
        &app,
        &b,
        &with_files(invoice_fields("3"), vec![file("b.pdf", pdf("same"))]),
    )
    .await;
    assert!(!other.possible_duplicate);
    // One object for three rows.
    assert_eq!(app.stored_files().len(), 1);
    assert_eq!(app.count("document_files").await, 3);
}

fn problems(response: &TestResponse) -> Vec<FieldProblem> {
    assert_eq!(
        response.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        response.body
    );
    match response.app_error() {
        AppError::Rejected { problems } => problems,
        other => panic!("expected a rejected form, got {other:?}"),
    }
}

fn field(name: &str, error: FieldError) -> FieldProblem {
    FieldProblem::field(name, error)
}

async fn bad_input_is_refused_with_a_clear_error_and_stores_nothing(app: TestApp) {
    let a = app.session(SUPPLIER_A).await;
    let before = snapshot(&app).await;
    let over_limit = {
        let mut bytes = pdf("big");
        bytes.resize(25 * 1024 * 1024 + 1, b' ');
        bytes
    };
    let executable = {
        let mut bytes = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff".to_vec();
        bytes.extend_from_slice(&[0u8; 200]);
        bytes
    };
    let fields_without = |name: &str| -> Vec<Part<'static>> {
        invoice_fields("СЧ-1")
            .into_iter()
            .filter(|p| !matches!(p, Part::Text(n, _) if *n == name))
            .collect()
    };
    let fields_with = |name: &'static str, value: &'static str| -> Vec<Part<'static>> {
        let mut parts = fields_without(name);
        parts.push(Part::Text(name, value));
        parts
    };
    let good_file = || file("ok.pdf", pdf("fine"));
    let table: Vec<(&str, Vec<Part<'static>>, Vec<FieldProblem>)> = vec![
        (
            "file over the limit",
            with_files(invoice_fields("1"), vec![file("big.pdf", over_limit)]),
            vec![FieldProblem::file("big.pdf", FileRejection::TooBig)],
        ),
        (
            "executable renamed to .pdf",
            with_files(invoice_fields("1"), vec![file("invoice.pdf", executable)]),
            vec![FieldProblem::file(
                "invoice.pdf",
                FileRejection::TypeNotAllowed,
            )],
        ),
        (
            "empty file",
            with_files(
                invoice_fields("1"),
                vec![file("empty.pdf", Vec::new()), good_file()],
            ),
            vec![FieldProblem::file("empty.pdf", FileRejection::Empty)],
        ),
        (
            "no file",
            invoice_fields("1"),
            vec![FieldProblem::submission(FieldError::NoFiles)],
        ),
        (
            "missing invoice number",
            with_files(fields_without("invoice_number"), vec![good_file()]),
            vec![field("invoice_number", FieldError::Required)],
        ),
        (
            "negative amount",
            with_files(fields_with("amount", "-100"), vec![good_file()]),
            vec![field("amount", FieldError::Amount(MoneyError::Negative))],
        ),
        (
            "malformed amount",
            with_files(fields_with("amount", "12,34,56"), vec![good_file()]),
            vec![field("amount", FieldError::Amount(MoneyError::Malformed))],
        ),
        (
            "kopecks past two digits",
            with_files(fields_with("amount", "10,005"), vec![good_file()]),
            vec![field("amount", FieldError::Amount(MoneyError::TooPrecise))],
        ),
        (
            "amount over the maximum",
            with_files(
                fields_with("amount", "90 000 000 000 000 000"),
                vec![good_file()],
            ),
            vec![field(
                "amount",
                FieldError::Amount(MoneyError::AboveMaximum(
                    app::domain::money::Money::DEFAULT_MAXIMUM,
                )),
            )],
        ),
        (
            "unknown VAT rate",
            with_files(fields_with("vat", "18"), vec![good_file()]),
            vec![field("vat", FieldError::Unknown)],
        ),
    ];
    for (case, parts, expected) in table {
        let response = app.upload(&parts, &a).await;
        assert_eq!(problems(&response), expected, "{case}");
        assert_eq!(snapshot(&app).await, before, "{case}: something was stored");
    }
}

async fn a_truncated_body_stores_nothing(app: TestApp) {
    let a = app.session(SUPPLIER_A).await;
    let before = snapshot(&app).await;
    let mut big = pdf("cut");
    big.resize(2 * 1024 * 1024, b'x');
    let mut body = multipart_body(&with_files(invoice_fields("1"), vec![file("cut.pdf", big)]));
    body.truncate(body.len() / 2);
    let response = app
        .post_multipart(app::paths::UPLOAD_PATH, body, Some(&a))
        .await;
    assert_eq!(
        problems(&response),
        vec![FieldProblem::submission(FieldError::Incomplete)]
    );
    assert_eq!(snapshot(&app).await, before);
}

async fn downloads_carry_the_type_the_original_name_and_nosniff(app: TestApp) {
    let a = app.session(SUPPLIER_A).await;
    let content = pdf("download me");
    let submitted = upload_ok(
        &app,
        &a,
        &with_files(
            invoice_fields("1"),
            vec![file("Счёт №5 «Ромашка».pdf", content.clone())],
        ),
    )
    .await;
    let document = details(&app, &a, submitted.card_id).await;
    let file = &document.files[0];

    let opened = app.get(&file.href(false), Some(&a), "ru").await;
    assert_eq!(opened.status, StatusCode::OK);
    assert_eq!(opened.body.as_bytes(), content.as_slice());
    let header = |r: &TestResponse, name: &str| {
        r.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    assert_eq!(header(&opened, "content-type"), "application/pdf");
    assert_eq!(header(&opened, "x-content-type-options"), "nosniff");
    let disposition = header(&opened, "content-disposition");
    assert_eq!(
        disposition,
        app::domain::files::content_disposition("Счёт №5 «Ромашка».pdf", true)
    );
    assert!(
        disposition.starts_with("inline; filename=\"____ _5 _________.pdf\"; filename*=UTF-8''%D0%A1%D1%87%D1%91%D1%82%20"),
        "{disposition}"
    );
    assert!(header(&opened, "cache-control").contains("private"));
    // An opened file may be framed by the app's own card page (preview), by nobody else.
    assert_eq!(header(&opened, "x-frame-options"), "SAMEORIGIN");
    assert!(header(&opened, "content-security-policy").contains("frame-ancestors 'self'"));

    let saved = app.get(&file.href(true), Some(&a), "ru").await;
    assert_eq!(header(&saved, "x-frame-options"), "DENY");
    assert!(header(&saved, "content-disposition").starts_with("attachment; "));

    // Signed out: sign in first.
    let stranger = app.get(&file.href(false), None, "ru").await;
    assert_eq!(stranger.status, StatusCode::UNAUTHORIZED);
}

async fn another_counterpartys_file_and_card_are_not_found(app: TestApp) {
    let a = app.session(SUPPLIER_A).await;
    let b = app.session(SUPPLIER_B).await;
    let submitted = upload_ok(
        &app,
        &a,
        &with_files(invoice_fields("1"), vec![file("a.pdf", pdf("mine"))]),
    )
    .await;
    let file_id = details(&app, &a, submitted.card_id).await.files[0].id;
    let missing_file = app
        .get(&app::paths::download_path(999_999, false), Some(&b), "ru")
        .await;
    let foreign_file = app
        .get(&app::paths::download_path(file_id, false), Some(&b), "ru")
        .await;
    assert_eq!(foreign_file.status, StatusCode::NOT_FOUND);
    assert_eq!(
        (foreign_file.status, foreign_file.body.clone()),
        (missing_file.status, missing_file.body.clone())
    );

    // Corrected files to A's returned card from B: not found, and nothing changes.
    let returned = returned_card_of_a(&app).await;
    let before = snapshot(&app).await;
    let body = || multipart_body(&[file("fix.pdf", pdf("fix"))]);
    let foreign = app
        .post_multipart(
            &app::paths::corrected_files_path(returned),
            body(),
            Some(&b),
        )
        .await;
    let missing = app
        .post_multipart(&app::paths::corrected_files_path(999_999), body(), Some(&b))
        .await;
    assert_eq!(foreign.status, StatusCode::NOT_FOUND);
    assert_eq!(
        (foreign.status, foreign.body),
        (missing.status, missing.body)
    );
    assert_eq!(snapshot(&app).await, before);
    assert_eq!(details(&app, &a, returned).await.stage.code, "returned");
}

async fn returned_card_of_a(app: &TestApp) -> i32 {
    app.scalar(
        "SELECT c.id AS n FROM document_cards c JOIN stages s ON s.id = c.stage_id \
         WHERE s.code = 'returned' AND c.invoice_number = 'СЧ-99'",
    )
    .await as i32
}

async fn corrected_files_put_a_returned_document_back_to_uploaded(app: TestApp) {
    let a = app.session(SUPPLIER_A).await;
    let returned = returned_card_of_a(&app).await;
    let before = details(&app, &a, returned).await;
    assert_eq!(before.stage.code, "returned");
    assert!(before.return_comment.is_some());

    let response = app
        .post_multipart(
            &app::paths::corrected_files_path(returned),
            multipart_body(&[file("акт исправленный.pdf", pdf("fixed act"))]),
            Some(&a),
        )
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    let after = details(&app, &a, returned).await;
    assert_eq!(after.stage.code, "uploaded");
    assert_eq!(after.return_comment, None);
    assert_eq!(after.files.len(), before.files.len() + 1);
    let stages: Vec<_> = after
        .timeline
        .iter()
        .map(|e| e.stage.code.as_str())
        .collect();
    assert_eq!(stages.last(), Some(&"uploaded"));
    assert_eq!(after.timeline.len(), before.timeline.len() + 1);
}

async fn only_a_returned_document_takes_corrected_files(app: TestApp) {
    let a = app.session(SUPPLIER_A).await;
    let submitted = upload_ok(
        &app,
        &a,
        &with_files(invoice_fields("1"), vec![file("a.pdf", pdf("first"))]),
    )
    .await;
    let before = snapshot(&app).await;
    let response = app
        .post_multipart(
            &app::paths::corrected_files_path(submitted.card_id),
            multipart_body(&[file("b.pdf", pdf("second"))]),
            Some(&a),
        )
        .await;
    assert_eq!(
        problems(&response),
        vec![FieldProblem::submission(FieldError::NotReturned)]
    );
    assert_eq!(snapshot(&app).await, before);
}

async fn staff_downloads_are_audited_and_staff_cannot_upload(app: TestApp) {
    let a = app.session(SUPPLIER_A).await;
    let manager = app.session(MANAGER).await;
    let submitted = upload_ok(
        &app,
        &a,
        &with_files(invoice_fields("1"), vec![file("a.pdf", pdf("audit"))]),
    )
    .await;
    let file_id = details(&app, &a, submitted.card_id).await.files[0].id;
    let audited = "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'file_downloaded'";
    assert_eq!(app.scalar(audited).await, 0);
    let response = app
        .get(
            &app::paths::download_path(file_id, true),
            Some(&manager),
            "ru",
        )
        .await;
    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(app.scalar(audited).await, 1);

    let before = snapshot(&app).await;
    let refused = app
        .upload(
            &with_files(invoice_fields("1"), vec![file("a.pdf", pdf("staff"))]),
            &manager,
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(snapshot(&app).await, before);
}

async fn an_upload_without_the_same_origin_is_refused(app: TestApp) {
    let a = app.session(SUPPLIER_A).await;
    let before = snapshot(&app).await;
    let request = http::Request::post(app::paths::UPLOAD_PATH)
        .header(http::header::HOST, HOST)
        .header(http::header::ORIGIN, "https://evil.example")
        .header(http::header::COOKIE, &a)
        .header(
            http::header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(axum::body::Body::from(multipart_body(&with_files(
            invoice_fields("1"),
            vec![file("a.pdf", pdf("csrf"))],
        ))))
        .expect("request");
    let response = app.send(request).await;
    assert_eq!(response.status, StatusCode::FORBIDDEN);
    assert_eq!(snapshot(&app).await, before);
}

async fn a_plain_form_upload_gets_pages_not_json(app: TestApp) {
    let a = app.session(SUPPLIER_A).await;
    let post = |parts: Vec<Part<'static>>| {
        let request = http::Request::post(app::paths::UPLOAD_PATH)
            .header(http::header::HOST, HOST)
            .header(http::header::ORIGIN, ORIGIN)
            .header(http::header::COOKIE, &a)
            .header(http::header::ACCEPT, "text/html,application/xhtml+xml")
            .header(
                http::header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={BOUNDARY}"),
            )
            .body(axum::body::Body::from(multipart_body(&parts)))
            .expect("request");
        app.send(request)
    };
    let done = post(with_files(
        invoice_fields("HTML-1"),
        vec![file("a.pdf", pdf("plain"))],
    ))
    .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    let location = done
        .headers
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    assert!(
        location.starts_with("/cabinet/documents/") && location.ends_with("?uploaded=1"),
        "{location}"
    );

    let before = snapshot(&app).await;
    let refused = post(invoice_fields("HTML-2")).await;
    refused.assert_redirect_to("/cabinet/upload?refused=1");
    assert_eq!(snapshot(&app).await, before);
}

on_both_databases!(staff_attach_a_payment_order_to_a_card);

async fn staff_attach_a_payment_order_to_a_card(app: TestApp) {
    let manager = app.session(MANAGER).await;
    let supplier = app.session(SUPPLIER_A).await;
    let card = app
        .scalar("SELECT id AS n FROM document_cards WHERE invoice_number = 'СЧ-87'")
        .await as i32; // paid
    let before = details(&app, &supplier, card).await.files.len();
    let body = multipart_body(&[Part::File {
        field: "files",
        file_name: "Платёжное поручение 512.pdf",
        content: pdf("payment order"),
    }]);
    let response = app
        .post_multipart(
            &app::paths::staff_files_path(card),
            body.clone(),
            Some(&manager),
        )
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    // The supplier sees the payment order among the document's files.
    let files = details(&app, &supplier, card).await.files;
    assert_eq!(files.len(), before + 1);
    assert!(
        files
            .iter()
            .any(|f| f.name == "Платёжное поручение 512.pdf")
    );
    // Suppliers attach nothing this way.
    let refused = app
        .post_multipart(&app::paths::staff_files_path(card), body, Some(&supplier))
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    // A form with no file is refused and stores nothing.
    let empty = app
        .post_multipart(
            &app::paths::staff_files_path(card),
            multipart_body(&[Part::Text("note", "")]),
            Some(&manager),
        )
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(details(&app, &supplier, card).await.files.len(), before + 1);
}
