use sea_orm::entity::prelude::*;

/// The background scheduler's jobs: stored so nothing is lost on restart.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "scheduled_jobs")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// `payment_reminder`.
    pub kind: String,
    /// One job per purpose (`payment_reminder:order:7`).
    pub key: String,
    pub run_at: DateTimeUtc,
    pub locked_until: Option<DateTimeUtc>,
    pub attempts: i32,
    pub done_at: Option<DateTimeUtc>,
    pub last_error: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
