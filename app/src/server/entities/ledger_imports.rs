use sea_orm::entity::prelude::*;

/// One import into the ledger, stored or refused.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "ledger_imports")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// `domain::ledger_import::ImportOrigin` code.
    pub origin: String,
    pub file_name: String,
    pub token_id: Option<i32>,
    pub created_by: Option<i32>,
    pub rows: i32,
    pub imported: i32,
    pub skipped: i32,
    pub refused: bool,
    /// The problems of a refused import, as JSON (`Vec<domain::ledger_import::RowProblem>`).
    pub problems: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
