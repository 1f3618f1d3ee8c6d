//! Deals: made by staff, moved on their board, numbered when they first enter implementation
//! (with their papers and back-office tasks, in the move's transaction).

use crate::server::db::Db;
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};

use super::stages::{record_pipeline_event, row_among, row_by_id, rows_of, stage_name};
use super::{audit, begin_write};
use crate::domain::access::Ctx;
use crate::domain::clock::Now;
use crate::domain::deals::{DEALS_PIPELINE, DealFields, DealStage};
use crate::domain::money::Money;
use crate::domain::numbering::DealNumber;
use crate::domain::tasks::Assignee;
use crate::error::{AppError, AppResult};
use crate::model::deals::{DealPage, HistoryEntry};
use crate::server::entities::{deals, pipeline_events, stages, task_templates, tasks};

/// Lower-cased words a deal is found by (its number is added when it gets one).
pub fn search_text(title: &str, customer: &str) -> String {
    format!("{title} {customer}").to_lowercase()
}

pub async fn create(ctx: &Ctx, db: &Db, fields: &DealFields, now: DateTime<Utc>) -> AppResult<i32> {
    ctx.require_staff()?;
    let all = rows_of(db, DEALS_PIPELINE).await?;
    let new = row_among(&all, DealStage::New.code())?.id;
    if let Some(id) = fields.responsible_user_id {
        super::users::require_active_staff(db, id).await?;
    }
    let txn = begin_write(db).await?;
    let deal = deals::ActiveModel {
        title: Set(fields.title.clone()),
        customer: Set(fields.customer.clone()),
        amount_kopecks: Set(fields.amount.kopecks()),
        responsible_user_id: Set(fields.responsible_user_id.or(Some(ctx.user_id))),
        stage_id: Set(new),
        version: Set(1),
        number_year: Set(None),
        number_seq: Set(None),
        number: Set(None),
        numbered_at: Set(None),
        created_by: Set(Some(ctx.user_id)),
        created_at: Set(now),
        stage_entered_at: Set(now),
        search_text: Set(search_text(&fields.title, &fields.customer)),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    record_pipeline_event(
        &txn,
        DEALS_PIPELINE,
        deal.id,
        None,
        new,
        ctx.user_id,
        None,
        now,
    )
    .await?;
    audit::record(
        &txn,
        Some(ctx.user_id),
        "deal.create",
        &format!("deal {} \"{}\"", deal.id, deal.title),
    )
    .await?;
    txn.commit().await?;
    Ok(deal.id)
}

/// The active task templates a numbered deal gets a task of each.
pub(super) async fn active_templates(
    db: &impl ConnectionTrait,
) -> AppResult<Vec<task_templates::Model>> {
    Ok(task_templates::Entity::find()
        .filter(task_templates::Column::Active.eq(true))
        .order_by_asc(task_templates::Column::Position)
        .order_by_asc(task_templates::Column::Id)
        .all(db)
        .await?)
}

/// One task per template, each once per deal (its key is unique), titled in both languages.
pub(super) async fn make_template_tasks(
    db: &impl ConnectionTrait,
    ctx: &Ctx,
    deal: &deals::Model,
    number: DealNumber,
    templates: &[task_templates::Model],
    now: Now,
) -> AppResult<()> {
    use crate::domain::lang::Lang;
    let today = now.today();
    for row in templates {
        let template = super::tasks::template_of(row);
        let number = number.to_string();
        let assignee = template.assignee();
        let task = tasks::ActiveModel {
            title: Set(template.title(Lang::Ru, &number)),
            title_en: Set(Some(template.title(Lang::En, &number))),
            description: Set(format!(
                "{} · {}",
                template.department_ru, template.department_en
            )),
            assignee_user_id: Set(match assignee {
                Assignee::User(id) => Some(id),
                _ => None,
            }),
            assignee_role: Set(match assignee {
                Assignee::Role(role) => Some(role.code().to_owned()),
                _ => None,
            }),
            assignee_counterparty_id: Set(None),
            deadline: Set(Some(template.deadline(today))),
            status: Set(crate::domain::tasks::TaskStatus::Open.code().to_owned()),
            deal_id: Set(Some(deal.id)),
            order_id: Set(None),
            contract_id: Set(None),
            document_id: Set(None),
            dedupe_key: Set(Some(format!("deal:{}:template:{}", deal.id, row.id))),
            created_by: Set(Some(ctx.user_id)),
            created_at: Set(now.at),
            done_at: Set(None),
            ..Default::default()
        }
        .insert(db)
        .await?;
        super::tasks::notify_assignees(db, &task, now.at).await?;
    }
    Ok(())
}

pub async fn page(ctx: &Ctx, db: &Db, id: i32, now: Now) -> AppResult<DealPage> {
    ctx.require_staff()?;
    let deal = deals::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let all = rows_of(db, DEALS_PIPELINE).await?;
    let stage = row_by_id(&all, deal.stage_id)?;
    let events = pipeline_events::Entity::find()
        .filter(pipeline_events::Column::Pipeline.eq(DEALS_PIPELINE))
        .filter(pipeline_events::Column::CardId.eq(id))
        .order_by_asc(pipeline_events::Column::At)
        .order_by_asc(pipeline_events::Column::Id)
        .all(db)
        .await?;
    let history = history(db, &all, events).await?;
    let responsible_name = match deal.responsible_user_id {
        Some(user) => super::users::names(db, vec![user]).await?.remove(&user),
        None => None,
    };
    let today = now.today();
    let (contracts, specifications, orders) = super::papers::of_deal(ctx, db, id, today).await?;
    let tasks = super::tasks::rows_linked(ctx, db, tasks::Column::DealId, id, today).await?;
    Ok(DealPage {
        id: deal.id,
        version: deal.version,
        number: deal.number,
        title: deal.title,
        customer: deal.customer,
        amount: Money::from_kopecks(deal.amount_kopecks),
        stage: stage_name(stage)?,
        responsible_user_id: deal.responsible_user_id,
        responsible_name,
        created_at: deal.created_at,
        numbered_at: deal.numbered_at,
        stages: super::stages::stage_list(&all)?,
        history,
        contracts,
        specifications,
        orders,
        tasks,
        counterparties: super::counterparties::choices(db).await?,
        staff: super::users::active_staff(db).await?,
        today,
    })
}

/// Stage events as a page's history: stage names and who moved.
pub async fn history(
    db: &impl ConnectionTrait,
    all: &[stages::Model],
    events: Vec<pipeline_events::Model>,
) -> AppResult<Vec<HistoryEntry>> {
    let mut ids: Vec<i32> = events.iter().filter_map(|e| e.user_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let names = super::users::names(db, ids).await?;
    let by_id = super::stages::stage_names(all)?;
    Ok(events
        .into_iter()
        .filter_map(|event| {
            Some(HistoryEntry {
                at: event.at,
                stage: by_id.get(&event.to_stage_id)?.clone(),
                by: event.user_id.and_then(|u| names.get(&u).cloned()),
                comment: event.comment,
            })
        })
        .collect())
}
