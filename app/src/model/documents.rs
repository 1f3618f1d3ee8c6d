//! What the documents server functions exchange with the browser.
use crate::domain::money::Money;
use crate::domain::upload::{DocumentKind, VatRate};
use crate::model::home::{DocumentRow, StageName};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentList {
    pub rows: Vec<DocumentRow>,
    pub total: u64,
    pub page: u64,
    pub pages: u64,
    /// Every stage, for the filter.
    pub stages: Vec<StageName>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineEntry {
    pub stage: StageName,
    pub at: DateTime<Utc>,
}

/// What the upload routes answer on success.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Submitted {
    pub card_id: i32,
    pub possible_duplicate: bool,
}

/// A file of a document, as listed on its page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileInfo {
    pub id: i32,
    pub name: String,
    pub mime: String,
    pub size_bytes: i64,
    pub uploaded_at: DateTime<Utc>,
}

impl FileInfo {
    /// Where the file opens, or with `save` is downloaded.
    pub fn href(&self, save: bool) -> String {
        crate::paths::download_path(self.id, save)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentDetails {
    pub card_id: i32,
    pub invoice_number: String,
    pub invoice_date: NaiveDate,
    pub amount: Money,
    pub comment: String,
    pub stage: StageName,
    pub planned_payment_date: Option<NaiveDate>,
    pub paid_date: Option<NaiveDate>,
    /// Shown while the document is returned for correction.
    pub return_comment: Option<String>,
    /// Every stage the document reached, oldest first.
    pub timeline: Vec<TimelineEntry>,
    pub kind: Option<DocumentKind>,
    pub vat: Option<VatRate>,
    pub possible_duplicate: bool,
    pub files: Vec<FileInfo>,
    /// The thread with staff, oldest first.
    pub messages: Vec<crate::model::messages::ThreadMessage>,
    /// The change the page is current to: live updates resume after it.
    pub last_change: i64,
}
