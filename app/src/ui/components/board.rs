//! The staff board as one component for every pipeline (supplier documents, deals, supplier
//! orders): a column per stage, cards moved by pointer drag (mouse, touch, pen), by keyboard, or
//! by the "Move to…" menu, which is a plain form and works before hydration and without
//! JavaScript. Moves show at once and are put back with a message if the server refuses;
//! others' changes arrive live. The board pages (`ui/pages/staff_board.rs`) load it.
use std::collections::HashSet;

use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

use crate::api::board::{Board, BoardCard};
use crate::api::home::StageName;
use crate::domain::board::{Pipeline, RawBoardFilter, time_in_stage};
use crate::domain::format::format_date;
use crate::domain::lang::Lang;
use crate::domain::money::Money;
use crate::domain::moves::MoveField;
use crate::i18n::*;
use crate::ui::components::hydration::mark_hydrated;
use crate::ui::components::lang::use_lang;
use crate::ui::components::url::query_string;

/// The board's filter as the address has it.
pub fn raw_filter(query: &leptos_router::params::ParamsMap) -> RawBoardFilter {
    RawBoardFilter {
        counterparty: query.get("counterparty"),
        responsible: query.get("responsible"),
        mine: query.get("mine"),
        from: query.get("from"),
        to: query.get("to"),
        min: query.get("min"),
        max: query.get("max"),
        text: query.get("text"),
    }
}

/// The board's address with `filter` and, on a phone, the stage shown.
pub fn board_href(pipeline: Pipeline, filter: &RawBoardFilter, stage: Option<&str>) -> String {
    let mut pairs = filter.pairs();
    pairs.push(("stage", stage.map(str::to_owned)));
    format!("{}{}", pipeline.board_path(), query_string(&pairs))
}

/// One column's live state.
#[derive(Clone, Copy)]
pub struct Column {
    pub code: StoredValue<String>,
    pub stage: StoredValue<StageName>,
    pub count: RwSignal<u64>,
    pub total: RwSignal<Money>,
    pub cards: RwSignal<Vec<BoardCard>>,
    pub loading_more: RwSignal<bool>,
}

/// A card picked up with the keyboard, or dragged: where it came from and the stage it is over.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Carried {
    pub card: i32,
    pub from: String,
    pub over: String,
    pub keyboard: bool,
}

/// A move waiting for the dialog's fields.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PendingMove {
    pub card: BoardCard,
    pub to: StageName,
}

/// What a move carries besides the stage.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MoveData {
    pub planned_payment_date: Option<String>,
    pub paid_date: Option<String>,
    pub comment: Option<String>,
    pub delivered_on: Option<String>,
    pub closing_documents_on: Option<String>,
    /// The payment order of a paid document, attached once the move is made.
    pub payment_order: Option<web_sys::File>,
}

/// Everything the board's parts share; every field is a cheap handle.
#[derive(Clone, Copy)]
pub struct BoardState {
    pub pipeline: Pipeline,
    pub columns: StoredValue<Vec<Column>>,
    pub carried: RwSignal<Option<Carried>>,
    pub dialog: RwSignal<Option<PendingMove>>,
    pub announce: RwSignal<String>,
    pub notice: RwSignal<Option<String>>,
    /// Cards whose move is on its way to the server: live updates leave them alone.
    pub in_flight: StoredValue<HashSet<i32>>,
    pub filter: StoredValue<RawBoardFilter>,
    pub live: RwSignal<bool>,
}

impl BoardState {
    pub fn column(&self, code: &str) -> Option<Column> {
        self.columns.with_value(|all| {
            all.iter()
                .find(|c| c.code.with_value(|v| v == code))
                .copied()
        })
    }

    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    pub fn order(&self) -> Vec<String> {
        self.columns
            .with_value(|all| all.iter().map(|c| c.code.get_value()).collect())
    }

    pub fn stage_name(&self, code: &str, lang: Lang) -> String {
        self.column(code)
            .map(|c| c.stage.with_value(|s| s.name(lang).to_owned()))
            .unwrap_or_else(|| code.to_owned())
    }

    pub fn find(&self, id: i32) -> Option<(Column, usize, BoardCard)> {
        self.columns.with_value(|all| {
            all.iter().find_map(|column| {
                column.cards.with_untracked(|cards| {
                    cards
                        .iter()
                        .position(|c| c.id == id)
                        .map(|at| (*column, at, cards[at].clone()))
                })
            })
        })
    }

    /// Takes the card off the board, its column's count and sum with it.
    pub fn take(&self, id: i32) -> Option<(Column, usize, BoardCard)> {
        let (column, at, card) = self.find(id)?;
        column.cards.update(|cards| {
            cards.remove(at);
        });
        column.count.update(|n| *n = n.saturating_sub(1));
        column.total.update(|t| *t = *t - card.amount);
        Some((column, at, card))
    }

    pub fn put(&self, column: Column, at: usize, card: BoardCard) {
        let amount = card.amount;
        column.cards.update(|cards| {
            let at = at.min(cards.len());
            cards.insert(at, card);
        });
        column.count.update(|n| *n += 1);
        column.total.update(|t| *t = *t + amount);
    }
}

#[component]
pub fn BoardView(board: Board, filter: RawBoardFilter) -> impl IntoView {
    mark_hydrated();
    let i18n = use_i18n();
    let lang = use_lang();
    let query = use_query_map();
    let Board {
        pipeline,
        columns,
        counterparties,
        staff,
        last_change,
    } = board;
    let columns: Vec<Column> = columns
        .into_iter()
        .map(|c| Column {
            code: StoredValue::new(c.stage.code.code().to_owned()),
            stage: StoredValue::new(c.stage),
            count: RwSignal::new(c.count),
            total: RwSignal::new(c.total),
            cards: RwSignal::new(c.cards),
            loading_more: RwSignal::new(false),
        })
        .collect();
    let first = columns
        .first()
        .map(|c| c.code.get_value())
        .unwrap_or_default();
    let state = BoardState {
        pipeline,
        columns: StoredValue::new(columns.clone()),
        carried: RwSignal::new(None),
        dialog: RwSignal::new(None),
        announce: RwSignal::new(String::new()),
        notice: RwSignal::new(None),
        in_flight: StoredValue::new(HashSet::new()),
        filter: StoredValue::new(filter.clone()),
        live: RwSignal::new(false),
    };
    provide_context(state);
    // The stage a phone shows; every stage on a wider screen.
    let active = Memo::new(move |_| query.read().get("stage").unwrap_or_else(|| first.clone()));
    let drag = crate::ui::components::board_drag::DragHandlers::new(state);
    // Every board follows the one change feed for its own pipeline's cards.
    crate::ui::components::board_live::follow(state, last_change);
    let was_live = RwSignal::new(false);
    Effect::new(move |_| {
        if state.live.get() {
            was_live.set(true);
        }
    });

    view! {
        <BoardFilterForm pipeline=pipeline filter=filter.clone() counterparties=counterparties staff=staff />
        <div class="board-status">
            // Nothing before the first connection (and without JavaScript): only a stream that
            // was up and dropped is worth a word.
            <Show when=move || was_live.get()>
                <span
                    class="live-dot"
                    class:live-dot--on=move || state.live.get()
                    data-testid="live-status"
                    data-live=move || state.live.get().to_string()
                >
                    {move || if state.live.get() {
                        t_string!(i18n, live_status_on).to_string()
                    } else {
                        t_string!(i18n, live_status_off).to_string()
                    }}
                </span>
            </Show>
        </div>
        {move || state.notice.get().map(|text| view! {
            <div class="alert alert--error board-notice" role="alert" data-testid="board-notice">
                <span>{text}</span>
                <button type="button" class="link-button" on:click=move |_| state.notice.set(None)>
                    {t!(i18n, close)}
                </button>
            </div>
        })}
        <nav class="board-tabs" aria-label=move || t_string!(i18n, stage).to_string()>
            {columns
                .iter()
                .map(|column| {
                    let column = *column;
                    let code = column.code.get_value();
                    let href = board_href(pipeline, &filter, Some(&code));
                    let tab_code = code.clone();
                    let over_code = code.clone();
                    view! {
                        <a
                            href=href
                            class="board-tab"
                            class:board-tab--active=move || active.get() == tab_code
                            class:board-tab--over=move || {
                                state.carried.with(|c| c.as_ref().is_some_and(|c| c.over == over_code && c.from != over_code))
                            }
                            data-drop-stage=code.clone()
                            data-testid="board-tab"
                        >
                            <span class=column.stage.with_value(|s| s.dot_class()) aria-hidden="true"></span>
                            <span class="board-tab__name">
                                {move || column.stage.with_value(|s| s.name(lang.get()).to_owned())}
                            </span>
                            <span class="board-tab__count">{move || column.count.get()}</span>
                        </a>
                    }
                })
                .collect_view()}
        </nav>
        <div
            class="board"
            data-testid="board"
            on:pointerdown=move |ev| drag.pointer_down(ev)
            on:pointermove=move |ev| drag.pointer_move(ev)
            on:pointerup=move |ev| drag.pointer_up(ev)
            on:pointercancel=move |ev| drag.pointer_cancel(ev)
            on:touchmove=move |ev| drag.touch_move(ev)
            on:click=move |ev| drag.click(ev)
            on:keydown=move |ev| drag.key_down(ev)
        >
            {columns
                .into_iter()
                .map(|column| {
                    let code = column.code.get_value();
                    let active_code = code.clone();
                    view! {
                        <BoardColumnView
                            column=column
                            active=Signal::derive(move || active.get() == active_code)
                        />
                    }
                })
                .collect_view()}
        </div>
        <div class="visually-hidden" role="status" aria-live="assertive" data-testid="board-announcer">
            {move || state.announce.get()}
        </div>
        <crate::ui::components::board_dialog::MoveDialog />
    }
}

#[component]
fn BoardFilterForm(
    pipeline: Pipeline,
    filter: RawBoardFilter,
    counterparties: Vec<crate::api::board::Choice>,
    staff: Vec<crate::api::board::Choice>,
) -> impl IntoView {
    let i18n = use_i18n();
    let selected_counterparty = filter.counterparty.clone().unwrap_or_default();
    let selected_responsible = filter.responsible.clone().unwrap_or_default();
    let mine = filter.mine.as_deref().is_some_and(|m| !m.is_empty());
    let open = !filter.is_empty();
    view! {
        <details class="card filters-card board-filters" open=open>
            <summary class="board-filters__summary">{t!(i18n, board_filters)}</summary>
            <Form method="GET" action=pipeline.board_path() attr:class="filters" attr:data-testid="board-filter">
                {(!counterparties.is_empty()).then(|| view! {
                    <label class="field">
                        <span class="field__label">{t!(i18n, filter_counterparty)}</span>
                        <select class="input" name="counterparty">
                            <option value="">{t!(i18n, any_counterparty)}</option>
                            {counterparties
                                .into_iter()
                                .map(|c| {
                                    let id = c.id.to_string();
                                    let is_selected = id == selected_counterparty;
                                    view! { <option value=id selected=is_selected>{c.name}</option> }
                                })
                                .collect_view()}
                        </select>
                    </label>
                })}
                <label class="field">
                    <span class="field__label">{t!(i18n, filter_responsible)}</span>
                    <select class="input" name="responsible">
                        <option value="">{t!(i18n, anyone)}</option>
                        {staff
                            .into_iter()
                            .map(|c| {
                                let id = c.id.to_string();
                                let is_selected = id == selected_responsible;
                                view! { <option value=id selected=is_selected>{c.name}</option> }
                            })
                            .collect_view()}
                    </select>
                </label>
                <label class="field field--check">
                    <input type="checkbox" name="mine" value="1" checked=mine />
                    <span>{t!(i18n, filter_mine)}</span>
                </label>
                <label class="field">
                    <span class="field__label">{t!(i18n, period_from)}</span>
                    <input class="input" type="date" name="from" value=filter.from.clone() />
                </label>
                <label class="field">
                    <span class="field__label">{t!(i18n, period_to)}</span>
                    <input class="input" type="date" name="to" value=filter.to.clone() />
                </label>
                <label class="field">
                    <span class="field__label">{t!(i18n, amount_from)}</span>
                    <input class="input" type="text" inputmode="decimal" name="min" value=filter.min.clone() />
                </label>
                <label class="field">
                    <span class="field__label">{t!(i18n, amount_to)}</span>
                    <input class="input" type="text" inputmode="decimal" name="max" value=filter.max.clone() />
                </label>
                <label class="field filters__search">
                    <span class="field__label">{t!(i18n, search_number_counterparty)}</span>
                    <input class="input" type="search" name="text" value=filter.text.clone() />
                </label>
                <div class="filters__actions">
                    <button type="submit" class="button">{t!(i18n, apply_filter)}</button>
                    <a class="button button--ghost" href=pipeline.board_path()>{t!(i18n, reset_filter)}</a>
                </div>
            </Form>
        </details>
    }
}

#[component]
fn BoardColumnView(column: Column, active: Signal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang();
    let state = expect_context::<BoardState>();
    let code = column.code.get_value();
    let over_code = code.clone();
    let placeholder_code = code.clone();
    let title_id = format!("column-{code}");
    let heading_id = title_id.clone();
    let load_more = move |_| crate::ui::components::board_live::load_more(state, column);
    view! {
        <section
            class="board-column"
            class:board-column--active=move || active.get()
            class:board-column--over=move || {
                state.carried.with(|c| c.as_ref().is_some_and(|c| c.over == over_code && c.from != over_code))
            }
            data-drop-stage=code.clone()
            data-testid="board-column"
            aria-labelledby=title_id.clone()
        >
            <header class="board-column__header">
                <h2 id=heading_id class="board-column__title">
                    <span class=column.stage.with_value(|s| s.dot_class()) aria-hidden="true"></span>
                    {move || column.stage.with_value(|s| s.name(lang.get()).to_owned())}
                </h2>
                <div class="board-column__stats">
                    <span data-testid="column-count">{move || t_string!(i18n, cards_count, count = column.count.get()).to_string()}</span>
                    <span class="money" data-testid="column-total">{move || column.total.get().format(lang.get())}</span>
                </div>
            </header>
            <div class="board-column__cards">
                <Show when=move || {
                    state.carried.with(|c| c.as_ref().is_some_and(|c| c.over == placeholder_code && c.from != placeholder_code))
                }>
                    <div class="kcard-placeholder" data-testid="drop-placeholder" aria-hidden="true"></div>
                </Show>
                <For
                    each=move || column.cards.get()
                    key=|card| (card.id, card.version, card.stage)
                    children=move |card| view! { <BoardCardView card=card /> }
                />
                <Show when=move || column.cards.with(|c| c.is_empty())>
                    <p class="muted small board-column__empty">{t!(i18n, column_empty)}</p>
                </Show>
                <Show when=move || (column.cards.with(|c| c.len()) as u64) < column.count.get()>
                    <button
                        type="button"
                        class="button button--ghost button--block"
                        disabled=move || column.loading_more.get()
                        on:click=load_more
                        data-testid="show-more"
                    >
                        {t!(i18n, show_more)}
                    </button>
                </Show>
            </div>
        </section>
    }
}

#[component]
fn BoardCardView(card: BoardCard) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang();
    let state = expect_context::<BoardState>();
    let id = card.id;
    let href = state.pipeline.card_path(id);
    let number = card.number.clone();
    let label_number = number.clone();
    let label_counterparty = card.counterparty_name.clone();
    let amount = card.amount;
    let entered = card.stage_entered_at;
    let planned = card.planned_payment_date;
    let lifted = move || {
        state
            .carried
            .with(|c| c.as_ref().is_some_and(|c| c.card == id && c.keyboard))
    };
    let handle_number = number.clone();
    view! {
        <article
            class="kcard"
            class:kcard--lifted=lifted
            class:kcard--overdue=card.overdue
            tabindex="0"
            data-card-id=id.to_string()
            data-stage=card.stage
            data-version=card.version.to_string()
            data-testid="board-card"
            aria-label=move || {
                t_string!(
                    i18n,
                    card_label,
                    number = label_number.clone(),
                    counterparty = label_counterparty.clone(),
                    amount = amount.format(lang.get())
                )
                .to_string()
            }
        >
            <div class="kcard__top">
                <a class="kcard__number" href=href.clone() data-testid="card-number">{number.clone()}</a>
                <button
                    type="button"
                    class="kcard__handle"
                    tabindex="-1"
                    aria-label=move || t_string!(i18n, drag_handle, number = handle_number.clone()).to_string()
                    data-testid="drag-handle"
                >
                    <span aria-hidden="true">"⠿"</span>
                </button>
            </div>
            {card.title.clone().map(|title| view! { <div class="kcard__title" data-testid="card-title">{title}</div> })}
            <div class="kcard__counterparty">{card.counterparty_name.clone()}</div>
            <div class="kcard__amount money">{move || amount.format(lang.get())}</div>
            <div class="kcard__meta muted small">
                <span data-testid="card-age">
                    {move || t_string!(i18n, in_stage_for, time = time_in_stage(entered, chrono::Utc::now(), lang.get())).to_string()}
                </span>
                {planned.map(|date| view! {
                    <span data-testid="card-planned">
                        {move || t_string!(i18n, planned_short, date = format_date(date, lang.get())).to_string()}
                    </span>
                })}
                {card.responsible_initials.clone().map(|initials| view! {
                    <span
                        class="kcard__person"
                        title=card.responsible_name.clone().unwrap_or_default()
                        data-testid="card-responsible"
                    >
                        {initials}
                    </span>
                })}
            </div>
            <div class="kcard__badges">
                {card.returned.then(|| view! { <span class="badge badge--warning">{t!(i18n, badge_returned)}</span> })}
                {card.overdue.then(|| view! { <span class="badge badge--danger" data-testid="badge-overdue">{t!(i18n, badge_overdue)}</span> })}
                {card.possible_duplicate.then(|| view! { <span class="badge badge--warning">{t!(i18n, badge_duplicate)}</span> })}
            </div>
            <MoveMenu card=card.clone() />
        </article>
    }
}

/// "Move to…": a plain form with a button per stage. Without JavaScript it posts to the move
/// server function, which answers with a redirect back to the board (or to the card page when
/// the stage needs data); with it, a click moves the card on the board at once.
#[component]
fn MoveMenu(card: BoardCard) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang();
    let state = expect_context::<BoardState>();
    let query = use_query_map();
    let pipeline = state.pipeline;
    let return_to = move || {
        board_href(
            pipeline,
            &raw_filter(&query.read()),
            query.read().get("stage").as_deref(),
        )
    };
    let id = card.id;
    let from = card.stage.code();
    let targets: Vec<(String, StoredValue<StageName>)> = state.columns.with_value(|all| {
        all.iter()
            .filter(|c| {
                c.code
                    .with_value(|code| *code != from && pipeline.staff_can_enter(code))
            })
            .map(|c| (c.code.get_value(), c.stage))
            .collect()
    });
    view! {
        <details class="move-menu">
            <summary class="move-menu__summary" data-testid="move-menu">{t!(i18n, move_to)}</summary>
            <form method="post" action=pipeline.move_endpoint() class="move-menu__form">
                <input type="hidden" name="id" value=id.to_string() />
                <input type="hidden" name="version" value=card.version.to_string() />
                <input type="hidden" name="return_to" value=return_to />
                {targets
                    .into_iter()
                    .map(|(code, stage)| {
                        let to = code.clone();
                        view! {
                            <button
                                type="submit"
                                name="to"
                                value=code.clone()
                                class="move-menu__item"
                                data-testid=format!("move-to-{code}")
                                on:click=move |ev| {
                                    ev.prevent_default();
                                    close_menu(&ev);
                                    request_move(state, i18n, id, &to, lang.get_untracked());
                                }
                            >
                                <span class=stage.with_value(|s| s.dot_class()) aria-hidden="true"></span>
                                {move || stage.with_value(|s| s.name(lang.get()).to_owned())}
                            </button>
                        }
                    })
                    .collect_view()}
            </form>
        </details>
    }
}

/// Closes the `<details>` menu the clicked item is in.
fn close_menu(ev: &leptos::ev::MouseEvent) {
    use wasm_bindgen::JsCast;
    if let Some(details) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|el| el.closest("details").ok().flatten())
    {
        let _ = details.remove_attribute("open");
    }
}

/// A move asked for by drag, keyboard or menu: refused at once when the stage cannot be
/// entered by staff, a dialog when it needs data, else made.
pub fn request_move(
    state: BoardState,
    i18n: leptos_i18n::I18nContext<Locale>,
    id: i32,
    to: &str,
    lang: Lang,
) {
    let Some((_, _, card)) = state.find(id) else {
        return;
    };
    if card.stage.code() == to {
        state
            .announce
            .set(t_string!(i18n, announce_cancelled).to_string());
        return;
    }
    if !state.pipeline.staff_can_enter(to) {
        let text = t_string!(i18n, move_refused_uploaded).to_string();
        state.announce.set(text.clone());
        state.notice.set(Some(text));
        return;
    }
    if state.pipeline.fields_on_entry(to).is_empty() {
        crate::ui::components::board_live::perform_move(
            state,
            i18n,
            id,
            to,
            MoveData::default(),
            lang,
        );
    } else if let Some(column) = state.column(to) {
        state.dialog.set(Some(PendingMove {
            card,
            to: column.stage.get_value(),
        }));
    }
}

/// Whether the dialog asks for `field` when entering `to`.
pub fn asks_for(pipeline: Pipeline, to: &str, field: MoveField) -> bool {
    pipeline.fields_on_entry(to).contains(&field)
}
