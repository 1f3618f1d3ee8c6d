//! Supplier accounts: invitations and password resets by single-use e-mail links, the password
//! rule, and the letters themselves in the recipient's language.
use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use super::counterparty::plausible_email;
use super::form::{FieldError, FieldProblem};
use super::lang::Lang;

pub const MIN_PASSWORD_CHARS: usize = 10;
pub const MAX_PASSWORD_CHARS: usize = 128;
/// Reset letters an account may get per hour (the rest are dropped silently).
pub const MAX_RESETS_PER_HOUR: u64 = 3;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenPurpose {
    Invitation,
    PasswordReset,
}

impl TokenPurpose {
    pub fn code(self) -> &'static str {
        match self {
            TokenPurpose::Invitation => "invitation",
            TokenPurpose::PasswordReset => "password_reset",
        }
    }

    pub fn from_code(code: &str) -> Option<TokenPurpose> {
        [TokenPurpose::Invitation, TokenPurpose::PasswordReset]
            .into_iter()
            .find(|p| p.code() == code)
    }

    /// An invitation waits a week (the issue); a reset link is short-lived, as it opens an
    /// existing account.
    pub fn lifetime(self) -> TimeDelta {
        match self {
            TokenPurpose::Invitation => TimeDelta::days(7),
            TokenPurpose::PasswordReset => TimeDelta::hours(2),
        }
    }

    /// The page the link opens.
    pub fn path(self, token: &str) -> String {
        match self {
            TokenPurpose::Invitation => format!("/invite/{token}"),
            TokenPurpose::PasswordReset => format!("/reset/{token}"),
        }
    }
}

/// A request path as it may be logged: the token of an invitation or reset link is left out,
/// since whoever reads the log could open the account with it.
pub fn loggable_path(path: &str) -> std::borrow::Cow<'_, str> {
    for purpose in [TokenPurpose::Invitation, TokenPurpose::PasswordReset] {
        let prefix = purpose.path("");
        if let Some(rest) = path.strip_prefix(prefix.as_str())
            && !rest.is_empty()
        {
            return format!("{prefix}…").into();
        }
    }
    path.into()
}

/// What a link is worth when it is opened.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenState {
    Valid,
    Used,
    Expired,
}

pub fn token_state(
    expires_at: DateTime<Utc>,
    used_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> TokenState {
    match used_at {
        Some(_) => TokenState::Used,
        None if now >= expires_at => TokenState::Expired,
        None => TokenState::Valid,
    }
}

/// A new password: long enough, not absurdly long, not the e-mail itself.
pub fn check_password(password: &str, email: &str) -> Result<(), FieldProblem> {
    let length = password.chars().count();
    let problem = |error| Err(FieldProblem::field("password", error));
    if length < MIN_PASSWORD_CHARS {
        return problem(FieldError::TooShort(MIN_PASSWORD_CHARS));
    }
    if length > MAX_PASSWORD_CHARS {
        return problem(FieldError::TooLong(MAX_PASSWORD_CHARS));
    }
    if password.trim().to_lowercase() == email.trim().to_lowercase() {
        return problem(FieldError::PasswordIsEmail);
    }
    Ok(())
}

/// The person staff invite, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invitee {
    pub email: String,
    pub first_name: String,
    pub last_name: String,
}

pub fn check_invitee(
    email: &str,
    first_name: &str,
    last_name: &str,
) -> Result<Invitee, Vec<FieldProblem>> {
    let invitee = Invitee {
        email: email.trim().to_lowercase(),
        first_name: first_name.trim().to_owned(),
        last_name: last_name.trim().to_owned(),
    };
    let mut problems = Vec::new();
    if invitee.email.is_empty() {
        problems.push(FieldProblem::field("email", FieldError::Required));
    } else if !plausible_email(&invitee.email) {
        problems.push(FieldProblem::field("email", FieldError::BadEmail));
    }
    if invitee.first_name.is_empty() {
        problems.push(FieldProblem::field("first_name", FieldError::Required));
    }
    for (field, value) in [
        ("first_name", &invitee.first_name),
        ("last_name", &invitee.last_name),
    ] {
        if value.chars().count() > 100 {
            problems.push(FieldProblem::field(field, FieldError::TooLong(100)));
        }
    }
    if problems.is_empty() {
        Ok(invitee)
    } else {
        Err(problems)
    }
}

/// A letter ready for the outbox.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Letter {
    pub subject: String,
    pub body: String,
}

/// A stored file a letter carries (the payment order of a payment letter).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LetterFile {
    pub sha256: String,
    pub name: String,
    pub mime: String,
}

/// The invitation: who invites to what, the link and how long it lasts. Russian unless the
/// invitee is known to prefer English (invitees are Russian-speaking first).
pub fn invitation_letter(lang: Lang, first_name: &str, counterparty: &str, link: &str) -> Letter {
    match lang {
        Lang::Ru => Letter {
            subject: format!("Приглашение в кабинет поставщика — {counterparty}"),
            body: format!(
                "Здравствуйте, {first_name}!\n\n\
                 Вас пригласили в кабинет поставщика как сотрудника {counterparty}. \
                 Здесь можно загружать счета, акты и закрывающие документы и видеть, на каком \
                 этапе каждый из них и когда его оплатят.\n\n\
                 Чтобы задать пароль и войти, откройте ссылку (она действует 7 дней и только один раз):\n\
                 {link}\n\n\
                 Если вы не ждали этого письма, просто не отвечайте на него.\n"
            ),
        },
        Lang::En => Letter {
            subject: format!("Invitation to the supplier cabinet — {counterparty}"),
            body: format!(
                "Hello {first_name},\n\n\
                 You have been invited to the supplier cabinet as an employee of {counterparty}. \
                 There you upload invoices, acts and closing documents and see where each one is \
                 and when it will be paid.\n\n\
                 To set your password and sign in, open this link (valid for 7 days, once):\n\
                 {link}\n\n\
                 If you did not expect this letter, simply ignore it.\n"
            ),
        },
    }
}

pub fn reset_letter(lang: Lang, first_name: &str, link: &str) -> Letter {
    match lang {
        Lang::Ru => Letter {
            subject: "Смена пароля в кабинете поставщика".to_owned(),
            body: format!(
                "Здравствуйте, {first_name}!\n\n\
                 Кто-то (надеемся, вы) попросил сменить пароль. Чтобы задать новый, откройте \
                 ссылку (она действует 2 часа и только один раз):\n{link}\n\n\
                 Если вы не просили сменить пароль, ничего не делайте: старый пароль действует.\n"
            ),
        },
        Lang::En => Letter {
            subject: "Password change in the supplier cabinet".to_owned(),
            body: format!(
                "Hello {first_name},\n\n\
                 Someone (we hope you) asked to change your password. To set a new one, open \
                 this link (valid for 2 hours, once):\n{link}\n\n\
                 If you did not ask for it, do nothing: your password stays as it is.\n"
            ),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_tokens_stay_out_of_logged_paths() {
        let table = [
            ("/invite/abcDEF123", "/invite/…"),
            ("/reset/abcDEF123", "/reset/…"),
            ("/invite/", "/invite/"),
            ("/cabinet/documents/5", "/cabinet/documents/5"),
            ("/login", "/login"),
        ];
        for (path, logged) in table {
            assert_eq!(loggable_path(path), logged, "{path}");
        }
    }

    #[test]
    fn tokens_are_valid_until_used_or_expired() {
        let now = Utc::now();
        let table = [
            (now + TimeDelta::minutes(1), None, TokenState::Valid),
            (now, None, TokenState::Expired),
            (now - TimeDelta::days(1), None, TokenState::Expired),
            (now + TimeDelta::days(1), Some(now), TokenState::Used),
        ];
        for (expires, used, expected) in table {
            assert_eq!(token_state(expires, used, now), expected);
        }
        assert_eq!(TokenPurpose::Invitation.lifetime(), TimeDelta::days(7));
        assert_eq!(TokenPurpose::Invitation.path("abc"), "/invite/abc");
        assert_eq!(TokenPurpose::PasswordReset.path("abc"), "/reset/abc");
        for purpose in [TokenPurpose::Invitation, TokenPurpose::PasswordReset] {
            assert_eq!(TokenPurpose::from_code(purpose.code()), Some(purpose));
        }
    }

    #[test]
    fn password_rule() {
        let long = "ä".repeat(129);
        let table = [
            ("correct horse battery", Ok(())),
            ("short", Err(FieldError::TooShort(10))),
            (long.as_str(), Err(FieldError::TooLong(128))),
            ("Anna@Romashka.ru", Err(FieldError::PasswordIsEmail)),
        ];
        for (password, expected) in table {
            assert_eq!(
                check_password(password, "anna@romashka.ru"),
                expected.map_err(|e| FieldProblem::field("password", e)),
                "{password}"
            );
        }
    }

    #[test]
    fn invitees_need_an_address_and_a_first_name() {
        let ok = check_invitee(" Anna@Romashka.RU ", " Анна ", "Петрова").unwrap();
        assert_eq!(ok.email, "anna@romashka.ru");
        assert_eq!(ok.first_name, "Анна");
        assert_eq!(
            check_invitee("anna", "", "").unwrap_err(),
            vec![
                FieldProblem::field("email", FieldError::BadEmail),
                FieldProblem::field("first_name", FieldError::Required),
            ]
        );
    }

    #[test]
    fn letters_carry_the_link_in_the_language() {
        let ru = invitation_letter(Lang::Ru, "Анна", "ООО «Ромашка»", "https://x/invite/t");
        assert!(ru.subject.contains("ООО «Ромашка»"));
        assert!(ru.body.contains("https://x/invite/t") && ru.body.contains("7 дней"));
        let en = reset_letter(Lang::En, "Anna", "https://x/reset/t");
        assert!(en.body.contains("https://x/reset/t") && en.body.contains("2 hours"));
    }
}
