//! Tasks: who they are for (a user, everyone of a role, or a counterparty's people), their
//! order in "My tasks", the back-office templates a deal's numbering makes tasks from, and the
//! accountant's payment reminder.
use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

use super::access::{Ctx, Role};
use super::form::{FieldError, FieldProblem, optional_date};
use super::lang::Lang;

pub const MAX_TASK_TITLE_CHARS: usize = 300;
pub const MAX_TASK_TEXT_CHARS: usize = 4000;
/// Stands for the deal's or order's number in a template's title.
pub const NUMBER_PLACEHOLDER: &str = "{number}";

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    Open,
    Done,
}

impl TaskStatus {
    pub fn code(self) -> &'static str {
        match self {
            TaskStatus::Open => "open",
            TaskStatus::Done => "done",
        }
    }

    pub fn from_code(code: &str) -> Option<TaskStatus> {
        [TaskStatus::Open, TaskStatus::Done]
            .into_iter()
            .find(|s| s.code() == code)
    }
}

/// Whom a task is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Assignee {
    User(i32),
    /// Every active user of the role.
    Role(Role),
    /// The counterparty's people, in their cabinet.
    Counterparty(i32),
}

impl Assignee {
    /// Whether the task is `ctx`'s to do (and so in their "My tasks").
    pub fn includes(self, ctx: &Ctx) -> bool {
        match self {
            Assignee::User(id) => ctx.user_id == id,
            Assignee::Role(role) => ctx.role == role,
            Assignee::Counterparty(id) => !ctx.role.is_staff() && ctx.counterparty_id == Some(id),
        }
    }

    /// Whether `ctx` may see the task at all: staff see every task; a supplier only its
    /// counterparty's.
    pub fn visible_to(self, ctx: &Ctx) -> bool {
        ctx.role.is_staff()
            || matches!(self, Assignee::Counterparty(id) if ctx.counterparty_id == Some(id))
    }
}

/// A task's deadline has passed while it is open.
pub fn task_overdue(deadline: Option<NaiveDate>, status: TaskStatus, today: NaiveDate) -> bool {
    status == TaskStatus::Open && deadline.is_some_and(|d| d < today)
}

/// "My tasks" order: open before done; among open, overdue first, then by deadline (none
/// last), then oldest first. The key sorts ascending.
pub fn my_tasks_order(
    status: TaskStatus,
    deadline: Option<NaiveDate>,
    id: i32,
    today: NaiveDate,
) -> (bool, bool, NaiveDate, i32) {
    (
        status == TaskStatus::Done,
        !task_overdue(deadline, status, today),
        deadline.unwrap_or(NaiveDate::MAX),
        id,
    )
}

/// A task as staff typed it; `assignee` is `user:7`, `role:accountant` or `counterparty:5`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawTask {
    pub title: String,
    pub description: String,
    pub assignee: String,
    pub deadline: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TaskFields {
    pub title: String,
    pub description: String,
    pub assignee: Assignee,
    pub deadline: Option<NaiveDate>,
}

/// `user:7`, `role:accountant`, `counterparty:5`.
pub fn parse_assignee(text: &str) -> Option<Assignee> {
    let (kind, value) = text.trim().split_once(':')?;
    match kind {
        "user" => value.parse().ok().map(Assignee::User),
        "role" => Role::from_code(value)
            .filter(|r| r.is_staff())
            .map(Assignee::Role),
        "counterparty" => value.parse().ok().map(Assignee::Counterparty),
        _ => None,
    }
}

pub fn assignee_code(assignee: Assignee) -> String {
    match assignee {
        Assignee::User(id) => format!("user:{id}"),
        Assignee::Role(role) => format!("role:{}", role.code()),
        Assignee::Counterparty(id) => format!("counterparty:{id}"),
    }
}

pub fn check_task(raw: &RawTask) -> Result<TaskFields, Vec<FieldProblem>> {
    let mut problems = Vec::new();
    let title = raw.title.trim();
    if title.is_empty() {
        problems.push(FieldProblem::field("title", FieldError::Required));
    } else if title.chars().count() > MAX_TASK_TITLE_CHARS {
        problems.push(FieldProblem::field(
            "title",
            FieldError::TooLong(MAX_TASK_TITLE_CHARS),
        ));
    }
    let description = raw.description.trim();
    if description.chars().count() > MAX_TASK_TEXT_CHARS {
        problems.push(FieldProblem::field(
            "description",
            FieldError::TooLong(MAX_TASK_TEXT_CHARS),
        ));
    }
    let assignee = parse_assignee(&raw.assignee);
    if assignee.is_none() {
        problems.push(FieldProblem::field(
            "assignee",
            if raw.assignee.trim().is_empty() {
                FieldError::Required
            } else {
                FieldError::Unknown
            },
        ));
    }
    let deadline = optional_date(Some(&raw.deadline), "deadline").unwrap_or_else(|problem| {
        problems.push(problem);
        None
    });
    match assignee {
        Some(assignee) if problems.is_empty() => Ok(TaskFields {
            title: title.to_owned(),
            description: description.to_owned(),
            assignee,
            deadline,
        }),
        _ => Err(problems),
    }
}

/// The letter that brings staff's answer on a task a supplier opened (a statement dispute)
/// back to it.
pub fn answer_letter(lang: Lang, title: &str, answer: &str) -> super::accounts::Letter {
    match lang {
        Lang::Ru => super::accounts::Letter {
            subject: format!("Ответ по задаче «{title}»"),
            body: format!(
                "Здравствуйте!\n\nНа вашу задачу «{title}» ответили:\n\n{answer}\n\nОтвет виден также на странице «Баланс и сверка» в кабинете."
            ),
        },
        Lang::En => super::accounts::Letter {
            subject: format!("Answer on \u{201c}{title}\u{201d}"),
            body: format!(
                "Hello,\n\nYour task \u{201c}{title}\u{201d} has an answer:\n\n{answer}\n\nYou will also find it on the Balance page of the cabinet."
            ),
        },
    }
}

/// A comment (or a supplier's answer) as typed.
pub fn check_comment(body: &str) -> Result<String, FieldProblem> {
    let body = body.trim();
    if body.is_empty() {
        return Err(FieldProblem::field("body", FieldError::Required));
    }
    if body.chars().count() > MAX_TASK_TEXT_CHARS {
        return Err(FieldProblem::field(
            "body",
            FieldError::TooLong(MAX_TASK_TEXT_CHARS),
        ));
    }
    Ok(body.to_owned())
}

/// A back-office task a deal gets when it is numbered. An admin edits these.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskTemplate {
    /// Which team it is for, as the task shows it (finance, foreign trade…).
    pub department_ru: String,
    pub department_en: String,
    pub title_ru: String,
    pub title_en: String,
    /// Everyone of this role, unless a user is named.
    pub role: Role,
    pub user_id: Option<i32>,
    /// Days from the numbering to the deadline.
    pub deadline_days: u32,
}

impl TaskTemplate {
    pub fn assignee(&self) -> Assignee {
        match self.user_id {
            Some(id) => Assignee::User(id),
            None => Assignee::Role(self.role),
        }
    }

    pub fn deadline(&self, numbered_on: NaiveDate) -> NaiveDate {
        numbered_on
            .checked_add_days(Days::new(self.deadline_days.into()))
            .unwrap_or(numbered_on)
    }

    pub fn title(&self, lang: Lang, number: &str) -> String {
        let template = match lang {
            Lang::Ru => &self.title_ru,
            Lang::En => &self.title_en,
        };
        fill(template, number)
    }
}

/// A template's text with the number in place of `{number}`.
pub fn fill(template: &str, number: &str) -> String {
    template.replace(NUMBER_PLACEHOLDER, number)
}

/// The defaults of the deals issue: finance prepares the budget, foreign trade selects customs
/// codes, legal and procurement prepare the contract with its specification. There are no
/// department roles, so finance goes to the accountants and the others to the managers until an
/// admin names people.
pub fn default_templates() -> Vec<TaskTemplate> {
    let template = |dep_ru: &str, dep_en: &str, ru: &str, en: &str, role, days| TaskTemplate {
        department_ru: dep_ru.to_owned(),
        department_en: dep_en.to_owned(),
        title_ru: ru.to_owned(),
        title_en: en.to_owned(),
        role,
        user_id: None,
        deadline_days: days,
    };
    vec![
        template(
            "Финансы",
            "Finance",
            "Подготовить бюджет по сделке №{number}",
            "Prepare the budget for deal №{number}",
            Role::Accountant,
            3,
        ),
        template(
            "ВЭД",
            "Foreign trade",
            "Подобрать коды ТН ВЭД по сделке №{number}",
            "Select customs codes for deal №{number}",
            Role::Manager,
            5,
        ),
        template(
            "Юристы и закупки",
            "Legal and procurement",
            "Подготовить договор со спецификацией по сделке №{number}",
            "Prepare the contract with specification for deal №{number}",
            Role::Manager,
            5,
        ),
    ]
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    #[error("the title is empty")]
    EmptyTitle,
    #[error("the title is too long")]
    TitleTooLong,
    #[error("the title must contain {{number}}")]
    NoNumber,
    #[error("the deadline is 0 to 365 days")]
    BadDeadline,
    #[error("tasks go to staff roles")]
    SupplierRole,
}

/// A template an admin saved: both titles name the deal's number, the deadline is sensible, and
/// the role is a staff role.
impl From<TemplateError> for FieldError {
    fn from(error: TemplateError) -> Self {
        match error {
            TemplateError::EmptyTitle => FieldError::Required,
            TemplateError::TitleTooLong => FieldError::TooLong(MAX_TASK_TITLE_CHARS),
            TemplateError::NoNumber => FieldError::NeedsNumberPlaceholder,
            TemplateError::BadDeadline => FieldError::OutOfRange { min: 0, max: 365 },
            TemplateError::SupplierRole => FieldError::NotStaff,
        }
    }
}

pub fn check_template(template: &TaskTemplate) -> Result<(), TemplateError> {
    for title in [&template.title_ru, &template.title_en] {
        let title = title.trim();
        if title.is_empty() {
            return Err(TemplateError::EmptyTitle);
        }
        if title.chars().count() > MAX_TASK_TITLE_CHARS {
            return Err(TemplateError::TitleTooLong);
        }
        if !title.contains(NUMBER_PLACEHOLDER) {
            return Err(TemplateError::NoNumber);
        }
    }
    if template.deadline_days > 365 {
        return Err(TemplateError::BadDeadline);
    }
    if !template.role.is_staff() {
        return Err(TemplateError::SupplierRole);
    }
    Ok(())
}

/// The accountant's reminder for a supplier order's payment, in each language.
pub fn payment_reminder_title(lang: Lang, order_number: &str) -> String {
    match lang {
        Lang::Ru => format!("Подготовить оплату по заказу №{order_number}"),
        Lang::En => format!("Prepare payment for order №{order_number}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn default_templates_fill_the_number_and_deadline() {
        let templates = default_templates();
        let table = [
            (
                Lang::En,
                "Prepare the budget for deal №2026-0042",
                Assignee::Role(Role::Accountant),
                "2026-12-30",
            ),
            (
                Lang::Ru,
                "Подобрать коды ТН ВЭД по сделке №2026-0042",
                Assignee::Role(Role::Manager),
                "2027-01-01",
            ),
            (
                Lang::En,
                "Prepare the contract with specification for deal №2026-0042",
                Assignee::Role(Role::Manager),
                "2027-01-01",
            ),
        ];
        assert_eq!(templates.len(), table.len());
        for (template, (lang, title, assignee, deadline)) in templates.iter().zip(table) {
            assert_eq!(template.title(lang, "2026-0042"), title);
            assert_eq!(template.assignee(), assignee);
            assert_eq!(template.deadline(d("2026-12-27")), d(deadline));
            assert_eq!(check_template(template), Ok(()));
        }
        let mut named = templates[0].clone();
        named.user_id = Some(7);
        assert_eq!(named.assignee(), Assignee::User(7));
    }

    #[test]
    fn templates_are_checked() {
        let base = default_templates().remove(0);
        type Change = fn(&mut TaskTemplate);
        let table: [(Change, Result<(), TemplateError>); 5] = [
            (|t| t.title_en = "  ".into(), Err(TemplateError::EmptyTitle)),
            (
                |t| t.title_ru = "Бюджет".into(),
                Err(TemplateError::NoNumber),
            ),
            (
                |t| t.title_en = format!("{{number}}{}", "x".repeat(300)),
                Err(TemplateError::TitleTooLong),
            ),
            (|t| t.deadline_days = 366, Err(TemplateError::BadDeadline)),
            (
                |t| t.role = Role::Supplier,
                Err(TemplateError::SupplierRole),
            ),
        ];
        for (change, expected) in table {
            let mut template = base.clone();
            change(&mut template);
            assert_eq!(check_template(&template), expected);
        }
    }

    #[test]
    fn who_a_task_is_for() {
        let staff = Ctx {
            user_id: 3,
            role: Role::Accountant,
            counterparty_id: None,
        };
        let supplier = Ctx {
            user_id: 9,
            role: Role::Supplier,
            counterparty_id: Some(5),
        };
        let table = [
            (Assignee::User(3), true, false, true, false),
            (Assignee::Role(Role::Accountant), true, false, true, false),
            (Assignee::Role(Role::Manager), false, false, true, false),
            (Assignee::Counterparty(5), false, true, true, true),
            (Assignee::Counterparty(6), false, false, true, false),
        ];
        for (assignee, staff_does, supplier_does, staff_sees, supplier_sees) in table {
            assert_eq!(assignee.includes(&staff), staff_does, "{assignee:?}");
            assert_eq!(assignee.includes(&supplier), supplier_does, "{assignee:?}");
            assert_eq!(assignee.visible_to(&staff), staff_sees, "{assignee:?}");
            assert_eq!(
                assignee.visible_to(&supplier),
                supplier_sees,
                "{assignee:?}"
            );
        }
    }

    #[test]
    fn my_tasks_put_overdue_first() {
        let today = d("2026-11-24");
        let tasks = [
            (1, TaskStatus::Open, None),
            (2, TaskStatus::Open, Some("2026-11-30")),
            (3, TaskStatus::Open, Some("2026-11-20")),
            (4, TaskStatus::Done, Some("2026-11-01")),
            (5, TaskStatus::Open, Some("2026-11-25")),
            (6, TaskStatus::Open, Some("2026-11-10")),
        ];
        let mut sorted = tasks.to_vec();
        sorted.sort_by_key(|(id, status, deadline)| {
            my_tasks_order(*status, deadline.map(d), *id, today)
        });
        let order: Vec<i32> = sorted.iter().map(|t| t.0).collect();
        assert_eq!(order, [6, 3, 5, 2, 1, 4]);
        assert!(task_overdue(Some(d("2026-11-23")), TaskStatus::Open, today));
        assert!(!task_overdue(
            Some(d("2026-11-23")),
            TaskStatus::Done,
            today
        ));
        assert!(!task_overdue(Some(today), TaskStatus::Open, today));
    }

    #[test]
    fn tasks_and_comments_are_checked() {
        let table = [
            ("user:7", Some(Assignee::User(7))),
            ("role:accountant", Some(Assignee::Role(Role::Accountant))),
            ("role:supplier", None),
            ("counterparty:5", Some(Assignee::Counterparty(5))),
            ("team:1", None),
            ("user:x", None),
            ("", None),
        ];
        for (text, expected) in table {
            assert_eq!(parse_assignee(text), expected, "{text}");
            if let Some(assignee) = expected {
                assert_eq!(assignee_code(assignee), text);
            }
        }
        let task = check_task(&RawTask {
            title: " Предоставить закрывающие документы до 25-го ".into(),
            description: "".into(),
            assignee: "counterparty:5".into(),
            deadline: "2026-11-25".into(),
        })
        .unwrap();
        assert_eq!(task.title, "Предоставить закрывающие документы до 25-го");
        assert_eq!(task.deadline, Some(d("2026-11-25")));
        let problems = check_task(&RawTask {
            deadline: "25.11".into(),
            ..Default::default()
        })
        .unwrap_err();
        assert_eq!(
            problems,
            vec![
                FieldProblem::field("title", FieldError::Required),
                FieldProblem::field("assignee", FieldError::Required),
                FieldProblem::field("deadline", FieldError::BadDate),
            ]
        );
        assert_eq!(check_comment("  ok "), Ok("ok".to_owned()));
        assert_eq!(
            check_comment("  "),
            Err(FieldProblem::field("body", FieldError::Required))
        );
    }

    #[test]
    fn reminder_titles() {
        assert_eq!(
            payment_reminder_title(Lang::En, "2026-0042/PO-1"),
            "Prepare payment for order №2026-0042/PO-1"
        );
        assert_eq!(
            payment_reminder_title(Lang::Ru, "2026-0042/PO-1"),
            "Подготовить оплату по заказу №2026-0042/PO-1"
        );
    }
}
