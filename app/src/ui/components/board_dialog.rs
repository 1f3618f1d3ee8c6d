//! The short dialog a move opens when its stage needs data: the planned payment date, the
//! payment date, a comment for the supplier, or an order's delivery or closing documents'
//! date. The server checks the same rules again.
use leptos::prelude::*;

use crate::domain::board::Pipeline;
use crate::domain::moves::MoveField;
use crate::i18n::*;
use crate::ui::components::board::{BoardState, MoveData, asks_for};
use crate::ui::components::board_live::perform_move;
use crate::ui::components::lang::use_lang;

#[component]
pub fn MoveDialog() -> impl IntoView {
    let state = expect_context::<BoardState>();
    view! {
        {move || state.dialog.get().map(|pending| view! { <DialogBody pending=pending /> })}
    }
}

#[component]
fn DialogBody(pending: crate::ui::components::board::PendingMove) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang();
    let state = expect_context::<BoardState>();
    let to = pending.to.code.code().to_owned();
    let id = pending.card.id;
    let number = pending.card.number.clone();
    let stage = pending.to.clone();
    let planned = RwSignal::new(String::new());
    let today = crate::ui::components::clock::company_today()
        .format("%Y-%m-%d")
        .to_string();
    let paid = RwSignal::new(today.clone());
    let comment = RwSignal::new(String::new());
    let delivered = RwSignal::new(today.clone());
    let closing = RwSignal::new(today);
    let pipeline = state.pipeline;
    let payment_order = NodeRef::<leptos::html::Input>::new();
    let first_field = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        // Focus the first field when the dialog opens.
        if let Some(box_) = first_field.get()
            && let Ok(Some(input)) = box_.query_selector("input, textarea")
        {
            use wasm_bindgen::JsCast;
            if let Ok(input) = input.dyn_into::<web_sys::HtmlElement>() {
                let _ = input.focus();
            }
        }
    });
    let cancel = move || {
        state.dialog.set(None);
        state
            .announce
            .set(t_string!(i18n, announce_cancelled).to_string());
        crate::ui::components::board_live::focus_card_soon(id);
    };
    let submit_to = to.clone();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let value = |signal: RwSignal<String>, field: MoveField| {
            asks_for(pipeline, &submit_to, field).then(|| signal.get_untracked())
        };
        let data = MoveData {
            planned_payment_date: value(planned, MoveField::PlannedPaymentDate),
            paid_date: value(paid, MoveField::PaidDate),
            comment: value(comment, MoveField::Comment),
            delivered_on: value(delivered, MoveField::DeliveredOn),
            closing_documents_on: value(closing, MoveField::ClosingDocumentsOn),
            payment_order: payment_order
                .get_untracked()
                .and_then(|input| input.files())
                .and_then(|files| files.get(0)),
        };
        state.dialog.set(None);
        perform_move(state, i18n, id, &submit_to, data, lang.get_untracked());
    };
    let title_stage = stage.clone();
    view! {
        <div class="dialog-backdrop" on:click=move |_| cancel()>
            <div
                class="dialog"
                role="dialog"
                aria-modal="true"
                aria-labelledby="move-dialog-title"
                data-testid="move-dialog"
                on:click=|ev| ev.stop_propagation()
                on:keydown=move |ev| {
                    if ev.key() == "Escape" {
                        ev.prevent_default();
                        cancel();
                    }
                }
            >
                <h2 id="move-dialog-title" class="dialog__title">
                    {move || t_string!(
                        i18n,
                        move_dialog_title,
                        number = number.clone(),
                        stage = title_stage.name(lang.get()).to_owned()
                    ).to_string()}
                </h2>
                <form class="form" on:submit=on_submit>
                    <div node_ref=first_field>
                        {asks_for(pipeline, &to, MoveField::PlannedPaymentDate).then(|| view! {
                            <DateField name="planned_payment_date" value=planned>{t!(i18n, planned_payment_date_field)}</DateField>
                        })}
                        {asks_for(pipeline, &to, MoveField::PaidDate).then(|| view! {
                            <DateField name="paid_date" value=paid>{t!(i18n, paid_date_field)}</DateField>
                        })}
                        {(asks_for(pipeline, &to, MoveField::PaidDate) && pipeline == Pipeline::Documents).then(|| view! {
                            <label class="field">
                                <span class="field__label">{t!(i18n, payment_order_optional)}</span>
                                <input
                                    class="input"
                                    type="file"
                                    name="payment_order"
                                    accept="application/pdf,image/*"
                                    node_ref=payment_order
                                    data-testid="payment-order-input"
                                />
                            </label>
                        })}
                        {asks_for(pipeline, &to, MoveField::DeliveredOn).then(|| view! {
                            <DateField name="delivered_on" value=delivered>{t!(i18n, delivered_on_field)}</DateField>
                        })}
                        {asks_for(pipeline, &to, MoveField::ClosingDocumentsOn).then(|| view! {
                            <DateField name="closing_documents_on" value=closing>{t!(i18n, closing_documents_on_field)}</DateField>
                        })}
                        {asks_for(pipeline, &to, MoveField::Comment).then(|| view! {
                            <label class="field">
                                <span class="field__label">{t!(i18n, comment_for_supplier)}</span>
                                <textarea
                                    class="input"
                                    name="comment"
                                    rows="3"
                                    required
                                    prop:value=move || comment.get()
                                    on:input=move |ev| comment.set(event_target_value(&ev))
                                ></textarea>
                            </label>
                        })}
                    </div>
                    <div class="form-actions">
                        <button type="button" class="button button--ghost" on:click=move |_| cancel()>
                            {t!(i18n, cancel)}
                        </button>
                        <button type="submit" class="button" data-testid="move-dialog-submit">
                            {t!(i18n, move_confirm)}
                        </button>
                    </div>
                </form>
            </div>
        </div>
    }
}

/// A required date the dialog asks for, labelled by its children.
#[component]
fn DateField(name: &'static str, value: RwSignal<String>, children: Children) -> impl IntoView {
    view! {
        <label class="field">
            <span class="field__label">{children()}</span>
            <input
                class="input"
                type="date"
                name=name
                required
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
            />
        </label>
    }
}
