//! The frame of every signed-in page: a sidebar on a desktop, a compact header with a menu on a
//! phone.
use leptos::prelude::*;
use leptos_router::components::{A, Outlet, Redirect};

use crate::api::auth::{SignOut, UserProfile, current_user};
use crate::domain::access::Role;
use crate::i18n::*;
use crate::ui::components::error_message::ErrorMessage;
use crate::ui::components::language_switch::LanguageSwitch;
use leptos_i18n::I18nContext;

pub fn role_name(i18n: I18nContext<Locale>, role: Role) -> String {
    match role {
        Role::Supplier => t_string!(i18n, role_supplier).to_string(),
        Role::Manager => t_string!(i18n, role_manager).to_string(),
        Role::Supervisor => t_string!(i18n, role_supervisor).to_string(),
        Role::Accountant => t_string!(i18n, role_accountant).to_string(),
        Role::Admin => t_string!(i18n, role_admin).to_string(),
    }
}

/// Shows its pages to a signed-in user of the right side; sends everyone else where they belong.
#[component]
pub fn SignedInArea(staff: bool) -> impl IntoView {
    let user = Resource::new(|| (), |_| current_user());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match user.await {
                    Ok(Some(user)) if user.role.is_staff() == staff => {
                        view! {
                            <AppFrame user=user>
                                <Outlet />
                            </AppFrame>
                        }
                            .into_any()
                    }
                    Ok(Some(user)) => view! { <Redirect path=user.role.home_path() /> }.into_any(),
                    Ok(None) => view! { <Redirect path="/login" /> }.into_any(),
                    Err(error) => {
                        view! {
                            <main class="page page--centered">
                                <ErrorMessage error=error />
                            </main>
                        }
                            .into_any()
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
fn AppFrame(user: UserProfile, children: Children) -> impl IntoView {
    let i18n = use_i18n();
    let menu_open = RwSignal::new(false);
    let sign_out = ServerAction::<SignOut>::new();
    Effect::new(move |_| {
        if let Some(Ok(())) = sign_out.value().get() {
            let _ = window().location().assign("/login");
        }
    });

    let home = user.role.home_path();
    let role = user.role;
    let full_name = format!("{} {}", user.first_name, user.last_name);
    let organisation = user.counterparty_name.clone();

    view! {
        <div class="app" class:app--menu-open=move || menu_open.get()>
            <a class="skip-link" href="#main">
                {t!(i18n, skip_to_content)}
            </a>
            <header class="topbar">
                <button
                    type="button"
                    class="topbar__menu icon-button"
                    aria-controls="sidebar"
                    aria-expanded=move || menu_open.get().to_string()
                    aria-label=move || {
                        if menu_open.get() {
                            t_string!(i18n, close_menu).to_string()
                        } else {
                            t_string!(i18n, menu).to_string()
                        }
                    }
                    on:click=move |_| menu_open.update(|open| *open = !*open)
                >
                    <span class="burger" aria-hidden="true"></span>
                </button>
                <a class="brand" href=home>
                    <span class="brand__mark" aria-hidden="true">"К"</span>
                    <span class="brand__name">{t!(i18n, app_name)}</span>
                </a>
                <div class="topbar__end">
                    <LanguageSwitch />
                </div>
            </header>
            <nav id="sidebar" class="sidebar" aria-label=move || t_string!(i18n, menu).to_string()>
                <ul class="nav">
                    <li>
                        <A href=home exact=true attr:class="nav__link" on:click=move |_| menu_open.set(false)>
                            {move || {
                                if role.is_staff() {
                                    t_string!(i18n, nav_overview).to_string()
                                } else {
                                    t_string!(i18n, nav_home).to_string()
                                }
                            }}
                        </A>
                    </li>
                </ul>
                <div class="sidebar__user">
                    <div class="user-card">
                        <span class="user-card__name" data-testid="user-name">{full_name}</span>
                        <span class="user-card__role">{move || role_name(i18n, role)}</span>
                        {organisation.map(|name| view! { <span class="user-card__org">{name}</span> })}
                    </div>
                    <ActionForm action=sign_out attr:class="sign-out">
                        <button type="submit" class="button button--ghost button--block">
                            {t!(i18n, sign_out)}
                        </button>
                    </ActionForm>
                </div>
            </nav>
            <div
                class="scrim"
                aria-hidden="true"
                on:click=move |_| menu_open.set(false)
            ></div>
            <main id="main" class="main" tabindex="-1">
                {children()}
            </main>
        </div>
    }
}
