//! Moving a supplier document between stages: who may, and what each stage requires on entry
//! (DESIGN.md, "Supplier documents"). Checked on the server for every move, whatever the
//! client sent.
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::access::Role;
use super::form::{FieldError, FieldProblem, past_date, required_date};
use super::stage::DocumentStage;

pub const MAX_RETURN_COMMENT_CHARS: usize = 2000;

/// What a move may carry, as sent: every field any pipeline's stage asks for (`MoveField`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MoveRequest {
    pub planned_payment_date: Option<String>,
    pub paid_date: Option<String>,
    pub comment: Option<String>,
    /// Supplier orders: the actual delivery date, the closing documents' date.
    pub delivered_on: Option<String>,
    pub closing_documents_on: Option<String>,
}

/// The checked effect of entering a stage.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StageEntry {
    pub planned_payment_date: Option<NaiveDate>,
    pub paid_date: Option<NaiveDate>,
    /// Shown to the supplier while the document is returned.
    pub return_comment: Option<String>,
}

/// A field a move into a stage asks for (the board's dialog shows these).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum MoveField {
    PlannedPaymentDate,
    PaidDate,
    Comment,
    /// Supplier orders: the actual delivery date, the closing documents' date.
    DeliveredOn,
    ClosingDocumentsOn,
}

impl MoveField {
    /// The form field's name.
    pub fn name(self) -> &'static str {
        match self {
            MoveField::PlannedPaymentDate => "planned_payment_date",
            MoveField::PaidDate => "paid_date",
            MoveField::Comment => "comment",
            MoveField::DeliveredOn => "delivered_on",
            MoveField::ClosingDocumentsOn => "closing_documents_on",
        }
    }
}

/// What entering `to` needs from the mover; empty when a drop alone does it.
pub fn fields_on_entry(to: DocumentStage) -> &'static [MoveField] {
    match to {
        DocumentStage::PaymentPlan => &[MoveField::PlannedPaymentDate],
        DocumentStage::Paid => &[MoveField::PaidDate],
        DocumentStage::Returned => &[MoveField::Comment],
        DocumentStage::Uploaded | DocumentStage::Review | DocumentStage::Accounting => &[],
    }
}

/// Whether staff can move a card into `to` at all (only an upload puts it in "uploaded").
pub fn staff_can_enter(to: DocumentStage) -> bool {
    to != DocumentStage::Uploaded
}

impl super::pipeline::StageSet for DocumentStage {
    const ALL: &'static [DocumentStage] = &DocumentStage::ALL;

    fn stage_code(self) -> super::pipeline::StageCode {
        use super::pipeline::StageCode;
        match self {
            DocumentStage::Uploaded => StageCode::Uploaded,
            DocumentStage::Review => StageCode::Review,
            DocumentStage::Accounting => StageCode::Accounting,
            DocumentStage::PaymentPlan => StageCode::PaymentPlan,
            DocumentStage::Paid => StageCode::Paid,
            DocumentStage::Returned => StageCode::Returned,
        }
    }

    fn fields_on_entry(self) -> &'static [MoveField] {
        fields_on_entry(self)
    }

    fn staff_can_enter(self) -> bool {
        staff_can_enter(self)
    }

    fn default_rule(self) -> super::stage_rules::StageRule {
        super::stage_rules::default_rule(self)
    }
}

pub use super::pipeline::MoveError;

/// Whether `role` may move a card from `from` to `to` with `request`, and what entering `to`
/// sets. `today` bounds the payment date (a payment is not recorded ahead of time).
pub fn check_move(
    role: Role,
    from: DocumentStage,
    to: DocumentStage,
    request: &MoveRequest,
    today: NaiveDate,
) -> Result<StageEntry, MoveError> {
    super::pipeline::check_mover(role, from, to)?;
    let missing = |problem: FieldProblem| MoveError::Missing(vec![problem]);
    let mut entry = StageEntry::default();
    match to {
        DocumentStage::Uploaded => return Err(MoveError::SupplierOnlyStage),
        // Who becomes responsible is the stage's rule (`stage_rules`).
        DocumentStage::Review | DocumentStage::Accounting => {}
        DocumentStage::PaymentPlan => {
            entry.planned_payment_date = Some(
                required_date(
                    request.planned_payment_date.as_deref(),
                    "planned_payment_date",
                )
                .map_err(missing)?,
            );
        }
        DocumentStage::Paid => {
            entry.paid_date =
                Some(past_date(request.paid_date.as_deref(), "paid_date", today).map_err(missing)?);
        }
        DocumentStage::Returned => {
            let comment = request
                .comment
                .as_deref()
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .ok_or(missing(FieldProblem::field(
                    "comment",
                    FieldError::Required,
                )))?;
            if comment.chars().count() > MAX_RETURN_COMMENT_CHARS {
                return Err(missing(FieldProblem::field(
                    "comment",
                    FieldError::TooLong(MAX_RETURN_COMMENT_CHARS),
                )));
            }
            entry.return_comment = Some(comment.to_owned());
        }
    }
    Ok(entry)
}

#[cfg(test)]
mod tests {
    use super::*;
    use DocumentStage::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
    }

    fn request(planned: Option<&str>, paid: Option<&str>, comment: Option<&str>) -> MoveRequest {
        MoveRequest {
            planned_payment_date: planned.map(str::to_owned),
            paid_date: paid.map(str::to_owned),
            comment: comment.map(str::to_owned),
            ..Default::default()
        }
    }

    /// Who moves, from, to, with what, and the verdict.
    type Case = (
        Role,
        DocumentStage,
        DocumentStage,
        MoveRequest,
        Result<StageEntry, MoveError>,
    );

    #[test]
    fn fields_each_stage_asks_for() {
        use MoveField::*;
        let table: [(DocumentStage, &[MoveField], bool); 6] = [
            (Uploaded, &[], false),
            (Review, &[], true),
            (Accounting, &[], true),
            (PaymentPlan, &[PlannedPaymentDate], true),
            (Paid, &[PaidDate], true),
            (Returned, &[Comment], true),
        ];
        for (stage, fields, staff) in table {
            assert_eq!(fields_on_entry(stage), fields, "{stage:?}");
            assert_eq!(staff_can_enter(stage), staff, "{stage:?}");
            // A move with nothing filled in fails exactly when the stage asks for a field.
            if staff {
                let from = if stage == Review { Accounting } else { Review };
                let verdict = check_move(
                    Role::Accountant,
                    from,
                    stage,
                    &MoveRequest::default(),
                    today(),
                );
                assert_eq!(verdict.is_err(), !fields.is_empty(), "{stage:?}");
            }
        }
    }

    /// Every (from, to) pair of the pipeline, by staff with every field filled in: allowed
    /// unless it stays put or enters the supplier-only stage.
    #[test]
    fn every_transition_of_the_pipeline() {
        let full = request(Some("2026-12-01"), Some("2026-11-20"), Some("Нет печати"));
        for from in DocumentStage::ALL {
            for to in DocumentStage::ALL {
                let verdict = check_move(Role::Manager, from, to, &full, today());
                let expected = if from == to {
                    Err(MoveError::SameStage)
                } else if to == Uploaded {
                    Err(MoveError::SupplierOnlyStage)
                } else {
                    Ok(StageEntry {
                        planned_payment_date: (to == PaymentPlan)
                            .then(|| NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()),
                        paid_date: (to == Paid)
                            .then(|| NaiveDate::from_ymd_opt(2026, 11, 20).unwrap()),
                        return_comment: (to == Returned).then(|| "Нет печати".to_owned()),
                    })
                };
                assert_eq!(verdict, expected, "{from:?} -> {to:?}");
                assert_eq!(
                    check_move(Role::Supplier, from, to, &full, today()),
                    Err(MoveError::NotStaff),
                    "supplier {from:?} -> {to:?}"
                );
            }
        }
    }

    #[test]
    fn every_stage_entry_rule() {
        let none = request(None, None, None);
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let problem = |field: &str, error: FieldError| {
            Err(MoveError::Missing(vec![FieldProblem::field(field, error)]))
        };
        let table: Vec<Case> = vec![
            (
                Role::Supplier,
                Uploaded,
                Review,
                none.clone(),
                Err(MoveError::NotStaff),
            ),
            (
                Role::Manager,
                Review,
                Review,
                none.clone(),
                Err(MoveError::SameStage),
            ),
            (
                Role::Manager,
                Returned,
                Uploaded,
                none.clone(),
                Err(MoveError::SupplierOnlyStage),
            ),
            (
                Role::Manager,
                Uploaded,
                Review,
                none.clone(),
                Ok(StageEntry::default()),
            ),
            (
                Role::Admin,
                Uploaded,
                Review,
                none.clone(),
                Ok(StageEntry::default()),
            ),
            (
                Role::Accountant,
                Review,
                Accounting,
                none.clone(),
                Ok(StageEntry::default()),
            ),
            (
                Role::Manager,
                Review,
                Accounting,
                none.clone(),
                Ok(StageEntry::default()),
            ),
            (
                Role::Accountant,
                Accounting,
                PaymentPlan,
                none.clone(),
                problem("planned_payment_date", FieldError::Required),
            ),
            (
                Role::Accountant,
                Accounting,
                PaymentPlan,
                request(Some("30.11.2026"), None, None),
                problem("planned_payment_date", FieldError::BadDate),
            ),
            (
                Role::Accountant,
                Accounting,
                PaymentPlan,
                request(Some("2026-11-30"), None, None),
                Ok(StageEntry {
                    planned_payment_date: Some(d("2026-11-30")),
                    ..Default::default()
                }),
            ),
            (
                Role::Accountant,
                PaymentPlan,
                Paid,
                none.clone(),
                problem("paid_date", FieldError::Required),
            ),
            (
                Role::Accountant,
                PaymentPlan,
                Paid,
                request(None, Some("2026-11-24"), None),
                problem("paid_date", FieldError::FutureDate),
            ),
            (
                Role::Accountant,
                PaymentPlan,
                Paid,
                request(None, Some("2026-11-23"), None),
                Ok(StageEntry {
                    paid_date: Some(d("2026-11-23")),
                    ..Default::default()
                }),
            ),
            (
                Role::Manager,
                Review,
                Returned,
                request(None, None, Some("  ")),
                problem("comment", FieldError::Required),
            ),
            (
                Role::Manager,
                Review,
                Returned,
                request(None, None, Some(&"я".repeat(2001))),
                problem("comment", FieldError::TooLong(2000)),
            ),
            (
                Role::Manager,
                Review,
                Returned,
                request(None, None, Some(" Нет подписи ")),
                Ok(StageEntry {
                    return_comment: Some("Нет подписи".into()),
                    ..Default::default()
                }),
            ),
        ];
        for (role, from, to, request, expected) in table {
            assert_eq!(
                check_move(role, from, to, &request, today()),
                expected,
                "{role:?} {from:?} -> {to:?}"
            );
        }
    }
}
