//! Dates, times and numbers written the way each language writes them.
use chrono::{DateTime, Datelike, NaiveDate, Timelike, Utc};

use super::clock::CompanyZone;
use super::lang::Lang;

const EN_MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// `12 345 678` in Russian (no-break spaces), `12,345,678` in English.
pub fn group_thousands(value: impl Into<u128>, lang: Lang) -> String {
    let separator = match lang {
        Lang::Ru => '\u{a0}',
        Lang::En => ',',
    };
    let digits = value.into().to_string();
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

/// A moment shown on the company's clock.
pub fn format_date_time(at: DateTime<Utc>, zone: CompanyZone, lang: Lang) -> String {
    let local = zone.local(at);
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
            assert_eq!(CompanyZone::MOSCOW.today(at(moment)), day, "{moment}");
        }
        let day = chrono::NaiveDate::from_ymd_opt(2027, 1, 1).unwrap();
        assert_eq!(
            CompanyZone::MOSCOW.midnight(day),
            at("2026-12-31T21:00:00Z")
        );
    }

    #[test]
    fn groups_thousands() {
        let table = [
            (0u64, "0", "0"),
            (999, "999", "999"),
            (1_000, "1\u{a0}000", "1,000"),
            (12_345_678, "12\u{a0}345\u{a0}678", "12,345,678"),
        ];
        for (value, ru, en) in table {
            assert_eq!(group_thousands(value, Lang::Ru), ru);
            assert_eq!(group_thousands(u128::from(value), Lang::Ru), ru);
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
        assert_eq!(
            format_date_time(at, CompanyZone::MOSCOW, Lang::Ru),
            "01.01.2027 01:30"
        );
        assert_eq!(
            format_date_time(at, CompanyZone::UTC, Lang::En),
            "31 Dec 2026, 22:30"
        );
    }
}
