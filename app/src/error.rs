//! The one error type server functions return. It crosses the network as JSON, so the browser
//! can tell the user what happened in their language.
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

use crate::domain::access::AccessError;
use crate::domain::form::{FieldError, FieldProblem};

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
    /// The counterparty is blocked down to its balance: only the balance, the statement and
    /// uploads stay open.
    #[error("access is limited to the balance until the debt is settled")]
    BalanceOnly,
    /// One value refused; `field` names it, `problem` says why in words the UI translates.
    #[error("{field}: {problem}")]
    Invalid { field: String, problem: FieldError },
    /// A form (an upload above all) refused: every problem at once, so each can be shown
    /// beside its field or file.
    #[error("the form has problems")]
    Rejected { problems: Vec<FieldProblem> },
    /// An invitation or reset link that was used or has expired.
    #[error("this link is no longer valid")]
    LinkNotValid,
    /// Someone changed the object since the caller read it.
    #[error("changed by someone else meanwhile")]
    Conflict,
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

/// Value `field` refused for `problem`.
pub fn invalid(field: &str, problem: FieldError) -> AppError {
    AppError::Invalid {
        field: field.to_owned(),
        problem,
    }
}

/// A stage code the pipeline does not have, in `field`.
pub fn unknown(field: &str) -> AppError {
    invalid(field, FieldError::Unknown)
}

impl From<crate::domain::pipeline::MoveError> for AppError {
    fn from(error: crate::domain::pipeline::MoveError) -> Self {
        use crate::domain::pipeline::MoveError;
        match error {
            MoveError::NotStaff => AppError::Forbidden,
            MoveError::Missing(problems) => AppError::Rejected { problems },
            MoveError::SameStage => invalid("to", FieldError::SameStage),
            MoveError::SupplierOnlyStage => invalid("to", FieldError::SupplierOnlyStage),
            MoveError::NotThisWay => invalid("to", FieldError::NotThisWay),
            MoveError::NotYours => AppError::Forbidden,
        }
    }
}

impl AppError {
    /// The HTTP status a server function answers with, so logs, proxies and monitoring tell a
    /// refused sign-in from a server fault.
    pub fn status_code(&self) -> u16 {
        match self {
            AppError::Unauthenticated | AppError::InvalidCredentials => 401,
            AppError::Forbidden | AppError::CounterpartyBlocked { .. } | AppError::BalanceOnly => {
                403
            }
            AppError::NotFound => 404,
            AppError::Conflict => 409,
            AppError::LinkNotValid => 410,
            AppError::Invalid { .. } | AppError::Rejected { .. } => 422,
            AppError::TooManyAttempts { .. } => 429,
            AppError::Request(_) => 400,
            AppError::Internal => 500,
        }
    }
}

/// Sets the response status from the error; every server function ends with it.
#[cfg(feature = "ssr")]
pub fn respond<T>(result: AppResult<T>) -> AppResult<T> {
    if let (Err(error), Some(response)) = (
        &result,
        leptos::prelude::use_context::<leptos_axum::ResponseOptions>(),
    ) && let Ok(status) = http::StatusCode::from_u16(error.status_code())
    {
        response.set_status(status);
    }
    result
}
