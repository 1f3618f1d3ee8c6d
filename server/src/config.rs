//! Server settings: command-line flags, each with an environment variable and a default.
use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Parser, ValueEnum};

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum SecureCookies {
    /// `Secure`, `__Host-` names and HSTS: the default.
    On,
    /// Only for plain-HTTP local development, set explicitly.
    Off,
}

#[derive(Clone, Debug, Parser)]
#[command(
    name = "server",
    version,
    about = "Supplier cabinet and procurement kanban: the web server.",
    long_about = "Serves the app, applies database migrations at start-up (and refuses to start \
                  if they fail), and stops gracefully on SIGTERM or Ctrl-C."
)]
pub struct Config {
    /// Database URL: `sqlite://PATH` or `postgres://USER@HOST/DB`.
    /// Default: `sqlite://<data-dir>/kabinet.db`.
    #[arg(long, env = "DATABASE_URL")]
    pub database_url: Option<String>,

    /// Address to listen on.
    #[arg(long, env = "LISTEN_ADDR", default_value = "127.0.0.1:3000")]
    pub listen: SocketAddr,

    /// Folder for the SQLite database and, later, uploaded files.
    #[arg(long, env = "DATA_DIR", default_value = "./data")]
    pub data_dir: PathBuf,

    /// Folder with the built browser assets (`cargo leptos build` writes `target/site`).
    #[arg(long, env = "SITE_ROOT", default_value = "target/site")]
    pub site_root: String,

    /// `Secure` cookies with the `__Host-` prefix, and HSTS. `off` only for plain-HTTP local
    /// development.
    #[arg(long, env = "SECURE_COOKIES", value_enum, default_value_t = SecureCookies::On)]
    pub secure_cookies: SecureCookies,

    /// Public origins (comma-separated, e.g. `https://cabinet.example.ru`) that may send
    /// state-changing requests besides the request's own host; set it behind a proxy.
    #[arg(long, env = "PUBLIC_ORIGIN", value_delimiter = ',')]
    pub public_origin: Vec<String>,

    /// Take the client address from `X-Forwarded-For` (only behind a trusted proxy).
    #[arg(long, env = "TRUST_FORWARDED_FOR", default_value_t = false)]
    pub trust_forwarded_for: bool,

    /// Load demo users and documents when the database has no users.
    #[arg(long, env = "DEMO_DATA", default_value_t = false)]
    pub demo_data: bool,

    /// With the demo data, this many more documents spread over the stages (a large board).
    #[arg(long, env = "DEMO_EXTRA_CARDS", default_value_t = 0)]
    pub demo_extra_cards: usize,

    /// With the demo data, this many approved payment requests waiting in accounting (the
    /// register benchmark).
    #[arg(long, env = "DEMO_EXTRA_PAYMENTS", default_value_t = 0)]
    pub demo_extra_payments: usize,

    /// With the demo data, `APPROVERS:EACH`: that many approvers, each with that many requests
    /// waiting for their decision (the decisions benchmark).
    #[arg(long, env = "DEMO_PENDING_APPROVALS")]
    pub demo_pending_approvals: Option<String>,

    /// How long a sign-in lasts, in hours.
    #[arg(long, env = "SESSION_HOURS", default_value_t = 12)]
    pub session_hours: i64,

    /// A request taking longer is answered with 408, in seconds.
    #[arg(long, env = "REQUEST_TIMEOUT_SECS", default_value_t = 30)]
    pub request_timeout_secs: u64,

    /// Folder for uploaded files. Default: `<data-dir>/files`.
    #[arg(long, env = "FILES_DIR")]
    pub files_dir: Option<PathBuf>,

    /// How often the scheduler looks for due jobs (reminders), in seconds.
    #[arg(long, env = "SCHEDULER_SECS", default_value_t = 60)]
    pub scheduler_secs: u64,

    /// On SIGTERM, how long the health check answers 503 (for the load balancer to stop sending
    /// requests here) before live streams end and the server stops, in seconds.
    #[arg(long, env = "DRAIN_SECS", default_value_t = 5)]
    pub drain_secs: u64,

    /// Keep uploaded files in an S3-compatible bucket instead of `FILES_DIR`: `s3://bucket` or
    /// `s3://bucket/prefix`. Every app server of one installation names the same bucket.
    #[arg(long, env = "FILES_S3_URL")]
    pub files_s3_url: Option<String>,

    /// The S3 endpoint for stores other than AWS (`https://storage.yandexcloud.net`,
    /// `http://127.0.0.1:9000`); default: AWS's for the region.
    #[arg(long, env = "FILES_S3_ENDPOINT")]
    pub files_s3_endpoint: Option<String>,

    /// The bucket's region (`ru-central1`, `us-east-1`); default: `AWS_REGION` or us-east-1.
    #[arg(long, env = "FILES_S3_REGION")]
    pub files_s3_region: Option<String>,

    /// The access key; default: `AWS_ACCESS_KEY_ID`.
    #[arg(long, env = "FILES_S3_ACCESS_KEY_ID")]
    pub files_s3_access_key_id: Option<String>,

    /// The secret key; default: `AWS_SECRET_ACCESS_KEY`.
    #[arg(long, env = "FILES_S3_SECRET_ACCESS_KEY", hide_env_values = true)]
    pub files_s3_secret_access_key: Option<String>,

    /// Largest accepted uploaded file, in MiB.
    #[arg(long, env = "MAX_FILE_MIB", default_value_t = 25)]
    pub max_file_mib: u64,

    /// Largest accepted upload (all files of one submission), in MiB.
    #[arg(long, env = "MAX_UPLOAD_MIB", default_value_t = 100)]
    pub max_upload_mib: u64,

    /// An upload taking longer is cut off, in seconds (phones on slow networks need minutes).
    #[arg(long, env = "UPLOAD_TIMEOUT_SECS", default_value_t = 900)]
    pub upload_timeout_secs: u64,

    /// SMTP server for e-mail, as a URL (`smtps://user:password@smtp.example.ru`). Without it
    /// each letter is written as an `.eml` file under `<data-dir>/outbox` and its link logged.
    #[arg(long, env = "SMTP_URL")]
    pub smtp_url: Option<String>,

    /// Sender of the app's e-mail.
    #[arg(
        long,
        env = "MAIL_FROM",
        default_value = "Кабинет поставщика <noreply@localhost>"
    )]
    pub mail_from: String,

    /// The company's time zone, which says what day "today" is (payment dates, deadlines,
    /// overdue marks, the year of deal numbers): an offset such as `+03:00` or a Russian zone
    /// name such as `Europe/Moscow`.
    #[arg(long, env = "COMPANY_TIME_ZONE", default_value = "Europe/Moscow", value_parser = parse_zone)]
    pub company_time_zone: app::domain::clock::CompanyZone,

    /// The company's name as its documents print it (the reconciliation statement).
    #[arg(long, env = "COMPANY_NAME", default_value = app::server::DEFAULT_COMPANY_NAME)]
    pub company_name: String,

    /// The most one amount of money may be (an invoice, a deal, an order, a price), in rubles;
    /// at most 100 000 000 000.
    #[arg(long, env = "MAX_AMOUNT_RUBLES", default_value_t = 10_000_000_000)]
    pub max_amount_rubles: u64,

    /// Largest accepted request body outside uploads, in bytes.
    #[arg(long, env = "BODY_LIMIT_BYTES", default_value_t = 1024 * 1024)]
    pub body_limit_bytes: usize,
}

fn parse_zone(text: &str) -> Result<app::domain::clock::CompanyZone, String> {
    app::domain::clock::CompanyZone::parse(text).map_err(|err| err.to_string())
}

impl Config {
    pub fn database_url(&self) -> String {
        self.database_url
            .clone()
            .unwrap_or_else(|| format!("sqlite://{}", self.data_dir.join("kabinet.db").display()))
    }

    pub fn files_dir(&self) -> PathBuf {
        self.files_dir
            .clone()
            .unwrap_or_else(|| app::server::storage::default_root(&self.data_dir))
    }

    /// Where links in e-mails point: the first public origin, or the listening address.
    pub fn public_url(&self) -> String {
        self.public_origin
            .first()
            .map(|origin| origin.trim_end_matches('/').to_owned())
            .unwrap_or_else(|| format!("http://{}", self.listen))
    }

    pub fn secure_cookies(&self) -> bool {
        self.secure_cookies == SecureCookies::On
    }
}
