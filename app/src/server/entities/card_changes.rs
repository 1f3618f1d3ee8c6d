use sea_orm::entity::prelude::*;

/// The change feed live pages follow: one row per change of a card, written in the change's
/// transaction; its id is the server-sent event id a reconnecting page resumes from.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "card_changes")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The pipeline of `card_id` (`Pipeline::code`).
    pub pipeline: String,
    pub card_id: i32,
    /// The supplier the card belongs to, on pipelines that have one.
    pub counterparty_id: Option<i32>,
    /// `moved`, `message`, `assigned`, `uploaded`.
    pub kind: String,
    /// Who made the change, when a person did.
    pub user_id: Option<i32>,
    /// What the card's history says of a change that is not a stage move (the new
    /// responsible person of an assignment).
    pub detail: Option<String>,
    pub at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
