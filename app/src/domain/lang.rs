//! The languages the interface speaks.
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Ru,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Ru => "ru",
            Lang::En => "en",
        }
    }

    /// Accepts a plain code or a tag with a region (`ru-RU`, `en_GB`), any case.
    pub fn from_code(code: &str) -> Option<Lang> {
        let primary = code
            .trim()
            .split(['-', '_'])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        match primary.as_str() {
            "ru" => Some(Lang::Ru),
            "en" => Some(Lang::En),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_codes_and_tags() {
        let table = [
            ("ru", Some(Lang::Ru)),
            ("RU", Some(Lang::Ru)),
            ("ru-RU", Some(Lang::Ru)),
            ("en", Some(Lang::En)),
            ("en_GB", Some(Lang::En)),
            (" en-US ", Some(Lang::En)),
            ("de", None),
            ("", None),
        ];
        for (input, expected) in table {
            assert_eq!(Lang::from_code(input), expected, "{input:?}");
        }
    }

    #[test]
    fn codes_round_trip() {
        for lang in [Lang::Ru, Lang::En] {
            assert_eq!(Lang::from_code(lang.code()), Some(lang));
        }
    }
}
