use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "contracts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub counterparty_id: i32,
    pub deal_id: Option<i32>,
    pub item_seq: Option<i32>,
    /// `2026-0042/CT-1` once the deal is numbered.
    pub number: Option<String>,
    pub signed_on: Date,
    pub deferral_days: i32,
    /// `domain::deadlines::DeferralBase` code.
    pub deferral_base: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
