use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "specification_lines")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub specification_id: i32,
    pub position: i32,
    pub name: String,
    /// A decimal as written (`12.5`).
    pub quantity: String,
    pub unit: String,
    pub price_kopecks: i64,
    pub vat: String,
    pub amount_kopecks: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
