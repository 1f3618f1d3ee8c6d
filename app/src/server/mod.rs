//! Server-only code: database, authentication, repositories, demo data. Compiled with the `ssr`
//! feature only, so none of it reaches the WASM bundle.
pub mod approval_sheet;
pub mod auth;
pub mod db;
pub mod demo;
pub mod entities;
pub mod file_routes;
pub mod live;
pub mod mailer;
pub mod pdf;
pub mod repo;
pub mod security;
pub mod spreadsheets;
pub mod statement;
pub mod storage;

use crate::server::db::Db;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use leptos::prelude::use_context;

use crate::domain::clock::{CompanyZone, Now};
use crate::domain::files::FileLimits;
use crate::domain::session::SessionPolicy;
use crate::domain::throttle::ThrottlePolicy;
use crate::error::{AppError, AppResult};

/// Shared by every request: handed to Leptos as context and to axum as state.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub settings: Arc<Settings>,
    pub files: Arc<dyn storage::FileStore>,
    /// Wakes the live-update streams after a change commits.
    pub live: live::LiveHub,
    /// What time it is: the system's, or one a test sets.
    pub clock: Clock,
}

impl AppState {
    /// The state a request of `ctx` works with: a supplier's database handle is behind its
    /// row-level wall (PostgreSQL), staff see all.
    pub fn for_ctx(&self, ctx: &crate::domain::access::Ctx) -> AppState {
        match ctx.counterparty_id {
            Some(counterparty) => AppState {
                db: self.db.for_supplier(counterparty),
                ..self.clone()
            },
            None => self.clone(),
        }
    }

    /// The request's moment on the company's clock: every "today" of a request comes from it.
    pub fn now(&self) -> Now {
        Now::new(self.clock.now(), self.settings.company_zone)
    }
}

/// The app's one source of the current time. The system clock unless a test sets a moment
/// (`set`), which every clone then shows.
#[derive(Clone, Debug, Default)]
pub struct Clock {
    set: Arc<std::sync::RwLock<Option<DateTime<Utc>>>>,
}

impl Clock {
    pub fn now(&self) -> DateTime<Utc> {
        match self.set.read() {
            Ok(set) => set.unwrap_or_else(Utc::now),
            Err(_) => Utc::now(),
        }
    }

    /// From now on the clock shows `at` (`None`: the system clock again).
    pub fn set(&self, at: Option<DateTime<Utc>>) {
        if let Ok(mut set) = self.set.write() {
            *set = at;
        }
    }
}

/// The company's name until configured.
pub const DEFAULT_COMPANY_NAME: &str = "АО «Заказчик»";

#[derive(Clone, Debug)]
pub struct Settings {
    /// `Secure` on cookies: on everywhere but plain-HTTP local development.
    pub secure_cookies: bool,
    /// Origins besides the request's own host that may send state-changing requests
    /// (the public address behind a proxy).
    pub allowed_origins: Vec<String>,
    /// Take the client address from `X-Forwarded-For` (only behind a trusted proxy).
    pub trust_forwarded_for: bool,
    pub session: SessionPolicy,
    pub throttle: ThrottlePolicy,
    pub file_limits: FileLimits,
    /// The most one amount of money may be, wherever it is entered.
    pub max_amount: crate::domain::money::Money,
    /// Where links in e-mails point: the public address of the app.
    pub public_url: String,
    /// Where the company works: which day "today" is.
    pub company_zone: CompanyZone,
    /// The company's name as its documents print it (the reconciliation statement).
    pub company_name: String,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            secure_cookies: true,
            allowed_origins: Vec::new(),
            trust_forwarded_for: false,
            session: SessionPolicy::default(),
            throttle: ThrottlePolicy::default(),
            file_limits: FileLimits::default(),
            max_amount: crate::domain::money::Money::DEFAULT_MAXIMUM,
            public_url: "http://127.0.0.1:3000".to_owned(),
            company_zone: CompanyZone::default(),
            company_name: DEFAULT_COMPANY_NAME.to_owned(),
        }
    }
}

/// The application state inside a server function.
pub fn state() -> AppResult<AppState> {
    use_context::<AppState>().ok_or_else(|| {
        // Happens only outside a request, e.g. when the route list is generated at start-up.
        tracing::debug!("AppState missing from the Leptos context");
        AppError::Internal
    })
}
