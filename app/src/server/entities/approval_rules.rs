use sea_orm::entity::prelude::*;

/// An extra approver for requests above an amount or of a cash-flow item.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "approval_rules")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub min_amount_kopecks: Option<i64>,
    pub cash_flow_item_id: Option<i32>,
    pub approver_user_id: i32,
    pub active: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
