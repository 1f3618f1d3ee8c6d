use chrono::Utc;
use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, Set};

use crate::server::entities::audit_log;

/// Appends one line to the audit log; call it on the same connection or transaction as the change.
pub async fn record(
    db: &impl ConnectionTrait,
    user_id: Option<i32>,
    action: &str,
    details: &str,
) -> Result<(), DbErr> {
    line(user_id, action, details).insert(db).await?;
    Ok(())
}

/// The line `record` appends, for a `WriteBatch`.
pub fn line(user_id: Option<i32>, action: &str, details: &str) -> audit_log::ActiveModel {
    audit_log::ActiveModel {
        at: Set(Utc::now()),
        user_id: Set(user_id),
        action: Set(action.to_owned()),
        details: Set(details.to_owned()),
        ..Default::default()
    }
}
