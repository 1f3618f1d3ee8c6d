//! SeaORM entities, one per table of `migrations/`.
pub mod audit_log;
pub mod card_changes;
pub mod card_messages;
pub mod counterparties;
pub mod counterparty_contacts;
pub mod document_cards;
pub mod document_files;
pub mod email_outbox;
pub mod login_failures;
pub mod notifications;
pub mod sessions;
pub mod stage_events;
pub mod stage_rules;
pub mod stages;
pub mod user_tokens;
pub mod users;
