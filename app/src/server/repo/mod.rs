//! Database access. Functions that read or change a counterparty's data take the `Ctx` first and
//! apply its scope here, in the data layer.
pub mod accounts;
pub mod audit;
pub mod board;
pub mod changes;
pub mod counterparties;
pub mod documents;
pub mod files;
pub mod messages;
pub mod moves;
pub mod notifications;
pub mod sessions;
pub mod staff_documents;
pub mod stage_rules;
pub mod stages;
pub mod throttle;
pub mod users;

use sea_orm::sea_query::{Expr, LikeExpr};
use sea_orm::{ColumnTrait, Condition, SqliteTransactionMode, TransactionOptions};

use crate::domain::access::Ctx;

/// A `LIKE` pattern matching rows whose search text contains `text`: lower-cased like the
/// stored search texts, with the user's `%`, `_` and `\\` taken literally.
pub fn contains_text(text: &str) -> LikeExpr {
    let escaped = crate::domain::documents::search_needle(text)
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    LikeExpr::new(format!("%{escaped}%")).escape('\\')
}

/// The document card `card_id` if `ctx` may see it; another counterparty's card is "not
/// found", exactly like a missing one.
pub async fn card_in_scope(
    ctx: &Ctx,
    db: &impl sea_orm::ConnectionTrait,
    card_id: i32,
) -> crate::error::AppResult<crate::server::entities::document_cards::Model> {
    use crate::server::entities::document_cards as cards;
    use sea_orm::{EntityTrait, QueryFilter};
    cards::Entity::find_by_id(card_id)
        .filter(counterparty_scope(ctx, cards::Column::CounterpartyId))
        .one(db)
        .await?
        .ok_or(crate::error::AppError::NotFound)
}

/// What `ctx` may see of rows that belong to a counterparty: a supplier its own counterparty's,
/// staff everything.
pub fn counterparty_scope(ctx: &Ctx, column: impl ColumnTrait) -> Condition {
    match (ctx.role.is_staff(), ctx.counterparty_id) {
        (true, _) => Condition::all(),
        (false, Some(counterparty_id)) => Condition::all().add(column.eq(counterparty_id)),
        // A supplier with no counterparty sees nothing.
        (false, None) => Condition::all().add(Expr::cust("1 = 0")),
    }
}

/// Writers wait for each other from the start on SQLite, so a read-then-write cannot interleave.
pub fn write_transaction() -> TransactionOptions {
    TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..Default::default()
    }
}
