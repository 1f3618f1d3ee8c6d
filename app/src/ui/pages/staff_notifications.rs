//! The notification centre: what stage rules and assignments told the signed-in staff member.
use leptos::prelude::*;

use crate::api::notifications::{Notices, ReadNotifications, my_notifications};
use crate::domain::format::format_date_time;
use crate::i18n::*;
use crate::ui::components::clock::company_zone;
use crate::ui::components::hydration::mark_hydrated;
use crate::ui::components::lang::use_lang;
use crate::ui::components::loaded::Loaded;
use crate::ui::components::page_title::PageTitle;

#[component]
pub fn StaffNotificationsPage() -> impl IntoView {
    let i18n = use_i18n();
    let read = ServerAction::<ReadNotifications>::new();
    let notices = Resource::new(move || read.version().get(), |_| my_notifications());
    view! {
        <PageTitle text=move || t_string!(i18n, notifications_title).to_string() />
        <div class="page">
            <header class="page__header page__header--actions">
                <h1>{t!(i18n, notifications_title)}</h1>
                <ActionForm action=read>
                    <button type="submit" class="button button--secondary" data-testid="mark-all-read">
                        {t!(i18n, mark_all_read)}
                    </button>
                </ActionForm>
            </header>
            <Loaded data=notices view=move |notices| view! { <NoticeList notices=notices /> }.into_any() />
        </div>
    }
}

#[component]
fn NoticeList(notices: Notices) -> impl IntoView {
    mark_hydrated();
    let i18n = use_i18n();
    let lang = use_lang();
    let unread = notices.unread;
    if notices.items.is_empty() {
        return view! { <p class="muted">{t!(i18n, no_notifications)}</p> }.into_any();
    }
    view! {
        <p class="muted" data-testid="unread-count">{move || t_string!(i18n, notifications_unread, count = unread).to_string()}</p>
        <ul class="list card" data-testid="notifications">
            {notices
                .items
                .into_iter()
                .map(|notice| {
                    let at = notice.at;
                    view! {
                        <li class="list__item" class:list__item--unread=notice.unread data-testid="notification">
                            <div class="list__main">
                                <span>{notice.text}</span>
                                <time class="muted small" datetime=at.to_rfc3339()>
                                    {move || format_date_time(at, company_zone(), lang.get())}
                                </time>
                            </div>
                            {notice.link.map(|link| view! {
                                <a class="link-button" href=link>{t!(i18n, open_card)}</a>
                            })}
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}
