use leptos::prelude::*;

use crate::error::AppError;
use crate::i18n::*;
use leptos_i18n::I18nContext;

/// What to tell the user about an error, in their language.
pub fn error_text(i18n: I18nContext<Locale>, error: &AppError) -> String {
    match error {
        AppError::Unauthenticated => t_string!(i18n, err_unauthenticated).to_string(),
        AppError::Forbidden => t_string!(i18n, err_forbidden).to_string(),
        AppError::NotFound => t_string!(i18n, err_not_found).to_string(),
        AppError::InvalidCredentials => t_string!(i18n, err_invalid_credentials).to_string(),
        AppError::TooManyAttempts {
            retry_after_minutes,
        } => {
            let minutes = *retry_after_minutes;
            t_string!(i18n, err_too_many_attempts, minutes).to_string()
        }
        AppError::CounterpartyBlocked { reason } => {
            let text = t_string!(i18n, err_counterparty_blocked).to_string();
            match reason {
                Some(reason) if !reason.is_empty() => format!("{text} {reason}"),
                _ => text,
            }
        }
        AppError::BalanceOnly => t_string!(i18n, err_balance_only).to_string(),
        AppError::Invalid { problem, .. } => {
            let problem = crate::ui::components::upload::problem_text(
                i18n,
                problem,
                crate::domain::files::FileLimits::default(),
            );
            t_string!(i18n, err_invalid, problem).to_string()
        }
        AppError::Rejected { .. } => t_string!(i18n, err_rejected).to_string(),
        AppError::Conflict => t_string!(i18n, err_conflict).to_string(),
        AppError::LinkNotValid => t_string!(i18n, err_link_not_valid).to_string(),
        AppError::Internal => t_string!(i18n, err_internal).to_string(),
        AppError::Request(_) => t_string!(i18n, err_request).to_string(),
    }
}

/// An error as an alert box.
#[component]
pub fn ErrorMessage(error: AppError) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="alert alert--error" role="alert">
            {move || error_text(i18n, &error)}
        </div>
    }
}
