use sea_orm::entity::prelude::*;

/// Files of contracts, specifications, orders and task answers, stored like documents' files.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "item_files")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// A `domain::files::FileOwner` code.
    pub owner_kind: String,
    pub owner_id: i32,
    pub counterparty_id: Option<i32>,
    pub sha256: String,
    pub original_name: String,
    pub mime: String,
    pub size_bytes: i64,
    pub uploaded_by: i32,
    pub uploaded_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
