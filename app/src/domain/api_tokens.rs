//! API tokens for integrations: an admin issues one for a scope, the integration sends it as
//! `Authorization: Bearer kab_…`, and it opens that scope's endpoints and nothing else. Only a
//! hash of a token is kept; the token itself is shown once, when issued.
use serde::{Deserialize, Serialize};

use super::form::FieldError;

/// What a token may be used for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenScope {
    /// `POST /api/import/ledger`: ledger entries from the accounting system.
    LedgerImport,
}

/// Where the ledger import's API answers.
pub const LEDGER_IMPORT_API_PATH: &str = "/api/import/ledger";
/// Where the import API's description is served.
pub const OPENAPI_PATH: &str = "/api/openapi.yaml";
/// What every token begins with, so a leaked one is easy to recognise and search for.
pub const TOKEN_PREFIX: &str = "kab_";
pub const MAX_TOKEN_NAME_CHARS: usize = 100;

impl TokenScope {
    pub const ALL: [TokenScope; 1] = [TokenScope::LedgerImport];

    pub fn code(self) -> &'static str {
        match self {
            TokenScope::LedgerImport => "ledger_import",
        }
    }

    pub fn from_code(code: &str) -> Option<TokenScope> {
        TokenScope::ALL.into_iter().find(|s| s.code() == code)
    }

    /// The one path a token of this scope opens.
    pub fn path(self) -> &'static str {
        match self {
            TokenScope::LedgerImport => LEDGER_IMPORT_API_PATH,
        }
    }
}

/// What the scope a request's path needs, if a token may open it at all.
pub fn scope_of_path(path: &str) -> Option<TokenScope> {
    TokenScope::ALL.into_iter().find(|s| s.path() == path)
}

/// The token of an `Authorization` header's value, `Bearer <token>`.
pub fn bearer(header: &str) -> Option<&str> {
    let (scheme, token) = header.trim().split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then_some(token.trim())
        .filter(|t| !t.is_empty())
}

/// A token's name as the admin typed it: what it is for ("1С: Бухгалтерия").
pub fn check_name(name: &str) -> Result<String, FieldError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(FieldError::Required);
    }
    if name.chars().count() > MAX_TOKEN_NAME_CHARS {
        return Err(FieldError::TooLong(MAX_TOKEN_NAME_CHARS));
    }
    Ok(name.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bearer_headers_are_read_and_others_are_not() {
        for (header, token) in [
            ("Bearer kab_abc", Some("kab_abc")),
            ("bearer   kab_abc ", Some("kab_abc")),
            ("Basic dXNlcg==", None),
            ("Bearer ", None),
            ("kab_abc", None),
        ] {
            assert_eq!(bearer(header), token, "{header}");
        }
    }

    #[test]
    fn a_scope_opens_its_path_only() {
        assert_eq!(
            scope_of_path(LEDGER_IMPORT_API_PATH),
            Some(TokenScope::LedgerImport)
        );
        for path in [
            "/api/cabinet/balance",
            "/api/import/ledger/",
            "/staff",
            OPENAPI_PATH,
        ] {
            assert_eq!(scope_of_path(path), None, "{path}");
        }
        for scope in TokenScope::ALL {
            assert_eq!(TokenScope::from_code(scope.code()), Some(scope));
        }
    }

    #[test]
    fn names_are_required_and_bounded() {
        assert_eq!(check_name("  1С "), Ok("1С".to_owned()));
        assert_eq!(check_name(" "), Err(FieldError::Required));
        assert_eq!(check_name(&"я".repeat(101)), Err(FieldError::TooLong(100)));
    }
}
