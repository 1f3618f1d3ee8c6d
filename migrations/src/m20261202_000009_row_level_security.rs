//! Row-level security on PostgreSQL: a second wall behind the data layer's scoping. A
//! supplier's requests run their statements as the role `kabinet_supplier` with the setting
//! `kabinet.counterparty` set for the transaction (`app::server::db::Db::for_supplier`); the
//! policies below let that role see and change only its counterparty's rows. The app's own
//! role (staff requests, the scheduler, the mailer, migrations) owns the tables and sees all.
//! SQLite keeps the data layer's scoping alone.
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

pub const SUPPLIER_ROLE: &str = "kabinet_supplier";

/// `(table, rows the supplier's role may see and write)`, `kabinet_counterparty()` being its counterparty.
const WALLED: &[(&str, &str)] = &[
    ("counterparties", "id = kabinet_counterparty()"),
    (
        "counterparty_contacts",
        "counterparty_id = kabinet_counterparty()",
    ),
    // Staff (no counterparty) stay visible: their names on cards, messages and tasks.
    (
        "users",
        "counterparty_id IS NULL OR counterparty_id = kabinet_counterparty()",
    ),
    (
        "sessions",
        "user_id IN (SELECT id FROM users WHERE counterparty_id = kabinet_counterparty())",
    ),
    (
        "user_tokens",
        "user_id IN (SELECT id FROM users WHERE counterparty_id = kabinet_counterparty())",
    ),
    ("document_cards", "counterparty_id = kabinet_counterparty()"),
    (
        "document_files",
        "card_id IN (SELECT id FROM document_cards)",
    ),
    (
        "card_messages",
        "card_id IN (SELECT id FROM document_cards)",
    ),
    ("stage_events", "card_id IN (SELECT id FROM document_cards)"),
    (
        "pipeline_events",
        "(pipeline = 'supplier_documents' AND card_id IN (SELECT id FROM document_cards)) \
         OR (pipeline = 'supplier_orders' AND card_id IN (SELECT id FROM supplier_orders))",
    ),
    ("card_changes", "counterparty_id = kabinet_counterparty()"),
    ("contracts", "counterparty_id = kabinet_counterparty()"),
    ("specifications", "counterparty_id = kabinet_counterparty()"),
    (
        "specification_lines",
        "specification_id IN (SELECT id FROM specifications)",
    ),
    (
        "supplier_orders",
        "counterparty_id = kabinet_counterparty()",
    ),
    // The deals its contracts belong to: their numbers show on its papers.
    ("deals", "id IN (SELECT deal_id FROM contracts)"),
    ("item_files", "counterparty_id = kabinet_counterparty()"),
    ("tasks", "assignee_counterparty_id = kabinet_counterparty()"),
    ("task_comments", "task_id IN (SELECT id FROM tasks)"),
];

/// Tables a supplier's action writes to for others (staff are notified, letters queued, the
/// action audited): it may add rows, and reads back only its own users' (or none).
const WRITE_ONLY: &[(&str, &str)] = &[
    (
        "notifications",
        "user_id IN (SELECT id FROM users WHERE counterparty_id = kabinet_counterparty())",
    ),
    ("email_outbox", "false"),
    ("audit_log", "false"),
];

fn counterparty_function() -> String {
    // STABLE and plain SQL: inlined into each policy, read once per statement.
    "CREATE OR REPLACE FUNCTION kabinet_counterparty() RETURNS integer LANGUAGE sql STABLE AS \
     $$ SELECT NULLIF(current_setting('kabinet.counterparty', true), '')::integer $$"
        .to_owned()
}

fn role_and_grants() -> String {
    format!(
        "DO $$
        DECLARE s text := current_schema();
        BEGIN
          IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{SUPPLIER_ROLE}') THEN
            BEGIN
              CREATE ROLE {SUPPLIER_ROLE} NOLOGIN;
            EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
            END;
          END IF;
          -- The app's role switches to it inside a supplier's transactions.
          IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)
             AND NOT pg_has_role(current_user, '{SUPPLIER_ROLE}', 'MEMBER') THEN
            EXECUTE format('GRANT {SUPPLIER_ROLE} TO %I', current_user);
          END IF;
          EXECUTE format('GRANT USAGE ON SCHEMA %I TO {SUPPLIER_ROLE}', s);
          EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %I TO {SUPPLIER_ROLE}', s);
          EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA %I TO {SUPPLIER_ROLE}', s);
          EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {SUPPLIER_ROLE}', s);
          EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT USAGE, SELECT ON SEQUENCES TO {SUPPLIER_ROLE}', s);
        END $$"
    )
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != sea_orm::DatabaseBackend::Postgres {
            return Ok(());
        }
        let db = manager.get_connection();
        db.execute_unprepared(&counterparty_function()).await?;
        db.execute_unprepared(&role_and_grants()).await?;
        for (table, rows) in WALLED {
            db.execute_unprepared(&format!(
                "ALTER TABLE {table} ENABLE ROW LEVEL SECURITY; \
                 CREATE POLICY supplier_rows ON {table} TO {SUPPLIER_ROLE} \
                 USING ({rows}) WITH CHECK ({rows})"
            ))
            .await?;
        }
        for (table, rows) in WRITE_ONLY {
            db.execute_unprepared(&format!(
                "ALTER TABLE {table} ENABLE ROW LEVEL SECURITY; \
                 CREATE POLICY supplier_adds ON {table} FOR INSERT TO {SUPPLIER_ROLE} \
                 WITH CHECK (true); \
                 CREATE POLICY supplier_reads ON {table} FOR SELECT TO {SUPPLIER_ROLE} \
                 USING ({rows}); \
                 CREATE POLICY supplier_updates ON {table} FOR UPDATE TO {SUPPLIER_ROLE} \
                 USING ({rows}) WITH CHECK ({rows})"
            ))
            .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != sea_orm::DatabaseBackend::Postgres {
            return Ok(());
        }
        let db = manager.get_connection();
        for (table, _) in WALLED {
            db.execute_unprepared(&format!(
                "DROP POLICY IF EXISTS supplier_rows ON {table}; \
                 ALTER TABLE {table} DISABLE ROW LEVEL SECURITY"
            ))
            .await?;
        }
        for (table, _) in WRITE_ONLY {
            db.execute_unprepared(&format!(
                "DROP POLICY IF EXISTS supplier_adds ON {table}; \
                 DROP POLICY IF EXISTS supplier_reads ON {table}; \
                 DROP POLICY IF EXISTS supplier_updates ON {table}; \
                 ALTER TABLE {table} DISABLE ROW LEVEL SECURITY"
            ))
            .await?;
        }
        db.execute_unprepared("DROP FUNCTION IF EXISTS kabinet_counterparty()")
            .await?;
        Ok(())
    }
}

/// The walled tables, for the test that every one has its policy.
pub fn walled_tables() -> Vec<&'static str> {
    WALLED
        .iter()
        .chain(WRITE_ONLY)
        .map(|(table, _)| *table)
        // Walled by the migrations that made them.
        .chain(crate::m20261202_000011_payment_requests::WALLED)
        .chain(crate::m20261207_000014_settlements::WALLED)
        .chain(crate::m20261207_000015_statement_replies::WALLED)
        .collect()
}
