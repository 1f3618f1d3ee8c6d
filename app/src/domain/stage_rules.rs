//! What happens when a supplier document enters a stage: whom to notify, who becomes
//! responsible, what the supplier is told. Each stage has a rule an admin can change; these are
//! the defaults of DESIGN.md and the pure decisions a move takes from a rule.
use serde::{Deserialize, Serialize};

use super::access::Role;
use super::accounts::Letter;
use super::lang::Lang;
use super::stage::DocumentStage;

/// Who becomes responsible for the card on entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Responsible {
    /// Whoever is responsible stays so.
    Keep,
    /// The person who moved the card.
    Mover,
    /// The mover if they have this role, else the first active user who has it.
    Role(Role),
    /// A chosen user.
    User(i32),
}

impl Responsible {
    /// As stored: `keep`, `mover`, `role:accountant`, `user:5`.
    pub fn code(&self) -> String {
        match self {
            Responsible::Keep => "keep".to_owned(),
            Responsible::Mover => "mover".to_owned(),
            Responsible::Role(role) => format!("role:{}", role.code()),
            Responsible::User(id) => format!("user:{id}"),
        }
    }

    pub fn from_code(code: &str) -> Option<Responsible> {
        match code.split_once(':') {
            None if code == "keep" => Some(Responsible::Keep),
            None if code == "mover" => Some(Responsible::Mover),
            Some(("role", role)) => Role::from_code(role)
                .filter(|r| r.is_staff())
                .map(Responsible::Role),
            Some(("user", id)) => id.parse().ok().map(Responsible::User),
            _ => None,
        }
    }
}

/// The rule of one stage.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageRule {
    /// Every active user of this role is notified.
    pub notify_role: Option<Role>,
    /// The card's responsible person (after the rule's assignment) is notified.
    pub notify_responsible: bool,
    pub responsible: Responsible,
    /// Posted to the supplier's thread on the card, in Russian and English; `{comment}` stands
    /// for the mover's comment.
    pub supplier_message_ru: Option<String>,
    pub supplier_message_en: Option<String>,
}

impl StageRule {
    /// Nothing happens on entry: whoever is responsible stays so, nobody is told.
    pub fn keep() -> StageRule {
        StageRule::new(Responsible::Keep)
    }

    fn new(responsible: Responsible) -> StageRule {
        StageRule {
            notify_role: None,
            notify_responsible: false,
            responsible,
            supplier_message_ru: None,
            supplier_message_en: None,
        }
    }

    fn telling(mut self, ru: &str, en: &str) -> StageRule {
        self.supplier_message_ru = Some(ru.to_owned());
        self.supplier_message_en = Some(en.to_owned());
        self
    }
}

/// The rules a new installation starts with (DESIGN.md, "Supplier documents").
pub fn default_rule(stage: DocumentStage) -> StageRule {
    match stage {
        DocumentStage::Uploaded => StageRule::new(Responsible::Keep),
        DocumentStage::Review => StageRule::new(Responsible::Role(Role::Manager)).telling(
            "Ваши документы на проверке у менеджера.",
            "Your documents are under manager review.",
        ),
        DocumentStage::Accounting => StageRule {
            notify_role: Some(Role::Accountant),
            ..StageRule::new(Responsible::Role(Role::Accountant))
        }
        .telling(
            "Ваши документы переданы в бухгалтерию.",
            "Your documents were passed to accounting.",
        ),
        DocumentStage::PaymentPlan => StageRule::new(Responsible::Keep).telling(
            "Ваши документы включены в план оплат.",
            "Your documents are in the payment plan.",
        ),
        DocumentStage::Paid => StageRule {
            notify_responsible: true,
            ..StageRule::new(Responsible::Keep)
        }
        .telling("Ваши документы оплачены.", "Your documents were paid."),
        DocumentStage::Returned => StageRule {
            notify_responsible: true,
            ..StageRule::new(Responsible::Keep)
        }
        .telling(
            "Документы возвращены на доработку: {comment}",
            "Your documents were returned for correction: {comment}",
        ),
    }
}

/// Who is responsible after entering a stage under `rule`. `first_of_role` is the first active
/// user of the rule's role, looked up by the caller.
pub fn responsible_after(
    rule: &Responsible,
    mover: (i32, Role),
    current: Option<i32>,
    first_of_role: Option<i32>,
) -> Option<i32> {
    match rule {
        Responsible::Keep => current,
        Responsible::Mover => Some(mover.0),
        Responsible::Role(role) if mover.1 == *role => Some(mover.0),
        // A supervisor reviewing counts as the reviewing manager.
        Responsible::Role(Role::Manager) if mover.1 == Role::Supervisor => Some(mover.0),
        Responsible::Role(_) => first_of_role.or(current),
        Responsible::User(id) => Some(*id),
    }
}

/// The supplier's message in both languages, the mover's comment put in.
pub fn supplier_message(rule: &StageRule, comment: Option<&str>) -> Option<(String, String)> {
    let fill = |text: &String| text.replace("{comment}", comment.unwrap_or("").trim());
    match (&rule.supplier_message_ru, &rule.supplier_message_en) {
        (Some(ru), Some(en)) => Some((fill(ru), fill(en))),
        (Some(ru), None) => Some((fill(ru), fill(ru))),
        (None, Some(en)) => Some((fill(en), fill(en))),
        (None, None) => None,
    }
}

/// What a staff member is told in the notification centre and by e-mail: the card's kind
/// (`noun`, Russian and English: "Счёт", "Invoice"), number and party, and its stage.
pub fn notification_text(
    lang: Lang,
    (noun_ru, noun_en): (&str, &str),
    number: &str,
    party: &str,
    stage_name: &str,
) -> String {
    let noun = match lang {
        Lang::Ru => noun_ru,
        Lang::En => noun_en,
    };
    if party.is_empty() {
        format!("{noun} {number}: {stage_name}")
    } else {
        format!("{noun} {number} ({party}): {stage_name}")
    }
}

/// The letter a supplier gets of a stage rule's message on a card without a thread (an
/// order): `noun` as in `notification_text`.
pub fn supplier_letter(
    lang: Lang,
    (noun_ru, noun_en): (&str, &str),
    number: &str,
    message: &str,
) -> Letter {
    match lang {
        Lang::Ru => Letter {
            subject: format!("{noun_ru} {number}"),
            body: format!("Здравствуйте!\n\n{noun_ru} {number}: {message}\n\n— Кабинет поставщика"),
        },
        Lang::En => Letter {
            subject: format!("{noun_en} {number}"),
            body: format!("Hello,\n\n{noun_en} {number}: {message}\n\n— Supplier cabinet"),
        },
    }
}

pub fn notification_letter(lang: Lang, text: &str, link: &str) -> Letter {
    match lang {
        Lang::Ru => Letter {
            subject: text.to_owned(),
            body: format!("Здравствуйте!\n\n{text}\n\nКарточка: {link}\n\n— Кабинет поставщика"),
        },
        Lang::En => Letter {
            subject: text.to_owned(),
            body: format!("Hello,\n\n{text}\n\nThe card: {link}\n\n— Supplier cabinet"),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn responsible_codes_round_trip() {
        let table = [
            Responsible::Keep,
            Responsible::Mover,
            Responsible::Role(Role::Accountant),
            Responsible::User(12),
        ];
        for responsible in table {
            assert_eq!(
                Responsible::from_code(&responsible.code()),
                Some(responsible)
            );
        }
        for bad in ["", "role:supplier", "role:root", "user:x", "boss"] {
            assert_eq!(Responsible::from_code(bad), None, "{bad}");
        }
    }

    #[test]
    fn who_is_responsible_after_entry() {
        let accountant = (4, Role::Accountant);
        let manager = (2, Role::Manager);
        let supervisor = (3, Role::Supervisor);
        let table = [
            // rule, mover, current, first of role, expected
            (Responsible::Keep, manager, Some(9), Some(4), Some(9)),
            (Responsible::Keep, manager, None, Some(4), None),
            (Responsible::Mover, manager, Some(9), None, Some(2)),
            (
                Responsible::Role(Role::Accountant),
                accountant,
                Some(2),
                Some(8),
                Some(4),
            ),
            (
                Responsible::Role(Role::Accountant),
                manager,
                Some(2),
                Some(8),
                Some(8),
            ),
            (
                Responsible::Role(Role::Accountant),
                manager,
                Some(2),
                None,
                Some(2),
            ),
            (
                Responsible::Role(Role::Manager),
                supervisor,
                None,
                Some(2),
                Some(3),
            ),
            (
                Responsible::Role(Role::Manager),
                accountant,
                None,
                Some(2),
                Some(2),
            ),
            (Responsible::User(7), manager, Some(2), None, Some(7)),
        ];
        for (rule, mover, current, first, expected) in table {
            assert_eq!(
                responsible_after(&rule, mover, current, first),
                expected,
                "{rule:?} by {mover:?}"
            );
        }
    }

    #[test]
    fn defaults_follow_the_design() {
        let accounting = default_rule(DocumentStage::Accounting);
        assert_eq!(accounting.notify_role, Some(Role::Accountant));
        assert_eq!(accounting.responsible, Responsible::Role(Role::Accountant));
        assert_eq!(
            supplier_message(&accounting, None),
            Some((
                "Ваши документы переданы в бухгалтерию.".to_owned(),
                "Your documents were passed to accounting.".to_owned()
            ))
        );
        let returned = default_rule(DocumentStage::Returned);
        assert_eq!(
            supplier_message(&returned, Some(" Нет подписи ")).map(|m| m.0),
            Some("Документы возвращены на доработку: Нет подписи".to_owned())
        );
        assert_eq!(
            supplier_message(&default_rule(DocumentStage::Uploaded), None),
            None
        );
    }
}
