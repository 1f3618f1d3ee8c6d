//! Money in rubles with kopecks: a decimal end to end, stored as whole kopecks.
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::format::group_thousands;
use super::lang::Lang;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Money(Decimal);

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum MoneyError {
    #[error("the amount is not a number")]
    Malformed,
    #[error("the amount cannot be negative")]
    Negative,
    #[error("the amount has more than two digits after the decimal point")]
    TooPrecise,
    #[error("the amount is too large")]
    TooLarge,
    /// Over the company's maximum for one amount (a setting, at most [`Money::CEILING`]).
    #[error("the amount is over the maximum")]
    AboveMaximum(Money),
}

impl Money {
    pub const ZERO: Money = Money(Decimal::ZERO);
    /// The most one amount may ever be, whatever the setting: 100 billion rubles. A million such
    /// amounts still sum within whole kopecks of an `i64`.
    pub const CEILING: Money = Money(Decimal::from_parts(1_215_752_192, 23, 0, false, 0));
    /// The company's default maximum for one amount: 10 billion rubles.
    pub const DEFAULT_MAXIMUM: Money = Money(Decimal::from_parts(1_410_065_408, 2, 0, false, 0));

    /// The maximum for one amount that a setting of `rubles` asks for, within the ceiling.
    pub fn maximum_of_rubles(rubles: u64) -> Money {
        Money(Decimal::from(rubles)).min(Money::CEILING)
    }

    /// A sum of whole kopecks too wide for an `i64` (a column's total), exact.
    pub fn from_wide_kopecks(kopecks: i128) -> Money {
        Decimal::try_from_i128_with_scale(kopecks, 2)
            .map(Money)
            .unwrap_or(Money(Decimal::MAX))
    }

    pub fn from_kopecks(kopecks: i64) -> Money {
        Money(Decimal::new(kopecks, 2))
    }

    pub fn kopecks(self) -> i64 {
        // Every Money is built with at most two decimals and within i64 kopecks.
        let scaled = self.0 * Decimal::ONE_HUNDRED;
        i64::try_from(scaled.trunc()).unwrap_or(i64::MAX)
    }

    pub fn amount(self) -> Decimal {
        self.0
    }

    /// Parses what a person types: `1234,56`, `1 234.56`, `1234`. Spaces group thousands, a comma
    /// or a point separates kopecks.
    pub fn parse(input: &str) -> Result<Money, MoneyError> {
        let cleaned: String = input
            .trim()
            .chars()
            .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}'))
            .map(|c| if c == ',' { '.' } else { c })
            .collect();
        if cleaned.starts_with('-') {
            return Err(MoneyError::Negative);
        }
        let well_formed = !cleaned.is_empty()
            && cleaned.chars().all(|c| c.is_ascii_digit() || c == '.')
            && cleaned.matches('.').count() <= 1
            && !cleaned.starts_with('.')
            && !cleaned.ends_with('.');
        if !well_formed {
            return Err(MoneyError::Malformed);
        }
        let value: Decimal = cleaned.parse().map_err(|_| MoneyError::TooLarge)?;
        if value.scale() > 2 && value.normalize().scale() > 2 {
            return Err(MoneyError::TooPrecise);
        }
        // Whole kopecks must fit an i64 in the database.
        if value > Decimal::new(i64::MAX / 100, 0) {
            return Err(MoneyError::TooLarge);
        }
        Ok(Money(value.round_dp(2)))
    }

    /// [`Money::parse`], then no more than `maximum`.
    pub fn parse_at_most(input: &str, maximum: Money) -> Result<Money, MoneyError> {
        let money = Money::parse(input)?;
        if money > maximum.min(Money::CEILING) {
            return Err(MoneyError::AboveMaximum(maximum.min(Money::CEILING)));
        }
        Ok(money)
    }

    /// The sign and the grouped figure: (`−`, `1 234 567,89`) in Russian, `1,234,567.89` in
    /// English.
    fn parts(self, lang: Lang) -> (&'static str, String) {
        // From the decimal itself: a column's total may be wider than an `i64` of kopecks.
        let kopecks = (self.0.round_dp(2) * Decimal::ONE_HUNDRED).trunc();
        let sign = if kopecks.is_sign_negative() && !kopecks.is_zero() {
            "−"
        } else {
            ""
        };
        let kopecks = u128::try_from(kopecks.abs()).unwrap_or(u128::MAX);
        let whole = group_thousands(kopecks / 100, lang);
        let fraction = kopecks % 100;
        let figure = match lang {
            Lang::Ru => format!("{whole},{fraction:02}"),
            Lang::En => format!("{whole}.{fraction:02}"),
        };
        (sign, figure)
    }

    /// `1 234 567,89 ₽` in Russian, `₽1,234,567.89` in English.
    pub fn format(self, lang: Lang) -> String {
        let (sign, figure) = self.parts(lang);
        match lang {
            Lang::Ru => format!("{sign}{figure}\u{a0}₽"),
            Lang::En => format!("{sign}₽{figure}"),
        }
    }

    /// `1 234 567,89` in Russian, `1,234,567.89` in English: a figure in a table column that
    /// names its currency once.
    pub fn format_plain(self, lang: Lang) -> String {
        let (sign, figure) = self.parts(lang);
        format!("{sign}{figure}")
    }
}

impl std::ops::Add for Money {
    type Output = Money;
    /// Saturates at the decimal's range, which no sum of stored amounts comes near.
    fn add(self, other: Money) -> Money {
        Money(self.0.saturating_add(other.0))
    }
}

impl std::ops::Sub for Money {
    type Output = Money;
    fn sub(self, other: Money) -> Money {
        Money(self.0.saturating_sub(other.0))
    }
}

impl std::iter::Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        iter.fold(Money::ZERO, |a, b| a + b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_figures_drop_only_the_currency() {
        let table = [
            (
                -123_456_789,
                Lang::Ru,
                "−1\u{a0}234\u{a0}567,89",
                "−1\u{a0}234\u{a0}567,89\u{a0}₽",
            ),
            (-123_456_789, Lang::En, "−1,234,567.89", "−₽1,234,567.89"),
            (5, Lang::Ru, "0,05", "0,05\u{a0}₽"),
        ];
        for (kopecks, lang, plain, full) in table {
            let m = Money::from_kopecks(kopecks);
            assert_eq!(m.format_plain(lang), plain);
            assert_eq!(m.format(lang), full);
        }
    }

    #[test]
    fn formats_per_language() {
        let table = [
            (0, "0,00\u{a0}₽", "₽0.00"),
            (5, "0,05\u{a0}₽", "₽0.05"),
            (123_456, "1\u{a0}234,56\u{a0}₽", "₽1,234.56"),
            (
                12_345_678_900,
                "123\u{a0}456\u{a0}789,00\u{a0}₽",
                "₽123,456,789.00",
            ),
            (-150, "−1,50\u{a0}₽", "−₽1.50"),
        ];
        for (kopecks, ru, en) in table {
            let money = Money::from_kopecks(kopecks);
            assert_eq!(money.format(Lang::Ru), ru);
            assert_eq!(money.format(Lang::En), en);
        }
    }

    #[test]
    fn parses_what_people_type() {
        let table: [(&str, Result<i64, MoneyError>); 14] = [
            ("1234,56", Ok(123_456)),
            ("1 234.56", Ok(123_456)),
            ("1\u{a0}234,5", Ok(123_450)),
            ("1234", Ok(123_400)),
            ("0.10", Ok(10)),
            ("12.300", Ok(1_230)),
            ("", Err(MoneyError::Malformed)),
            ("abc", Err(MoneyError::Malformed)),
            ("1,2,3", Err(MoneyError::Malformed)),
            (",5", Err(MoneyError::Malformed)),
            ("1e5", Err(MoneyError::Malformed)),
            ("-5", Err(MoneyError::Negative)),
            ("1.005", Err(MoneyError::TooPrecise)),
            ("99999999999999999999", Err(MoneyError::TooLarge)),
        ];
        for (input, expected) in table {
            assert_eq!(
                Money::parse(input).map(Money::kopecks),
                expected,
                "{input:?}"
            );
        }
    }

    #[test]
    fn amounts_stop_at_the_maximum() {
        assert_eq!(Money::CEILING.amount().to_string(), "100000000000");
        assert_eq!(Money::DEFAULT_MAXIMUM.amount().to_string(), "10000000000");
        let max = Money::maximum_of_rubles(1_000_000);
        let table: [(&str, Money, Result<i64, MoneyError>); 6] = [
            ("1000000", max, Ok(100_000_000)),
            ("1000000,01", max, Err(MoneyError::AboveMaximum(max))),
            ("10000000000", Money::DEFAULT_MAXIMUM, Ok(1_000_000_000_000)),
            (
                "10000000000.01",
                Money::DEFAULT_MAXIMUM,
                Err(MoneyError::AboveMaximum(Money::DEFAULT_MAXIMUM)),
            ),
            // A setting over the ceiling is held to the ceiling.
            (
                "100000000001",
                Money::maximum_of_rubles(u64::MAX),
                Err(MoneyError::AboveMaximum(Money::CEILING)),
            ),
            ("92233720368547758", max, Err(MoneyError::AboveMaximum(max))),
        ];
        for (input, maximum, expected) in table {
            assert_eq!(
                Money::parse_at_most(input, maximum).map(Money::kopecks),
                expected,
                "{input:?}"
            );
        }
    }

    #[test]
    fn wide_totals_format_without_overflow() {
        let two = Money::from_wide_kopecks(2 * i64::MAX as i128);
        assert_eq!(two.format(Lang::En), "₽184,467,440,737,095,516.14");
        let sum: Money = [Money::from_kopecks(i64::MAX), Money::from_kopecks(i64::MAX)]
            .into_iter()
            .sum();
        assert_eq!(sum, two);
        assert_eq!(
            two - Money::from_kopecks(i64::MAX),
            Money::from_kopecks(i64::MAX)
        );
    }

    #[test]
    fn sums_exactly() {
        let total: Money = [10, 20, 70].into_iter().map(Money::from_kopecks).sum();
        assert_eq!(total, Money::from_kopecks(100));
        assert_eq!(total.amount().to_string(), "1.00");
    }
}
