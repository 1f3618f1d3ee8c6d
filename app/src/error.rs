//! The one error type server functions return. It crosses the network as JSON, so the browser
//! can tell the user what happened in their language.
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

use crate::domain::access::AccessError;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("sign in to continue")]
    Unauthenticated,
    #[error("this page is not available to your role")]
    Forbidden,
    #[error("not found")]
    NotFound,
    /// The same for an unknown e-mail and a wrong password.
    #[error("wrong e-mail or password")]
    InvalidCredentials,
    #[error("too many sign-in attempts; try again in {retry_after_minutes} min")]
    TooManyAttempts { retry_after_minutes: i64 },
    #[error("access for this counterparty is blocked")]
    CounterpartyBlocked { reason: Option<String> },
    #[error("{field}: {problem}")]
    Invalid { field: String, problem: String },
    /// Details go to the server log, not to the user.
    #[error("something went wrong on the server")]
    Internal,
    #[error("the request failed: {0}")]
    Request(String),
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        AppError::Request(value.to_string())
    }
}

impl From<AccessError> for AppError {
    fn from(_: AccessError) -> Self {
        AppError::Forbidden
    }
}

#[cfg(feature = "ssr")]
impl From<sea_orm::DbErr> for AppError {
    fn from(err: sea_orm::DbErr) -> Self {
        tracing::error!(error = %err, "database error");
        AppError::Internal
    }
}

pub type AppResult<T> = Result<T, AppError>;
