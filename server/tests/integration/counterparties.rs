//! The counterparty registry and contacts, on SQLite and PostgreSQL: search and pages, create
//! and edit with checked requisites, changes audited with old and new values, and a supplier
//! keeping its own contacts only.

use crate::common::*;
use app::api::counterparties::{Contact, CounterpartyDetails, CounterpartyPage, OwnContacts};
use app::domain::form::{FieldError, FieldProblem};
use app::domain::requisites::RequisiteError;
use app::error::AppError;
use http::StatusCode;

on_both_databases!(
    staff_search_the_registry_by_name_or_inn_page_by_page,
    staff_create_and_edit_a_counterparty_and_changes_are_audited,
    bad_requisites_are_refused_and_store_nothing,
    suppliers_cannot_use_the_registry,
    a_supplier_keeps_its_own_contacts_and_staff_see_them,
    staff_export_a_counterpartys_files_for_a_period_as_one_zip,
);

/// Sberbank's public requisites: every check passes.
fn sberbank() -> Vec<(&'static str, &'static str)> {
    vec![
        ("form[name]", "ПАО Сбербанк"),
        ("form[inn]", "7707083893"),
        ("form[kpp]", "773601001"),
        ("form[ogrn]", "1027700132195"),
        ("form[legal_address]", "Москва, ул. Вавилова, 19"),
        ("form[postal_address]", ""),
        ("form[bank_name]", "ПАО Сбербанк"),
        ("form[bic]", "044525225"),
        ("form[settlement_account]", "40702810938000012345"),
        ("form[correspondent_account]", "30101810400000000225"),
        ("form[responsible_manager_id]", ""),
        ("form[payment_deferral_days]", "30"),
        ("form[block_mode]", "none"),
        ("form[block_reason]", ""),
    ]
}

fn with(
    form: &[(&'static str, &'static str)],
    key: &str,
    value: &'static str,
) -> Vec<(&'static str, &'static str)> {
    form.iter()
        .map(|(k, v)| if *k == key { (*k, value) } else { (*k, *v) })
        .collect()
}

async fn save(app: &TestApp, cookie: &str, form: &[(&str, &str)]) -> TestResponse {
    app.call("/api/staff/save_counterparty", form, Some(cookie))
        .await
}

async fn details(app: &TestApp, cookie: &str, id: i32) -> CounterpartyDetails {
    let response = app
        .call(
            "/api/staff/counterparty",
            &[("id", &id.to_string())],
            Some(cookie),
        )
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    response.json()
}

async fn staff_search_the_registry_by_name_or_inn_page_by_page(app: TestApp) {
    for n in 1..=25 {
        let name = format!("Тестовый поставщик {n}");
        let inn = format!("{:010}", 1000 + n);
        app.exec(&format!(
            "INSERT INTO counterparties (name, inn, block_mode, payment_deferral_days, created_at, search_text) \
             VALUES ('{name}', '{inn}', 'none', 14, '2026-11-01T00:00:00Z', '{}')",
            app::domain::counterparty::search_text(&name, &inn)
        ))
        .await;
    }
    let manager = app.session(MANAGER).await;
    let page = |form: Vec<(&'static str, &'static str)>| {
        let manager = manager.clone();
        let app = &app;
        async move {
            let response = app
                .call("/api/staff/counterparties", &form, Some(&manager))
                .await;
            assert_eq!(response.status, StatusCode::OK, "{}", response.body);
            response.json::<CounterpartyPage>()
        }
    };
    let all = page(vec![]).await;
    assert_eq!((all.total, all.pages, all.rows.len()), (27, 2, 20));
    let second = page(vec![("page", "2")]).await;
    assert_eq!(second.rows.len(), 7);
    // Cyrillic in any case, and INN digits.
    let found = page(vec![("text", "ТЕСТОВЫЙ ПОСТАВЩИК 1")]).await;
    assert_eq!(found.total, 11); // 1 and 10..19
    let by_inn = page(vec![("text", "0000001025")]).await;
    let names: Vec<_> = by_inn.rows.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["Тестовый поставщик 25"]);
    let demo = page(vec![("text", "ромашка")]).await;
    assert_eq!(demo.rows[0].name, "ООО «Ромашка»");
    assert_eq!(demo.rows[0].documents, 6);
}

async fn staff_create_and_edit_a_counterparty_and_changes_are_audited(app: TestApp) {
    let manager = app.session(MANAGER).await;
    let response = save(&app, &manager, &sberbank()).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    let id: i32 = response.json();
    let created = details(&app, &manager, id).await;
    assert_eq!(created.requisites.name, "ПАО Сбербанк");
    assert_eq!(created.requisites.payment_deferral_days, 30);
    assert_eq!(created.requisites.postal_address, None);

    // New bank: BIC and both accounts change together.
    let mut form = with(&sberbank(), "form[bic]", "044525974");
    form = with(&form, "form[settlement_account]", "40702810938000012345");
    form = with(&form, "form[correspondent_account]", "30101810145250000974");
    let id_text = id.to_string();
    let mut edit: Vec<(&str, &str)> = vec![("id", id_text.as_str())];
    edit.extend(form.iter().copied());
    let response = save(&app, &manager, &edit).await;
    // The old settlement account does not match the new bank: refused, nothing changes.
    assert_eq!(
        response.app_error(),
        AppError::Rejected {
            problems: vec![FieldProblem::field(
                "settlement_account",
                FieldError::Requisite(RequisiteError::SettlementAccountKey)
            )]
        }
    );
    assert_eq!(
        details(&app, &manager, id).await.requisites.bic.as_deref(),
        Some("044525225")
    );

    let account = settlement_account_at("044525974");
    let edit: Vec<(&str, &str)> = edit
        .into_iter()
        .map(|(k, v)| {
            if k == "form[settlement_account]" {
                (k, account.as_str())
            } else {
                (k, v)
            }
        })
        .collect();
    let response = save(&app, &manager, &edit).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    let audited = app
        .scalar(
            "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'counterparty_changed' \
             AND details LIKE '%bic: \"044525225\" -> \"044525974\"%'",
        )
        .await;
    assert_eq!(audited, 1);
    let saved = details(&app, &manager, id).await.requisites;
    assert_eq!(saved.settlement_account.as_deref(), Some(account.as_str()));
}

/// A settlement account at the bank `bic`: the control digit (the ninth) chosen to fit.
fn settlement_account_at(bic: &str) -> String {
    (0..10)
        .map(|d| format!("40702810{d}38000012345"))
        .find(|account| app::domain::requisites::check_settlement_account(account, bic).is_ok())
        .expect("one control digit fits")
}

async fn bad_requisites_are_refused_and_store_nothing(app: TestApp) {
    let manager = app.session(MANAGER).await;
    let before = (
        app.count("counterparties").await,
        app.count("audit_log").await,
    );
    let table = [
        (
            with(&sberbank(), "form[inn]", "7707083894"),
            "inn",
            FieldError::Requisite(RequisiteError::InnChecksum),
        ),
        (
            with(&sberbank(), "form[bic]", "04452522"),
            "bic",
            FieldError::Requisite(RequisiteError::BicFormat),
        ),
        (
            with(
                &sberbank(),
                "form[settlement_account]",
                "40702810038000012345",
            ),
            "settlement_account",
            FieldError::Requisite(RequisiteError::SettlementAccountKey),
        ),
        (
            with(&sberbank(), "form[name]", "  "),
            "name",
            FieldError::Required,
        ),
    ];
    for (form, field, error) in table {
        let response = save(&app, &manager, &form).await;
        assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}");
        assert_eq!(
            response.app_error(),
            AppError::Rejected {
                problems: vec![FieldProblem::field(field, error)]
            }
        );
    }
    assert_eq!(
        (
            app.count("counterparties").await,
            app.count("audit_log").await
        ),
        before
    );
}

async fn suppliers_cannot_use_the_registry(app: TestApp) {
    let supplier = app.session(SUPPLIER_A).await;
    let before = app.count("counterparties").await;
    for (path, form) in [
        ("/api/staff/counterparties", vec![]),
        ("/api/staff/counterparty", vec![("id", "1")]),
        ("/api/staff/managers", vec![]),
        ("/api/staff/save_counterparty", sberbank()),
    ] {
        let response = app.call(path, &form, Some(&supplier)).await;
        assert_eq!(response.status, StatusCode::FORBIDDEN, "{path}");
    }
    assert_eq!(app.count("counterparties").await, before);
}

async fn a_supplier_keeps_its_own_contacts_and_staff_see_them(app: TestApp) {
    let a = app.session(SUPPLIER_A).await;
    let b = app.session(SUPPLIER_B).await;
    let manager = app.session(MANAGER).await;
    let mine: OwnContacts = app
        .call("/api/cabinet/contacts", &[], Some(&a))
        .await
        .json();
    let id_a = mine.counterparty_id.to_string();
    let response = app
        .call(
            "/api/contacts/add",
            &[
                ("counterparty_id", &id_a),
                ("name", "Анна Петрова"),
                ("position", "Главный бухгалтер"),
                ("email", "Anna@Romashka.ru"),
                ("phone", "+7 495 123-45-67"),
            ],
            Some(&a),
        )
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    let contact: Contact = response.json();
    assert_eq!(contact.email, "anna@romashka.ru");
    let staff_view = details(&app, &manager, mine.counterparty_id).await;
    assert_eq!(staff_view.contacts, vec![contact.clone()]);
    assert_eq!(
        app.scalar("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'contact_added'")
            .await,
        1
    );

    // A bad contact is refused with the field named.
    let response = app
        .call(
            "/api/contacts/add",
            &[
                ("counterparty_id", &id_a),
                ("name", "Анна"),
                ("position", ""),
                ("email", "anna@"),
                ("phone", ""),
            ],
            Some(&a),
        )
        .await;
    assert_eq!(
        response.app_error(),
        AppError::Rejected {
            problems: vec![FieldProblem::field("email", FieldError::BadEmail)]
        }
    );

    // B cannot add to or remove from A: "not found", and nothing changes.
    let contacts_before = app.count("counterparty_contacts").await;
    let foreign = app
        .call(
            "/api/contacts/add",
            &[
                ("counterparty_id", &id_a),
                ("name", "Чужой"),
                ("position", ""),
                ("email", "x@y.ru"),
                ("phone", ""),
            ],
            Some(&b),
        )
        .await;
    assert_eq!(foreign.status, StatusCode::NOT_FOUND);
    let removed = app
        .call(
            "/api/contacts/remove",
            &[("id", &contact.id.to_string())],
            Some(&b),
        )
        .await;
    assert_eq!(removed.status, StatusCode::NOT_FOUND);
    assert_eq!(app.count("counterparty_contacts").await, contacts_before);

    // A removes its own.
    let removed = app
        .call(
            "/api/contacts/remove",
            &[("id", &contact.id.to_string())],
            Some(&a),
        )
        .await;
    assert_eq!(removed.status, StatusCode::OK, "{}", removed.body);
    assert_eq!(
        app.count("counterparty_contacts").await,
        contacts_before - 1
    );
}

async fn staff_export_a_counterpartys_files_for_a_period_as_one_zip(app: TestApp) {
    let a = app.session(SUPPLIER_A).await;
    let manager = app.session(MANAGER).await;
    let submit = |number: &'static str, date: &'static str, files: Vec<Part<'static>>| {
        let mut parts = vec![
            Part::Text("kind", "invoice_with_act"),
            Part::Text("invoice_number", number),
            Part::Text("invoice_date", date),
            Part::Text("amount", "100"),
            Part::Text("vat", "22"),
        ];
        parts.extend(files);
        parts
    };
    let file = |name: &'static str, content: Vec<u8>| Part::File {
        field: "files",
        file_name: name,
        content,
    };
    for parts in [
        submit(
            "СЧ-1/11",
            "2026-11-03",
            vec![file("Счёт.pdf", pdf("one")), file("акт.jpg", jpeg("one"))],
        ),
        submit("СЧ-2", "2026-11-10", vec![file("Счёт.pdf", pdf("two"))]),
        submit("СЧ-3", "2026-10-01", vec![file("old.pdf", pdf("october"))]),
    ] {
        let response = app.upload(&parts, &a).await;
        assert_eq!(response.status, StatusCode::CREATED, "{}", response.body);
    }
    let counterparty = app
        .scalar("SELECT counterparty_id AS n FROM users WHERE email = 'supplier@romashka.demo'")
        .await as i32;
    let path = format!(
        "{}?from=2026-11-01&to=2026-11-30",
        app::paths::export_path(counterparty)
    );
    let response = app.get(&path, Some(&manager), "ru").await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    assert_eq!(
        response
            .headers
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/zip")
    );
    let disposition = response
        .headers
        .get("content-disposition")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(disposition.starts_with("attachment; "), "{disposition}");

    let mut archive =
        zip::ZipArchive::new(std::io::Cursor::new(response.bytes.clone())).expect("a readable ZIP");
    let mut entries = Vec::new();
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).expect("entry");
        let mut content = Vec::new();
        std::io::Read::read_to_end(&mut entry, &mut content).expect("entry content");
        entries.push((entry.name().to_owned(), content));
    }
    let names: Vec<_> = entries.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "Документы/2026-11-03 СЧ-1_11/Счёт.pdf",
            "Документы/2026-11-03 СЧ-1_11/акт.jpg",
            "Документы/2026-11-10 СЧ-2/Счёт.pdf",
        ]
    );
    assert_eq!(entries[0].1, pdf("one"));
    assert_eq!(entries[2].1, pdf("two"));
    assert_eq!(
        app.scalar("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'counterparty_exported'")
            .await,
        1
    );

    // A supplier cannot export, not even its own counterparty.
    let refused = app.get(&path, Some(&a), "ru").await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}
