//! Pieces every page uses.
pub mod error_message;
pub mod lang;
pub mod language_switch;
