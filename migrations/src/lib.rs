//! Database schema, applied at server start-up (and by the tests on every fresh database).
pub use sea_orm_migration::prelude::*;

mod m20261123_000001_foundation;
mod m20261123_000002_document_search;
mod m20261123_000003_document_files;
mod m20261123_000004_counterparty_requisites;
mod m20261123_000005_invitations_and_outbox;
mod m20261124_000006_board;
pub mod m20261124_000007_deals;
mod m20261202_000008_pipeline_feed;
pub mod m20261202_000009_row_level_security;
mod m20261202_000010_org_structure;
pub mod m20261202_000011_payment_requests;
mod m20261203_000012_payment_letters;
mod m20261203_000013_notifications_of_every_pipeline;
pub mod m20261207_000014_settlements;
pub mod m20261207_000015_statement_replies;
mod m20261207_000016_ledger_import;
mod m20261207_000017_ledger_account_index;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261123_000001_foundation::Migration),
            Box::new(m20261123_000002_document_search::Migration),
            Box::new(m20261123_000003_document_files::Migration),
            Box::new(m20261123_000004_counterparty_requisites::Migration),
            Box::new(m20261123_000005_invitations_and_outbox::Migration),
            Box::new(m20261124_000006_board::Migration),
            Box::new(m20261124_000007_deals::Migration),
            Box::new(m20261202_000008_pipeline_feed::Migration),
            Box::new(m20261202_000009_row_level_security::Migration),
            Box::new(m20261202_000010_org_structure::Migration),
            Box::new(m20261202_000011_payment_requests::Migration),
            Box::new(m20261203_000012_payment_letters::Migration),
            Box::new(m20261203_000013_notifications_of_every_pipeline::Migration),
            Box::new(m20261207_000014_settlements::Migration),
            Box::new(m20261207_000015_statement_replies::Migration),
            Box::new(m20261207_000016_ledger_import::Migration),
            Box::new(m20261207_000017_ledger_account_index::Migration),
        ]
    }
}
