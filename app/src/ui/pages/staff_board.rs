//! The staff boards (supplier documents, deals, supplier orders): a column per stage, cards
//! moved by pointer drag
//! (mouse, touch, pen), by keyboard, or by the "Move to…" menu, which is a plain form and works
//! before hydration and without JavaScript. Moves show at once and are put back with a message
//! if the server refuses; others' changes arrive live.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::board::pipeline_board;
use crate::domain::board::Pipeline;
use crate::i18n::*;
pub use crate::ui::components::board::board_href;
use crate::ui::components::board::{BoardView, raw_filter};
use crate::ui::components::loaded::Loaded;
use crate::ui::components::page_title::PageTitle;

#[component]
pub fn StaffBoardPage() -> impl IntoView {
    view! { <PipelineBoardPage pipeline=Pipeline::Documents /> }
}

#[component]
pub fn DealsBoardPage() -> impl IntoView {
    view! { <PipelineBoardPage pipeline=Pipeline::Deals /> }
}

#[component]
pub fn OrdersBoardPage() -> impl IntoView {
    view! { <PipelineBoardPage pipeline=Pipeline::Orders /> }
}

#[component]
pub fn PaymentsBoardPage() -> impl IntoView {
    view! { <PipelineBoardPage pipeline=Pipeline::Payments /> }
}

#[component]
fn PipelineBoardPage(pipeline: Pipeline) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let filter = Memo::new(move |_| raw_filter(&query.read()));
    let board = Resource::new(
        move || filter.get(),
        move |filter| pipeline_board(pipeline, filter),
    );
    let title = move || match pipeline {
        Pipeline::Documents => t_string!(i18n, board_title).to_string(),
        Pipeline::Deals => t_string!(i18n, deals_board_title).to_string(),
        Pipeline::Orders => t_string!(i18n, orders_board_title).to_string(),
        Pipeline::Payments => t_string!(i18n, payments_board_title).to_string(),
    };
    view! {
        <PageTitle text=title />
        <div class="page page--board">
            <header class="page__header">
                <h1>{title}</h1>
                {(pipeline == Pipeline::Deals).then(|| view! {
                    <a class="button" href="/staff/deals/new" data-testid="new-deal">{t!(i18n, new_deal)}</a>
                })}
                {(pipeline == Pipeline::Payments).then(|| view! {
                    <div class="form-actions">
                        <a class="button button--secondary" href=crate::paths::PAYMENT_REGISTER_PATH data-testid="payment-register">{t!(i18n, register_title)}</a>
                        <a class="button" href="/staff/payments/new" data-testid="new-payment">{t!(i18n, new_payment_request)}</a>
                    </div>
                })}
            </header>
            <Loaded data=board view=move |board| view! {
                            <BoardView board=board filter=filter.get_untracked() />
                        }.into_any() />
        </div>
    }
}
