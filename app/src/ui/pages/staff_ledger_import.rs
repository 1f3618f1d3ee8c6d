//! The ledger's imports from the accounting system (accountants and admins): upload a CSV or
//! XLSX file of opening balances and entries, see what it stored or, when refused, every
//! problem by line and column (nothing of a refused file is stored), and the latest imports.
//! Admins also issue and revoke the API tokens integrations post the same entries with.
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::ledger_import::{
    ApiTokenRow, ImportReport, ImportsPage, IssueApiToken, RevokeApiToken, get_imports,
};
use crate::domain::api_tokens::OPENAPI_PATH;
use crate::domain::format::format_date_time;
use crate::domain::ledger_import::{ImportColumn, ImportOrigin, RowProblem};
use crate::i18n::*;
use crate::paths::{LEDGER_IMPORT_PAGE, LEDGER_UPLOAD_PATH};
use crate::ui::components::clock::company_zone;
use crate::ui::components::error_message::ErrorMessage;
use crate::ui::components::hydration::mark_hydrated;
use crate::ui::components::lang::use_lang;
use crate::ui::components::loaded::Loaded;
use crate::ui::components::page_title::PageTitle;
use crate::ui::components::upload::problem_text;

#[component]
pub fn StaffLedgerImportPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let issue = ServerAction::<IssueApiToken>::new();
    let revoke = ServerAction::<RevokeApiToken>::new();
    let page = Resource::new(
        move || (issue.version().get(), revoke.version().get()),
        |_| get_imports(),
    );
    let shown = Memo::new(move |_| {
        query
            .read()
            .get("report")
            .and_then(|r| r.parse::<i32>().ok())
    });
    let refused = Memo::new(move |_| query.read().get("refused").is_some());
    view! {
        <PageTitle text=move || t_string!(i18n, import_title).to_string() />
        <div class="page">
            <header class="page__header">
                <h1>{t!(i18n, import_title)}</h1>
            </header>
            {move || refused.get().then(|| view! {
                <p class="alert alert--error" role="alert" data-testid="import-refused">{t!(i18n, import_not_read)}</p>
            })}
            <section class="card">
                <h2>{t!(i18n, import_upload_title)}</h2>
                <p class="muted small">{t!(i18n, import_upload_hint)}</p>
                <form class="form form--inline" method="post" enctype="multipart/form-data" action=LEDGER_UPLOAD_PATH data-testid="import-form">
                    <label class="field">
                        <span class="field__label">{t!(i18n, import_file)}</span>
                        <input class="input" type="file" name="file" required
                            accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" />
                    </label>
                    <div class="form-actions">
                        <button type="submit" class="button">{t!(i18n, import_button)}</button>
                    </div>
                </form>
                <details class="import-format">
                    <summary>{t!(i18n, import_format_title)}</summary>
                    <p class="small">{t!(i18n, import_format_hint)}</p>
                    <pre class="code" data-testid="import-header">{ImportColumn::ALL.map(|c| c.russian()).join(";")}</pre>
                    <pre class="code">{ImportColumn::ALL.map(|c| c.code()).join(";")}</pre>
                </details>
            </section>
            <Loaded data=page view=move |page| view! { <ImportsView page=page shown=shown issue=issue revoke=revoke /> }.into_any() />
        </div>
    }
}

#[component]
fn ImportsView(
    page: ImportsPage,
    shown: Memo<Option<i32>>,
    issue: ServerAction<IssueApiToken>,
    revoke: ServerAction<RevokeApiToken>,
) -> impl IntoView {
    mark_hydrated();
    let i18n = use_i18n();
    let ImportsPage {
        imports,
        tokens,
        may_manage_tokens,
    } = page;
    let report = imports
        .iter()
        .find(|r| Some(r.id) == shown.get_untracked())
        .cloned();
    view! {
        {report.map(|report| view! { <ReportView report=report /> })}
        <section class="card">
            <h2>{t!(i18n, import_history)}</h2>
            <HistoryTable imports=imports />
        </section>
        {may_manage_tokens.then(|| view! { <TokensView tokens=tokens issue=issue revoke=revoke /> })}
    }
}

/// What the import did, or every reason it stored nothing.
#[component]
fn ReportView(report: ImportReport) -> impl IntoView {
    let i18n = use_i18n();
    let ImportReport {
        imported,
        skipped,
        refused,
        problems,
        file_name,
        ..
    } = report;
    if !refused {
        return view! {
            <p class="alert alert--success" role="status" data-testid="import-done">
                {file_name} ": " {t!(i18n, import_done, imported = move || imported, skipped = move || skipped)}
            </p>
        }
        .into_any();
    }
    view! {
        <section class="card" data-testid="import-problems">
            <p class="alert alert--error" role="alert">{file_name} ": " {t!(i18n, import_refused)}</p>
            <ProblemsTable problems=problems />
        </section>
    }
    .into_any()
}

#[component]
fn ProblemsTable(problems: Vec<RowProblem>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="table-wrap">
            <table class="table table--stack">
                <thead>
                    <tr>
                        <th class="num">{t!(i18n, import_line)}</th>
                        <th>{t!(i18n, import_column)}</th>
                        <th>{t!(i18n, import_problem)}</th>
                    </tr>
                </thead>
                <tbody>
                    {problems.into_iter().map(|p| {
                        let RowProblem { line, column, error } = p;
                        view! {
                            <tr data-testid="import-problem">
                                <td data-label=move || t_string!(i18n, import_line).to_string() class="num" data-testid="problem-line">
                                    {if line == 0 { "—".to_owned() } else { line.to_string() }}
                                </td>
                                <td data-label=move || t_string!(i18n, import_column).to_string() data-testid="problem-column">
                                    {move || column_text(i18n, column)}
                                </td>
                                <td data-label=move || t_string!(i18n, import_problem).to_string()>
                                    {move || problem_text(i18n, &error, Default::default())}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// A column as the user's file names it: in Russian for Russian readers.
fn column_text(i18n: leptos_i18n::I18nContext<Locale>, column: Option<ImportColumn>) -> String {
    match (column, i18n.get_locale()) {
        (None, _) => "—".to_owned(),
        (Some(c), Locale::ru) => c.russian().to_owned(),
        (Some(c), _) => c.code().to_owned(),
    }
}

#[component]
fn HistoryTable(imports: Vec<ImportReport>) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang();
    if imports.is_empty() {
        return view! { <p class="muted" data-testid="no-imports">{t!(i18n, import_none)}</p> }
            .into_any();
    }
    view! {
        <div class="table-wrap">
            <table class="table table--stack" data-testid="imports">
                <thead>
                    <tr>
                        <th>{t!(i18n, import_when)}</th>
                        <th>{t!(i18n, import_file)}</th>
                        <th>{t!(i18n, import_by)}</th>
                        <th class="num">{t!(i18n, import_rows)}</th>
                        <th>{t!(i18n, import_result)}</th>
                    </tr>
                </thead>
                <tbody>
                    {imports.into_iter().map(|r| {
                        let ImportReport { id, at, origin, file_name, by, rows, imported, skipped, refused, problems } = r;
                        let problems_count = problems.len();
                        view! {
                            <tr data-testid="import-row" class:row--overdue=refused>
                                <td data-label=move || t_string!(i18n, import_when).to_string()>
                                    <a href=format!("{LEDGER_IMPORT_PAGE}?report={id}")>{move || format_date_time(at, company_zone(), lang.get())}</a>
                                </td>
                                <td data-label=move || t_string!(i18n, import_file).to_string()>{file_name}</td>
                                <td data-label=move || t_string!(i18n, import_by).to_string()>
                                    <span>
                                        {by}
                                        " "
                                        <span class="muted small">{move || match origin {
                                            ImportOrigin::Upload => t_string!(i18n, import_by_upload).to_string(),
                                            ImportOrigin::Api => t_string!(i18n, import_by_api).to_string(),
                                        }}</span>
                                    </span>
                                </td>
                                <td data-label=move || t_string!(i18n, import_rows).to_string() class="num">{rows}</td>
                                <td data-label=move || t_string!(i18n, import_result).to_string() data-testid="import-result">
                                    {move || if refused {
                                        t_string!(i18n, import_result_refused, count = problems_count).to_string()
                                    } else {
                                        t_string!(i18n, import_done, imported = imported, skipped = skipped).to_string()
                                    }}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

/// Admins: the API tokens integrations import with.
#[component]
fn TokensView(
    tokens: Vec<ApiTokenRow>,
    issue: ServerAction<IssueApiToken>,
    revoke: ServerAction<RevokeApiToken>,
) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang();
    view! {
        <section class="card" data-testid="api-tokens">
            <h2>{t!(i18n, tokens_title)}</h2>
            <p class="muted small">
                {t!(i18n, tokens_hint)} " "
                <a href=OPENAPI_PATH data-testid="openapi-link">{t!(i18n, tokens_openapi)}</a>
            </p>
            {move || issue.value().get().map(|result| match result {
                Ok(issued) => view! {
                    <div class="alert alert--success" role="status" data-testid="token-issued">
                        <p>{t!(i18n, token_issued)} " " <strong>{issued.name.clone()}</strong></p>
                        <pre class="code" data-testid="token-value">{issued.token.clone()}</pre>
                    </div>
                }.into_any(),
                Err(error) => view! { <ErrorMessage error=error /> }.into_any(),
            })}
            {move || revoke.value().get().and_then(|r| r.err()).map(|error| view! { <ErrorMessage error=error /> })}
            <ActionForm action=issue attr:class="form form--inline" attr:data-testid="token-form">
                <label class="field">
                    <span class="field__label">{t!(i18n, token_name)}</span>
                    <input class="input" name="name" required maxlength="100"
                        placeholder=move || t_string!(i18n, token_name_placeholder).to_string() />
                </label>
                <div class="form-actions">
                    <button type="submit" class="button">{t!(i18n, token_issue)}</button>
                </div>
            </ActionForm>
            {if tokens.is_empty() {
                view! { <p class="muted">{t!(i18n, tokens_none)}</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table class="table table--stack" data-testid="tokens">
                            <thead>
                                <tr>
                                    <th>{t!(i18n, token_name)}</th>
                                    <th>{t!(i18n, token_issued_by)}</th>
                                    <th>{t!(i18n, token_last_used)}</th>
                                    <th>{t!(i18n, token_state)}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {tokens.into_iter().map(|t| {
                                    let ApiTokenRow { id, name, created_by, created_at, last_used_at, revoked_at, .. } = t;
                                    let live = revoked_at.is_none();
                                    view! {
                                        <tr data-testid="token-row">
                                            <td data-label=move || t_string!(i18n, token_name).to_string()>{name}</td>
                                            <td data-label=move || t_string!(i18n, token_issued_by).to_string()>
                                                <span>
                                                    {created_by} " "
                                                    <span class="muted small">{move || format_date_time(created_at, company_zone(), lang.get())}</span>
                                                </span>
                                            </td>
                                            <td data-label=move || t_string!(i18n, token_last_used).to_string()>
                                                {move || last_used_at.map(|at| format_date_time(at, company_zone(), lang.get())).unwrap_or_else(|| "—".to_owned())}
                                            </td>
                                            <td data-label=move || t_string!(i18n, token_state).to_string() data-testid="token-state">
                                                {if live {
                                                    view! {
                                                        <ActionForm action=revoke attr:class="inline-form">
                                                            <input type="hidden" name="id" value=id.to_string() />
                                                            <button type="submit" class="button button--secondary button--small" data-testid="token-revoke">
                                                                {t!(i18n, token_revoke)}
                                                            </button>
                                                        </ActionForm>
                                                    }.into_any()
                                                } else {
                                                    view! {
                                                        <span class="muted">
                                                            {move || {
                                                                let at = revoked_at.map(|at| format_date_time(at, company_zone(), lang.get())).unwrap_or_default();
                                                                t_string!(i18n, token_revoked, at = at).to_string()
                                                            }}
                                                        </span>
                                                    }.into_any()
                                                }}
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </section>
    }
}
