//! Stage rules as stored: what entering each stage of any pipeline does. A rule is keyed by its
//! stage's row, so every pipeline's stages have one; the move engine applies them
//! (`pipeline::moves`).
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, IntoActiveModel, Set};

use super::stages::stage_name;
use crate::domain::access::{Ctx, Role};
use crate::domain::pipeline::Pipeline;
use crate::domain::stage_rules::{Responsible, StageRule};
use crate::error::{AppError, AppResult};
use crate::model::stage_rules::{StageRuleRow, StageRuleSettings};
use crate::server::entities::stage_rules;

/// A stored rule; `None` when a stored value is unreadable (then the stage's default holds,
/// and the log says so).
pub fn rule_of(row: &stage_rules::Model) -> Option<StageRule> {
    let responsible = Responsible::from_code(&row.responsible);
    if responsible.is_none() {
        tracing::error!(stage = row.stage_id, responsible = %row.responsible, "unreadable rule");
    }
    Some(StageRule {
        notify_role: row.notify_role.as_deref().and_then(Role::from_code),
        notify_responsible: row.notify_responsible,
        responsible: responsible?,
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

/// Every stage of `pipeline` with its rule, in board order (admins only).
pub async fn all(
    ctx: &Ctx,
    db: &impl ConnectionTrait,
    pipeline: Pipeline,
) -> AppResult<StageRuleSettings> {
    if ctx.role != Role::Admin {
        return Err(AppError::Forbidden);
    }
    let rows = super::pipeline::moves::stages_with_rules(db, pipeline)
        .await?
        .into_iter()
        .map(|(stage, rule)| {
            Ok(StageRuleRow {
                stage: stage_name(&stage)?,
                rule,
            })
        })
        .collect::<AppResult<_>>()?;
    let staff = super::users::active_staff(db).await?;
    Ok(StageRuleSettings {
        pipeline,
        rows,
        staff,
    })
}

/// An admin changes the rule of stage `code` of `pipeline`; audited with the old and new
/// values.
pub async fn save(
    ctx: &Ctx,
    db: &impl ConnectionTrait,
    pipeline: Pipeline,
    code: &str,
    rule: &StageRule,
) -> AppResult<()> {
    if ctx.role != Role::Admin {
        return Err(AppError::Forbidden);
    }
    let all = super::stages::rows_of(db, pipeline.code()).await?;
    let stage_id = all
        .iter()
        .find(|s| s.code == code)
        .ok_or_else(|| crate::error::unknown("stage"))?
        .id;
    let old = stage_rules::Entity::find_by_id(stage_id).one(db).await?;
    let before = old.as_ref().and_then(rule_of);
    let stored = old.is_some();
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
    // A pipeline without a supplier keeps no supplier message.
    let message = |text: &Option<String>| text.clone().filter(|_| pipeline.has_supplier());
    row.supplier_message_ru = Set(message(&rule.supplier_message_ru));
    row.supplier_message_en = Set(message(&rule.supplier_message_en));
    // The key is the stage's row, always set: a stage with no stored rule yet gets one.
    if stored {
        row.update(db).await?;
    } else {
        row.insert(db).await?;
    }
    super::audit::record(
        db,
        Some(ctx.user_id),
        "stage_rule_changed",
        &format!(
            "{} stage {stage_id}: {before:?} -> {rule:?}",
            pipeline.code()
        ),
    )
    .await?;
    Ok(())
}
