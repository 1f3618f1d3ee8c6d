use sea_orm::entity::prelude::*;

/// A supplier's reply to a reconciliation statement: confirmed, or one entry disputed.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "statement_replies")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub counterparty_id: i32,
    /// `domain::settlements::Account::to_query`.
    pub account: String,
    pub period_from: Date,
    pub period_to: Date,
    /// The closing balance the statement showed (plus: in the counterparty's favour).
    pub closing_kopecks: i64,
    /// `domain::settlements::Verdict` code.
    pub verdict: String,
    /// The disputed entry.
    pub entry_id: Option<i32>,
    pub comment: String,
    /// Accounting's task about a dispute.
    pub task_id: Option<i32>,
    pub created_by: i32,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
