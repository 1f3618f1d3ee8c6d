//! The board talking to the server: a move shown at once and put back if refused, more cards of
//! a column, and others' changes arriving through server-sent events.
use leptos::prelude::*;
use leptos_i18n::I18nContext;

use crate::api::board::{BoardCard, fresh_pipeline_card, more_pipeline_cards};
use crate::api::deals::move_deal;
use crate::api::moves::{MovedCard, move_document};
use crate::api::papers::move_order;
use crate::domain::board::Pipeline;
use crate::domain::lang::Lang;
use crate::domain::pipeline::StageCode;
use crate::error::AppError;
use crate::i18n::*;
use crate::ui::components::board::{BoardState, Column, MoveData};
use crate::ui::components::error_message::error_text;

/// Moves card `id` to `to` on the board now, then asks the server; a refusal puts the card
/// back where it was and says why (a conflict shows the card as it is now).
pub fn perform_move(
    state: BoardState,
    i18n: I18nContext<Locale>,
    id: i32,
    to: &str,
    data: MoveData,
    lang: Lang,
) {
    let (Some(target), Some(to_code)) = (state.column(to), StageCode::from_code(to)) else {
        return;
    };
    let Some((source, at, card)) = state.take(id) else {
        return;
    };
    let number = card.number.clone();
    let from_name = state.stage_name(card.stage.code(), lang);
    let to_name = state.stage_name(to, lang);
    let version = card.version;
    let mut moved = card.clone();
    moved.stage = to_code;
    moved.stage_entered_at = chrono::Utc::now();
    state.put(target, 0, moved);
    state.in_flight.update_value(|f| {
        f.insert(id);
    });
    state.notice.set(None);
    state.announce.set(
        t_string!(
            i18n,
            announce_moved,
            number = number.clone(),
            stage = to_name
        )
        .to_string(),
    );
    focus_card_soon(id);
    let to = to.to_owned();
    let payment_order = data.payment_order.clone();
    leptos::task::spawn_local(async move {
        let result = send_move(state.pipeline, id, to.clone(), version, data).await;
        state.in_flight.update_value(|f| {
            f.remove(&id);
        });
        match result {
            Ok(done) => {
                // The server's word on the card (responsible, dates) replaces the guess.
                let fresh = fresh_card(state, id).await.ok().flatten();
                let focused = card_has_focus(id);
                target.cards.update(|cards| {
                    if let Some(c) = cards.iter_mut().find(|c| c.id == id) {
                        match fresh {
                            Some(fresh) if fresh.stage == done.stage => *c = fresh,
                            _ => c.version = done.version,
                        }
                    }
                });
                if focused {
                    focus_card_soon(id);
                }
                if let Some(file) = payment_order {
                    attach_file(state, i18n, id, file);
                }
            }
            Err(error) => {
                state.take(id);
                let reason = error_text(i18n, &error);
                if error == AppError::Conflict {
                    refresh_card(state, id).await;
                    if state.find(id).is_none() {
                        state.put(source, at, card);
                    }
                } else {
                    state.put(source, at, card);
                }
                state.announce.set(
                    t_string!(
                        i18n,
                        announce_returned,
                        number = number,
                        stage = from_name,
                        reason = reason.clone()
                    )
                    .to_string(),
                );
                state.notice.set(Some(reason));
                focus_card_soon(id);
            }
        }
    });
}

/// The move as the board's pipeline makes it.
async fn send_move(
    pipeline: Pipeline,
    id: i32,
    to: String,
    version: i32,
    data: MoveData,
) -> Result<MovedCard, AppError> {
    match pipeline {
        Pipeline::Documents => {
            move_document(
                id,
                to,
                version,
                data.planned_payment_date,
                data.paid_date,
                data.comment,
                None,
            )
            .await
        }
        Pipeline::Deals => move_deal(id, to, version, None).await,
        Pipeline::Orders => {
            move_order(
                id,
                to,
                version,
                data.delivered_on,
                data.closing_documents_on,
                data.paid_date,
                None,
            )
            .await
        }
        Pipeline::Payments => {
            crate::api::payments::move_payment(id, to, version, data.comment, data.paid_date, None)
                .await
        }
    }
}

/// Card `id` as the server has it now, if it still matches the board's filter.
async fn fresh_card(state: BoardState, id: i32) -> Result<Option<BoardCard>, AppError> {
    fresh_pipeline_card(state.pipeline, state.filter.get_value(), id).await
}

/// Sends a file (the payment order) to the card once its move is made; a refusal is said.
fn attach_file(state: BoardState, i18n: I18nContext<Locale>, id: i32, file: web_sys::File) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        use wasm_bindgen::prelude::Closure;
        let failed = move || {
            state
                .notice
                .set(Some(t_string!(i18n, payment_order_failed).to_string()))
        };
        let (Ok(form), Ok(request)) = (web_sys::FormData::new(), web_sys::XmlHttpRequest::new())
        else {
            return failed();
        };
        let sent = form
            .append_with_blob_and_filename("files", &file, &file.name())
            .and_then(|_| request.open("POST", &crate::paths::staff_files_path(id)))
            .and_then(|_| request.set_request_header("Accept", "application/json"));
        if sent.is_err() {
            return failed();
        }
        let done = request.clone();
        let on_done = Closure::once_into_js(move || {
            if done.status().unwrap_or(0) != 200 {
                failed();
            }
        });
        request.set_onloadend(Some(on_done.unchecked_ref()));
        if request.send_with_opt_form_data(Some(&form)).is_err() {
            failed();
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (state, i18n, id, file);
}

/// Puts the card where the server says it is now (or takes it off the board if it no longer
/// matches the filter).
async fn refresh_card(state: BoardState, id: i32) {
    let Ok(fresh) = fresh_card(state, id).await else {
        return;
    };
    place(state, id, fresh);
}

fn place(state: BoardState, id: i32, fresh: Option<BoardCard>) {
    // A card drawn anew loses focus; the keyboard user keeps it.
    if card_has_focus(id) {
        focus_card_soon(id);
    }
    match (state.find(id), fresh) {
        (Some((column, at, _)), Some(fresh))
            if column.code.with_value(|c| *c == fresh.stage.code()) =>
        {
            column.cards.update(|cards| cards[at] = fresh);
        }
        (found, fresh) => {
            if found.is_some() {
                state.take(id);
            }
            if let Some(fresh) = fresh
                && let Some(column) = state.column(fresh.stage.code())
            {
                state.put(column, 0, fresh);
            }
        }
    }
}

/// The next page of a column's cards.
pub fn load_more(state: BoardState, column: Column) {
    column.loading_more.set(true);
    let offset = column.cards.with_untracked(|c| c.len()) as u64;
    let code = column.code.get_value();
    leptos::task::spawn_local(async move {
        let filter = state.filter.get_value();
        let more = more_pipeline_cards(state.pipeline, filter, code, offset).await;
        if let Ok(more) = more {
            column.cards.update(|cards| {
                for card in more {
                    if !cards.iter().any(|c| c.id == card.id) {
                        cards.push(card);
                    }
                }
            });
        }
        column.loading_more.set(false);
    });
}

/// Whether the keyboard is on card `id`.
fn card_has_focus(id: i32) -> bool {
    #[cfg(feature = "hydrate")]
    {
        document()
            .active_element()
            .and_then(|el| el.get_attribute("data-card-id"))
            .is_some_and(|v| v == id.to_string())
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = id;
        false
    }
}

/// Keeps focus on a card that moved to another column (it is drawn anew there).
pub fn focus_card_soon(id: i32) {
    #[cfg(feature = "hydrate")]
    request_animation_frame(move || {
        use wasm_bindgen::JsCast;
        if let Some(el) = document()
            .query_selector(&format!("[data-card-id=\"{id}\"]"))
            .ok()
            .flatten()
            .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = el.focus();
        }
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = id;
}

/// Follows the change feed from `after`: each changed card of the board's pipeline is fetched
/// as the board shows it and put in its place. `EventSource` reconnects by itself and resumes from the last event.
pub fn follow(state: BoardState, after: i64) {
    #[cfg(feature = "hydrate")]
    {
        crate::ui::components::live::subscribe(
            after,
            move |event| {
                if event.pipeline != state.pipeline
                    || state.in_flight.with_value(|f| f.contains(&event.card))
                {
                    return;
                }
                leptos::task::spawn_local(async move {
                    if let Ok(fresh) = fresh_card(state, event.card).await {
                        if state.in_flight.with_value(|f| f.contains(&event.card)) {
                            return;
                        }
                        place(state, event.card, fresh);
                    }
                });
            },
            state.live,
        );
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (state, after);
}
