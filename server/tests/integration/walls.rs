//! Row-level security, the second wall: on PostgreSQL a supplier's statements run as the role
//! `kabinet_supplier` with its counterparty set for the transaction, and the policies let them
//! see and change only that counterparty's rows, even in a query that forgot its scope. On
//! SQLite the data layer's scoping stands alone.

use crate::common::*;
use sea_orm::{ConnectionTrait, DatabaseBackend, Statement};

on_both_databases!(
    unscoped_queries_behind_a_suppliers_wall_see_only_its_rows,
    every_table_with_a_counterparty_is_walled,
);

async fn count_on(db: &impl ConnectionTrait, sql: &str) -> i64 {
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            sql.to_owned(),
        ))
        .await
        .unwrap_or_else(|err| panic!("{sql}: {err}"))
        .expect("a row");
    row.try_get::<i64>("", "n").expect("a count")
}

async fn unscoped_queries_behind_a_suppliers_wall_see_only_its_rows(app: TestApp) {
    let romashka = app
        .scalar("SELECT counterparty_id AS n FROM users WHERE email = 'supplier@romashka.demo'")
        .await as i32;
    // Sessions and messages of others exist.
    app.session(SUPPLIER_B).await;
    app.session(MANAGER).await;
    app.session(SUPPLIER_A).await;
    let walled = app.db.for_supplier(romashka);
    let others = |table: &str, column: &str| {
        format!("SELECT COUNT(*) AS n FROM {table} WHERE {column} IS DISTINCT FROM {romashka}")
    };
    let queries = [
        others("document_cards", "counterparty_id"),
        others("counterparties", "id"),
        others("contracts", "counterparty_id"),
        others("supplier_orders", "counterparty_id"),
        others("card_changes", "counterparty_id"),
        others("counterparty_contacts", "counterparty_id"),
        "SELECT COUNT(*) AS n FROM users WHERE counterparty_id IS NOT NULL \
         AND counterparty_id <> "
            .to_owned()
            + &romashka.to_string(),
        format!(
            "SELECT COUNT(*) AS n FROM document_files f JOIN document_cards c ON c.id = f.card_id \
             WHERE c.counterparty_id <> {romashka}"
        ),
        format!(
            "SELECT COUNT(*) AS n FROM sessions s JOIN users u ON u.id = s.user_id \
             WHERE u.counterparty_id IS DISTINCT FROM {romashka}"
        ),
        "SELECT COUNT(*) AS n FROM audit_log".to_owned(),
    ];
    let postgres = app.db.get_database_backend() == DatabaseBackend::Postgres;
    for sql in &queries {
        let everyone = count_on(&app.db, sql).await;
        let behind_the_wall = count_on(&walled, sql).await;
        if postgres {
            assert_eq!(
                behind_the_wall, 0,
                "{sql} showed others' rows behind the wall"
            );
        } else {
            assert_eq!(behind_the_wall, everyone, "{sql}: SQLite has no wall");
        }
    }
    // Its own rows it does see.
    let own =
        format!("SELECT COUNT(*) AS n FROM document_cards WHERE counterparty_id = {romashka}");
    assert!(count_on(&walled, &own).await > 0);
    assert_eq!(count_on(&walled, &own).await, count_on(&app.db, &own).await);
    if !postgres {
        return;
    }
    // Unscoped but nothing of another counterparty is visible to look at: the staff's view of
    // the same table is bigger.
    let all_cards = "SELECT COUNT(*) AS n FROM document_cards";
    assert!(count_on(&walled, all_cards).await < count_on(&app.db, all_cards).await);

    // Nor can it change or add another counterparty's rows, in a statement or a write
    // transaction.
    let touch = format!(
        "UPDATE document_cards SET version = version + 1 WHERE counterparty_id <> {romashka}"
    );
    let changed = walled
        .execute_unprepared(&touch)
        .await
        .expect("an update that finds nothing");
    assert_eq!(changed.rows_affected(), 0);
    let txn = app::server::repo::begin_write(&walled).await.expect("txn");
    let changed = txn.execute_unprepared(&touch).await.expect("update");
    assert_eq!(changed.rows_affected(), 0);
    let foreign = app
        .scalar(&format!(
            "SELECT MIN(id) AS n FROM counterparties WHERE id <> {romashka}"
        ))
        .await;
    let plant = format!(
        "INSERT INTO counterparty_contacts (counterparty_id, name, position, email, phone, created_at) \
         VALUES ({foreign}, 'Чужой', '', 'x@example.ru', '', now())"
    );
    let planted = txn.execute_unprepared(&plant).await;
    let refusal = planted.expect_err("a row for another counterparty was added");
    assert!(
        refusal.to_string().contains("row-level security"),
        "{refusal}"
    );
    drop(txn);
    // The same row is fine past the wall (staff), so the refusal was the wall's.
    app.db
        .execute_unprepared(&plant)
        .await
        .expect("staff add it");
}

async fn every_table_with_a_counterparty_is_walled(app: TestApp) {
    let Some((_, schema)) = app.postgres_url_and_schema() else {
        return;
    };
    let walled = migrations::m20261202_000009_row_level_security::walled_tables();
    // Every table with a counterparty column is on the list: a new one cannot be forgotten.
    let with_counterparty = app
        .scalar(&format!(
            "SELECT COUNT(DISTINCT table_name) AS n FROM information_schema.columns \
             WHERE table_schema = '{schema}' \
             AND column_name IN ('counterparty_id', 'assignee_counterparty_id')"
        ))
        .await as usize;
    let listed = app
        .scalar(&format!(
            "SELECT COUNT(DISTINCT table_name) AS n FROM information_schema.columns \
             WHERE table_schema = '{schema}' \
             AND column_name IN ('counterparty_id', 'assignee_counterparty_id') \
             AND table_name IN ({})",
            walled
                .iter()
                .map(|t| format!("'{t}'"))
                .collect::<Vec<_>>()
                .join(", ")
        ))
        .await;
    assert_eq!(
        listed as usize, with_counterparty,
        "a table with a counterparty has no wall"
    );
    for table in walled {
        let secured = app
            .scalar(&format!(
                "SELECT COUNT(*) AS n FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace \
                 WHERE s.nspname = '{schema}' AND c.relname = '{table}' AND c.relrowsecurity"
            ))
            .await;
        let policies = app
            .scalar(&format!(
                "SELECT COUNT(*) AS n FROM pg_policies WHERE schemaname = '{schema}' \
                 AND tablename = '{table}' AND 'kabinet_supplier' = ANY(roles)"
            ))
            .await;
        assert_eq!(secured, 1, "{table} has row-level security off");
        assert!(
            policies >= 1,
            "{table} has no policy for the supplier's role"
        );
    }
}
