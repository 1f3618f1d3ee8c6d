//! A counterparty's card as staff edit it: name, registration numbers, addresses, bank
//! details, deferral and access. Every field is checked here and every problem reported at once.
use serde::{Deserialize, Serialize};

use super::form::{FieldError, FieldProblem};
use super::lang::Lang;
use super::money::Money;
use super::requisites::{
    check_bic, check_correspondent_account, check_inn, check_kpp, check_ogrn,
    check_settlement_account,
};
use super::settlements::BlockMode;

pub const MAX_NAME_CHARS: usize = 300;
pub const MAX_ADDRESS_CHARS: usize = 500;
pub const MAX_DEFERRAL_DAYS: i32 = 365;
pub const DEFAULT_DEFERRAL_DAYS: i32 = 14;
/// Counterparties per page of the registry.
pub const REGISTRY_PAGE_SIZE: u64 = 20;

/// The form as sent; every field a string, as typed. A missing field is empty (an unchecked
/// checkbox sends nothing).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CounterpartyForm {
    pub name: String,
    pub inn: String,
    pub kpp: String,
    pub ogrn: String,
    pub legal_address: String,
    pub postal_address: String,
    pub bank_name: String,
    pub bic: String,
    pub settlement_account: String,
    pub correspondent_account: String,
    /// A user id, or empty for none.
    pub responsible_manager_id: String,
    pub payment_deferral_days: String,
    /// A `BlockMode` code; empty for none.
    pub block_mode: String,
    pub block_reason: String,
    /// The most the counterparty may owe us, in rubles; empty for no limit.
    pub credit_limit: String,
}

/// The checked counterparty: blanks are `None`, numbers without spaces.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Requisites {
    pub name: String,
    pub inn: String,
    pub kpp: Option<String>,
    pub ogrn: Option<String>,
    pub legal_address: Option<String>,
    pub postal_address: Option<String>,
    pub bank_name: Option<String>,
    pub bic: Option<String>,
    pub settlement_account: Option<String>,
    pub correspondent_account: Option<String>,
    pub responsible_manager_id: Option<i32>,
    pub payment_deferral_days: i32,
    pub block_mode: BlockMode,
    pub block_reason: Option<String>,
    pub credit_limit: Option<Money>,
}

fn trimmed(value: &str) -> Option<String> {
    let value = value.trim();
    (!value.is_empty()).then(|| value.to_owned())
}

/// Registration numbers and accounts are typed with spaces now and then.
fn number(value: &str) -> Option<String> {
    let value: String = value.chars().filter(|c| !c.is_whitespace()).collect();
    (!value.is_empty()).then_some(value)
}

pub fn check_counterparty(form: &CounterpartyForm) -> Result<Requisites, Vec<FieldProblem>> {
    let mut problems = Vec::new();
    let mut fail =
        |field: &str, error: FieldError| problems.push(FieldProblem::field(field, error));

    let name = trimmed(&form.name);
    match &name {
        None => fail("name", FieldError::Required),
        Some(name) if name.chars().count() > MAX_NAME_CHARS => {
            fail("name", FieldError::TooLong(MAX_NAME_CHARS))
        }
        _ => {}
    }
    let inn = number(&form.inn);
    match &inn {
        None => fail("inn", FieldError::Required),
        Some(inn) => {
            if let Err(err) = check_inn(inn) {
                fail("inn", FieldError::Requisite(err));
            }
        }
    }
    let kpp = number(&form.kpp).map(|k| k.to_uppercase());
    match (&kpp, inn.as_ref().map(String::len)) {
        // An organisation (10-digit INN) has a KPP; an individual entrepreneur has none.
        (None, Some(10)) => fail("kpp", FieldError::Required),
        (Some(_), Some(12)) => fail("kpp", FieldError::NotForEntrepreneur),
        (Some(kpp), _) => {
            if let Err(err) = check_kpp(kpp) {
                fail("kpp", FieldError::Requisite(err));
            }
        }
        _ => {}
    }
    let ogrn = number(&form.ogrn);
    if let Some(ogrn) = &ogrn
        && let Err(err) = check_ogrn(ogrn)
    {
        fail("ogrn", FieldError::Requisite(err));
    }
    let legal_address = trimmed(&form.legal_address);
    let postal_address = trimmed(&form.postal_address);
    for (field, value) in [
        ("legal_address", &legal_address),
        ("postal_address", &postal_address),
    ] {
        if value
            .as_ref()
            .is_some_and(|v| v.chars().count() > MAX_ADDRESS_CHARS)
        {
            fail(field, FieldError::TooLong(MAX_ADDRESS_CHARS));
        }
    }

    let bank_name = trimmed(&form.bank_name);
    let bic = number(&form.bic);
    let settlement_account = number(&form.settlement_account);
    let correspondent_account = number(&form.correspondent_account);
    let any_bank_field = bank_name.is_some()
        || bic.is_some()
        || settlement_account.is_some()
        || correspondent_account.is_some();
    if any_bank_field {
        // Bank details are all or nothing: money cannot be sent with half of them.
        match &bic {
            None => fail("bic", FieldError::Required),
            Some(bic) => {
                if let Err(err) = check_bic(bic) {
                    fail("bic", FieldError::Requisite(err));
                }
            }
        }
        match (&settlement_account, &bic) {
            (None, _) => fail("settlement_account", FieldError::Required),
            (Some(account), Some(bic)) if check_bic(bic).is_ok() => {
                if let Err(err) = check_settlement_account(account, bic) {
                    fail("settlement_account", FieldError::Requisite(err));
                }
            }
            _ => {}
        }
        if let (Some(account), Some(bic)) = (&correspondent_account, &bic)
            && check_bic(bic).is_ok()
            && let Err(err) = check_correspondent_account(account, bic)
        {
            fail("correspondent_account", FieldError::Requisite(err));
        }
    }

    let responsible_manager_id = match number(&form.responsible_manager_id) {
        None => None,
        Some(id) => match id.parse::<i32>() {
            Ok(id) if id > 0 => Some(id),
            _ => {
                fail("responsible_manager_id", FieldError::Unknown);
                None
            }
        },
    };
    let payment_deferral_days = match number(&form.payment_deferral_days) {
        None => DEFAULT_DEFERRAL_DAYS,
        Some(days) => match days.parse::<i32>() {
            Ok(days) if (0..=MAX_DEFERRAL_DAYS).contains(&days) => days,
            _ => {
                fail(
                    "payment_deferral_days",
                    FieldError::OutOfRange {
                        min: 0,
                        max: i64::from(MAX_DEFERRAL_DAYS),
                    },
                );
                DEFAULT_DEFERRAL_DAYS
            }
        },
    };
    let block_mode = match form.block_mode.trim() {
        "" => BlockMode::None,
        code => BlockMode::from_code(code).unwrap_or_else(|| {
            fail("block_mode", FieldError::Unknown);
            BlockMode::None
        }),
    };
    let block_reason = trimmed(&form.block_reason).filter(|_| block_mode != BlockMode::None);
    let credit_limit = match trimmed(&form.credit_limit) {
        None => None,
        Some(text) => match Money::parse_at_most(&text, Money::CEILING) {
            Ok(limit) => Some(limit),
            Err(error) => {
                fail("credit_limit", FieldError::Amount(error));
                None
            }
        },
    };

    match (name, inn) {
        (Some(name), Some(inn)) if problems.is_empty() => Ok(Requisites {
            name,
            inn,
            kpp,
            ogrn,
            legal_address,
            postal_address,
            bank_name,
            bic,
            settlement_account,
            correspondent_account,
            responsible_manager_id,
            payment_deferral_days,
            block_mode,
            block_reason,
            credit_limit,
        }),
        _ => Err(problems),
    }
}

/// A contact person of a counterparty, checked.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactFields {
    pub name: String,
    pub position: String,
    pub email: String,
    pub phone: String,
}

const MAX_CONTACT_FIELD_CHARS: usize = 200;

/// A plausible e-mail address: something, one `@`, a domain with a dot, no spaces.
pub fn plausible_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !email.chars().any(char::is_whitespace)
}

/// A phone number as people write it: digits with `+ ( ) -` and spaces, 7 to 15 digits.
fn plausible_phone(phone: &str) -> bool {
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    (7..=15).contains(&digits)
        && phone
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '+' | '(' | ')' | '-' | ' '))
}

pub fn check_contact(
    name: &str,
    position: &str,
    email: &str,
    phone: &str,
) -> Result<ContactFields, Vec<FieldProblem>> {
    let mut problems = Vec::new();
    let fields = ContactFields {
        name: name.trim().to_owned(),
        position: position.trim().to_owned(),
        email: email.trim().to_lowercase(),
        phone: phone.trim().to_owned(),
    };
    if fields.name.is_empty() {
        problems.push(FieldProblem::field("contact_name", FieldError::Required));
    }
    for (field, value) in [
        ("contact_name", &fields.name),
        ("position", &fields.position),
        ("email", &fields.email),
        ("phone", &fields.phone),
    ] {
        if value.chars().count() > MAX_CONTACT_FIELD_CHARS {
            problems.push(FieldProblem::field(
                field,
                FieldError::TooLong(MAX_CONTACT_FIELD_CHARS),
            ));
        }
    }
    if fields.email.is_empty() && fields.phone.is_empty() {
        problems.push(FieldProblem::field("email", FieldError::EmailOrPhone));
    }
    if !fields.email.is_empty() && !plausible_email(&fields.email) {
        problems.push(FieldProblem::field("email", FieldError::BadEmail));
    }
    if !fields.phone.is_empty() && !plausible_phone(&fields.phone) {
        problems.push(FieldProblem::field("phone", FieldError::BadPhone));
    }
    if problems.is_empty() {
        Ok(fields)
    } else {
        Err(problems)
    }
}

/// What the registry search matches: name and INN, lower-cased in Rust (see `documents`).
pub fn search_text(name: &str, inn: &str) -> String {
    format!("{name}\n{inn}").to_lowercase()
}

/// The fields whose values changed, `(field, old, new)`, for the audit log.
pub fn changes(old: &Requisites, new: &Requisites) -> Vec<(&'static str, String, String)> {
    let show = |v: &Option<String>| v.clone().unwrap_or_default();
    let pairs: [(&'static str, String, String); 15] = [
        ("name", old.name.clone(), new.name.clone()),
        ("inn", old.inn.clone(), new.inn.clone()),
        ("kpp", show(&old.kpp), show(&new.kpp)),
        ("ogrn", show(&old.ogrn), show(&new.ogrn)),
        (
            "legal_address",
            show(&old.legal_address),
            show(&new.legal_address),
        ),
        (
            "postal_address",
            show(&old.postal_address),
            show(&new.postal_address),
        ),
        ("bank_name", show(&old.bank_name), show(&new.bank_name)),
        ("bic", show(&old.bic), show(&new.bic)),
        (
            "settlement_account",
            show(&old.settlement_account),
            show(&new.settlement_account),
        ),
        (
            "correspondent_account",
            show(&old.correspondent_account),
            show(&new.correspondent_account),
        ),
        (
            "responsible_manager_id",
            old.responsible_manager_id
                .map(|i| i.to_string())
                .unwrap_or_default(),
            new.responsible_manager_id
                .map(|i| i.to_string())
                .unwrap_or_default(),
        ),
        (
            "payment_deferral_days",
            old.payment_deferral_days.to_string(),
            new.payment_deferral_days.to_string(),
        ),
        (
            "block_mode",
            old.block_mode.code().to_owned(),
            new.block_mode.code().to_owned(),
        ),
        (
            "credit_limit",
            old.credit_limit
                .map(|m| m.format(Lang::Ru))
                .unwrap_or_default(),
            new.credit_limit
                .map(|m| m.format(Lang::Ru))
                .unwrap_or_default(),
        ),
        (
            "block_reason",
            show(&old.block_reason),
            show(&new.block_reason),
        ),
    ];
    pairs.into_iter().filter(|(_, a, b)| a != b).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::requisites::RequisiteError;

    /// Sberbank's real requisites (public), which pass every check.
    fn good() -> CounterpartyForm {
        CounterpartyForm {
            name: " ПАО Сбербанк ".into(),
            inn: "7707083893".into(),
            kpp: "773601001".into(),
            ogrn: "1027700132195".into(),
            legal_address: "Москва, ул. Вавилова, 19".into(),
            bank_name: "ПАО Сбербанк".into(),
            bic: "044525225".into(),
            settlement_account: "40702810938000012345".into(),
            correspondent_account: "30101810400000000225".into(),
            payment_deferral_days: "".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_good_form_is_accepted_with_defaults() {
        let checked = check_counterparty(&good());
        let checked = match checked {
            Ok(c) => c,
            Err(problems) => panic!("{problems:?}"),
        };
        assert_eq!(checked.name, "ПАО Сбербанк");
        assert_eq!(checked.payment_deferral_days, DEFAULT_DEFERRAL_DAYS);
        assert_eq!(checked.block_mode, BlockMode::None);
        assert_eq!(checked.credit_limit, None);
        assert_eq!(checked.postal_address, None);
    }

    #[test]
    fn each_bad_field_is_named() {
        type Edit = fn(&mut CounterpartyForm);
        let table: [(Edit, &str, FieldError); 12] = [
            (|f| f.name = " ".into(), "name", FieldError::Required),
            (|f| f.inn = "".into(), "inn", FieldError::Required),
            (
                |f| f.inn = "7707083894".into(),
                "inn",
                FieldError::Requisite(RequisiteError::InnChecksum),
            ),
            (|f| f.kpp = "".into(), "kpp", FieldError::Required),
            (
                |f| f.kpp = "77360100".into(),
                "kpp",
                FieldError::Requisite(RequisiteError::KppFormat),
            ),
            (
                |f| f.ogrn = "1027700132196".into(),
                "ogrn",
                FieldError::Requisite(RequisiteError::OgrnChecksum),
            ),
            (|f| f.bic = "".into(), "bic", FieldError::Required),
            (
                |f| f.bic = "04452522".into(),
                "bic",
                FieldError::Requisite(RequisiteError::BicFormat),
            ),
            (
                |f| f.settlement_account = "40702810038000012345".into(),
                "settlement_account",
                FieldError::Requisite(RequisiteError::SettlementAccountKey),
            ),
            (
                |f| f.correspondent_account = "30101810400000000226".into(),
                "correspondent_account",
                FieldError::Requisite(RequisiteError::CorrespondentAccountKey),
            ),
            (
                |f| f.payment_deferral_days = "400".into(),
                "payment_deferral_days",
                FieldError::OutOfRange { min: 0, max: 365 },
            ),
            (
                |f| f.responsible_manager_id = "abc".into(),
                "responsible_manager_id",
                FieldError::Unknown,
            ),
        ];
        for (edit, field, error) in table {
            let mut form = good();
            edit(&mut form);
            assert_eq!(
                check_counterparty(&form),
                Err(vec![FieldProblem::field(field, error)]),
                "{field}"
            );
        }
    }

    #[test]
    fn an_entrepreneur_has_no_kpp_and_bank_details_may_be_left_out() {
        let form = CounterpartyForm {
            name: "ИП Иванов".into(),
            inn: "500100732259".into(),
            ..Default::default()
        };
        assert!(check_counterparty(&form).is_ok());
        let with_kpp = CounterpartyForm {
            kpp: "773601001".into(),
            ..form
        };
        assert_eq!(
            check_counterparty(&with_kpp),
            Err(vec![FieldProblem::field(
                "kpp",
                FieldError::NotForEntrepreneur
            )])
        );
    }

    #[test]
    fn spaces_in_numbers_are_ignored_and_the_block_reason_kept_only_when_blocked() {
        let form = CounterpartyForm {
            inn: "77 0708 3893".into(),
            settlement_account: "40702 810 9 3800 0012345".into(),
            block_mode: "balance_only".into(),
            block_reason: "Долг по актам".into(),
            credit_limit: "150 000,50".into(),
            ..good()
        };
        let checked = check_counterparty(&form).unwrap();
        assert_eq!(checked.inn, "7707083893");
        assert_eq!(checked.block_mode, BlockMode::BalanceOnly);
        assert_eq!(checked.block_reason.as_deref(), Some("Долг по актам"));
        assert_eq!(checked.credit_limit, Some(Money::from_kopecks(15_000_050)));
        let unblocked = CounterpartyForm {
            block_mode: "none".into(),
            ..form.clone()
        };
        assert_eq!(check_counterparty(&unblocked).unwrap().block_reason, None);
        let bad = CounterpartyForm {
            block_mode: "blocked".into(),
            credit_limit: "-5".into(),
            ..form
        };
        let problems = check_counterparty(&bad).unwrap_err();
        assert_eq!(problems.len(), 2);
        assert!(problems[0].names_field("block_mode"));
        assert!(problems[1].names_field("credit_limit"));
    }

    #[test]
    fn contacts_need_a_name_and_a_way_to_reach_them() {
        assert!(check_contact("Анна", "бухгалтер", "Anna@Romashka.ru", "").is_ok());
        assert_eq!(
            check_contact("Анна", "", "anna@romashka.ru", "")
                .unwrap()
                .email,
            "anna@romashka.ru"
        );
        assert!(check_contact("Анна", "", "", "+7 (495) 123-45-67").is_ok());
        let table = [
            (("", "a@b.ru", ""), "contact_name", FieldError::Required),
            (("Анна", "", ""), "email", FieldError::EmailOrPhone),
            (("Анна", "anna@", ""), "email", FieldError::BadEmail),
            (("Анна", "anna @b.ru", ""), "email", FieldError::BadEmail),
            (("Анна", "", "12-34"), "phone", FieldError::BadPhone),
            (("Анна", "", "+7 495 abc"), "phone", FieldError::BadPhone),
        ];
        for ((name, email, phone), field, error) in table {
            assert_eq!(
                check_contact(name, "", email, phone),
                Err(vec![FieldProblem::field(field, error)]),
                "{name} {email} {phone}"
            );
        }
    }

    #[test]
    fn changes_list_only_what_changed() {
        let old = check_counterparty(&good()).unwrap();
        let mut new = old.clone();
        new.bic = Some("044525974".into());
        new.payment_deferral_days = 30;
        assert_eq!(
            changes(&old, &new),
            vec![
                ("bic", "044525225".to_owned(), "044525974".to_owned()),
                ("payment_deferral_days", "14".to_owned(), "30".to_owned()),
            ]
        );
    }
}
