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
///
/// `for_supplier` gives the same pool behind the wall: on PostgreSQL each statement (and each
/// write transaction) runs as the role `kabinet_supplier` with the supplier's counterparty set
/// for the transaction, so row-level security returns only that counterparty's rows even to a
/// query that forgot its scope.
#[derive(Clone, Debug)]
pub struct Db {
    conn: DatabaseConnection,
    writers: std::sync::Arc<tokio::sync::Mutex<()>>,
    /// The counterparty whose rows alone this handle sees (PostgreSQL only).
    wall: Option<i32>,
}

/// The role a supplier's statements run as (made by migration 9).
pub const SUPPLIER_ROLE: &str = migrations::m20261202_000009_row_level_security::SUPPLIER_ROLE;

impl Db {
    pub fn new(conn: DatabaseConnection) -> Db {
        Db {
            conn,
            writers: Default::default(),
            wall: None,
        }
    }

    /// This handle behind the row-level wall of `counterparty_id`.
    pub fn for_supplier(&self, counterparty_id: i32) -> Db {
        Db {
            wall: Some(counterparty_id),
            ..self.clone()
        }
    }

    /// The whole database, past the wall: only for what must see every counterparty's rows
    /// whoever asks (whether any row still points at a stored object).
    pub fn unwalled(&self) -> Db {
        Db {
            wall: None,
            ..self.clone()
        }
    }

    fn wall(&self) -> Option<i32> {
        self.wall
            .filter(|_| self.conn.get_database_backend() == sea_orm::DatabaseBackend::Postgres)
    }

    /// Inside `txn`: the rest of it runs behind this handle's wall, if it has one.
    pub(crate) async fn enter_wall(&self, txn: &sea_orm::DatabaseTransaction) -> Result<(), DbErr> {
        if let Some(counterparty) = self.wall() {
            txn.execute_raw(sea_orm::Statement::from_sql_and_values(
                sea_orm::DatabaseBackend::Postgres,
                "SELECT set_config('role', $1, true), set_config('kabinet.counterparty', $2, true)",
                [SUPPLIER_ROLE.into(), counterparty.to_string().into()],
            ))
            .await?;
        }
        Ok(())
    }

    /// One statement behind the wall: in a transaction of its own that enters it first.
    async fn walled<T>(
        &self,
        run: impl AsyncFnOnce(&sea_orm::DatabaseTransaction) -> Result<T, DbErr>,
    ) -> Result<T, DbErr> {
        use sea_orm::TransactionTrait as _;
        let txn = self.conn.begin().await?;
        self.enter_wall(&txn).await?;
        let result = run(&txn).await;
        match result {
            Ok(value) => {
                txn.commit().await?;
                Ok(value)
            }
            Err(err) => {
                txn.rollback().await.ok();
                Err(err)
            }
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
        if self.wall().is_none() {
            return self.conn.execute_raw(stmt).await;
        }
        self.walled(async |txn| txn.execute_raw(stmt).await).await
    }

    async fn execute_unprepared(&self, sql: &str) -> Result<sea_orm::ExecResult, DbErr> {
        if self.wall().is_none() {
            return self.conn.execute_unprepared(sql).await;
        }
        self.walled(async |txn| txn.execute_unprepared(sql).await)
            .await
    }

    async fn query_one_raw(
        &self,
        stmt: sea_orm::Statement,
    ) -> Result<Option<sea_orm::QueryResult>, DbErr> {
        if self.wall().is_none() {
            return self.conn.query_one_raw(stmt).await;
        }
        self.walled(async |txn| txn.query_one_raw(stmt).await).await
    }

    async fn query_all_raw(
        &self,
        stmt: sea_orm::Statement,
    ) -> Result<Vec<sea_orm::QueryResult>, DbErr> {
        if self.wall().is_none() {
            return self.conn.query_all_raw(stmt).await;
        }
        self.walled(async |txn| txn.query_all_raw(stmt).await).await
    }

    fn support_returning(&self) -> bool {
        self.conn.support_returning()
    }
}
