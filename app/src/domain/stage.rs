//! Stages of a supplier's document, from upload to payment (DESIGN.md).
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentStage {
    Uploaded,
    Review,
    Accounting,
    PaymentPlan,
    Paid,
    Returned,
}

impl DocumentStage {
    /// The order a supplier sees them in.
    pub const ALL: [DocumentStage; 6] = [
        DocumentStage::Uploaded,
        DocumentStage::Review,
        DocumentStage::Accounting,
        DocumentStage::PaymentPlan,
        DocumentStage::Paid,
        DocumentStage::Returned,
    ];

    pub fn code(self) -> &'static str {
        super::pipeline::StageSet::code(self)
    }

    pub fn from_code(code: &str) -> Option<DocumentStage> {
        DocumentStage::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Accepted and not yet paid: the money the supplier is waiting for.
    pub fn awaits_payment(self) -> bool {
        matches!(
            self,
            DocumentStage::Uploaded
                | DocumentStage::Review
                | DocumentStage::Accounting
                | DocumentStage::PaymentPlan
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_payment_wait() {
        let table = [
            (DocumentStage::Uploaded, "uploaded", true),
            (DocumentStage::Review, "review", true),
            (DocumentStage::Accounting, "accounting", true),
            (DocumentStage::PaymentPlan, "payment_plan", true),
            (DocumentStage::Paid, "paid", false),
            (DocumentStage::Returned, "returned", false),
        ];
        for (stage, code, awaits) in table {
            assert_eq!(stage.code(), code);
            assert_eq!(DocumentStage::from_code(code), Some(stage));
            assert_eq!(stage.awaits_payment(), awaits, "{code}");
        }
        assert_eq!(DocumentStage::from_code("archived"), None);
    }
}
