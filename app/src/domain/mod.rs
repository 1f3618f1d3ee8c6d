//! Business rules as pure functions: no Leptos, no SeaORM, no I/O. Compiled into both the server
//! and the browser bundle, and unit-tested with tables.
pub mod access;
pub mod accounts;
pub mod approvals;
pub mod board;
pub mod clock;
pub mod counterparty;
pub mod deadlines;
pub mod deals;
pub mod documents;
pub mod files;
pub mod form;
pub mod format;
pub mod lang;
pub mod money;
pub mod moves;
pub mod numbering;
pub mod origin;
pub mod payments;
pub mod pipeline;
pub mod requisites;
pub mod session;
pub mod stage;
pub mod stage_rules;
pub mod tasks;
pub mod throttle;
pub mod upload;
