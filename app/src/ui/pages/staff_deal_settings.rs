//! Admins: the templates of the tasks a deal gets when it is numbered, the kind codes of item
//! numbers (`PO`, `CT`, `SP`) and the days before a payment deadline the accountant is reminded.
use leptos::prelude::*;

use crate::api::tasks::{SaveDealSettings, SaveTaskTemplate, TemplateRow, get_deal_settings};
use crate::domain::access::Role;
use crate::i18n::*;
use crate::ui::components::error_message::ErrorMessage;
use crate::ui::components::hydration::mark_hydrated;
use crate::ui::components::loaded::Loaded;
use crate::ui::components::page_title::PageTitle;

#[component]
pub fn DealSettingsPage() -> impl IntoView {
    let i18n = use_i18n();
    let save_template = ServerAction::<SaveTaskTemplate>::new();
    let save_settings = ServerAction::<SaveDealSettings>::new();
    let settings = Resource::new(
        move || (save_template.version().get(), save_settings.version().get()),
        |_| get_deal_settings(),
    );
    view! {
        <PageTitle text=move || t_string!(i18n, deal_settings_title).to_string() />
        <div class="page">
            <h1>{t!(i18n, deal_settings_title)}</h1>
            {move || save_template.value().get().and_then(|r| r.err()).map(|error| view! { <ErrorMessage error=error /> })}
            {move || save_settings.value().get().and_then(|r| r.err()).map(|error| view! { <ErrorMessage error=error /> })}
            <Loaded data=settings view=move |settings| {
                mark_hydrated();
                let staff = settings.staff.clone();
                view! {
                    <section class="card">
                        <h2>{t!(i18n, numbering_settings)}</h2>
                        <ActionForm action=save_settings attr:class="form form--inline" attr:data-testid="numbering-form">
                            <label class="field">
                                <span class="field__label">{t!(i18n, code_orders)}</span>
                                <input class="input" name="order_code" value=settings.order_code.clone() maxlength="6" required />
                            </label>
                            <label class="field">
                                <span class="field__label">{t!(i18n, code_contracts)}</span>
                                <input class="input" name="contract_code" value=settings.contract_code.clone() maxlength="6" required />
                            </label>
                            <label class="field">
                                <span class="field__label">{t!(i18n, code_specifications)}</span>
                                <input class="input" name="specification_code" value=settings.specification_code.clone() maxlength="6" required />
                            </label>
                            <label class="field">
                                <span class="field__label">{t!(i18n, reminder_days)}</span>
                                <input class="input" name="reminder_days" inputmode="numeric" value=settings.reminder_days.to_string() required />
                            </label>
                            <div class="form-actions">
                                <button type="submit" class="button">{t!(i18n, save)}</button>
                            </div>
                        </ActionForm>
                    </section>
                    <section class="card">
                        <h2>{t!(i18n, task_templates)}</h2>
                        <p class="muted small">{t!(i18n, task_templates_hint)}</p>
                        {settings.templates.into_iter().map(|template| view! {
                            <TemplateForm template=template staff=staff.clone() action=save_template />
                        }).collect_view()}
                        <details class="add-form">
                            <summary class="button button--secondary">{t!(i18n, add_template)}</summary>
                            <TemplateForm
                                template=TemplateRow {
                                    id: 0,
                                    department_ru: String::new(),
                                    department_en: String::new(),
                                    title_ru: "… №{number}".to_owned(),
                                    title_en: "… №{number}".to_owned(),
                                    role: Role::Manager,
                                    user_id: None,
                                    deadline_days: 3,
                                    active: true,
                                }
                                staff=staff
                                action=save_template
                            />
                        </details>
                    </section>
                }
                .into_any()
            } />
        </div>
    }
}

#[component]
fn TemplateForm(
    template: TemplateRow,
    staff: Vec<crate::api::board::Choice>,
    action: ServerAction<SaveTaskTemplate>,
) -> impl IntoView {
    let i18n = use_i18n();
    let selected_user = template.user_id;
    view! {
        <ActionForm action=action attr:class="form template-form" attr:data-testid="template-form">
            <input type="hidden" name="id" value=template.id.to_string() />
            <div class="form--inline">
                <label class="field">
                    <span class="field__label">{t!(i18n, department_ru)}</span>
                    <input class="input" name="template[department_ru]" value=template.department_ru.clone() />
                </label>
                <label class="field">
                    <span class="field__label">{t!(i18n, department_en)}</span>
                    <input class="input" name="template[department_en]" value=template.department_en.clone() />
                </label>
            </div>
            <label class="field">
                <span class="field__label">{t!(i18n, title_ru)}</span>
                <input class="input" name="template[title_ru]" value=template.title_ru.clone() required />
            </label>
            <label class="field">
                <span class="field__label">{t!(i18n, title_en)}</span>
                <input class="input" name="template[title_en]" value=template.title_en.clone() required />
            </label>
            <div class="form--inline">
                <label class="field">
                    <span class="field__label">{t!(i18n, task_for_role)}</span>
                    <select class="input" name="template[role]">
                        {Role::ALL.into_iter().filter(|r| r.is_staff()).map(|role| view! {
                            <option value=role.code() selected=role == template.role>{move || crate::ui::layout::role_name(i18n, role)}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label class="field">
                    <span class="field__label">{t!(i18n, task_for_person)}</span>
                    <select class="input" name="template[user]">
                        <option value="">{t!(i18n, everyone_of_role)}</option>
                        {staff.into_iter().map(|c| view! {
                            <option value=c.id.to_string() selected=Some(c.id) == selected_user>{c.name}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label class="field">
                    <span class="field__label">{t!(i18n, deadline_days)}</span>
                    <input class="input" name="template[deadline_days]" inputmode="numeric" value=template.deadline_days.to_string() />
                </label>
                <label class="field field--check">
                    <input type="checkbox" name="template[active]" value="on" checked=template.active />
                    <span>{t!(i18n, template_active)}</span>
                </label>
            </div>
            <div class="form-actions">
                <button type="submit" class="button">{t!(i18n, save)}</button>
            </div>
        </ActionForm>
    }
}
