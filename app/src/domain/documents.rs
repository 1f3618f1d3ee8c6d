//! What a supplier may ask of its documents list: filters are checked and normalised here.
use chrono::NaiveDate;

use super::stage::DocumentStage;

pub const PAGE_SIZE: u64 = 20;
const MAX_SEARCH_CHARS: usize = 100;

/// A checked documents query: a known stage, a period that does not end before it starts, a
/// trimmed search text, a page from 1.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocumentQuery {
    pub stage: Option<DocumentStage>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub text: Option<String>,
    pub page: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    #[error("unknown stage")]
    UnknownStage,
    #[error("the date is not a date (YYYY-MM-DD)")]
    BadDate,
    #[error("the period ends before it starts")]
    PeriodReversed,
    #[error("the search text is too long")]
    TextTooLong,
}

impl From<QueryError> for super::form::FieldError {
    fn from(error: QueryError) -> Self {
        use super::form::FieldError;
        match error {
            QueryError::UnknownStage => FieldError::Unknown,
            QueryError::BadDate => FieldError::BadDate,
            QueryError::PeriodReversed => FieldError::PeriodReversed,
            QueryError::TextTooLong => FieldError::TooLong(MAX_SEARCH_CHARS),
        }
    }
}

impl QueryError {
    /// The filter field the problem is in.
    pub fn field(self) -> &'static str {
        match self {
            QueryError::UnknownStage => "stage",
            QueryError::BadDate | QueryError::PeriodReversed => "period",
            QueryError::TextTooLong => "text",
        }
    }
}

fn blank_to_none(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|v| !v.is_empty())
}

fn parse_date(value: Option<&str>) -> Result<Option<NaiveDate>, QueryError> {
    blank_to_none(value)
        .map(|v| NaiveDate::parse_from_str(v, "%Y-%m-%d").map_err(|_| QueryError::BadDate))
        .transpose()
}

/// Checks what came from the filter form or the address bar; empty fields mean "any".
pub fn document_query(
    stage: Option<&str>,
    from: Option<&str>,
    to: Option<&str>,
    text: Option<&str>,
    page: Option<u64>,
) -> Result<DocumentQuery, QueryError> {
    let stage = blank_to_none(stage)
        .map(|code| DocumentStage::from_code(code).ok_or(QueryError::UnknownStage))
        .transpose()?;
    let (from, to) = (parse_date(from)?, parse_date(to)?);
    if let (Some(from), Some(to)) = (from, to)
        && to < from
    {
        return Err(QueryError::PeriodReversed);
    }
    let text = blank_to_none(text).map(str::to_owned);
    if text
        .as_ref()
        .is_some_and(|t| t.chars().count() > MAX_SEARCH_CHARS)
    {
        return Err(QueryError::TextTooLong);
    }
    Ok(DocumentQuery {
        stage,
        from,
        to,
        text,
        page: page.unwrap_or(1).max(1),
    })
}

/// What the documents search matches against: number and comment, lower-cased in Rust (the
/// databases' own LOWER() does not fold Cyrillic on SQLite).
pub fn search_text(invoice_number: &str, comment: &str) -> String {
    format!("{invoice_number}\n{comment}").to_lowercase()
}

/// The search text a query looks for, in the same form.
pub fn search_needle(text: &str) -> String {
    text.to_lowercase()
}

/// How many pages `total` rows fill (at least one, so an empty list still has page 1).
pub fn page_count(total: u64) -> u64 {
    total.div_ceil(PAGE_SIZE).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn checks_and_normalises_filters() {
        let long = "я".repeat(101);
        type Row<'a> = (
            Option<&'a str>,
            Option<&'a str>,
            Option<&'a str>,
            Option<&'a str>,
            Option<u64>,
            Result<DocumentQuery, QueryError>,
        );
        let any = DocumentQuery {
            stage: None,
            from: None,
            to: None,
            text: None,
            page: 1,
        };
        let table: Vec<Row> = vec![
            (None, None, None, None, None, Ok(any.clone())),
            (
                Some(""),
                Some(" "),
                Some(""),
                Some("  "),
                Some(0),
                Ok(any.clone()),
            ),
            (
                Some("returned"),
                Some("2026-11-01"),
                Some("2026-11-30"),
                Some(" СЧ-99 "),
                Some(3),
                Ok(DocumentQuery {
                    stage: Some(DocumentStage::Returned),
                    from: Some(date("2026-11-01")),
                    to: Some(date("2026-11-30")),
                    text: Some("СЧ-99".to_owned()),
                    page: 3,
                }),
            ),
            (
                None,
                Some("2026-11-05"),
                Some("2026-11-05"),
                None,
                None,
                Ok(DocumentQuery {
                    from: Some(date("2026-11-05")),
                    to: Some(date("2026-11-05")),
                    ..any.clone()
                }),
            ),
            (
                Some("archived"),
                None,
                None,
                None,
                None,
                Err(QueryError::UnknownStage),
            ),
            (
                None,
                Some("01.11.2026"),
                None,
                None,
                None,
                Err(QueryError::BadDate),
            ),
            (
                None,
                None,
                Some("2026-02-30"),
                None,
                None,
                Err(QueryError::BadDate),
            ),
            (
                None,
                Some("2026-11-30"),
                Some("2026-11-01"),
                None,
                None,
                Err(QueryError::PeriodReversed),
            ),
            (
                None,
                None,
                None,
                Some(long.as_str()),
                None,
                Err(QueryError::TextTooLong),
            ),
        ];
        for (stage, from, to, text, page, expected) in table {
            assert_eq!(
                document_query(stage, from, to, text, page),
                expected,
                "{stage:?} {from:?} {to:?} {text:?} {page:?}"
            );
        }
    }

    #[test]
    fn search_folds_case_in_any_script() {
        let haystack = search_text("СЧ-101", "Поставка ЩЕБНЯ");
        for (needle, found) in [
            ("сч-101", true),
            ("СЧ-1", true),
            ("щебня", true),
            ("гравий", false),
        ] {
            assert_eq!(haystack.contains(&search_needle(needle)), found, "{needle}");
        }
    }

    #[test]
    fn counts_pages() {
        for (total, pages) in [(0, 1), (1, 1), (20, 1), (21, 2), (40, 2), (41, 3)] {
            assert_eq!(page_count(total), pages, "{total}");
        }
    }
}
