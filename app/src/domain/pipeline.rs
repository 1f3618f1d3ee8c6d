//! The pipelines staff boards show (supplier documents, deals, supplier orders), each declared
//! once: its stages, where its pages are, what entering a stage asks for. Boards, moves, stage
//! rules and the change feed read these declarations; none of them matches on the pipeline.
use serde::{Deserialize, Serialize};

use super::access::Role;
use super::deals::{DealStage, OrderStage};
use super::form::FieldProblem;
use super::moves::MoveField;
use super::payments::PaymentStage;
use super::stage::DocumentStage;
use super::stage_rules::StageRule;

/// A board staff work; one board component and one engine serve each. On the wire it is its
/// code (`Pipeline::code`), the same as in its stage and change-feed rows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Pipeline {
    #[default]
    #[serde(rename = "supplier_documents")]
    Documents,
    #[serde(rename = "deals")]
    Deals,
    #[serde(rename = "supplier_orders")]
    Orders,
    #[serde(rename = "payment_requests")]
    Payments,
}

/// What a pipeline is, as data.
pub struct PipelineInfo {
    /// The `pipeline` of its stage rows and change-feed rows.
    pub code: &'static str,
    pub board_path: &'static str,
    /// Its card pages are `{card_base}/{id}`.
    pub card_base: &'static str,
    /// Where the "Move to…" plain form posts.
    pub move_endpoint: &'static str,
    /// Its cards belong to a supplier, whom a stage rule may tell of a move.
    pub has_supplier: bool,
    /// The audit lines a move and an assignment write.
    pub moved_action: &'static str,
    pub assigned_action: &'static str,
    /// A card's kind in the notification staff get: "Счёт", "Invoice".
    pub card_noun: (&'static str, &'static str),
    stage_codes: fn() -> Vec<&'static str>,
    staff_can_enter: fn(&str) -> bool,
    fields_on_entry: fn(&str) -> &'static [MoveField],
    default_rule: fn(&str) -> StageRule,
}

/// Every stage of every pipeline, as its code travels (the board's columns, cards, moves) and
/// is stored (`stages.code`). One pipeline's stages are a subset (`StageSet`); a stage of the
/// same meaning in two pipelines ("paid") is one code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StageCode {
    Uploaded,
    Review,
    Accounting,
    PaymentPlan,
    Paid,
    Returned,
    New,
    Proposal,
    Agreed,
    Implementation,
    Done,
    Lost,
    Draft,
    Placed,
    Confirmed,
    Delivered,
    ClosingDocs,
    Approval,
    Rework,
}

impl StageCode {
    pub const ALL: [StageCode; 19] = [
        StageCode::Uploaded,
        StageCode::Review,
        StageCode::Accounting,
        StageCode::PaymentPlan,
        StageCode::Paid,
        StageCode::Returned,
        StageCode::New,
        StageCode::Proposal,
        StageCode::Agreed,
        StageCode::Implementation,
        StageCode::Done,
        StageCode::Lost,
        StageCode::Draft,
        StageCode::Placed,
        StageCode::Confirmed,
        StageCode::Delivered,
        StageCode::ClosingDocs,
        StageCode::Approval,
        StageCode::Rework,
    ];

    pub fn code(self) -> &'static str {
        match self {
            StageCode::Uploaded => "uploaded",
            StageCode::Review => "review",
            StageCode::Accounting => "accounting",
            StageCode::PaymentPlan => "payment_plan",
            StageCode::Paid => "paid",
            StageCode::Returned => "returned",
            StageCode::New => "new",
            StageCode::Proposal => "proposal",
            StageCode::Agreed => "agreed",
            StageCode::Implementation => "implementation",
            StageCode::Done => "done",
            StageCode::Lost => "lost",
            StageCode::Draft => "draft",
            StageCode::Placed => "placed",
            StageCode::Confirmed => "confirmed",
            StageCode::Delivered => "delivered",
            StageCode::ClosingDocs => "closing_docs",
            StageCode::Approval => "approval",
            StageCode::Rework => "rework",
        }
    }

    pub fn from_code(code: &str) -> Option<StageCode> {
        StageCode::ALL.into_iter().find(|s| s.code() == code)
    }
}

impl StageCode {
    /// The code, as `str`'s own spelling has it.
    pub fn as_str(self) -> &'static str {
        self.code()
    }
}

/// A stage code reads as its text wherever text is wanted (`&code` is a `&str`).
impl std::ops::Deref for StageCode {
    type Target = str;

    fn deref(&self) -> &str {
        self.code()
    }
}

impl PartialEq<&str> for StageCode {
    fn eq(&self, other: &&str) -> bool {
        self.code() == *other
    }
}

impl PartialEq<str> for StageCode {
    fn eq(&self, other: &str) -> bool {
        self.code() == other
    }
}

impl std::fmt::Display for StageCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

impl std::str::FromStr for StageCode {
    type Err = super::form::FieldError;

    fn from_str(code: &str) -> Result<StageCode, Self::Err> {
        StageCode::from_code(code).ok_or(super::form::FieldError::Unknown)
    }
}

/// The stages of one pipeline: a closed set of `StageCode`s, in board order.
pub trait StageSet: Copy + Eq + std::fmt::Debug + Send + Sync + 'static {
    const ALL: &'static [Self];

    fn stage_code(self) -> StageCode;

    fn code(self) -> &'static str {
        self.stage_code().code()
    }

    fn from_stage_code(code: StageCode) -> Option<Self> {
        Self::ALL.iter().copied().find(|s| s.stage_code() == code)
    }

    fn from_code(code: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|s| s.code() == code)
    }

    /// What a move into this stage asks the mover for.
    fn fields_on_entry(self) -> &'static [MoveField] {
        &[]
    }

    /// Whether staff may move a card into it at all.
    fn staff_can_enter(self) -> bool {
        true
    }

    /// The rule a new installation starts with.
    fn default_rule(self) -> StageRule {
        StageRule::keep()
    }
}

fn codes<S: StageSet>() -> Vec<&'static str> {
    S::ALL.iter().map(|s| s.code()).collect()
}

fn can_enter<S: StageSet>(code: &str) -> bool {
    S::from_code(code).is_some_and(S::staff_can_enter)
}

fn fields<S: StageSet>(code: &str) -> &'static [MoveField] {
    S::from_code(code).map(S::fields_on_entry).unwrap_or(&[])
}

fn default_rule_of<S: StageSet>(code: &str) -> StageRule {
    S::from_code(code)
        .map(S::default_rule)
        .unwrap_or_else(StageRule::keep)
}

const DOCUMENTS: PipelineInfo = PipelineInfo {
    code: "supplier_documents",
    board_path: "/staff/board",
    card_base: "/staff/documents",
    move_endpoint: "/api/staff/move_document",
    has_supplier: true,
    moved_action: "document_moved",
    assigned_action: "document_assigned",
    card_noun: ("Счёт", "Invoice"),
    stage_codes: codes::<DocumentStage>,
    staff_can_enter: can_enter::<DocumentStage>,
    fields_on_entry: fields::<DocumentStage>,
    default_rule: default_rule_of::<DocumentStage>,
};

const DEALS: PipelineInfo = PipelineInfo {
    code: super::deals::DEALS_PIPELINE,
    board_path: "/staff/deals",
    card_base: "/staff/deals",
    move_endpoint: "/api/staff/move_deal",
    has_supplier: false,
    moved_action: "deal.move",
    assigned_action: "deal.assign",
    card_noun: ("Сделка", "Deal"),
    stage_codes: codes::<DealStage>,
    staff_can_enter: can_enter::<DealStage>,
    fields_on_entry: fields::<DealStage>,
    default_rule: default_rule_of::<DealStage>,
};

const ORDERS: PipelineInfo = PipelineInfo {
    code: super::deals::ORDERS_PIPELINE,
    board_path: "/staff/orders",
    card_base: "/staff/orders",
    move_endpoint: "/api/staff/move_order",
    has_supplier: true,
    moved_action: "order.move",
    assigned_action: "order.assign",
    card_noun: ("Заказ", "Order"),
    stage_codes: codes::<OrderStage>,
    staff_can_enter: can_enter::<OrderStage>,
    fields_on_entry: fields::<OrderStage>,
    default_rule: default_rule_of::<OrderStage>,
};

const PAYMENTS: PipelineInfo = PipelineInfo {
    code: super::payments::PAYMENTS_PIPELINE,
    board_path: "/staff/payments",
    card_base: "/staff/payments",
    move_endpoint: "/api/staff/move_payment",
    // A request names a counterparty, but it is staff's: the supplier sees only payments made.
    has_supplier: false,
    moved_action: "payment.move",
    assigned_action: "payment.assign",
    card_noun: ("Заявка на оплату", "Payment request"),
    stage_codes: codes::<PaymentStage>,
    staff_can_enter: can_enter::<PaymentStage>,
    fields_on_entry: fields::<PaymentStage>,
    default_rule: default_rule_of::<PaymentStage>,
};

impl Pipeline {
    pub const ALL: [Pipeline; 4] = [
        Pipeline::Documents,
        Pipeline::Deals,
        Pipeline::Orders,
        Pipeline::Payments,
    ];

    /// The declaration; the one place that names every pipeline.
    pub fn info(self) -> &'static PipelineInfo {
        match self {
            Pipeline::Documents => &DOCUMENTS,
            Pipeline::Deals => &DEALS,
            Pipeline::Orders => &ORDERS,
            Pipeline::Payments => &PAYMENTS,
        }
    }

    /// The pipeline of stage rows and change-feed rows coded `code`.
    pub fn from_code(code: &str) -> Option<Pipeline> {
        Pipeline::ALL.into_iter().find(|p| p.code() == code)
    }

    pub fn code(self) -> &'static str {
        self.info().code
    }

    pub fn board_path(self) -> &'static str {
        self.info().board_path
    }

    pub fn card_path(self, id: i32) -> String {
        format!("{}/{id}", self.info().card_base)
    }

    pub fn move_endpoint(self) -> &'static str {
        self.info().move_endpoint
    }

    pub fn has_supplier(self) -> bool {
        self.info().has_supplier
    }

    /// Its stage codes in board order.
    pub fn stage_codes(self) -> Vec<&'static str> {
        (self.info().stage_codes)()
    }

    /// Whether staff may move a card into stage `code` at all.
    pub fn staff_can_enter(self, code: &str) -> bool {
        (self.info().staff_can_enter)(code)
    }

    /// What entering stage `code` asks the mover for.
    pub fn fields_on_entry(self, code: &str) -> &'static [MoveField] {
        (self.info().fields_on_entry)(code)
    }

    /// The rule stage `code` starts with.
    pub fn default_rule(self, code: &str) -> StageRule {
        (self.info().default_rule)(code)
    }
}

/// What changed on a card, as the change feed stores it and live pages hear it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    Uploaded,
    Moved,
    Message,
    Assigned,
    Files,
}

impl ChangeKind {
    pub const ALL: [ChangeKind; 5] = [
        ChangeKind::Uploaded,
        ChangeKind::Moved,
        ChangeKind::Message,
        ChangeKind::Assigned,
        ChangeKind::Files,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ChangeKind::Uploaded => "uploaded",
            ChangeKind::Moved => "moved",
            ChangeKind::Message => "message",
            ChangeKind::Assigned => "assigned",
            ChangeKind::Files => "files",
        }
    }

    pub fn from_code(code: &str) -> Option<ChangeKind> {
        ChangeKind::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// Why a move was refused before anything was written.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MoveError {
    #[error("only staff move cards")]
    NotStaff,
    #[error("the card is already in this stage")]
    SameStage,
    #[error("a document enters this stage only by the supplier's upload")]
    SupplierOnlyStage,
    #[error("the stage needs more data")]
    Missing(Vec<FieldProblem>),
    /// The pipeline has no such move (a payment request goes from draft to approval only).
    #[error("a card does not go this way")]
    NotThisWay,
    /// The move is someone else's to make (another approver's step, accounting's payment).
    #[error("this move is not yours to make")]
    NotYours,
}

/// What every move checks before its pipeline's own entry rule.
pub fn check_mover<S: StageSet>(role: Role, from: S, to: S) -> Result<(), MoveError> {
    if !role.is_staff() {
        return Err(MoveError::NotStaff);
    }
    if from == to {
        return Err(MoveError::SameStage);
    }
    if !to.staff_can_enter() {
        return Err(MoveError::SupplierOnlyStage);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_pipeline_is_declared_once_with_its_own_codes_and_pages() {
        let table = [
            (
                Pipeline::Documents,
                "supplier_documents",
                "/staff/board",
                "/staff/documents/7",
                true,
                6,
            ),
            (
                Pipeline::Deals,
                "deals",
                "/staff/deals",
                "/staff/deals/7",
                false,
                6,
            ),
            (
                Pipeline::Orders,
                "supplier_orders",
                "/staff/orders",
                "/staff/orders/7",
                true,
                6,
            ),
            (
                Pipeline::Payments,
                "payment_requests",
                "/staff/payments",
                "/staff/payments/7",
                false,
                5,
            ),
        ];
        for (pipeline, code, board, card, supplier, stages) in table {
            assert_eq!(pipeline.code(), code);
            assert_eq!(
                serde_json::to_string(&pipeline).ok(),
                Some(format!("\"{code}\""))
            );
            assert_eq!(Pipeline::from_code(code), Some(pipeline));
            assert_eq!(pipeline.board_path(), board);
            assert_eq!(pipeline.card_path(7), card);
            assert_eq!(pipeline.has_supplier(), supplier);
            assert_eq!(pipeline.stage_codes().len(), stages, "{pipeline:?}");
        }
        assert_eq!(Pipeline::from_code("payments"), None);
    }

    #[test]
    fn what_entering_a_stage_asks_for_comes_from_the_stage_set() {
        let table = [
            (Pipeline::Documents, "uploaded", false, 0),
            (Pipeline::Documents, "payment_plan", true, 1),
            (Pipeline::Documents, "returned", true, 1),
            (Pipeline::Deals, "implementation", true, 0),
            (Pipeline::Orders, "delivered", true, 1),
            (Pipeline::Orders, "draft", true, 0),
            (Pipeline::Orders, "nonsense", false, 0),
            (Pipeline::Payments, "draft", false, 0),
            (Pipeline::Payments, "rework", true, 1),
            (Pipeline::Payments, "paid", true, 1),
        ];
        for (pipeline, code, enters, fields) in table {
            assert_eq!(
                pipeline.staff_can_enter(code),
                enters,
                "{pipeline:?} {code}"
            );
            assert_eq!(
                pipeline.fields_on_entry(code).len(),
                fields,
                "{pipeline:?} {code}"
            );
        }
    }

    #[test]
    fn stage_codes_round_trip_and_every_pipeline_stage_has_one() {
        for code in StageCode::ALL {
            assert_eq!(StageCode::from_code(code.code()), Some(code));
            assert_eq!(code.to_string().parse::<StageCode>(), Ok(code));
            assert_eq!(
                serde_json::to_string(&code).ok(),
                Some(format!("\"{code}\""))
            );
        }
        assert_eq!(
            "archived".parse::<StageCode>(),
            Err(super::super::form::FieldError::Unknown)
        );
        for pipeline in Pipeline::ALL {
            for code in pipeline.stage_codes() {
                assert!(StageCode::from_code(code).is_some(), "{pipeline:?} {code}");
            }
        }
        assert_eq!(
            DocumentStage::from_stage_code(StageCode::Paid),
            Some(DocumentStage::Paid)
        );
        assert_eq!(
            OrderStage::from_stage_code(StageCode::Paid),
            Some(OrderStage::Paid)
        );
        assert_eq!(DealStage::from_stage_code(StageCode::Paid), None);
    }

    #[test]
    fn change_kinds_round_trip() {
        for kind in ChangeKind::ALL {
            assert_eq!(ChangeKind::from_code(kind.code()), Some(kind));
            assert_eq!(
                serde_json::to_string(&kind).ok(),
                Some(format!("\"{}\"", kind.code()))
            );
        }
        assert_eq!(ChangeKind::from_code("deleted"), None);
    }

    #[test]
    fn the_common_move_checks() {
        use DocumentStage::*;
        let table = [
            (Role::Manager, Review, Accounting, Ok(())),
            (Role::Supplier, Review, Accounting, Err(MoveError::NotStaff)),
            (Role::Manager, Review, Review, Err(MoveError::SameStage)),
            (
                Role::Manager,
                Review,
                Uploaded,
                Err(MoveError::SupplierOnlyStage),
            ),
        ];
        for (role, from, to, expected) in table {
            assert_eq!(check_mover(role, from, to), expected, "{role:?} {from:?}");
        }
        assert_eq!(
            check_mover(Role::Manager, DealStage::New, DealStage::Lost),
            Ok(())
        );
    }
}
