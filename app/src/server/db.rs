//! Connecting to SQLite or PostgreSQL and bringing the schema up to date.
use std::time::Duration;

use migrations::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbErr};

/// Opens the database named by `url` (`sqlite://…` or `postgres://…`) and applies pending
/// migrations; an error here must stop start-up.
pub async fn connect_and_migrate(url: &str, postgres_schema: Option<&str>) -> Result<Db, DbErr> {
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
        return Ok(Db::new(Database::connect(options).await?));
    }
    let db = Database::connect(options).await?;
    Migrator::up(&db, None).await?;
    Ok(Db::new(db))
}

/// The app's database: the connection pool and this process's queue of SQLite writers
/// (SQLite has one writer at a time; `repo::begin_write` takes a turn here, on PostgreSQL it
/// takes none). Cloned, it is the same pool and the same queue: it lives in the app state.
#[derive(Clone, Debug)]
pub struct Db {
    conn: DatabaseConnection,
    writers: std::sync::Arc<tokio::sync::Mutex<()>>,
}

impl Db {
    pub fn new(conn: DatabaseConnection) -> Db {
        Db {
            conn,
            writers: Default::default(),
        }
    }

    pub fn connection(&self) -> &DatabaseConnection {
        &self.conn
    }

    /// This process's writing turn on SQLite; on other databases none is taken.
    pub(crate) async fn writer_turn(&self) -> Option<tokio::sync::OwnedMutexGuard<()>> {
        match self.conn.get_database_backend() {
            sea_orm::DatabaseBackend::Sqlite => Some(self.writers.clone().lock_owned().await),
            _ => None,
        }
    }

    pub async fn close(self) -> Result<(), DbErr> {
        self.conn.close().await
    }
}

impl std::ops::Deref for Db {
    type Target = DatabaseConnection;

    fn deref(&self) -> &DatabaseConnection {
        &self.conn
    }
}

#[async_trait::async_trait]
impl ConnectionTrait for Db {
    fn get_database_backend(&self) -> sea_orm::DbBackend {
        self.conn.get_database_backend()
    }

    async fn execute_raw(&self, stmt: sea_orm::Statement) -> Result<sea_orm::ExecResult, DbErr> {
        self.conn.execute_raw(stmt).await
    }

    async fn execute_unprepared(&self, sql: &str) -> Result<sea_orm::ExecResult, DbErr> {
        self.conn.execute_unprepared(sql).await
    }

    async fn query_one_raw(
        &self,
        stmt: sea_orm::Statement,
    ) -> Result<Option<sea_orm::QueryResult>, DbErr> {
        self.conn.query_one_raw(stmt).await
    }

    async fn query_all_raw(
        &self,
        stmt: sea_orm::Statement,
    ) -> Result<Vec<sea_orm::QueryResult>, DbErr> {
        self.conn.query_all_raw(stmt).await
    }

    fn support_returning(&self) -> bool {
        self.conn.support_returning()
    }
}
