//! Pieces every page uses.
pub mod error_message;
pub mod language_switch;
pub mod lang;
