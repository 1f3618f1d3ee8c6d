use sea_orm::entity::prelude::*;

/// What entering a stage does (`domain::stage_rules::StageRule`, as stored).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "stage_rules")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub stage_id: i32,
    pub notify_role: Option<String>,
    pub notify_responsible: bool,
    /// `domain::stage_rules::Responsible` code.
    pub responsible: String,
    pub supplier_message_ru: Option<String>,
    pub supplier_message_en: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::stages::Entity",
        from = "Column::StageId",
        to = "super::stages::Column::Id"
    )]
    Stage,
}

impl Related<super::stages::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Stage.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
