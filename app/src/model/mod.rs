//! The types the server functions exchange with the browser: below both the server functions
//! (`api`) and the data layer (`server`), which build and return them. Plain data with serde,
//! no Leptos and no database.
pub mod accounts;
pub mod auth;
pub mod board;
pub mod counterparties;
pub mod deals;
pub mod documents;
pub mod home;
pub mod ledger_import;
pub mod live;
pub mod messages;
pub mod moves;
pub mod notifications;
pub mod org;
pub mod papers;
pub mod payments;
pub mod search;
pub mod settlements;
pub mod staff_documents;
pub mod stage_rules;
pub mod tasks;
