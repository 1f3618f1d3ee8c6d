//! A document card as staff see it.
use std::collections::HashMap;

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use super::changes::ChangeKind;
use super::stages::{pipeline_stages, stage_name};
use crate::api::board::Choice;
use crate::api::home::StageName;
use crate::api::staff_documents::{AssignmentEntry, HistoryEntry, StaffDocumentView};
use crate::domain::access::{Ctx, Role};
use crate::error::{AppError, AppResult};
use crate::server::entities::{
    card_changes, counterparties, document_cards as cards, stage_events, users,
};

pub async fn card(ctx: &Ctx, db: &impl ConnectionTrait, id: i32) -> AppResult<StaffDocumentView> {
    ctx.require_staff()?;
    let document = super::documents::details(ctx, db, id).await?;
    let row = cards::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let counterparty = counterparties::Entity::find_by_id(row.counterparty_id)
        .one(db)
        .await?
        .ok_or(AppError::Internal)?;
    let all = pipeline_stages(db).await?;
    let names: HashMap<i32, StageName> = all.iter().map(|s| (s.id, stage_name(s))).collect();
    let people: HashMap<i32, users::Model> = users::Entity::find()
        .filter(users::Column::Role.ne(Role::Supplier.code()))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    let full_name = |u: &users::Model| format!("{} {}", u.first_name, u.last_name);
    let staff = super::users::active_staff(db).await?;
    let events = stage_events::Entity::find()
        .filter(stage_events::Column::CardId.eq(id))
        .order_by_asc(stage_events::Column::At)
        .order_by_asc(stage_events::Column::Id)
        .all(db)
        .await?;
    let mut supplier_names: HashMap<i32, String> = HashMap::new();
    let supplier_ids: Vec<i32> = events
        .iter()
        .filter_map(|e| e.user_id)
        .filter(|id| !people.contains_key(id))
        .collect();
    if !supplier_ids.is_empty() {
        for u in users::Entity::find()
            .filter(users::Column::Id.is_in(supplier_ids))
            .all(db)
            .await?
        {
            supplier_names.insert(u.id, full_name(&u));
        }
    }
    let history = events
        .into_iter()
        .filter_map(|e| {
            Some(HistoryEntry {
                from: e.from_stage_id.and_then(|s| names.get(&s).cloned()),
                to: names.get(&e.to_stage_id)?.clone(),
                at: e.at,
                who: e.user_id.and_then(|id| {
                    people
                        .get(&id)
                        .map(full_name)
                        .or_else(|| supplier_names.get(&id).cloned())
                }),
                comment: e.comment,
            })
        })
        .collect();
    let assignments = card_changes::Entity::find()
        .filter(card_changes::Column::CardId.eq(id))
        .filter(card_changes::Column::Kind.eq(ChangeKind::Assigned.code()))
        .order_by_asc(card_changes::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|change| AssignmentEntry {
            at: change.at,
            who: change.user_id.and_then(|id| people.get(&id).map(full_name)),
            to: change.detail.unwrap_or_default(),
        })
        .collect();
    Ok(StaffDocumentView {
        assignments,
        last_change: document.last_change,
        document,
        version: row.version,
        counterparty_id: counterparty.id,
        counterparty_name: counterparty.name,
        responsible: row.responsible_user_id.and_then(|id| {
            people.get(&id).map(|u| Choice {
                id,
                name: full_name(u),
            })
        }),
        staff,
        stages: all.iter().map(stage_name).collect(),
        history,
    })
}
