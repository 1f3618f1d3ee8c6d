//! What entering each stage does, as an admin sees and changes it.
use leptos::prelude::*;

use crate::domain::pipeline::Pipeline;
#[cfg(feature = "ssr")]
use crate::domain::stage_rules::StageRule;
use crate::error::AppError;

pub use crate::model::stage_rules::*;

/// Every stage of `pipeline` (the supplier documents' when not given) with its rule (admins
/// only).
#[server(prefix = "/api", endpoint = "admin/stage_rules")]
pub async fn stage_rules(
    #[server(default)] pipeline: Pipeline,
) -> Result<StageRuleSettings, AppError> {
    use crate::server::repo::stage_rules;
    crate::error::respond(
        async move {
            let (ctx, state) = super::signed_in().await?;
            stage_rules::all(&ctx, &state.db, pipeline).await
        }
        .await,
    )
}

/// Changes the rule of `stage` of `pipeline` (the supplier documents' when not given). `responsible` is `keep`, `mover`, `role:<role>` or
/// `user:<id>`; empty messages mean no message.
#[server(prefix = "/api", endpoint = "admin/save_stage_rule")]
pub async fn save_stage_rule(
    #[server(default)] pipeline: Pipeline,
    stage: String,
    notify_role: Option<String>,
    notify_responsible: Option<String>,
    responsible: String,
    message_ru: Option<String>,
    message_en: Option<String>,
) -> Result<(), AppError> {
    use crate::domain::access::Role;
    use crate::domain::form::FieldError;
    use crate::domain::stage_rules::Responsible;
    use crate::server::{auth, repo::stage_rules};
    crate::error::respond(
        async move {
            let (ctx, state) = super::admin().await?;
            let invalid = |field: &str| crate::error::invalid(field, FieldError::Unknown);
            let notify_role = match notify_role.as_deref().map(str::trim) {
                None | Some("") => None,
                Some(code) => Some(
                    Role::from_code(code)
                        .filter(|r| r.is_staff())
                        .ok_or_else(|| invalid("notify_role"))?,
                ),
            };
            let text = |value: Option<String>| {
                value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
            };
            let rule = StageRule {
                notify_role,
                notify_responsible: crate::domain::form::ticked(notify_responsible.as_deref()),
                responsible: Responsible::from_code(responsible.trim())
                    .ok_or_else(|| invalid("responsible"))?,
                supplier_message_ru: text(message_ru),
                supplier_message_en: text(message_en),
            };
            stage_rules::save(&ctx, &state.db, pipeline, stage.trim(), &rule).await?;
            auth::redirect_plain_form(&format!(
                "/staff/settings/stages?pipeline={}",
                pipeline.code()
            ));
            Ok(())
        }
        .await,
    )
}
