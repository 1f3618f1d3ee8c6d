use sea_orm::entity::prelude::*;

/// Stage moves of deals and supplier orders (supplier documents have `stage_events`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "pipeline_events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub pipeline: String,
    pub card_id: i32,
    pub from_stage_id: Option<i32>,
    pub to_stage_id: i32,
    pub user_id: Option<i32>,
    pub comment: Option<String>,
    pub at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
