//! The org structure payment requests are approved along, as admins keep it: departments,
//! placements, deputies, cash-flow items and approval rules. Staff read it; admins change it;
//! any staff member names their own deputy.
use leptos::prelude::*;

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::error::AppResult;

pub use crate::model::org::*;

/// Where the settings page lives.
pub const ORG_PATH: &str = "/staff/settings/org";

/// A choice from a list, as a form sends it: empty is none, else an id.
#[cfg(feature = "ssr")]
fn chosen(value: Option<&str>, field: &str) -> AppResult<Option<i32>> {
    crate::domain::form::optional_id(value).map_err(|e| crate::error::invalid(field, e))
}

/// The whole org structure with each person's chain today (staff).
#[server(prefix = "/api", endpoint = "staff/org")]
pub async fn get_org() -> Result<OrgSettings, AppError> {
    use crate::server::repo::org;
    crate::error::respond(
        async move {
            let (ctx, state) = super::staff().await?;
            org::settings(&ctx, &state.db, state.now().today()).await
        }
        .await,
    )
}

/// Saves department `id` (0 adds one); admins only.
#[server(prefix = "/api", endpoint = "admin/save_department")]
pub async fn save_department(id: i32, department: DepartmentInput) -> Result<(), AppError> {
    use crate::server::{auth, repo::org};
    crate::error::respond(
        async move {
            let (ctx, state) = super::admin().await?;
            let change = org::DepartmentChange {
                name: department.name,
                parent_id: chosen(department.parent.as_deref(), "parent")?,
                head_user_id: chosen(department.head.as_deref(), "head")?,
                directorate: crate::domain::form::ticked(department.directorate.as_deref()),
            };
            org::save_department(&ctx, &state.db, id, change).await?;
            auth::redirect_plain_form(ORG_PATH);
            Ok(())
        }
        .await,
    )
}

/// Places staff member `member` in the structure; admins only.
#[server(prefix = "/api", endpoint = "admin/save_placement")]
pub async fn save_placement(member: i32, placement: PlacementInput) -> Result<(), AppError> {
    use crate::server::{auth, repo::org};
    crate::error::respond(
        async move {
            let (ctx, state) = super::admin().await?;
            let change = org::PlacementChange {
                department_id: chosen(placement.department.as_deref(), "department")?,
                line_manager_id: chosen(placement.line_manager.as_deref(), "line_manager")?,
                job_title: placement.job_title.unwrap_or_default(),
            };
            org::save_placement(&ctx, &state.db, member, change).await?;
            auth::redirect_plain_form(ORG_PATH);
            Ok(())
        }
        .await,
    )
}

/// Names `deputy` to act for `user` (oneself, or anyone for an admin) from `starts_on` to
/// `ends_on` inclusive.
#[server(prefix = "/api", endpoint = "staff/add_deputy")]
pub async fn add_deputy(
    user: i32,
    deputy: String,
    starts_on: String,
    ends_on: String,
) -> Result<(), AppError> {
    use crate::domain::form::{FieldError, required_date};
    use crate::server::{auth, repo::org};
    crate::error::respond(
        async move {
            let (ctx, state) = super::staff().await?;
            let problem = |p: crate::domain::form::FieldProblem| match p.subject {
                crate::domain::form::Subject::Field(field) => {
                    crate::error::invalid(&field, p.error)
                }
                _ => crate::error::invalid("starts_on", p.error),
            };
            let deputy = crate::domain::approvals::Deputy {
                user_id: user,
                deputy_user_id: chosen(Some(&deputy), "deputy")?
                    .ok_or_else(|| crate::error::invalid("deputy", FieldError::Required))?,
                from: required_date(Some(&starts_on), "starts_on").map_err(problem)?,
                to: required_date(Some(&ends_on), "ends_on").map_err(problem)?,
            };
            org::add_deputy(&ctx, &state.db, deputy).await?;
            auth::redirect_plain_form(ORG_PATH);
            Ok(())
        }
        .await,
    )
}

/// Calls deputy `id` off (the approver who named them, or an admin).
#[server(prefix = "/api", endpoint = "staff/remove_deputy")]
pub async fn remove_deputy(id: i32) -> Result<(), AppError> {
    use crate::server::{auth, repo::org};
    crate::error::respond(
        async move {
            let (ctx, state) = super::staff().await?;
            org::remove_deputy(&ctx, &state.db, id).await?;
            auth::redirect_plain_form(ORG_PATH);
            Ok(())
        }
        .await,
    )
}

/// Saves cash-flow item `id` (0 adds one); admins only.
#[server(prefix = "/api", endpoint = "admin/save_cash_flow_item")]
pub async fn save_cash_flow_item(
    id: i32,
    code: String,
    name: String,
    active: Option<String>,
) -> Result<(), AppError> {
    use crate::server::{auth, repo::org};
    crate::error::respond(
        async move {
            let (ctx, state) = super::admin().await?;
            org::save_cash_flow_item(
                &ctx,
                &state.db,
                id,
                &code,
                &name,
                crate::domain::form::ticked(active.as_deref()),
            )
            .await?;
            auth::redirect_plain_form(ORG_PATH);
            Ok(())
        }
        .await,
    )
}

/// Saves approval rule `id` (0 adds one): from `min_amount` (rubles, optional), for `item`
/// (optional), `approver` is asked too; admins only.
#[server(prefix = "/api", endpoint = "admin/save_approval_rule")]
pub async fn save_approval_rule(
    id: i32,
    min_amount: Option<String>,
    item: Option<String>,
    approver: String,
    active: Option<String>,
) -> Result<(), AppError> {
    use crate::domain::form::FieldError;
    use crate::domain::money::Money;
    use crate::server::{auth, repo::org};
    crate::error::respond(
        async move {
            let (ctx, state) = super::admin().await?;
            let min_amount = match min_amount
                .as_deref()
                .map(str::trim)
                .filter(|v| !v.is_empty())
            {
                None => None,
                Some(text) => Some(
                    Money::parse_at_most(text, state.settings.max_amount)
                        .map_err(|e| crate::error::invalid("min_amount", FieldError::Amount(e)))?,
                ),
            };
            let rule = crate::domain::approvals::ApprovalRule {
                id,
                min_amount,
                cash_flow_item_id: chosen(item.as_deref(), "item")?,
                approver_user_id: chosen(Some(&approver), "approver")?
                    .ok_or_else(|| crate::error::invalid("approver", FieldError::Required))?,
            };
            org::save_rule(
                &ctx,
                &state.db,
                rule,
                crate::domain::form::ticked(active.as_deref()),
            )
            .await?;
            auth::redirect_plain_form(ORG_PATH);
            Ok(())
        }
        .await,
    )
}
