use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "document_cards")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub counterparty_id: i32,
    pub stage_id: i32,
    pub kind: String,
    pub invoice_number: String,
    pub invoice_date: Date,
    pub amount_kopecks: i64,
    pub comment: String,
    pub planned_payment_date: Option<Date>,
    pub paid_date: Option<Date>,
    pub return_comment: Option<String>,
    pub responsible_user_id: Option<i32>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub stage_entered_at: DateTimeUtc,
    /// `domain::documents::search_text` of the number and comment.
    pub search_text: String,
    /// `domain::upload::VatRate` code.
    pub vat: String,
    /// A file of this card was already uploaded by the same counterparty.
    pub possible_duplicate: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::stages::Entity",
        from = "Column::StageId",
        to = "super::stages::Column::Id"
    )]
    Stage,
    #[sea_orm(
        belongs_to = "super::counterparties::Entity",
        from = "Column::CounterpartyId",
        to = "super::counterparties::Column::Id"
    )]
    Counterparty,
}

impl Related<super::stages::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Stage.def()
    }
}

impl Related<super::counterparties::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Counterparty.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
