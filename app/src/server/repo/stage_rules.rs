//! Stage rules as stored: what entering each stage of the supplier-document pipeline does.
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, IntoActiveModel, Set};

use super::stages::{find_stage, missing_stage, pipeline_stages, stage_name};
use crate::domain::access::{Ctx, Role};
use crate::domain::stage::DocumentStage;
use crate::domain::stage_rules::{Responsible, StageRule, default_rule};
use crate::error::{AppError, AppResult};
use crate::model::stage_rules::{StageRuleRow, StageRuleSettings};
use crate::server::entities::{stage_rules, stages};

fn rule_of(row: &stage_rules::Model) -> Option<StageRule> {
    Some(StageRule {
        notify_role: row.notify_role.as_deref().and_then(Role::from_code),
        notify_responsible: row.notify_responsible,
        responsible: Responsible::from_code(&row.responsible)?,
        supplier_message_ru: row
            .supplier_message_ru
            .clone()
            .filter(|m| !m.trim().is_empty()),
        supplier_message_en: row
            .supplier_message_en
            .clone()
            .filter(|m| !m.trim().is_empty()),
    })
}

/// The row of stage `stage` with its rule, read together (a move needs both); the default rule
/// when the stored one is missing or unreadable.
pub async fn stage_with_rule(
    db: &impl ConnectionTrait,
    stage: DocumentStage,
) -> AppResult<(stages::Model, StageRule)> {
    let (row, rule) = find_stage(stage)
        .find_also_related(stage_rules::Entity)
        .one(db)
        .await?
        .ok_or_else(|| missing_stage(stage.code()))?;
    Ok((row, stored_or_default(rule.as_ref(), stage)))
}

/// The stored rule of `stage`; the default when it is missing or unreadable.
fn stored_or_default(row: Option<&stage_rules::Model>, stage: DocumentStage) -> StageRule {
    row.and_then(rule_of).unwrap_or_else(|| default_rule(stage))
}

/// The rule of stage row `stage_id`; the default when the row is missing or unreadable.
pub async fn rule(
    db: &impl ConnectionTrait,
    stage_id: i32,
    stage: DocumentStage,
) -> AppResult<StageRule> {
    let row = stage_rules::Entity::find_by_id(stage_id).one(db).await?;
    Ok(stored_or_default(row.as_ref(), stage))
}

/// Every stage with its rule, in board order (admins only).
pub async fn all(ctx: &Ctx, db: &impl ConnectionTrait) -> AppResult<StageRuleSettings> {
    if ctx.role != Role::Admin {
        return Err(AppError::Forbidden);
    }
    let mut rows = Vec::new();
    for stage in pipeline_stages(db).await? {
        let Some(code) = DocumentStage::from_code(&stage.code) else {
            continue;
        };
        rows.push(StageRuleRow {
            rule: rule(db, stage.id, code).await?,
            stage: stage_name(&stage),
        });
    }
    let staff = super::users::active_staff(db).await?;
    Ok(StageRuleSettings { rows, staff })
}

/// An admin changes the rule of a stage; audited with the old and new values.
pub async fn save(
    ctx: &Ctx,
    db: &impl ConnectionTrait,
    stage: DocumentStage,
    rule: &StageRule,
) -> AppResult<()> {
    if ctx.role != Role::Admin {
        return Err(AppError::Forbidden);
    }
    let stage_id = super::stages::stage_id(db, stage).await?;
    let old = stage_rules::Entity::find_by_id(stage_id).one(db).await?;
    let before = old.as_ref().and_then(rule_of);
    let mut row = match old {
        Some(row) => row.into_active_model(),
        None => stage_rules::ActiveModel {
            stage_id: Set(stage_id),
            ..Default::default()
        },
    };
    row.notify_role = Set(rule.notify_role.map(|r| r.code().to_owned()));
    row.notify_responsible = Set(rule.notify_responsible);
    row.responsible = Set(rule.responsible.code());
    row.supplier_message_ru = Set(rule.supplier_message_ru.clone());
    row.supplier_message_en = Set(rule.supplier_message_en.clone());
    row.save(db).await?;
    super::audit::record(
        db,
        Some(ctx.user_id),
        "stage_rule_changed",
        &format!("stage {stage_id}: {before:?} -> {rule:?}"),
    )
    .await?;
    Ok(())
}
