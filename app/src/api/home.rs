//! The first page each side sees after signing in.
use chrono::{DateTime, NaiveDate, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::lang::Lang;
use crate::domain::money::Money;
use crate::error::AppError;

/// A stage as a row of the database: renamable, with a name in each language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageName {
    pub code: String,
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

#[server(prefix = "/api", endpoint = "cabinet/home")]
pub async fn supplier_home() -> Result<SupplierOverview, AppError> {
    use crate::server::{auth, repo::documents, state};
    crate::error::respond(
        async move {
            let ctx = auth::require_ctx().await?;
            ctx.require_supplier()?;
            let state = state()?;
            documents::supplier_home(&ctx, &state.db, Utc::now().date_naive()).await
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "staff/home")]
pub async fn staff_home() -> Result<StaffOverview, AppError> {
    use crate::server::{auth, repo::documents, state};
    crate::error::respond(
        async move {
            let ctx = auth::require_ctx().await?;
            ctx.require_staff()?;
            let state = state()?;
            documents::staff_home(&ctx, &state.db).await
        }
        .await,
    )
}
