use sea_orm::entity::prelude::*;

/// A deal: numbered (`2026-0042`) when it first enters implementation.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "deals")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub title: String,
    pub customer: String,
    pub amount_kopecks: i64,
    pub responsible_user_id: Option<i32>,
    pub stage_id: i32,
    pub version: i32,
    pub number_year: Option<i32>,
    pub number_seq: Option<i32>,
    /// `DealNumber` as written, for search and display.
    pub number: Option<String>,
    pub numbered_at: Option<DateTimeUtc>,
    pub created_by: Option<i32>,
    pub created_at: DateTimeUtc,
    pub stage_entered_at: DateTimeUtc,
    /// Lower-cased title, customer and number.
    pub search_text: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
