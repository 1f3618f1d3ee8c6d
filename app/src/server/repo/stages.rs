//! Stages of the supplier-document pipeline as rows, and the stage events every move writes.
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Select, Set,
};

use crate::model::home::StageName;

use crate::domain::stage::DocumentStage;
use crate::error::{AppError, AppResult};
use crate::server::entities::{stage_events, stages};

/// The stages of the supplier-document pipeline, in order.
pub async fn pipeline_stages(db: &impl ConnectionTrait) -> Result<Vec<stages::Model>, DbErr> {
    stages::Entity::find()
        .filter(stages::Column::Pipeline.eq(stages::SUPPLIER_DOCUMENTS))
        .order_by_asc(stages::Column::Position)
        .all(db)
        .await
}

/// A stage row as the pages show it; a stored code no pipeline has is an error.
pub fn stage_name(stage: &stages::Model) -> AppResult<StageName> {
    Ok(StageName {
        code: stage_code(stage)?,
        ru: stage.name_ru.clone(),
        en: stage.name_en.clone(),
    })
}

/// Stage rows as the pages show them, by row id.
pub fn stage_names(all: &[stages::Model]) -> AppResult<std::collections::HashMap<i32, StageName>> {
    all.iter().map(|s| Ok((s.id, stage_name(s)?))).collect()
}

/// Stage rows as the pages show them, in order.
pub fn stage_list(all: &[stages::Model]) -> AppResult<Vec<StageName>> {
    all.iter().map(stage_name).collect()
}

/// The code of a stage row; one no pipeline has is an error (logged), never a default.
pub fn stage_code(stage: &stages::Model) -> AppResult<crate::domain::pipeline::StageCode> {
    crate::domain::pipeline::StageCode::from_code(&stage.code).ok_or_else(|| {
        tracing::error!(stage = stage.id, code = %stage.code, "unknown stage code stored");
        AppError::Internal
    })
}

/// The row id of `stage` among the pipeline's rows.
pub fn id_among(all: &[stages::Model], stage: DocumentStage) -> AppResult<i32> {
    Ok(row_among(all, stage.code())?.id)
}

/// The row id of a stage of the supplier-document pipeline.
pub async fn stage_id(db: &impl ConnectionTrait, stage: DocumentStage) -> AppResult<i32> {
    Ok(stage_row(db, stage).await?.id)
}

/// The row of a stage of the supplier-document pipeline (its names in both languages).
pub async fn stage_row(
    db: &impl ConnectionTrait,
    stage: DocumentStage,
) -> AppResult<stages::Model> {
    find_stage(stage)
        .one(db)
        .await?
        .ok_or_else(|| missing_stage(stage.code()))
}

/// The query for the row of a stage of the supplier-document pipeline.
pub fn find_stage(stage: DocumentStage) -> Select<stages::Entity> {
    stages::Entity::find()
        .filter(stages::Column::Pipeline.eq(stages::SUPPLIER_DOCUMENTS))
        .filter(stages::Column::Code.eq(stage.code()))
}

/// A stage row the migrations made is gone: logged, and an internal error for the user.
pub fn missing_stage(code: &str) -> AppError {
    tracing::error!(code, "stage row missing");
    AppError::Internal
}

/// A card entered stage `to` (from `from`, or fresh when `None`); call it in the move's
/// transaction.
pub async fn record_event(
    db: &impl ConnectionTrait,
    card_id: i32,
    from: Option<i32>,
    to: i32,
    user_id: i32,
    comment: Option<String>,
    now: DateTime<Utc>,
) -> AppResult<()> {
    event(card_id, from, to, user_id, comment, now)
        .insert(db)
        .await?;
    Ok(())
}

/// The stage event row of `record_event`, for a `WriteBatch`.
pub fn event(
    card_id: i32,
    from: Option<i32>,
    to: i32,
    user_id: i32,
    comment: Option<String>,
    now: DateTime<Utc>,
) -> stage_events::ActiveModel {
    stage_events::ActiveModel {
        card_id: Set(card_id),
        from_stage_id: Set(from),
        to_stage_id: Set(to),
        user_id: Set(Some(user_id)),
        comment: Set(comment),
        at: Set(now),
        ..Default::default()
    }
}

/// The stages of any pipeline (deals, supplier orders), in order.
pub async fn rows_of(
    db: &impl ConnectionTrait,
    pipeline: &str,
) -> Result<Vec<stages::Model>, DbErr> {
    stages::Entity::find()
        .filter(stages::Column::Pipeline.eq(pipeline))
        .order_by_asc(stages::Column::Position)
        .all(db)
        .await
}

/// The row of stage `code` among a pipeline's rows.
pub fn row_among<'a>(all: &'a [stages::Model], code: &str) -> AppResult<&'a stages::Model> {
    all.iter()
        .find(|s| s.code == code)
        .ok_or_else(|| missing_stage(code))
}

/// The row `stage_id` (a card's stage) among a pipeline's rows.
pub fn row_by_id(all: &[stages::Model], stage_id: i32) -> AppResult<&stages::Model> {
    all.iter()
        .find(|s| s.id == stage_id)
        .ok_or(AppError::Internal)
}

/// The event row of a deal or supplier order entering a stage, for a `WriteBatch`.
pub fn pipeline_event(
    pipeline: crate::domain::pipeline::Pipeline,
    event: super::pipeline::StageEvent,
) -> crate::server::entities::pipeline_events::ActiveModel {
    crate::server::entities::pipeline_events::ActiveModel {
        pipeline: Set(pipeline.code().to_owned()),
        card_id: Set(event.card_id),
        from_stage_id: Set(event.from),
        to_stage_id: Set(event.to),
        user_id: Set(Some(event.user_id)),
        comment: Set(event.comment),
        at: Set(event.at),
        ..Default::default()
    }
}

/// A deal or supplier order entered stage `to`; call it in the move's transaction.
#[allow(clippy::too_many_arguments)]
pub async fn record_pipeline_event(
    db: &impl ConnectionTrait,
    pipeline: &str,
    card_id: i32,
    from: Option<i32>,
    to: i32,
    user_id: i32,
    comment: Option<String>,
    now: DateTime<Utc>,
) -> AppResult<()> {
    crate::server::entities::pipeline_events::ActiveModel {
        pipeline: Set(pipeline.to_owned()),
        card_id: Set(card_id),
        from_stage_id: Set(from),
        to_stage_id: Set(to),
        user_id: Set(Some(user_id)),
        comment: Set(comment),
        at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}
