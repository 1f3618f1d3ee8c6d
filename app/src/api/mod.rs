//! Server functions, grouped by area, with the types they exchange with the browser. Each is thin:
//! authenticate, authorize with `Ctx`, apply the domain rule, call the repository.
pub mod accounts;
pub mod auth;
pub mod counterparties;
pub mod documents;
pub mod home;
pub mod moves;
