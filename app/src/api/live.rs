//! What a live page hears from the change feed (`paths::LIVE_PATH`, server-sent events).

pub use crate::model::live::*;
