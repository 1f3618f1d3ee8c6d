use sea_orm::entity::prelude::*;

/// A staff member's place in the org structure.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "staff_placements")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: i32,
    pub department_id: Option<i32>,
    /// Set by hand; otherwise the department's head is.
    pub line_manager_id: Option<i32>,
    /// The position the approval sheet prints.
    pub job_title: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
