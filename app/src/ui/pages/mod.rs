pub mod error;
pub mod login;
pub mod not_found;
pub mod root;
pub mod staff_home;
pub mod supplier_document;
pub mod supplier_documents;
pub mod supplier_home;
