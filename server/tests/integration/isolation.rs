//! Tenant isolation: for every server function and file route that takes an id, a supplier of
//! counterparty B asking for A's object gets exactly the answer for an id that does not exist,
//! and nothing changes. The matrix lists every registered server function, so a new one fails
//! this test until it is classified here.

use std::collections::BTreeSet;

use crate::common::*;
use http::StatusCode;

/// The kinds of object an id can name.
#[derive(Clone, Copy)]
enum Object {
    Card,
    Counterparty,
    Contact,
    Order,
    Contract,
    Specification,
    Task,
    Entry,
}

/// How a server function is checked.
enum Isolation {
    /// Takes the id of a counterparty's object of this kind in this form field.
    TakesId(&'static str, Object),
    /// Takes no object id; why it cannot reach another counterparty's data.
    NoId(&'static str),
    /// Staff only: a supplier is refused alike for any id, in this form field.
    StaffOnly(&'static str),
}

/// Every server function, by path.
const SERVER_FUNCTIONS: [(&str, Isolation); 84] = [
    (
        "/api/cabinet/balance_panel",
        Isolation::NoId("scoped to the caller's counterparty"),
    ),
    (
        "/api/cabinet/balance",
        Isolation::NoId("a supplier gets its own counterparty whatever it names"),
    ),
    ("/api/staff/debtors", Isolation::NoId("staff only")),
    (
        "/api/cabinet/balance_confirm",
        Isolation::NoId("confirms the caller's own counterparty's statement"),
    ),
    (
        "/api/cabinet/balance_dispute",
        Isolation::TakesId("entry", Object::Entry),
    ),
    ("/api/admin/debtor_rule", Isolation::NoId("admins only")),
    (
        "/api/staff/ledger_imports",
        Isolation::NoId("accountants and admins only"),
    ),
    ("/api/admin/api_token_issue", Isolation::NoId("admins only")),
    ("/api/admin/api_token_revoke", Isolation::StaffOnly("id")),
    (
        "/api/auth/sign_in",
        Isolation::NoId("signs in by e-mail and password"),
    ),
    (
        "/api/auth/sign_out",
        Isolation::NoId("ends the caller's own session"),
    ),
    ("/api/auth/me", Isolation::NoId("the caller's own user")),
    (
        "/api/auth/language",
        Isolation::NoId("the caller's own setting"),
    ),
    (
        "/api/cabinet/home",
        Isolation::NoId("scoped to the caller's counterparty"),
    ),
    ("/api/staff/home", Isolation::NoId("staff only")),
    (
        "/api/cabinet/documents",
        Isolation::NoId("scoped to the caller's counterparty"),
    ),
    (
        "/api/cabinet/document",
        Isolation::TakesId("id", Object::Card),
    ),
    (
        "/api/cabinet/upload_limits",
        Isolation::NoId("settings, no data"),
    ),
    ("/api/staff/move_document", Isolation::StaffOnly("id")),
    ("/api/staff/counterparties", Isolation::NoId("staff only")),
    ("/api/staff/counterparty", Isolation::StaffOnly("id")),
    ("/api/staff/managers", Isolation::NoId("staff only")),
    ("/api/staff/save_counterparty", Isolation::StaffOnly("id")),
    (
        "/api/cabinet/contacts",
        Isolation::NoId("scoped to the caller's counterparty"),
    ),
    (
        "/api/contacts/add",
        Isolation::TakesId("counterparty_id", Object::Counterparty),
    ),
    (
        "/api/contacts/remove",
        Isolation::TakesId("id", Object::Contact),
    ),
    (
        "/api/staff/invite_user",
        Isolation::StaffOnly("counterparty_id"),
    ),
    ("/api/staff/set_user_active", Isolation::StaffOnly("id")),
    (
        "/api/auth/link",
        Isolation::NoId("a secret token, not an id"),
    ),
    (
        "/api/auth/set_password",
        Isolation::NoId("a secret token, not an id"),
    ),
    (
        "/api/auth/forgot_password",
        Isolation::NoId("answers alike for any address"),
    ),
    ("/api/staff/board", Isolation::NoId("staff only")),
    ("/api/staff/more_board_cards", Isolation::NoId("staff only")),
    ("/api/staff/fresh_board_card", Isolation::StaffOnly("id")),
    ("/api/staff/document", Isolation::StaffOnly("id")),
    ("/api/staff/assign", Isolation::StaffOnly("id")),
    (
        "/api/messages/post",
        Isolation::TakesId("card_id", Object::Card),
    ),
    ("/api/staff/notifications", Isolation::NoId("staff only")),
    (
        "/api/staff/notifications_read",
        Isolation::NoId("staff only; the caller's own"),
    ),
    ("/api/admin/stage_rules", Isolation::NoId("admins only")),
    ("/api/admin/save_stage_rule", Isolation::NoId("admins only")),
    ("/api/staff/pipeline_board", Isolation::NoId("staff only")),
    (
        "/api/staff/more_pipeline_cards",
        Isolation::NoId("staff only"),
    ),
    ("/api/staff/fresh_pipeline_card", Isolation::StaffOnly("id")),
    ("/api/staff/create_deal", Isolation::NoId("staff only")),
    ("/api/staff/deal", Isolation::StaffOnly("id")),
    ("/api/staff/move_deal", Isolation::StaffOnly("id")),
    ("/api/staff/assign_deal", Isolation::StaffOnly("id")),
    (
        "/api/staff/create_contract",
        Isolation::StaffOnly("counterparty"),
    ),
    (
        "/api/staff/create_specification",
        Isolation::StaffOnly("contract"),
    ),
    ("/api/staff/create_order", Isolation::StaffOnly("contract")),
    ("/api/staff/move_order", Isolation::StaffOnly("id")),
    ("/api/order", Isolation::TakesId("id", Object::Order)),
    ("/api/contract", Isolation::TakesId("id", Object::Contract)),
    (
        "/api/specification",
        Isolation::TakesId("id", Object::Specification),
    ),
    (
        "/api/cabinet/papers",
        Isolation::NoId("scoped to the caller's counterparty"),
    ),
    ("/api/staff/contract_choices", Isolation::NoId("staff only")),
    ("/api/staff/search", Isolation::NoId("staff only")),
    (
        "/api/tasks",
        Isolation::NoId("the caller's own; a supplier its counterparty's"),
    ),
    ("/api/task", Isolation::TakesId("id", Object::Task)),
    ("/api/staff/create_task", Isolation::NoId("staff only")),
    ("/api/task_comment", Isolation::TakesId("id", Object::Task)),
    ("/api/task_status", Isolation::TakesId("id", Object::Task)),
    ("/api/admin/deal_settings", Isolation::NoId("admins only")),
    (
        "/api/admin/save_task_template",
        Isolation::NoId("admins only"),
    ),
    (
        "/api/admin/save_deal_settings",
        Isolation::NoId("admins only"),
    ),
    ("/api/staff/org", Isolation::NoId("staff only")),
    ("/api/admin/save_department", Isolation::StaffOnly("id")),
    ("/api/admin/save_placement", Isolation::StaffOnly("member")),
    ("/api/staff/add_deputy", Isolation::StaffOnly("user")),
    ("/api/staff/remove_deputy", Isolation::StaffOnly("id")),
    ("/api/admin/save_cash_flow_item", Isolation::StaffOnly("id")),
    ("/api/admin/save_approval_rule", Isolation::StaffOnly("id")),
    ("/api/staff/payment_form", Isolation::StaffOnly("id")),
    ("/api/staff/save_payment", Isolation::StaffOnly("id")),
    ("/api/staff/payment", Isolation::StaffOnly("id")),
    ("/api/staff/send_payment", Isolation::StaffOnly("id")),
    ("/api/staff/decide_payment", Isolation::StaffOnly("id")),
    ("/api/staff/move_payment", Isolation::StaffOnly("id")),
    ("/api/staff/payment_register", Isolation::NoId("staff only")),
    ("/api/staff/make_approval_sheet", Isolation::StaffOnly("id")),
    ("/api/staff/counterparty_files", Isolation::StaffOnly("id")),
    (
        "/api/staff/pay_payments",
        Isolation::NoId(
            "accounting only: a supplier is refused before any request it names is read",
        ),
    ),
    (
        "/api/cabinet/payments",
        Isolation::NoId("scoped to the caller's counterparty"),
    ),
];

/// Every plain route with an id: (pattern, method, the answer a supplier of B gets).
const FILE_ROUTES: [(&str, &str, StatusCode); 9] = [
    (
        app::paths::CORRECTED_FILES_PATH,
        "POST",
        StatusCode::NOT_FOUND,
    ),
    (app::paths::STAFF_FILES_PATH, "POST", StatusCode::FORBIDDEN),
    (app::paths::DOWNLOAD_PATH, "GET", StatusCode::NOT_FOUND),
    (app::paths::EXPORT_PATH, "GET", StatusCode::FORBIDDEN),
    // A task's answer files: B may not add to or read A's task.
    (TASK_FILES, "POST", StatusCode::NOT_FOUND),
    (app::paths::ITEM_DOWNLOAD_PATH, "GET", StatusCode::NOT_FOUND),
    (app::paths::DEAL_EXPORT_PATH, "GET", StatusCode::FORBIDDEN),
    // A payment request's invoice: staff's alone.
    (PAYMENT_INVOICE_FILES, "POST", StatusCode::NOT_FOUND),
    // A payment order: accounting's to attach.
    (PAYMENT_ORDER_FILES, "POST", StatusCode::NOT_FOUND),
];

/// `ITEM_FILES_PATH` for payment requests' payment orders.
const PAYMENT_ORDER_FILES: &str = "/api/items/payment_order/{id}/files";

/// `ITEM_FILES_PATH` for payment requests' invoices.
const PAYMENT_INVOICE_FILES: &str = "/api/items/payment_invoice/{id}/files";

/// `ITEM_FILES_PATH` for tasks.
const TASK_FILES: &str = "/api/items/task/{id}/files";

#[test]
fn every_server_function_is_in_the_matrix() {
    let registered: BTreeSet<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.to_owned())
        .collect();
    let listed: BTreeSet<String> = SERVER_FUNCTIONS
        .iter()
        .map(|(path, _)| (*path).to_owned())
        .collect();
    for (path, isolation) in &SERVER_FUNCTIONS {
        if let Isolation::NoId(reason) = isolation {
            assert!(!reason.is_empty(), "{path}: say why it needs no id check");
        }
    }
    let missing: Vec<_> = registered.difference(&listed).collect();
    let stale: Vec<_> = listed.difference(&registered).collect();
    assert!(
        missing.is_empty() && stale.is_empty(),
        "classify new server functions in SERVER_FUNCTIONS: missing {missing:?}, no longer registered {stale:?}"
    );
}

on_both_databases!(a_supplier_gets_not_found_for_another_counterpartys_objects);

/// A call naming `id`, every other argument valid, so only the id decides the answer.
async fn call_with_id(
    app: &TestApp,
    path: &str,
    field: &str,
    id: i32,
    cookie: &str,
) -> TestResponse {
    let id = id.to_string();
    let mut form = vec![
        (field, id.as_str()),
        ("to", "review"),
        ("version", "1"),
        ("name", "Анна"),
        ("position", ""),
        ("email", "anna@example.ru"),
        ("phone", ""),
        ("first_name", "Анна"),
        ("last_name", ""),
        ("active", "false"),
        ("body", "Чужое сообщение"),
        ("user_id", "1"),
        ("status", "done"),
        ("pipeline", "deals"),
        ("signed_on", "2026-11-01"),
        ("deferral_days", ""),
        ("deferral_base", "delivery"),
        ("dated_on", "2026-11-01"),
        ("amount", "1"),
        ("planned_delivery_on", ""),
        ("department[name]", "Закупки"),
        ("placement[job_title]", ""),
        ("code", "99"),
        ("approver", "1"),
        ("deputy", "1"),
        ("starts_on", "2026-11-01"),
        ("ends_on", "2026-11-02"),
        ("decision", "approve"),
        ("request[counterparty]", "1"),
        ("request[amount]", "100"),
        ("request[purpose]", "Оплата"),
        ("request[cash_flow_item]", "1"),
        ("request[urgent]", "on"),
    ];
    // A complete, valid counterparty form (Sberbank's public requisites).
    form.extend([
        ("form[name]", "ПАО Сбербанк"),
        ("form[inn]", "7707083893"),
        ("form[kpp]", "773601001"),
        ("form[ogrn]", ""),
        ("form[legal_address]", ""),
        ("form[postal_address]", ""),
        ("form[bank_name]", ""),
        ("form[bic]", ""),
        ("form[settlement_account]", ""),
        ("form[correspondent_account]", ""),
        ("form[responsible_manager_id]", ""),
        ("form[payment_deferral_days]", ""),
        ("form[block_mode]", "none"),
        ("form[block_reason]", ""),
    ]);
    app.call(path, &form, Some(cookie)).await
}

async fn state_of(app: &TestApp) -> Vec<i64> {
    let mut state = Vec::new();
    for table in [
        "document_cards",
        "document_files",
        "stage_events",
        "users",
        "counterparties",
        "card_messages",
        "card_changes",
        "notifications",
        "contracts",
        "specifications",
        "supplier_orders",
        "tasks",
        "task_comments",
        "item_files",
        "departments",
        "staff_placements",
        "deputies",
        "cash_flow_items",
        "approval_rules",
        "payment_requests",
        "approval_steps",
        "statement_replies",
    ] {
        state.push(app.count(table).await);
    }
    state.push(
        app.scalar("SELECT CAST(COALESCE(SUM(version), 0) AS BIGINT) AS n FROM document_cards")
            .await,
    );
    state.push(app.stored_files().len() as i64);
    state
}

async fn a_supplier_gets_not_found_for_another_counterpartys_objects(app: TestApp) {
    let a = app.session(SUPPLIER_A).await;
    let b = app.session(SUPPLIER_B).await;
    // An object of A of every kind: a returned card (it takes corrected files) and a file.
    let card_of_a = app
        .scalar(
            "SELECT c.id AS n FROM document_cards c JOIN stages s ON s.id = c.stage_id \
             WHERE s.code = 'returned' AND c.invoice_number = 'СЧ-99'",
        )
        .await as i32;
    let response = app
        .post_multipart(
            &app::paths::corrected_files_path(card_of_a),
            multipart_body(&[Part::File {
                field: "files",
                file_name: "fix.pdf",
                content: pdf("isolation"),
            }]),
            Some(&a),
        )
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    let file_of_a = app
        .scalar(&format!(
            "SELECT MAX(id) AS n FROM document_files WHERE card_id = {card_of_a}"
        ))
        .await as i32;
    // Back to "returned" so corrected files would be accepted from A.
    app.exec(&format!(
        "UPDATE document_cards SET stage_id = (SELECT id FROM stages WHERE code = 'returned') \
         WHERE id = {card_of_a}"
    ))
    .await;
    let counterparty_a = app
        .scalar("SELECT counterparty_id AS n FROM users WHERE email = 'supplier@romashka.demo'")
        .await as i32;
    app.exec(&format!(
        "INSERT INTO counterparty_contacts (counterparty_id, name, position, email, phone, created_at) \
         VALUES ({counterparty_a}, 'Анна', '', 'anna@romashka.ru', '', '2026-11-01T00:00:00Z')"
    ))
    .await;
    let contact_of_a = app
        .scalar("SELECT MAX(id) AS n FROM counterparty_contacts")
        .await as i32;
    // A's papers and task, made by a manager.
    let manager = app.session(MANAGER).await;
    let made = |response: TestResponse| -> i32 {
        assert_eq!(response.status, StatusCode::OK, "{}", response.body);
        response.json()
    };
    let contract_of_a = made(
        app.call(
            "/api/staff/create_contract",
            &[
                ("counterparty", &counterparty_a.to_string()),
                ("signed_on", "2026-11-01"),
                ("deferral_days", ""),
                ("deferral_base", "delivery"),
            ],
            Some(&manager),
        )
        .await,
    );
    let contract = contract_of_a.to_string();
    let specification_of_a = made(
        app.call(
            "/api/staff/create_specification",
            &[
                ("contract", &contract),
                ("dated_on", "2026-11-02"),
                ("lines[0][name]", "Насос"),
                ("lines[0][quantity]", "1"),
                ("lines[0][unit]", "шт"),
                ("lines[0][price]", "100"),
                ("lines[0][vat]", "22"),
            ],
            Some(&manager),
        )
        .await,
    );
    let order_of_a = made(
        app.call(
            "/api/staff/create_order",
            &[
                ("contract", &contract),
                ("amount", "100"),
                ("planned_delivery_on", ""),
            ],
            Some(&manager),
        )
        .await,
    );
    let task_of_a = made(
        app.call(
            "/api/staff/create_task",
            &[
                ("title", "Подписать акт"),
                ("assignee", &format!("counterparty:{counterparty_a}")),
            ],
            Some(&manager),
        )
        .await,
    );
    // A's answer to its task, with a file.
    let answered = app
        .post_multipart(
            &app::paths::item_files_path("task", task_of_a),
            multipart_body(&[Part::File {
                field: "files",
                file_name: "answer.pdf",
                content: pdf("answer of A"),
            }]),
            Some(&a),
        )
        .await;
    assert_eq!(answered.status, StatusCode::OK, "{}", answered.body);
    let item_file_of_a = app.scalar("SELECT MAX(id) AS n FROM item_files").await as i32;
    // A ledger entry of A's, as an accepted act writes it.
    app.exec(&format!(
        "INSERT INTO ledger_entries (counterparty_id, contract_id, entry_date, due_date, side, kind, amount_kopecks, source, source_id, document_number, document_date, reversal, created_by, created_at) \
         VALUES ({counterparty_a}, NULL, '2026-11-01', '2026-11-15', 'credit', 'accrual', 100000, 'document', 997, 'АКТ-1', '2026-11-01', false, NULL, '2026-11-01 00:00:00')"
    ))
    .await;
    let entry_of_a = app.scalar("SELECT MAX(id) AS n FROM ledger_entries").await as i32;
    let missing = 999_999;
    let before = state_of(&app).await;

    for (path, isolation) in &SERVER_FUNCTIONS {
        let (field, expected, object) = match isolation {
            Isolation::TakesId(field, object) => (field, StatusCode::NOT_FOUND, *object),
            Isolation::StaffOnly(field) => (field, StatusCode::FORBIDDEN, Object::Card),
            Isolation::NoId(_) => continue,
        };
        let id_of_a = match object {
            Object::Card => card_of_a,
            Object::Counterparty => counterparty_a,
            Object::Contact => contact_of_a,
            Object::Order => order_of_a,
            Object::Contract => contract_of_a,
            Object::Specification => specification_of_a,
            Object::Task => task_of_a,
            Object::Entry => entry_of_a,
        };
        let foreign = call_with_id(&app, path, field, id_of_a, &b).await;
        let absent = call_with_id(&app, path, field, missing, &b).await;
        assert_eq!(foreign.status, expected, "{path}: {}", foreign.body);
        assert_eq!(
            (foreign.status, &foreign.body),
            (absent.status, &absent.body),
            "{path}"
        );
    }

    for (pattern, method, expected) in FILE_ROUTES {
        let id_of_a = match pattern {
            app::paths::DOWNLOAD_PATH => file_of_a,
            app::paths::EXPORT_PATH => counterparty_a,
            TASK_FILES => task_of_a,
            app::paths::ITEM_DOWNLOAD_PATH => item_file_of_a,
            _ => card_of_a,
        };
        let (foreign, absent) = match method {
            "GET" => (
                app.get(
                    &pattern.replace("{id}", &id_of_a.to_string()),
                    Some(&b),
                    "ru",
                )
                .await,
                app.get(
                    &pattern.replace("{id}", &missing.to_string()),
                    Some(&b),
                    "ru",
                )
                .await,
            ),
            _ => {
                let body = || {
                    multipart_body(&[Part::File {
                        field: "files",
                        file_name: "x.pdf",
                        content: pdf("from B"),
                    }])
                };
                (
                    app.post_multipart(
                        &pattern.replace("{id}", &id_of_a.to_string()),
                        body(),
                        Some(&b),
                    )
                    .await,
                    app.post_multipart(
                        &pattern.replace("{id}", &missing.to_string()),
                        body(),
                        Some(&b),
                    )
                    .await,
                )
            }
        };
        assert_eq!(foreign.status, expected, "{pattern}: {}", foreign.body);
        assert_eq!(
            (foreign.status, &foreign.body),
            (absent.status, &absent.body),
            "{pattern}"
        );
    }

    assert_eq!(
        state_of(&app).await,
        before,
        "a refused request changed something"
    );
}
