//! Admins set what entering each stage of each pipeline does: whom to notify, who becomes
//! responsible, what the supplier is told. One tab per pipeline (`?pipeline=`).
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::stage_rules::{SaveStageRule, StageRuleSettings, stage_rules};
use crate::domain::access::Role;
use crate::domain::pipeline::Pipeline;
use crate::domain::stage_rules::Responsible;
use crate::i18n::*;
use crate::ui::components::error_message::ErrorMessage;
use crate::ui::components::hydration::mark_hydrated;
use crate::ui::components::lang::use_lang;
use crate::ui::components::loaded::Loaded;
use crate::ui::components::page_title::PageTitle;
use crate::ui::layout::role_name;

#[component]
pub fn StageRulesPage() -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SaveStageRule>::new();
    let query = use_query_map();
    let pipeline = Memo::new(move |_| {
        query
            .read()
            .get("pipeline")
            .and_then(|code| Pipeline::from_code(&code))
            .unwrap_or_default()
    });
    let rules = Resource::new(
        move || (pipeline.get(), save.version().get()),
        |(pipeline, _)| stage_rules(pipeline),
    );
    view! {
        <PageTitle text=move || t_string!(i18n, stage_rules_title).to_string() />
        <div class="page">
            <header class="page__header">
                <h1>{t!(i18n, stage_rules_title)}</h1>
                <p class="muted">{t!(i18n, stage_rules_lead)}</p>
            </header>
            <nav class="tabs" aria-label=move || t_string!(i18n, stage_rules_pipelines).to_string()>
                {Pipeline::ALL
                    .into_iter()
                    .map(|p| {
                        let href = format!("/staff/settings/stages?pipeline={}", p.code());
                        view! {
                            <a
                                class="tabs__tab"
                                href=href
                                data-testid="pipeline-tab"
                                aria-current=move || (pipeline.get() == p).then_some("page")
                            >
                                {move || pipeline_name(i18n, p)}
                            </a>
                        }
                    })
                    .collect_view()}
            </nav>
            {move || save.value().get().and_then(|r| r.err()).map(|error| view! { <ErrorMessage error=error /> })}
            <Loaded data=rules view=move |rules| view! { <RuleForms rules=rules save=save /> }.into_any() />
        </div>
    }
}

#[component]
fn RuleForms(rules: StageRuleSettings, save: ServerAction<SaveStageRule>) -> impl IntoView {
    let StageRuleSettings {
        pipeline,
        rows,
        staff,
    } = rules;
    mark_hydrated();
    let i18n = use_i18n();
    let lang = use_lang();
    let staff_roles = [
        Role::Manager,
        Role::Supervisor,
        Role::Accountant,
        Role::Admin,
    ];
    let how_told = match pipeline {
        Pipeline::Documents => Some(t_string!(i18n, rule_message_in_thread).to_string()),
        Pipeline::Orders => Some(t_string!(i18n, rule_message_by_letter).to_string()),
        Pipeline::Deals | Pipeline::Payments => None,
    };
    let forms = rows
        .into_iter()
        .map(|row| {
            let stage = row.stage.clone();
            let code = row.stage.code;
            let field_code = code;
            let rule = row.rule;
            let notify = rule.notify_role;
            let responsible = rule.responsible.code();
            let mut choices = vec![
                ("keep".to_owned(), t_string!(i18n, responsible_keep).to_string()),
                ("mover".to_owned(), t_string!(i18n, responsible_mover).to_string()),
            ];
            for role in staff_roles {
                choices.push((Responsible::Role(role).code(), role_name(i18n, role)));
            }
            for person in &staff {
                choices.push((Responsible::User(person.id).code(), person.name.clone()));
            }
            if !choices.iter().any(|(code, _)| *code == responsible) {
                choices.push((responsible.clone(), responsible.clone()));
            }
            view! {
                <section class="card stage-rule" data-testid="stage-rule" data-stage=code>
                    <h2>
                        <span class=stage.dot_class() aria-hidden="true"></span>
                        {move || stage.name(lang.get()).to_owned()}
                    </h2>
                    <ActionForm action=save attr:class="form form-grid">
                        <input type="hidden" name="pipeline" value=pipeline.code() />
                        <input type="hidden" name="stage" value=field_code />
                        <label class="field">
                            <span class="field__label">{t!(i18n, rule_notify_role)}</span>
                            <select class="input" name="notify_role">
                                <option value="" selected=notify.is_none()>{t!(i18n, nobody)}</option>
                                {staff_roles
                                    .into_iter()
                                    .map(|role| view! {
                                        <option value=role.code() selected=notify == Some(role)>
                                            {role_name(i18n, role)}
                                        </option>
                                    })
                                    .collect_view()}
                            </select>
                        </label>
                        <label class="field">
                            <span class="field__label">{t!(i18n, rule_responsible)}</span>
                            <select class="input" name="responsible">
                                {choices
                                    .into_iter()
                                    .map(|(code, label)| {
                                        let selected = code == responsible;
                                        view! { <option value=code selected=selected>{label}</option> }
                                    })
                                    .collect_view()}
                            </select>
                        </label>
                        <label class="field field--check">
                            <input type="checkbox" name="notify_responsible" value="on" checked=rule.notify_responsible />
                            <span>{t!(i18n, rule_notify_responsible)}</span>
                        </label>
                        {pipeline.has_supplier().then(|| view! {
                            <label class="field field--wide">
                                <span class="field__label">{t!(i18n, rule_message_ru)}</span>
                                <textarea class="input" name="message_ru" rows="2">{rule.supplier_message_ru.unwrap_or_default()}</textarea>
                            </label>
                            <label class="field field--wide">
                                <span class="field__label">{t!(i18n, rule_message_en)}</span>
                                <textarea class="input" name="message_en" rows="2">{rule.supplier_message_en.unwrap_or_default()}</textarea>
                            </label>
                        })}
                        <div class="form-actions">
                            <button type="submit" class="button">{t!(i18n, save)}</button>
                        </div>
                    </ActionForm>
                </section>
            }
        })
        .collect_view();
    view! {
        {how_told.map(|text| view! { <p class="muted" data-testid="rule-message-note">{text}</p> })}
        {forms}
    }
}

/// A pipeline's name as its tab shows it.
fn pipeline_name(i18n: leptos_i18n::I18nContext<Locale>, pipeline: Pipeline) -> String {
    match pipeline {
        Pipeline::Documents => t_string!(i18n, pipeline_documents).to_string(),
        Pipeline::Deals => t_string!(i18n, pipeline_deals).to_string(),
        Pipeline::Orders => t_string!(i18n, pipeline_orders).to_string(),
        Pipeline::Payments => t_string!(i18n, pipeline_payments).to_string(),
    }
}
