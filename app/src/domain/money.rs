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
}

impl Money {
    pub const ZERO: Money = Money(Decimal::ZERO);

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

    /// `1 234 567,89 ₽` in Russian, `₽1,234,567.89` in English.
    pub fn format(self, lang: Lang) -> String {
        let kopecks = self.kopecks();
        let sign = if kopecks < 0 { "−" } else { "" };
        let whole = group_thousands(kopecks.unsigned_abs() / 100, lang);
        let fraction = kopecks.unsigned_abs() % 100;
        match lang {
            Lang::Ru => format!("{sign}{whole},{fraction:02}\u{a0}₽"),
            Lang::En => format!("{sign}₽{whole}.{fraction:02}"),
        }
    }
}

impl std::ops::Add for Money {
    type Output = Money;
    fn add(self, other: Money) -> Money {
        Money(self.0 + other.0)
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
    fn sums_exactly() {
        let total: Money = [10, 20, 70].into_iter().map(Money::from_kopecks).sum();
        assert_eq!(total, Money::from_kopecks(100));
        assert_eq!(total.amount().to_string(), "1.00");
    }
}
