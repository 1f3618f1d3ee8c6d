//! Server-only code: database, authentication, repositories, demo data. Compiled with the `ssr`
//! feature only, so none of it reaches the WASM bundle.
pub mod auth;
pub mod db;
pub mod demo;
pub mod entities;
pub mod file_routes;
pub mod live;
pub mod mailer;
pub mod repo;
pub mod security;
pub mod storage;

use std::sync::Arc;

use leptos::prelude::use_context;
use sea_orm::DatabaseConnection;

use crate::domain::files::FileLimits;
use crate::domain::session::SessionPolicy;
use crate::domain::throttle::ThrottlePolicy;
use crate::error::{AppError, AppResult};

/// Shared by every request: handed to Leptos as context and to axum as state.
#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub settings: Arc<Settings>,
    pub files: Arc<dyn storage::FileStore>,
    /// Wakes the live-update streams after a change commits.
    pub live: live::LiveHub,
}

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
    /// Where links in e-mails point: the public address of the app.
    pub public_url: String,
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
            public_url: "http://127.0.0.1:3000".to_owned(),
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
