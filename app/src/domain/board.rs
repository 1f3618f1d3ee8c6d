//! The staff board of supplier documents: its filter, what a card shows (initials, time in the
//! stage, overdue), and how the keyboard walks between columns.
use chrono::{DateTime, NaiveDate, Utc};

use super::documents::search_needle;
use super::lang::Lang;
use super::money::Money;
use super::stage::DocumentStage;

pub use super::pipeline::Pipeline;

/// Cards a column renders at first and adds per "Show more": a column of 2,000 cards stays
/// smooth because it never holds them all.
pub const COLUMN_PAGE: u64 = 50;
const MAX_SEARCH_CHARS: usize = 100;

/// The board's filter as checked: every part optional, "any" when empty.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BoardFilter {
    pub counterparty_id: Option<i32>,
    pub responsible_id: Option<i32>,
    /// Only the signed-in user's cards (overrides `responsible_id`).
    pub mine: bool,
    /// Invoice date period.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub min_amount: Option<Money>,
    pub max_amount: Option<Money>,
    /// Over the invoice number and the counterparty's name, lower-cased.
    pub text: Option<String>,
}

/// The filter as it stands in the address (or the filter form), unchecked.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RawBoardFilter {
    pub counterparty: Option<String>,
    pub responsible: Option<String>,
    pub mine: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub min: Option<String>,
    pub max: Option<String>,
    pub text: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum BoardFilterError {
    #[error("not a number")]
    BadId,
    #[error("the date is not a date (YYYY-MM-DD)")]
    BadDate,
    #[error("the period ends before it starts")]
    PeriodReversed,
    #[error("not an amount")]
    BadAmount,
    #[error("the smallest amount is larger than the largest")]
    AmountsReversed,
    #[error("the search text is too long")]
    TextTooLong,
}

impl From<BoardFilterError> for super::form::FieldError {
    fn from(error: BoardFilterError) -> Self {
        use super::form::FieldError;
        match error {
            BoardFilterError::BadId => FieldError::NotANumber,
            BoardFilterError::BadDate => FieldError::BadDate,
            BoardFilterError::PeriodReversed => FieldError::PeriodReversed,
            BoardFilterError::BadAmount => FieldError::Amount(super::money::MoneyError::Malformed),
            BoardFilterError::AmountsReversed => FieldError::AmountsReversed,
            BoardFilterError::TextTooLong => FieldError::TooLong(MAX_SEARCH_CHARS),
        }
    }
}

fn blank_to_none(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

impl RawBoardFilter {
    /// Pairs for the address, empty values left out.
    pub fn pairs(&self) -> Vec<(&'static str, Option<String>)> {
        vec![
            ("counterparty", self.counterparty.clone()),
            ("responsible", self.responsible.clone()),
            ("mine", self.mine.clone()),
            ("from", self.from.clone()),
            ("to", self.to.clone()),
            ("min", self.min.clone()),
            ("max", self.max.clone()),
            ("text", self.text.clone()),
        ]
    }

    pub fn is_empty(&self) -> bool {
        self.pairs().iter().all(|(_, v)| blank_to_none(v).is_none())
    }

    /// Checks what came from the address bar; a bad part names itself.
    pub fn check(&self) -> Result<BoardFilter, (&'static str, BoardFilterError)> {
        let id = |field: &'static str, value: &Option<String>| {
            blank_to_none(value)
                .map(|v| {
                    v.parse::<i32>()
                        .map_err(|_| (field, BoardFilterError::BadId))
                })
                .transpose()
        };
        let date = |field: &'static str, value: &Option<String>| {
            blank_to_none(value)
                .map(|v| {
                    NaiveDate::parse_from_str(v, "%Y-%m-%d")
                        .map_err(|_| (field, BoardFilterError::BadDate))
                })
                .transpose()
        };
        let amount = |field: &'static str, value: &Option<String>| {
            blank_to_none(value)
                .map(|v| Money::parse(v).map_err(|_| (field, BoardFilterError::BadAmount)))
                .transpose()
        };
        let filter = BoardFilter {
            counterparty_id: id("counterparty", &self.counterparty)?,
            responsible_id: id("responsible", &self.responsible)?,
            mine: matches!(blank_to_none(&self.mine), Some("1" | "true" | "on")),
            from: date("from", &self.from)?,
            to: date("to", &self.to)?,
            min_amount: amount("min", &self.min)?,
            max_amount: amount("max", &self.max)?,
            text: blank_to_none(&self.text).map(search_needle),
        };
        if let (Some(from), Some(to)) = (filter.from, filter.to)
            && to < from
        {
            return Err(("to", BoardFilterError::PeriodReversed));
        }
        if let (Some(min), Some(max)) = (filter.min_amount, filter.max_amount)
            && max.kopecks() < min.kopecks()
        {
            return Err(("max", BoardFilterError::AmountsReversed));
        }
        if filter
            .text
            .as_ref()
            .is_some_and(|t| t.chars().count() > MAX_SEARCH_CHARS)
        {
            return Err(("text", BoardFilterError::TextTooLong));
        }
        Ok(filter)
    }
}

/// "МП" for Мария Петрова: what a card shows of its responsible person.
pub fn initials(first_name: &str, last_name: &str) -> String {
    [first_name, last_name]
        .iter()
        .filter_map(|name| name.trim().chars().next())
        .flat_map(char::to_uppercase)
        .collect()
}

/// How long a card has been in its stage, in the largest whole unit: `3 д` / `3d`.
pub fn time_in_stage(entered: DateTime<Utc>, now: DateTime<Utc>, lang: Lang) -> String {
    let minutes = (now - entered).num_minutes().max(0);
    let (value, unit) = match minutes {
        m if m < 60 => (m, ["мин", "m"]),
        m if m < 24 * 60 => (m / 60, ["ч", "h"]),
        m => (m / (24 * 60), ["д", "d"]),
    };
    match lang {
        Lang::Ru => format!("{value}\u{a0}{}", unit[0]),
        Lang::En => format!("{value}{}", unit[1]),
    }
}

/// A card waiting for a payment whose planned date has passed.
pub fn is_overdue(
    stage: DocumentStage,
    planned_payment: Option<NaiveDate>,
    today: NaiveDate,
) -> bool {
    stage.awaits_payment() && planned_payment.is_some_and(|date| date < today)
}

/// The stage the keyboard picks next: one column left (`-1`) or right (`+1`) in board order,
/// staying at either end.
pub fn neighbour_stage(order: &[String], current: &str, step: i32) -> Option<String> {
    let at = order.iter().position(|code| code == current)? as i64;
    let next = (at + i64::from(step)).clamp(0, order.len() as i64 - 1);
    order.get(next as usize).cloned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(pairs: &[(&str, &str)]) -> RawBoardFilter {
        let mut raw = RawBoardFilter::default();
        for (key, value) in pairs {
            let value = Some((*value).to_owned());
            match *key {
                "counterparty" => raw.counterparty = value,
                "responsible" => raw.responsible = value,
                "mine" => raw.mine = value,
                "from" => raw.from = value,
                "to" => raw.to = value,
                "min" => raw.min = value,
                "max" => raw.max = value,
                "text" => raw.text = value,
                _ => unreachable!(),
            }
        }
        raw
    }

    type Verdict = Result<BoardFilter, (&'static str, BoardFilterError)>;

    #[test]
    fn filter_parts_are_checked() {
        let long = "я".repeat(101);
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
        let table: Vec<(Vec<(&str, &str)>, Verdict)> = vec![
            (vec![], Ok(BoardFilter::default())),
            (
                vec![("counterparty", " "), ("text", "  ")],
                Ok(BoardFilter::default()),
            ),
            (
                vec![
                    ("counterparty", "3"),
                    ("responsible", "7"),
                    ("mine", "1"),
                    ("from", "2026-11-01"),
                    ("to", "2026-11-30"),
                    ("min", "1 000,50"),
                    ("max", "20000"),
                    ("text", " СЧ-101 "),
                ],
                Ok(BoardFilter {
                    counterparty_id: Some(3),
                    responsible_id: Some(7),
                    mine: true,
                    from: d("2026-11-01"),
                    to: d("2026-11-30"),
                    min_amount: Some(Money::from_kopecks(100_050)),
                    max_amount: Some(Money::from_kopecks(2_000_000)),
                    text: Some("сч-101".into()),
                }),
            ),
            (
                vec![("counterparty", "Ромашка")],
                Err(("counterparty", BoardFilterError::BadId)),
            ),
            (
                vec![("from", "01.11.2026")],
                Err(("from", BoardFilterError::BadDate)),
            ),
            (
                vec![("from", "2026-11-30"), ("to", "2026-11-01")],
                Err(("to", BoardFilterError::PeriodReversed)),
            ),
            (
                vec![("min", "много")],
                Err(("min", BoardFilterError::BadAmount)),
            ),
            (
                vec![("min", "500"), ("max", "100")],
                Err(("max", BoardFilterError::AmountsReversed)),
            ),
            (
                vec![("text", &long)],
                Err(("text", BoardFilterError::TextTooLong)),
            ),
            (vec![("mine", "no")], Ok(BoardFilter::default())),
        ];
        for (pairs, expected) in table {
            assert_eq!(raw(&pairs).check(), expected, "{pairs:?}");
        }
    }

    #[test]
    fn initials_of_names() {
        let table = [
            ("Мария", "Петрова", "МП"),
            ("anna", "smith", "AS"),
            ("Ольга", "", "О"),
            ("", "", ""),
        ];
        for (first, last, expected) in table {
            assert_eq!(initials(first, last), expected);
        }
    }

    #[test]
    fn time_in_stage_in_the_largest_unit() {
        let now = DateTime::parse_from_rfc3339("2026-11-24T12:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let table = [
            (0, "0\u{a0}мин", "0m"),
            (59, "59\u{a0}мин", "59m"),
            (60, "1\u{a0}ч", "1h"),
            (24 * 60 - 1, "23\u{a0}ч", "23h"),
            (3 * 24 * 60 + 5, "3\u{a0}д", "3d"),
            (-10, "0\u{a0}мин", "0m"),
        ];
        for (minutes_ago, ru, en) in table {
            let entered = now - chrono::TimeDelta::minutes(minutes_ago);
            assert_eq!(time_in_stage(entered, now, Lang::Ru), ru);
            assert_eq!(time_in_stage(entered, now, Lang::En), en);
        }
    }

    #[test]
    fn overdue_only_while_waiting_for_a_payment() {
        use DocumentStage::*;
        let today = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        let yesterday = today.pred_opt();
        let table = [
            (PaymentPlan, yesterday, true),
            (PaymentPlan, Some(today), false),
            (PaymentPlan, None, false),
            (Accounting, yesterday, true),
            (Paid, yesterday, false),
            (Returned, yesterday, false),
        ];
        for (stage, planned, overdue) in table {
            assert_eq!(is_overdue(stage, planned, today), overdue, "{stage:?}");
        }
    }

    #[test]
    fn keyboard_walks_between_neighbouring_columns() {
        let order: Vec<String> = ["uploaded", "review", "accounting"]
            .map(str::to_owned)
            .to_vec();
        let table = [
            ("review", 1, Some("accounting")),
            ("review", -1, Some("uploaded")),
            ("uploaded", -1, Some("uploaded")),
            ("accounting", 1, Some("accounting")),
            ("paid", 1, None),
        ];
        for (current, step, expected) in table {
            assert_eq!(
                neighbour_stage(&order, current, step).as_deref(),
                expected,
                "{current} {step}"
            );
        }
    }
}
