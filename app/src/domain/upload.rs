//! What a supplier submits with "Upload documents": the fields are checked here, the files by
//! `files`. The same rules run in the browser (before anything is sent) and on the server
//! (whatever the browser sent).
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::form::{FieldError, FieldProblem, Subject};
use super::money::Money;

pub const MAX_INVOICE_NUMBER_CHARS: usize = 64;
pub const MAX_COMMENT_CHARS: usize = 2000;
/// Phone photos of a multi-page act make one submission; more than this is a mistake.
pub const MAX_FILES_PER_SUBMISSION: usize = 20;
/// Original file names are kept as data, shortened to this.
pub const MAX_FILE_NAME_CHARS: usize = 200;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    InvoiceWithAct,
    ClosingDocuments,
    Other,
}

impl DocumentKind {
    pub const ALL: [DocumentKind; 3] = [
        DocumentKind::InvoiceWithAct,
        DocumentKind::ClosingDocuments,
        DocumentKind::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            DocumentKind::InvoiceWithAct => "invoice_with_act",
            DocumentKind::ClosingDocuments => "closing_documents",
            DocumentKind::Other => "other",
        }
    }

    pub fn from_code(code: &str) -> Option<DocumentKind> {
        DocumentKind::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// VAT as printed on a Russian invoice: the standard 22 % (from 2026), the former 20 %, the
/// reduced 10 %, the simplified-tax 5 % and 7 %, zero, or "without VAT".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VatRate {
    Rate22,
    Rate20,
    Rate10,
    Rate7,
    Rate5,
    Rate0,
    WithoutVat,
}

impl VatRate {
    pub const ALL: [VatRate; 7] = [
        VatRate::Rate22,
        VatRate::Rate20,
        VatRate::Rate10,
        VatRate::Rate7,
        VatRate::Rate5,
        VatRate::Rate0,
        VatRate::WithoutVat,
    ];

    pub fn code(self) -> &'static str {
        match self {
            VatRate::Rate22 => "22",
            VatRate::Rate20 => "20",
            VatRate::Rate10 => "10",
            VatRate::Rate7 => "7",
            VatRate::Rate5 => "5",
            VatRate::Rate0 => "0",
            VatRate::WithoutVat => "none",
        }
    }

    pub fn from_code(code: &str) -> Option<VatRate> {
        VatRate::ALL.into_iter().find(|v| v.code() == code)
    }

    /// `22 %`, or `None` for "without VAT" (the UI words that one itself).
    pub fn percent(self) -> Option<u8> {
        match self {
            VatRate::Rate22 => Some(22),
            VatRate::Rate20 => Some(20),
            VatRate::Rate10 => Some(10),
            VatRate::Rate7 => Some(7),
            VatRate::Rate5 => Some(5),
            VatRate::Rate0 => Some(0),
            VatRate::WithoutVat => None,
        }
    }
}

/// The checked fields of one submission.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UploadFields {
    pub kind: DocumentKind,
    pub invoice_number: String,
    pub invoice_date: NaiveDate,
    pub amount: Money,
    pub vat: VatRate,
    pub comment: String,
}

/// The fields as they came from the form; absent ones are `None`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RawUploadFields {
    pub kind: Option<String>,
    pub invoice_number: Option<String>,
    pub invoice_date: Option<String>,
    pub amount: Option<String>,
    pub vat: Option<String>,
    pub comment: Option<String>,
}

impl RawUploadFields {
    /// Stores a text part of the form under its name; unknown names are ignored.
    pub fn set(&mut self, name: &str, value: String) {
        let slot = match name {
            "kind" => &mut self.kind,
            "invoice_number" => &mut self.invoice_number,
            "invoice_date" => &mut self.invoice_date,
            "amount" => &mut self.amount,
            "vat" => &mut self.vat,
            "comment" => &mut self.comment,
            _ => return,
        };
        *slot = Some(value);
    }
}

fn required<'a>(value: &'a Option<String>, field: &'static str) -> Result<&'a str, FieldProblem> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .ok_or(FieldProblem::field(field, FieldError::Required))
}

fn problems_of_required(fail: &mut impl FnMut(&str, FieldError), problem: FieldProblem) {
    if let Subject::Field(field) = problem.subject {
        fail(&field, problem.error);
    }
}

/// Checks every field and reports every problem at once, so the form can mark them all.
/// `maximum`: the most one amount may be (the company's setting).
pub fn check_fields(
    raw: &RawUploadFields,
    today: NaiveDate,
    maximum: Money,
) -> Result<UploadFields, Vec<FieldProblem>> {
    let mut problems = Vec::new();
    let mut fail = |field: &str, error: FieldError| {
        problems.push(FieldProblem::field(field, error));
    };

    let kind = match required(&raw.kind, "kind") {
        Ok(code) => DocumentKind::from_code(code).or_else(|| {
            fail("kind", FieldError::Unknown);
            None
        }),
        Err(p) => {
            problems_of_required(&mut fail, p);
            None
        }
    };
    let invoice_number = match required(&raw.invoice_number, "invoice_number") {
        Ok(number) if number.chars().count() > MAX_INVOICE_NUMBER_CHARS => {
            fail(
                "invoice_number",
                FieldError::TooLong(MAX_INVOICE_NUMBER_CHARS),
            );
            None
        }
        Ok(number) => Some(number.to_owned()),
        Err(p) => {
            problems_of_required(&mut fail, p);
            None
        }
    };
    let invoice_date = match required(&raw.invoice_date, "invoice_date") {
        Ok(text) => match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
            // A day of slack: the supplier's own calendar may already be on tomorrow.
            Ok(date) if date > today + chrono::Days::new(1) => {
                fail("invoice_date", FieldError::FutureDate);
                None
            }
            Ok(date) => Some(date),
            Err(_) => {
                fail("invoice_date", FieldError::BadDate);
                None
            }
        },
        Err(p) => {
            problems_of_required(&mut fail, p);
            None
        }
    };
    let amount = match required(&raw.amount, "amount") {
        Ok(text) => match Money::parse_at_most(text, maximum) {
            Ok(amount) if amount == Money::ZERO => {
                fail("amount", FieldError::ZeroAmount);
                None
            }
            Ok(amount) => Some(amount),
            Err(err) => {
                fail("amount", FieldError::Amount(err));
                None
            }
        },
        Err(p) => {
            problems_of_required(&mut fail, p);
            None
        }
    };
    let vat = match required(&raw.vat, "vat") {
        Ok(code) => VatRate::from_code(code).or_else(|| {
            fail("vat", FieldError::Unknown);
            None
        }),
        Err(p) => {
            problems_of_required(&mut fail, p);
            None
        }
    };
    let comment = raw.comment.as_deref().unwrap_or("").trim().to_owned();
    if comment.chars().count() > MAX_COMMENT_CHARS {
        fail("comment", FieldError::TooLong(MAX_COMMENT_CHARS));
    }

    match (kind, invoice_number, invoice_date, amount, vat) {
        (Some(kind), Some(invoice_number), Some(invoice_date), Some(amount), Some(vat))
            if problems.is_empty() =>
        {
            Ok(UploadFields {
                kind,
                invoice_number,
                invoice_date,
                amount,
                vat,
                comment,
            })
        }
        _ => Err(problems),
    }
}

/// The name a file is kept under as data: its base name only (no folders a browser or a client
/// may have sent), without control or invisible format characters, shortened; a blank name becomes `file`.
pub fn clean_file_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = base
        .chars()
        .filter(|c| !super::files::is_invisible(*c))
        .collect::<String>()
        .trim()
        .to_owned();
    let cleaned = if cleaned.is_empty() || cleaned == "." || cleaned == ".." {
        "file".to_owned()
    } else {
        cleaned
    };
    if cleaned.chars().count() <= MAX_FILE_NAME_CHARS {
        return cleaned;
    }
    // Keep the extension when shortening.
    let extension: String = match cleaned.rsplit_once('.') {
        Some((_, ext)) if ext.chars().count() <= 10 => format!(".{ext}"),
        _ => String::new(),
    };
    let keep = MAX_FILE_NAME_CHARS - extension.chars().count();
    cleaned.chars().take(keep).collect::<String>() + &extension
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::money::MoneyError;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
    }

    fn good() -> RawUploadFields {
        RawUploadFields {
            kind: Some("invoice_with_act".into()),
            invoice_number: Some(" 42/11 ".into()),
            invoice_date: Some("2026-11-20".into()),
            amount: Some("12 345,67".into()),
            vat: Some("22".into()),
            comment: Some("  за ноябрь ".into()),
        }
    }

    #[test]
    fn a_complete_form_is_accepted_and_trimmed() {
        let fields = check_fields(&good(), today(), Money::DEFAULT_MAXIMUM).unwrap();
        assert_eq!(fields.kind, DocumentKind::InvoiceWithAct);
        assert_eq!(fields.invoice_number, "42/11");
        assert_eq!(fields.amount, Money::from_kopecks(1_234_567));
        assert_eq!(fields.vat, VatRate::Rate22);
        assert_eq!(fields.comment, "за ноябрь");
    }

    #[test]
    fn each_bad_field_is_named() {
        type Edit = fn(&mut RawUploadFields);
        let table: [(Edit, &str, FieldError); 13] = [
            (|r| r.kind = None, "kind", FieldError::Required),
            (
                |r| r.kind = Some("receipt".into()),
                "kind",
                FieldError::Unknown,
            ),
            (
                |r| r.invoice_number = Some("  ".into()),
                "invoice_number",
                FieldError::Required,
            ),
            (
                |r| r.invoice_number = Some("9".repeat(65)),
                "invoice_number",
                FieldError::TooLong(64),
            ),
            (
                |r| r.invoice_date = None,
                "invoice_date",
                FieldError::Required,
            ),
            (
                |r| r.invoice_date = Some("20.11.2026".into()),
                "invoice_date",
                FieldError::BadDate,
            ),
            (
                |r| r.invoice_date = Some("2026-11-25".into()),
                "invoice_date",
                FieldError::FutureDate,
            ),
            (
                |r| r.amount = Some("-5".into()),
                "amount",
                FieldError::Amount(MoneyError::Negative),
            ),
            (
                |r| r.amount = Some("12,3,4".into()),
                "amount",
                FieldError::Amount(MoneyError::Malformed),
            ),
            (
                |r| r.amount = Some("0,00".into()),
                "amount",
                FieldError::ZeroAmount,
            ),
            (
                |r| r.amount = Some("90 000 000 000 000 000".into()),
                "amount",
                FieldError::Amount(MoneyError::AboveMaximum(Money::DEFAULT_MAXIMUM)),
            ),
            (|r| r.vat = Some("18".into()), "vat", FieldError::Unknown),
            (
                |r| r.comment = Some("я".repeat(2001)),
                "comment",
                FieldError::TooLong(2000),
            ),
        ];
        for (edit, field, error) in table {
            let mut raw = good();
            edit(&mut raw);
            let problems = check_fields(&raw, today(), Money::DEFAULT_MAXIMUM).unwrap_err();
            assert_eq!(problems, vec![FieldProblem::field(field, error)], "{field}");
        }
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let problems =
            check_fields(&RawUploadFields::default(), today(), Money::DEFAULT_MAXIMUM).unwrap_err();
        let fields: Vec<_> = problems.iter().map(|p| p.subject.clone()).collect();
        let expected: Vec<_> = ["kind", "invoice_number", "invoice_date", "amount", "vat"]
            .map(|f| Subject::Field(f.to_owned()))
            .into();
        assert_eq!(fields, expected);
    }

    #[test]
    fn tomorrow_is_allowed_for_time_zones() {
        let mut raw = good();
        raw.invoice_date = Some("2026-11-24".into());
        assert!(check_fields(&raw, today(), Money::DEFAULT_MAXIMUM).is_ok());
    }

    #[test]
    fn codes_round_trip() {
        for kind in DocumentKind::ALL {
            assert_eq!(DocumentKind::from_code(kind.code()), Some(kind));
        }
        for vat in VatRate::ALL {
            assert_eq!(VatRate::from_code(vat.code()), Some(vat));
        }
        assert_eq!(VatRate::WithoutVat.percent(), None);
        assert_eq!(VatRate::Rate22.percent(), Some(22));
    }

    #[test]
    fn file_names_are_cleaned() {
        let long = format!("{}.pdf", "а".repeat(300));
        let table = [
            ("Счёт 42.pdf", "Счёт 42.pdf".to_owned()),
            ("C:\\Users\\anna\\scan.jpg", "scan.jpg".to_owned()),
            ("../../etc/passwd", "passwd".to_owned()),
            ("bad\u{0}\nname.pdf", "badname.pdf".to_owned()),
            ("   ", "file".to_owned()),
            ("..", "file".to_owned()),
            (long.as_str(), format!("{}.pdf", "а".repeat(196))),
        ];
        for (input, expected) in table {
            assert_eq!(clean_file_name(input), expected, "{input:?}");
        }
    }
}
