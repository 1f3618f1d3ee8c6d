//! The application shared by the server and the browser: domain rules, server functions and
//! the interface. The data layer (`server`) is compiled for the server only.
#![recursion_limit = "256"]

pub mod api;
pub mod domain;
pub mod error;
pub mod model;
pub mod paths;
#[cfg(feature = "ssr")]
pub mod server;
pub mod ui;

include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));

pub use ui::app::{App, shell};
