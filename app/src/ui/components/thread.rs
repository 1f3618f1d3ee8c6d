//! The message thread of a document card, as staff and the supplier both see it.
use leptos::prelude::*;

use crate::api::messages::{MAX_MESSAGE_CHARS, PostMessage, ThreadMessage};
use crate::domain::format::format_date_time;
use crate::i18n::*;
use crate::ui::components::clock::company_zone;
use crate::ui::components::error_message::ErrorMessage;
use crate::ui::components::lang::use_lang;

#[component]
pub fn Thread(
    card_id: i32,
    messages: Vec<ThreadMessage>,
    /// Staff see the supplier's messages as the other side, the supplier staff's.
    staff_view: bool,
    refresh: RwSignal<u32>,
) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang();
    let post = ServerAction::<PostMessage>::new();
    let body = RwSignal::new(String::new());
    Effect::new(move |_| {
        if let Some(Ok(())) = post.value().get() {
            body.set(String::new());
            refresh.update(|n| *n += 1);
        }
    });
    let empty = messages.is_empty();
    view! {
        <ol class="thread" data-testid="thread">
            {messages
                .into_iter()
                .map(|message| {
                    let mine = message.from_supplier != staff_view && message.author.is_some();
                    let system = message.author.is_none();
                    let at = message.at;
                    let author = message.author.clone();
                    view! {
                        <li
                            class="thread__message"
                            class:thread__message--mine=mine
                            class:thread__message--system=system
                            data-testid="thread-message"
                        >
                            <div class="thread__meta muted small">
                                <span>{match author {
                                    Some(name) => name.into_any(),
                                    None => t!(i18n, system_message).into_any(),
                                }}</span>
                                " · "
                                <time datetime=at.to_rfc3339()>
                                    {move || format_date_time(at, company_zone(), lang.get())}
                                </time>
                            </div>
                            <p class="thread__body">{move || message.text(lang.get()).to_owned()}</p>
                        </li>
                    }
                })
                .collect_view()}
        </ol>
        {empty.then(|| view! { <p class="muted">{t!(i18n, thread_empty)}</p> })}
        {move || post.value().get().and_then(|r| r.err()).map(|error| view! { <ErrorMessage error=error /> })}
        <ActionForm action=post attr:class="thread__form">
            <input type="hidden" name="card_id" value=card_id.to_string() />
            <label class="field field--wide">
                <span class="visually-hidden">{t!(i18n, message_placeholder)}</span>
                <textarea
                    class="input"
                    name="body"
                    rows="2"
                    required
                    maxlength=MAX_MESSAGE_CHARS.to_string()
                    placeholder=move || t_string!(i18n, message_placeholder).to_string()
                    data-testid="message-input"
                    prop:value=move || body.get()
                    on:input=move |ev| body.set(event_target_value(&ev))
                ></textarea>
            </label>
            <button type="submit" class="button" data-testid="message-send">{t!(i18n, send)}</button>
        </ActionForm>
    }
}
