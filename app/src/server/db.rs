//! Connecting to SQLite or PostgreSQL and bringing the schema up to date.
use std::time::Duration;

use migrations::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbErr};

/// Opens the database named by `url` (`sqlite://…` or `postgres://…`) and applies pending
/// migrations; an error here must stop start-up.
pub async fn connect_and_migrate(
    url: &str,
    postgres_schema: Option<&str>,
) -> Result<DatabaseConnection, DbErr> {
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .sqlx_logging(false)
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(10))
        // With sqlx's default of ten, a busy board's requests (32 staff moving cards at once)
        // queued for a connection more than they waited for the database itself; on SQLite the
        // one writer waited in that queue too.
        .max_connections(24)
        // A ping on every checkout is a round trip before each query; only a connection idle
        // long enough to have been dropped (a PostgreSQL restart, a proxy) is tested first.
        .test_before_acquire_if_idle_for(Duration::from_secs(30))
        // Concurrent writers wait for the lock instead of failing at once.
        .map_sqlx_sqlite_opts(|opts| {
            opts.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(10))
                .foreign_keys(true)
                .create_if_missing(true)
        });
    if let Some(schema) = postgres_schema {
        options.set_schema_search_path(schema.to_owned());
    }
    if url.starts_with("sqlite:") {
        // SQLite migrations run statement by statement, outside a transaction, on whichever
        // pooled connection is free; a connection still reading an earlier snapshot then saw
        // an index or table a statement before had dropped. On one connection each statement
        // sees what the one before it left.
        let mut one = options.clone();
        one.max_connections(1).min_connections(1);
        let migrating = Database::connect(one).await?;
        Migrator::up(&migrating, None).await?;
        migrating.close().await?;
        return Database::connect(options).await;
    }
    let db = Database::connect(options).await?;
    Migrator::up(&db, None).await?;
    Ok(db)
}
