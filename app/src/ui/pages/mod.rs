pub mod error;
pub mod login;
pub mod not_found;
pub mod root;
pub mod staff_home;
pub mod supplier_home;
