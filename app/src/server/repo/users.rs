use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set,
};

use crate::server::entities::{counterparties, users};

/// A signed-in user with what the interface shows about them.
#[derive(Clone, Debug)]
pub struct UserRecord {
    pub user: users::Model,
    pub counterparty_name: Option<String>,
    /// The counterparty's access block (a live session is never under a full one).
    pub block: crate::domain::settlements::BlockMode,
}

pub async fn find_by_email(
    db: &impl ConnectionTrait,
    normalized_email: &str,
) -> Result<Option<users::Model>, DbErr> {
    users::Entity::find()
        .filter(users::Column::Email.eq(normalized_email))
        .one(db)
        .await
}

/// The user's counterparty when it is fully blocked (a balance-only block still signs in).
pub async fn blocked_counterparty(
    db: &impl ConnectionTrait,
    user: &users::Model,
) -> Result<Option<counterparties::Model>, DbErr> {
    let Some(counterparty_id) = user.counterparty_id else {
        return Ok(None);
    };
    Ok(counterparties::Entity::find_by_id(counterparty_id)
        .one(db)
        .await?
        .filter(|c| c.block_mode == crate::domain::settlements::BlockMode::Full.code()))
}

/// Remembers the interface language the user chose.
pub async fn set_locale(
    db: &impl ConnectionTrait,
    user_id: i32,
    locale: &str,
) -> Result<(), DbErr> {
    users::ActiveModel {
        id: Set(user_id),
        locale: Set(Some(locale.to_owned())),
        ..Default::default()
    }
    .update(db)
    .await?;
    Ok(())
}

pub async fn count(db: &impl ConnectionTrait) -> Result<u64, DbErr> {
    use sea_orm::PaginatorTrait;
    users::Entity::find().count(db).await
}

/// "Мария Петрова": how the interface names a person.
pub fn full_name(user: &users::Model) -> String {
    format!("{} {}", user.first_name, user.last_name)
}

/// Users `ids` (in any order, repeats allowed), by id.
pub async fn by_ids(
    db: &impl ConnectionTrait,
    mut ids: Vec<i32>,
) -> Result<std::collections::HashMap<i32, users::Model>, DbErr> {
    ids.sort_unstable();
    ids.dedup();
    Ok(users::Entity::find()
        .filter(users::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect())
}

/// The full names of users `ids`, by id.
pub async fn names(
    db: &impl ConnectionTrait,
    ids: Vec<i32>,
) -> Result<std::collections::HashMap<i32, String>, DbErr> {
    Ok(by_ids(db, ids)
        .await?
        .into_iter()
        .map(|(id, u)| (id, full_name(&u)))
        .collect())
}

/// Active staff members by surname, as choices (filters, assignment, stage rules).
pub async fn active_staff(
    db: &impl ConnectionTrait,
) -> Result<Vec<crate::model::board::Choice>, DbErr> {
    use crate::domain::access::Role;
    use sea_orm::QueryOrder;
    Ok(users::Entity::find()
        .filter(users::Column::Role.ne(Role::Supplier.code()))
        .filter(users::Column::Active.eq(true))
        .order_by_asc(users::Column::LastName)
        .order_by_asc(users::Column::FirstName)
        .all(db)
        .await?
        .into_iter()
        .map(|u| crate::model::board::Choice {
            id: u.id,
            name: full_name(&u),
        })
        .collect())
}

/// Refuses a user who is not active staff (a responsible person, an assignee).
pub async fn require_active_staff(
    db: &impl ConnectionTrait,
    user_id: i32,
) -> crate::error::AppResult<users::Model> {
    use crate::domain::access::Role;
    users::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .filter(|u| u.active && Role::from_code(&u.role).is_some_and(Role::is_staff))
        .ok_or_else(|| {
            crate::error::invalid("responsible", crate::domain::form::FieldError::NotStaff)
        })
}
