use sea_orm::entity::prelude::*;

/// One approver's step of one round of a payment request's chain.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "approval_steps")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub request_id: i32,
    pub round: i32,
    pub position: i32,
    /// Whose step it is by the org structure.
    pub approver_user_id: i32,
    /// Who decides it: the approver, or their deputy when it fell on them while away.
    pub acting_user_id: Option<i32>,
    /// A `domain::approvals::StepReason` code.
    pub reason: String,
    /// A `domain::payments::StepState` code.
    pub state: String,
    pub comment: Option<String>,
    pub decided_at: Option<DateTimeUtc>,
    pub decided_by: Option<i32>,
    pub activated_at: Option<DateTimeUtc>,
    pub remind_at: Option<DateTimeUtc>,
    pub escalate_at: Option<DateTimeUtc>,
    /// What the approval covered (`domain::approvals::Material` as JSON).
    pub material: Option<String>,
    /// SHA-256 of the material's canonical text.
    pub fingerprint: Option<String>,
    /// What changed since the approver's earlier approval (JSON), shown before they decide.
    pub changes: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
