//! What the home server functions exchange with the browser.
use crate::domain::lang::Lang;
use crate::domain::money::Money;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// A stage as a row of the database: renamable, with a name in each language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageName {
    pub code: crate::domain::pipeline::StageCode,
    pub ru: String,
    pub en: String,
}

impl StageName {
    /// The badge that shows the stage, coloured per stage in `style/main.css`.
    pub fn badge_class(&self) -> String {
        format!("badge badge--stage-{}", self.code)
    }

    /// The coloured dot beside the stage name.
    pub fn dot_class(&self) -> String {
        format!("dot dot--{}", self.code)
    }

    pub fn name(&self, lang: Lang) -> &str {
        match lang {
            Lang::Ru => &self.ru,
            Lang::En => &self.en,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageSummary {
    pub stage: StageName,
    pub count: i64,
    pub total: Money,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedPayment {
    pub card_id: i32,
    pub invoice_number: String,
    pub date: NaiveDate,
    pub amount: Money,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReturnedDocument {
    pub card_id: i32,
    pub invoice_number: String,
    pub amount: Money,
    pub reason: String,
    pub returned_at: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupplierOverview {
    pub counterparty_name: String,
    pub stages: Vec<StageSummary>,
    pub awaiting_payment: Money,
    pub next_payments: Vec<PlannedPayment>,
    pub returned: Vec<ReturnedDocument>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentRow {
    pub card_id: i32,
    pub counterparty_name: String,
    pub invoice_number: String,
    pub invoice_date: NaiveDate,
    pub amount: Money,
    pub stage: StageName,
    pub stage_entered_at: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffOverview {
    pub stages: Vec<StageSummary>,
    pub awaiting_payment: Money,
    pub counterparties: u64,
    pub recent: Vec<DocumentRow>,
}
