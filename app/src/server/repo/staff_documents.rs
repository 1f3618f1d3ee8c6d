//! A document card as staff see it.
use std::collections::HashMap;

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use super::changes::ChangeKind;
use super::stages::pipeline_stages;
use crate::domain::access::Ctx;
use crate::error::{AppError, AppResult};
use crate::model::board::Choice;
use crate::model::home::StageName;
use crate::model::staff_documents::{AssignmentEntry, HistoryEntry, StaffDocumentView};
use crate::server::entities::{
    card_changes, counterparties, document_cards as cards, stage_events,
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
    let names: HashMap<i32, StageName> = super::stages::stage_names(&all)?;
    let staff = super::users::active_staff(db).await?;
    let events = stage_events::Entity::find()
        .filter(stage_events::Column::CardId.eq(id))
        .order_by_asc(stage_events::Column::At)
        .order_by_asc(stage_events::Column::Id)
        .all(db)
        .await?;
    let assignments = card_changes::Entity::find()
        .filter(
            card_changes::Column::Pipeline.eq(crate::domain::pipeline::Pipeline::Documents.code()),
        )
        .filter(card_changes::Column::CardId.eq(id))
        .filter(card_changes::Column::Kind.eq(ChangeKind::Assigned.code()))
        .order_by_asc(card_changes::Column::Id)
        .all(db)
        .await?;
    // Everyone the page names (movers, assigners, the responsible person), in one look-up.
    let people = super::users::names(
        db,
        events
            .iter()
            .filter_map(|e| e.user_id)
            .chain(assignments.iter().filter_map(|a| a.user_id))
            .chain(row.responsible_user_id)
            .collect(),
    )
    .await?;
    let name_of = |id: Option<i32>| id.and_then(|id| people.get(&id).cloned());
    let history = events
        .into_iter()
        .filter_map(|e| {
            Some(HistoryEntry {
                from: e.from_stage_id.and_then(|s| names.get(&s).cloned()),
                to: names.get(&e.to_stage_id)?.clone(),
                at: e.at,
                who: name_of(e.user_id),
                comment: e.comment,
            })
        })
        .collect();
    let assignments = assignments
        .into_iter()
        .map(|change| AssignmentEntry {
            at: change.at,
            who: name_of(change.user_id),
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
        responsible: row
            .responsible_user_id
            .zip(name_of(row.responsible_user_id))
            .map(|(id, name)| Choice { id, name }),
        staff,
        stages: super::stages::stage_list(&all)?,
        history,
    })
}
