//! What the moves server functions exchange with the browser.
use serde::{Deserialize, Serialize};

/// The card after a move: its new stage and the version the next move must name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MovedCard {
    pub card_id: i32,
    pub stage: crate::domain::pipeline::StageCode,
    pub version: i32,
}
