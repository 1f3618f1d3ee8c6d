//! Server functions, grouped by area, with the types they exchange with the browser. Each is thin:
//! authenticate, authorize with `Ctx`, apply the domain rule, call the repository.
pub mod accounts;
pub mod auth;
pub mod board;
pub mod counterparties;
pub mod deals;
pub mod documents;
pub mod home;
pub mod live;
pub mod messages;
pub mod moves;
pub mod notifications;
pub mod papers;
pub mod search;
pub mod staff_documents;
pub mod stage_rules;
pub mod tasks;
