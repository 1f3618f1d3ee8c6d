use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "counterparties")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub name: String,
    pub inn: String,
    /// `domain::settlements::BlockMode` code.
    pub block_mode: String,
    /// The debtor rule set the block (and lifts it once cleared).
    pub block_by_rule: bool,
    /// The most the counterparty may owe us (advances not closed).
    pub credit_limit_kopecks: Option<i64>,
    pub block_reason: Option<String>,
    pub payment_deferral_days: i32,
    pub created_at: DateTimeUtc,
    pub kpp: Option<String>,
    pub ogrn: Option<String>,
    pub legal_address: Option<String>,
    pub postal_address: Option<String>,
    pub bank_name: Option<String>,
    pub bic: Option<String>,
    pub settlement_account: Option<String>,
    pub correspondent_account: Option<String>,
    pub responsible_manager_id: Option<i32>,
    /// `domain::counterparty::search_text` of the name and INN.
    pub search_text: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
