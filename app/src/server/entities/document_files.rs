use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "document_files")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub card_id: i32,
    /// The stored object's name: the content's SHA-256 in hex.
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
