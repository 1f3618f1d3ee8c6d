//! A counterparty's card for staff: requisites, contacts, users and documents; and the form that
//! creates or edits it.
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

use crate::api::accounts::{InviteUser, SetUserActive};
use crate::api::counterparties::{
    AddContact, Contact, CounterpartyDetails, CounterpartyFiles, Manager, RemoveContact,
    SaveCounterparty, counterparty, get_counterparty_files, managers,
};
use crate::domain::counterparty::Requisites;
use crate::domain::files::FileLimits;
use crate::domain::files::Folder;
use crate::domain::form::Subject;
use crate::domain::format::format_date;
use crate::error::AppError;
use crate::i18n::*;
use crate::paths::export_path;
use crate::ui::components::error_message::{ErrorMessage, error_text};
use crate::ui::components::hydration::mark_hydrated;
use crate::ui::components::lang::use_lang;
use crate::ui::components::loaded::Loaded;
use crate::ui::components::page_title::PageTitle;
use crate::ui::components::upload::problem_text;
use crate::ui::components::url::id_param;

#[component]
pub fn StaffCounterpartyPage() -> impl IntoView {
    let i18n = use_i18n();
    let id = id_param();
    let add_contact = ServerAction::<AddContact>::new();
    let remove_contact = ServerAction::<RemoveContact>::new();
    let invite = ServerAction::<InviteUser>::new();
    let set_active = ServerAction::<SetUserActive>::new();
    let details = Resource::new(
        move || {
            (
                id.get(),
                add_contact.version().get(),
                remove_contact.version().get(),
                invite.version().get(),
                set_active.version().get(),
            )
        },
        |(id, ..)| async move {
            match id {
                Some(id) => counterparty(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <div class="page">
            <p>
                <A href="/staff/counterparties" attr:class="back-link">{t!(i18n, back_to_counterparties)}</A>
            </p>
            <Loaded data=details view=move |details| view! {
                            <CounterpartyView
                                details=details
                                add_contact=add_contact
                                remove_contact=remove_contact
                                invite=invite
                                set_active=set_active
                            />
                        }
                        .into_any() />
        </div>
    }
}

fn or_dash(value: &Option<String>) -> String {
    value.clone().unwrap_or_else(|| "—".to_owned())
}

#[component]
fn CounterpartyView(
    details: CounterpartyDetails,
    add_contact: ServerAction<AddContact>,
    remove_contact: ServerAction<RemoveContact>,
    invite: ServerAction<InviteUser>,
    set_active: ServerAction<SetUserActive>,
) -> impl IntoView {
    mark_hydrated();
    let i18n = use_i18n();
    let lang = use_lang();
    let CounterpartyDetails {
        id,
        requisites: r,
        responsible_manager,
        contacts,
        users,
        documents,
        document_count,
    } = details;
    let title = r.name.clone();
    view! {
        <PageTitle text=move || title.clone() />
        <header class="page__header page__header--actions">
            <h1 data-testid="counterparty-name">{r.name.clone()}</h1>
            {(r.block_mode != crate::domain::settlements::BlockMode::None).then(|| view! { <span class="badge badge--warning">{t!(i18n, blocked)}</span> })}
            <A href=format!("/staff/counterparties/{id}/edit") attr:class="button button--secondary">
                {t!(i18n, edit)}
            </A>
        </header>
        {r.block_reason.clone().map(|reason| view! {
            <div class="alert alert--warning" role="status">{reason}</div>
        })}
        <div class="grid">
            <section class="card" aria-labelledby="requisites-title">
                <h2 id="requisites-title">{t!(i18n, requisites)}</h2>
                <dl class="facts" data-testid="requisites">
                    <dt>{t!(i18n, inn)}</dt><dd>{r.inn.clone()}</dd>
                    <dt>{t!(i18n, kpp)}</dt><dd>{or_dash(&r.kpp)}</dd>
                    <dt>{t!(i18n, ogrn)}</dt><dd>{or_dash(&r.ogrn)}</dd>
                    <dt>{t!(i18n, legal_address)}</dt><dd>{or_dash(&r.legal_address)}</dd>
                    <dt>{t!(i18n, postal_address)}</dt><dd>{or_dash(&r.postal_address)}</dd>
                    <dt>{t!(i18n, bank_name)}</dt><dd>{or_dash(&r.bank_name)}</dd>
                    <dt>{t!(i18n, bic)}</dt><dd>{or_dash(&r.bic)}</dd>
                    <dt>{t!(i18n, settlement_account)}</dt><dd>{or_dash(&r.settlement_account)}</dd>
                    <dt>{t!(i18n, correspondent_account)}</dt><dd>{or_dash(&r.correspondent_account)}</dd>
                    <dt>{t!(i18n, responsible_manager)}</dt><dd>{or_dash(&responsible_manager)}</dd>
                    <dt>{t!(i18n, payment_deferral_days)}</dt><dd>{r.payment_deferral_days}</dd>
                </dl>
            </section>
            <section class="card" aria-labelledby="contacts-title">
                <h2 id="contacts-title">{t!(i18n, contacts)}</h2>
                <ContactsEditor counterparty_id=id contacts=contacts add=add_contact remove=remove_contact />
            </section>
            <section class="card" aria-labelledby="users-title">
                <h2 id="users-title">{t!(i18n, counterparty_users)}</h2>
                {if users.is_empty() {
                    view! { <p class="muted">{t!(i18n, no_users)}</p> }.into_any()
                } else {
                    view! {
                        <ul class="list" data-testid="counterparty-users">
                            {users.into_iter().map(|u| view! {
                                <li class="list__item">
                                    <span class="list__main">{u.name}</span>
                                    <span class="muted">{u.email}</span>
                                    {(!u.active).then(|| view! { <span class="badge">{t!(i18n, inactive)}</span> })}
                                    <ActionForm action=set_active attr:class="inline-form">
                                        <input type="hidden" name="id" value=u.id />
                                        <input type="hidden" name="active" value=(!u.active).to_string() />
                                        <button type="submit" class="link-button">
                                            {if u.active { t!(i18n, deactivate).into_any() } else { t!(i18n, activate).into_any() }}
                                        </button>
                                    </ActionForm>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
                <InviteForm counterparty_id=id invite=invite />
            </section>
            <section class="card" aria-labelledby="export-title">
                <h2 id="export-title">{t!(i18n, export_title)}</h2>
                <p class="muted small">{t!(i18n, export_lead)}</p>
                <p><A href=format!("/staff/counterparties/{id}/files") attr:class="button button--secondary" attr:data-testid="counterparty-files">{t!(i18n, counterparty_files_title)}</A>
                    " "
                    <A href=format!("/staff/counterparties/{id}/balance") attr:class="button button--secondary" attr:data-testid="counterparty-balance">{t!(i18n, balance_title)}</A></p>
                // A plain form: the browser downloads the archive itself.
                <form method="get" action=export_path(id) class="export-form" data-testid="export-form">
                    <label class="field">
                        <span class="field__label">{t!(i18n, period_from)}</span>
                        <input class="input" type="date" name="from" />
                    </label>
                    <label class="field">
                        <span class="field__label">{t!(i18n, period_to)}</span>
                        <input class="input" type="date" name="to" />
                    </label>
                    <div class="form-actions">
                        <button type="submit" class="button button--secondary">{t!(i18n, download_zip)}</button>
                    </div>
                </form>
            </section>
            <section class="card card--wide" aria-labelledby="documents-title">
                <h2 id="documents-title">{t!(i18n, documents)} " (" {document_count} ")"</h2>
                {if documents.is_empty() {
                    view! { <p class="muted">{t!(i18n, no_documents)}</p> }.into_any()
                } else {
                    view! {
                        <ul class="doc-list" data-testid="counterparty-documents">
                            {documents.into_iter().map(|row| {
                                let stage = row.stage.clone();
                                let badge = stage.badge_class();
                                view! {
                                    <li class="doc-list__item">
                                        <span class="doc-list__number">{row.invoice_number.clone()}</span>
                                        <span class="muted">{move || format_date(row.invoice_date, lang.get())}</span>
                                        <span class=badge>{move || stage.name(lang.get()).to_owned()}</span>
                                        <span class="money doc-list__amount">{move || row.amount.format(lang.get())}</span>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </section>
        </div>
    }
}

/// Problems of a form field from a refused server call, in the user's language.
fn field_problem(
    i18n: leptos_i18n::I18nContext<Locale>,
    error: &Option<AppError>,
    field: &str,
) -> Option<String> {
    match error {
        Some(AppError::Rejected { problems }) => problems
            .iter()
            .find(|p| p.subject == Subject::Field(field.to_owned()))
            .map(|p| problem_text(i18n, &p.error, FileLimits::default())),
        _ => None,
    }
}

/// A refusal that is not about one field.
fn general_problem(
    i18n: leptos_i18n::I18nContext<Locale>,
    error: &Option<AppError>,
) -> Option<String> {
    match error {
        None | Some(AppError::Rejected { .. }) => None,
        Some(other) => Some(error_text(i18n, other)),
    }
}

/// Contacts of a counterparty with a form to add one; shared by staff and the supplier.
#[component]
pub fn ContactsEditor(
    counterparty_id: i32,
    contacts: Vec<Contact>,
    add: ServerAction<AddContact>,
    remove: ServerAction<RemoveContact>,
) -> impl IntoView {
    let i18n = use_i18n();
    let error = Memo::new(move |_| add.value().get().and_then(|r| r.err()));
    let problem = move |field: &'static str| move || field_problem(i18n, &error.get(), field);
    view! {
        {if contacts.is_empty() {
            view! { <p class="muted">{t!(i18n, no_contacts)}</p> }.into_any()
        } else {
            view! {
                <ul class="list" data-testid="contacts">
                    {contacts.into_iter().map(|c| view! {
                        <li class="list__item">
                            <span class="list__main">{c.name} {(!c.position.is_empty()).then(|| format!(", {}", c.position))}</span>
                            <span class="muted">{c.email} " " {c.phone}</span>
                            <ActionForm action=remove attr:class="inline-form">
                                <input type="hidden" name="id" value=c.id />
                                <button type="submit" class="link-button">{t!(i18n, remove_file)}</button>
                            </ActionForm>
                        </li>
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
        <ActionForm action=add attr:class="contact-form" attr:novalidate=true>
            <input type="hidden" name="counterparty_id" value=counterparty_id />
            <label class="field">
                <span class="field__label">{t!(i18n, contact_name)}</span>
                <input class="input" name="name" maxlength="200" />
                <span class="field__error" data-testid="contact_name-error">{problem("contact_name")}</span>
            </label>
            <label class="field">
                <span class="field__label">{t!(i18n, position)}</span>
                <input class="input" name="position" maxlength="200" />
            </label>
            <label class="field">
                <span class="field__label">{t!(i18n, email)}</span>
                <input class="input" type="email" name="email" maxlength="200" />
                <span class="field__error" data-testid="email-error">{problem("email")}</span>
            </label>
            <label class="field">
                <span class="field__label">{t!(i18n, phone)}</span>
                <input class="input" type="tel" name="phone" maxlength="200" />
                <span class="field__error">{problem("phone")}</span>
            </label>
            <div class="form-actions">
                <button type="submit" class="button button--secondary">{t!(i18n, add_contact)}</button>
            </div>
        </ActionForm>
    }
}

/// `/staff/counterparties/new` and `/staff/counterparties/:id/edit`.
#[component]
pub fn StaffCounterpartyEditPage() -> impl IntoView {
    let i18n = use_i18n();
    let id = id_param();
    let data = Resource::new(
        move || id.get(),
        |id| async move {
            let managers = managers().await?;
            let requisites = match id {
                Some(id) => Some(counterparty(id).await?.requisites),
                None => None,
            };
            Ok::<_, AppError>((requisites, managers))
        },
    );
    view! {
        <div class="page">
            <p>
                <A href="/staff/counterparties" attr:class="back-link">{t!(i18n, back_to_counterparties)}</A>
            </p>
            <Suspense fallback=move || view! { <p class="muted">{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok((requisites, managers)) => view! {
                            <CounterpartyFormView id=id.get_untracked() requisites=requisites.unwrap_or_default() managers=managers />
                        }
                        .into_any(),
                        Err(error) => view! { <ErrorMessage error=error /> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn CounterpartyFormView(
    id: Option<i32>,
    requisites: Requisites,
    managers: Vec<Manager>,
) -> impl IntoView {
    mark_hydrated();
    let i18n = use_i18n();
    let save = ServerAction::<SaveCounterparty>::new();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(saved)) = save.value().get() {
            navigate(
                &format!("/staff/counterparties/{saved}"),
                Default::default(),
            );
        }
    });
    let error = Memo::new(move |_| save.value().get().and_then(|r| r.err()));
    let problem = move |field: &'static str| move || field_problem(i18n, &error.get(), field);
    let r = requisites;
    let is_new = id.is_none();
    let text_field = move |field: &'static str,
                           label: String,
                           value: Option<String>,
                           inputmode: &'static str| {
        view! {
            <label class="field">
                <span class="field__label">{label}</span>
                <input
                    class="input"
                    name=format!("form[{field}]")
                    value=value.unwrap_or_default()
                    inputmode=inputmode
                    autocomplete="off"
                    data-testid=format!("field-{field}")
                />
                <span class="field__error" data-testid=format!("{field}-error")>{problem(field)}</span>
            </label>
        }
    };
    let selected_manager = r.responsible_manager_id;
    view! {
        <PageTitle text=move || if is_new {
            t_string!(i18n, new_counterparty).to_string()
        } else {
            t_string!(i18n, edit_counterparty).to_string()
        } />
        <header class="page__header">
            <h1>{move || if is_new {
                t_string!(i18n, new_counterparty).to_string()
            } else {
                t_string!(i18n, edit_counterparty).to_string()
            }}</h1>
        </header>
        <ActionForm action=save attr:class="card counterparty-form" attr:novalidate=true>
            {id.map(|id| view! { <input type="hidden" name="id" value=id /> })}
            <div class="form-grid">
                {text_field("name", t_string!(i18n, counterparty_name).to_string(), Some(r.name.clone()), "text")}
                {text_field("inn", t_string!(i18n, inn).to_string(), Some(r.inn.clone()), "numeric")}
                {text_field("kpp", t_string!(i18n, kpp).to_string(), r.kpp.clone(), "text")}
                {text_field("ogrn", t_string!(i18n, ogrn).to_string(), r.ogrn.clone(), "numeric")}
                {text_field("legal_address", t_string!(i18n, legal_address).to_string(), r.legal_address.clone(), "text")}
                {text_field("postal_address", t_string!(i18n, postal_address).to_string(), r.postal_address.clone(), "text")}
                {text_field("bank_name", t_string!(i18n, bank_name).to_string(), r.bank_name.clone(), "text")}
                {text_field("bic", t_string!(i18n, bic).to_string(), r.bic.clone(), "numeric")}
                {text_field("settlement_account", t_string!(i18n, settlement_account).to_string(), r.settlement_account.clone(), "numeric")}
                {text_field("correspondent_account", t_string!(i18n, correspondent_account).to_string(), r.correspondent_account.clone(), "numeric")}
                {text_field("payment_deferral_days", t_string!(i18n, payment_deferral_days).to_string(), Some(r.payment_deferral_days.to_string()), "numeric")}
                <label class="field">
                    <span class="field__label">{t!(i18n, responsible_manager)}</span>
                    <select class="input" name="form[responsible_manager_id]">
                        <option value="" selected=selected_manager.is_none()>"—"</option>
                        {managers.into_iter().map(|m| view! {
                            <option value=m.id selected=selected_manager == Some(m.id)>{m.name}</option>
                        }).collect_view()}
                    </select>
                    <span class="field__error">{problem("responsible_manager_id")}</span>
                </label>
                <label class="field">
                    <span class="field__label">{t!(i18n, access_blocked)}</span>
                    <select class="input" name="form[block_mode]">
                        {crate::domain::settlements::BlockMode::ALL.into_iter().map(|m| view! {
                            <option value=m.code() selected=r.block_mode == m>{crate::ui::components::balance::block_text(i18n, m)}</option>
                        }).collect_view()}
                    </select>
                    <span class="field__error">{problem("block_mode")}</span>
                </label>
                {text_field("credit_limit", t_string!(i18n, credit_limit).to_string(), r.credit_limit.map(|m| m.format_plain(crate::domain::lang::Lang::Ru)), "text")}
                {text_field("block_reason", t_string!(i18n, block_reason).to_string(), r.block_reason.clone(), "text")}
            </div>
            {move || general_problem(i18n, &error.get()).map(|text| view! {
                <div class="alert alert--error" role="alert">{text}</div>
            })}
            {move || matches!(error.get(), Some(AppError::Rejected { .. })).then(|| view! {
                <div class="alert alert--error" role="alert" data-testid="form-refused">{t!(i18n, err_rejected)}</div>
            })}
            <div class="form-actions">
                <button type="submit" class="button" data-testid="save-counterparty">{t!(i18n, save)}</button>
            </div>
        </ActionForm>
    }
}

#[component]
fn InviteForm(counterparty_id: i32, invite: ServerAction<InviteUser>) -> impl IntoView {
    let i18n = use_i18n();
    let error = Memo::new(move |_| invite.value().get().and_then(|r| r.err()));
    let problem = move |field: &'static str| move || field_problem(i18n, &error.get(), field);
    let sent = move || matches!(invite.value().get(), Some(Ok(_)));
    view! {
        <h3>{t!(i18n, invite_user)}</h3>
        <p class="muted small">{t!(i18n, invite_lead)}</p>
        <ActionForm action=invite attr:class="contact-form" attr:novalidate=true>
            <input type="hidden" name="counterparty_id" value=counterparty_id />
            <label class="field">
                <span class="field__label">{t!(i18n, email)}</span>
                <input class="input" type="email" name="email" maxlength="200" data-testid="invite-email" />
                <span class="field__error" data-testid="invite-email-error">{problem("email")}</span>
            </label>
            <label class="field">
                <span class="field__label">{t!(i18n, first_name)}</span>
                <input class="input" name="first_name" maxlength="100" data-testid="invite-first-name" />
                <span class="field__error">{problem("first_name")}</span>
            </label>
            <label class="field">
                <span class="field__label">{t!(i18n, last_name)}</span>
                <input class="input" name="last_name" maxlength="100" />
            </label>
            {move || sent().then(|| view! {
                <p class="alert alert--success" role="status" data-testid="invitation-sent">{t!(i18n, invitation_sent)}</p>
            })}
            <div class="form-actions">
                <button type="submit" class="button button--secondary" data-testid="send-invitation">{t!(i18n, send_invitation)}</button>
            </div>
        </ActionForm>
    }
}

/// A counterparty's files in one place: a folder each for its documents, the payment requests
/// to it, contracts, specifications and orders, under a period filter; the ZIP export takes the
/// same period and holds the same folders.
#[component]
pub fn StaffCounterpartyFilesPage() -> impl IntoView {
    let i18n = use_i18n();
    let id = id_param();
    let query = leptos_router::hooks::use_query_map();
    let period = Memo::new(move |_| {
        let q = query.read();
        (
            q.get("from").filter(|v| !v.is_empty()),
            q.get("to").filter(|v| !v.is_empty()),
        )
    });
    let files = Resource::new(
        move || (id.get(), period.get()),
        |(id, (from, to))| async move {
            match id {
                Some(id) => get_counterparty_files(id, from, to).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    let _ = i18n;
    view! {
        <div class="page">
            <Loaded data=files view=move |files| view! { <FilesView files=files period=period.get_untracked() /> }.into_any() />
        </div>
    }
}

fn folder_name(i18n: leptos_i18n::I18nContext<Locale>, folder: Folder) -> String {
    match folder {
        Folder::Documents => t_string!(i18n, folder_documents).to_string(),
        Folder::PaymentRequests => t_string!(i18n, folder_payment_requests).to_string(),
        Folder::Contracts => t_string!(i18n, folder_contracts).to_string(),
        Folder::Specifications => t_string!(i18n, folder_specifications).to_string(),
        Folder::Orders => t_string!(i18n, folder_orders).to_string(),
    }
}

#[component]
fn FilesView(files: CounterpartyFiles, period: (Option<String>, Option<String>)) -> impl IntoView {
    mark_hydrated();
    let i18n = use_i18n();
    let lang = use_lang();
    let (from, to) = period;
    let id = files.id;
    let mut query = Vec::new();
    if let Some(from) = &from {
        query.push(format!("from={from}"));
    }
    if let Some(to) = &to {
        query.push(format!("to={to}"));
    }
    let zip = if query.is_empty() {
        export_path(id)
    } else {
        format!("{}?{}", export_path(id), query.join("&"))
    };
    let page_path = format!("/staff/counterparties/{id}/files");
    let reset_path = page_path.clone();
    let name = files.name.clone();
    view! {
        <PageTitle text=move || name.clone() />
        <p><A href=format!("/staff/counterparties/{id}") attr:class="back-link">{files.name.clone()}</A></p>
        <header class="page__header">
            <h1>{t!(i18n, counterparty_files_title)}</h1>
        </header>
        <section class="card filters-card">
            <form method="get" action=page_path class="filters" data-testid="files-filter">
                <label class="field">
                    <span class="field__label">{t!(i18n, period_from)}</span>
                    <input class="input" type="date" name="from" value=from.clone().unwrap_or_default() />
                </label>
                <label class="field">
                    <span class="field__label">{t!(i18n, period_to)}</span>
                    <input class="input" type="date" name="to" value=to.clone().unwrap_or_default() />
                </label>
                <div class="filters__actions">
                    <button type="submit" class="button">{t!(i18n, apply_filters)}</button>
                    <a class="button button--ghost" href=reset_path>{t!(i18n, reset_filters)}</a>
                    <a class="button button--secondary" href=zip rel="external" data-testid="files-zip">{t!(i18n, download_zip)}</a>
                </div>
            </form>
        </section>
        {files.folders.into_iter().map(|folder| {
            let code = folder.folder.code();
            let kind = folder.folder;
            let count: usize = folder.papers.iter().map(|p| p.files.len()).sum();
            view! {
                <section class="card" data-testid="folder" data-folder=code>
                    <h2>{move || folder_name(i18n, kind)} " (" {count} ")"</h2>
                    {if folder.papers.is_empty() {
                        view! { <p class="muted">{t!(i18n, no_files)}</p> }.into_any()
                    } else {
                        view! {
                            <ul class="list">
                                {folder.papers.into_iter().map(|paper| {
                                    let date = paper.date;
                                    view! {
                                        <li class="list__item folder-paper" data-testid="folder-paper">
                                            <a class="list__main" href=paper.page.clone()>{paper.number.clone()}</a>
                                            <span class="muted">{move || format_date(date, lang.get())}</span>
                                            <ul class="file-list">
                                                {paper.files.into_iter().map(|file| {
                                                    let size = file.size_bytes.max(0) as u64;
                                                    view! {
                                                        <li class="file-list__item" data-testid="folder-file">
                                                            <a class="file-list__name" href=file.href.clone() target="_blank" rel="noopener external">{file.name.clone()}</a>
                                                            <span class="muted small">{crate::ui::components::upload::size_text(i18n, size)}</span>
                                                        </li>
                                                    }
                                                }).collect_view()}
                                            </ul>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }}
                </section>
            }
        }).collect_view()}
    }
}
