//! Pieces every page uses.
pub mod board;
pub mod board_dialog;
pub mod board_drag;
pub mod board_live;
pub mod clock;
pub mod document_facts;
pub mod error_message;
pub mod hydration;
pub mod lang;
pub mod language_switch;
pub mod live;
pub mod page_title;
pub mod papers;
pub mod thread;
pub mod upload;
pub mod url;
