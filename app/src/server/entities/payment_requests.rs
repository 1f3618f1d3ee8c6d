use sea_orm::entity::prelude::*;

/// A payment request (заявка на оплату): a card of the payment-requests pipeline.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "payment_requests")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub stage_id: i32,
    pub version: i32,
    pub stage_entered_at: DateTimeUtc,
    /// Whom it waits on: the acting approver, accounting, or the initiator in rework.
    pub responsible_user_id: Option<i32>,
    pub initiator_user_id: i32,
    pub counterparty_id: i32,
    pub contact_id: Option<i32>,
    pub amount_kopecks: i64,
    pub purpose: String,
    pub cash_flow_item_id: i32,
    pub in_budget: bool,
    pub urgent: bool,
    pub pay_by: Option<Date>,
    pub comment: String,
    pub document_card_id: Option<i32>,
    pub supplier_order_id: Option<i32>,
    /// How many times it was sent for approval.
    pub round: i32,
    pub paid_on: Option<Date>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
