//! The company's clock: which calendar day it is where the buying company works. Every "today"
//! of the app comes from here — payment dates not in the future, deadlines, overdue marks, the
//! year a deal number counts in, the day the move dialog pre-fills — so documents, deals and
//! orders agree at every hour, midnight included.
use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

/// The company's time zone, as its offset from UTC. Russia has kept no summer time since 2014,
/// so an offset names each Russian zone exactly.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CompanyZone {
    offset_minutes: i32,
}

/// Russia's zones by their tz names, for the setting.
const NAMED: [(&str, i32); 11] = [
    ("Europe/Kaliningrad", 2 * 60),
    ("Europe/Moscow", 3 * 60),
    ("Europe/Samara", 4 * 60),
    ("Asia/Yekaterinburg", 5 * 60),
    ("Asia/Omsk", 6 * 60),
    ("Asia/Novosibirsk", 7 * 60),
    ("Asia/Krasnoyarsk", 7 * 60),
    ("Asia/Irkutsk", 8 * 60),
    ("Asia/Yakutsk", 9 * 60),
    ("Asia/Vladivostok", 10 * 60),
    ("Asia/Kamchatka", 12 * 60),
];

/// The widest offsets in use on Earth.
const MAX_OFFSET_MINUTES: i32 = 14 * 60;

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ZoneError {
    #[error("not a time zone: use an offset such as +03:00 or a name such as Europe/Moscow")]
    Unknown,
    #[error("an offset from UTC lies between -14:00 and +14:00")]
    OutOfRange,
}

impl Default for CompanyZone {
    fn default() -> Self {
        CompanyZone::MOSCOW
    }
}

impl CompanyZone {
    /// Where the buying company works unless set otherwise.
    pub const MOSCOW: CompanyZone = CompanyZone {
        offset_minutes: 180,
    };
    pub const UTC: CompanyZone = CompanyZone { offset_minutes: 0 };

    pub fn from_offset_minutes(offset_minutes: i32) -> Result<CompanyZone, ZoneError> {
        if offset_minutes.abs() > MAX_OFFSET_MINUTES {
            return Err(ZoneError::OutOfRange);
        }
        Ok(CompanyZone { offset_minutes })
    }

    pub fn offset_minutes(self) -> i32 {
        self.offset_minutes
    }

    /// `+03:00`, `+3`, `UTC+3`, `-05:30`, `UTC`, or one of Russia's zone names.
    pub fn parse(text: &str) -> Result<CompanyZone, ZoneError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(ZoneError::Unknown);
        }
        if let Some((_, minutes)) = NAMED
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(text))
        {
            return CompanyZone::from_offset_minutes(*minutes);
        }
        let offset = text
            .strip_prefix("UTC")
            .or_else(|| text.strip_prefix("GMT"))
            .unwrap_or(text);
        if offset.is_empty() {
            return Ok(CompanyZone::UTC);
        }
        let (sign, rest) = match offset.as_bytes()[0] {
            b'+' => (1, &offset[1..]),
            b'-' => (-1, &offset[1..]),
            _ => return Err(ZoneError::Unknown),
        };
        let (hours, minutes) = rest.split_once(':').unwrap_or((rest, "0"));
        let number = |part: &str, most: i32| -> Result<i32, ZoneError> {
            if part.is_empty() || part.len() > 2 || !part.bytes().all(|b| b.is_ascii_digit()) {
                return Err(ZoneError::Unknown);
            }
            let value: i32 = part.parse().map_err(|_| ZoneError::Unknown)?;
            if value > most {
                return Err(ZoneError::OutOfRange);
            }
            Ok(value)
        };
        let total = number(hours, 14)? * 60 + number(minutes, 59)?;
        CompanyZone::from_offset_minutes(sign * total)
    }

    /// The company's wall-clock time at `at`.
    pub fn local(self, at: DateTime<Utc>) -> NaiveDateTime {
        at.naive_utc() + TimeDelta::minutes(self.offset_minutes.into())
    }

    /// The company's calendar day at `at`.
    pub fn today(self, at: DateTime<Utc>) -> NaiveDate {
        self.local(at).date()
    }

    /// The UTC moment the company's day `day` begins.
    pub fn midnight(self, day: NaiveDate) -> DateTime<Utc> {
        let start = day.and_hms_opt(0, 0, 0).unwrap_or_default();
        DateTime::<Utc>::from_naive_utc_and_offset(start, Utc)
            - TimeDelta::minutes(self.offset_minutes.into())
    }
}

/// A request's moment: the instant, and the company's zone that says which day it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Now {
    pub at: DateTime<Utc>,
    pub zone: CompanyZone,
}

impl Now {
    pub fn new(at: DateTime<Utc>, zone: CompanyZone) -> Now {
        Now { at, zone }
    }

    /// The company's calendar day now.
    pub fn today(self) -> NaiveDate {
        self.zone.today(self.at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    /// The company's day at a moment, in its zone: Moscow's day starts at 21:00 UTC the evening
    /// before, which is where a UTC "today" went wrong for three hours a night.
    #[test]
    fn the_company_day_at_each_hour_near_midnight() {
        let moscow = CompanyZone::MOSCOW;
        let vladivostok = CompanyZone::parse("Asia/Vladivostok").unwrap();
        let west = CompanyZone::parse("-05:00").unwrap();
        let table = [
            (moscow, "2026-12-01T20:59:59Z", "2026-12-01"),
            (moscow, "2026-12-01T21:00:00Z", "2026-12-02"),
            (moscow, "2026-12-01T23:30:00Z", "2026-12-02"),
            (moscow, "2026-12-31T21:00:00Z", "2027-01-01"),
            (moscow, "2026-11-24T05:00:00Z", "2026-11-24"),
            (CompanyZone::UTC, "2026-12-01T23:30:00Z", "2026-12-01"),
            (vladivostok, "2026-12-01T13:59:00Z", "2026-12-01"),
            (vladivostok, "2026-12-01T14:00:00Z", "2026-12-02"),
            (west, "2026-12-02T04:59:00Z", "2026-12-01"),
            (west, "2026-12-02T05:00:00Z", "2026-12-02"),
        ];
        for (zone, moment, expected) in table {
            assert_eq!(zone.today(at(moment)), day(expected), "{zone:?} {moment}");
            assert_eq!(Now::new(at(moment), zone).today(), day(expected));
            // The day's midnight lies at or before the moment and less than a day before it.
            let midnight = zone.midnight(day(expected));
            assert!(midnight <= at(moment) && at(moment) - midnight < TimeDelta::days(1));
            assert_eq!(zone.today(midnight), day(expected));
        }
    }

    #[test]
    fn the_setting_reads_offsets_and_russian_zone_names() {
        let ok = |text: &str, minutes: i32| (text.to_owned(), Ok(minutes));
        let bad = |text: &str, error: ZoneError| (text.to_owned(), Err(error));
        let table = [
            ok("Europe/Moscow", 180),
            ok("europe/moscow", 180),
            ok("Europe/Kaliningrad", 120),
            ok("Asia/Kamchatka", 720),
            ok("+03:00", 180),
            ok("+3", 180),
            ok("UTC+3", 180),
            ok("GMT+03:00", 180),
            ok("-05:30", -330),
            ok("UTC", 0),
            ok(" +07:00 ", 420),
            ok("+14:00", 840),
            bad("Moscow", ZoneError::Unknown),
            bad("03:00", ZoneError::Unknown),
            bad("+3:0x", ZoneError::Unknown),
            bad("+", ZoneError::Unknown),
            bad("+123", ZoneError::Unknown),
            bad("+15:00", ZoneError::OutOfRange),
            bad("+14:30", ZoneError::OutOfRange),
            bad("+03:60", ZoneError::OutOfRange),
            bad("", ZoneError::Unknown),
        ];
        for (text, expected) in table {
            let parsed = CompanyZone::parse(&text).map(CompanyZone::offset_minutes);
            assert_eq!(parsed, expected, "{text:?}");
        }
        assert_eq!(CompanyZone::default(), CompanyZone::MOSCOW);
    }
}
