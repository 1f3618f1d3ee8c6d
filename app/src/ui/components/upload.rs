//! The upload form: fields (for a new submission), a growing list of chosen files (several
//! camera shots make one submission), each file checked in the browser by the same rules the
//! server applies, and per-file progress while sending. Without JavaScript it is a plain
//! multipart form to the same route.
use leptos::prelude::*;
use leptos_i18n::I18nContext;

use crate::domain::files::{FileLimits, FileRejection};
use crate::domain::form::{FieldError, FieldProblem, Subject};
use crate::domain::money::MoneyError;
use crate::domain::requisites::RequisiteError;
use crate::domain::upload::{DocumentKind, VatRate};
use crate::i18n::*;

#[derive(Clone, Debug, PartialEq)]
pub enum FileState {
    Checking,
    Ready,
    Refused(FieldError),
    /// Share of the file sent, 0 to 100.
    Sending(u8),
}

#[derive(Clone, Debug, PartialEq)]
pub struct ChosenFile {
    pub key: u32,
    pub name: String,
    pub size: u64,
    pub state: FileState,
}

fn mib(bytes: u64) -> u64 {
    bytes / (1024 * 1024)
}

/// A problem in the user's language.
pub fn problem_text(i18n: I18nContext<Locale>, error: &FieldError, limits: FileLimits) -> String {
    match error {
        FieldError::Required => t_string!(i18n, problem_required).to_string(),
        FieldError::Unknown => t_string!(i18n, problem_unknown).to_string(),
        FieldError::TooLong(max) => {
            let max = *max;
            t_string!(i18n, problem_too_long, max).to_string()
        }
        FieldError::BadDate => t_string!(i18n, problem_bad_date).to_string(),
        FieldError::FutureDate => t_string!(i18n, problem_future_date).to_string(),
        FieldError::Amount(MoneyError::Malformed) => {
            t_string!(i18n, problem_amount_malformed).to_string()
        }
        FieldError::Amount(MoneyError::Negative) => {
            t_string!(i18n, problem_amount_negative).to_string()
        }
        FieldError::Amount(MoneyError::TooPrecise) => {
            t_string!(i18n, problem_amount_precise).to_string()
        }
        FieldError::Amount(MoneyError::TooLarge) => {
            t_string!(i18n, problem_amount_large).to_string()
        }
        FieldError::Amount(MoneyError::AboveMaximum(max)) => {
            let max = max.format(crate::ui::components::lang::lang_of(i18n.get_locale()));
            t_string!(i18n, problem_amount_above, max).to_string()
        }
        FieldError::ZeroAmount => t_string!(i18n, problem_amount_zero).to_string(),
        FieldError::File(FileRejection::Empty) => t_string!(i18n, problem_file_empty).to_string(),
        FieldError::File(FileRejection::TooBig) => {
            let max_mib = mib(limits.max_file_bytes);
            t_string!(i18n, problem_file_too_big, max_mib).to_string()
        }
        FieldError::File(FileRejection::TypeNotAllowed) => {
            t_string!(i18n, problem_file_type).to_string()
        }
        FieldError::NoFiles => t_string!(i18n, problem_no_files).to_string(),
        FieldError::TooManyFiles(max) => {
            let max = *max;
            t_string!(i18n, problem_too_many_files, max).to_string()
        }
        FieldError::SubmissionTooBig => t_string!(i18n, problem_submission_too_big).to_string(),
        FieldError::Incomplete => t_string!(i18n, problem_incomplete).to_string(),
        FieldError::NotReturned => t_string!(i18n, problem_not_returned).to_string(),
        FieldError::Requisite(error) => requisite_text(i18n, *error),
        FieldError::NotForEntrepreneur => t_string!(i18n, problem_not_for_entrepreneur).to_string(),
        FieldError::OutOfRange { min, max } => {
            let (min, max) = (*min, *max);
            t_string!(i18n, problem_out_of_range, min, max).to_string()
        }
        FieldError::BadEmail => t_string!(i18n, problem_bad_email).to_string(),
        FieldError::BadPhone => t_string!(i18n, problem_bad_phone).to_string(),
        FieldError::EmailOrPhone => t_string!(i18n, problem_email_or_phone).to_string(),
        FieldError::TooShort(min) => {
            let min = *min;
            t_string!(i18n, problem_too_short, min).to_string()
        }
        FieldError::PasswordIsEmail => t_string!(i18n, problem_password_is_email).to_string(),
        FieldError::EmailTaken => t_string!(i18n, problem_email_taken).to_string(),
        FieldError::NotANumber => t_string!(i18n, problem_not_a_number).to_string(),
        FieldError::PeriodReversed => t_string!(i18n, problem_period_reversed).to_string(),
        FieldError::PeriodTooLong => t_string!(i18n, problem_period_too_long).to_string(),
        FieldError::AmountsReversed => t_string!(i18n, problem_amounts_reversed).to_string(),
        FieldError::NotStaff => t_string!(i18n, problem_not_staff).to_string(),
        FieldError::SameStage => t_string!(i18n, problem_same_stage).to_string(),
        FieldError::SupplierOnlyStage => t_string!(i18n, problem_supplier_only_stage).to_string(),
        FieldError::NoSuchRecord => t_string!(i18n, problem_no_such_record).to_string(),
        FieldError::MustDiffer => t_string!(i18n, problem_must_differ).to_string(),
        FieldError::NeedsNumberPlaceholder => {
            t_string!(i18n, problem_needs_number_placeholder).to_string()
        }
        FieldError::BadKindCode => t_string!(i18n, problem_bad_kind_code).to_string(),
        FieldError::OrgLoop => t_string!(i18n, problem_org_loop).to_string(),
        FieldError::RuleNeedsCondition => t_string!(i18n, problem_rule_needs_condition).to_string(),
        FieldError::CodeTaken => t_string!(i18n, problem_code_taken).to_string(),
        FieldError::PastDate => t_string!(i18n, problem_past_date).to_string(),
        FieldError::NotThisWay => t_string!(i18n, problem_not_this_way).to_string(),
        FieldError::NoApprover => t_string!(i18n, org_no_approver).to_string(),
        FieldError::ApproversLeft => t_string!(i18n, problem_approvers_left).to_string(),
        FieldError::NotEditable => t_string!(i18n, problem_not_editable).to_string(),
        FieldError::NotDocumentsCounterparty => {
            t_string!(i18n, problem_not_documents_counterparty).to_string()
        }
        FieldError::TooManyAtOnce(max) => {
            let max = *max;
            t_string!(i18n, problem_too_many_at_once, max).to_string()
        }
        FieldError::MissingColumn => t_string!(i18n, problem_missing_column).to_string(),
        FieldError::NoRows => t_string!(i18n, problem_no_rows).to_string(),
        FieldError::OneSideOnly => t_string!(i18n, problem_one_side_only).to_string(),
        FieldError::DuplicateInFile => t_string!(i18n, problem_duplicate_in_file).to_string(),
        FieldError::ChangedSinceImport => t_string!(i18n, problem_changed_since_import).to_string(),
        FieldError::UnreadableFile => t_string!(i18n, problem_unreadable_file).to_string(),
    }
}

fn requisite_text(i18n: I18nContext<Locale>, error: RequisiteError) -> String {
    match error {
        RequisiteError::InnLength => t_string!(i18n, problem_requisite_inn_length).to_string(),
        RequisiteError::InnChecksum => t_string!(i18n, problem_requisite_inn_checksum).to_string(),
        RequisiteError::KppFormat => t_string!(i18n, problem_requisite_kpp).to_string(),
        RequisiteError::OgrnLength => t_string!(i18n, problem_requisite_ogrn_length).to_string(),
        RequisiteError::OgrnChecksum => {
            t_string!(i18n, problem_requisite_ogrn_checksum).to_string()
        }
        RequisiteError::BicFormat => t_string!(i18n, problem_requisite_bic).to_string(),
        RequisiteError::AccountLength => {
            t_string!(i18n, problem_requisite_account_length).to_string()
        }
        RequisiteError::SettlementAccountKey => {
            t_string!(i18n, problem_requisite_settlement_key).to_string()
        }
        RequisiteError::CorrespondentAccountKey => {
            t_string!(i18n, problem_requisite_correspondent_key).to_string()
        }
    }
}

/// `12 KiB` or `3.4 MiB`.
pub fn size_text(i18n: I18nContext<Locale>, bytes: u64) -> String {
    if bytes < 1024 * 1024 {
        let size = bytes.div_ceil(1024);
        t_string!(i18n, size_kib, size).to_string()
    } else {
        let size = format!("{:.1}", bytes as f64 / (1024.0 * 1024.0));
        t_string!(i18n, size_mib, size).to_string()
    }
}

/// The form's state, shared by its parts.
#[derive(Clone, Copy)]
struct UploadState {
    chosen: RwSignal<Vec<ChosenFile>>,
    problems: RwSignal<Vec<FieldProblem>>,
    /// A message for the whole form (refused, connection lost).
    alert: RwSignal<Option<String>>,
    sending: RwSignal<bool>,
    limits: FileLimits,
}

impl UploadState {
    fn field_problem(&self, field: &'static str) -> Memo<Option<FieldError>> {
        let problems = self.problems;
        Memo::new(move |_| {
            problems.with(|all| {
                all.iter()
                    .find(|p| p.subject == Subject::Field(field.to_owned()))
                    .map(|p| p.error.clone())
            })
        })
    }
}

/// `with_fields`: a new submission; otherwise only files (corrected files of a document).
#[component]
pub fn UploadForm(action: String, with_fields: bool, limits: FileLimits) -> impl IntoView {
    let i18n = use_i18n();
    let state = UploadState {
        chosen: RwSignal::new(Vec::new()),
        problems: RwSignal::new(Vec::new()),
        alert: RwSignal::new(None),
        sending: RwSignal::new(false),
        limits,
    };
    let form_ref = NodeRef::<leptos::html::Form>::new();
    let browser = browser::Browser::new(state, action.clone(), with_fields);

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Some(form) = form_ref.get_untracked() {
            browser.submit(&form);
        }
    };
    let on_files = move |ev: leptos::ev::Event| browser.add_from_input(&ev);
    let on_photo = on_files;

    let submission_problems = move || {
        state.problems.with(|all| {
            all.iter()
                .filter(|p| p.subject == Subject::Submission)
                .map(|p| problem_text(i18n, &p.error, limits))
                .collect::<Vec<_>>()
        })
    };

    view! {
        <form
            class="upload-form"
            method="post"
            enctype="multipart/form-data"
            action=action
            node_ref=form_ref
            on:submit=on_submit
            novalidate
        >
            {with_fields.then(|| view! { <UploadFields state=state /> })}
            <fieldset class="field field--files">
                <legend class="field__label">{t!(i18n, files)}</legend>
                <div class="file-buttons">
                    <label class="button button--secondary file-button">
                        {t!(i18n, choose_files)}
                        <input
                            class="visually-hidden"
                            type="file"
                            name="files"
                            multiple
                            accept=".pdf,.jpg,.jpeg,.png,.webp,.heic,.heif,.xlsx,.docx,.ods,.odt,.xml,application/pdf,image/*"
                            data-testid="file-input"
                            on:change=on_files
                        />
                    </label>
                    <label class="button button--secondary file-button">
                        {t!(i18n, take_photo)}
                        <input
                            class="visually-hidden"
                            type="file"
                            name="files"
                            accept="image/*"
                            capture="environment"
                            data-testid="camera-input"
                            on:change=on_photo
                        />
                    </label>
                </div>
                <ChosenFiles state=state browser=browser />
            </fieldset>
            {move || {
                let problems = submission_problems();
                (!problems.is_empty()).then(|| view! {
                    <ul class="field__error" data-testid="submission-problems">
                        {problems.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}
                    </ul>
                })
            }}
            {move || state.alert.get().map(|text| view! {
                <div class="alert alert--error" role="alert" data-testid="upload-alert">{text}</div>
            })}
            <div class="form-actions">
                <button class="button" type="submit" disabled=move || state.sending.get() data-testid="upload-submit">
                    {move || if state.sending.get() {
                        t_string!(i18n, sending).to_string()
                    } else if with_fields {
                        t_string!(i18n, send_documents).to_string()
                    } else {
                        t_string!(i18n, send_corrected_files).to_string()
                    }}
                </button>
            </div>
        </form>
    }
}

#[component]
fn FieldHelp(state: UploadState, field: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    let problem = state.field_problem(field);
    let limits = state.limits;
    move || {
        problem.get().map(|error| {
            view! {
                <p class="field__error" id=format!("{field}-error") data-testid=format!("{field}-error")>
                    {problem_text(i18n, &error, limits)}
                </p>
            }
        })
    }
}

#[component]
fn UploadFields(state: UploadState) -> impl IntoView {
    let i18n = use_i18n();
    let invalid = move |field: &'static str| {
        let problem = state.field_problem(field);
        move || problem.get().is_some().then_some("true")
    };
    view! {
        <div class="form-grid">
            <label class="field">
                <span class="field__label">{t!(i18n, document_kind)}</span>
                <select name="kind" aria-invalid=invalid("kind")>
                    {DocumentKind::ALL.map(|kind| view! {
                        <option value=kind.code()>{move || kind_label(i18n, kind)}</option>
                    }).collect_view()}
                </select>
                <FieldHelp state=state field="kind" />
            </label>
            <label class="field">
                <span class="field__label">{t!(i18n, invoice_number)}</span>
                <input type="text" name="invoice_number" required maxlength="64" autocomplete="off"
                    aria-invalid=invalid("invoice_number") />
                <FieldHelp state=state field="invoice_number" />
            </label>
            <label class="field">
                <span class="field__label">{t!(i18n, invoice_date)}</span>
                <input type="date" name="invoice_date" required aria-invalid=invalid("invoice_date") />
                <FieldHelp state=state field="invoice_date" />
            </label>
            <label class="field">
                <span class="field__label">{t!(i18n, amount_rub)}</span>
                <input type="text" name="amount" required inputmode="decimal" autocomplete="off"
                    placeholder="0,00" aria-invalid=invalid("amount") />
                <span class="field__hint">{t!(i18n, amount_hint)}</span>
                <FieldHelp state=state field="amount" />
            </label>
            <label class="field">
                <span class="field__label">{t!(i18n, vat)}</span>
                <select name="vat" aria-invalid=invalid("vat")>
                    {VatRate::ALL.map(|vat| view! {
                        <option value=vat.code()>{move || vat_label(i18n, vat)}</option>
                    }).collect_view()}
                </select>
                <FieldHelp state=state field="vat" />
            </label>
            <label class="field field--wide">
                <span class="field__label">{t!(i18n, comment)}</span>
                <textarea name="comment" rows="2" maxlength="2000" aria-invalid=invalid("comment")></textarea>
                <FieldHelp state=state field="comment" />
            </label>
        </div>
    }
}

pub fn kind_label(i18n: I18nContext<Locale>, kind: DocumentKind) -> String {
    match kind {
        DocumentKind::InvoiceWithAct => t_string!(i18n, kind_invoice_with_act).to_string(),
        DocumentKind::ClosingDocuments => t_string!(i18n, kind_closing_documents).to_string(),
        DocumentKind::Other => t_string!(i18n, kind_other).to_string(),
    }
}

pub fn vat_label(i18n: I18nContext<Locale>, vat: VatRate) -> String {
    match vat.percent() {
        Some(rate) => t_string!(i18n, vat_rate, rate).to_string(),
        None => t_string!(i18n, without_vat).to_string(),
    }
}

#[component]
fn ChosenFiles(state: UploadState, browser: browser::Browser) -> impl IntoView {
    let i18n = use_i18n();
    let limits = state.limits;
    view! {
        <Show
            when=move || state.chosen.with(|c| !c.is_empty())
            fallback=move || view! { <p class="muted small">{t!(i18n, no_files_chosen)}</p> }
        >
            <ul class="file-list" data-testid="chosen-files">
                <For
                    each=move || state.chosen.get()
                    key=|file| (file.key, format!("{:?}", file.state))
                    children=move |file| {
                        let key = file.key;
                        let (status, class, progress) = match &file.state {
                            FileState::Checking => (t_string!(i18n, file_checking).to_string(), "file-list__item", None),
                            FileState::Ready => (t_string!(i18n, file_ready).to_string(), "file-list__item", None),
                            FileState::Refused(error) => (problem_text(i18n, error, limits), "file-list__item file-list__item--refused", None),
                            FileState::Sending(percent) => (format!("{percent} %"), "file-list__item", Some(*percent)),
                        };
                        view! {
                            <li class=class data-testid="chosen-file">
                                <span class="file-list__name">{file.name.clone()}</span>
                                <span class="muted small">{size_text(i18n, file.size)}</span>
                                <span class="file-list__status" data-testid="file-status">{status}</span>
                                {progress.map(|p| view! {
                                    <progress class="file-list__progress" max="100" value=p.to_string()></progress>
                                })}
                                <button
                                    type="button"
                                    class="link-button"
                                    disabled=move || state.sending.get()
                                    on:click=move |_| browser.remove(key)
                                >
                                    {t!(i18n, remove_file)}
                                </button>
                            </li>
                        }
                    }
                />
            </ul>
        </Show>
    }
}

/// What runs in the browser: reading chosen files, checking them and sending the form.
mod browser {
    use super::*;

    #[derive(Clone, Copy)]
    pub(super) struct Browser {
        #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
        state: UploadState,
        #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
        action: StoredValue<String>,
        #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
        with_fields: bool,
        #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
        i18n: I18nContext<Locale>,
        #[cfg(feature = "hydrate")]
        files: StoredValue<Vec<(u32, web_sys::File)>, LocalStorage>,
        #[cfg(feature = "hydrate")]
        next_key: StoredValue<u32>,
    }

    impl Browser {
        pub(super) fn new(state: UploadState, action: String, with_fields: bool) -> Browser {
            Browser {
                state,
                action: StoredValue::new(action),
                with_fields,
                i18n: use_i18n(),
                #[cfg(feature = "hydrate")]
                files: StoredValue::new_local(Vec::new()),
                #[cfg(feature = "hydrate")]
                next_key: StoredValue::new(0),
            }
        }
    }

    #[cfg(not(feature = "hydrate"))]
    impl Browser {
        pub fn submit(&self, _form: &web_sys::HtmlFormElement) {}
        pub fn add_from_input(&self, _ev: &leptos::ev::Event) {}
        pub fn remove(&self, _key: u32) {}
    }

    #[cfg(feature = "hydrate")]
    mod hydrate_impl {
        use super::*;
        use crate::domain::files::{SNIFF_BYTES, accept_file};
        use crate::domain::upload::{
            MAX_FILES_PER_SUBMISSION, RawUploadFields, check_fields, clean_file_name,
        };
        use crate::error::AppError;
        use crate::ui::components::error_message::error_text;
        use wasm_bindgen::JsCast;
        use wasm_bindgen::prelude::Closure;

        fn set_state(chosen: RwSignal<Vec<ChosenFile>>, key: u32, state: FileState) {
            chosen.update(|all| {
                if let Some(file) = all.iter_mut().find(|f| f.key == key) {
                    file.state = state;
                }
            });
        }

        async fn read_head(file: &web_sys::File) -> Vec<u8> {
            let Ok(slice) = file.slice_with_i32_and_i32(0, SNIFF_BYTES as i32) else {
                return Vec::new();
            };
            match wasm_bindgen_futures::JsFuture::from(slice.array_buffer()).await {
                Ok(buffer) => js_sys::Uint8Array::new(&buffer).to_vec(),
                Err(_) => Vec::new(),
            }
        }

        fn today() -> chrono::NaiveDate {
            crate::ui::components::clock::company_today()
        }

        impl Browser {
            pub fn add_from_input(&self, ev: &leptos::ev::Event) {
                let Some(input) = ev
                    .target()
                    .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                else {
                    return;
                };
                let Some(list) = input.files() else { return };
                for index in 0..list.length() {
                    if let Some(file) = list.get(index) {
                        self.add(file);
                    }
                }
                // The list above keeps the files; the input is emptied so the same photo can be
                // taken again and nothing is sent twice.
                input.set_value("");
            }

            fn add(&self, file: web_sys::File) {
                let key = self.next_key.get_value();
                self.next_key.set_value(key + 1);
                let size = file.size() as u64;
                let chosen = self.state.chosen;
                chosen.update(|all| {
                    all.push(ChosenFile {
                        key,
                        name: clean_file_name(&file.name()),
                        size,
                        state: FileState::Checking,
                    })
                });
                self.files
                    .update_value(|files| files.push((key, file.clone())));
                self.state.alert.set(None);
                let limits = self.state.limits;
                leptos::task::spawn_local(async move {
                    let head = read_head(&file).await;
                    let state = match accept_file(size, &head, limits) {
                        Ok(_) => FileState::Ready,
                        Err(rejection) => FileState::Refused(FieldError::File(rejection)),
                    };
                    set_state(chosen, key, state);
                });
            }

            pub fn remove(&self, key: u32) {
                self.state.chosen.update(|all| all.retain(|f| f.key != key));
                self.files
                    .update_value(|files| files.retain(|(k, _)| *k != key));
                self.state
                    .problems
                    .update(|all| all.retain(|p| !matches!(p.subject, Subject::Submission)));
            }

            pub fn submit(&self, form: &web_sys::HtmlFormElement) {
                let i18n = self.i18n;
                let state = self.state;
                if state.sending.get_untracked() {
                    return;
                }
                state.alert.set(None);
                let Ok(data) = web_sys::FormData::new_with_form(form) else {
                    return;
                };
                // The inputs' own files were moved to the list when chosen.
                data.delete("files");

                let mut problems = Vec::new();
                if self.with_fields {
                    let mut raw = RawUploadFields::default();
                    for name in [
                        "kind",
                        "invoice_number",
                        "invoice_date",
                        "amount",
                        "vat",
                        "comment",
                    ] {
                        if let Some(value) = data.get(name).as_string() {
                            raw.set(name, value);
                        }
                    }
                    if let Err(field_problems) =
                        check_fields(&raw, today(), crate::domain::money::Money::CEILING)
                    {
                        problems.extend(field_problems);
                    }
                }
                let chosen = state.chosen.get_untracked();
                if chosen.is_empty() {
                    problems.push(FieldProblem::submission(FieldError::NoFiles));
                } else if chosen.len() > MAX_FILES_PER_SUBMISSION {
                    problems.push(FieldProblem::submission(FieldError::TooManyFiles(
                        MAX_FILES_PER_SUBMISSION,
                    )));
                }
                let refused = chosen
                    .iter()
                    .any(|f| !matches!(f.state, FileState::Ready | FileState::Sending(_)));
                state.problems.set(problems.clone());
                if !problems.is_empty() || refused {
                    state
                        .alert
                        .set(Some(t_string!(i18n, upload_refused).to_string()));
                    return;
                }

                // Where each file starts and ends in the body, for per-file progress.
                let mut spans = Vec::new();
                let mut offset = 0.0;
                self.files.with_value(|files| {
                    for file in &chosen {
                        if let Some((_, blob)) = files.iter().find(|(k, _)| *k == file.key) {
                            let _ = data.append_with_blob_and_filename("files", blob, &file.name);
                            spans.push((file.key, offset, offset + file.size as f64));
                            offset += file.size as f64;
                        }
                    }
                });
                let total_files = offset;

                let Ok(request) = web_sys::XmlHttpRequest::new() else {
                    return;
                };
                if request
                    .open_with_async("POST", &self.action.get_value(), true)
                    .is_err()
                {
                    return;
                }
                let _ = request.set_request_header("Accept", "application/json");
                state.sending.set(true);
                for (key, _, _) in &spans {
                    set_state(state.chosen, *key, FileState::Sending(0));
                }

                let progress_spans = spans.clone();
                let on_progress = Closure::<dyn FnMut(web_sys::ProgressEvent)>::new(
                    move |ev: web_sys::ProgressEvent| {
                        if !ev.length_computable() || ev.total() <= 0.0 {
                            return;
                        }
                        // The fields and part headers come first and are small: scale to files.
                        let overhead = (ev.total() - total_files).max(0.0);
                        let sent = (ev.loaded() - overhead).max(0.0);
                        for (key, start, end) in &progress_spans {
                            let share = if end > start {
                                ((sent - start) / (end - start)).clamp(0.0, 1.0)
                            } else {
                                1.0
                            };
                            set_state(
                                state.chosen,
                                *key,
                                FileState::Sending((share * 100.0) as u8),
                            );
                        }
                    },
                );
                if let Ok(upload) = request.upload() {
                    upload.set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
                }
                let finished_request = request.clone();
                let on_done = Closure::once_into_js(move || {
                    // The progress handler lives exactly as long as the request.
                    drop(on_progress);
                    state.sending.set(false);
                    let status = finished_request.status().unwrap_or(0);
                    let body = finished_request
                        .response_text()
                        .ok()
                        .flatten()
                        .unwrap_or_default();
                    if status == 200 || status == 201 {
                        if let Ok(done) =
                            serde_json::from_str::<crate::api::documents::Submitted>(&body)
                        {
                            let target = format!("/cabinet/documents/{}?uploaded=1", done.card_id);
                            let _ = window().location().set_href(&target);
                        }
                        return;
                    }
                    for (key, _, _) in &spans {
                        set_state(state.chosen, *key, FileState::Ready);
                    }
                    if status == 0 {
                        state
                            .alert
                            .set(Some(t_string!(i18n, upload_failed_connection).to_string()));
                        return;
                    }
                    match serde_json::from_str::<AppError>(&body) {
                        Ok(AppError::Rejected { problems }) => {
                            for problem in &problems {
                                if let Subject::File(name) = &problem.subject {
                                    state.chosen.update(|all| {
                                        for file in all.iter_mut().filter(|f| &f.name == name) {
                                            file.state = FileState::Refused(problem.error.clone());
                                        }
                                    });
                                }
                            }
                            state.problems.set(problems);
                            state
                                .alert
                                .set(Some(t_string!(i18n, upload_refused).to_string()));
                        }
                        Ok(error) => state.alert.set(Some(error_text(i18n, &error))),
                        Err(_) => state.alert.set(Some(error_text(i18n, &AppError::Internal))),
                    }
                });
                request.set_onloadend(Some(on_done.unchecked_ref()));
                if request.send_with_opt_form_data(Some(&data)).is_err() {
                    state.sending.set(false);
                }
            }
        }
    }
}
