use leptos::prelude::*;

use crate::api::auth::SignIn;
use crate::i18n::*;
use crate::ui::components::error_message::ErrorMessage;
use crate::ui::components::language_switch::LanguageSwitch;
use crate::ui::components::page_title::PageTitle;

#[component]
pub fn LoginPage() -> impl IntoView {
    crate::ui::components::hydration::mark_hydrated();
    let i18n = use_i18n();
    let sign_in = ServerAction::<SignIn>::new();
    let pending = sign_in.pending();
    Effect::new(move |_| {
        if let Some(Ok(home)) = sign_in.value().get() {
            // A full load, so every part of the page starts as the signed-in user.
            let _ = window().location().assign(&home);
        }
    });
    let error = move || sign_in.value().get().and_then(Result::err);

    view! {
        <PageTitle text=move || t_string!(i18n, sign_in_title).to_string() />
        <main class="login">
            <div class="login__top">
                <span class="brand">
                    <span class="brand__mark" aria-hidden="true">"К"</span>
                    <span class="brand__name">{t!(i18n, app_name)}</span>
                </span>
                <LanguageSwitch />
            </div>
            <section class="card login__card" aria-labelledby="login-title">
                <h1 id="login-title">{t!(i18n, sign_in_title)}</h1>
                <p class="muted">{t!(i18n, sign_in_lead)}</p>
                <ActionForm action=sign_in attr:class="form">
                    <label class="field">
                        <span class="field__label">{t!(i18n, email)}</span>
                        <input
                            class="input"
                            type="email"
                            name="email"
                            autocomplete="username"
                            inputmode="email"
                            required
                        />
                    </label>
                    <label class="field">
                        <span class="field__label">{t!(i18n, password)}</span>
                        <input
                            class="input"
                            type="password"
                            name="password"
                            autocomplete="current-password"
                            required
                        />
                    </label>
                    {move || error().map(|error| view! { <ErrorMessage error=error /> })}
                    <button type="submit" class="button button--block" disabled=pending>
                        {move || {
                            if pending.get() {
                                t_string!(i18n, signing_in).to_string()
                            } else {
                                t_string!(i18n, sign_in).to_string()
                            }
                        }}
                    </button>
                </ActionForm>
                <p class="login__aside">
                    <a href="/forgot">{t!(i18n, forgot_password)}</a>
                </p>
            </section>
            <p class="login__tagline muted">{t!(i18n, app_tagline)}</p>
        </main>
    }
}
