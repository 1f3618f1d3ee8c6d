use sea_orm::entity::prelude::*;

/// Per deal and kind: the last item suffix given (`/PO-3`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "deal_item_counters")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub deal_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub kind: String,
    pub last: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
