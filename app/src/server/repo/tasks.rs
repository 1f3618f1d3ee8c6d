//! Tasks: for a staff member, everyone of a role, or a counterparty's people; their comments
//! (a supplier's answer among them); the templates a numbered deal's tasks come from; and the
//! numbering and reminder settings beside them.
use crate::server::db::Db;
use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};

use super::{audit, begin_write};
use crate::domain::access::{Ctx, Role};
use crate::domain::clock::Now;
use crate::domain::lang::Lang;
use crate::domain::numbering::KindCodes;
use crate::domain::tasks::{
    Assignee, TaskFields, TaskStatus, TaskTemplate, my_tasks_order, task_overdue,
};
use crate::error::{AppError, AppResult};
use crate::model::tasks::{
    AssigneeView, DealSettings, MyTasks, TaskComment, TaskLink, TaskPage, TaskRow, TemplateRow,
};
use crate::server::entities::{
    contracts, counterparties, deals, document_cards, supplier_orders, task_comments,
    task_templates, tasks, users,
};

/// The most tasks "My tasks" lists.
const MY_TASKS_LIMIT: u64 = 300;

pub fn template_of(row: &task_templates::Model) -> TaskTemplate {
    TaskTemplate {
        department_ru: row.department_ru.clone(),
        department_en: row.department_en.clone(),
        title_ru: row.title_ru.clone(),
        title_en: row.title_en.clone(),
        role: Role::from_code(&row.role).unwrap_or(Role::Manager),
        user_id: row.user_id,
        deadline_days: row.deadline_days.max(0) as u32,
    }
}

fn assignee_of(task: &tasks::Model) -> Option<Assignee> {
    match (
        task.assignee_user_id,
        task.assignee_role.as_deref().and_then(Role::from_code),
        task.assignee_counterparty_id,
    ) {
        (Some(id), _, _) => Some(Assignee::User(id)),
        (None, Some(role), _) => Some(Assignee::Role(role)),
        (None, None, Some(id)) => Some(Assignee::Counterparty(id)),
        _ => None,
    }
}

/// The tasks `ctx` may see: staff every task, a supplier its counterparty's.
fn scope(ctx: &Ctx) -> Condition {
    match (ctx.role.is_staff(), ctx.counterparty_id) {
        (true, _) => Condition::all(),
        (false, Some(id)) => Condition::all().add(tasks::Column::AssigneeCounterpartyId.eq(id)),
        (false, None) => Condition::all().add(Expr::cust("1 = 0")),
    }
}

/// The tasks that are `ctx`'s: to do, or (staff) set by them, to follow the answers.
fn mine(ctx: &Ctx) -> Condition {
    if ctx.role.is_staff() {
        Condition::any()
            .add(tasks::Column::AssigneeUserId.eq(ctx.user_id))
            .add(tasks::Column::CreatedBy.eq(ctx.user_id))
            .add(
                Condition::all()
                    .add(tasks::Column::AssigneeUserId.is_null())
                    .add(tasks::Column::AssigneeRole.eq(ctx.role.code())),
            )
    } else {
        scope(ctx)
    }
}

async fn in_scope(ctx: &Ctx, db: &impl ConnectionTrait, id: i32) -> AppResult<tasks::Model> {
    tasks::Entity::find_by_id(id)
        .filter(scope(ctx))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// Tasks as lists show them: whom for, links with their numbers, overdue.
async fn rows(
    ctx: &Ctx,
    db: &impl ConnectionTrait,
    found: Vec<tasks::Model>,
    today: NaiveDate,
) -> AppResult<Vec<TaskRow>> {
    let ids = |f: fn(&tasks::Model) -> Option<i32>| -> Vec<i32> {
        let mut ids: Vec<i32> = found.iter().filter_map(f).collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    };
    let people = super::users::names(db, ids(|t| t.assignee_user_id)).await?;
    let companies = super::counterparties::names(db, ids(|t| t.assignee_counterparty_id)).await?;
    // A supplier sees links only to what is its own (orders, contracts, documents); deals are
    // the buyer's.
    let staff = ctx.role.is_staff();
    let deal_labels: HashMap<i32, String> = if staff {
        deals::Entity::find()
            .filter(deals::Column::Id.is_in(ids(|t| t.deal_id)))
            .all(db)
            .await?
            .into_iter()
            .map(|d| (d.id, d.number.map(|n| format!("№{n}")).unwrap_or(d.title)))
            .collect()
    } else {
        HashMap::new()
    };
    let order_labels: HashMap<i32, String> = supplier_orders::Entity::find()
        .filter(supplier_orders::Column::Id.is_in(ids(|t| t.order_id)))
        .filter(super::counterparty_scope(
            ctx,
            supplier_orders::Column::CounterpartyId,
        ))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o.number.unwrap_or_else(|| format!("#{}", o.id))))
        .collect();
    let contract_labels: HashMap<i32, String> = contracts::Entity::find()
        .filter(contracts::Column::Id.is_in(ids(|t| t.contract_id)))
        .filter(super::counterparty_scope(
            ctx,
            contracts::Column::CounterpartyId,
        ))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.number.unwrap_or_else(|| format!("#{}", c.id))))
        .collect();
    let document_labels: HashMap<i32, String> = document_cards::Entity::find()
        .filter(document_cards::Column::Id.is_in(ids(|t| t.document_id)))
        .filter(super::counterparty_scope(
            ctx,
            document_cards::Column::CounterpartyId,
        ))
        .all(db)
        .await?
        .into_iter()
        .map(|d| (d.id, d.invoice_number))
        .collect();
    Ok(found
        .into_iter()
        .map(|task| {
            let status = TaskStatus::from_code(&task.status).unwrap_or(TaskStatus::Open);
            let assignee = match assignee_of(&task) {
                Some(Assignee::User(id)) => {
                    AssigneeView::User(people.get(&id).cloned().unwrap_or_default())
                }
                Some(Assignee::Role(role)) => AssigneeView::Role(role),
                Some(Assignee::Counterparty(id)) => {
                    AssigneeView::Counterparty(companies.get(&id).cloned().unwrap_or_default())
                }
                None => AssigneeView::User(String::new()),
            };
            let mut links = Vec::new();
            if let Some((id, label)) = task
                .deal_id
                .and_then(|id| deal_labels.get(&id).map(|l| (id, l.clone())))
            {
                links.push(TaskLink::Deal { id, label });
            }
            if let Some((id, label)) = task
                .order_id
                .and_then(|id| order_labels.get(&id).map(|l| (id, l.clone())))
            {
                links.push(TaskLink::Order { id, label });
            }
            if let Some((id, label)) = task
                .contract_id
                .and_then(|id| contract_labels.get(&id).map(|l| (id, l.clone())))
            {
                links.push(TaskLink::Contract { id, label });
            }
            if let Some((id, label)) = task
                .document_id
                .and_then(|id| document_labels.get(&id).map(|l| (id, l.clone())))
            {
                links.push(TaskLink::Document { id, label });
            }
            TaskRow {
                id: task.id,
                title: task.title,
                title_en: task.title_en,
                assignee,
                deadline: task.deadline,
                status,
                overdue: task_overdue(task.deadline, status, today),
                links,
            }
        })
        .collect())
}

pub async fn my_tasks(ctx: &Ctx, db: &Db, now: Now) -> AppResult<MyTasks> {
    let today = now.today();
    let found = tasks::Entity::find()
        .filter(scope(ctx))
        .filter(mine(ctx))
        .order_by_asc(tasks::Column::Status)
        .order_by_desc(tasks::Column::Id)
        .limit(MY_TASKS_LIMIT)
        .all(db)
        .await?;
    let mut rows = rows(ctx, db, found, today).await?;
    rows.sort_by_key(|t| my_tasks_order(t.status, t.deadline, t.id, today));
    let (staff, counterparties) = if ctx.role.is_staff() {
        (
            super::users::active_staff(db).await?,
            super::counterparties::choices(db).await?,
        )
    } else {
        (Vec::new(), Vec::new())
    };
    Ok(MyTasks {
        tasks: rows,
        staff,
        counterparties,
    })
}

/// The tasks linked through `column` to object `id` (a deal's, an order's), staff only.
pub async fn rows_linked(
    ctx: &Ctx,
    db: &impl ConnectionTrait,
    column: tasks::Column,
    id: i32,
    today: NaiveDate,
) -> AppResult<Vec<TaskRow>> {
    ctx.require_staff()?;
    let found = tasks::Entity::find()
        .filter(column.eq(id))
        .order_by_asc(tasks::Column::Id)
        .all(db)
        .await?;
    rows(ctx, db, found, today).await
}

pub async fn page(ctx: &Ctx, db: &Db, id: i32, now: Now) -> AppResult<TaskPage> {
    let task = in_scope(ctx, db, id).await?;
    let description = task.description.clone();
    let created_at = task.created_at;
    let comments = task_comments::Entity::find()
        .filter(task_comments::Column::TaskId.eq(id))
        .order_by_asc(task_comments::Column::At)
        .order_by_asc(task_comments::Column::Id)
        .all(db)
        .await?;
    let authors = super::users::by_ids(db, comments.iter().map(|c| c.user_id).collect()).await?;
    let comments = comments
        .into_iter()
        .map(|c| {
            let author = authors.get(&c.user_id);
            TaskComment {
                author: author.map(super::users::full_name).unwrap_or_default(),
                from_supplier: author.is_some_and(|u| u.role == Role::Supplier.code()),
                body: c.body,
                at: c.at,
            }
        })
        .collect();
    let files = super::item_files::list(db, crate::domain::files::FileOwner::Task, id).await?;
    let row = rows(ctx, db, vec![task], now.today())
        .await?
        .pop()
        .ok_or(AppError::Internal)?;
    Ok(TaskPage {
        task: row,
        description,
        comments,
        files,
        created_at,
    })
}

/// Tells the task's people of it in the app: its user, or every active user of its role.
pub async fn notify_assignees(
    db: &impl ConnectionTrait,
    task: &tasks::Model,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let recipients = match assignee_of(task) {
        Some(Assignee::User(id)) => {
            users::Entity::find_by_id(id)
                .filter(users::Column::Active.eq(true))
                .all(db)
                .await?
        }
        Some(Assignee::Role(role)) => {
            users::Entity::find()
                .filter(users::Column::Role.eq(role.code()))
                .filter(users::Column::Active.eq(true))
                .all(db)
                .await?
        }
        // A supplier finds it in its cabinet.
        Some(Assignee::Counterparty(_)) | None => Vec::new(),
    };
    for user in recipients {
        let lang = user
            .locale
            .as_deref()
            .and_then(Lang::from_code)
            .unwrap_or(Lang::Ru);
        let title = match (lang, &task.title_en) {
            (Lang::En, Some(en)) => en.as_str(),
            _ => task.title.as_str(),
        };
        let text = match lang {
            Lang::Ru => format!("Новая задача: {title}"),
            Lang::En => format!("New task: {title}"),
        };
        super::notifications::add(db, user.id, None, &text, now).await?;
    }
    Ok(())
}

async fn check_links(
    db: &impl ConnectionTrait,
    fields: &TaskFields,
    deal: Option<i32>,
    order: Option<i32>,
) -> AppResult<()> {
    let refused =
        |field: &str| crate::error::invalid(field, crate::domain::form::FieldError::NoSuchRecord);
    match fields.assignee {
        Assignee::User(id) => {
            super::users::require_active_staff(db, id).await?;
        }
        Assignee::Counterparty(id) => {
            counterparties::Entity::find_by_id(id)
                .one(db)
                .await?
                .ok_or_else(|| refused("assignee"))?;
        }
        Assignee::Role(_) => {}
    }
    if let Some(id) = deal {
        deals::Entity::find_by_id(id)
            .one(db)
            .await?
            .ok_or_else(|| refused("deal"))?;
    }
    if let Some(id) = order {
        supplier_orders::Entity::find_by_id(id)
            .one(db)
            .await?
            .ok_or_else(|| refused("order"))?;
    }
    Ok(())
}

pub async fn create(
    ctx: &Ctx,
    db: &Db,
    fields: &TaskFields,
    deal: Option<i32>,
    order: Option<i32>,
    now: DateTime<Utc>,
) -> AppResult<i32> {
    ctx.require_staff()?;
    check_links(db, fields, deal, order).await?;
    let txn = begin_write(db).await?;
    let task = tasks::ActiveModel {
        title: Set(fields.title.clone()),
        title_en: Set(None),
        description: Set(fields.description.clone()),
        assignee_user_id: Set(match fields.assignee {
            Assignee::User(id) => Some(id),
            _ => None,
        }),
        assignee_role: Set(match fields.assignee {
            Assignee::Role(role) => Some(role.code().to_owned()),
            _ => None,
        }),
        assignee_counterparty_id: Set(match fields.assignee {
            Assignee::Counterparty(id) => Some(id),
            _ => None,
        }),
        deadline: Set(fields.deadline),
        status: Set(TaskStatus::Open.code().to_owned()),
        deal_id: Set(deal),
        order_id: Set(order),
        contract_id: Set(None),
        document_id: Set(None),
        dedupe_key: Set(None),
        created_by: Set(Some(ctx.user_id)),
        created_at: Set(now),
        done_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    notify_assignees(&txn, &task, now).await?;
    audit::record(
        &txn,
        Some(ctx.user_id),
        "task.create",
        &format!("task {} for {:?}", task.id, fields.assignee),
    )
    .await?;
    txn.commit().await?;
    Ok(task.id)
}

/// A task for a staff role about one counterparty, which that counterparty's people follow in
/// their cabinet (a statement dispute: accounting answers, the supplier reads the answer).
pub struct AboutCounterparty {
    pub title_ru: String,
    pub title_en: String,
    pub description: String,
    pub role: Role,
    pub counterparty_id: i32,
    pub deadline: Option<NaiveDate>,
    pub dedupe_key: Option<String>,
}

/// Opens `about` in the caller's transaction and tells the role's people; returns its id. The
/// role is the assignee (it comes first); the counterparty column makes it the supplier's to
/// follow, as its cabinet and its row-level wall read tasks by that column.
pub async fn open_about_counterparty(
    txn: &impl ConnectionTrait,
    ctx: &Ctx,
    about: AboutCounterparty,
    now: DateTime<Utc>,
) -> AppResult<i32> {
    let task = tasks::ActiveModel {
        title: Set(about.title_ru),
        title_en: Set(Some(about.title_en)),
        description: Set(about.description),
        assignee_user_id: Set(None),
        assignee_role: Set(Some(about.role.code().to_owned())),
        assignee_counterparty_id: Set(Some(about.counterparty_id)),
        deadline: Set(about.deadline),
        status: Set(TaskStatus::Open.code().to_owned()),
        deal_id: Set(None),
        order_id: Set(None),
        contract_id: Set(None),
        document_id: Set(None),
        dedupe_key: Set(about.dedupe_key),
        created_by: Set(Some(ctx.user_id)),
        created_at: Set(now),
        done_at: Set(None),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    notify_assignees(txn, &task, now).await?;
    Ok(task.id)
}

/// A comment; a supplier's answer tells the task's author.
pub async fn comment(ctx: &Ctx, db: &Db, id: i32, body: &str, now: DateTime<Utc>) -> AppResult<()> {
    let task = in_scope(ctx, db, id).await?;
    let txn = begin_write(db).await?;
    task_comments::ActiveModel {
        task_id: Set(task.id),
        user_id: Set(ctx.user_id),
        body: Set(body.to_owned()),
        at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let author = match task.created_by {
        Some(id) => users::Entity::find_by_id(id).one(&txn).await?,
        None => None,
    };
    match author {
        // A supplier's answer tells the staff member who set the task, in the app.
        Some(author) if !ctx.role.is_staff() && author.counterparty_id.is_none() => {
            let text = format!(
                "Ответ поставщика по задаче «{}» / Supplier's answer",
                task.title
            );
            super::notifications::add(&txn, author.id, None, &text, now).await?;
        }
        // Staff's answer on a task a supplier opened (a statement dispute) goes back to it by
        // e-mail.
        Some(author) if ctx.role.is_staff() && author.counterparty_id.is_some() => {
            let lang = author
                .locale
                .as_deref()
                .and_then(Lang::from_code)
                .unwrap_or(Lang::Ru);
            let title = match (lang, &task.title_en) {
                (Lang::En, Some(en)) => en.clone(),
                _ => task.title.clone(),
            };
            let letter = crate::domain::tasks::answer_letter(lang, &title, body);
            super::accounts::enqueue(&txn, &author.email, &letter, now).await?;
        }
        _ => {}
    }
    txn.commit().await?;
    Ok(())
}

pub async fn set_status(
    ctx: &Ctx,
    db: &Db,
    id: i32,
    status: TaskStatus,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let task = in_scope(ctx, db, id).await?;
    let txn = begin_write(db).await?;
    tasks::Entity::update_many()
        .col_expr(tasks::Column::Status, Expr::value(status.code()))
        .col_expr(
            tasks::Column::DoneAt,
            Expr::value((status == TaskStatus::Done).then_some(now)),
        )
        .filter(tasks::Column::Id.eq(task.id))
        .exec(&txn)
        .await?;
    audit::record(
        &txn,
        Some(ctx.user_id),
        "task.status",
        &format!("task {}: {}", task.id, status.code()),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

pub async fn deal_settings(ctx: &Ctx, db: &Db) -> AppResult<DealSettings> {
    ctx.require_admin()?;
    let templates = task_templates::Entity::find()
        .order_by_asc(task_templates::Column::Position)
        .order_by_asc(task_templates::Column::Id)
        .all(db)
        .await?
        .iter()
        .map(|row| {
            let t = template_of(row);
            TemplateRow {
                id: row.id,
                department_ru: t.department_ru,
                department_en: t.department_en,
                title_ru: t.title_ru,
                title_en: t.title_en,
                role: t.role,
                user_id: t.user_id,
                deadline_days: t.deadline_days,
                active: row.active,
            }
        })
        .collect();
    let codes = super::settings::kind_codes(db).await?;
    Ok(DealSettings {
        templates,
        staff: super::users::active_staff(db).await?,
        order_code: codes.order,
        contract_code: codes.contract,
        specification_code: codes.specification,
        reminder_days: super::settings::reminder_days(db).await?,
    })
}

/// Saves template `id`, or adds one when `id` is 0.
pub async fn save_template(
    ctx: &Ctx,
    db: &Db,
    id: i32,
    template: &TaskTemplate,
    active: bool,
) -> AppResult<()> {
    ctx.require_admin()?;
    if let Some(user) = template.user_id {
        super::users::require_active_staff(db, user).await?;
    }
    let txn = begin_write(db).await?;
    let mut row = task_templates::ActiveModel {
        department_ru: Set(template.department_ru.clone()),
        department_en: Set(template.department_en.clone()),
        title_ru: Set(template.title_ru.clone()),
        title_en: Set(template.title_en.clone()),
        role: Set(template.role.code().to_owned()),
        user_id: Set(template.user_id),
        deadline_days: Set(template.deadline_days as i32),
        active: Set(active),
        ..Default::default()
    };
    if id == 0 {
        row.position = Set(i32::MAX / 2);
        row.insert(&txn).await?;
    } else {
        task_templates::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .ok_or(AppError::NotFound)?;
        row.id = Set(id);
        row.update(&txn).await?;
    }
    audit::record(
        &txn,
        Some(ctx.user_id),
        "settings.task_template",
        &format!("template {id}: {template:?}, active {active}"),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

pub async fn save_settings(
    ctx: &Ctx,
    db: &Db,
    codes: &KindCodes,
    reminder_days: u32,
) -> AppResult<()> {
    ctx.require_admin()?;
    let txn = begin_write(db).await?;
    super::settings::save(&txn, codes, reminder_days).await?;
    audit::record(
        &txn,
        Some(ctx.user_id),
        "settings.numbering",
        &format!("codes {codes:?}, reminder {reminder_days} days"),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
