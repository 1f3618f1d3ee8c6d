use sea_orm::entity::prelude::*;

/// One settlement entry, never edited: a correction is a reversing entry.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "ledger_entries")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub counterparty_id: i32,
    pub contract_id: Option<i32>,
    pub entry_date: Date,
    pub due_date: Option<Date>,
    /// `domain::settlements::Side` code.
    pub side: String,
    /// `domain::settlements::EntryKind` code.
    pub kind: String,
    pub amount_kopecks: i64,
    /// `domain::settlements::Source` code.
    pub source: String,
    pub source_id: i32,
    pub document_number: String,
    pub document_date: Date,
    pub reversal: bool,
    pub created_by: Option<i32>,
    pub created_at: DateTimeUtc,
    /// The accounting system's id of an imported entry, unique; none for the app's own.
    pub external_id: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
