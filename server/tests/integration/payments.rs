//! Payment requests through their server functions: a draft is saved and sent with its
//! invoice; the chain is built from the org structure; each approver decides in turn; a return
//! needs a comment; a resent request skips exactly the approvals that still cover it; the last
//! approval hands it to accounting, who pays it. Decisions made at once: one wins.
use crate::common::*;
use crate::deals::counterparty_of;
use app::api::payments::{PaidSelection, PaymentPage, PaymentRegister, SupplierPayment};
use app::domain::approvals::MaterialField;
use app::domain::money::Money;
use app::domain::payments::RegisterDay;
use app::domain::payments::StepState;
use app::domain::pipeline::StageCode;
use app::error::AppError;
use http::StatusCode;

on_both_databases!(
    a_request_goes_up_the_chain_back_for_rework_and_on_to_payment,
    a_step_decided_twice_at_once_is_decided_once,
    a_request_starts_from_a_supplier_document,
    paying_sends_the_payment_order_and_pays_the_supplier_document,
    a_stuck_step_reminds_then_escalates_once_with_two_schedulers,
    notices_about_a_request_numbered_past_every_document_reach_their_people,
);

const SUPERVISOR: &str = "supervisor@demo.local";
const ADMIN: &str = "admin@demo.local";

async fn user_id(app: &TestApp, email: &str) -> i64 {
    app.scalar(&format!(
        "SELECT id AS n FROM users WHERE email = '{email}'"
    ))
    .await
}

/// A request of the manager's to Ромашка for `amount`, paid within ten days.
pub async fn create_request(app: &TestApp, cookie: &str, amount: &str) -> i32 {
    let counterparty = counterparty_of(app, SUPPLIER_A).await.to_string();
    let item = app
        .scalar("SELECT MIN(id) AS n FROM cash_flow_items")
        .await
        .to_string();
    let pay_by = (chrono::Utc::now().date_naive() + chrono::TimeDelta::days(10)).to_string();
    let saved = app
        .call(
            "/api/staff/save_payment",
            &[
                ("request[counterparty]", &counterparty),
                ("request[amount]", amount),
                ("request[purpose]", "Оплата по счёту № 15"),
                ("request[cash_flow_item]", &item),
                ("request[in_budget]", "on"),
                ("request[pay_by]", &pay_by),
            ],
            Some(cookie),
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    saved.json()
}

pub async fn attach_invoice(app: &TestApp, cookie: &str, id: i32) {
    let response = app
        .post_multipart(
            &app::paths::item_files_path("payment_invoice", id),
            multipart_body(&[Part::File {
                field: "files",
                file_name: "счёт 15.pdf",
                content: pdf(&format!("invoice {id}")),
            }]),
            Some(cookie),
        )
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
}

pub async fn attach_payment_order(app: &TestApp, cookie: &str, id: i32) -> TestResponse {
    app.post_multipart(
        &app::paths::item_files_path("payment_order", id),
        multipart_body(&[Part::File {
            field: "files",
            file_name: "п-п 77.pdf",
            content: pdf(&format!("payment order {id}")),
        }]),
        Some(cookie),
    )
    .await
}

async fn page(app: &TestApp, cookie: &str, id: i32) -> PaymentPage {
    let response = app
        .call(
            "/api/staff/payment",
            &[("id", &id.to_string())],
            Some(cookie),
        )
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    response.json()
}

async fn send(app: &TestApp, cookie: &str, id: i32, version: i32) -> TestResponse {
    app.call(
        "/api/staff/send_payment",
        &[("id", &id.to_string()), ("version", &version.to_string())],
        Some(cookie),
    )
    .await
}

async fn decide(
    app: &TestApp,
    cookie: &str,
    id: i32,
    version: i32,
    decision: &str,
    comment: &str,
) -> TestResponse {
    app.call(
        "/api/staff/decide_payment",
        &[
            ("id", &id.to_string()),
            ("version", &version.to_string()),
            ("decision", decision),
            ("comment", comment),
        ],
        Some(cookie),
    )
    .await
}

/// The current round's steps: (approver, state).
fn round(page: &PaymentPage) -> Vec<(String, StepState)> {
    page.steps
        .iter()
        .filter(|s| s.round == page.request.round)
        .map(|s| (s.approver_name.clone(), s.state))
        .collect()
}

/// What a refused decision must leave as it was.
async fn footprint(app: &TestApp, id: i32) -> [i64; 5] {
    [
        app.scalar(&format!(
            "SELECT version AS n FROM payment_requests WHERE id = {id}"
        ))
        .await,
        app.scalar(&format!(
            "SELECT COUNT(*) AS n FROM approval_steps WHERE request_id = {id} AND state = 'pending'"
        ))
        .await,
        app.count("audit_log").await,
        app.count("notifications").await,
        app.count("pipeline_events").await,
    ]
}

/// The manager's line goes through the admin to the supervisor, the director: two approvers.
async fn two_step_line(app: &TestApp) {
    let admin = app.session(ADMIN).await;
    let purchasing = app
        .scalar("SELECT id AS n FROM departments WHERE name = 'Отдел закупок'")
        .await
        .to_string();
    let admin_id = user_id(app, ADMIN).await.to_string();
    let manager_id = user_id(app, MANAGER).await.to_string();
    for (member, manager, title) in [
        (&admin_id, "", "Руководитель группы"),
        (&manager_id, admin_id.as_str(), "Менеджер по закупкам"),
    ] {
        let placed = app
            .call(
                "/api/admin/save_placement",
                &[
                    ("member", member),
                    ("placement[department]", &purchasing),
                    ("placement[line_manager]", manager),
                    ("placement[job_title]", title),
                ],
                Some(&admin),
            )
            .await;
        assert_eq!(placed.status, StatusCode::OK, "{}", placed.body);
    }
}

async fn a_request_goes_up_the_chain_back_for_rework_and_on_to_payment(app: TestApp) {
    two_step_line(&app).await;
    let manager = app.session(MANAGER).await;
    let admin = app.session(ADMIN).await;
    let supervisor = app.session(SUPERVISOR).await;
    let accountant = app.session(ACCOUNTANT).await;
    let manager_id = user_id(&app, MANAGER).await;
    let id = create_request(&app, &manager, "120 000,50").await;
    let draft = page(&app, &manager, id).await;
    assert_eq!(draft.request.stage.code, StageCode::Draft);
    assert!(draft.actions.edit && !draft.actions.decide);

    // Not without its invoice: nothing is written.
    let before = footprint(&app, id).await;
    let refused = send(&app, &manager, id, draft.request.version).await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    assert!(
        matches!(refused.app_error(), AppError::Invalid { field, .. } if field == "invoice"),
        "{}",
        refused.body
    );
    assert_eq!(footprint(&app, id).await, before);
    // Nobody else sends it.
    attach_invoice(&app, &manager, id).await;
    let theirs = send(&app, &admin, id, draft.request.version).await;
    assert_eq!(theirs.status, StatusCode::FORBIDDEN, "{}", theirs.body);

    let sent = send(&app, &manager, id, draft.request.version).await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
    let on_approval = page(&app, &admin, id).await;
    assert_eq!(on_approval.request.stage.code, StageCode::Approval);
    assert_eq!(
        round(&on_approval),
        [
            ("Анна Админова".to_owned(), StepState::Pending),
            ("Сергей Иванов".to_owned(), StepState::Waiting)
        ],
        "{:?}",
        on_approval.steps
    );
    assert!(on_approval.actions.decide);
    assert!(!page(&app, &supervisor, id).await.actions.decide);
    // The files are what the approvers approve: they no longer change.
    let late = app
        .post_multipart(
            &app::paths::item_files_path("payment_request", id),
            multipart_body(&[Part::File {
                field: "files",
                file_name: "ещё.pdf",
                content: pdf("late"),
            }]),
            Some(&manager),
        )
        .await;
    assert_ne!(late.status, StatusCode::OK, "{}", late.body);
    let version = on_approval.request.version;

    // Another's step is not theirs; a return without a comment changes nothing.
    let before = footprint(&app, id).await;
    let not_theirs = decide(&app, &supervisor, id, version, "approve", "").await;
    assert_eq!(
        not_theirs.status,
        StatusCode::FORBIDDEN,
        "{}",
        not_theirs.body
    );
    let bare = decide(&app, &admin, id, version, "reject", "  ").await;
    assert_eq!(
        bare.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        bare.body
    );
    assert_eq!(footprint(&app, id).await, before);

    // The first approves: the director is asked, the initiator told.
    let told_before = app
        .scalar(&format!(
            "SELECT COUNT(*) AS n FROM notifications WHERE user_id = {manager_id}"
        ))
        .await;
    let approved = decide(&app, &admin, id, version, "approve", "Согласен").await;
    assert_eq!(approved.status, StatusCode::OK, "{}", approved.body);
    let second = page(&app, &supervisor, id).await;
    assert_eq!(
        round(&second).iter().map(|s| s.1).collect::<Vec<_>>(),
        [StepState::Approved, StepState::Pending]
    );
    assert!(second.actions.decide);
    assert_eq!(
        app.scalar(&format!(
            "SELECT COUNT(*) AS n FROM notifications WHERE user_id = {manager_id}"
        ))
        .await,
        told_before + 1
    );
    assert_eq!(
        app.scalar(&format!(
            "SELECT responsible_user_id AS n FROM payment_requests WHERE id = {id}"
        ))
        .await,
        user_id(&app, SUPERVISOR).await
    );

    // The director returns it: back to the initiator with the reason.
    let returned = decide(
        &app,
        &supervisor,
        id,
        second.request.version,
        "reject",
        "Сумма не совпадает со счётом",
    )
    .await;
    assert_eq!(returned.status, StatusCode::OK, "{}", returned.body);
    let rework = page(&app, &manager, id).await;
    assert_eq!(rework.request.stage.code, StageCode::Rework);
    assert!(rework.actions.edit);
    assert_eq!(
        app.scalar(&format!(
            "SELECT COUNT(*) AS n FROM notifications WHERE user_id = {manager_id} \
             AND text LIKE '%Сумма не совпадает со счётом%'"
        ))
        .await,
        1
    );

    // Resent unchanged: the first approval still covers it; the director is asked again.
    let resent = send(&app, &manager, id, rework.request.version).await;
    assert_eq!(resent.status, StatusCode::OK, "{}", resent.body);
    let second_round = page(&app, &supervisor, id).await;
    assert_eq!(second_round.request.round, 2);
    assert_eq!(
        round(&second_round).iter().map(|s| s.1).collect::<Vec<_>>(),
        [StepState::Skipped, StepState::Pending]
    );
    let again = decide(
        &app,
        &supervisor,
        id,
        second_round.request.version,
        "reject",
        "Исправьте сумму",
    )
    .await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.body);

    // The amount changes: the first approver is asked again and shown what changed.
    let form = page(&app, &manager, id).await;
    let counterparty = form.request.counterparty_id.to_string();
    let item = app
        .scalar("SELECT MIN(id) AS n FROM cash_flow_items")
        .await
        .to_string();
    let pay_by = form
        .request
        .pay_by
        .map(|d| d.to_string())
        .unwrap_or_default();
    let edited = app
        .call(
            "/api/staff/save_payment",
            &[
                ("id", &id.to_string()),
                ("version", &form.request.version.to_string()),
                ("request[counterparty]", &counterparty),
                ("request[amount]", "118 000"),
                ("request[purpose]", "Оплата по счёту № 15"),
                ("request[cash_flow_item]", &item),
                ("request[in_budget]", "on"),
                ("request[pay_by]", &pay_by),
            ],
            Some(&manager),
        )
        .await;
    assert_eq!(edited.status, StatusCode::OK, "{}", edited.body);
    let version = page(&app, &manager, id).await.request.version;
    let resent = send(&app, &manager, id, version).await;
    assert_eq!(resent.status, StatusCode::OK, "{}", resent.body);
    let third = page(&app, &admin, id).await;
    assert_eq!(third.request.round, 3);
    let steps = round(&third);
    assert_eq!(
        steps.iter().map(|s| s.1).collect::<Vec<_>>(),
        [StepState::Pending, StepState::Waiting]
    );
    let changes = &third
        .steps
        .iter()
        .find(|s| s.round == 3 && s.position == 0)
        .expect("first step")
        .changes;
    assert_eq!(
        changes.iter().map(|c| c.field).collect::<Vec<_>>(),
        [MaterialField::Amount]
    );
    assert!(changes[0].new.contains("118"), "{changes:?}");

    // Both approve: the last approval hands it to accounting.
    let audit_before = app.count("audit_log").await;
    let first = decide(&app, &admin, id, third.request.version, "approve", "").await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    let version = page(&app, &supervisor, id).await.request.version;
    let last = decide(&app, &supervisor, id, version, "approve", "").await;
    assert_eq!(last.status, StatusCode::OK, "{}", last.body);
    // Each decision is audited, and so is the approval sheet the last one makes.
    assert_eq!(app.count("audit_log").await, audit_before + 3);
    let approved = page(&app, &accountant, id).await;
    assert_eq!(approved.sheet.len(), 1);
    assert_eq!(approved.request.stage.code, StageCode::Accounting);
    assert!(approved.actions.pay);
    assert_eq!(
        app.scalar(&format!(
            "SELECT responsible_user_id AS n FROM payment_requests WHERE id = {id}"
        ))
        .await,
        user_id(&app, ACCOUNTANT).await
    );

    // Accounting pays it, with its payment order: not without.
    let today = chrono::Utc::now().date_naive().to_string();
    let pay = |version: i32| {
        let (app, accountant, today) = (&app, accountant.clone(), today.clone());
        async move {
            app.call(
                "/api/staff/move_payment",
                &[
                    ("id", &id.to_string()),
                    ("to", "paid"),
                    ("version", &version.to_string()),
                    ("paid_date", &today),
                ],
                Some(&accountant),
            )
            .await
        }
    };
    let before = footprint(&app, id).await;
    let bare = pay(approved.request.version).await;
    assert!(
        matches!(bare.app_error(), AppError::Invalid { field, .. } if field == "payment_order"),
        "{}",
        bare.body
    );
    assert_eq!(footprint(&app, id).await, before);
    let attached = attach_payment_order(&app, &accountant, id).await;
    assert_eq!(attached.status, StatusCode::OK, "{}", attached.body);
    let paid = app
        .call(
            "/api/staff/move_payment",
            &[
                ("id", &id.to_string()),
                ("to", "paid"),
                ("version", &approved.request.version.to_string()),
                ("paid_date", &today),
            ],
            Some(&accountant),
        )
        .await;
    assert_eq!(paid.status, StatusCode::OK, "{}", paid.body);
    let done = page(&app, &manager, id).await;
    assert_eq!(done.request.stage.code, StageCode::Paid);
    assert!(done.request.paid_on.is_some());
}

async fn a_step_decided_twice_at_once_is_decided_once(app: TestApp) {
    two_step_line(&app).await;
    let manager = app.session(MANAGER).await;
    let admin = app.session(ADMIN).await;
    let id = create_request(&app, &manager, "5000").await;
    attach_invoice(&app, &manager, id).await;
    let version = page(&app, &manager, id).await.request.version;
    let sent = send(&app, &manager, id, version).await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
    let version = page(&app, &admin, id).await.request.version;
    let audit_before = app.count("audit_log").await;
    // The same approver in two tabs: an approval and a return at once.
    let (a, b) = tokio::join!(
        decide(&app, &admin, id, version, "approve", ""),
        decide(&app, &admin, id, version, "reject", "Нет"),
    );
    let mut statuses = [a.status, b.status];
    statuses.sort();
    assert_eq!(
        statuses,
        [StatusCode::OK, StatusCode::CONFLICT],
        "{} / {}",
        a.body,
        b.body
    );
    assert_eq!(app.count("audit_log").await, audit_before + 1);
    let after = page(&app, &admin, id).await;
    let decided = after
        .steps
        .iter()
        .filter(|s| matches!(s.state, StepState::Approved | StepState::Rejected))
        .count();
    assert_eq!(decided, 1, "{:?}", after.steps);
}

async fn a_request_starts_from_a_supplier_document(app: TestApp) {
    let manager = app.session(MANAGER).await;
    let card = app
        .scalar("SELECT id AS n FROM document_cards WHERE invoice_number = 'СЧ-101'")
        .await;
    let (owner, kopecks) = (
        app.scalar(&format!(
            "SELECT counterparty_id AS n FROM document_cards WHERE id = {card}"
        ))
        .await,
        app.scalar(&format!(
            "SELECT amount_kopecks AS n FROM document_cards WHERE id = {card}"
        ))
        .await,
    );
    let form = app
        .call(
            "/api/staff/payment_form",
            &[("document", &card.to_string())],
            Some(&manager),
        )
        .await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    let form: app::api::payments::PaymentForm = form.json();
    assert_eq!(form.document_card_id, Some(card as i32));
    assert_eq!(form.values.counterparty, owner.to_string());
    assert_eq!(
        app::domain::money::Money::parse(&form.values.amount).map(|m| m.kopecks()),
        Ok(kopecks)
    );
    assert!(
        form.values.purpose.contains("СЧ-101"),
        "{}",
        form.values.purpose
    );

    let item = app
        .scalar("SELECT MIN(id) AS n FROM cash_flow_items")
        .await
        .to_string();
    let other = app
        .scalar(&format!(
            "SELECT MIN(id) AS n FROM counterparties WHERE id <> {owner}"
        ))
        .await
        .to_string();
    let save = |counterparty: String| {
        let (card, item) = (card.to_string(), item.clone());
        let manager = manager.clone();
        let app = &app;
        async move {
            app.call(
                "/api/staff/save_payment",
                &[
                    ("document_card_id", &card),
                    ("request[counterparty]", &counterparty),
                    ("request[amount]", "100"),
                    ("request[purpose]", "Оплата"),
                    ("request[cash_flow_item]", &item),
                    ("request[urgent]", "on"),
                ],
                Some(&manager),
            )
            .await
        }
    };
    let before = app.count("payment_requests").await;
    let wrong = save(other).await;
    assert_eq!(
        wrong.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        wrong.body
    );
    assert!(
        matches!(
            wrong.app_error(),
            AppError::Invalid { field, problem: app::domain::form::FieldError::NotDocumentsCounterparty }
                if field == "counterparty"
        ),
        "{}",
        wrong.body
    );
    assert_eq!(app.count("payment_requests").await, before);
    let made = save(owner.to_string()).await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.body);
    let id: i32 = made.json();
    let linked = page(&app, &manager, id).await;
    assert_eq!(linked.request.document_card_id, Some(card as i32));
    assert!(linked.request.urgent && linked.request.pay_by.is_none());
}

/// Request from supplier document СЧ-101, naming Ромашка's manager as the contact, approved
/// by both approvers: it waits in accounting. Returns the request and the document card.
async fn approved_from_document(app: &TestApp) -> (i32, i64) {
    two_step_line(app).await;
    let manager = app.session(MANAGER).await;
    let card = app
        .scalar("SELECT id AS n FROM document_cards WHERE invoice_number = 'СЧ-101'")
        .await;
    let owner = app
        .scalar(&format!(
            "SELECT counterparty_id AS n FROM document_cards WHERE id = {card}"
        ))
        .await;
    app.exec(&format!(
        "INSERT INTO counterparty_contacts (counterparty_id, name, position, email, phone, created_at) \
         VALUES ({owner}, 'Ирина Котова', 'Менеджер', 'kotova@romashka.demo', '', CURRENT_TIMESTAMP)"
    ))
    .await;
    let contact = app
        .scalar("SELECT id AS n FROM counterparty_contacts WHERE email = 'kotova@romashka.demo'")
        .await
        .to_string();
    let item = app
        .scalar("SELECT MIN(id) AS n FROM cash_flow_items")
        .await
        .to_string();
    let pay_by = (chrono::Utc::now().date_naive() + chrono::TimeDelta::days(3)).to_string();
    let made = app
        .call(
            "/api/staff/save_payment",
            &[
                ("document_card_id", &card.to_string()),
                ("request[counterparty]", &owner.to_string()),
                ("request[amount]", "2500,75"),
                ("request[purpose]", "Оплата по счёту № СЧ-101"),
                ("request[cash_flow_item]", &item),
                ("request[in_budget]", "on"),
                ("request[pay_by]", &pay_by),
                ("request[contact]", &contact),
            ],
            Some(&manager),
        )
        .await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.body);
    let id: i32 = made.json();
    attach_invoice(app, &manager, id).await;
    let version = page(app, &manager, id).await.request.version;
    let sent = send(app, &manager, id, version).await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
    for approver in [ADMIN, SUPERVISOR] {
        let cookie = app.session(approver).await;
        let version = page(app, &cookie, id).await.request.version;
        let approved = decide(app, &cookie, id, version, "approve", "").await;
        assert_eq!(approved.status, StatusCode::OK, "{}", approved.body);
    }
    (id, card)
}

async fn register(app: &TestApp, cookie: &str, filter: &[(&str, &str)]) -> PaymentRegister {
    let response = app
        .call("/api/staff/payment_register", filter, Some(cookie))
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    response.json()
}

async fn paying_sends_the_payment_order_and_pays_the_supplier_document(app: TestApp) {
    let (id, card) = approved_from_document(&app).await;
    let accountant = app.session(ACCOUNTANT).await;
    let manager = app.session(MANAGER).await;
    let supplier = app.session(SUPPLIER_A).await;
    let other_supplier = app.session(SUPPLIER_B).await;

    // The last approval made the approval sheet: a PDF whose text names the approvers and
    // their decisions in Cyrillic. Made again, it replaces the first.
    let sheets_sql = format!(
        "SELECT COUNT(*) AS n FROM item_files WHERE owner_kind = 'approval_sheet' AND owner_id = {id}"
    );
    let sheet_rows = || app.scalar(&sheets_sql);
    assert_eq!(sheet_rows().await, 1);
    let again = app
        .call(
            "/api/staff/make_approval_sheet",
            &[("id", &id.to_string())],
            Some(&accountant),
        )
        .await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.body);
    assert_eq!(sheet_rows().await, 1);
    let sheet_file = page(&app, &accountant, id).await.sheet[0].id;
    let sheet_pdf = app
        .get(
            &app::paths::item_download_path(sheet_file, true),
            Some(&accountant),
            "ru",
        )
        .await;
    assert_eq!(sheet_pdf.status, StatusCode::OK, "{}", sheet_pdf.body);
    let text = pdf_text(&sheet_pdf.bytes);
    for expected in [
        format!("Лист согласования заявки на оплату ЗО-{id}"),
        "ООО «Ромашка»".to_owned(),
        "Анна Админова".to_owned(),
        "Сергей Иванов".to_owned(),
        "Согласовано".to_owned(),
    ] {
        assert!(text.contains(&expected), "{expected:?} not in {text}");
    }
    let hidden = app
        .get(
            &app::paths::item_download_path(sheet_file, true),
            Some(&supplier),
            "ru",
        )
        .await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND);

    // The register shows it under its day, with the day's count and total.
    let listed = register(&app, &accountant, &[]).await;
    assert!(listed.may_pay);
    let day = listed
        .days
        .iter()
        .find(|d| d.rows.iter().any(|r| r.id == id))
        .expect("the request's day");
    let pay_by = chrono::Utc::now().date_naive() + chrono::TimeDelta::days(3);
    assert_eq!(day.day, RegisterDay::On(pay_by));
    assert_eq!(day.count, day.rows.len());
    assert_eq!(day.total, day.rows.iter().map(|r| r.amount).sum::<Money>());
    assert!(!day.rows.iter().any(|r| r.id == id && r.has_payment_order));
    // A request neither urgent nor dated goes under "no date", not "urgent".
    app.exec(&format!(
        "UPDATE payment_requests SET pay_by = NULL WHERE id = {id}"
    ))
    .await;
    let undated = register(&app, &accountant, &[]).await;
    assert_eq!(
        undated
            .days
            .iter()
            .find(|d| d.rows.iter().any(|r| r.id == id))
            .map(|d| d.day),
        Some(RegisterDay::Undated)
    );
    app.exec(&format!(
        "UPDATE payment_requests SET pay_by = '{pay_by}' WHERE id = {id}"
    ))
    .await;
    // Filtered by another counterparty, it is not there.
    let vektor = counterparty_of(&app, SUPPLIER_B).await.to_string();
    assert!(
        register(&app, &accountant, &[("counterparty", &vektor)])
            .await
            .days
            .is_empty()
    );
    let version = page(&app, &accountant, id).await.request.version;
    let pick = format!("pick[{id}]");

    // Without its payment order it is refused by name, and nothing changes.
    let before = footprint(&app, id).await;
    let refused = app
        .call(
            "/api/staff/pay_payments",
            &[
                (&pick, &version.to_string()),
                ("paid_date", &chrono::Utc::now().date_naive().to_string()),
            ],
            Some(&accountant),
        )
        .await;
    assert_eq!(refused.status, StatusCode::OK, "{}", refused.body);
    let refused: PaidSelection = refused.json();
    assert!(refused.paid.is_empty());
    assert!(
        matches!(&refused.refused[..], [(rid, AppError::Invalid { field, .. })] if *rid == id && field == "payment_order"),
        "{refused:?}"
    );
    assert_eq!(footprint(&app, id).await, before);

    // Only accounting attaches the payment order; the supplier cannot open it before payment.
    let not_theirs = attach_payment_order(&app, &manager, id).await;
    assert_eq!(
        not_theirs.status,
        StatusCode::FORBIDDEN,
        "{}",
        not_theirs.body
    );
    let attached = attach_payment_order(&app, &accountant, id).await;
    assert_eq!(attached.status, StatusCode::OK, "{}", attached.body);
    let order_file = app
        .scalar(&format!(
            "SELECT id AS n FROM item_files WHERE owner_kind = 'payment_order' AND owner_id = {id}"
        ))
        .await as i32;
    let early = app
        .get(
            &app::paths::item_download_path(order_file, true),
            Some(&supplier),
            "ru",
        )
        .await;
    assert_eq!(early.status, StatusCode::NOT_FOUND);
    assert!(
        register(&app, &accountant, &[])
            .await
            .days
            .iter()
            .flat_map(|d| d.rows.iter())
            .any(|r| r.id == id && r.has_payment_order)
    );

    // The register as a workbook.
    let xlsx = app
        .get(
            &app::paths::payment_register_xlsx_path(None, None, app::domain::lang::Lang::Ru),
            Some(&accountant),
            "ru",
        )
        .await;
    assert_eq!(xlsx.status, StatusCode::OK, "{}", xlsx.body);
    let mut book = zip::ZipArchive::new(std::io::Cursor::new(xlsx.bytes.clone())).expect("an XLSX");
    let mut strings = String::new();
    std::io::Read::read_to_string(
        &mut book
            .by_name("xl/sharedStrings.xml")
            .expect("shared strings"),
        &mut strings,
    )
    .expect("readable");
    assert!(strings.contains("Оплата по счёту № СЧ-101"), "{strings}");
    assert!(
        strings.contains("Реестр платежей") || strings.contains("Оплатить"),
        "{strings}"
    );
    let supplier_xlsx = app
        .get(
            &app::paths::payment_register_xlsx_path(None, None, app::domain::lang::Lang::Ru),
            Some(&supplier),
            "ru",
        )
        .await;
    assert_eq!(supplier_xlsx.status, StatusCode::FORBIDDEN);

    // Paid from the register: the request, its supplier document, the letter with the order.
    let audit_before = app.count("audit_log").await;
    let paid = app
        .call(
            "/api/staff/pay_payments",
            &[
                (&pick, &version.to_string()),
                ("paid_date", &chrono::Utc::now().date_naive().to_string()),
            ],
            Some(&accountant),
        )
        .await;
    assert_eq!(paid.status, StatusCode::OK, "{}", paid.body);
    let paid: PaidSelection = paid.json();
    assert_eq!(paid.paid, vec![id], "{paid:?}");
    assert_eq!(
        page(&app, &manager, id).await.request.stage.code,
        StageCode::Paid
    );
    assert_eq!(
        app.text(&format!(
            "SELECT s.code AS t FROM document_cards c JOIN stages s ON s.id = c.stage_id WHERE c.id = {card}"
        ))
        .await
        .as_deref(),
        Some("paid")
    );
    assert!(
        app.text(&format!(
            "SELECT CAST(paid_date AS TEXT) AS t FROM document_cards WHERE id = {card}"
        ))
        .await
        .is_some()
    );
    // One audit line for the request's move and one for the document's, in one transaction.
    assert_eq!(app.count("audit_log").await, audit_before + 2);
    let attachments = app
        .text("SELECT attachments AS t FROM email_outbox WHERE to_address = 'kotova@romashka.demo'")
        .await
        .expect("the letter to the contact");
    assert!(attachments.contains("п-п 77.pdf"), "{attachments}");

    // Sent without SMTP: the .eml file carries the payment order.
    let dir = std::env::temp_dir().join(format!("kabinet-payment-letters-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let mailer = app::server::mailer::Mailer::new(None, "Кабинет <noreply@localhost>", dir.clone())
        .expect("mailer")
        .with_files(app.state.files.clone());
    while app::server::mailer::drain_once(&app.db, &mailer)
        .await
        .expect("drain")
        > 0
    {}
    let letter = std::fs::read_dir(&dir)
        .expect("outbox dir")
        .filter_map(|e| std::fs::read_to_string(e.ok()?.path()).ok())
        .find(|text| text.contains("kotova@romashka.demo"))
        .expect("the contact's letter");
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        letter.contains("Content-Disposition: attachment"),
        "{letter}"
    );
    assert!(letter.contains("multipart/mixed"), "{letter}");

    // The supplier sees the payment and its order; another supplier sees neither.
    let mine = app
        .call("/api/cabinet/payments", &[], Some(&supplier))
        .await;
    assert_eq!(mine.status, StatusCode::OK, "{}", mine.body);
    let mine: Vec<SupplierPayment> = mine.json();
    let payment = mine.iter().find(|p| p.id == id).expect("the payment");
    assert_eq!(payment.invoice_number.as_deref(), Some("СЧ-101"));
    assert_eq!(payment.amount, Money::from_kopecks(250_075));
    assert_eq!(payment.payment_order.len(), 1);
    assert!(
        !serde_json::to_string(&mine)
            .expect("json")
            .contains("Иванов")
    );
    let download = app
        .get(
            &app::paths::item_download_path(order_file, true),
            Some(&supplier),
            "ru",
        )
        .await;
    assert_eq!(download.status, StatusCode::OK, "{}", download.body);
    assert_eq!(download.bytes, pdf(&format!("payment order {id}")));
    let theirs = app
        .call("/api/cabinet/payments", &[], Some(&other_supplier))
        .await;
    assert_eq!(theirs.status, StatusCode::OK, "{}", theirs.body);
    assert!(theirs.json::<Vec<SupplierPayment>>().is_empty());
    let stolen = app
        .get(
            &app::paths::item_download_path(order_file, true),
            Some(&other_supplier),
            "ru",
        )
        .await;
    assert_eq!(stolen.status, StatusCode::NOT_FOUND);
    // Staff reach no supplier function.
    let staff = app
        .call("/api/cabinet/payments", &[], Some(&accountant))
        .await;
    assert_eq!(staff.status, StatusCode::FORBIDDEN);

    // The counterparty's folder holds the request's invoice, payment order and sheet, and its
    // ZIP export the same, under "Заявки на оплату".
    let owner = counterparty_of(&app, SUPPLIER_A).await.to_string();
    let folders = app
        .call(
            "/api/staff/counterparty_files",
            &[("id", &owner)],
            Some(&manager),
        )
        .await;
    assert_eq!(folders.status, StatusCode::OK, "{}", folders.body);
    let folders: app::api::counterparties::CounterpartyFiles = folders.json();
    assert_eq!(
        folders.folders.iter().map(|f| f.folder).collect::<Vec<_>>(),
        app::domain::files::Folder::ALL
    );
    let requests = folders
        .folders
        .iter()
        .find(|f| f.folder == app::domain::files::Folder::PaymentRequests)
        .expect("the payment requests folder");
    let paper = requests
        .papers
        .iter()
        .find(|p| p.number == format!("ЗО-{id}"))
        .expect("the request's paper");
    let mut names: Vec<String> = paper.files.iter().map(|f| f.name.clone()).collect();
    names.sort();
    assert_eq!(
        names,
        [
            format!("Лист согласования ЗО-{id}.pdf"),
            "п-п 77.pdf".to_owned(),
            "счёт 15.pdf".to_owned()
        ]
    );
    // Another period leaves it out.
    let old = app
        .call(
            "/api/staff/counterparty_files",
            &[("id", &owner), ("to", "2020-01-01")],
            Some(&manager),
        )
        .await
        .json::<app::api::counterparties::CounterpartyFiles>();
    assert!(old.folders.iter().all(|f| f.papers.is_empty()), "{old:?}");
    let zip = app
        .get(
            &app::paths::export_path(owner.parse().expect("id")),
            Some(&manager),
            "ru",
        )
        .await;
    assert_eq!(zip.status, StatusCode::OK, "{}", zip.body);
    let archive = zip::ZipArchive::new(std::io::Cursor::new(zip.bytes.clone())).expect("a ZIP");
    let entries: Vec<String> = archive.file_names().map(str::to_owned).collect();
    let today = app.state.settings.company_zone.today(chrono::Utc::now());
    for expected in ["п-п 77.pdf", "счёт 15.pdf"] {
        let wanted = format!("Заявки на оплату/{today} ЗО-{id}/{expected}");
        assert!(entries.contains(&wanted), "{wanted} not in {entries:?}");
    }
}

async fn a_stuck_step_reminds_then_escalates_once_with_two_schedulers(app: TestApp) {
    use app::server::repo::scheduler::run_due;
    two_step_line(&app).await;
    let manager = app.session(MANAGER).await;
    let id = create_request(&app, &manager, "7000").await;
    attach_invoice(&app, &manager, id).await;
    let version = page(&app, &manager, id).await.request.version;
    let sent = send(&app, &manager, id, version).await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
    let told = |email: &'static str, text: &'static str| {
        let app = &app;
        async move {
            let user = user_id(app, email).await;
            app.scalar(&format!(
                "SELECT COUNT(*) AS n FROM notifications WHERE user_id = {user} AND text LIKE '%{text}%'"
            ))
            .await
        }
    };
    let url = "http://localhost:3000";
    // Within its working hours nothing is said.
    let soon = chrono::Utc::now() + chrono::TimeDelta::minutes(30);
    run_due(&app.db, soon, url).await.expect("scheduler");
    assert_eq!(told(ADMIN, "напоминание").await, 0);
    // Long after: two schedulers at once remind the approver once and escalate once, to the
    // initiator and to the approver's own manager (the director).
    let late = chrono::Utc::now() + chrono::TimeDelta::days(30);
    let (a, b) = tokio::join!(run_due(&app.db, late, url), run_due(&app.db, late, url));
    a.expect("first scheduler");
    b.expect("second scheduler");
    run_due(&app.db, late, url).await.expect("again");
    assert_eq!(told(ADMIN, "напоминание").await, 1);
    assert_eq!(told(MANAGER, "задерживается").await, 1);
    assert_eq!(told(SUPERVISOR, "задерживается").await, 1);
    assert_eq!(
        app.scalar(
            "SELECT COUNT(*) AS n FROM audit_log WHERE action IN ('payment.step_reminded', 'payment.step_escalated')"
        )
        .await,
        2
    );
    // Decided meanwhile: the next step's jobs are its own, the decided one's say nothing more.
    let admin = app.session(ADMIN).await;
    let version = page(&app, &admin, id).await.request.version;
    let approved = decide(&app, &admin, id, version, "approve", "").await;
    assert_eq!(approved.status, StatusCode::OK, "{}", approved.body);
    let later = chrono::Utc::now() + chrono::TimeDelta::days(60);
    run_due(&app.db, later, url).await.expect("scheduler");
    assert_eq!(told(ADMIN, "напоминание").await, 1);
    assert_eq!(told(SUPERVISOR, "напоминание").await, 1);
}

/// A notification names any pipeline's card: one about request 5000, when no document has
/// that id, is kept (it used to be refused by a key on the documents' table).
async fn notices_about_a_request_numbered_past_every_document_reach_their_people(app: TestApp) {
    two_step_line(&app).await;
    match app.backend {
        "sqlite" => {
            app.exec(
                "INSERT OR REPLACE INTO sqlite_sequence (name, seq) VALUES ('payment_requests', 4999)",
            )
            .await
        }
        _ => {
            app.exec("SELECT setval(pg_get_serial_sequence('payment_requests', 'id'), 4999)")
                .await
        }
    }
    assert!(app.scalar("SELECT MAX(id) AS n FROM document_cards").await < 5000);
    let manager = app.session(MANAGER).await;
    let id = create_request(&app, &manager, "1000").await;
    assert_eq!(id, 5000);
    attach_invoice(&app, &manager, id).await;
    let version = page(&app, &manager, id).await.request.version;
    let sent = send(&app, &manager, id, version).await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
    let admin = user_id(&app, ADMIN).await;
    assert_eq!(
        app.scalar(&format!(
            "SELECT COUNT(*) AS n FROM notifications WHERE user_id = {admin} \
             AND pipeline = 'payment_requests' AND card_id = {id}"
        ))
        .await,
        1
    );
}
