//! What the live server functions exchange with the browser.
use serde::{Deserialize, Serialize};

/// Card `card` of `pipeline` changed: `kind` is `moved`, `message`, `assigned` or `uploaded`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveEvent {
    pub pipeline: crate::domain::pipeline::Pipeline,
    pub card: i32,
    pub kind: crate::domain::pipeline::ChangeKind,
}
