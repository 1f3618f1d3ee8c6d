//! "My tasks" (overdue first) and a task's page with its comments and files, for staff and for
//! the supplier a task is for (who answers there and attaches files). Staff set new tasks here.
use leptos::prelude::*;

use crate::api::tasks::{CommentTask, SetTaskStatus, TaskPage, get_my_tasks, get_task};
use crate::domain::format::format_date_time;
use crate::domain::tasks::TaskStatus;
use crate::i18n::*;
use crate::ui::components::clock::company_zone;
use crate::ui::components::error_message::ErrorMessage;
use crate::ui::components::hydration::mark_hydrated;
use crate::ui::components::lang::use_lang;
use crate::ui::components::loaded::Loaded;
use crate::ui::components::page_title::PageTitle;
use crate::ui::components::papers::{
    ItemFiles, TaskTable, assignee_text, date_or_dash, link_view, task_title,
};
use crate::ui::components::url::object_by_id;
use crate::ui::pages::staff_deal::NewTaskForm;

#[component]
pub fn TasksPage(staff: bool) -> impl IntoView {
    let i18n = use_i18n();
    let refresh = RwSignal::new(0u32);
    let tasks = Resource::new(move || refresh.get(), |_| get_my_tasks());
    let here = if staff {
        "/staff/tasks"
    } else {
        "/cabinet/tasks"
    };
    view! {
        <PageTitle text=move || t_string!(i18n, my_tasks).to_string() />
        <div class="page">
            <h1>{t!(i18n, my_tasks)}</h1>
            <Loaded data=tasks view=move |mine| {
                mark_hydrated();
                view! {
                    {staff.then(|| view! {
                        <NewTaskForm
                            deal=None
                            order=None
                            staff=mine.staff.clone()
                            counterparties=mine.counterparties.clone()
                            return_to=here.to_owned()
                            refresh=refresh
                        />
                    })}
                    <section class="card">
                        <TaskTable tasks=mine.tasks staff=staff />
                    </section>
                }
                .into_any()
            } />
        </div>
    }
}

#[component]
pub fn StaffTasksPage() -> impl IntoView {
    view! { <TasksPage staff=true /> }
}

#[component]
pub fn SupplierTasksPage() -> impl IntoView {
    view! { <TasksPage staff=false /> }
}

#[component]
pub fn StaffTaskPage() -> impl IntoView {
    view! { <TaskPageView staff=true /> }
}

#[component]
pub fn SupplierTaskPage() -> impl IntoView {
    view! { <TaskPageView staff=false /> }
}

#[component]
fn TaskPageView(staff: bool) -> impl IntoView {
    let i18n = use_i18n();
    let (task, refresh) = object_by_id(get_task);
    let back = if staff {
        "/staff/tasks"
    } else {
        "/cabinet/tasks"
    };
    view! {
        <div class="page">
            <p><a href=back class="back-link">{t!(i18n, my_tasks)}</a></p>
            <Loaded data=task view=move |task| view! { <TaskView page=task staff=staff refresh=refresh /> }.into_any() />
        </div>
    }
}

#[component]
fn TaskView(page: TaskPage, staff: bool, refresh: RwSignal<u32>) -> impl IntoView {
    mark_hydrated();
    let i18n = use_i18n();
    let lang = use_lang();
    let comment = ServerAction::<CommentTask>::new();
    let status = ServerAction::<SetTaskStatus>::new();
    Effect::new(move |_| {
        if comment.version().get() > 0 || status.version().get() > 0 {
            refresh.update(|n| *n += 1);
        }
    });
    let task = page.task.clone();
    let title_task = task.clone();
    let heading_task = task.clone();
    let assignee = task.assignee.clone();
    let deadline = task.deadline;
    let done = task.status == TaskStatus::Done;
    let id = task.id;
    view! {
        <PageTitle text=move || task_title(&title_task, lang.get()) />
        <header class="page__header">
            <h1 data-testid="task-heading">{move || task_title(&heading_task, lang.get())}</h1>
            {task.overdue.then(|| view! { <span class="badge badge--danger">{t!(i18n, badge_overdue)}</span> })}
            {done.then(|| view! { <span class="badge" data-testid="task-done">{t!(i18n, task_done)}</span> })}
        </header>
        <section class="card">
            <dl class="facts">
                <dt>{t!(i18n, task_assignee)}</dt>
                <dd>{move || assignee_text(i18n, &assignee)}</dd>
                <dt>{t!(i18n, task_deadline)}</dt>
                <dd class:overdue=task.overdue>{move || date_or_dash(deadline, lang.get())}</dd>
            </dl>
            {(!page.description.is_empty()).then(|| view! { <p class="pre-line">{page.description.clone()}</p> })}
            <p class="task-links">{task.links.iter().map(|link| link_view(link, staff)).collect_view()}</p>
            <ActionForm action=status attr:class="form form--inline">
                <input type="hidden" name="id" value=id.to_string() />
                <input type="hidden" name="status" value=if done { "open" } else { "done" } />
                <button type="submit" class="button button--secondary" data-testid="task-toggle">
                    {move || if done { t_string!(i18n, task_reopen).to_string() } else { t_string!(i18n, task_mark_done).to_string() }}
                </button>
            </ActionForm>
        </section>
        <section class="card">
            <h2>{t!(i18n, files_title)}</h2>
            <ItemFiles files=page.files.clone() upload_to=Some(crate::paths::item_files_path(crate::domain::files::FileOwner::Task.code(), id)) />
        </section>
        <section class="card">
            <h2>{t!(i18n, task_comments)}</h2>
            <ul class="thread" data-testid="task-comments">
                {page.comments
                    .into_iter()
                    .map(|c| {
                        let at = c.at;
                        view! {
                            <li class="thread__message" class:thread__message--supplier=c.from_supplier data-testid="task-comment">
                                <div class="thread__meta small muted">
                                    <span>{c.author.clone()}</span>
                                    <time datetime=at.to_rfc3339()>{move || format_date_time(at, company_zone(), lang.get())}</time>
                                </div>
                                <p class="pre-line">{c.body.clone()}</p>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            {move || comment.value().get().and_then(|r| r.err()).map(|error| view! { <ErrorMessage error=error /> })}
            <ActionForm action=comment attr:class="form" attr:data-testid="task-comment-form">
                <input type="hidden" name="id" value=id.to_string() />
                <label class="field">
                    <span class="field__label">{move || if staff { t_string!(i18n, task_comment_field).to_string() } else { t_string!(i18n, task_answer_field).to_string() }}</span>
                    <textarea class="input" name="body" rows="3" required data-testid="task-comment-body"></textarea>
                </label>
                <div class="form-actions">
                    <button type="submit" class="button" data-testid="task-comment-submit">{t!(i18n, send)}</button>
                </div>
            </ActionForm>
        </section>
    }
}
