use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "supplier_orders")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub counterparty_id: i32,
    pub contract_id: i32,
    pub deal_id: Option<i32>,
    pub item_seq: Option<i32>,
    pub number: Option<String>,
    pub amount_kopecks: i64,
    pub description: String,
    pub planned_delivery_on: Option<Date>,
    pub delivered_on: Option<Date>,
    pub closing_documents_on: Option<Date>,
    /// Computed from the contract whenever its base date is set.
    pub payment_deadline: Option<Date>,
    pub paid_on: Option<Date>,
    pub stage_id: i32,
    pub version: i32,
    pub responsible_user_id: Option<i32>,
    pub created_at: DateTimeUtc,
    pub stage_entered_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
