//! Pieces every page uses.
pub mod error_message;
pub mod hydration;
pub mod lang;
pub mod language_switch;
pub mod page_title;
pub mod upload;
pub mod url;
