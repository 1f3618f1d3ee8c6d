//! What the tasks server functions exchange with the browser.
use crate::domain::access::Role;
use crate::domain::tasks::TaskStatus;
use crate::model::board::Choice;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// Whom a task is for, as shown.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AssigneeView {
    User(String),
    Role(Role),
    Counterparty(String),
}

/// What a task is about, each with its number where it has one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TaskLink {
    Deal { id: i32, label: String },
    Order { id: i32, label: String },
    Contract { id: i32, label: String },
    Document { id: i32, label: String },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskRow {
    pub id: i32,
    pub title: String,
    /// Tasks made automatically have a title in each language.
    pub title_en: Option<String>,
    pub assignee: AssigneeView,
    pub deadline: Option<NaiveDate>,
    pub status: TaskStatus,
    pub overdue: bool,
    pub links: Vec<TaskLink>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskComment {
    pub author: String,
    pub from_supplier: bool,
    pub body: String,
    pub at: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemFile {
    pub id: i32,
    pub name: String,
    pub size_bytes: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskPage {
    pub task: TaskRow,
    pub description: String,
    pub comments: Vec<TaskComment>,
    pub files: Vec<ItemFile>,
    pub created_at: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyTasks {
    pub tasks: Vec<TaskRow>,
    /// For the staff's "new task" form.
    pub staff: Vec<Choice>,
    pub counterparties: Vec<Choice>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateRow {
    pub id: i32,
    pub department_ru: String,
    pub department_en: String,
    pub title_ru: String,
    pub title_en: String,
    pub role: Role,
    pub user_id: Option<i32>,
    pub deadline_days: u32,
    pub active: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DealSettings {
    pub templates: Vec<TemplateRow>,
    pub staff: Vec<Choice>,
    pub order_code: String,
    pub contract_code: String,
    pub specification_code: String,
    pub reminder_days: u32,
}

/// A task template as the admin's form sends it (`template[title_ru]`…).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateInput {
    #[serde(default)]
    pub department_ru: String,
    #[serde(default)]
    pub department_en: String,
    pub title_ru: String,
    pub title_en: String,
    pub role: String,
    /// Empty: everyone of the role.
    pub user: Option<String>,
    pub deadline_days: String,
    /// A checkbox: present when ticked.
    pub active: Option<String>,
}
