use leptos::prelude::*;
use leptos::task::spawn_local;

use super::lang::{lang_of, locale_of};
use crate::api::auth::set_language;
use crate::domain::lang::Lang;
use crate::i18n::*;

/// RU | EN. Switches at once in the page and remembers the choice for the signed-in user.
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let choose = move |lang: Lang| {
        i18n.set_locale(locale_of(lang));
        spawn_local(async move {
            // The page has already switched; remembering it is best effort.
            let _ = set_language(lang).await;
        });
    };
    let button = move |lang: Lang, label: &'static str, title: &'static str| {
        let pressed = move || lang_of(i18n.get_locale()) == lang;
        view! {
            <button
                type="button"
                class="lang-switch__option"
                lang=lang.code()
                title=title
                aria-pressed=move || pressed().to_string()
                on:click=move |_| choose(lang)
            >
                {label}
            </button>
        }
    };
    view! {
        <div class="lang-switch" role="group" aria-label=move || t_string!(i18n, language).to_string()>
            {button(Lang::Ru, "RU", "Русский")}
            {button(Lang::En, "EN", "English")}
        </div>
    }
}
