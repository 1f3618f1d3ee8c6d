//! Database access. Functions that read or change a counterparty's data take the `Ctx` first and
//! apply its scope here, in the data layer.
pub mod accounts;
pub mod audit;
pub mod changes;
pub mod counterparties;
pub mod deals;
pub mod documents;
pub mod files;
pub mod item_files;
pub mod ledger;
pub mod ledger_import;
pub mod messages;
pub mod notifications;
pub mod numbering;
pub mod org;
pub mod papers;
pub mod payments;
pub mod pipeline;
pub mod scheduler;
pub mod search;
pub mod sessions;
pub mod settings;
pub mod settlements;
pub mod staff_documents;
pub mod stage_rules;
pub mod stages;
pub mod tasks;
pub mod throttle;
pub mod users;

use sea_orm::sea_query::{Expr, LikeExpr};
use sea_orm::{ColumnTrait, Condition, SqliteTransactionMode, TransactionOptions};

use crate::domain::access::Ctx;

/// A `LIKE` pattern matching rows whose search text contains `text`: lower-cased like the
/// stored search texts, with the user's `%`, `_` and `\\` taken literally.
pub fn contains_text(text: &str) -> LikeExpr {
    let escaped = crate::domain::documents::search_needle(text)
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    LikeExpr::new(format!("%{escaped}%")).escape('\\')
}

/// The document card `card_id` if `ctx` may see it; another counterparty's card is "not
/// found", exactly like a missing one.
pub async fn card_in_scope(
    ctx: &Ctx,
    db: &impl sea_orm::ConnectionTrait,
    card_id: i32,
) -> crate::error::AppResult<crate::server::entities::document_cards::Model> {
    find_card_in_scope(ctx, card_id)
        .one(db)
        .await?
        .ok_or(crate::error::AppError::NotFound)
}

/// The query for card `card_id` limited to what `ctx` may see.
pub fn find_card_in_scope(
    ctx: &Ctx,
    card_id: i32,
) -> sea_orm::Select<crate::server::entities::document_cards::Entity> {
    use crate::server::entities::document_cards as cards;
    use sea_orm::{EntityTrait, QueryFilter};
    cards::Entity::find_by_id(card_id)
        .filter(counterparty_scope(ctx, cards::Column::CounterpartyId))
}

/// What `ctx` may see of rows that belong to a counterparty: a supplier its own counterparty's,
/// staff everything.
pub fn counterparty_scope(ctx: &Ctx, column: impl ColumnTrait) -> Condition {
    match (ctx.role.is_staff(), ctx.counterparty_id) {
        (true, _) => Condition::all(),
        (false, Some(counterparty_id)) => Condition::all().add(column.eq(counterparty_id)),
        // A supplier with no counterparty sees nothing.
        (false, None) => Condition::all().add(Expr::cust("1 = 0")),
    }
}

/// Writers wait for each other from the start on SQLite, so a read-then-write cannot interleave.
fn write_transaction() -> TransactionOptions {
    TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..Default::default()
    }
}

/// This process's writing turn on SQLite (none elsewhere), from `Db`'s queue of writers:
/// writers queue there, in turn, rather than in SQLite's busy handler, which sleeps in steps of
/// up to 100 ms and so makes the slowest writes slow.
type WriteTurn = Option<tokio::sync::OwnedMutexGuard<()>>;

/// A read-then-write transaction: `BEGIN IMMEDIATE` on SQLite, holding this process's writing
/// turn until it commits, rolls back or is dropped. The turn and the transaction are one value,
/// so neither can be let go of without the other. Every transaction of the app is one.
pub struct WriteTxn {
    // Field order matters: the transaction ends (rolls back if not committed) before the turn
    // is given back.
    txn: sea_orm::DatabaseTransaction,
    _turn: WriteTurn,
}

impl WriteTxn {
    pub async fn commit(self) -> Result<(), sea_orm::DbErr> {
        self.txn.commit().await
    }

    pub async fn rollback(self) -> Result<(), sea_orm::DbErr> {
        self.txn.rollback().await
    }
}

#[async_trait::async_trait]
impl sea_orm::ConnectionTrait for WriteTxn {
    fn get_database_backend(&self) -> sea_orm::DbBackend {
        self.txn.get_database_backend()
    }

    async fn execute_raw(
        &self,
        stmt: sea_orm::Statement,
    ) -> Result<sea_orm::ExecResult, sea_orm::DbErr> {
        self.txn.execute_raw(stmt).await
    }

    async fn execute_unprepared(&self, sql: &str) -> Result<sea_orm::ExecResult, sea_orm::DbErr> {
        self.txn.execute_unprepared(sql).await
    }

    async fn query_one_raw(
        &self,
        stmt: sea_orm::Statement,
    ) -> Result<Option<sea_orm::QueryResult>, sea_orm::DbErr> {
        self.txn.query_one_raw(stmt).await
    }

    async fn query_all_raw(
        &self,
        stmt: sea_orm::Statement,
    ) -> Result<Vec<sea_orm::QueryResult>, sea_orm::DbErr> {
        self.txn.query_all_raw(stmt).await
    }

    fn support_returning(&self) -> bool {
        self.txn.support_returning()
    }
}

/// Begins a write transaction, after this process's earlier writers on SQLite.
pub async fn begin_write(db: &crate::server::db::Db) -> Result<WriteTxn, sea_orm::DbErr> {
    use sea_orm::TransactionTrait;
    let turn = db.writer_turn().await;
    let txn = db
        .connection()
        .begin_with_options(write_transaction())
        .await?;
    // A supplier's write runs behind its row-level wall too.
    db.enter_wall(&txn).await?;
    Ok(WriteTxn { txn, _turn: turn })
}

/// Rows a write adds, sent together: on SQLite in one call (it runs a list of statements with
/// their values in one go), on PostgreSQL as one statement (the inserts as data-modifying
/// `WITH` parts). Every round trip inside a write transaction holds it open (on SQLite, the
/// single writer), so the busiest writes (moves) add their rows so.
pub struct WriteBatch {
    backend: sea_orm::DatabaseBackend,
    statements: Vec<sea_orm::Statement>,
}

impl WriteBatch {
    pub fn new(db: &impl sea_orm::ConnectionTrait) -> WriteBatch {
        WriteBatch {
            backend: db.get_database_backend(),
            statements: Vec::new(),
        }
    }

    /// Adds the insert of `row`.
    pub fn insert<A>(&mut self, row: A)
    where
        A: sea_orm::ActiveModelTrait,
    {
        use sea_orm::{EntityTrait, QueryTrait};
        self.statements
            .push(<A::Entity as EntityTrait>::insert(row).build(self.backend));
    }

    pub async fn run(self, db: &impl sea_orm::ConnectionTrait) -> Result<(), sea_orm::DbErr> {
        match self.backend {
            sea_orm::DatabaseBackend::Postgres if self.statements.len() > 1 => {
                db.execute_raw(postgres_as_one(self.statements)).await?;
            }
            sea_orm::DatabaseBackend::Sqlite if self.statements.len() > 1 => {
                db.execute_raw(sqlite_as_one(self.statements)).await?;
            }
            _ => {
                for statement in self.statements {
                    db.execute_raw(statement).await?;
                }
            }
        }
        Ok(())
    }
}

/// SQLite runs a list of statements in one call; its `?` placeholders take the values in order.
fn sqlite_as_one(statements: Vec<sea_orm::Statement>) -> sea_orm::Statement {
    let mut sql = String::new();
    let mut values = Vec::new();
    for statement in statements {
        sql.push_str(&statement.sql);
        sql.push_str(";\n");
        if let Some(those) = statement.values {
            values.extend(those.0);
        }
    }
    sea_orm::Statement::from_sql_and_values(sea_orm::DatabaseBackend::Sqlite, sql, values)
}

/// PostgreSQL runs every data-modifying part of a `WITH` once, whether or not the main
/// statement reads it, so inserts join as `WITH w0 AS (insert), w1 AS (insert) insert`. Each
/// part's placeholders (`$1`…) move past the values of the parts before it.
fn postgres_as_one(statements: Vec<sea_orm::Statement>) -> sea_orm::Statement {
    let count = statements.len();
    let mut sql = String::from("WITH ");
    let mut values = Vec::new();
    for (index, statement) in statements.into_iter().enumerate() {
        let part = renumber_placeholders(&statement.sql, values.len());
        if index + 1 < count {
            if index > 0 {
                sql.push_str(", ");
            }
            sql.push_str(&format!("w{index} AS ({part})"));
        } else {
            sql.push(' ');
            sql.push_str(&part);
        }
        if let Some(those) = statement.values {
            values.extend(those.0);
        }
    }
    sea_orm::Statement::from_sql_and_values(sea_orm::DatabaseBackend::Postgres, sql, values)
}

/// `$n` becomes `$(n + offset)`, except inside quoted names and string literals.
fn renumber_placeholders(sql: &str, offset: usize) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    let mut quote: Option<char> = None;
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        out.push(c);
        match (quote, c) {
            (None, '\'' | '"') => quote = Some(c),
            (Some(open), _) if c == open => quote = None,
            (None, '$') => {
                let mut digits = String::new();
                while let Some(d) = chars.next_if(char::is_ascii_digit) {
                    digits.push(d);
                }
                match digits.parse::<usize>() {
                    Ok(n) => out.push_str(&(n + offset).to_string()),
                    Err(_) => out.push_str(&digits),
                }
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_move_past_the_earlier_parts_values() {
        let cases = [
            (
                "INSERT INTO t (a, b) VALUES ($1, $2)",
                0,
                "INSERT INTO t (a, b) VALUES ($1, $2)",
            ),
            (
                "INSERT INTO t (a, b) VALUES ($1, $2)",
                3,
                "INSERT INTO t (a, b) VALUES ($4, $5)",
            ),
            ("VALUES ($9, $10)", 1, "VALUES ($10, $11)"),
            ("SELECT '$1', \"$2\", $3", 5, "SELECT '$1', \"$2\", $8"),
            ("SELECT 'it''s $1', $1", 2, "SELECT 'it''s $1', $3"),
            ("SELECT $ , $x", 4, "SELECT $ , $x"),
        ];
        for (sql, offset, expected) in cases {
            assert_eq!(
                renumber_placeholders(sql, offset),
                expected,
                "{sql} + {offset}"
            );
        }
    }

    #[test]
    fn postgres_batch_is_one_statement_with_its_values_in_order() {
        let part = |sql: &str, values: Vec<sea_orm::Value>| {
            sea_orm::Statement::from_sql_and_values(sea_orm::DatabaseBackend::Postgres, sql, values)
        };
        let one = postgres_as_one(vec![
            part("INSERT INTO a (x) VALUES ($1)", vec![1.into()]),
            part(
                "INSERT INTO b (x, y) VALUES ($1, $2)",
                vec![2.into(), 3.into()],
            ),
            part("INSERT INTO c (x) VALUES ($1)", vec![4.into()]),
        ]);
        assert_eq!(
            one.sql,
            "WITH w0 AS (INSERT INTO a (x) VALUES ($1)), \
             w1 AS (INSERT INTO b (x, y) VALUES ($2, $3)) \
             INSERT INTO c (x) VALUES ($4)"
        );
        let values: Vec<sea_orm::Value> = one.values.map(|v| v.0).unwrap_or_default();
        assert_eq!(values, vec![1.into(), 2.into(), 3.into(), 4.into()]);
    }
}
