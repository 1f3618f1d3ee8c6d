use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "counterparty_contacts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub counterparty_id: i32,
    pub name: String,
    pub position: String,
    pub email: String,
    pub phone: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
