use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "tasks")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// In Russian, or as staff typed it.
    pub title: String,
    /// The English title of a task made automatically.
    pub title_en: Option<String>,
    pub description: String,
    pub assignee_user_id: Option<i32>,
    pub assignee_role: Option<String>,
    pub assignee_counterparty_id: Option<i32>,
    pub deadline: Option<Date>,
    pub status: String,
    pub deal_id: Option<i32>,
    pub order_id: Option<i32>,
    pub contract_id: Option<i32>,
    pub document_id: Option<i32>,
    /// Set for tasks made automatically, so each is made once (`deal:7:template:2`).
    pub dedupe_key: Option<String>,
    pub created_by: Option<i32>,
    pub created_at: DateTimeUtc,
    pub done_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
