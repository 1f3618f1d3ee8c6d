use sea_orm::entity::prelude::*;

/// The thread between staff and the supplier on a document card.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "card_messages")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub card_id: i32,
    /// Empty for a message a stage rule posted.
    pub author_user_id: Option<i32>,
    pub from_supplier: bool,
    pub body: String,
    /// The English text of a stage rule's message; people write in one language.
    pub body_en: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
