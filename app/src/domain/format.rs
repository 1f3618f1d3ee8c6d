//! Dates, times and numbers written the way each language writes them.
use chrono::{DateTime, Datelike, NaiveDate, Timelike, Utc};

use super::lang::Lang;

const EN_MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// `12 345 678` in Russian (no-break spaces), `12,345,678` in English.
pub fn group_thousands(value: u64, lang: Lang) -> String {
    let separator = match lang {
        Lang::Ru => '\u{a0}',
        Lang::En => ',',
    };
    let digits = value.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(digit);
    }
    out
}

/// `23.11.2026` in Russian, `23 Nov 2026` in English.
pub fn format_date(date: NaiveDate, lang: Lang) -> String {
    match lang {
        Lang::Ru => format!("{:02}.{:02}.{}", date.day(), date.month(), date.year()),
        Lang::En => format!(
            "{} {} {}",
            date.day(),
            EN_MONTHS[date.month0() as usize],
            date.year()
        ),
    }
}

/// Times are shown in Moscow time (UTC+3), where the buying company works.
pub const MOSCOW_OFFSET_MINUTES: i32 = 180;

/// The company's calendar day at `at` (deal numbers count per Moscow year; deadlines and
/// reminders run on Moscow days).
pub fn moscow_date(at: DateTime<Utc>) -> chrono::NaiveDate {
    (at.naive_utc() + chrono::TimeDelta::minutes(MOSCOW_OFFSET_MINUTES.into())).date()
}

/// The UTC moment a Moscow day begins.
pub fn moscow_midnight(day: chrono::NaiveDate) -> DateTime<Utc> {
    let start = day.and_hms_opt(0, 0, 0).unwrap_or_default();
    DateTime::<Utc>::from_naive_utc_and_offset(start, Utc)
        - chrono::TimeDelta::minutes(MOSCOW_OFFSET_MINUTES.into())
}

/// A moment shown in the given offset from UTC (minutes), e.g. Moscow is +180.
pub fn format_date_time(at: DateTime<Utc>, offset_minutes: i32, lang: Lang) -> String {
    let local = at.naive_utc() + chrono::TimeDelta::minutes(offset_minutes.into());
    let date = format_date(local.date(), lang);
    match lang {
        Lang::Ru => format!("{date} {:02}:{:02}", local.hour(), local.minute()),
        Lang::En => format!("{date}, {:02}:{:02}", local.hour(), local.minute()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moscow_days_and_years() {
        let at = |text: &str| {
            DateTime::parse_from_rfc3339(text)
                .unwrap()
                .with_timezone(&Utc)
        };
        let table = [
            ("2026-12-31T20:59:59Z", "2026-12-31"),
            ("2026-12-31T21:00:00Z", "2027-01-01"),
            ("2026-11-24T05:00:00Z", "2026-11-24"),
        ];
        for (moment, day) in table {
            let day = chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").unwrap();
            assert_eq!(moscow_date(at(moment)), day, "{moment}");
        }
        let day = chrono::NaiveDate::from_ymd_opt(2027, 1, 1).unwrap();
        assert_eq!(moscow_midnight(day), at("2026-12-31T21:00:00Z"));
    }

    #[test]
    fn groups_thousands() {
        let table = [
            (0, "0", "0"),
            (999, "999", "999"),
            (1_000, "1\u{a0}000", "1,000"),
            (12_345_678, "12\u{a0}345\u{a0}678", "12,345,678"),
        ];
        for (value, ru, en) in table {
            assert_eq!(group_thousands(value, Lang::Ru), ru);
            assert_eq!(group_thousands(value, Lang::En), en);
        }
    }

    #[test]
    fn formats_dates() {
        let table = [
            ((2026, 11, 23), "23.11.2026", "23 Nov 2026"),
            ((2024, 2, 29), "29.02.2024", "29 Feb 2024"),
            ((2027, 1, 1), "01.01.2027", "1 Jan 2027"),
        ];
        for ((y, m, d), ru, en) in table {
            let date = NaiveDate::from_ymd_opt(y, m, d).unwrap();
            assert_eq!(format_date(date, Lang::Ru), ru);
            assert_eq!(format_date(date, Lang::En), en);
        }
    }

    #[test]
    fn formats_moments_in_the_given_offset() {
        let at = DateTime::parse_from_rfc3339("2026-12-31T22:30:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(format_date_time(at, 180, Lang::Ru), "01.01.2027 01:30");
        assert_eq!(format_date_time(at, 0, Lang::En), "31 Dec 2026, 22:30");
    }
}
