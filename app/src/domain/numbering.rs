//! Unified deal numbering (DESIGN.md): a deal entering implementation for the first time gets
//! `{year}-{seq:04}` (`2026-0042`); every supplier order, contract and specification of the
//! deal carries it with a per-deal, per-kind suffix (`2026-0042/PO-1`). Kind codes are settings.
use std::fmt;

use serde::{Deserialize, Serialize};

/// A deal's number: the year it was numbered in and its place in that year's counter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct DealNumber {
    pub year: i32,
    pub seq: u32,
}

impl fmt::Display for DealNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{:04}", self.year, self.seq)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NumberError {
    #[error("not a deal number (YYYY-NNNN)")]
    BadDealNumber,
    #[error("not an item number (YYYY-NNNN/CODE-N)")]
    BadItemNumber,
    #[error("a kind code is 1 to 6 Latin capital letters")]
    BadKindCode,
    #[error("each kind needs its own code")]
    SameKindCodes,
}

impl From<NumberError> for super::form::FieldError {
    fn from(error: NumberError) -> Self {
        use super::form::FieldError;
        match error {
            NumberError::BadDealNumber | NumberError::BadItemNumber => FieldError::Unknown,
            NumberError::BadKindCode => FieldError::BadKindCode,
            NumberError::SameKindCodes => FieldError::MustDiffer,
        }
    }
}

impl DealNumber {
    pub fn parse(text: &str) -> Result<DealNumber, NumberError> {
        let (year, seq) = text
            .trim()
            .split_once('-')
            .ok_or(NumberError::BadDealNumber)?;
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if year.len() != 4 || !digits(year) || seq.len() < 4 || !digits(seq) {
            return Err(NumberError::BadDealNumber);
        }
        let year = year.parse().map_err(|_| NumberError::BadDealNumber)?;
        let seq: u32 = seq.parse().map_err(|_| NumberError::BadDealNumber)?;
        let number = DealNumber { year, seq };
        // Only the spelling `Display` writes (`2026-42` and `2026-00042` are not numbers).
        if seq == 0 || number.to_string() != text.trim() {
            return Err(NumberError::BadDealNumber);
        }
        Ok(number)
    }
}

/// The kinds of papers that carry a deal's number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    Order,
    Contract,
    Specification,
}

impl ItemKind {
    pub const ALL: [ItemKind; 3] = [ItemKind::Order, ItemKind::Contract, ItemKind::Specification];

    /// How the database and the settings name the kind.
    pub fn code(self) -> &'static str {
        match self {
            ItemKind::Order => "order",
            ItemKind::Contract => "contract",
            ItemKind::Specification => "specification",
        }
    }

    pub fn from_code(code: &str) -> Option<ItemKind> {
        ItemKind::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// The suffix code of each kind (`PO`, `CT`, `SP` unless an admin changed them).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KindCodes {
    pub order: String,
    pub contract: String,
    pub specification: String,
}

impl Default for KindCodes {
    fn default() -> KindCodes {
        KindCodes {
            order: "PO".to_owned(),
            contract: "CT".to_owned(),
            specification: "SP".to_owned(),
        }
    }
}

impl KindCodes {
    pub fn of(&self, kind: ItemKind) -> &str {
        match kind {
            ItemKind::Order => &self.order,
            ItemKind::Contract => &self.contract,
            ItemKind::Specification => &self.specification,
        }
    }

    /// Codes as an admin typed them: trimmed and upper-cased, each 1–6 Latin letters, no two
    /// alike (else two kinds' numbers could be the same).
    pub fn check(
        order: &str,
        contract: &str,
        specification: &str,
    ) -> Result<KindCodes, NumberError> {
        let clean = |code: &str| {
            let code = code.trim().to_ascii_uppercase();
            if (1..=6).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_uppercase()) {
                Ok(code)
            } else {
                Err(NumberError::BadKindCode)
            }
        };
        let codes = KindCodes {
            order: clean(order)?,
            contract: clean(contract)?,
            specification: clean(specification)?,
        };
        if codes.order == codes.contract
            || codes.order == codes.specification
            || codes.contract == codes.specification
        {
            return Err(NumberError::SameKindCodes);
        }
        Ok(codes)
    }
}

/// `2026-0042/PO-1`: the deal's number, the kind's code and the item's place among the deal's
/// items of that kind.
pub fn item_number(deal: DealNumber, code: &str, seq: u32) -> String {
    format!("{deal}/{code}-{seq}")
}

/// The parts of an item number.
pub fn parse_item_number(text: &str) -> Result<(DealNumber, String, u32), NumberError> {
    let (deal, rest) = text
        .trim()
        .split_once('/')
        .ok_or(NumberError::BadItemNumber)?;
    let deal = DealNumber::parse(deal).map_err(|_| NumberError::BadItemNumber)?;
    let (code, seq) = rest.split_once('-').ok_or(NumberError::BadItemNumber)?;
    if code.is_empty() || !code.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(NumberError::BadItemNumber);
    }
    let seq: u32 = seq.parse().map_err(|_| NumberError::BadItemNumber)?;
    if seq == 0 || seq.to_string() != rest[code.len() + 1..] {
        return Err(NumberError::BadItemNumber);
    }
    Ok((deal, code.to_owned(), seq))
}

/// What a search box's text looks for among numbers: the part of a deal number typed, in its
/// written form. `42` and `0042` find `2026-0042`; `2026-42` is read as `2026-0042`;
/// `2026-0042/PO-1` finds the deal (its items carry the same deal number).
pub fn number_needle(text: &str) -> Option<String> {
    let text = text.trim();
    let deal_part = text.split('/').next().unwrap_or_default().trim();
    if deal_part.is_empty() {
        return None;
    }
    if let Some((year, seq)) = deal_part.split_once('-') {
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if year.len() == 4 && digits(year) && digits(seq) && seq.len() <= 4 {
            let seq: u32 = seq.parse().ok()?;
            if seq > 0 {
                return Some(format!("{year}-{seq:04}"));
            }
        }
        if digits(year) && (seq.is_empty() || digits(seq)) {
            return Some(deal_part.to_owned());
        }
        return None;
    }
    deal_part
        .bytes()
        .all(|b| b.is_ascii_digit())
        .then(|| deal_part.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deal_numbers_format_and_parse() {
        let table = [
            (2026, 42, "2026-0042"),
            (2026, 1, "2026-0001"),
            (2027, 9999, "2027-9999"),
            (2027, 10000, "2027-10000"),
        ];
        for (year, seq, text) in table {
            let number = DealNumber { year, seq };
            assert_eq!(number.to_string(), text);
            assert_eq!(DealNumber::parse(text), Ok(number), "{text}");
        }
        for bad in [
            "",
            "2026",
            "2026-",
            "2026-42",
            "2026-0000",
            "26-0042",
            "2026-00042",
            "2026-004a",
            "x2026-0042",
            "2026/0042",
        ] {
            assert_eq!(
                DealNumber::parse(bad),
                Err(NumberError::BadDealNumber),
                "{bad}"
            );
        }
        assert_eq!(
            DealNumber::parse(" 2026-0042 "),
            Ok(DealNumber {
                year: 2026,
                seq: 42
            })
        );
    }

    #[test]
    fn item_numbers_format_and_parse() {
        let deal = DealNumber {
            year: 2026,
            seq: 42,
        };
        let codes = KindCodes::default();
        let table = [
            (ItemKind::Order, 1, "2026-0042/PO-1"),
            (ItemKind::Contract, 1, "2026-0042/CT-1"),
            (ItemKind::Specification, 12, "2026-0042/SP-12"),
        ];
        for (kind, seq, text) in table {
            assert_eq!(item_number(deal, codes.of(kind), seq), text);
            assert_eq!(
                parse_item_number(text),
                Ok((deal, codes.of(kind).to_owned(), seq))
            );
        }
        for bad in [
            "2026-0042",
            "2026-0042/PO",
            "2026-0042/PO-0",
            "2026-0042/PO-01",
            "2026-0042/po-1",
            "2026-0042/-1",
            "2026-42/PO-1",
        ] {
            assert_eq!(
                parse_item_number(bad),
                Err(NumberError::BadItemNumber),
                "{bad}"
            );
        }
    }

    #[test]
    fn kind_codes_are_checked() {
        assert_eq!(
            KindCodes::check(" po ", "ct", "Sp"),
            Ok(KindCodes::default())
        );
        assert_eq!(
            KindCodes::check("ЗК", "CT", "SP"),
            Err(NumberError::BadKindCode)
        );
        assert_eq!(
            KindCodes::check("", "CT", "SP"),
            Err(NumberError::BadKindCode)
        );
        assert_eq!(
            KindCodes::check("ORDERSX", "CT", "SP"),
            Err(NumberError::BadKindCode)
        );
        assert_eq!(
            KindCodes::check("P1", "CT", "SP"),
            Err(NumberError::BadKindCode)
        );
        assert_eq!(
            KindCodes::check("CT", "ct", "SP"),
            Err(NumberError::SameKindCodes)
        );
        for kind in ItemKind::ALL {
            assert_eq!(ItemKind::from_code(kind.code()), Some(kind));
        }
    }

    #[test]
    fn search_text_finds_numbers() {
        let table = [
            ("42", Some("42")),
            ("0042", Some("0042")),
            ("2026-42", Some("2026-0042")),
            ("2026-0042", Some("2026-0042")),
            (" 2026-0042/PO-1 ", Some("2026-0042")),
            ("2026-", Some("2026-")),
            ("2026", Some("2026")),
            ("ООО Ромашка", None),
            ("", None),
            ("a-1", None),
        ];
        for (text, needle) in table {
            assert_eq!(number_needle(text).as_deref(), needle, "{text:?}");
        }
    }
}
