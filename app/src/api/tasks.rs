//! Tasks: "My tasks" (overdue first), a task's page with its comments and answer files, tasks
//! staff set (for a colleague, a role or a supplier), the templates a numbered deal's tasks are
//! made from, and the numbering and reminder settings.
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::domain::access::Role;
use crate::domain::tasks::TaskStatus;
use crate::error::AppError;

pub use crate::model::tasks::*;

/// The signed-in person's tasks: staff their own, their role's and those they set, a supplier
/// its counterparty's; open and overdue first.
#[server(prefix = "/api", endpoint = "tasks")]
pub async fn get_my_tasks() -> Result<MyTasks, AppError> {
    use crate::server::repo::tasks;
    crate::error::respond(
        async move {
            let (ctx, state) = super::signed_in().await?;
            tasks::my_tasks(&ctx, &state.db, state.now()).await
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "task")]
pub async fn get_task(id: i32) -> Result<TaskPage, AppError> {
    use crate::server::repo::tasks;
    crate::error::respond(
        async move {
            let (ctx, state) = super::signed_in().await?;
            tasks::page(&ctx, &state.db, id, state.now()).await
        }
        .await,
    )
}

/// Staff set a task: for a colleague (`user:7`), a role (`role:accountant`) or a supplier
/// (`counterparty:5`), with an optional deadline and link to a deal or an order.
#[allow(clippy::too_many_arguments)]
#[server(prefix = "/api", endpoint = "staff/create_task")]
pub async fn create_task(
    title: String,
    #[server(default)] description: String,
    assignee: String,
    #[server(default)] deadline: String,
    deal: Option<i32>,
    order: Option<i32>,
    return_to: Option<String>,
) -> Result<i32, AppError> {
    use crate::domain::tasks::{RawTask, check_task};
    use crate::server::{auth, repo::tasks};
    crate::error::respond(
        async move {
            let (ctx, state) = super::staff().await?;
            let fields = check_task(&RawTask {
                title,
                description,
                assignee,
                deadline,
            })
            .map_err(|problems| AppError::Rejected { problems })?;
            let id = tasks::create(&ctx, &state.db, &fields, deal, order, state.now().at).await?;
            auth::redirect_plain_form(&crate::api::moves::safe_return(
                return_to.as_deref(),
                &format!("/staff/tasks/{id}"),
            ));
            Ok(id)
        }
        .await,
    )
}

/// A comment on a task: staff, or the supplier the task is for (its answer).
#[server(prefix = "/api", endpoint = "task_comment")]
pub async fn comment_task(id: i32, body: String) -> Result<(), AppError> {
    use crate::server::{auth, repo::tasks};
    crate::error::respond(
        async move {
            let (ctx, state) = super::signed_in().await?;
            let body = crate::domain::tasks::check_comment(&body).map_err(|problem| {
                AppError::Rejected {
                    problems: vec![problem],
                }
            })?;
            tasks::comment(&ctx, &state.db, id, &body, state.now().at).await?;
            auth::redirect_plain_form(&crate::paths::task_path(ctx.role, id));
            Ok(())
        }
        .await,
    )
}

/// Marks a task done (or open again).
#[server(prefix = "/api", endpoint = "task_status")]
pub async fn set_task_status(id: i32, status: TaskStatus) -> Result<(), AppError> {
    use crate::server::{auth, repo::tasks};
    crate::error::respond(
        async move {
            let (ctx, state) = super::signed_in().await?;
            tasks::set_status(&ctx, &state.db, id, status, state.now().at).await?;
            auth::redirect_plain_form(&crate::paths::task_path(ctx.role, id));
            Ok(())
        }
        .await,
    )
}

/// The task templates and the numbering and reminder settings (admins).
#[server(prefix = "/api", endpoint = "admin/deal_settings")]
pub async fn get_deal_settings() -> Result<DealSettings, AppError> {
    use crate::server::repo::tasks;
    crate::error::respond(
        async move {
            let (ctx, state) = super::admin().await?;
            tasks::deal_settings(&ctx, &state.db).await
        }
        .await,
    )
}

/// Saves task template `id` (0 adds one); admins only.
#[server(prefix = "/api", endpoint = "admin/save_task_template")]
pub async fn save_task_template(id: i32, template: TemplateInput) -> Result<(), AppError> {
    let TemplateInput {
        department_ru,
        department_en,
        title_ru,
        title_en,
        role,
        user,
        deadline_days,
        active,
    } = template;
    use crate::domain::tasks::{TaskTemplate, check_template};
    use crate::server::{auth, repo::tasks};
    crate::error::respond(
        async move {
            let (ctx, state) = super::admin().await?;
            use crate::domain::form::FieldError;
            let invalid = crate::error::invalid;
            let template = TaskTemplate {
                department_ru: department_ru.trim().to_owned(),
                department_en: department_en.trim().to_owned(),
                title_ru: title_ru.trim().to_owned(),
                title_en: title_en.trim().to_owned(),
                role: Role::from_code(&role).ok_or_else(|| invalid("role", FieldError::Unknown))?,
                user_id: crate::domain::form::optional_id(user.as_deref())
                    .map_err(|e| invalid("user", e))?,
                deadline_days: deadline_days
                    .trim()
                    .parse()
                    .map_err(|_| invalid("deadline_days", FieldError::NotANumber))?,
            };
            check_template(&template).map_err(|e| invalid("template", e.into()))?;
            let active = active.is_some_and(|a| !a.is_empty());
            tasks::save_template(&ctx, &state.db, id, &template, active).await?;
            auth::redirect_plain_form("/staff/settings/deals");
            Ok(())
        }
        .await,
    )
}

/// Saves the kind codes of item numbers and the reminder's days before a deadline (admins).
#[server(prefix = "/api", endpoint = "admin/save_deal_settings")]
pub async fn save_deal_settings(
    order_code: String,
    contract_code: String,
    specification_code: String,
    reminder_days: String,
) -> Result<(), AppError> {
    use crate::domain::deadlines::MAX_REMINDER_DAYS;
    use crate::domain::numbering::KindCodes;
    use crate::server::{auth, repo::tasks};
    crate::error::respond(
        async move {
            let (ctx, state) = super::admin().await?;
            let codes = KindCodes::check(&order_code, &contract_code, &specification_code)
                .map_err(|e| crate::error::invalid("codes", e.into()))?;
            let days = reminder_days
                .trim()
                .parse::<u32>()
                .ok()
                .filter(|d| *d <= MAX_REMINDER_DAYS)
                .ok_or_else(|| {
                    crate::error::invalid(
                        "reminder_days",
                        crate::domain::form::FieldError::OutOfRange {
                            min: 0,
                            max: i64::from(MAX_REMINDER_DAYS),
                        },
                    )
                })?;
            tasks::save_settings(&ctx, &state.db, &codes, days).await?;
            auth::redirect_plain_form("/staff/settings/deals");
            Ok(())
        }
        .await,
    )
}
