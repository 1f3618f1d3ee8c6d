use chrono::Utc;
use sea_orm::{ConnectionTrait, DbErr, EntityTrait, Set};

use crate::server::entities::audit_log;

/// Appends one line to the audit log; call it on the same connection or transaction as the change.
pub async fn record(
    db: &impl ConnectionTrait,
    user_id: Option<i32>,
    action: &str,
    details: &str,
) -> Result<(), DbErr> {
    // Without RETURNING: behind a supplier's wall the audit log takes lines but shows none.
    audit_log::Entity::insert(line(user_id, action, details))
        .exec_without_returning(db)
        .await?;
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
