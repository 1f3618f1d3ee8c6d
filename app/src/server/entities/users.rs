use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// Stored lower-case; unique.
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    /// A `domain::access::Role` code.
    pub role: String,
    pub counterparty_id: Option<i32>,
    pub password_hash: String,
    /// The interface language the user chose last (`ru`, `en`).
    pub locale: Option<String>,
    pub active: bool,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
