//! Settings an admin changes, as key–value rows: the kind codes of item numbers and the days
//! before a payment deadline the accountant is reminded.
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, Set};

use crate::domain::deadlines::{DEFAULT_REMINDER_DAYS, MAX_REMINDER_DAYS};
use crate::domain::numbering::KindCodes;
use crate::error::AppResult;
use crate::server::entities::app_settings;

const ORDER_CODE: &str = "kind_code.order";
const CONTRACT_CODE: &str = "kind_code.contract";
const SPECIFICATION_CODE: &str = "kind_code.specification";
const REMINDER_DAYS: &str = "payment_reminder_days";

/// A setting by its key (other areas keep theirs here too).
pub async fn value(db: &impl ConnectionTrait, key: &str) -> AppResult<Option<String>> {
    Ok(app_settings::Entity::find_by_id(key.to_owned())
        .one(db)
        .await?
        .map(|row| row.value))
}

/// Saves a setting (in the caller's transaction).
pub async fn set(db: &impl ConnectionTrait, key: &str, value: String) -> AppResult<()> {
    let row = app_settings::ActiveModel {
        key: Set(key.to_owned()),
        value: Set(value),
    };
    match app_settings::Entity::find_by_id(key.to_owned())
        .one(db)
        .await?
    {
        Some(_) => row.update(db).await?,
        None => row.insert(db).await?,
    };
    Ok(())
}

pub async fn kind_codes(db: &impl ConnectionTrait) -> AppResult<KindCodes> {
    let defaults = KindCodes::default();
    Ok(KindCodes {
        order: value(db, ORDER_CODE).await?.unwrap_or(defaults.order),
        contract: value(db, CONTRACT_CODE).await?.unwrap_or(defaults.contract),
        specification: value(db, SPECIFICATION_CODE)
            .await?
            .unwrap_or(defaults.specification),
    })
}

/// Days before a payment deadline the reminder task is made.
pub async fn reminder_days(db: &impl ConnectionTrait) -> AppResult<u32> {
    Ok(value(db, REMINDER_DAYS)
        .await?
        .and_then(|v| v.parse().ok())
        .filter(|days| *days <= MAX_REMINDER_DAYS)
        .unwrap_or(DEFAULT_REMINDER_DAYS))
}

/// Saves checked settings (call in the change's transaction, beside its audit line). Numbers
/// already given keep their codes; new ones take the new codes.
pub async fn save(
    db: &impl ConnectionTrait,
    codes: &KindCodes,
    reminder_days: u32,
) -> AppResult<()> {
    set(db, ORDER_CODE, codes.order.clone()).await?;
    set(db, CONTRACT_CODE, codes.contract.clone()).await?;
    set(db, SPECIFICATION_CODE, codes.specification.clone()).await?;
    set(db, REMINDER_DAYS, reminder_days.to_string()).await
}
