use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "stage_events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
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
