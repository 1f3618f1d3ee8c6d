//! Problems with what a user typed or sent: which field, file or submission, and why. Shared
//! by every form so the UI words each problem the same way in both languages.
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::files::FileRejection;
use super::money::MoneyError;
use super::requisites::RequisiteError;

/// Why a field, a file or the whole submission was refused; the UI words each in the user's
/// language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum FieldError {
    #[error("required")]
    Required,
    #[error("unknown value")]
    Unknown,
    #[error("too long (at most {0} characters)")]
    TooLong(usize),
    #[error("not a date (YYYY-MM-DD)")]
    BadDate,
    #[error("the date is in the future")]
    FutureDate,
    #[error("{0}")]
    Amount(MoneyError),
    #[error("the amount must be more than zero")]
    ZeroAmount,
    #[error("{0}")]
    File(FileRejection),
    #[error("no files attached")]
    NoFiles,
    #[error("too many files (at most {0})")]
    TooManyFiles(usize),
    #[error("the submission is larger than allowed")]
    SubmissionTooBig,
    #[error("the upload was cut off; send it again")]
    Incomplete,
    #[error("only a document returned for correction takes corrected files")]
    NotReturned,
    #[error("{0}")]
    Requisite(RequisiteError),
    #[error("an individual entrepreneur has no KPP")]
    NotForEntrepreneur,
    #[error("must be from {min} to {max}")]
    OutOfRange { min: i64, max: i64 },
    #[error("not an e-mail address")]
    BadEmail,
    #[error("not a phone number")]
    BadPhone,
    #[error("give an e-mail or a phone")]
    EmailOrPhone,
    #[error("too short (at least {0} characters)")]
    TooShort(usize),
    #[error("the password must not be the e-mail address")]
    PasswordIsEmail,
    #[error("this e-mail address already has an account")]
    EmailTaken,
    #[error("not a number")]
    NotANumber,
    #[error("the period ends before it starts")]
    PeriodReversed,
    #[error("the period is longer than five years")]
    PeriodTooLong,
    #[error("the smallest amount is larger than the largest")]
    AmountsReversed,
    #[error("not an active staff member")]
    NotStaff,
    #[error("the card is already in this stage")]
    SameStage,
    #[error("a document enters this stage only by the supplier's upload")]
    SupplierOnlyStage,
    #[error("no such record")]
    NoSuchRecord,
    #[error("the values must differ")]
    MustDiffer,
    #[error("the title must contain {{number}}")]
    NeedsNumberPlaceholder,
    #[error("a kind code is 1 to 6 Latin capital letters")]
    BadKindCode,
    #[error("this makes a circle in the org structure")]
    OrgLoop,
    #[error("a rule needs an amount or a cash-flow item")]
    RuleNeedsCondition,
    #[error("this code is already taken")]
    CodeTaken,
    #[error("the date has passed")]
    PastDate,
    #[error("a card does not go this way")]
    NotThisWay,
    #[error("nobody can approve it: place the initiator in the org structure")]
    NoApprover,
    #[error("other approvers are still to decide")]
    ApproversLeft,
    #[error("the request can no longer be changed")]
    NotEditable,
    #[error("the supplier document it starts from is another counterparty's")]
    NotDocumentsCounterparty,
    #[error("too many at once (at most {0})")]
    TooManyAtOnce(usize),
    #[error("the file has no such column")]
    MissingColumn,
    #[error("the file has no entries")]
    NoRows,
    #[error("give a debit or a credit, not both")]
    OneSideOnly,
    #[error("the same id is on another line of the file")]
    DuplicateInFile,
    #[error("imported before with other figures; a correction is a new entry with its own id")]
    ChangedSinceImport,
    #[error("the file cannot be read as CSV (UTF-8) or XLSX")]
    UnreadableFile,
}

/// Whether a checkbox came ticked: a plain form sends `on`, a script may send `true` or `1`;
/// an unticked box sends nothing.
pub fn ticked(value: Option<&str>) -> bool {
    value.is_some_and(|v| matches!(v.trim(), "on" | "true" | "1"))
}

/// An optional choice of a record by id (a `<select>` with an empty "none" option): blank is
/// none, anything else must be an id.
pub fn optional_id(value: Option<&str>) -> Result<Option<i32>, FieldError> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(text) => text.parse().map(Some).map_err(|_| FieldError::Unknown),
    }
}

/// What a problem is about: a form field (by name), a file (by its name) or the submission.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Subject {
    Field(String),
    File(String),
    Submission,
}

/// A problem with one named field, file or the submission.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldProblem {
    pub subject: Subject,
    pub error: FieldError,
}

impl FieldProblem {
    pub fn field(field: &str, error: FieldError) -> FieldProblem {
        FieldProblem {
            subject: Subject::Field(field.to_owned()),
            error,
        }
    }

    pub fn file(name: &str, rejection: FileRejection) -> FieldProblem {
        FieldProblem {
            subject: Subject::File(name.to_owned()),
            error: FieldError::File(rejection),
        }
    }

    /// Whether the problem is about form field `name`.
    pub fn names_field(&self, name: &str) -> bool {
        matches!(&self.subject, Subject::Field(field) if field == name)
    }

    pub fn submission(error: FieldError) -> FieldProblem {
        FieldProblem {
            subject: Subject::Submission,
            error,
        }
    }
}

/// A date field as typed (`YYYY-MM-DD`); empty is `None`.
pub fn optional_date(value: Option<&str>, field: &str) -> Result<Option<NaiveDate>, FieldProblem> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(text) => NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| FieldProblem::field(field, FieldError::BadDate)),
    }
}

/// A date field that must be filled in.
pub fn required_date(value: Option<&str>, field: &str) -> Result<NaiveDate, FieldProblem> {
    optional_date(value, field)?.ok_or(FieldProblem::field(field, FieldError::Required))
}

/// A date of something that happened (a delivery, a payment): filled in and not after `today`.
pub fn past_date(
    value: Option<&str>,
    field: &str,
    today: NaiveDate,
) -> Result<NaiveDate, FieldProblem> {
    let date = required_date(value, field)?;
    if date > today {
        return Err(FieldProblem::field(field, FieldError::FutureDate));
    }
    Ok(date)
}

#[cfg(test)]
mod choice_tests {
    use super::*;

    #[test]
    fn checkboxes_and_optional_ids_read_as_forms_send_them() {
        for (value, expected) in [
            (None, false),
            (Some(""), false),
            (Some("off"), false),
            (Some("on"), true),
            (Some(" true "), true),
            (Some("1"), true),
        ] {
            assert_eq!(ticked(value), expected, "{value:?}");
        }
        for (value, expected) in [
            (None, Ok(None)),
            (Some("  "), Ok(None)),
            (Some(" 7 "), Ok(Some(7))),
            (Some("seven"), Err(FieldError::Unknown)),
            (Some("-"), Err(FieldError::Unknown)),
        ] {
            assert_eq!(optional_id(value), expected, "{value:?}");
        }
    }
}
