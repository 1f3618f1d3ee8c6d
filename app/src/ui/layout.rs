//! The frame of every signed-in page: a sidebar on a desktop, a compact header with a menu on a
//! phone.
use leptos::prelude::*;
use leptos_router::components::{A, Outlet};

use crate::api::auth::{SignOut, UserProfile, current_user};
use crate::domain::access::Role;
use crate::i18n::*;
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

/// The frame around the pages of one side. The server's page guard has already sent strangers
/// to sign in and the other side to its own home, so the page itself is not wrapped in a
/// `Suspense` (which would build it twice on the server and break hydration).
#[component]
pub fn SignedInArea(staff: bool) -> impl IntoView {
    view! {
        <AppFrame staff=staff>
            <Outlet />
        </AppFrame>
    }
}

#[component]
fn UserCard(user: UserProfile) -> impl IntoView {
    let i18n = use_i18n();
    let role = user.role;
    view! {
        <div class="user-card">
            <span class="user-card__name" data-testid="user-name">
                {format!("{} {}", user.first_name, user.last_name)}
            </span>
            <span class="user-card__role">{move || role_name(i18n, role)}</span>
            {user.counterparty_name.map(|name| view! { <span class="user-card__org">{name}</span> })}
        </div>
    }
}

#[component]
fn AppFrame(staff: bool, children: Children) -> impl IntoView {
    let i18n = use_i18n();
    let menu_open = RwSignal::new(false);
    let sign_out = ServerAction::<SignOut>::new();
    Effect::new(move |_| {
        if let Some(Ok(())) = sign_out.value().get() {
            let _ = window().location().assign("/login");
        }
    });
    let user = Resource::new(|| (), |_| current_user());

    let home = if staff { "/staff" } else { "/cabinet" };

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
                    {staff.then(|| view! {
                        // A plain GET form: the search works before hydration too.
                        <form class="topbar__search" method="get" action="/staff/search" role="search">
                            <input
                                class="input input--search"
                                type="search"
                                name="q"
                                aria-label=move || t_string!(i18n, search_placeholder).to_string()
                                placeholder=move || t_string!(i18n, search_placeholder).to_string()
                                data-testid="global-search"
                            />
                        </form>
                    })}
                    <LanguageSwitch />
                </div>
            </header>
            <nav id="sidebar" class="sidebar" aria-label=move || t_string!(i18n, menu).to_string()>
                <ul class="nav">
                    <li>
                        <A href=home exact=true attr:class="nav__link" on:click=move |_| menu_open.set(false)>
                            {move || {
                                if staff {
                                    t_string!(i18n, nav_overview).to_string()
                                } else {
                                    t_string!(i18n, nav_home).to_string()
                                }
                            }}
                        </A>
                    </li>
                    {(!staff).then(|| view! {
                        <li>
                            <A href="/cabinet/documents" attr:class="nav__link" on:click=move |_| menu_open.set(false)>
                                {t!(i18n, nav_documents)}
                            </A>
                        </li>
                        <li>
                            <A href="/cabinet/upload" attr:class="nav__link" on:click=move |_| menu_open.set(false)>
                                {t!(i18n, nav_upload)}
                            </A>
                        </li>
                        <li>
                            <A href="/cabinet/orders" attr:class="nav__link" on:click=move |_| menu_open.set(false)>
                                {t!(i18n, nav_orders)}
                            </A>
                        </li>
                        <li>
                            <A href="/cabinet/payments" attr:class="nav__link" on:click=move |_| menu_open.set(false)>
                                {t!(i18n, nav_supplier_payments)}
                            </A>
                        </li>
                        <li>
                            <A href="/cabinet/balance" attr:class="nav__link" on:click=move |_| menu_open.set(false)>
                                {t!(i18n, nav_balance)}
                            </A>
                        </li>
                        <li>
                            <A href="/cabinet/tasks" attr:class="nav__link" on:click=move |_| menu_open.set(false)>
                                {t!(i18n, nav_tasks)}
                            </A>
                        </li>
                        <li>
                            <A href="/cabinet/organisation" attr:class="nav__link" on:click=move |_| menu_open.set(false)>
                                {t!(i18n, my_organisation)}
                            </A>
                        </li>
                    })}
                    {staff.then(|| view! {
                        <li>
                            <A href="/staff/board" attr:class="nav__link" on:click=move |_| menu_open.set(false)>
                                {t!(i18n, nav_board)}
                            </A>
                        </li>
                        <li>
                            <A href="/staff/deals" attr:class="nav__link" on:click=move |_| menu_open.set(false)>
                                {t!(i18n, nav_deals)}
                            </A>
                        </li>
                        <li>
                            <A href="/staff/orders" attr:class="nav__link" on:click=move |_| menu_open.set(false)>
                                {t!(i18n, nav_supplier_orders)}
                            </A>
                        </li>
                        <li>
                            <A href="/staff/payments" attr:class="nav__link" on:click=move |_| menu_open.set(false)>
                                {t!(i18n, nav_payments)}
                            </A>
                        </li>
                        <li>
                            <A href="/staff/tasks" attr:class="nav__link" on:click=move |_| menu_open.set(false)>
                                {t!(i18n, nav_tasks)}
                            </A>
                        </li>
                        <li>
                            <A href="/staff/notifications" attr:class="nav__link" on:click=move |_| menu_open.set(false)>
                                {t!(i18n, nav_notifications)}
                                <NotificationCount />
                            </A>
                        </li>
                        <li>
                            <A href="/staff/counterparties" attr:class="nav__link" on:click=move |_| menu_open.set(false)>
                                {t!(i18n, nav_counterparties)}
                            </A>
                        </li>
                        <li>
                            <A href="/staff/debtors" attr:class="nav__link" on:click=move |_| menu_open.set(false)>
                                {t!(i18n, nav_debtors)}
                            </A>
                        </li>
                        <Transition fallback=|| ()>
                            {move || Suspend::new(async move {
                                user.await
                                    .ok()
                                    .flatten()
                                    .filter(|user| matches!(user.role, Role::Accountant | Role::Admin))
                                    .map(|_| view! {
                                        <li>
                                            <A href=crate::paths::LEDGER_IMPORT_PAGE attr:class="nav__link" on:click=move |_| menu_open.set(false)>
                                                {t!(i18n, nav_ledger_import)}
                                            </A>
                                        </li>
                                    })
                            })}
                        </Transition>
                        <li>
                            <A href="/staff/settings/org" attr:class="nav__link" on:click=move |_| menu_open.set(false)>
                                {t!(i18n, nav_org)}
                            </A>
                        </li>
                        <Transition fallback=|| ()>
                            {move || Suspend::new(async move {
                                user.await
                                    .ok()
                                    .flatten()
                                    .filter(|user| user.role == Role::Admin)
                                    .map(|_| view! {
                                        <li>
                                            <A href="/staff/settings/stages" attr:class="nav__link" on:click=move |_| menu_open.set(false)>
                                                {t!(i18n, nav_stage_rules)}
                                            </A>
                                        </li>
                                        <li>
                                            <A href="/staff/settings/deals" attr:class="nav__link" on:click=move |_| menu_open.set(false)>
                                                {t!(i18n, nav_deal_settings)}
                                            </A>
                                        </li>
                                    })
                            })}
                        </Transition>
                    })}
                </ul>
                <div class="sidebar__user">
                    <Suspense fallback=|| ()>
                        {move || Suspend::new(async move {
                            user.await
                                .ok()
                                .flatten()
                                .map(|user| view! { <UserCard user=user /> })
                        })}
                    </Suspense>
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
                {(!staff).then(|| view! { <crate::ui::components::balance::BalancePanel /> })}
                {children()}
            </main>
        </div>
    }
}

/// The unread count beside "Notifications", read again on every page change.
#[component]
fn NotificationCount() -> impl IntoView {
    let location = leptos_router::hooks::use_location();
    let notices = Resource::new(
        move || location.pathname.get(),
        |_| crate::api::notifications::my_notifications(),
    );
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                notices
                    .await
                    .ok()
                    .filter(|n| n.unread > 0)
                    .map(|n| view! { <span class="nav__count" data-testid="unread-badge">{n.unread}</span> })
            })}
        </Transition>
    }
}
