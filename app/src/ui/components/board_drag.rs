//! Moving cards on the board by hand: Pointer Events (mouse, touch, pen; not the HTML5 drag
//! API, which phones handle poorly) and the keyboard. The handlers sit on the board, not on
//! each card, so a board of many cards carries one set of listeners.
//!
//! Mouse: a drag starts once the pointer has moved a few pixels. Touch and pen: at once from
//! the card's handle, or after a long press anywhere on the card, so a finger can still scroll
//! a column. While dragging, the board scrolls sideways and the column up and down near their
//! edges, and the column (or a phone's stage tab) under the pointer shows where the card lands.
//!
//! Keyboard: Space lifts the focused card, arrows choose the stage, Space drops, Escape
//! cancels; every step is announced in the board's live region.
#[cfg(feature = "hydrate")]
use leptos::prelude::*;

use crate::i18n::*;
use crate::ui::components::board::BoardState;

#[derive(Clone, Copy)]
pub struct DragHandlers {
    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    state: BoardState,
    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    i18n: leptos_i18n::I18nContext<Locale>,
    #[cfg(feature = "hydrate")]
    session: StoredValue<Option<browser::Session>, LocalStorage>,
    #[cfg(feature = "hydrate")]
    suppress_click: StoredValue<bool>,
}

impl DragHandlers {
    pub fn new(state: BoardState) -> DragHandlers {
        DragHandlers {
            state,
            i18n: use_i18n(),
            #[cfg(feature = "hydrate")]
            session: StoredValue::new_local(None),
            #[cfg(feature = "hydrate")]
            suppress_click: StoredValue::new(false),
        }
    }
}

#[cfg(not(feature = "hydrate"))]
impl DragHandlers {
    pub fn pointer_down(&self, _ev: leptos::ev::PointerEvent) {}
    pub fn pointer_move(&self, _ev: leptos::ev::PointerEvent) {}
    pub fn pointer_up(&self, _ev: leptos::ev::PointerEvent) {}
    pub fn pointer_cancel(&self, _ev: leptos::ev::PointerEvent) {}
    pub fn touch_move(&self, _ev: leptos::ev::TouchEvent) {}
    pub fn click(&self, _ev: leptos::ev::MouseEvent) {}
    pub fn key_down(&self, _ev: leptos::ev::KeyboardEvent) {}
}

#[cfg(feature = "hydrate")]
mod browser {
    use super::*;
    use crate::domain::board::neighbour_stage;
    use crate::ui::components::board::{Carried, request_move};
    use crate::ui::components::lang::lang_of;
    use wasm_bindgen::JsCast;

    /// Pixels a mouse moves before a press becomes a drag; a finger that moves this far
    /// before its long press is scrolling.
    const MOUSE_SLOP: f64 = 5.0;
    const TOUCH_SLOP: f64 = 10.0;
    const LONG_PRESS_MS: u64 = 450;
    /// How near an edge the pointer must be to scroll, and by how much per move.
    const EDGE: f64 = 48.0;
    const SCROLL_STEP: f64 = 24.0;

    pub struct Session {
        pointer_id: i32,
        card: i32,
        from: String,
        element: web_sys::HtmlElement,
        start: (f64, f64),
        /// The drag may start (a mouse press, a handle, or a long press that fired).
        armed: bool,
        started: bool,
        long_press: Option<TimeoutHandle>,
    }

    fn element_of(target: Option<web_sys::EventTarget>) -> Option<web_sys::Element> {
        target.and_then(|t| t.dyn_into::<web_sys::Element>().ok())
    }

    fn closest(el: &web_sys::Element, selector: &str) -> Option<web_sys::Element> {
        el.closest(selector).ok().flatten()
    }

    impl DragHandlers {
        pub fn pointer_down(&self, ev: leptos::ev::PointerEvent) {
            let mouse = ev.pointer_type() == "mouse";
            if mouse && ev.button() != 0 {
                return;
            }
            let Some(target) = element_of(ev.target()) else {
                return;
            };
            let on_handle = closest(&target, ".kcard__handle").is_some();
            if !on_handle
                && closest(&target, ".move-menu, a, button, input, select, textarea").is_some()
            {
                return;
            }
            let Some(card_el) = closest(&target, "[data-card-id]") else {
                return;
            };
            let (Some(card), Some(from)) = (
                card_el
                    .get_attribute("data-card-id")
                    .and_then(|v| v.parse::<i32>().ok()),
                card_el.get_attribute("data-stage"),
            ) else {
                return;
            };
            let Ok(element) = card_el.dyn_into::<web_sys::HtmlElement>() else {
                return;
            };
            self.end_visuals();
            let armed = mouse || on_handle;
            let long_press = if armed {
                None
            } else {
                let this = *self;
                let pointer_id = ev.pointer_id();
                set_timeout_with_handle(
                    move || this.long_press_fired(pointer_id),
                    std::time::Duration::from_millis(LONG_PRESS_MS),
                )
                .ok()
            };
            self.session.set_value(Some(Session {
                pointer_id: ev.pointer_id(),
                card,
                from,
                element,
                start: (f64::from(ev.client_x()), f64::from(ev.client_y())),
                armed,
                started: false,
                long_press,
            }));
            if on_handle && !mouse {
                self.begin(&ev);
            }
        }

        fn long_press_fired(&self, pointer_id: i32) {
            let fired = self.session.try_update_value(|session| match session {
                Some(s) if s.pointer_id == pointer_id && !s.started => {
                    s.armed = true;
                    s.long_press = None;
                    true
                }
                _ => false,
            });
            if fired == Some(true) {
                self.start_drag();
            }
        }

        /// Shows the card lifted and the stage it is over.
        fn start_drag(&self) {
            let started = self.session.try_update_value(|session| {
                let s = session.as_mut()?;
                if s.started {
                    return None;
                }
                s.started = true;
                let _ = s.element.set_pointer_capture(s.pointer_id);
                let _ = s.element.class_list().add_1("kcard--dragging");
                Some((s.card, s.from.clone()))
            });
            if let Some(Some((card, from))) = started {
                self.state.carried.set(Some(Carried {
                    card,
                    over: from.clone(),
                    from,
                    keyboard: false,
                }));
            }
        }

        fn begin(&self, _ev: &leptos::ev::PointerEvent) {
            self.start_drag();
        }

        pub fn pointer_move(&self, ev: leptos::ev::PointerEvent) {
            let (x, y) = (f64::from(ev.client_x()), f64::from(ev.client_y()));
            let step = self.session.try_update_value(|session| {
                let s = session.as_mut()?;
                if s.pointer_id != ev.pointer_id() {
                    return None;
                }
                let distance = ((x - s.start.0).powi(2) + (y - s.start.1).powi(2)).sqrt();
                if !s.started {
                    if s.armed && distance > MOUSE_SLOP {
                        return Some(Step::Start);
                    }
                    if !s.armed && distance > TOUCH_SLOP {
                        // The finger is scrolling, not pressing.
                        if let Some(timer) = s.long_press.take() {
                            timer.clear();
                        }
                        return Some(Step::Abandon);
                    }
                    return None;
                }
                Some(Step::Drag(x - s.start.0, y - s.start.1))
            });
            match step.flatten() {
                Some(Step::Start) => {
                    self.start_drag();
                    ev.prevent_default();
                }
                Some(Step::Abandon) => self.session.set_value(None),
                Some(Step::Drag(dx, dy)) => {
                    ev.prevent_default();
                    self.session.with_value(|s| {
                        if let Some(s) = s {
                            let _ = s.element.style().set_property(
                                "transform",
                                &format!("translate({dx}px, {dy}px) rotate(1.5deg)"),
                            );
                        }
                    });
                    self.track(x, y);
                }
                None => {}
            }
        }

        /// The stage under the pointer (skipping the dragged card itself), and scrolling near
        /// the edges.
        fn track(&self, x: f64, y: f64) {
            let dragged = self
                .session
                .with_value(|s| s.as_ref().map(|s| s.element.clone()));
            let Some(dragged) = dragged else {
                return;
            };
            let under = document()
                .elements_from_point(x as f32, y as f32)
                .iter()
                .filter_map(|node| node.dyn_into::<web_sys::Element>().ok())
                .find(|el| !dragged.contains(Some(el.as_ref())));
            let Some(under) = under else {
                return;
            };
            if let Some(stage) = closest(&under, "[data-drop-stage]")
                .and_then(|el| el.get_attribute("data-drop-stage"))
            {
                let changed = self
                    .state
                    .carried
                    .with_untracked(|c| c.as_ref().is_some_and(|c| c.over != stage));
                if changed {
                    self.state.carried.update(|c| {
                        if let Some(c) = c {
                            c.over = stage;
                        }
                    });
                }
            }
            if let Some(board) = document().query_selector(".board").ok().flatten() {
                let rect = board.get_bounding_client_rect();
                if x < rect.left() + EDGE {
                    board.scroll_by_with_x_and_y(-SCROLL_STEP, 0.0);
                } else if x > rect.right() - EDGE {
                    board.scroll_by_with_x_and_y(SCROLL_STEP, 0.0);
                }
            }
            if let Some(list) = closest(&under, ".board-column__cards") {
                let rect = list.get_bounding_client_rect();
                if y < rect.top() + EDGE {
                    list.scroll_by_with_x_and_y(0.0, -SCROLL_STEP);
                } else if y > rect.bottom() - EDGE {
                    list.scroll_by_with_x_and_y(0.0, SCROLL_STEP);
                }
            }
        }

        fn end_visuals(&self) -> Option<(i32, bool)> {
            let ended = self.session.try_update_value(|session| {
                let s = session.take()?;
                if let Some(timer) = s.long_press {
                    timer.clear();
                }
                let _ = s.element.class_list().remove_1("kcard--dragging");
                let _ = s.element.style().remove_property("transform");
                let _ = s.element.release_pointer_capture(s.pointer_id);
                Some((s.card, s.started))
            });
            ended.flatten()
        }

        pub fn pointer_up(&self, ev: leptos::ev::PointerEvent) {
            let mine = self
                .session
                .with_value(|s| s.as_ref().is_some_and(|s| s.pointer_id == ev.pointer_id()));
            if !mine {
                return;
            }
            let carried = self.state.carried.get_untracked();
            let Some((card, started)) = self.end_visuals() else {
                return;
            };
            if !started {
                return;
            }
            self.suppress_click.set_value(true);
            // The click a drag ends with (if any) comes in this same turn; the next click is the
            // user's own (a drop between elements makes no click at all).
            let suppress = self.suppress_click;
            set_timeout(move || suppress.set_value(false), std::time::Duration::ZERO);
            self.state.carried.set(None);
            if let Some(carried) = carried.filter(|c| c.card == card && c.over != c.from) {
                let lang = lang_of(self.i18n.get_locale_untracked());
                request_move(self.state, self.i18n, card, &carried.over, lang);
            }
        }

        pub fn pointer_cancel(&self, ev: leptos::ev::PointerEvent) {
            let mine = self
                .session
                .with_value(|s| s.as_ref().is_some_and(|s| s.pointer_id == ev.pointer_id()));
            if mine
                && let Some((_, started)) = self.end_visuals()
                && started
            {
                self.state.carried.set(None);
            }
        }

        /// A finger dragging a card must not scroll the page.
        pub fn touch_move(&self, ev: leptos::ev::TouchEvent) {
            let dragging = self
                .session
                .with_value(|s| s.as_ref().is_some_and(|s| s.started));
            if dragging && ev.cancelable() {
                ev.prevent_default();
            }
        }

        /// The click that ends a drag must not open the card.
        pub fn click(&self, ev: leptos::ev::MouseEvent) {
            if self.suppress_click.get_value() {
                self.suppress_click.set_value(false);
                ev.prevent_default();
                ev.stop_propagation();
            }
        }

        pub fn key_down(&self, ev: leptos::ev::KeyboardEvent) {
            let Some(target) = element_of(ev.target()) else {
                return;
            };
            // Keys typed into the card's menu or links keep their usual meaning.
            let Some(card) = target
                .get_attribute("data-card-id")
                .and_then(|v| v.parse::<i32>().ok())
            else {
                return;
            };
            let Some(stage) = target.get_attribute("data-stage") else {
                return;
            };
            let i18n = self.i18n;
            let lang = lang_of(i18n.get_locale_untracked());
            let carried = self
                .state
                .carried
                .get_untracked()
                .filter(|c| c.keyboard && c.card == card);
            let number = target
                .query_selector(".kcard__number")
                .ok()
                .flatten()
                .and_then(|n| n.text_content())
                .unwrap_or_default();
            match (ev.key().as_str(), carried) {
                (" " | "Spacebar", None) => {
                    ev.prevent_default();
                    self.state.carried.set(Some(Carried {
                        card,
                        from: stage.clone(),
                        over: stage.clone(),
                        keyboard: true,
                    }));
                    let name = self.state.stage_name(&stage, lang);
                    self.state.announce.set(
                        t_string!(i18n, announce_lifted, number = number, stage = name).to_string(),
                    );
                }
                (" " | "Spacebar" | "Enter", Some(carried)) => {
                    ev.prevent_default();
                    self.state.carried.set(None);
                    if carried.over == carried.from {
                        self.state
                            .announce
                            .set(t_string!(i18n, announce_cancelled).to_string());
                    } else {
                        request_move(self.state, i18n, card, &carried.over, lang);
                    }
                }
                ("ArrowRight" | "ArrowLeft" | "ArrowDown" | "ArrowUp", Some(carried)) => {
                    ev.prevent_default();
                    let step = if matches!(ev.key().as_str(), "ArrowRight" | "ArrowDown") {
                        1
                    } else {
                        -1
                    };
                    if let Some(next) = neighbour_stage(&self.state.order(), &carried.over, step) {
                        let name = self.state.stage_name(&next, lang);
                        self.state.carried.update(|c| {
                            if let Some(c) = c {
                                c.over = next.clone();
                            }
                        });
                        self.state
                            .announce
                            .set(t_string!(i18n, announce_target, stage = name).to_string());
                        if let Some(column) = document()
                            .query_selector(&format!(".board-column[data-drop-stage=\"{next}\"]"))
                            .ok()
                            .flatten()
                        {
                            column.scroll_into_view_with_bool(false);
                        }
                    }
                }
                ("Escape", Some(_)) => {
                    ev.prevent_default();
                    self.state.carried.set(None);
                    self.state
                        .announce
                        .set(t_string!(i18n, announce_cancelled).to_string());
                }
                _ => {}
            }
        }
    }

    enum Step {
        Start,
        Abandon,
        Drag(f64, f64),
    }
}
