//! Staff moving supplier documents, on SQLite and PostgreSQL: entry rules, optimistic
//! concurrency, and what the supplier then sees.

use crate::common::*;
use app::api::documents::DocumentDetails;
use app::api::moves::MovedCard;
use app::domain::form::{FieldError, FieldProblem};
use app::error::AppError;
use http::StatusCode;

on_both_databases!(
    a_move_shows_on_the_suppliers_page_with_its_timeline,
    two_moves_from_the_same_version_one_wins_the_other_conflicts,
    a_move_missing_required_data_changes_nothing,
    suppliers_cannot_move_cards,
    a_hundred_concurrent_moves_of_different_cards_all_succeed,
    entering_accounting_notifies_the_accountants_and_tells_the_supplier,
    a_plain_form_move_returns_to_the_board_or_asks_for_what_is_missing,
    an_admin_changes_what_entering_a_stage_does,
    assigning_a_card_tells_the_new_responsible_person,
    after_moscow_midnight_a_payment_dated_the_company_today_is_not_in_the_future,
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
    for table in [
        "notifications",
        "card_messages",
        "card_changes",
        "email_outbox",
    ] {
        assert_eq!(app.count(table).await, 0, "{table}");
    }
}

async fn suppliers_cannot_move_cards(app: TestApp) {
    let supplier = app.session(SUPPLIER_A).await;
    let id = card_id(&app, "СЧ-101").await;
    let v = version(&app, id).await;
    let response = move_to(&app, &supplier, id, "review", v, &[]).await;
    assert_eq!(response.status, StatusCode::FORBIDDEN);
    assert_eq!(version(&app, id).await, v);
    assert_eq!(app.count("card_changes").await, 0);
}

/// Inserts `n` cards of the first demo counterparty in "uploaded"; returns their ids.
async fn many_uploaded_cards(app: &TestApp, n: usize) -> Vec<i32> {
    let counterparty = app
        .scalar("SELECT counterparty_id AS n FROM users WHERE email = 'supplier@romashka.demo'")
        .await;
    let stage = app
        .scalar("SELECT id AS n FROM stages WHERE code = 'uploaded'")
        .await;
    for i in 0..n {
        app.exec(&format!(
            "INSERT INTO document_cards (counterparty_id, stage_id, kind, invoice_number, \
             invoice_date, amount_kopecks, comment, version, created_at, stage_entered_at, \
             search_text, vat, possible_duplicate) VALUES ({counterparty}, {stage}, 'invoice', \
             'BULK-{i}', '2026-11-01', 100000, '', 1, '2026-11-01T00:00:00Z', \
             '2026-11-01T00:00:00Z', 'bulk-{i}', 'none', false)"
        ))
        .await;
    }
    let mut ids = Vec::new();
    for i in 0..n {
        ids.push(card_id(app, &format!("BULK-{i}")).await);
    }
    ids
}

async fn a_hundred_concurrent_moves_of_different_cards_all_succeed(app: TestApp) {
    let manager = app.session(MANAGER).await;
    let ids = many_uploaded_cards(&app, 100).await;
    let events_before = app.count("stage_events").await;
    let moves = ids
        .iter()
        .map(|id| move_to(&app, &manager, *id, "review", 1, &[]));
    let responses = futures::future::join_all(moves).await;
    for response in &responses {
        assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    }
    assert_eq!(app.count("stage_events").await, events_before + 100);
    assert_eq!(app.count("card_changes").await, 100);
    assert_eq!(
        app.scalar(
            "SELECT COUNT(*) AS n FROM document_cards c JOIN stages s ON s.id = c.stage_id \
             WHERE c.invoice_number LIKE 'BULK-%' AND s.code = 'review' AND c.version = 2"
        )
        .await,
        100
    );
}

async fn user_id(app: &TestApp, email: &str) -> i64 {
    app.scalar(&format!(
        "SELECT id AS n FROM users WHERE email = '{email}'"
    ))
    .await
}

async fn entering_accounting_notifies_the_accountants_and_tells_the_supplier(app: TestApp) {
    let manager = app.session(MANAGER).await;
    let supplier = app.session(SUPPLIER_A).await;
    let id = card_id(&app, "СЧ-98").await; // under review
    let v = version(&app, id).await;
    let moved = move_to(&app, &manager, id, "accounting", v, &[]).await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);

    let accountant = user_id(&app, ACCOUNTANT).await;
    // The accountant becomes responsible and is notified in the app and by e-mail.
    assert_eq!(
        app.scalar(&format!(
            "SELECT responsible_user_id AS n FROM document_cards WHERE id = {id}"
        ))
        .await,
        accountant
    );
    assert_eq!(
        app.scalar(&format!(
            "SELECT COUNT(*) AS n FROM notifications WHERE user_id = {accountant} AND card_id = {id}"
        ))
        .await,
        1
    );
    assert_eq!(
        app.scalar(
            "SELECT COUNT(*) AS n FROM email_outbox WHERE to_address = 'accountant@demo.local'"
        )
        .await,
        1
    );
    // The mover is not told of their own move.
    let manager_id = user_id(&app, MANAGER).await;
    assert_eq!(
        app.scalar(&format!(
            "SELECT COUNT(*) AS n FROM notifications WHERE user_id = {manager_id}"
        ))
        .await,
        0
    );
    let accountant_cookie = app.session(ACCOUNTANT).await;
    let notices: app::api::notifications::Notices = app
        .call("/api/staff/notifications", &[], Some(&accountant_cookie))
        .await
        .json();
    assert_eq!(notices.unread, 1);
    assert!(
        notices.items[0].text.contains("СЧ-98"),
        "{:?}",
        notices.items
    );
    let read = app
        .call(
            "/api/staff/notifications_read",
            &[],
            Some(&accountant_cookie),
        )
        .await;
    assert_eq!(read.status, StatusCode::OK, "{}", read.body);
    let notices: app::api::notifications::Notices = app
        .call("/api/staff/notifications", &[], Some(&accountant_cookie))
        .await
        .json();
    assert_eq!(notices.unread, 0);

    // The supplier reads the message in the card's thread, in both languages.
    let document: DocumentDetails = app
        .call(
            "/api/cabinet/document",
            &[("id", &id.to_string())],
            Some(&supplier),
        )
        .await
        .json();
    let last = document.messages.last().expect("a message to the supplier");
    assert_eq!(last.body, "Ваши документы переданы в бухгалтерию.");
    assert_eq!(
        last.text(app::domain::lang::Lang::En),
        "Your documents were passed to accounting."
    );
    assert!(last.author.is_none());

    // The supplier answers in the same thread; staff see it.
    let answer = app
        .call(
            "/api/messages/post",
            &[("card_id", &id.to_string()), ("body", "Спасибо!")],
            Some(&supplier),
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let staff_view: app::api::staff_documents::StaffDocumentView = app
        .call(
            "/api/staff/document",
            &[("id", &id.to_string())],
            Some(&manager),
        )
        .await
        .json();
    let answer = staff_view.document.messages.last().expect("the answer");
    assert_eq!(
        (answer.body.as_str(), answer.from_supplier),
        ("Спасибо!", true)
    );
    assert_eq!(
        staff_view.responsible.map(|r| r.id as i64),
        Some(accountant)
    );
    assert!(
        staff_view
            .history
            .iter()
            .any(|h| h.to.code == "accounting" && h.who.as_deref() == Some("Мария Петрова")),
        "{:?}",
        staff_view.history
    );
}

/// A form post as a browser without JavaScript sends it.
async fn plain_form_move(app: &TestApp, cookie: &str, form: &[(&str, &str)]) -> TestResponse {
    let request = TestApp::server_fn("/api/staff/move_document", Some(cookie))
        .header(http::header::ORIGIN, ORIGIN)
        .header(http::header::ACCEPT, "text/html,application/xhtml+xml")
        .body(axum::body::Body::from(encode_form(form)))
        .expect("request");
    let mut request = request;
    request
        .headers_mut()
        .insert(http::header::ACCEPT, "text/html".parse().expect("header"));
    app.send(request).await
}

async fn a_plain_form_move_returns_to_the_board_or_asks_for_what_is_missing(app: TestApp) {
    let manager = app.session(MANAGER).await;
    let id = card_id(&app, "СЧ-95").await; // in accounting
    let v = version(&app, id).await.to_string();
    let id_text = id.to_string();

    let missing = plain_form_move(
        &app,
        &manager,
        &[
            ("id", &id_text),
            ("to", "payment_plan"),
            ("version", &v),
            ("return_to", "/staff/board?mine=1"),
        ],
    )
    .await;
    missing.assert_redirect_to(&format!(
        "/staff/documents/{id}?move_to=payment_plan&problem=missing#move"
    ));
    assert_eq!(version(&app, id).await.to_string(), v);

    let done = plain_form_move(
        &app,
        &manager,
        &[
            ("id", &id_text),
            ("to", "payment_plan"),
            ("version", &v),
            ("planned_payment_date", "2026-12-10"),
            ("return_to", "/staff/board?mine=1"),
        ],
    )
    .await;
    done.assert_redirect_to("/staff/board?mine=1");

    // The same old version again: a conflict, shown on the card page.
    let stale = plain_form_move(
        &app,
        &manager,
        &[
            ("id", &id_text),
            ("to", "review"),
            ("version", &v),
            ("return_to", "https://evil.example/"),
        ],
    )
    .await;
    stale.assert_redirect_to(&format!(
        "/staff/documents/{id}?move_to=review&problem=conflict#move"
    ));
    // A foreign return address is never followed.
    let fresh = version(&app, id).await.to_string();
    let elsewhere = plain_form_move(
        &app,
        &manager,
        &[
            ("id", &id_text),
            ("to", "review"),
            ("version", &fresh),
            ("return_to", "//evil.example/"),
        ],
    )
    .await;
    elsewhere.assert_redirect_to(&format!("/staff/documents/{id}"));
}

async fn an_admin_changes_what_entering_a_stage_does(app: TestApp) {
    let admin = app.session("admin@demo.local").await;
    let manager = app.session(MANAGER).await;
    // Only an admin may change rules.
    let refused = app
        .call(
            "/api/admin/save_stage_rule",
            &[
                ("stage", "review"),
                ("notify_role", "accountant"),
                ("notify_responsible", ""),
                ("responsible", "keep"),
                ("message_ru", ""),
                ("message_en", ""),
            ],
            Some(&manager),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    let saved = app
        .call(
            "/api/admin/save_stage_rule",
            &[
                ("stage", "review"),
                ("notify_role", "accountant"),
                ("notify_responsible", ""),
                ("responsible", "keep"),
                ("message_ru", "Проверяем ваши документы"),
                ("message_en", "We are checking your documents"),
            ],
            Some(&admin),
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let rules: app::api::stage_rules::StageRuleSettings = app
        .call("/api/admin/stage_rules", &[], Some(&admin))
        .await
        .json();
    assert!(rules.staff.iter().any(|s| s.name == "Ольга Смирнова"));
    let review = rules
        .rows
        .iter()
        .find(|r| r.stage.code == "review")
        .expect("review");
    assert_eq!(
        review.rule.notify_role,
        Some(app::domain::access::Role::Accountant)
    );

    let id = card_id(&app, "СЧ-101").await; // uploaded, nobody responsible
    let moved = move_to(&app, &manager, id, "review", version(&app, id).await, &[]).await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);
    let accountant = user_id(&app, ACCOUNTANT).await;
    assert_eq!(
        app.scalar(&format!(
            "SELECT COUNT(*) AS n FROM notifications WHERE user_id = {accountant} AND card_id = {id}"
        ))
        .await,
        1
    );
    // "keep": nobody was made responsible.
    assert_eq!(
        app.scalar(&format!(
            "SELECT COUNT(*) AS n FROM document_cards WHERE id = {id} AND responsible_user_id IS NULL"
        ))
        .await,
        1
    );
    assert_eq!(
        app.scalar(&format!(
            "SELECT COUNT(*) AS n FROM card_messages WHERE card_id = {id} AND body = 'Проверяем ваши документы'"
        ))
        .await,
        1
    );
}

async fn assigning_a_card_tells_the_new_responsible_person(app: TestApp) {
    let manager = app.session(MANAGER).await;
    let id = card_id(&app, "СЧ-101").await;
    let v = version(&app, id).await;
    let supervisor = user_id(&app, "supervisor@demo.local").await;
    let assigned = app
        .call(
            "/api/staff/assign",
            &[
                ("id", &id.to_string()),
                ("user_id", &supervisor.to_string()),
            ],
            Some(&manager),
        )
        .await;
    assert_eq!(assigned.status, StatusCode::OK, "{}", assigned.body);
    assert_eq!(version(&app, id).await, v + 1, "an assignment is a change");
    // The card's history says who made whom responsible.
    let view: app::api::staff_documents::StaffDocumentView = app
        .call(
            "/api/staff/document",
            &[("id", &id.to_string())],
            Some(&manager),
        )
        .await
        .json();
    let assigned = view
        .assignments
        .last()
        .expect("the assignment in the history");
    assert_eq!(
        (assigned.to.as_str(), assigned.who.as_deref()),
        ("Сергей Иванов", Some("Мария Петрова"))
    );
    assert_eq!(
        app.scalar(&format!(
            "SELECT COUNT(*) AS n FROM notifications WHERE user_id = {supervisor}"
        ))
        .await,
        1
    );
    // A supplier is no staff member to assign.
    let supplier = user_id(&app, SUPPLIER_A).await;
    let refused = app
        .call(
            "/api/staff/assign",
            &[("id", &id.to_string()), ("user_id", &supplier.to_string())],
            Some(&manager),
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
}

/// From 00:00 to 03:00 in Moscow the company's day has begun while UTC still shows the day
/// before: a payment dated the company's today is accepted (it was refused as "in the
/// future"), one dated the day after is still refused.
async fn after_moscow_midnight_a_payment_dated_the_company_today_is_not_in_the_future(
    app: TestApp,
) {
    let accountant = app.session(ACCOUNTANT).await;
    let utc_day = chrono::Utc::now().date_naive();
    // 22:30 UTC is 01:30 of the next day in Moscow.
    let at = utc_day
        .and_hms_opt(22, 30, 0)
        .expect("a time of day")
        .and_utc();
    app.state.clock.set(Some(at));
    let company_today = utc_day + chrono::Days::new(1);
    let day = |d: chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
    let id = card_id(&app, "СЧ-95").await; // in accounting
    let v = version(&app, id).await;

    let ahead = day(company_today + chrono::Days::new(1));
    let refused = move_to(&app, &accountant, id, "paid", v, &[("paid_date", &ahead)]).await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    assert_eq!(
        refused.app_error(),
        AppError::Rejected {
            problems: vec![FieldProblem::field("paid_date", FieldError::FutureDate)]
        }
    );
    assert_eq!(version(&app, id).await, v);

    let today = day(company_today);
    let paid = move_to(&app, &accountant, id, "paid", v, &[("paid_date", &today)]).await;
    assert_eq!(paid.status, StatusCode::OK, "{}", paid.body);
    let stored = app
        .scalar(&format!(
            "SELECT COUNT(*) AS n FROM document_cards WHERE id = {id} AND paid_date = '{today}'"
        ))
        .await;
    assert_eq!(stored, 1, "the payment is stored with the company's date");
    app.state.clock.set(None);
}
