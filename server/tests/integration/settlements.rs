//! Settlements on SQLite and PostgreSQL: what a document's moves write to the ledger, what a
//! supplier sees of it (its own only), the reconciliation statement's files, access blocks
//! and the debtor rule.

use crate::common::*;
use app::api::settlements::{BalancePage, BalanceSummary, DebtorsPage};
use app::domain::money::Money;
use app::domain::settlements::{BlockMode, InFavourOf, Verdict};
use app::error::AppError;
use http::StatusCode;

on_both_databases!(
    a_document_reaching_paid_writes_exactly_one_entry_and_the_supplier_sees_its_balance,
    the_statement_as_pdf_and_xlsx_holds_the_ledgers_figures,
    a_balance_only_block_leaves_the_balance_and_uploads_open_and_a_full_block_refuses_sign_in,
    the_debtor_rule_blocks_and_lifts_its_block,
    the_balance_pages_render_the_panel_the_entries_and_the_debtors,
    a_supplier_confirms_a_statement_and_a_disputed_line_comes_back_answered,
    the_panel_and_the_debtors_list_read_in_sql_agree_with_the_whole_history,
);

const ADMIN: &str = "admin@demo.local";

async fn card_id(app: &TestApp, number: &str) -> i32 {
    app.scalar(&format!(
        "SELECT id AS n FROM document_cards WHERE invoice_number = '{number}'"
    ))
    .await as i32
}

async fn move_to(app: &TestApp, cookie: &str, id: i32, to: &str, extra: &[(&str, &str)]) {
    let version = app
        .scalar(&format!(
            "SELECT version AS n FROM document_cards WHERE id = {id}"
        ))
        .await
        .to_string();
    let id = id.to_string();
    let mut form = vec![
        ("id", id.as_str()),
        ("to", to),
        ("version", version.as_str()),
    ];
    form.extend_from_slice(extra);
    let moved = app
        .call("/api/staff/move_document", &form, Some(cookie))
        .await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);
}

async fn entries_of_card(app: &TestApp, id: i32) -> i64 {
    app.scalar(&format!(
        "SELECT COUNT(*) AS n FROM ledger_entries WHERE source = 'document' AND source_id = {id}"
    ))
    .await
}

async fn balance(app: &TestApp, cookie: &str, form: &[(&str, &str)]) -> BalancePage {
    let answer = app.call("/api/cabinet/balance", form, Some(cookie)).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    answer.json()
}

fn today(app: &TestApp) -> String {
    app.state.now().today().format("%Y-%m-%d").to_string()
}

async fn a_document_reaching_paid_writes_exactly_one_entry_and_the_supplier_sees_its_balance(
    app: TestApp,
) {
    let supplier = app.session(SUPPLIER_A).await;
    let other = app.session(SUPPLIER_B).await;
    let manager = app.session(MANAGER).await;
    let id = card_id(&app, "СЧ-98").await;
    assert_eq!(entries_of_card(&app, id).await, 0);
    move_to(&app, &manager, id, "accounting", &[]).await;
    assert_eq!(entries_of_card(&app, id).await, 1);

    let owed = balance(&app, &supplier, &[]).await;
    assert_eq!(owed.summary.balance, Money::from_kopecks(4_830_050));
    assert_eq!(owed.summary.in_favour, InFavourOf::Counterparty);
    assert_eq!(owed.rows.len(), 1);
    assert_eq!(owed.rows[0].credit, Some(Money::from_kopecks(4_830_050)));
    assert_eq!(owed.rows[0].number, "СЧ-98");

    // Another supplier sees none of it, whatever counterparty it names.
    let a_id = owed.counterparty_id.to_string();
    let foreign = balance(&app, &other, &[("counterparty", &a_id)]).await;
    assert_ne!(foreign.counterparty_id, owed.counterparty_id);
    assert!(foreign.rows.is_empty());
    assert_eq!(foreign.summary.balance, Money::ZERO);

    let accountant = app.session(ACCOUNTANT).await;
    let day = today(&app);
    move_to(&app, &accountant, id, "paid", &[("paid_date", &day)]).await;
    assert_eq!(
        entries_of_card(&app, id).await,
        2,
        "paid writes exactly one entry"
    );
    assert_eq!(
        app.scalar(&format!(
            "SELECT COUNT(*) AS n FROM ledger_entries WHERE source_id = {id} AND kind = 'payment' AND side = 'debit'"
        ))
        .await,
        1
    );
    let settled = balance(&app, &supplier, &[]).await;
    assert_eq!(settled.summary.balance, Money::ZERO);
    assert_eq!(settled.rows.len(), 2);
    assert_eq!(settled.rows[1].running, Money::ZERO);

    // The panel says the same; staff reach any counterparty's page by its id.
    let panel = app
        .call("/api/cabinet/balance_panel", &[], Some(&supplier))
        .await;
    let panel: Option<BalanceSummary> = panel.json();
    assert_eq!(panel.map(|p| p.balance), Some(Money::ZERO));
    let staff = balance(&app, &manager, &[("counterparty", &a_id)]).await;
    assert_eq!(staff.rows.len(), 2);

    // A bad period changes nothing and says what is wrong.
    let bad = app
        .call(
            "/api/cabinet/balance",
            &[("from", "2026-13-01")],
            Some(&supplier),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
}

async fn the_statement_as_pdf_and_xlsx_holds_the_ledgers_figures(app: TestApp) {
    let manager = app.session(MANAGER).await;
    let id = card_id(&app, "СЧ-98").await;
    move_to(&app, &manager, id, "accounting", &[]).await;
    let supplier = app.session(SUPPLIER_A).await;
    let page = balance(&app, &supplier, &[]).await;
    let (from, to) = (page.period.from.to_string(), page.period.to.to_string());
    let path = format!(
        "{}?format=pdf&lang=ru&from={from}&to={to}",
        app::paths::STATEMENT_PATH
    );
    let pdf = app.get(&path, Some(&supplier), "ru").await;
    assert_eq!(pdf.status, StatusCode::OK, "{}", pdf.body);
    assert_eq!(
        pdf.headers
            .get(http::header::CONTENT_TYPE)
            .map(|v| v.as_bytes()),
        Some(&b"application/pdf"[..])
    );
    let text = pdf_text(&pdf.bytes);
    assert!(text.contains("Акт сверки взаимных расчётов"), "{text}");
    assert!(text.contains("ООО «Ромашка»"), "{text}");
    assert!(text.contains("Сальдо начальное"), "{text}");
    assert!(text.contains("Сальдо конечное"), "{text}");
    let closing = page
        .figures
        .closing
        .format_plain(app::domain::lang::Lang::Ru);
    let bare = |t: &str| t.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    assert!(
        bare(&text).contains(&bare(&closing)),
        "closing {closing} in {text}"
    );
    assert!(text.contains("в пользу ООО «Ромашка»"), "{text}");

    let xlsx = app
        .get(
            &path.replace("format=pdf", "format=xlsx"),
            Some(&supplier),
            "ru",
        )
        .await;
    assert_eq!(xlsx.status, StatusCode::OK, "{}", xlsx.body);
    let mut book =
        zip::ZipArchive::new(std::io::Cursor::new(xlsx.bytes)).expect("an XLSX is a ZIP");
    let mut sheet = String::new();
    std::io::Read::read_to_string(
        &mut book.by_name("xl/worksheets/sheet1.xml").expect("a sheet"),
        &mut sheet,
    )
    .expect("read the sheet");
    assert!(sheet.contains("<v>48300.5</v>"), "{sheet}");

    // Another supplier's statement is its own (empty), never A's.
    let other = app.session(SUPPLIER_B).await;
    let theirs = app.get(&path, Some(&other), "ru").await;
    assert_eq!(theirs.status, StatusCode::OK);
    let text = pdf_text(&theirs.bytes);
    assert!(!text.contains("Ромашка"), "{text}");
    assert!(!text.contains("СЧ-98"), "{text}");
    // Unknown format: a clear error.
    let bad = app
        .get(
            &path.replace("format=pdf", "format=doc"),
            Some(&supplier),
            "ru",
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
}

async fn a_balance_only_block_leaves_the_balance_and_uploads_open_and_a_full_block_refuses_sign_in(
    app: TestApp,
) {
    let supplier = app.session(SUPPLIER_A).await;
    app.exec("UPDATE counterparties SET block_mode = 'balance_only' WHERE name = 'ООО «Ромашка»'")
        .await;
    for page in ["/cabinet", "/cabinet/documents", "/cabinet/contacts"] {
        let answer = app.get(page, Some(&supplier), "ru").await;
        answer.assert_redirect_to(app::domain::settlements::BALANCE_PATH);
    }
    let refused = app
        .call("/api/cabinet/documents", &[], Some(&supplier))
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    assert_eq!(refused.app_error(), AppError::BalanceOnly);
    let open = app.call("/api/cabinet/balance", &[], Some(&supplier)).await;
    assert_eq!(open.status, StatusCode::OK, "{}", open.body);
    let page: BalancePage = open.json();
    assert_eq!(page.summary.block, BlockMode::BalanceOnly);
    let statement = app
        .get(
            &format!("{}?format=pdf", app::paths::STATEMENT_PATH),
            Some(&supplier),
            "ru",
        )
        .await;
    assert_eq!(statement.status, StatusCode::OK, "{}", statement.body);

    app.exec("UPDATE counterparties SET block_mode = 'full' WHERE name = 'ООО «Ромашка»'")
        .await;
    let signed = app.sign_in(SUPPLIER_A, PASSWORD).await;
    assert_ne!(signed.status, StatusCode::OK, "{}", signed.body);
    let gone = app.call("/api/cabinet/balance", &[], Some(&supplier)).await;
    assert_eq!(gone.status, StatusCode::UNAUTHORIZED, "{}", gone.body);
}

async fn the_debtor_rule_blocks_and_lifts_its_block(app: TestApp) {
    let admin = app.session(ADMIN).await;
    let manager = app.session(MANAGER).await;
    let a = app
        .scalar("SELECT id AS n FROM counterparties WHERE name = 'ООО «Ромашка»'")
        .await;
    // We paid an advance of 1 000 ₽ long ago, due back 40 days ago: they owe us, overdue.
    let long_ago = (app.state.now().today() - chrono::Days::new(60)).to_string();
    let due = (app.state.now().today() - chrono::Days::new(40)).to_string();
    app.exec(&format!(
        "INSERT INTO ledger_entries (counterparty_id, contract_id, entry_date, due_date, side, kind, amount_kopecks, source, source_id, document_number, document_date, reversal, created_by, created_at) \
         VALUES ({a}, NULL, '{long_ago}', '{due}', 'debit', 'payment', 100000, 'order', 999, 'ПП-1', '{long_ago}', false, NULL, '{long_ago} 00:00:00')"
    ))
    .await;
    // Off: nothing changes.
    let off = app
        .call(
            "/api/admin/debtor_rule",
            &[("overdue_days", "30")],
            Some(&admin),
        )
        .await;
    assert_eq!(off.status, StatusCode::OK, "{}", off.body);
    assert_eq!(off.json::<usize>(), 0);
    // A manager may not switch it.
    let refused = app
        .call(
            "/api/admin/debtor_rule",
            &[("enabled", "on"), ("overdue_days", "30")],
            Some(&manager),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    let bad = app
        .call(
            "/api/admin/debtor_rule",
            &[("enabled", "on"), ("overdue_days", "0")],
            Some(&admin),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);

    let on = app
        .call(
            "/api/admin/debtor_rule",
            &[("enabled", "on"), ("overdue_days", "30")],
            Some(&admin),
        )
        .await;
    assert_eq!(on.status, StatusCode::OK, "{}", on.body);
    assert_eq!(on.json::<usize>(), 1);
    assert_eq!(
        app.text(&format!(
            "SELECT block_mode AS t FROM counterparties WHERE id = {a}"
        ))
        .await
        .as_deref(),
        Some("balance_only")
    );
    let debtors = app.call("/api/staff/debtors", &[], Some(&manager)).await;
    let debtors: DebtorsPage = debtors.json();
    let row = debtors
        .rows
        .iter()
        .find(|r| r.counterparty_id == a as i32)
        .expect("on the list");
    assert!(row.debtor && row.block_by_rule);
    assert_eq!(row.overdue.days, 40);
    assert!(
        app.scalar(&format!(
            "SELECT COUNT(*) AS n FROM email_outbox WHERE to_address = '{SUPPLIER_A}'"
        ))
        .await
            >= 1,
        "the supplier is told"
    );
    // Cleared (they returned it): the next sweep lifts the rule's block.
    app.exec(&format!(
        "INSERT INTO ledger_entries (counterparty_id, contract_id, entry_date, due_date, side, kind, amount_kopecks, source, source_id, document_number, document_date, reversal, created_by, created_at) \
         VALUES ({a}, NULL, '{due}', NULL, 'credit', 'accrual', 100000, 'order', 999, 'ВОЗ-1', '{due}', false, NULL, '{due} 00:00:00')"
    ))
    .await;
    let now = app.state.now();
    let changed = app::server::repo::settlements::sweep(&app.db, now.at, now.today())
        .await
        .expect("sweep");
    assert_eq!(changed, 1);
    assert_eq!(
        app.text(&format!(
            "SELECT block_mode AS t FROM counterparties WHERE id = {a}"
        ))
        .await
        .as_deref(),
        Some("none")
    );
    // A supplier reaches no staff settlements function.
    let supplier = app.session(SUPPLIER_A).await;
    let listed = app.call("/api/staff/debtors", &[], Some(&supplier)).await;
    assert_eq!(listed.status, StatusCode::FORBIDDEN, "{}", listed.body);
}

/// The pages as the server renders them (before any WASM): the red panel above every cabinet
/// page, the balance page's entries and statement links, staff's debtors list.
async fn the_balance_pages_render_the_panel_the_entries_and_the_debtors(app: TestApp) {
    let supplier = app.session(SUPPLIER_A).await;
    let manager = app.session(MANAGER).await;
    let a = app
        .scalar("SELECT id AS n FROM counterparties WHERE name = 'ООО «Ромашка»'")
        .await;
    // An act accepted 30 days ago, due 16 days ago, unpaid: we owe them, overdue.
    let accrued = (app.state.now().today() - chrono::Days::new(30)).to_string();
    let due = (app.state.now().today() - chrono::Days::new(16)).to_string();
    app.exec(&format!(
        "INSERT INTO ledger_entries (counterparty_id, contract_id, entry_date, due_date, side, kind, amount_kopecks, source, source_id, document_number, document_date, reversal, created_by, created_at) \
         VALUES ({a}, NULL, '{accrued}', '{due}', 'credit', 'accrual', 250000, 'document', 998, 'АКТ-7', '{accrued}', false, NULL, '{accrued} 00:00:00')"
    ))
    .await;

    // No overdue yet for the other supplier: its panel is there, without the red amount.
    let other = app.session(SUPPLIER_B).await;
    let calm = app.get("/cabinet/documents", Some(&other), "ru").await;
    assert_eq!(calm.status, StatusCode::OK);
    assert!(
        calm.body.contains("data-testid=\"balance-panel\""),
        "{}",
        calm.body
    );
    assert!(!calm.body.contains("panel-overdue-ours"));

    let documents = app.get("/cabinet/documents", Some(&supplier), "ru").await;
    assert!(
        documents.body.contains("balance-panel--overdue"),
        "{}",
        documents.body
    );
    assert!(
        documents
            .body
            .contains("data-testid=\"panel-overdue-ours\"")
    );
    assert!(documents.body.contains("Просрочено к оплате вам"));

    let last_quarter_from = app::domain::settlements::Period::last_quarter(app.state.now().today());
    let page = app.get("/cabinet/balance", Some(&supplier), "en").await;
    assert_eq!(page.status, StatusCode::OK);
    let body = &page.body;
    if app::domain::settlements::Period::quarter_to_date(app.state.now().today())
        .contains(app.state.now().today() - chrono::Days::new(30))
    {
        assert!(body.contains("АКТ-7"), "{body}");
    }
    assert!(body.contains("data-testid=\"account-row\""), "{body}");
    assert!(body.contains("format=pdf"), "{body}");
    assert!(body.contains("format=xlsx"));
    assert!(
        body.contains(&format!("from={}", last_quarter_from.from)),
        "the one-click last quarter"
    );
    // The period in the address picks the entries.
    let wide = app
        .get(
            &format!("/cabinet/balance?from={accrued}"),
            Some(&supplier),
            "en",
        )
        .await;
    assert!(wide.body.contains("АКТ-7"), "{}", wide.body);
    assert!(wide.body.contains("data-testid=\"entry-row\""));
    let before = (app.state.now().today() - chrono::Days::new(400)).to_string();
    let empty = app
        .get(
            &format!("/cabinet/balance?from={before}&to={before}"),
            Some(&supplier),
            "en",
        )
        .await;
    assert!(
        empty.body.contains("data-testid=\"no-entries\""),
        "{}",
        empty.body
    );

    // Staff see the debtor on the list and its balance by its id; a supplier does not.
    let debtors = app.get("/staff/debtors", Some(&manager), "ru").await;
    assert_eq!(debtors.status, StatusCode::OK);
    assert!(debtors.body.contains("ООО «Ромашка»"), "{}", debtors.body);
    assert!(
        debtors
            .body
            .contains(&format!("/staff/counterparties/{a}/balance"))
    );
    let staff_page = app
        .get(
            &format!("/staff/counterparties/{a}/balance?from={accrued}"),
            Some(&manager),
            "ru",
        )
        .await;
    assert!(staff_page.body.contains("АКТ-7"), "{}", staff_page.body);
    assert!(staff_page.body.contains(&format!("counterparty={a}")));
    let refused = app.get("/staff/debtors", Some(&supplier), "ru").await;
    assert_ne!(refused.status, StatusCode::OK);
}

/// The supplier confirms a statement, then disputes a line: accounting gets a task, answers
/// it, and the answer comes back on the balance page and by e-mail. Bad input changes nothing.
async fn a_supplier_confirms_a_statement_and_a_disputed_line_comes_back_answered(app: TestApp) {
    let supplier = app.session(SUPPLIER_A).await;
    let accountant = app.session(ACCOUNTANT).await;
    let a = app
        .scalar("SELECT id AS n FROM counterparties WHERE name = 'ООО «Ромашка»'")
        .await;
    let day = today(&app);
    app.exec(&format!(
        "INSERT INTO ledger_entries (counterparty_id, contract_id, entry_date, due_date, side, kind, amount_kopecks, source, source_id, document_number, document_date, reversal, created_by, created_at) \
         VALUES ({a}, NULL, '{day}', NULL, 'credit', 'accrual', 770000, 'document', 996, 'АКТ-9', '{day}', false, NULL, '{day} 00:00:00')"
    ))
    .await;
    let entry = app
        .scalar("SELECT MAX(id) AS n FROM ledger_entries")
        .await
        .to_string();

    let confirmed = app
        .call(
            "/api/cabinet/balance_confirm",
            &[("account", "all"), ("from", &day), ("to", &day)],
            Some(&supplier),
        )
        .await;
    assert_eq!(confirmed.status, StatusCode::OK, "{}", confirmed.body);
    let page = balance(&app, &supplier, &[]).await;
    assert!(page.may_reply);
    assert_eq!(page.replies.len(), 1);
    assert_eq!(page.replies[0].verdict, Verdict::Confirmed);
    assert_eq!(page.replies[0].closing, Money::from_kopecks(770_000));

    // An empty comment is refused and stores nothing; so is staff's attempt to reply.
    let tasks_before = app.count("tasks").await;
    let empty = app
        .call(
            "/api/cabinet/balance_dispute",
            &[("entry", &entry), ("body", "  ")],
            Some(&supplier),
        )
        .await;
    assert_eq!(
        empty.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        empty.body
    );
    let staff = app
        .call(
            "/api/cabinet/balance_dispute",
            &[("entry", &entry), ("body", "x")],
            Some(&accountant),
        )
        .await;
    assert_eq!(staff.status, StatusCode::FORBIDDEN, "{}", staff.body);
    assert_eq!(app.count("tasks").await, tasks_before);
    assert_eq!(app.count("statement_replies").await, 1);

    // Under a balance-only block the statement may still be disputed.
    app.exec("UPDATE counterparties SET block_mode = 'balance_only' WHERE name = 'ООО «Ромашка»'")
        .await;
    let disputed = app
        .call(
            "/api/cabinet/balance_dispute",
            &[
                ("entry", &entry),
                ("body", "Акт АКТ-9 подписан на 7 000 ₽, не на 7 700 ₽"),
            ],
            Some(&supplier),
        )
        .await;
    assert_eq!(disputed.status, StatusCode::OK, "{}", disputed.body);
    let task = app
        .scalar("SELECT task_id AS n FROM statement_replies WHERE verdict = 'disputed'")
        .await;
    assert_eq!(
        app.text(&format!(
            "SELECT assignee_role AS t FROM tasks WHERE id = {task}"
        ))
        .await
        .as_deref(),
        Some("accountant")
    );
    // The accountant finds it among its tasks, and was notified.
    let mine = app.call("/api/tasks", &[], Some(&accountant)).await;
    let mine: app::api::tasks::MyTasks = mine.json();
    let row = mine
        .tasks
        .iter()
        .find(|t| i64::from(t.id) == task)
        .expect("the dispute is among the accountant's tasks");
    assert!(row.title.contains("АКТ-9"), "{}", row.title);
    assert!(row.title.contains("ООО «Ромашка»"), "{}", row.title);
    let page = balance(&app, &supplier, &[]).await;
    assert_eq!(page.replies[0].verdict, Verdict::Disputed);
    assert_eq!(page.replies[0].entry_number.as_deref(), Some("АКТ-9"));
    assert_eq!(page.replies[0].answer, None);

    // Accounting answers and closes it: the supplier reads the answer and gets a letter.
    let task = task.to_string();
    let answer = "Проверили: верно 7 000 ₽, сторнируем разницу.";
    let commented = app
        .call(
            "/api/task_comment",
            &[("id", &task), ("body", answer)],
            Some(&accountant),
        )
        .await;
    assert_eq!(commented.status, StatusCode::OK, "{}", commented.body);
    let done = app
        .call(
            "/api/task_status",
            &[("id", &task), ("status", "done")],
            Some(&accountant),
        )
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    let page = balance(&app, &supplier, &[]).await;
    assert_eq!(page.replies[0].answer.as_deref(), Some(answer));
    assert!(page.replies[0].resolved);
    let letter = app
        .text(
            "SELECT body_text AS t FROM email_outbox WHERE to_address = 'supplier@romashka.demo' \
             ORDER BY id DESC",
        )
        .await
        .unwrap_or_default();
    assert!(letter.contains(answer), "{letter}");
    // Staff see the replies on the counterparty's balance, without the reply forms.
    let manager = app.session(MANAGER).await;
    let a_id = a.to_string();
    let staff_page = balance(&app, &manager, &[("counterparty", &a_id)]).await;
    assert_eq!(staff_page.replies.len(), 2);
    assert!(!staff_page.may_reply);
}

/// The panel and the debtors list sum each account on the database and read only its newest
/// open entries; over a long generated history (ties on a date, both sides, three accounts,
/// more open entries than one read takes) they must say what first in first out over every
/// entry says, which the balance page still computes.
async fn the_panel_and_the_debtors_list_read_in_sql_agree_with_the_whole_history(app: TestApp) {
    let a = app
        .scalar("SELECT id AS n FROM counterparties WHERE name = 'ООО «Ромашка»'")
        .await;
    app.exec(&format!(
        "INSERT INTO contracts (counterparty_id, number, signed_on, deferral_days, deferral_base, created_at) \
         VALUES ({a}, 'Д-900', '2024-01-10', 30, 'delivery', '2024-01-10T00:00:00Z')"
    ))
    .await;
    let contracts: Vec<String> = {
        let contract = app
            .scalar(&format!(
                "SELECT MAX(id) AS n FROM contracts WHERE counterparty_id = {a}"
            ))
            .await;
        vec![contract.to_string(), "NULL".to_string()]
    };
    let today = app.state.now().today();
    let mut seed: u64 = 17;
    let mut next = move |m: u64| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) % m
    };
    let mut values = Vec::new();
    for i in 0..900 {
        let account = &contracts[(i % 3 == 0) as usize];
        // The contract's account leans to credits (we owe), the other to debits (they owe).
        let credit = if account == "NULL" {
            next(10) < 3
        } else {
            next(10) < 7
        };
        let side = if credit { "credit" } else { "debit" };
        let days_ago = 700 - (i as u64 * 700 / 900) + next(3);
        let date = today - chrono::Days::new(days_ago);
        let due = match next(4) {
            0 => "NULL".to_string(),
            _ => format!("'{}'", date + chrono::Days::new(10 + next(40))),
        };
        let kopecks = 1_000 + next(500_000);
        values.push(format!(
            "({a}, {account}, '{date}', {due}, '{side}', 'accrual', {kopecks}, 'order', {}, 'Г-{i}', '{date}', false, NULL, '{date} 00:00:00')",
            100_000 + i
        ));
    }
    app.exec(&format!(
        "INSERT INTO ledger_entries (counterparty_id, contract_id, entry_date, due_date, side, kind, amount_kopecks, source, source_id, document_number, document_date, reversal, created_by, created_at) VALUES {}",
        values.join(", ")
    ))
    .await;

    // What first in first out over the whole history says, entry by entry.
    use app::domain::settlements as rules;
    use app::server::entities::ledger_entries as entries;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
    let history = entries::Entity::find()
        .filter(entries::Column::CounterpartyId.eq(a as i32))
        .order_by_asc(entries::Column::EntryDate)
        .order_by_asc(entries::Column::Id)
        .all(&app.db)
        .await
        .expect("the ledger");
    let lines: Vec<rules::Line> = history
        .iter()
        .map(app::server::repo::ledger::line)
        .collect();
    let whole_balance = rules::balance(&lines);
    let whole_overdue = rules::overdue_by_account(&lines, today);
    let mut open = std::collections::HashMap::new();
    for (contract, account) in rules::by_contract(&lines) {
        let ids = history
            .iter()
            .filter(|e| e.contract_id == contract)
            .map(|e| e.id);
        open.extend(ids.zip(rules::open_remainders(&account)));
    }

    let supplier = app.session(SUPPLIER_A).await;
    let panel = app
        .call("/api/cabinet/balance_panel", &[], Some(&supplier))
        .await;
    assert_eq!(panel.status, StatusCode::OK, "{}", panel.body);
    let panel: Option<BalanceSummary> = panel.json();
    let panel = panel.expect("a supplier has a panel");
    assert_eq!(
        (panel.balance, panel.overdue),
        (whole_balance, whole_overdue)
    );
    // The history leaves something open and overdue on both sides, or the check says little.
    assert!(panel.overdue.we_owe > Money::ZERO && panel.overdue.they_owe > Money::ZERO);
    assert!(panel.overdue.days > 0 && panel.overdue.next_due.is_some());

    // The balance page over the last year, its second page: the same standing, the
    // period's figures, and each row's running balance and overdue mark.
    let from = today - chrono::Days::new(365);
    let period = rules::Period::new(from, today).expect("a period");
    let (f, t) = (from.to_string(), today.to_string());
    let page = balance(&app, &supplier, &[("from", &f), ("to", &t), ("page", "2")]).await;
    assert_eq!(
        (page.summary.balance, page.summary.overdue),
        (whole_balance, whole_overdue)
    );
    let figures = rules::figures(&lines, period);
    assert_eq!(page.figures, figures);
    let in_period: Vec<usize> = (0..lines.len())
        .filter(|i| period.contains(lines[*i].date))
        .collect();
    assert_eq!(page.entries, in_period.len() as u64);
    assert!(
        page.pages >= 3,
        "{} entries make {} pages",
        page.entries,
        page.pages
    );
    assert_eq!((page.page, page.rows.len()), (2, 100));
    let mut running = figures.opening;
    let mut expected = Vec::new();
    for i in in_period {
        running = running + lines[i].signed();
        let left = open.get(&history[i].id).copied().unwrap_or(Money::ZERO);
        expected.push((
            history[i].id,
            running,
            rules::is_line_overdue(&lines[i], left, today),
        ));
    }
    let shown: Vec<(i32, Money, bool)> = page
        .rows
        .iter()
        .map(|r| (r.id, r.running, r.overdue))
        .collect();
    assert_eq!(shown, expected[100..200]);
    assert!(shown.iter().any(|r| r.2) || expected.iter().any(|r| r.2));
    // A page past the last shows the last.
    let last = balance(
        &app,
        &supplier,
        &[("from", &f), ("to", &t), ("page", "999")],
    )
    .await;
    assert_eq!(last.page, last.pages);
    assert_eq!(last.rows.last().map(|r| r.running), Some(figures.closing));
    // The page as served: "page 2 of N", with links to both neighbours that keep the period.
    let html = app
        .get(
            &format!("/cabinet/balance?from={f}&to={t}&page=2"),
            Some(&supplier),
            "ru",
        )
        .await;
    assert_eq!(html.status, StatusCode::OK);
    assert!(
        html.body.contains(&format!("Страница 2 из {}", page.pages)),
        "{}",
        html.body
    );
    assert!(
        html.body
            .contains(&format!("/cabinet/balance?from={f}&amp;to={t}&amp;page=3"))
    );
    assert!(
        html.body
            .contains(&format!("/cabinet/balance?from={f}&amp;to={t}\""))
    );

    let manager = app.session(MANAGER).await;
    let debtors: DebtorsPage = app
        .call("/api/staff/debtors", &[], Some(&manager))
        .await
        .json();
    let row = debtors
        .rows
        .iter()
        .find(|r| r.counterparty_id == a as i32)
        .expect("Ромашка is on the debtors list");
    assert_eq!((row.balance, row.overdue), (whole_balance, whole_overdue));
}
