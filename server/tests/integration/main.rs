#![recursion_limit = "256"]
//! The integration tests, one binary: each module is an area of the app, tested through its
//! HTTP routes and server functions on SQLite and PostgreSQL (`on_both_databases!`). One binary
//! links the app once instead of once per area.
#[macro_use]
mod common;

mod abuse;
mod accounts;
mod auth;
mod board;
mod counterparties;
mod deals;
mod documents;
mod fault;
mod imports;
mod isolation;
mod live;
mod moves;
mod org;
mod pages;
mod payments;
mod pipelines;
mod scale;
mod settlements;
mod storage;
mod uploads;
mod walls;
