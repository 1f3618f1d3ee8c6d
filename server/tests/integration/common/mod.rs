//! A fresh app on a fresh database per test, on SQLite and on PostgreSQL, driven through the
//! real router (middleware, server functions, pages) without opening a port.
#![allow(dead_code)]

pub mod s3;

use std::sync::Arc;

use app::error::AppError;
use app::server::storage::LocalStore;
use app::server::{AppState, Settings, db, demo};
use axum::Router;
use axum::body::Body;
use http::{Request, Response, StatusCode};
use sea_orm::{ConnectionTrait, Database};
use tower::ServiceExt as _;

pub const ORIGIN: &str = "http://localhost:3000";
pub const HOST: &str = "localhost:3000";

pub const MANAGER: &str = "manager@demo.local";
pub const ACCOUNTANT: &str = "accountant@demo.local";
pub const SUPPLIER_A: &str = "supplier@romashka.demo";
pub const SUPPLIER_B: &str = "supplier@vektor.demo";
pub const PASSWORD: &str = demo::DEMO_PASSWORD;

enum Cleanup {
    SqliteFile(std::path::PathBuf),
    PostgresSchema { url: String, schema: String },
}

pub struct TestApp {
    pub router: Router,
    pub db: app::server::db::Db,
    pub backend: &'static str,
    /// Where this app keeps uploaded files (removed with the app).
    pub files_dir: std::path::PathBuf,
    pub state: AppState,
    cleanup: Cleanup,
}

pub struct TestResponse {
    pub status: StatusCode,
    pub headers: http::HeaderMap,
    pub body: String,
    /// The body as sent (files, archives).
    pub bytes: Vec<u8>,
}

impl TestResponse {
    pub fn set_cookies(&self) -> Vec<String> {
        self.headers
            .get_all(http::header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok().map(str::to_owned))
            .collect()
    }

    /// `name=value` of a cookie this response sets.
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.set_cookies()
            .into_iter()
            .find(|c| c.starts_with(&format!("{name}=")))
            .and_then(|c| c.split(';').next().map(str::to_owned))
    }

    pub fn assert_redirect_to(&self, target: &str) {
        assert!(
            self.status.is_redirection(),
            "expected a redirect, got {}",
            self.status
        );
        let location = self.headers.get("location").and_then(|v| v.to_str().ok());
        assert_eq!(location, Some(target));
    }

    pub fn json<T: serde::de::DeserializeOwned>(&self) -> T {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|err| panic!("body {:?} is not the expected JSON: {err}", self.body))
    }

    pub fn app_error(&self) -> AppError {
        assert!(
            !self.status.is_success(),
            "expected an error, got {} {}",
            self.status,
            self.body
        );
        self.json()
    }
}

fn test_settings() -> Arc<Settings> {
    Arc::new(Settings {
        secure_cookies: false,
        trust_forwarded_for: true,
        ..Settings::default()
    })
}

impl TestApp {
    /// The PostgreSQL server and the schema this app works in (`None` on SQLite).
    pub fn postgres_url_and_schema(&self) -> Option<(&str, &str)> {
        match &self.cleanup {
            Cleanup::PostgresSchema { url, schema } => Some((url, schema)),
            Cleanup::SqliteFile(_) => None,
        }
    }

    pub async fn sqlite() -> TestApp {
        let path = std::env::temp_dir().join(format!("kabinet-test-{}.db", uuid::Uuid::new_v4()));
        let url = format!("sqlite://{}", path.display());
        let db = db::connect_and_migrate(&url, None)
            .await
            .expect("SQLite test database");
        Self::start(db, "sqlite", Cleanup::SqliteFile(path)).await
    }

    /// `None` when the PostgreSQL pass is skipped (`SKIP_POSTGRES=1`).
    pub async fn postgres() -> Option<TestApp> {
        if std::env::var("SKIP_POSTGRES").is_ok_and(|v| v == "1") {
            eprintln!("PostgreSQL pass skipped (SKIP_POSTGRES=1)");
            return None;
        }
        let url = std::env::var("TEST_DATABASE_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned());
        let schema = format!("t_{}", uuid::Uuid::new_v4().simple());
        let admin = Database::connect(&url)
            .await
            .unwrap_or_else(|err| panic!("PostgreSQL at {url} is required for this test: {err}"));
        admin
            .execute_unprepared(&format!("CREATE SCHEMA {schema}"))
            .await
            .expect("create test schema");
        admin.close().await.ok();
        let db = db::connect_and_migrate(&url, Some(&schema))
            .await
            .expect("PostgreSQL test database");
        Some(Self::start(db, "postgres", Cleanup::PostgresSchema { url, schema }).await)
    }

    async fn start(db: app::server::db::Db, backend: &'static str, cleanup: Cleanup) -> TestApp {
        // `TEST_LOG=warn` (or any filter) shows the app's log, e.g. the cause of an Internal.
        if let Ok(filter) = std::env::var("TEST_LOG") {
            let _ = tracing_subscriber::fmt()
                .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
                .with_test_writer()
                .try_init();
        }
        demo::seed_if_empty(&db).await.expect("demo data");
        let files_dir =
            std::env::temp_dir().join(format!("kabinet-files-{}", uuid::Uuid::new_v4().simple()));
        let state = AppState {
            db: db.clone(),
            settings: test_settings(),
            files: Arc::new(LocalStore::new(&files_dir).expect("file storage")),
            live: Default::default(),
            clock: Default::default(),
        };
        if let Cleanup::PostgresSchema { schema, .. } = &cleanup {
            app::server::live::spawn_postgres_notifier(
                db.clone(),
                schema.clone(),
                state.live.clone(),
            );
        }
        let site_root = std::env::temp_dir().join("kabinet-test-site");
        let options = server::leptos_options(
            site_root.to_str().unwrap_or("target/site"),
            "127.0.0.1:3000".parse().expect("address"),
        );
        let router = server::build_router(state.clone(), options, server::HttpLimits::default());
        TestApp {
            router,
            db,
            backend,
            files_dir,
            state,
            cleanup,
        }
    }

    /// The same app and database with files in `store` (a fresh router over it).
    pub fn with_store(self, store: Arc<dyn app::server::storage::FileStore>) -> TestApp {
        let mut app = self;
        app.state.files = store;
        app.with_settings(|_| {})
    }

    /// The same app and database with other settings (a fresh router over them).
    pub fn with_settings(mut self, change: impl FnOnce(&mut Settings)) -> TestApp {
        let mut settings = (*self.state.settings).clone();
        change(&mut settings);
        self.state.settings = Arc::new(settings);
        let options = server::leptos_options(
            std::env::temp_dir()
                .join("kabinet-test-site")
                .to_str()
                .unwrap_or("target/site"),
            "127.0.0.1:3000".parse().expect("address"),
        );
        self.router =
            server::build_router(self.state.clone(), options, server::HttpLimits::default());
        self
    }

    pub async fn send(&self, request: Request<Body>) -> TestResponse {
        let response: Response<axum::body::Body> = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("the router answers");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = axum::body::to_bytes(response.into_body(), 64 * 1024 * 1024)
            .await
            .expect("body");
        TestResponse {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
            bytes: bytes.to_vec(),
        }
    }

    /// A server-function call as the app's own page makes it.
    pub fn server_fn(path: &str, cookie: Option<&str>) -> http::request::Builder {
        let mut builder = Request::post(path)
            .header(http::header::HOST, HOST)
            .header(
                http::header::CONTENT_TYPE,
                "application/x-www-form-urlencoded",
            )
            .header(http::header::ACCEPT, "application/json");
        if let Some(cookie) = cookie {
            builder = builder.header(http::header::COOKIE, cookie);
        }
        builder
    }

    pub async fn call(
        &self,
        path: &str,
        form: &[(&str, &str)],
        cookie: Option<&str>,
    ) -> TestResponse {
        let request = Self::server_fn(path, cookie)
            .header(http::header::ORIGIN, ORIGIN)
            .header("sec-fetch-site", "same-origin")
            .body(Body::from(encode_form(form)))
            .expect("request");
        self.send(request).await
    }

    pub async fn sign_in_from(&self, email: &str, password: &str, address: &str) -> TestResponse {
        let request = Self::server_fn("/api/auth/sign_in", None)
            .header(http::header::ORIGIN, ORIGIN)
            .header("x-forwarded-for", address)
            .body(Body::from(encode_form(&[
                ("email", email),
                ("password", password),
            ])))
            .expect("request");
        self.send(request).await
    }

    pub async fn sign_in(&self, email: &str, password: &str) -> TestResponse {
        self.sign_in_from(email, password, "203.0.113.7").await
    }

    /// Signs in and returns the session cookie (`name=value`).
    pub async fn session(&self, email: &str) -> String {
        let response = self.sign_in(email, PASSWORD).await;
        assert_eq!(response.status, StatusCode::OK, "{}", response.body);
        response
            .cookie(app::server::auth::SESSION_COOKIE)
            .expect("session cookie")
    }

    pub async fn get(
        &self,
        path: &str,
        cookie: Option<&str>,
        accept_language: &str,
    ) -> TestResponse {
        let mut builder = Request::get(path)
            .header(http::header::HOST, HOST)
            .header(http::header::ACCEPT, "text/html")
            .header(http::header::ACCEPT_LANGUAGE, accept_language);
        if let Some(cookie) = cookie {
            builder = builder.header(http::header::COOKIE, cookie);
        }
        self.send(builder.body(Body::empty()).expect("request"))
            .await
    }

    pub async fn count(&self, table: &str) -> i64 {
        let row = self
            .db
            .query_one_raw(sea_orm::Statement::from_string(
                self.db.get_database_backend(),
                format!("SELECT COUNT(*) AS n FROM {table}"),
            ))
            .await
            .expect("count query")
            .expect("a row");
        row.try_get::<i64>("", "n").expect("count")
    }

    /// The one integer a query returns (as `n`).
    pub async fn scalar(&self, sql: &str) -> i64 {
        let row = self
            .db
            .query_one_raw(sea_orm::Statement::from_string(
                self.db.get_database_backend(),
                sql.to_owned(),
            ))
            .await
            .expect(sql)
            .unwrap_or_else(|| panic!("no row: {sql}"));
        row.try_get::<i64>("", "n")
            .or_else(|_| row.try_get::<i32>("", "n").map(i64::from))
            .expect("an integer n")
    }

    /// The text column `t` of the row a query returns (`None` when it is NULL).
    pub async fn text(&self, sql: &str) -> Option<String> {
        let row = self
            .db
            .query_one_raw(sea_orm::Statement::from_string(
                self.db.get_database_backend(),
                sql.to_owned(),
            ))
            .await
            .expect(sql)
            .unwrap_or_else(|| panic!("no row: {sql}"));
        row.try_get::<Option<String>>("", "t").expect("a text t")
    }

    /// The integers a query returns (as `n`), in order.
    pub async fn column(&self, sql: &str) -> Vec<i64> {
        self.db
            .query_all_raw(sea_orm::Statement::from_string(
                self.db.get_database_backend(),
                sql.to_owned(),
            ))
            .await
            .expect(sql)
            .into_iter()
            .map(|row| {
                row.try_get::<i64>("", "n")
                    .or_else(|_| row.try_get::<i32>("", "n").map(i64::from))
                    .expect("an integer n")
            })
            .collect()
    }

    pub async fn exec(&self, sql: &str) {
        self.db.execute_unprepared(sql).await.expect(sql);
    }
}

/// One part of a multipart body.
pub enum Part<'a> {
    Text(&'a str, &'a str),
    File {
        field: &'a str,
        file_name: &'a str,
        content: Vec<u8>,
    },
}

pub const BOUNDARY: &str = "----kabinet-test-boundary-7MA4YWxkTrZu0gW";

pub fn multipart_body(parts: &[Part]) -> Vec<u8> {
    let mut body = Vec::new();
    for part in parts {
        body.extend_from_slice(format!("--{BOUNDARY}\r\n").as_bytes());
        match part {
            Part::Text(name, value) => {
                body.extend_from_slice(
                    format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                        .as_bytes(),
                );
            }
            Part::File {
                field,
                file_name,
                content,
            } => {
                body.extend_from_slice(
                    format!(
                        "Content-Disposition: form-data; name=\"{field}\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                    )
                    .as_bytes(),
                );
                body.extend_from_slice(content);
                body.extend_from_slice(b"\r\n");
            }
        }
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

/// A small valid-looking PDF.
pub fn pdf(marker: &str) -> Vec<u8> {
    format!("%PDF-1.7\n% {marker}\n1 0 obj << >> endobj\n%%EOF\n").into_bytes()
}

/// The first bytes of a JPEG photo.
pub fn jpeg(marker: &str) -> Vec<u8> {
    let mut bytes = vec![
        0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0x00,
    ];
    bytes.extend_from_slice(marker.as_bytes());
    bytes.extend_from_slice(&[0xFF, 0xD9]);
    bytes
}

impl TestApp {
    /// A multipart post as the upload form sends it.
    pub async fn post_multipart(
        &self,
        path: &str,
        body: Vec<u8>,
        cookie: Option<&str>,
    ) -> TestResponse {
        let mut builder = Request::post(path)
            .header(http::header::HOST, HOST)
            .header(http::header::ORIGIN, ORIGIN)
            .header("sec-fetch-site", "same-origin")
            .header(http::header::ACCEPT, "application/json")
            .header(
                http::header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={BOUNDARY}"),
            );
        if let Some(cookie) = cookie {
            builder = builder.header(http::header::COOKIE, cookie);
        }
        self.send(builder.body(Body::from(body)).expect("request"))
            .await
    }

    pub async fn upload(&self, parts: &[Part<'_>], cookie: &str) -> TestResponse {
        self.post_multipart(app::paths::UPLOAD_PATH, multipart_body(parts), Some(cookie))
            .await
    }

    /// Every file under this app's storage folder (objects and temporary files).
    pub fn stored_files(&self) -> Vec<std::path::PathBuf> {
        fn walk(dir: &std::path::Path, found: &mut Vec<std::path::PathBuf>) {
            if let Ok(entries) = std::fs::read_dir(dir) {
                for entry in entries.flatten() {
                    let path = entry.path();
                    if path.is_dir() {
                        walk(&path, found);
                    } else {
                        found.push(path);
                    }
                }
            }
        }
        let mut found = Vec::new();
        walk(&self.files_dir, &mut found);
        found
    }
}

/// The fields of a valid submission.
pub fn invoice_fields(number: &'static str) -> Vec<Part<'static>> {
    vec![
        Part::Text("kind", "invoice_with_act"),
        Part::Text("invoice_number", number),
        Part::Text("invoice_date", "2026-11-20"),
        Part::Text("amount", "12 345,67"),
        Part::Text("vat", "22"),
        Part::Text("comment", "Поставка за ноябрь"),
    ]
}

pub fn encode_form(form: &[(&str, &str)]) -> String {
    form.iter()
        .map(|(k, v)| format!("{}={}", urlencode(k), urlencode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

impl Drop for TestApp {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.files_dir);
        match &self.cleanup {
            Cleanup::SqliteFile(path) => {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
            }
            Cleanup::PostgresSchema { url, schema } => {
                let (url, schema) = (url.clone(), schema.clone());
                // Drop cannot await: drop the schema on a runtime of its own.
                let _ = std::thread::spawn(move || {
                    let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                    else {
                        return;
                    };
                    runtime.block_on(async {
                        if let Ok(db) = Database::connect(&url).await {
                            let _ = db
                                .execute_unprepared(&format!(
                                    "DROP SCHEMA IF EXISTS {schema} CASCADE"
                                ))
                                .await;
                        }
                    });
                })
                .join();
            }
        }
    }
}

/// Runs each named `async fn(TestApp)` once on SQLite and once on PostgreSQL.
#[macro_export]
macro_rules! on_both_databases {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                // Four workers, as the server runs (see `MIN_WORKER_THREADS` in main.rs).
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn sqlite() {
                    super::$name($crate::common::TestApp::sqlite().await).await;
                }

                // Four workers, as the server runs (see `MIN_WORKER_THREADS` in main.rs).
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn postgres() {
                    if let Some(app) = $crate::common::TestApp::postgres().await {
                        super::$name(app).await;
                    }
                }
            }
        )*
    };
}

/// The text of a PDF, as `pdftotext` (poppler-utils) extracts it.
pub fn pdf_text(pdf: &[u8]) -> String {
    let path = std::env::temp_dir().join(format!(
        "kabinet-sheet-{}-{}.pdf",
        std::process::id(),
        rand::random::<u32>()
    ));
    std::fs::write(&path, pdf).expect("write the PDF");
    let out = std::process::Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8"])
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext runs (Debian's poppler-utils; scripts/setup.sh installs it)");
    let _ = std::fs::remove_file(&path);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}
