//! The org structure payment requests are approved along. Everyone on staff sees the chart —
//! departments, heads, each person and whom their requests go to — and names their own deputy
//! for a trip or leave; admins edit departments, placements, cash-flow items and the extra
//! approval rules.
use leptos::prelude::*;

use crate::api::org::{
    AddDeputy, ChainView, DepartmentRow, OrgSettings, PersonRow, RemoveDeputy, SaveApprovalRule,
    SaveCashFlowItem, SaveDepartment, SavePlacement, get_org,
};
use crate::i18n::*;
use crate::model::board::Choice;
use crate::ui::components::error_message::ErrorMessage;
use crate::ui::components::hydration::mark_hydrated;
use crate::ui::components::lang::use_lang;
use crate::ui::components::loaded::Loaded;
use crate::ui::components::page_title::PageTitle;
use crate::ui::layout::role_name;

/// Every action of the page, so that any of them reloads it.
#[derive(Clone, Copy)]
struct Actions {
    department: ServerAction<SaveDepartment>,
    placement: ServerAction<SavePlacement>,
    add_deputy: ServerAction<AddDeputy>,
    remove_deputy: ServerAction<RemoveDeputy>,
    item: ServerAction<SaveCashFlowItem>,
    rule: ServerAction<SaveApprovalRule>,
}

#[component]
pub fn OrgPage() -> impl IntoView {
    let i18n = use_i18n();
    let actions = Actions {
        department: ServerAction::new(),
        placement: ServerAction::new(),
        add_deputy: ServerAction::new(),
        remove_deputy: ServerAction::new(),
        item: ServerAction::new(),
        rule: ServerAction::new(),
    };
    let settings = Resource::new(
        move || {
            (
                actions.department.version().get(),
                actions.placement.version().get(),
                actions.add_deputy.version().get(),
                actions.remove_deputy.version().get(),
                actions.item.version().get(),
                actions.rule.version().get(),
            )
        },
        |_| get_org(),
    );
    let errors = move || {
        [
            actions.department.value().get().and_then(|r| r.err()),
            actions.placement.value().get().and_then(|r| r.err()),
            actions.add_deputy.value().get().and_then(|r| r.err()),
            actions.remove_deputy.value().get().and_then(|r| r.err()),
            actions.item.value().get().and_then(|r| r.err()),
            actions.rule.value().get().and_then(|r| r.err()),
        ]
        .into_iter()
        .flatten()
        .map(|error| view! { <ErrorMessage error=error /> })
        .collect_view()
    };
    view! {
        <PageTitle text=move || t_string!(i18n, org_title).to_string() />
        <div class="page">
            <header class="page__header">
                <h1>{t!(i18n, org_title)}</h1>
                <p class="muted">{t!(i18n, org_lead)}</p>
            </header>
            <div role="alert" data-testid="org-errors">{errors}</div>
            <Loaded data=settings view=move |settings| {
                mark_hydrated();
                view! { <OrgView settings=settings actions=actions /> }.into_any()
            } />
        </div>
    }
}

#[component]
fn OrgView(settings: OrgSettings, actions: Actions) -> impl IntoView {
    let i18n = use_i18n();
    let can_edit = settings.can_edit;
    let staff = settings.staff.clone();
    view! {
        <section class="card" data-testid="org-chart">
            <h2>{t!(i18n, org_chart)}</h2>
            <Chart departments=settings.departments.clone() people=settings.people.clone() />
        </section>
        <Deputies settings=settings.clone() actions=actions />
        {can_edit.then(|| view! {
            <Departments departments=settings.departments.clone() staff=staff.clone() action=actions.department />
            <Placements settings=settings.clone() action=actions.placement />
            <Items items=settings.items.clone() action=actions.item />
            <Rules settings=settings.clone() action=actions.rule />
        })}
    }
}

/// The tree: each department with its head and people, and whom each person's requests go to.
#[component]
fn Chart(departments: Vec<DepartmentRow>, people: Vec<PersonRow>) -> impl IntoView {
    let i18n = use_i18n();
    let unplaced: Vec<PersonRow> = people
        .iter()
        .filter(|p| {
            p.department_id
                .is_none_or(|d| !departments.iter().any(|row| row.id == d))
        })
        .cloned()
        .collect();
    view! {
        <ul class="org-chart">
            {departments.into_iter().map(|department| {
                let members: Vec<PersonRow> = people
                    .iter()
                    .filter(|p| p.department_id == Some(department.id))
                    .cloned()
                    .collect();
                let indent = format!("--depth: {}", department.depth);
                view! {
                    <li class="org-chart__department" style=indent data-testid="org-department">
                        <div class="org-chart__head">
                            <strong>{department.name.clone()}</strong>
                            {department.directorate.then(|| view! {
                                <span class="badge">{t!(i18n, org_directorate)}</span>
                            })}
                            <span class="muted small">
                                {t!(i18n, org_head)}": "
                                {department.head_name.clone().unwrap_or_else(|| "—".to_owned())}
                            </span>
                        </div>
                        <ul class="org-chart__people">
                            {members.into_iter().map(|person| view! { <Person person=person /> }).collect_view()}
                        </ul>
                    </li>
                }
            }).collect_view()}
            {(!unplaced.is_empty()).then(|| view! {
                <li class="org-chart__department">
                    <div class="org-chart__head"><strong>{t!(i18n, org_unplaced)}</strong></div>
                    <ul class="org-chart__people">
                        {unplaced.into_iter().map(|person| view! { <Person person=person /> }).collect_view()}
                    </ul>
                </li>
            })}
        </ul>
    }
}

#[component]
fn Person(person: PersonRow) -> impl IntoView {
    let i18n = use_i18n();
    let role = person.role;
    let chain = match person.chain {
        ChainView::Approvers(names) => view! {
            <span data-testid="org-chain">{names.join(" → ")}</span>
        }
        .into_any(),
        ChainView::NoApprover => view! {
            <span class="text-danger" data-testid="org-chain">{t!(i18n, org_no_approver)}</span>
        }
        .into_any(),
        ChainView::Loop => view! {
            <span class="text-danger" data-testid="org-chain">{t!(i18n, problem_org_loop)}</span>
        }
        .into_any(),
    };
    view! {
        <li class="org-chart__person" data-testid="org-person" data-user=person.user_id.to_string()>
            <span class="org-chart__name">{person.name.clone()}</span>
            <span class="muted small">
                {if person.job_title.is_empty() {
                    role_name(i18n, role).to_string()
                } else {
                    person.job_title.clone()
                }}
            </span>
            {person.deputy_today.clone().map(|deputy| view! {
                <span class="badge badge--warning">{t!(i18n, org_away_deputy)}" "{deputy}</span>
            })}
            <span class="org-chart__chain small">{t!(i18n, org_approves)}": "{chain}</span>
        </li>
    }
}

fn staff_options(staff: &[Choice], selected: Option<i32>) -> impl IntoView + use<> {
    staff
        .iter()
        .map(|c| {
            view! { <option value=c.id.to_string() selected=Some(c.id) == selected>{c.name.clone()}</option> }
        })
        .collect_view()
}

#[component]
fn Deputies(settings: OrgSettings, actions: Actions) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang();
    let viewer = settings.viewer_id;
    let can_edit = settings.can_edit;
    let staff = settings.staff.clone();
    let viewer_name = staff
        .iter()
        .find(|c| c.id == viewer)
        .map(|c| c.name.clone())
        .unwrap_or_default();
    view! {
        <section class="card" data-testid="org-deputies">
            <h2>{t!(i18n, org_deputies)}</h2>
            <p class="muted small">{t!(i18n, org_deputies_hint)}</p>
            <div class="table-wrap">
            <table class="table">
                <thead>
                    <tr>
                        <th>{t!(i18n, org_approver)}</th>
                        <th>{t!(i18n, org_deputy)}</th>
                        <th>{t!(i18n, org_period)}</th>
                        <th></th>
                    </tr>
                </thead>
                <tbody>
                    {settings.deputies.into_iter().map(|d| {
                        let period = format!(
                            "{} – {}",
                            crate::domain::format::format_date(d.from, lang.get_untracked()),
                            crate::domain::format::format_date(d.to, lang.get_untracked())
                        );
                        let own = settings.people.iter().any(|p| p.user_id == viewer && p.name == d.user_name);
                        view! {
                            <tr data-testid="deputy-row">
                                <td>{d.user_name.clone()}</td>
                                <td>{d.deputy_name.clone()}</td>
                                <td>{period}</td>
                                <td>
                                    {(own || can_edit).then(|| view! {
                                        <ActionForm action=actions.remove_deputy>
                                            <input type="hidden" name="id" value=d.id.to_string() />
                                            <button type="submit" class="button button--secondary button--small">{t!(i18n, org_remove)}</button>
                                        </ActionForm>
                                    })}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            </div>
            <ActionForm action=actions.add_deputy attr:class="form form--inline" attr:data-testid="deputy-form">
                {if can_edit {
                    view! {
                        <label class="field">
                            <span class="field__label">{t!(i18n, org_approver)}</span>
                            <select class="input" name="user">{staff_options(&staff, Some(viewer))}</select>
                        </label>
                    }.into_any()
                } else {
                    view! {
                        <input type="hidden" name="user" value=viewer.to_string() />
                        <span class="field">{viewer_name}</span>
                    }.into_any()
                }}
                <label class="field">
                    <span class="field__label">{t!(i18n, org_deputy)}</span>
                    <select class="input" name="deputy" required>
                        <option value="">"—"</option>
                        {staff_options(&staff, None)}
                    </select>
                </label>
                <label class="field">
                    <span class="field__label">{t!(i18n, org_from)}</span>
                    <input class="input" type="date" name="starts_on" required />
                </label>
                <label class="field">
                    <span class="field__label">{t!(i18n, org_to)}</span>
                    <input class="input" type="date" name="ends_on" required />
                </label>
                <div class="form-actions">
                    <button type="submit" class="button">{t!(i18n, org_add_deputy)}</button>
                </div>
            </ActionForm>
        </section>
    }
}

#[component]
fn Departments(
    departments: Vec<DepartmentRow>,
    staff: Vec<Choice>,
    action: ServerAction<SaveDepartment>,
) -> impl IntoView {
    let i18n = use_i18n();
    let blank = DepartmentRow {
        id: 0,
        name: String::new(),
        parent_id: None,
        head_user_id: None,
        head_name: None,
        directorate: false,
        depth: 0,
    };
    let all = departments.clone();
    view! {
        <section class="card" data-testid="org-departments">
            <h2>{t!(i18n, org_departments)}</h2>
            {departments.into_iter().map(|d| view! {
                <DepartmentForm department=d all=all.clone() staff=staff.clone() action=action />
            }).collect_view()}
            <details class="add-form">
                <summary class="button button--secondary">{t!(i18n, org_add_department)}</summary>
                <DepartmentForm department=blank all=all.clone() staff=staff.clone() action=action />
            </details>
        </section>
    }
}

#[component]
fn DepartmentForm(
    department: DepartmentRow,
    all: Vec<DepartmentRow>,
    staff: Vec<Choice>,
    action: ServerAction<SaveDepartment>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = department.id;
    view! {
        <ActionForm action=action attr:class="form form--inline" attr:data-testid="department-form">
            <input type="hidden" name="id" value=id.to_string() />
            <label class="field">
                <span class="field__label">{t!(i18n, org_department_name)}</span>
                <input class="input" name="department[name]" value=department.name.clone() required maxlength="200" />
            </label>
            <label class="field">
                <span class="field__label">{t!(i18n, org_parent)}</span>
                <select class="input" name="department[parent]">
                    <option value="">"—"</option>
                    {all.iter().filter(|d| d.id != id).map(|d| view! {
                        <option value=d.id.to_string() selected=Some(d.id) == department.parent_id>{d.name.clone()}</option>
                    }).collect_view()}
                </select>
            </label>
            <label class="field">
                <span class="field__label">{t!(i18n, org_head)}</span>
                <select class="input" name="department[head]">
                    <option value="">"—"</option>
                    {staff_options(&staff, department.head_user_id)}
                </select>
            </label>
            <label class="field field--check">
                <input type="checkbox" name="department[directorate]" value="on" checked=department.directorate />
                <span>{t!(i18n, org_directorate)}</span>
            </label>
            <div class="form-actions">
                <button type="submit" class="button">{t!(i18n, save)}</button>
            </div>
        </ActionForm>
    }
}

#[component]
fn Placements(settings: OrgSettings, action: ServerAction<SavePlacement>) -> impl IntoView {
    let i18n = use_i18n();
    let departments = settings.departments.clone();
    let staff = settings.staff.clone();
    view! {
        <section class="card" data-testid="org-placements">
            <h2>{t!(i18n, org_placements)}</h2>
            <p class="muted small">{t!(i18n, org_placements_hint)}</p>
            {settings.people.into_iter().map(|person| {
                let others: Vec<Choice> = staff.iter().filter(|c| c.id != person.user_id).cloned().collect();
                let department_options = departments.iter().map(|d| view! {
                    <option value=d.id.to_string() selected=Some(d.id) == person.department_id>{d.name.clone()}</option>
                }).collect_view();
                let manager_options = staff_options(&others, person.line_manager_id);
                view! {
                    <ActionForm action=action attr:class="form form--inline" attr:data-testid="placement-form">
                        <input type="hidden" name="member" value=person.user_id.to_string() />
                        <span class="field org-placement__name">{person.name.clone()}</span>
                        <label class="field">
                            <span class="field__label">{t!(i18n, org_department)}</span>
                            <select class="input" name="placement[department]">
                                <option value="">"—"</option>
                                {department_options}
                            </select>
                        </label>
                        <label class="field">
                            <span class="field__label">{t!(i18n, org_line_manager)}</span>
                            <select class="input" name="placement[line_manager]">
                                <option value="">{t!(i18n, org_line_manager_default)}</option>
                                {manager_options}
                            </select>
                        </label>
                        <label class="field">
                            <span class="field__label">{t!(i18n, org_job_title)}</span>
                            <input class="input" name="placement[job_title]" value=person.job_title.clone() maxlength="200" />
                        </label>
                        <div class="form-actions">
                            <button type="submit" class="button">{t!(i18n, save)}</button>
                        </div>
                    </ActionForm>
                }
            }).collect_view()}
        </section>
    }
}

#[component]
fn Items(
    items: Vec<crate::api::org::CashFlowItemRow>,
    action: ServerAction<SaveCashFlowItem>,
) -> impl IntoView {
    let i18n = use_i18n();
    let blank = crate::api::org::CashFlowItemRow {
        id: 0,
        code: String::new(),
        name: String::new(),
        active: true,
    };
    let form = move |item: crate::api::org::CashFlowItemRow| {
        view! {
            <ActionForm action=action attr:class="form form--inline" attr:data-testid="item-form">
                <input type="hidden" name="id" value=item.id.to_string() />
                <label class="field">
                    <span class="field__label">{t!(i18n, org_item_code)}</span>
                    <input class="input input--short" name="code" value=item.code.clone() required maxlength="20" />
                </label>
                <label class="field">
                    <span class="field__label">{t!(i18n, org_item_name)}</span>
                    <input class="input" name="name" value=item.name.clone() required maxlength="200" />
                </label>
                <label class="field field--check">
                    <input type="checkbox" name="active" value="on" checked=item.active />
                    <span>{t!(i18n, template_active)}</span>
                </label>
                <div class="form-actions">
                    <button type="submit" class="button">{t!(i18n, save)}</button>
                </div>
            </ActionForm>
        }
    };
    view! {
        <section class="card" data-testid="org-items">
            <h2>{t!(i18n, org_items)}</h2>
            {items.into_iter().map(form).collect_view()}
            <details class="add-form">
                <summary class="button button--secondary">{t!(i18n, org_add_item)}</summary>
                {form(blank)}
            </details>
        </section>
    }
}

#[component]
fn Rules(settings: OrgSettings, action: ServerAction<SaveApprovalRule>) -> impl IntoView {
    let i18n = use_i18n();
    let items = settings.items.clone();
    let staff = settings.staff.clone();
    let blank = crate::api::org::RuleRow {
        id: 0,
        min_amount: None,
        cash_flow_item_id: None,
        approver_user_id: 0,
        active: true,
    };
    let form = move |rule: crate::api::org::RuleRow| {
        let amount = rule
            .min_amount
            .map(|m| m.amount().to_string())
            .unwrap_or_default();
        let item_options = items.iter().map(|i| view! {
            <option value=i.id.to_string() selected=Some(i.id) == rule.cash_flow_item_id>{format!("{} {}", i.code, i.name)}</option>
        }).collect_view();
        let approver_options = staff_options(&staff, Some(rule.approver_user_id));
        view! {
            <ActionForm action=action attr:class="form form--inline" attr:data-testid="rule-form">
                <input type="hidden" name="id" value=rule.id.to_string() />
                <label class="field">
                    <span class="field__label">{t!(i18n, org_rule_from_amount)}</span>
                    <input class="input" name="min_amount" inputmode="decimal" value=amount />
                </label>
                <label class="field">
                    <span class="field__label">{t!(i18n, org_rule_item)}</span>
                    <select class="input" name="item">
                        <option value="">{t!(i18n, org_rule_any_item)}</option>
                        {item_options}
                    </select>
                </label>
                <label class="field">
                    <span class="field__label">{t!(i18n, org_rule_approver)}</span>
                    <select class="input" name="approver" required>
                        <option value="">"—"</option>
                        {approver_options}
                    </select>
                </label>
                <label class="field field--check">
                    <input type="checkbox" name="active" value="on" checked=rule.active />
                    <span>{t!(i18n, template_active)}</span>
                </label>
                <div class="form-actions">
                    <button type="submit" class="button">{t!(i18n, save)}</button>
                </div>
            </ActionForm>
        }
    };
    view! {
        <section class="card" data-testid="org-rules">
            <h2>{t!(i18n, org_rules)}</h2>
            <p class="muted small">{t!(i18n, org_rules_hint)}</p>
            {settings.rules.into_iter().map(form.clone()).collect_view()}
            <details class="add-form">
                <summary class="button button--secondary">{t!(i18n, org_add_rule)}</summary>
                {form(blank)}
            </details>
        </section>
    }
}
