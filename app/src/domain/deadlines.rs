//! Payment deadlines (DESIGN.md): a supplier order's deadline is its contract's base date (the
//! actual delivery date, or the closing documents' date) plus the payment deferral in days; a
//! set number of days before it the accountant gets a "prepare payment" task.
use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

pub const DEFAULT_DEFERRAL_DAYS: u32 = 14;
pub const MAX_DEFERRAL_DAYS: u32 = 365;
/// Days before the deadline the accountant's reminder task is made.
pub const DEFAULT_REMINDER_DAYS: u32 = 3;
pub const MAX_REMINDER_DAYS: u32 = 60;

/// What a contract's deferral is counted from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeferralBase {
    #[default]
    Delivery,
    ClosingDocuments,
}

impl DeferralBase {
    pub const ALL: [DeferralBase; 2] = [DeferralBase::Delivery, DeferralBase::ClosingDocuments];

    pub fn code(self) -> &'static str {
        match self {
            DeferralBase::Delivery => "delivery",
            DeferralBase::ClosingDocuments => "closing_documents",
        }
    }

    pub fn from_code(code: &str) -> Option<DeferralBase> {
        DeferralBase::ALL.into_iter().find(|b| b.code() == code)
    }
}

/// The deadline, once the base date it counts from is known.
pub fn payment_deadline(
    base: DeferralBase,
    delivered_on: Option<NaiveDate>,
    closing_documents_on: Option<NaiveDate>,
    deferral_days: u32,
) -> Option<NaiveDate> {
    let from = match base {
        DeferralBase::Delivery => delivered_on,
        DeferralBase::ClosingDocuments => closing_documents_on,
    }?;
    from.checked_add_days(Days::new(deferral_days.into()))
}

/// The day the reminder task is due to be made.
pub fn reminder_day(deadline: NaiveDate, days_before: u32) -> NaiveDate {
    deadline
        .checked_sub_days(Days::new(days_before.into()))
        .unwrap_or(deadline)
}

/// Unpaid after its deadline: shown in red to staff and the supplier.
pub fn is_overdue(deadline: Option<NaiveDate>, paid: bool, today: NaiveDate) -> bool {
    !paid && deadline.is_some_and(|d| d < today)
}

/// Whole days from `today` to the deadline (negative once passed).
pub fn days_left(deadline: NaiveDate, today: NaiveDate) -> i64 {
    (deadline - today).num_days()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn deadlines_cross_month_ends_leap_years_and_year_ends() {
        use DeferralBase::*;
        let table = [
            // base, delivered, closing documents, days, deadline
            (Delivery, Some("2026-01-20"), None, 14, Some("2026-02-03")),
            (Delivery, Some("2026-01-31"), None, 1, Some("2026-02-01")),
            (Delivery, Some("2026-02-20"), None, 14, Some("2026-03-06")),
            (Delivery, Some("2028-02-20"), None, 14, Some("2028-03-05")),
            (Delivery, Some("2028-02-28"), None, 1, Some("2028-02-29")),
            (Delivery, Some("2100-02-28"), None, 1, Some("2100-03-01")),
            (Delivery, Some("2000-02-28"), None, 1, Some("2000-02-29")),
            (Delivery, Some("2026-12-25"), None, 14, Some("2027-01-08")),
            (Delivery, Some("2026-12-31"), None, 0, Some("2026-12-31")),
            (Delivery, Some("2026-03-01"), None, 365, Some("2027-03-01")),
            (Delivery, Some("2027-03-01"), None, 365, Some("2028-02-29")),
            (Delivery, None, Some("2026-03-01"), 14, None),
            (ClosingDocuments, Some("2026-03-01"), None, 14, None),
            (
                ClosingDocuments,
                Some("2026-03-01"),
                Some("2026-04-30"),
                30,
                Some("2026-05-30"),
            ),
        ];
        for (base, delivered, closing, days, deadline) in table {
            assert_eq!(
                payment_deadline(base, delivered.map(d), closing.map(d), days),
                deadline.map(d),
                "{base:?} {delivered:?} {closing:?} +{days}"
            );
        }
    }

    #[test]
    fn reminders_and_overdue() {
        let table = [
            ("2026-03-03", 3, "2026-02-28"),
            ("2028-03-02", 3, "2028-02-28"),
            ("2027-01-02", 3, "2026-12-30"),
            ("2026-05-10", 0, "2026-05-10"),
        ];
        for (deadline, before, day) in table {
            assert_eq!(
                reminder_day(d(deadline), before),
                d(day),
                "{deadline} -{before}"
            );
        }
        let today = d("2026-11-24");
        let overdue = [
            (Some("2026-11-23"), false, true),
            (Some("2026-11-24"), false, false),
            (Some("2026-11-23"), true, false),
            (None, false, false),
        ];
        for (deadline, paid, expected) in overdue {
            assert_eq!(
                is_overdue(deadline.map(d), paid, today),
                expected,
                "{deadline:?} {paid}"
            );
        }
        assert_eq!(days_left(d("2026-11-27"), today), 3);
        assert_eq!(days_left(d("2026-11-20"), today), -4);
        for base in DeferralBase::ALL {
            assert_eq!(DeferralBase::from_code(base.code()), Some(base));
        }
    }
}
