//! Pages reached from e-mail: accepting an invitation or resetting a password (a link with a
//! single-use token), and asking for a reset letter.
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api::accounts::{AccountLink, ForgotPassword, SetPassword, link_details};
use crate::domain::accounts::{TokenPurpose, TokenState};
use crate::domain::files::FileLimits;
use crate::domain::form::Subject;
use crate::error::AppError;
use crate::i18n::*;
use crate::ui::components::error_message::{ErrorMessage, error_text};
use crate::ui::components::hydration::mark_hydrated;
use crate::ui::components::language_switch::LanguageSwitch;
use crate::ui::components::page_title::PageTitle;
use crate::ui::components::upload::problem_text;

/// The frame of the signed-out pages: brand, language, one card.
#[component]
fn SignedOutFrame(children: Children) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <main class="login">
            <div class="login__top">
                <span class="brand">
                    <span class="brand__mark" aria-hidden="true">"К"</span>
                    <span class="brand__name">{t!(i18n, app_name)}</span>
                </span>
                <LanguageSwitch />
            </div>
            <section class="card login__card">{children()}</section>
        </main>
    }
}

/// `/invite/:token` and `/reset/:token`.
#[component]
pub fn SetPasswordPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let link = Resource::new(token, link_details);
    view! {
        <PageTitle text=move || t_string!(i18n, set_password_title).to_string() />
        <SignedOutFrame>
            <Suspense fallback=move || view! { <p class="muted">{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match link.await {
                        Ok(view) if view.state == TokenState::Valid => {
                            view! { <SetPasswordForm link=view token=token() /> }.into_any()
                        }
                        Ok(_) | Err(AppError::LinkNotValid) => {
                            mark_hydrated();
                            view! { <LinkNotValid /> }.into_any()
                        }
                        Err(error) => view! { <ErrorMessage error=error /> }.into_any(),
                    }
                })}
            </Suspense>
        </SignedOutFrame>
    }
}

#[component]
fn LinkNotValid() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h1>{t!(i18n, link_not_valid_title)}</h1>
        <p class="muted" data-testid="link-not-valid">{t!(i18n, err_link_not_valid)}</p>
        <p><a href="/forgot">{t!(i18n, forgot_password)}</a></p>
    }
}

#[component]
fn SetPasswordForm(link: AccountLink, token: String) -> impl IntoView {
    mark_hydrated();
    let i18n = use_i18n();
    let action = ServerAction::<SetPassword>::new();
    Effect::new(move |_| {
        if let Some(Ok(home)) = action.value().get() {
            // A full load, so the whole page starts as the signed-in user.
            let _ = window().location().assign(&home);
        }
    });
    let error = Memo::new(move |_| action.value().get().and_then(Result::err));
    let password_problem = move || match error.get() {
        Some(AppError::Rejected { problems }) => problems
            .iter()
            .find(|p| p.subject == Subject::Field("password".to_owned()))
            .map(|p| problem_text(i18n, &p.error, FileLimits::default())),
        _ => None,
    };
    let other_error = move || match error.get() {
        None | Some(AppError::Rejected { .. }) => None,
        Some(other) => Some(error_text(i18n, &other)),
    };
    let invitation = link.purpose == TokenPurpose::Invitation;
    let first_name = link.first_name.clone();
    view! {
        <h1>{move || if invitation {
            t_string!(i18n, welcome_name, name = first_name.clone()).to_string()
        } else {
            t_string!(i18n, set_password_title).to_string()
        }}</h1>
        <p class="muted">{move || if invitation {
            t_string!(i18n, invitation_lead).to_string()
        } else {
            t_string!(i18n, reset_lead).to_string()
        }}</p>
        <ActionForm action=action attr:class="form" attr:novalidate=true>
            <input type="hidden" name="token" value=token />
            // Lets password managers store the new password under the right account.
            <input type="email" name="username" autocomplete="username" value=link.email.clone() readonly class="input" />
            <label class="field">
                <span class="field__label">{t!(i18n, new_password)}</span>
                <input class="input" type="password" name="password" autocomplete="new-password" minlength="10" required data-testid="new-password" />
                <span class="field__hint">{t!(i18n, password_rule)}</span>
                <span class="field__error" data-testid="password-error">{password_problem}</span>
            </label>
            {move || other_error().map(|text| view! { <div class="alert alert--error" role="alert">{text}</div> })}
            <button type="submit" class="button button--block" disabled=action.pending() data-testid="set-password">
                {t!(i18n, save_password_and_sign_in)}
            </button>
        </ActionForm>
    }
}

/// `/forgot`: a reset letter to the address, if it has an account.
#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    mark_hydrated();
    let i18n = use_i18n();
    let action = ServerAction::<ForgotPassword>::new();
    let sent = move || matches!(action.value().get(), Some(Ok(())));
    let error = move || action.value().get().and_then(Result::err);
    view! {
        <PageTitle text=move || t_string!(i18n, forgot_title).to_string() />
        <SignedOutFrame>
            <h1>{t!(i18n, forgot_title)}</h1>
            <Show
                when=sent
                fallback=move || view! {
                    <p class="muted">{t!(i18n, forgot_lead)}</p>
                    <ActionForm action=action attr:class="form">
                        <label class="field">
                            <span class="field__label">{t!(i18n, email)}</span>
                            <input class="input" type="email" name="email" autocomplete="username" inputmode="email" required />
                        </label>
                        {move || error().map(|error| view! { <ErrorMessage error=error /> })}
                        <button type="submit" class="button button--block" disabled=action.pending()>
                            {t!(i18n, send_reset_letter)}
                        </button>
                    </ActionForm>
                }
            >
                <div class="alert alert--success" role="status" data-testid="reset-sent">{t!(i18n, reset_sent)}</div>
            </Show>
            <p class="login__aside"><a href="/login">{t!(i18n, back_to_sign_in)}</a></p>
        </SignedOutFrame>
    }
}
