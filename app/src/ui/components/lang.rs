use leptos::prelude::*;

use crate::domain::lang::Lang;
use crate::i18n::*;

pub fn lang_of(locale: Locale) -> Lang {
    match locale {
        Locale::ru => Lang::Ru,
        Locale::en => Lang::En,
    }
}

pub fn locale_of(lang: Lang) -> Locale {
    match lang {
        Lang::Ru => Locale::ru,
        Lang::En => Locale::en,
    }
}

/// The interface language as a signal, for formatting dates, numbers and money.
pub fn use_lang() -> Signal<Lang> {
    let i18n = use_i18n();
    Signal::derive(move || lang_of(i18n.get_locale()))
}
