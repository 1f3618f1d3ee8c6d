//! The org structure: departments, staff placements, deputies, cash-flow items and approval
//! rules; what the approval chain reads (`chain_inputs`) and what admins edit. Staff data only:
//! every function here requires staff, and its changes an admin (a deputy also by the approver).
use std::collections::HashMap;

use chrono::NaiveDate;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set, SqlErr};

use super::{audit, begin_write};
use crate::domain::access::{Ctx, Role};
use crate::domain::approvals::{
    self, ApprovalRule, ChainError, Department, Deputy, MAX_ITEM_CODE, MAX_NAME, Org, Placement,
};
use crate::domain::form::FieldError;
use crate::domain::money::Money;
use crate::error::{AppError, AppResult, invalid};
use crate::model::org::{
    CashFlowItemRow, ChainView, DepartmentRow, DeputyRow, OrgSettings, PersonRow, RuleRow,
};
use crate::server::db::Db;
use crate::server::entities::{
    approval_rules, cash_flow_items, departments, deputies, staff_placements, users,
};

fn department_of(row: &departments::Model) -> Department {
    Department {
        id: row.id,
        parent_id: row.parent_id,
        head_user_id: row.head_user_id,
        directorate: row.directorate,
    }
}

fn placement_of(row: &staff_placements::Model) -> Placement {
    Placement {
        user_id: row.user_id,
        department_id: row.department_id,
        line_manager_id: row.line_manager_id,
    }
}

fn rule_of(row: &approval_rules::Model) -> ApprovalRule {
    ApprovalRule {
        id: row.id,
        min_amount: row.min_amount_kopecks.map(Money::from_kopecks),
        cash_flow_item_id: row.cash_flow_item_id,
        approver_user_id: row.approver_user_id,
    }
}

fn deputy_of(row: &deputies::Model) -> Deputy {
    Deputy {
        user_id: row.user_id,
        deputy_user_id: row.deputy_user_id,
        from: row.starts_on,
        to: row.ends_on,
    }
}

/// The org structure of these rows.
fn org_of(departments: &[departments::Model], placements: &[staff_placements::Model]) -> Org {
    Org::new(
        departments.iter().map(department_of).collect(),
        placements.iter().map(placement_of).collect(),
    )
}

/// What building a chain reads: the org, the active rules and the deputies.
pub struct ChainInputs {
    pub org: Org,
    pub rules: Vec<ApprovalRule>,
    pub deputies: Vec<Deputy>,
}

pub async fn chain_inputs(db: &impl sea_orm::ConnectionTrait) -> AppResult<ChainInputs> {
    let departments = departments::Entity::find().all(db).await?;
    let placements = staff_placements::Entity::find().all(db).await?;
    let rules = approval_rules::Entity::find()
        .filter(approval_rules::Column::Active.eq(true))
        .order_by_asc(approval_rules::Column::Id)
        .all(db)
        .await?;
    let deputies = deputies::Entity::find()
        .order_by_asc(deputies::Column::Id)
        .all(db)
        .await?;
    Ok(ChainInputs {
        org: org_of(&departments, &placements),
        rules: rules.iter().map(rule_of).collect(),
        deputies: deputies.iter().map(deputy_of).collect(),
    })
}

/// Departments in tree order (each after its parent, siblings by name), with their depth.
fn tree_order(rows: &[departments::Model]) -> Vec<(&departments::Model, usize)> {
    let mut children: HashMap<Option<i32>, Vec<&departments::Model>> = HashMap::new();
    let ids: std::collections::HashSet<i32> = rows.iter().map(|r| r.id).collect();
    for row in rows {
        // A parent that is gone counts as none: the department still shows.
        let parent = row.parent_id.filter(|p| ids.contains(p));
        children.entry(parent).or_default().push(row);
    }
    for list in children.values_mut() {
        list.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
    }
    let mut out = Vec::new();
    let mut stack: Vec<(&departments::Model, usize)> = children
        .get(&None)
        .map(|l| l.iter().rev().map(|d| (*d, 0)).collect())
        .unwrap_or_default();
    let mut seen = std::collections::HashSet::new();
    while let Some((row, depth)) = stack.pop() {
        if !seen.insert(row.id) {
            continue;
        }
        out.push((row, depth));
        if let Some(list) = children.get(&Some(row.id)) {
            stack.extend(list.iter().rev().map(|d| (*d, depth + 1)));
        }
    }
    out
}

/// The settings page: the tree, every active staff member with their chain as it stands
/// today (amount and item rules aside), deputies, items and rules.
pub async fn settings(ctx: &Ctx, db: &Db, today: NaiveDate) -> AppResult<OrgSettings> {
    ctx.require_staff()?;
    let department_rows = departments::Entity::find().all(db).await?;
    let placement_rows = staff_placements::Entity::find().all(db).await?;
    let staff_rows = users::Entity::find()
        .filter(users::Column::Role.ne(Role::Supplier.code()))
        .filter(users::Column::Active.eq(true))
        .order_by_asc(users::Column::LastName)
        .order_by_asc(users::Column::FirstName)
        .all(db)
        .await?;
    let names: HashMap<i32, String> = users::Entity::find()
        .filter(users::Column::Role.ne(Role::Supplier.code()))
        .all(db)
        .await?
        .iter()
        .map(|u| (u.id, super::users::full_name(u)))
        .collect();
    let name = |id: i32| names.get(&id).cloned().unwrap_or_else(|| format!("#{id}"));
    let org = org_of(&department_rows, &placement_rows);
    let deputy_rows = deputies::Entity::find()
        .order_by_asc(deputies::Column::Id)
        .all(db)
        .await?;
    let all_deputies: Vec<Deputy> = deputy_rows.iter().map(deputy_of).collect();
    let placements: HashMap<i32, &staff_placements::Model> =
        placement_rows.iter().map(|p| (p.user_id, p)).collect();

    let departments = tree_order(&department_rows)
        .into_iter()
        .map(|(row, depth)| DepartmentRow {
            id: row.id,
            name: row.name.clone(),
            parent_id: row.parent_id,
            head_user_id: row.head_user_id,
            head_name: row.head_user_id.map(name),
            directorate: row.directorate,
            depth,
        })
        .collect();
    let people = staff_rows
        .iter()
        .map(|user| {
            let placement = placements.get(&user.id);
            let chain = match approvals::build_chain(&org, user.id, Money::ZERO, 0, &[]) {
                Ok(steps) => ChainView::Approvers(
                    steps
                        .iter()
                        .map(|s| {
                            let acting = approvals::acting_approver(
                                s.approver_user_id,
                                user.id,
                                &all_deputies,
                                today,
                            );
                            if acting == s.approver_user_id {
                                name(acting)
                            } else {
                                format!("{} → {}", name(s.approver_user_id), name(acting))
                            }
                        })
                        .collect(),
                ),
                Err(ChainError::NoApprover { .. }) => ChainView::NoApprover,
                Err(ChainError::Cycle { .. }) => ChainView::Loop,
            };
            let acting = approvals::acting_approver(user.id, 0, &all_deputies, today);
            PersonRow {
                user_id: user.id,
                name: super::users::full_name(user),
                role: Role::from_code(&user.role).unwrap_or(Role::Manager),
                department_id: placement.and_then(|p| p.department_id),
                line_manager_id: placement.and_then(|p| p.line_manager_id),
                job_title: placement.map(|p| p.job_title.clone()).unwrap_or_default(),
                chain,
                deputy_today: (acting != user.id).then(|| name(acting)),
            }
        })
        .collect();
    // Those not over yet, by when they start.
    let mut current: Vec<&deputies::Model> =
        deputy_rows.iter().filter(|d| d.ends_on >= today).collect();
    current.sort_by_key(|d| d.starts_on);
    let deputies = current
        .into_iter()
        .map(|d| DeputyRow {
            id: d.id,
            user_name: name(d.user_id),
            deputy_name: name(d.deputy_user_id),
            from: d.starts_on,
            to: d.ends_on,
        })
        .collect();
    let items = cash_flow_items(db, false).await?;
    let rules = approval_rules::Entity::find()
        .order_by_asc(approval_rules::Column::Id)
        .all(db)
        .await?
        .iter()
        .map(|r| RuleRow {
            id: r.id,
            min_amount: r.min_amount_kopecks.map(Money::from_kopecks),
            cash_flow_item_id: r.cash_flow_item_id,
            approver_user_id: r.approver_user_id,
            active: r.active,
        })
        .collect();
    Ok(OrgSettings {
        departments,
        people,
        deputies,
        items,
        rules,
        staff: staff_rows
            .iter()
            .map(|u| crate::model::board::Choice {
                id: u.id,
                name: super::users::full_name(u),
            })
            .collect(),
        viewer_id: ctx.user_id,
        can_edit: ctx.role == Role::Admin,
    })
}

/// The cash-flow items by code; only the active ones when `active_only`.
pub async fn cash_flow_items(db: &Db, active_only: bool) -> AppResult<Vec<CashFlowItemRow>> {
    let mut query = cash_flow_items::Entity::find().order_by_asc(cash_flow_items::Column::Code);
    if active_only {
        query = query.filter(cash_flow_items::Column::Active.eq(true));
    }
    Ok(query
        .all(db)
        .await?
        .into_iter()
        .map(|i| CashFlowItemRow {
            id: i.id,
            code: i.code,
            name: i.name,
            active: i.active,
        })
        .collect())
}

/// What a department form asks for, checked.
pub struct DepartmentChange {
    pub name: String,
    pub parent_id: Option<i32>,
    pub head_user_id: Option<i32>,
    pub directorate: bool,
}

/// Saves department `id` (0 adds one). Refuses a parent that is not a department or would
/// make a circle, a head who is not active staff, and a head that would make someone's line
/// go round.
pub async fn save_department(
    ctx: &Ctx,
    db: &Db,
    id: i32,
    change: DepartmentChange,
) -> AppResult<i32> {
    ctx.require_admin()?;
    let name = approvals::check_name(&change.name, MAX_NAME).map_err(|e| invalid("name", e))?;
    if let Some(head) = change.head_user_id {
        super::users::require_active_staff(db, head)
            .await
            .map_err(|_| invalid("head", FieldError::NotStaff))?;
    }
    let txn = begin_write(db).await?;
    let rows = departments::Entity::find().all(&txn).await?;
    if id != 0 && !rows.iter().any(|r| r.id == id) {
        return Err(AppError::NotFound);
    }
    if let Some(parent) = change.parent_id {
        if !rows.iter().any(|r| r.id == parent) {
            return Err(invalid("parent", FieldError::NoSuchRecord));
        }
        let tree: Vec<Department> = rows.iter().map(department_of).collect();
        if id != 0 && approvals::parent_would_loop(&tree, id, Some(parent)) {
            return Err(invalid("parent", FieldError::OrgLoop));
        }
    }
    let mut row = departments::ActiveModel {
        name: Set(name),
        parent_id: Set(change.parent_id),
        head_user_id: Set(change.head_user_id),
        directorate: Set(change.directorate),
        ..Default::default()
    };
    let saved_id = if id == 0 {
        row.insert(&txn).await?.id
    } else {
        row.id = Set(id);
        row.update(&txn).await?.id
    };
    // A new head can close a circle of line managers set by hand.
    let placements = staff_placements::Entity::find().all(&txn).await?;
    let rows = departments::Entity::find().all(&txn).await?;
    if !org_of(&rows, &placements).people_in_loops().is_empty() {
        return Err(invalid("head", FieldError::OrgLoop));
    }
    audit::record(
        &txn,
        Some(ctx.user_id),
        "org.department",
        &format!(
            "department {saved_id}: parent {:?}, head {:?}, directorate {}",
            change.parent_id, change.head_user_id, change.directorate
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(saved_id)
}

/// What a placement form asks for, checked.
pub struct PlacementChange {
    pub department_id: Option<i32>,
    pub line_manager_id: Option<i32>,
    pub job_title: String,
}

/// Places staff member `user_id`: department, line manager by hand (none: the head), position.
pub async fn save_placement(
    ctx: &Ctx,
    db: &Db,
    user_id: i32,
    change: PlacementChange,
) -> AppResult<()> {
    ctx.require_admin()?;
    super::users::require_active_staff(db, user_id)
        .await
        .map_err(|_| invalid("user", FieldError::NotStaff))?;
    let job_title = change.job_title.trim().to_owned();
    if job_title.chars().count() > MAX_NAME {
        return Err(invalid("job_title", FieldError::TooLong(MAX_NAME)));
    }
    if let Some(manager) = change.line_manager_id {
        if manager == user_id {
            return Err(invalid("line_manager", FieldError::MustDiffer));
        }
        super::users::require_active_staff(db, manager)
            .await
            .map_err(|_| invalid("line_manager", FieldError::NotStaff))?;
    }
    let txn = begin_write(db).await?;
    let rows = departments::Entity::find().all(&txn).await?;
    if let Some(department) = change.department_id
        && !rows.iter().any(|r| r.id == department)
    {
        return Err(invalid("department", FieldError::NoSuchRecord));
    }
    let placements = staff_placements::Entity::find().all(&txn).await?;
    let placement = Placement {
        user_id,
        department_id: change.department_id,
        line_manager_id: change.line_manager_id,
    };
    let org = org_of(&rows, &placements).with_placement(placement);
    if !org.people_in_loops().is_empty() {
        return Err(invalid("line_manager", FieldError::OrgLoop));
    }
    let exists = placements.iter().any(|p| p.user_id == user_id);
    let row = staff_placements::ActiveModel {
        user_id: Set(user_id),
        department_id: Set(change.department_id),
        line_manager_id: Set(change.line_manager_id),
        job_title: Set(job_title),
    };
    if exists {
        row.update(&txn).await?;
    } else {
        row.insert(&txn).await?;
    }
    audit::record(
        &txn,
        Some(ctx.user_id),
        "org.placement",
        &format!(
            "user {user_id}: department {:?}, line manager {:?}",
            change.department_id, change.line_manager_id
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Names a deputy of `deputy.user_id` for a period: the approver themselves or an admin.
pub async fn add_deputy(ctx: &Ctx, db: &Db, deputy: Deputy) -> AppResult<i32> {
    ctx.require_staff()?;
    if deputy.user_id != ctx.user_id {
        ctx.require_admin()?;
    }
    approvals::check_deputy(&deputy).map_err(|(field, e)| invalid(field, e))?;
    super::users::require_active_staff(db, deputy.user_id)
        .await
        .map_err(|_| invalid("user", FieldError::NotStaff))?;
    super::users::require_active_staff(db, deputy.deputy_user_id)
        .await
        .map_err(|_| invalid("deputy", FieldError::NotStaff))?;
    let txn = begin_write(db).await?;
    let row = deputies::ActiveModel {
        user_id: Set(deputy.user_id),
        deputy_user_id: Set(deputy.deputy_user_id),
        starts_on: Set(deputy.from),
        ends_on: Set(deputy.to),
        created_at: Set(chrono::Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        Some(ctx.user_id),
        "org.deputy",
        &format!(
            "{} acts for {} from {} to {}",
            deputy.deputy_user_id, deputy.user_id, deputy.from, deputy.to
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(row.id)
}

/// Calls a deputy off: the approver who named them or an admin.
pub async fn remove_deputy(ctx: &Ctx, db: &Db, id: i32) -> AppResult<()> {
    ctx.require_staff()?;
    let txn = begin_write(db).await?;
    let row = deputies::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    if row.user_id != ctx.user_id {
        ctx.require_admin()?;
    }
    deputies::Entity::delete_by_id(id).exec(&txn).await?;
    audit::record(
        &txn,
        Some(ctx.user_id),
        "org.deputy_removed",
        &format!("deputy {id} of {}", row.user_id),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Saves cash-flow item `id` (0 adds one); a code is used once.
pub async fn save_cash_flow_item(
    ctx: &Ctx,
    db: &Db,
    id: i32,
    code: &str,
    name: &str,
    active: bool,
) -> AppResult<i32> {
    ctx.require_admin()?;
    let code = approvals::check_name(code, MAX_ITEM_CODE).map_err(|e| invalid("code", e))?;
    let name = approvals::check_name(name, MAX_NAME).map_err(|e| invalid("name", e))?;
    let txn = begin_write(db).await?;
    let taken = cash_flow_items::Entity::find()
        .filter(cash_flow_items::Column::Code.eq(code.as_str()))
        .filter(cash_flow_items::Column::Id.ne(id))
        .one(&txn)
        .await?
        .is_some();
    if taken {
        return Err(invalid("code", FieldError::CodeTaken));
    }
    let mut row = cash_flow_items::ActiveModel {
        code: Set(code.clone()),
        name: Set(name),
        active: Set(active),
        ..Default::default()
    };
    let saved = if id == 0 {
        row.insert(&txn).await
    } else {
        cash_flow_items::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .ok_or(AppError::NotFound)?;
        row.id = Set(id);
        row.update(&txn).await
    };
    let saved = match saved {
        Ok(saved) => saved,
        // Another admin took the code a moment ago.
        Err(err) if matches!(err.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            return Err(invalid("code", FieldError::CodeTaken));
        }
        Err(err) => return Err(err.into()),
    };
    audit::record(
        &txn,
        Some(ctx.user_id),
        "org.cash_flow_item",
        &format!("item {}: {code}, active {active}", saved.id),
    )
    .await?;
    txn.commit().await?;
    Ok(saved.id)
}

/// Saves approval rule `id` (0 adds one).
pub async fn save_rule(ctx: &Ctx, db: &Db, rule: ApprovalRule, active: bool) -> AppResult<i32> {
    ctx.require_admin()?;
    approvals::check_rule(&rule).map_err(|(field, e)| invalid(field, e))?;
    super::users::require_active_staff(db, rule.approver_user_id)
        .await
        .map_err(|_| invalid("approver", FieldError::NotStaff))?;
    let txn = begin_write(db).await?;
    if let Some(item) = rule.cash_flow_item_id
        && cash_flow_items::Entity::find_by_id(item)
            .one(&txn)
            .await?
            .is_none()
    {
        return Err(invalid("item", FieldError::NoSuchRecord));
    }
    let mut row = approval_rules::ActiveModel {
        min_amount_kopecks: Set(rule.min_amount.map(Money::kopecks)),
        cash_flow_item_id: Set(rule.cash_flow_item_id),
        approver_user_id: Set(rule.approver_user_id),
        active: Set(active),
        ..Default::default()
    };
    let saved_id = if rule.id == 0 {
        row.insert(&txn).await?.id
    } else {
        approval_rules::Entity::find_by_id(rule.id)
            .one(&txn)
            .await?
            .ok_or(AppError::NotFound)?;
        row.id = Set(rule.id);
        row.update(&txn).await?.id
    };
    audit::record(
        &txn,
        Some(ctx.user_id),
        "org.approval_rule",
        &format!("rule {saved_id}: {rule:?}, active {active}"),
    )
    .await?;
    txn.commit().await?;
    Ok(saved_id)
}
