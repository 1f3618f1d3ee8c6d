//! The staff board on SQLite and PostgreSQL: columns with counts and sums, the filter, paging
//! of a column, and who may see it.

use crate::common::*;
use app::api::board::{Board, BoardCard};
use app::domain::board::COLUMN_PAGE;
use http::StatusCode;

on_both_databases!(
    the_board_has_a_column_per_stage_with_counts_and_sums,
    the_filter_narrows_every_column,
    a_long_column_comes_in_pages,
    the_board_is_for_staff_only,
);

async fn board(app: &TestApp, cookie: &str, filter: &[(&str, &str)]) -> TestResponse {
    let form: Vec<(String, &str)> = filter
        .iter()
        .map(|(k, v)| (format!("filter[{k}]"), *v))
        .collect();
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    app.call("/api/staff/board", &form, Some(cookie)).await
}

fn column<'a>(board: &'a Board, code: &str) -> &'a app::api::board::BoardColumn {
    board
        .columns
        .iter()
        .find(|c| c.stage.code == code)
        .unwrap_or_else(|| panic!("no column {code}"))
}

async fn the_board_has_a_column_per_stage_with_counts_and_sums(app: TestApp) {
    let manager = app.session(MANAGER).await;
    let response = board(&app, &manager, &[]).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    let board: Board = response.json();
    let codes: Vec<&str> = board
        .columns
        .iter()
        .map(|c| c.stage.code.as_str())
        .collect();
    assert_eq!(
        codes,
        [
            "uploaded",
            "review",
            "accounting",
            "payment_plan",
            "paid",
            "returned"
        ]
    );
    let total_cards: u64 = board.columns.iter().map(|c| c.count).sum();
    assert_eq!(total_cards as i64, app.count("document_cards").await);
    for column in &board.columns {
        assert_eq!(
            column.cards.len() as u64,
            column.count,
            "{}",
            column.stage.code
        );
        let sum: i64 = column.cards.iter().map(|c| c.amount.kopecks()).sum();
        assert_eq!(sum, column.total.kopecks(), "{}", column.stage.code);
    }
    let review = column(&board, "review");
    let card: &BoardCard = review
        .cards
        .iter()
        .find(|c| c.number == "СЧ-98")
        .expect("СЧ-98 under review");
    assert_eq!(card.counterparty_name, "ООО «Ромашка»");
    assert_eq!(card.stage, "review");
    assert!(!board.counterparties.is_empty() && !board.staff.is_empty());
}

async fn the_filter_narrows_every_column(app: TestApp) {
    let manager = app.session(MANAGER).await;
    let vektor = app
        .scalar("SELECT counterparty_id AS n FROM users WHERE email = 'supplier@vektor.demo'")
        .await
        .to_string();
    let by_counterparty: Board = board(&app, &manager, &[("counterparty", &vektor)])
        .await
        .json();
    for column in &by_counterparty.columns {
        assert!(
            column
                .cards
                .iter()
                .all(|c| c.counterparty_name == "АО «Вектор»"),
            "{}",
            column.stage.code
        );
    }
    let expected = app
        .scalar(&format!(
            "SELECT COUNT(*) AS n FROM document_cards WHERE counterparty_id = {vektor}"
        ))
        .await;
    let shown: u64 = by_counterparty.columns.iter().map(|c| c.count).sum();
    assert_eq!(shown as i64, expected);

    // Text over the number and the counterparty's name, any case.
    let by_number: Board = board(&app, &manager, &[("text", "сч-98")]).await.json();
    let numbers: Vec<&str> = by_number
        .columns
        .iter()
        .flat_map(|c| c.cards.iter().map(|card| card.number.as_str()))
        .collect();
    assert_eq!(numbers, ["СЧ-98"]);
    let by_name: Board = board(&app, &manager, &[("text", "ВЕКТОР")]).await.json();
    let shown: u64 = by_name.columns.iter().map(|c| c.count).sum();
    assert_eq!(shown as i64, expected);

    // Amount range: 48 300,50 ₽ is СЧ-98 alone.
    let by_amount: Board = board(&app, &manager, &[("min", "48 300,50"), ("max", "48300.50")])
        .await
        .json();
    let shown: u64 = by_amount.columns.iter().map(|c| c.count).sum();
    assert_eq!(shown, 1);

    // "Mine": nothing until a card is the manager's.
    let mine: Board = board(&app, &manager, &[("mine", "1")]).await.json();
    let before: u64 = mine.columns.iter().map(|c| c.count).sum();
    let id = app
        .scalar("SELECT id AS n FROM document_cards WHERE invoice_number = 'СЧ-101'")
        .await;
    let manager_id = app
        .scalar("SELECT id AS n FROM users WHERE email = 'manager@demo.local'")
        .await;
    app.exec(&format!(
        "UPDATE document_cards SET responsible_user_id = {manager_id} WHERE id = {id}"
    ))
    .await;
    let mine: Board = board(&app, &manager, &[("mine", "1")]).await.json();
    let after: u64 = mine.columns.iter().map(|c| c.count).sum();
    assert_eq!(after, before + 1);

    // A bad part of the filter is named and nothing else happens.
    let bad = board(&app, &manager, &[("min", "500"), ("max", "100")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(matches!(
        bad.app_error(),
        app::error::AppError::Invalid { field, .. } if field == "max"
    ));
}

async fn a_long_column_comes_in_pages(app: TestApp) {
    let manager = app.session(MANAGER).await;
    let counterparty = app
        .scalar("SELECT counterparty_id AS n FROM users WHERE email = 'supplier@romashka.demo'")
        .await;
    let stage = app
        .scalar(
            "SELECT id AS n FROM stages WHERE code = 'paid' AND pipeline = 'supplier_documents'",
        )
        .await;
    let extra = COLUMN_PAGE as i64 + 7;
    for i in 0..extra {
        app.exec(&format!(
            "INSERT INTO document_cards (counterparty_id, stage_id, kind, invoice_number, \
             invoice_date, amount_kopecks, comment, version, created_at, stage_entered_at, \
             search_text, vat, possible_duplicate) VALUES ({counterparty}, {stage}, 'invoice', \
             'PAGE-{i}', '2026-10-01', 100, '', 1, '2026-10-01T00:00:00Z', \
             '2026-10-{:02}T00:00:00Z', 'page-{i}', 'none', false)",
            1 + i % 28
        ))
        .await;
    }
    let first: Board = board(&app, &manager, &[]).await.json();
    let paid = column(&first, "paid");
    assert_eq!(paid.cards.len() as u64, COLUMN_PAGE);
    assert!(paid.count > COLUMN_PAGE);
    let rest: Vec<BoardCard> = app
        .call(
            "/api/staff/more_board_cards",
            &[("stage", "paid"), ("offset", &COLUMN_PAGE.to_string())],
            Some(&manager),
        )
        .await
        .json();
    assert_eq!(rest.len() as u64, paid.count - COLUMN_PAGE);
    let mut ids: Vec<i32> = paid.cards.iter().chain(rest.iter()).map(|c| c.id).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len() as u64, paid.count, "pages overlap or miss cards");
}

async fn the_board_is_for_staff_only(app: TestApp) {
    let supplier = app.session(SUPPLIER_A).await;
    let response = board(&app, &supplier, &[]).await;
    assert_eq!(response.status, StatusCode::FORBIDDEN);
    let page = app.get("/staff/board", Some(&supplier), "ru").await;
    page.assert_redirect_to("/cabinet");
    let manager = app.session(MANAGER).await;
    let page = app.get("/staff/board", Some(&manager), "ru").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("Доска документов"),
        "the board renders on the server"
    );
    assert!(page.body.contains("СЧ-98"));
    // Every card carries its "Move to…" form, which works without JavaScript.
    assert!(page.body.contains("action=\"/api/staff/move_document\""));
}

on_both_databases!(the_seeded_stage_rules_are_the_domain_defaults);

/// The migration seeds the rules as rows; they must say what `default_rule` says.
async fn the_seeded_stage_rules_are_the_domain_defaults(app: TestApp) {
    let admin = app.session("admin@demo.local").await;
    let rows = app
        .call("/api/admin/stage_rules", &[], Some(&admin))
        .await
        .json::<app::api::stage_rules::StageRuleSettings>()
        .rows;
    assert_eq!(rows.len(), 6);
    for row in rows {
        let stage = app::domain::stage::DocumentStage::from_code(&row.stage.code).expect("stage");
        assert_eq!(
            row.rule,
            app::domain::stage_rules::default_rule(stage),
            "{}",
            row.stage.code
        );
    }
}
