//! The ledger's imports from the accounting system on SQLite and PostgreSQL: an accountant's
//! CSV or XLSX upload, the integrations' JSON API with its tokens, what a re-import and a bad
//! row store (once, and nothing), and who may do any of it.

use crate::common::*;
use app::api::ledger_import::{ImportReport, ImportsPage, IssuedToken};
use app::api::settlements::BalancePage;
use app::domain::form::FieldError;
use app::domain::ledger_import::{ImportColumn, ImportOrigin, RowProblem};
use app::domain::money::Money;
use app::domain::settlements::EntryKind;
use axum::body::Body;
use http::{Request, StatusCode};

on_both_databases!(
    importing_the_same_file_twice_stores_it_once_and_the_supplier_sees_its_entries,
    a_file_with_one_bad_row_stores_nothing_and_names_the_row,
    api_tokens_open_the_import_and_nothing_else,
    an_import_that_makes_a_debtor_blocks_it_at_once,
);

const ADMIN: &str = "admin@demo.local";
const ROMASHKA: &str = "7707083893";
const VEKTOR: &str = "7736207543";

fn day(app: &TestApp, days_ago: u64) -> String {
    let today = app.state.now().today();
    (today - chrono::Days::new(days_ago))
        .format("%d.%m.%Y")
        .to_string()
}

fn iso(app: &TestApp, days_ago: u64) -> String {
    let today = app.state.now().today();
    (today - chrono::Days::new(days_ago))
        .format("%Y-%m-%d")
        .to_string()
}

async fn upload_table(
    app: &TestApp,
    cookie: &str,
    name: &'static str,
    content: Vec<u8>,
) -> TestResponse {
    app.post_multipart(
        app::paths::LEDGER_UPLOAD_PATH,
        multipart_body(&[Part::File {
            field: "file",
            file_name: name,
            content,
        }]),
        Some(cookie),
    )
    .await
}

async fn imported(app: &TestApp) -> i64 {
    app.scalar("SELECT COUNT(*) AS n FROM ledger_entries WHERE source = 'import'")
        .await
}

async fn importing_the_same_file_twice_stores_it_once_and_the_supplier_sees_its_entries(
    app: TestApp,
) {
    let accountant = app.session(ACCOUNTANT).await;
    // A contract of the supplier's under the number the accounting system knows it by.
    let romashka = app
        .scalar(&format!(
            "SELECT id AS n FROM counterparties WHERE inn = '{ROMASHKA}'"
        ))
        .await;
    let contract = "Д-2026/17";
    app.exec(&format!(
        "INSERT INTO contracts (counterparty_id, number, signed_on, deferral_days, deferral_base, created_at) \
         VALUES ({romashka}, '{contract}', '2026-01-10', 30, 'delivery', '2026-01-10T00:00:00Z')"
    ))
    .await;
    // As a Russian 1C export is laid out: Russian headers, `;`, DD.MM.YYYY, a BOM, an extra
    // column nobody reads.
    let csv = format!(
        "\u{feff}Идентификатор;ИНН;Договор;Дата;Документ;Дебет;Кредит;Комментарий\n\
         1c-001;{ROMASHKA};;{};Сальдо;;1 500,00;начальное\n\
         1c-002;{ROMASHKA};{contract};{};ПП 15;500,50;;\n\
         1c-003;{VEKTOR};;{};Сальдо;;100,00;\n",
        day(&app, 20),
        day(&app, 10),
        day(&app, 20),
    );
    let before = app.count("ledger_entries").await;
    let first = upload_table(&app, &accountant, "сальдо.csv", csv.clone().into_bytes()).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    let report: ImportReport = first.json();
    assert_eq!(
        (report.rows, report.imported, report.skipped, report.refused),
        (3, 3, 0, false)
    );
    assert_eq!(report.origin, ImportOrigin::Upload);
    assert_eq!(imported(&app).await, 3);

    let again = upload_table(&app, &accountant, "сальдо.csv", csv.into_bytes()).await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.body);
    let report: ImportReport = again.json();
    assert_eq!(
        (report.imported, report.skipped),
        (0, 3),
        "the same file again stores nothing"
    );
    assert_eq!(app.count("ledger_entries").await, before + 3);

    // The supplier sees its two, on the contract and off it; the credit got a deadline from
    // the deferral; the other supplier's is not among them.
    let supplier = app.session(SUPPLIER_A).await;
    let page = app
        .call(
            "/api/cabinet/balance",
            &[("from", &iso(&app, 30)), ("to", &iso(&app, 0))],
            Some(&supplier),
        )
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let page: BalancePage = page.json();
    let ours: Vec<_> = page
        .rows
        .iter()
        .filter(|r| r.kind == EntryKind::Imported)
        .collect();
    assert_eq!(ours.len(), 2, "{:?}", page.rows);
    assert_eq!(ours[0].number, "Сальдо");
    assert_eq!(ours[0].credit, Some(Money::from_kopecks(150_000)));
    assert!(ours[0].due.is_some());
    assert_eq!(ours[1].number, "ПП 15");
    assert_eq!(ours[1].debit, Some(Money::from_kopecks(50_050)));
    assert!(ours[1].contract.is_some());
    assert!(
        !page
            .rows
            .iter()
            .any(|r| r.credit == Some(Money::from_kopecks(10_000)))
    );

    // The history shows both imports, newest first, with who made them.
    let history = app
        .call("/api/staff/ledger_imports", &[], Some(&accountant))
        .await;
    assert_eq!(history.status, StatusCode::OK, "{}", history.body);
    let history: ImportsPage = history.json();
    assert_eq!(history.imports.len(), 2);
    assert_eq!(history.imports[0].skipped, 3);
    assert!(!history.imports[0].by.is_empty());
    assert!(!history.may_manage_tokens && history.tokens.is_empty());
}

async fn a_file_with_one_bad_row_stores_nothing_and_names_the_row(app: TestApp) {
    let accountant = app.session(ACCOUNTANT).await;
    // An XLSX workbook whose third entry (line 4) has no valid date.
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (column, header) in ["id", "inn", "date", "document", "debit", "credit"]
        .iter()
        .enumerate()
    {
        sheet.write_string(0, column as u16, *header).unwrap();
    }
    let rows = [
        ("x-1", iso(&app, 5), "А-1", 10.0),
        ("x-2", iso(&app, 4), "А-2", 20.5),
        ("x-3", "31.02.2026".to_owned(), "А-3", 30.0),
    ];
    for (i, (id, date, document, credit)) in rows.iter().enumerate() {
        let row = i as u32 + 1;
        sheet.write_string(row, 0, *id).unwrap();
        sheet.write_string(row, 1, ROMASHKA).unwrap();
        sheet.write_string(row, 2, date).unwrap();
        sheet.write_string(row, 3, *document).unwrap();
        sheet.write_number(row, 5, *credit).unwrap();
    }
    let xlsx = book.save_to_buffer().unwrap();
    let refused = upload_table(&app, &accountant, "entries.xlsx", xlsx.clone()).await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    let report: ImportReport = refused.json();
    assert!(report.refused);
    assert_eq!(
        report.problems,
        vec![RowProblem {
            line: 4,
            column: Some(ImportColumn::Date),
            error: FieldError::BadDate
        }]
    );
    assert_eq!(
        imported(&app).await,
        0,
        "nothing of a refused file is stored"
    );

    // A CSV whose second entry names a counterparty nobody knows: checked against the
    // database, refused as a whole too.
    let csv = format!(
        "id,inn,date,document,credit\ny-1,{ROMASHKA},{},Б-1,5\ny-2,7728168971,{},Б-2,6\n",
        iso(&app, 3),
        iso(&app, 3)
    );
    let unknown = upload_table(&app, &accountant, "b.csv", csv.into_bytes()).await;
    assert_eq!(
        unknown.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        unknown.body
    );
    let report: ImportReport = unknown.json();
    assert_eq!(
        report.problems,
        vec![RowProblem {
            line: 3,
            column: Some(ImportColumn::Inn),
            error: FieldError::NoSuchRecord
        }]
    );
    assert_eq!(imported(&app).await, 0);

    // A plain form (no script) goes back to the page, which lists the problem by line.
    let request = Request::post(app::paths::LEDGER_UPLOAD_PATH)
        .header(http::header::HOST, HOST)
        .header(http::header::ORIGIN, ORIGIN)
        .header(http::header::ACCEPT, "text/html")
        .header(http::header::COOKIE, &accountant)
        .header(
            http::header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(Body::from(multipart_body(&[Part::File {
            field: "file",
            file_name: "entries.xlsx",
            content: xlsx.clone(),
        }])))
        .unwrap();
    let plain = app.send(request).await;
    assert_eq!(plain.status, StatusCode::SEE_OTHER);
    let location = plain
        .headers
        .get("location")
        .and_then(|l| l.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(
        location.starts_with("/staff/ledger-import?report="),
        "{location}"
    );
    let page = app.get(&location, Some(&accountant), "ru").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("data-testid=\"import-problems\""),
        "{}",
        page.body
    );
    assert!(page.body.contains("Дата"), "the column in Russian");

    // A file that is not a table, and the other roles: refused, nothing stored.
    let garbage = upload_table(&app, &accountant, "a.pdf", pdf("not a table")).await;
    assert_eq!(
        garbage.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        garbage.body
    );
    for who in [MANAGER, SUPPLIER_A] {
        let cookie = app.session(who).await;
        let answer = upload_table(&app, &cookie, "entries.xlsx", xlsx.clone()).await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN, "{who}");
        let page = app
            .call("/api/staff/ledger_imports", &[], Some(&cookie))
            .await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{who}");
    }
    assert_eq!(imported(&app).await, 0);
}

fn api_request(token: Option<&str>, body: &str) -> Request<Body> {
    let mut builder = Request::post(app::domain::api_tokens::LEDGER_IMPORT_API_PATH)
        .header(http::header::HOST, HOST)
        .header(http::header::CONTENT_TYPE, "application/json");
    if let Some(token) = token {
        builder = builder.header(http::header::AUTHORIZATION, format!("Bearer {token}"));
    }
    builder.body(Body::from(body.to_owned())).unwrap()
}

async fn api_tokens_open_the_import_and_nothing_else(app: TestApp) {
    let admin = app.session(ADMIN).await;
    let manager = app.session(MANAGER).await;
    let refused = app
        .call(
            "/api/admin/api_token_issue",
            &[("name", "1С")],
            Some(&manager),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let blank = app
        .call("/api/admin/api_token_issue", &[("name", " ")], Some(&admin))
        .await;
    assert_eq!(blank.status, StatusCode::UNPROCESSABLE_ENTITY);
    let issued = app
        .call(
            "/api/admin/api_token_issue",
            &[("name", "1С: Бухгалтерия")],
            Some(&admin),
        )
        .await;
    assert_eq!(issued.status, StatusCode::OK, "{}", issued.body);
    let issued: IssuedToken = issued.json();
    assert!(issued.token.starts_with("kab_"));
    assert_eq!(
        app.scalar(&format!(
            "SELECT COUNT(*) AS n FROM api_tokens WHERE token_hash = '{}'",
            issued.token
        ))
        .await,
        0,
        "only a hash of the token is kept"
    );

    let body = format!(
        r#"{{"entries":[
            {{"id":"api-1","inn":"{ROMASHKA}","date":"{}","document":"Сальдо","credit":"1000.00"}},
            {{"id":"api-2","inn":"{ROMASHKA}","date":"{}","document":"ПП 7","debit":"250"}}
        ]}}"#,
        iso(&app, 9),
        iso(&app, 2)
    );
    let first = app.send(api_request(Some(&issued.token), &body)).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    let report: ImportReport = first.json();
    assert_eq!((report.imported, report.skipped), (2, 0));
    assert_eq!(report.origin, ImportOrigin::Api);
    assert_eq!(report.by, "1С: Бухгалтерия");
    let again: ImportReport = app
        .send(api_request(Some(&issued.token), &body))
        .await
        .json();
    assert_eq!(
        (again.imported, again.skipped),
        (0, 2),
        "a repeated call stores nothing"
    );
    assert_eq!(imported(&app).await, 2);

    // A bad entry refuses the call and names the entry; a body of another shape is a 400.
    let bad = format!(
        r#"{{"entries":[{{"id":"api-3","inn":"{ROMASHKA}","date":"{}","document":"A","credit":"1"}},
            {{"id":"api-4","inn":"{ROMASHKA}","date":"{}","document":"B","credit":"1","debit":"1"}}]}}"#,
        iso(&app, 1),
        iso(&app, 1)
    );
    let refused = app.send(api_request(Some(&issued.token), &bad)).await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    let report: ImportReport = refused.json();
    assert_eq!(
        report.problems,
        vec![RowProblem {
            line: 2,
            column: Some(ImportColumn::Credit),
            error: FieldError::OneSideOnly
        }]
    );
    let shape = app
        .send(api_request(Some(&issued.token), r#"{"rows":[]}"#))
        .await;
    assert_eq!(shape.status, StatusCode::BAD_REQUEST);
    assert_eq!(imported(&app).await, 2);

    // No token or a wrong one: 401. The token anywhere else: 403, even where a session would
    // be welcome.
    for token in [None, Some("kab_wrong"), Some("nonsense")] {
        let answer = app.send(api_request(token, &body)).await;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{token:?}");
    }
    for request in [
        Request::post("/api/staff/debtors")
            .header(http::header::HOST, HOST)
            .header(
                http::header::AUTHORIZATION,
                format!("Bearer {}", issued.token),
            )
            .header(
                http::header::CONTENT_TYPE,
                "application/x-www-form-urlencoded",
            )
            .body(Body::empty())
            .unwrap(),
        Request::get("/staff/debtors")
            .header(http::header::HOST, HOST)
            .header(
                http::header::AUTHORIZATION,
                format!("Bearer {}", issued.token),
            )
            .body(Body::empty())
            .unwrap(),
        Request::post(app::paths::LEDGER_UPLOAD_PATH)
            .header(http::header::HOST, HOST)
            .header(
                http::header::AUTHORIZATION,
                format!("Bearer {}", issued.token),
            )
            .body(Body::empty())
            .unwrap(),
    ] {
        let path = request.uri().path().to_owned();
        assert_eq!(
            app.send(request).await.status,
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }

    // The admin's page lists the token, used; revoked, it opens nothing.
    let page: ImportsPage = app
        .call("/api/staff/ledger_imports", &[], Some(&admin))
        .await
        .json();
    assert!(page.may_manage_tokens);
    assert_eq!(page.tokens.len(), 1);
    assert!(page.tokens[0].last_used_at.is_some());
    let id = issued.id.to_string();
    let revoked = app
        .call("/api/admin/api_token_revoke", &[("id", &id)], Some(&admin))
        .await;
    assert_eq!(revoked.status, StatusCode::OK, "{}", revoked.body);
    let answer = app.send(api_request(Some(&issued.token), &body)).await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
    let page: ImportsPage = app
        .call("/api/staff/ledger_imports", &[], Some(&admin))
        .await
        .json();
    assert!(page.tokens[0].revoked_at.is_some());
    assert_eq!(
        app.scalar("SELECT COUNT(*) AS n FROM audit_log WHERE action LIKE 'api_token.%'")
            .await,
        2
    );

    // The description integrators read names the endpoint, its security and every column.
    let openapi = app
        .get(app::domain::api_tokens::OPENAPI_PATH, None, "en")
        .await;
    assert_eq!(openapi.status, StatusCode::OK);
    assert!(openapi.body.contains("/api/import/ledger:"));
    assert!(openapi.body.contains("scheme: bearer"));
    for column in ImportColumn::ALL {
        assert!(
            openapi
                .body
                .contains(&format!("        {}:", column.code())),
            "the OpenAPI file describes {}",
            column.code()
        );
    }
}

/// The admin's debtor rule looks at imported entries as soon as they are stored: an advance
/// from the accounting system, long past the date it was to be closed by, puts its
/// counterparty on a balance-only block without waiting for the hourly sweep.
async fn an_import_that_makes_a_debtor_blocks_it_at_once(app: TestApp) {
    let admin = app.session(ADMIN).await;
    let accountant = app.session(ACCOUNTANT).await;
    let block_of = |inn: &'static str| {
        let app = &app;
        async move {
            app.text(&format!(
                "SELECT block_mode AS t FROM counterparties WHERE inn = '{inn}'"
            ))
            .await
        }
    };
    let on = app
        .call(
            "/api/admin/debtor_rule",
            &[("enabled", "on"), ("overdue_days", "30")],
            Some(&admin),
        )
        .await;
    assert_eq!(on.status, StatusCode::OK, "{}", on.body);
    assert_eq!(block_of(VEKTOR).await.as_deref(), Some("none"));

    let csv = format!(
        "Идентификатор;ИНН;Дата;Документ;Дебет;Кредит;Срок оплаты\n\
         1c-adv-1;{VEKTOR};{};ПП 901;25 000,00;;{}\n",
        day(&app, 90),
        day(&app, 45),
    );
    let stored = upload_table(&app, &accountant, "авансы.csv", csv.into_bytes()).await;
    assert_eq!(stored.status, StatusCode::OK, "{}", stored.body);
    let report: ImportReport = stored.json();
    assert_eq!((report.imported, report.refused), (1, false));
    // The advance keeps the file's deadline, and is overdue by 45 days.
    assert_eq!(
        app.text(
            "SELECT CAST(due_date AS TEXT) AS t FROM ledger_entries WHERE external_id = '1c-adv-1'"
        )
        .await
        .as_deref(),
        Some(iso(&app, 45).as_str())
    );
    assert_eq!(block_of(VEKTOR).await.as_deref(), Some("balance_only"));
    assert_eq!(
        app.scalar(
            "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'counterparty_block_by_rule'"
        )
        .await,
        1
    );
}
