//! What the staff documents server functions exchange with the browser.
use crate::model::board::Choice;
use crate::model::documents::DocumentDetails;
use crate::model::home::StageName;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry {
    pub from: Option<StageName>,
    pub to: StageName,
    pub at: DateTime<Utc>,
    pub who: Option<String>,
    pub comment: Option<String>,
}

/// Someone made `to` responsible for the card.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssignmentEntry {
    pub at: DateTime<Utc>,
    pub who: Option<String>,
    pub to: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffDocumentView {
    pub document: DocumentDetails,
    pub version: i32,
    pub counterparty_id: i32,
    pub counterparty_name: String,
    pub responsible: Option<Choice>,
    /// Who can be made responsible.
    pub staff: Vec<Choice>,
    /// Every stage, in board order.
    pub stages: Vec<StageName>,
    pub history: Vec<HistoryEntry>,
    /// Changes of the responsible person, oldest first.
    pub assignments: Vec<AssignmentEntry>,
    /// The change the page is current to: live updates resume after it.
    pub last_change: i64,
}
