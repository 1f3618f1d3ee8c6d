//! Deals and supplier orders (DESIGN.md, "Deals and supplier orders"): their stages, what
//! entering each stage needs, and the checks of what staff type for a deal, contract,
//! specification and order.
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::access::Role;
use super::deadlines::{DeferralBase, MAX_DEFERRAL_DAYS};
use super::form::{FieldError, FieldProblem, optional_date, past_date, required_date};
use super::money::{Money, MoneyError};
use super::moves::MoveField;
use super::upload::VatRate;

pub const DEALS_PIPELINE: &str = "deals";
pub const ORDERS_PIPELINE: &str = "supplier_orders";
pub const MAX_TITLE_CHARS: usize = 200;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DealStage {
    New,
    Proposal,
    Agreed,
    Implementation,
    Done,
    Lost,
}

impl DealStage {
    pub const ALL: [DealStage; 6] = [
        DealStage::New,
        DealStage::Proposal,
        DealStage::Agreed,
        DealStage::Implementation,
        DealStage::Done,
        DealStage::Lost,
    ];

    pub fn code(self) -> &'static str {
        super::pipeline::StageSet::code(self)
    }

    pub fn from_code(code: &str) -> Option<DealStage> {
        DealStage::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Entering it for the first time numbers the deal and makes its back-office tasks.
    pub fn numbers_the_deal(self) -> bool {
        self == DealStage::Implementation
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderStage {
    Draft,
    Placed,
    Confirmed,
    Delivered,
    ClosingDocs,
    Paid,
}

impl OrderStage {
    pub const ALL: [OrderStage; 6] = [
        OrderStage::Draft,
        OrderStage::Placed,
        OrderStage::Confirmed,
        OrderStage::Delivered,
        OrderStage::ClosingDocs,
        OrderStage::Paid,
    ];

    pub fn code(self) -> &'static str {
        super::pipeline::StageSet::code(self)
    }

    pub fn from_code(code: &str) -> Option<OrderStage> {
        OrderStage::ALL.into_iter().find(|s| s.code() == code)
    }

    /// What a move into this stage asks for (the board's dialog shows these).
    pub fn fields_on_entry(self) -> &'static [MoveField] {
        match self {
            OrderStage::Delivered => &[MoveField::DeliveredOn],
            OrderStage::ClosingDocs => &[MoveField::ClosingDocumentsOn],
            OrderStage::Paid => &[MoveField::PaidDate],
            OrderStage::Draft | OrderStage::Placed | OrderStage::Confirmed => &[],
        }
    }
}

impl super::pipeline::StageSet for DealStage {
    const ALL: &'static [DealStage] = &DealStage::ALL;

    fn stage_code(self) -> super::pipeline::StageCode {
        use super::pipeline::StageCode;
        match self {
            DealStage::New => StageCode::New,
            DealStage::Proposal => StageCode::Proposal,
            DealStage::Agreed => StageCode::Agreed,
            DealStage::Implementation => StageCode::Implementation,
            DealStage::Done => StageCode::Done,
            DealStage::Lost => StageCode::Lost,
        }
    }
}

impl super::pipeline::StageSet for OrderStage {
    const ALL: &'static [OrderStage] = &OrderStage::ALL;

    fn stage_code(self) -> super::pipeline::StageCode {
        use super::pipeline::StageCode;
        match self {
            OrderStage::Draft => StageCode::Draft,
            OrderStage::Placed => StageCode::Placed,
            OrderStage::Confirmed => StageCode::Confirmed,
            OrderStage::Delivered => StageCode::Delivered,
            OrderStage::ClosingDocs => StageCode::ClosingDocs,
            OrderStage::Paid => StageCode::Paid,
        }
    }

    fn fields_on_entry(self) -> &'static [MoveField] {
        OrderStage::fields_on_entry(self)
    }
}

/// The dates a supplier-order move carries, as sent.
pub type OrderMoveRequest = super::moves::MoveRequest;

/// The checked effect of a supplier order entering a stage: dates it sets.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OrderEntry {
    pub delivered_on: Option<NaiveDate>,
    pub closing_documents_on: Option<NaiveDate>,
    pub paid_on: Option<NaiveDate>,
}

pub type PipelineMoveError = super::pipeline::MoveError;

/// Whether `role` may move a deal from `from` to `to`. Deals need nothing on entry; entering
/// implementation numbers them (in the move's transaction, not here).
pub fn check_deal_move(
    role: Role,
    from: DealStage,
    to: DealStage,
) -> Result<(), PipelineMoveError> {
    super::pipeline::check_mover(role, from, to)
}

/// Whether `role` may move a supplier order from `from` to `to` with `request`, and the dates
/// entering `to` sets. Dates that happened (delivery, closing documents, payment) cannot be in
/// the future.
pub fn check_order_move(
    role: Role,
    from: OrderStage,
    to: OrderStage,
    request: &OrderMoveRequest,
    today: NaiveDate,
) -> Result<OrderEntry, PipelineMoveError> {
    super::pipeline::check_mover(role, from, to)?;
    let missing = |problem| PipelineMoveError::Missing(vec![problem]);
    let mut entry = OrderEntry::default();
    match to {
        OrderStage::Delivered => {
            entry.delivered_on = Some(
                past_date(request.delivered_on.as_deref(), "delivered_on", today)
                    .map_err(missing)?,
            );
        }
        OrderStage::ClosingDocs => {
            entry.closing_documents_on = Some(
                past_date(
                    request.closing_documents_on.as_deref(),
                    "closing_documents_on",
                    today,
                )
                .map_err(missing)?,
            );
        }
        OrderStage::Paid => {
            entry.paid_on =
                Some(past_date(request.paid_date.as_deref(), "paid_date", today).map_err(missing)?);
        }
        OrderStage::Draft | OrderStage::Placed | OrderStage::Confirmed => {}
    }
    Ok(entry)
}

fn required_text(value: &str, field: &str, max: usize) -> Result<String, FieldProblem> {
    let value = value.trim();
    if value.is_empty() {
        return Err(FieldProblem::field(field, FieldError::Required));
    }
    if value.chars().count() > max {
        return Err(FieldProblem::field(field, FieldError::TooLong(max)));
    }
    Ok(value.to_owned())
}

fn amount(value: &str, field: &str, maximum: Money) -> Result<Money, FieldProblem> {
    let money = Money::parse_at_most(value, maximum)
        .map_err(|e| FieldProblem::field(field, FieldError::Amount(e)))?;
    if money.kopecks() <= 0 {
        return Err(FieldProblem::field(field, FieldError::ZeroAmount));
    }
    Ok(money)
}

/// Collects every field's problem, not only the first.
fn gather<T>(result: Result<T, FieldProblem>, problems: &mut Vec<FieldProblem>) -> Option<T> {
    result.map_err(|p| problems.push(p)).ok()
}

/// A deal as staff typed it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawDeal {
    pub title: String,
    pub customer: String,
    pub amount: String,
    pub responsible: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DealFields {
    pub title: String,
    pub customer: String,
    pub amount: Money,
    pub responsible_user_id: Option<i32>,
}

/// `maximum`: the most one amount may be (the company's setting).
pub fn check_deal(raw: &RawDeal, maximum: Money) -> Result<DealFields, Vec<FieldProblem>> {
    let mut problems = Vec::new();
    let title = gather(
        required_text(&raw.title, "title", MAX_TITLE_CHARS),
        &mut problems,
    );
    let customer = gather(
        required_text(&raw.customer, "customer", MAX_TITLE_CHARS),
        &mut problems,
    );
    let amount = gather(amount(&raw.amount, "amount", maximum), &mut problems);
    let responsible = gather(
        optional_id(raw.responsible.as_deref(), "responsible"),
        &mut problems,
    );
    match (title, customer, amount, responsible) {
        (Some(title), Some(customer), Some(amount), Some(responsible_user_id))
            if problems.is_empty() =>
        {
            Ok(DealFields {
                title,
                customer,
                amount,
                responsible_user_id,
            })
        }
        _ => Err(problems),
    }
}

fn optional_id(value: Option<&str>, field: &str) -> Result<Option<i32>, FieldProblem> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(text) => text
            .parse::<i32>()
            .map(Some)
            .map_err(|_| FieldProblem::field(field, FieldError::Unknown)),
    }
}

fn required_id(value: Option<&str>, field: &str) -> Result<i32, FieldProblem> {
    optional_id(value, field)?.ok_or(FieldProblem::field(field, FieldError::Required))
}

/// A contract as staff typed it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawContract {
    pub counterparty: Option<String>,
    pub deal: Option<String>,
    pub signed_on: String,
    /// Empty: the counterparty's default deferral.
    pub deferral_days: String,
    pub deferral_base: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContractFields {
    pub counterparty_id: i32,
    pub deal_id: Option<i32>,
    pub signed_on: NaiveDate,
    pub deferral_days: Option<u32>,
    pub deferral_base: DeferralBase,
}

pub fn check_contract(raw: &RawContract) -> Result<ContractFields, Vec<FieldProblem>> {
    let mut problems = Vec::new();
    let counterparty = gather(
        required_id(raw.counterparty.as_deref(), "counterparty"),
        &mut problems,
    );
    let deal = gather(optional_id(raw.deal.as_deref(), "deal"), &mut problems);
    let signed_on = gather(
        required_date(Some(&raw.signed_on), "signed_on"),
        &mut problems,
    );
    let deferral = gather(deferral_days(&raw.deferral_days), &mut problems);
    let base = gather(
        DeferralBase::from_code(raw.deferral_base.trim())
            .ok_or(FieldProblem::field("deferral_base", FieldError::Unknown)),
        &mut problems,
    );
    match (counterparty, deal, signed_on, deferral, base) {
        (
            Some(counterparty_id),
            Some(deal_id),
            Some(signed_on),
            Some(deferral_days),
            Some(base),
        ) if problems.is_empty() => Ok(ContractFields {
            counterparty_id,
            deal_id,
            signed_on,
            deferral_days,
            deferral_base: base,
        }),
        _ => Err(problems),
    }
}

fn deferral_days(value: &str) -> Result<Option<u32>, FieldProblem> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    let out_of_range = FieldProblem::field(
        "deferral_days",
        FieldError::OutOfRange {
            min: 0,
            max: MAX_DEFERRAL_DAYS.into(),
        },
    );
    match value.parse::<u32>() {
        Ok(days) if days <= MAX_DEFERRAL_DAYS => Ok(Some(days)),
        _ => Err(out_of_range),
    }
}

/// A supplier order as staff typed it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawOrder {
    pub contract: Option<String>,
    pub amount: String,
    pub planned_delivery_on: String,
    pub description: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrderFields {
    pub contract_id: i32,
    pub amount: Money,
    pub planned_delivery_on: Option<NaiveDate>,
    pub description: String,
}

pub fn check_order(raw: &RawOrder, maximum: Money) -> Result<OrderFields, Vec<FieldProblem>> {
    let mut problems = Vec::new();
    let contract = gather(
        required_id(raw.contract.as_deref(), "contract"),
        &mut problems,
    );
    let amount = gather(amount(&raw.amount, "amount", maximum), &mut problems);
    let planned = gather(
        optional_date(Some(&raw.planned_delivery_on), "planned_delivery_on"),
        &mut problems,
    );
    let description = raw.description.trim().to_owned();
    if description.chars().count() > 2000 {
        problems.push(FieldProblem::field(
            "description",
            FieldError::TooLong(2000),
        ));
    }
    match (contract, amount, planned) {
        (Some(contract_id), Some(amount), Some(planned_delivery_on)) if problems.is_empty() => {
            Ok(OrderFields {
                contract_id,
                amount,
                planned_delivery_on,
                description,
            })
        }
        _ => Err(problems),
    }
}

/// One line of a specification as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawLine {
    pub name: String,
    pub quantity: String,
    pub unit: String,
    pub price: String,
    pub vat: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpecLine {
    pub name: String,
    /// Up to three decimals (kilograms, metres).
    pub quantity: Decimal,
    pub unit: String,
    pub price: Money,
    pub vat: VatRate,
    /// Quantity × price, rounded to kopecks; VAT is included in the price.
    pub amount: Money,
}

/// A specification as typed: its contract, date and lines.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawSpecification {
    pub contract: Option<String>,
    pub dated_on: String,
    pub lines: Vec<RawLine>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpecificationFields {
    pub contract_id: i32,
    pub dated_on: NaiveDate,
    pub lines: Vec<SpecLine>,
    pub total: Money,
}

pub const MAX_SPEC_LINES: usize = 200;

/// Lines left wholly empty are skipped (a form shows spare rows); a line with anything typed
/// must be whole. Problems name the line: `lines[2].price`.
/// Each price, each line's amount and the total are at most `maximum`.
pub fn check_specification(
    raw: &RawSpecification,
    maximum: Money,
) -> Result<SpecificationFields, Vec<FieldProblem>> {
    let mut problems = Vec::new();
    let contract = gather(
        required_id(raw.contract.as_deref(), "contract"),
        &mut problems,
    );
    let dated_on = gather(
        required_date(Some(&raw.dated_on), "dated_on"),
        &mut problems,
    );
    let mut lines = Vec::new();
    for (at, line) in raw.lines.iter().enumerate() {
        let blank = [&line.name, &line.quantity, &line.unit, &line.price]
            .iter()
            .all(|v| v.trim().is_empty());
        if blank {
            continue;
        }
        let field = |name: &str| format!("lines[{at}].{name}");
        let name = gather(
            required_text(&line.name, &field("name"), 500),
            &mut problems,
        );
        let quantity = gather(quantity(&line.quantity, &field("quantity")), &mut problems);
        let unit = gather(required_text(&line.unit, &field("unit"), 20), &mut problems);
        let price = gather(amount(&line.price, &field("price"), maximum), &mut problems);
        let vat = gather(
            VatRate::from_code(line.vat.trim())
                .ok_or(FieldProblem::field(&field("vat"), FieldError::Unknown)),
            &mut problems,
        );
        if let (Some(name), Some(quantity), Some(unit), Some(price), Some(vat)) =
            (name, quantity, unit, price, vat)
        {
            let amount = line_amount(quantity, price);
            if amount > maximum {
                problems.push(FieldProblem::field(
                    &field("quantity"),
                    FieldError::Amount(MoneyError::AboveMaximum(maximum)),
                ));
            }
            lines.push(SpecLine {
                name,
                quantity,
                unit,
                price,
                vat,
                amount,
            });
        }
    }
    if lines.is_empty() && problems.is_empty() {
        problems.push(FieldProblem::field("lines", FieldError::Required));
    }
    if raw.lines.len() > MAX_SPEC_LINES {
        problems.push(FieldProblem::field(
            "lines",
            FieldError::OutOfRange {
                min: 1,
                max: MAX_SPEC_LINES as i64,
            },
        ));
    }
    let total: Money = lines.iter().map(|l| l.amount).sum();
    if total > maximum && problems.is_empty() {
        problems.push(FieldProblem::field(
            "lines",
            FieldError::Amount(MoneyError::AboveMaximum(maximum)),
        ));
    }
    match (contract, dated_on) {
        (Some(contract_id), Some(dated_on)) if problems.is_empty() => Ok(SpecificationFields {
            contract_id,
            dated_on,
            lines,
            total,
        }),
        _ => Err(problems),
    }
}

fn quantity(value: &str, field: &str) -> Result<Decimal, FieldProblem> {
    let text = value.trim().replace(',', ".").replace([' ', '\u{a0}'], "");
    let bad = || {
        FieldProblem::field(
            field,
            FieldError::OutOfRange {
                min: 0,
                max: 1_000_000_000,
            },
        )
    };
    let quantity: Decimal = text.parse().map_err(|_| bad())?;
    if quantity <= Decimal::ZERO || quantity.scale() > 3 || quantity > Decimal::from(1_000_000_000)
    {
        return Err(bad());
    }
    Ok(quantity.normalize())
}

/// Quantity × price in kopecks, half away from zero.
pub fn line_amount(quantity: Decimal, price: Money) -> Money {
    let kopecks = (quantity * Decimal::from(price.kopecks()))
        .round_dp_with_strategy(0, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    Money::from_kopecks(i64::try_from(kopecks.mantissa()).unwrap_or(i64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    const M: Money = Money::DEFAULT_MAXIMUM;

    fn d(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn field_names(problems: &[FieldProblem]) -> Vec<String> {
        problems
            .iter()
            .map(|p| match &p.subject {
                super::super::form::Subject::Field(name) => name.clone(),
                other => format!("{other:?}"),
            })
            .collect()
    }

    #[test]
    fn stage_codes_round_trip() {
        for stage in DealStage::ALL {
            assert_eq!(DealStage::from_code(stage.code()), Some(stage));
            assert_eq!(stage.numbers_the_deal(), stage == DealStage::Implementation);
        }
        for stage in OrderStage::ALL {
            assert_eq!(OrderStage::from_code(stage.code()), Some(stage));
        }
        assert_eq!(DealStage::from_code("paid"), None);
        assert_eq!(OrderStage::from_code("new"), None);
    }

    #[test]
    fn every_deal_transition_is_open_to_staff_only() {
        for from in DealStage::ALL {
            for to in DealStage::ALL {
                for role in [
                    Role::Manager,
                    Role::Supervisor,
                    Role::Accountant,
                    Role::Admin,
                ] {
                    let expected = if from == to {
                        Err(PipelineMoveError::SameStage)
                    } else {
                        Ok(())
                    };
                    assert_eq!(check_deal_move(role, from, to), expected, "{from:?}→{to:?}");
                }
                assert_eq!(
                    check_deal_move(Role::Supplier, from, to),
                    Err(PipelineMoveError::NotStaff)
                );
            }
        }
    }

    #[test]
    fn every_order_transition_and_its_entry_requirements() {
        let today = d("2026-11-24");
        let full = OrderMoveRequest {
            delivered_on: Some("2026-11-20".into()),
            closing_documents_on: Some("2026-11-21".into()),
            paid_date: Some("2026-11-24".into()),
            ..Default::default()
        };
        for from in OrderStage::ALL {
            for to in OrderStage::ALL {
                let empty =
                    check_order_move(Role::Manager, from, to, &OrderMoveRequest::default(), today);
                let with_data = check_order_move(Role::Accountant, from, to, &full, today);
                if from == to {
                    assert_eq!(empty, Err(PipelineMoveError::SameStage));
                    continue;
                }
                match to.fields_on_entry() {
                    [] => {
                        assert_eq!(empty, Ok(OrderEntry::default()), "{from:?}→{to:?}");
                    }
                    [field] => {
                        assert_eq!(
                            empty,
                            Err(PipelineMoveError::Missing(vec![FieldProblem::field(
                                field.name(),
                                FieldError::Required
                            )])),
                            "{from:?}→{to:?}"
                        );
                        let entry = with_data.expect("dates given");
                        let set = match field {
                            MoveField::DeliveredOn => entry.delivered_on,
                            MoveField::ClosingDocumentsOn => entry.closing_documents_on,
                            MoveField::PaidDate => entry.paid_on,
                            other => unreachable!("orders do not ask for {other:?}"),
                        };
                        assert!(set.is_some(), "{to:?} sets {field:?}");
                    }
                    _ => unreachable!("one field per stage"),
                }
                assert_eq!(
                    check_order_move(Role::Supplier, from, to, &full, today),
                    Err(PipelineMoveError::NotStaff)
                );
            }
        }
        let future = OrderMoveRequest {
            delivered_on: Some("2026-11-25".into()),
            ..Default::default()
        };
        assert_eq!(
            check_order_move(
                Role::Manager,
                OrderStage::Confirmed,
                OrderStage::Delivered,
                &future,
                today
            ),
            Err(PipelineMoveError::Missing(vec![FieldProblem::field(
                "delivered_on",
                FieldError::FutureDate
            )]))
        );
        let bad = OrderMoveRequest {
            delivered_on: Some("24.11.2026".into()),
            ..Default::default()
        };
        assert_eq!(
            check_order_move(
                Role::Manager,
                OrderStage::Confirmed,
                OrderStage::Delivered,
                &bad,
                today
            ),
            Err(PipelineMoveError::Missing(vec![FieldProblem::field(
                "delivered_on",
                FieldError::BadDate
            )]))
        );
    }

    #[test]
    fn deals_and_contracts_are_checked() {
        let deal = check_deal(
            &RawDeal {
                title: " Поставка насосов ".into(),
                customer: "АО Водоканал".into(),
                amount: "1 200 000,50".into(),
                responsible: Some("3".into()),
            },
            M,
        )
        .unwrap();
        assert_eq!(deal.title, "Поставка насосов");
        assert_eq!(deal.amount.kopecks(), 120_000_050);
        assert_eq!(deal.responsible_user_id, Some(3));
        let problems = check_deal(&RawDeal::default(), M).unwrap_err();
        let fields = field_names(&problems);
        assert_eq!(fields, ["title", "customer", "amount"]);

        let contract = check_contract(&RawContract {
            counterparty: Some("5".into()),
            deal: Some("".into()),
            signed_on: "2026-11-01".into(),
            deferral_days: "".into(),
            deferral_base: "closing_documents".into(),
        })
        .unwrap();
        assert_eq!(contract.deal_id, None);
        assert_eq!(contract.deferral_days, None);
        assert_eq!(contract.deferral_base, DeferralBase::ClosingDocuments);
        let table = [
            ("30", Ok(Some(30))),
            ("0", Ok(Some(0))),
            ("366", Err(())),
            ("-1", Err(())),
            ("x", Err(())),
        ];
        for (days, expected) in table {
            assert_eq!(deferral_days(days).map_err(|_| ()), expected, "{days}");
        }
    }

    #[test]
    fn specification_lines_total_and_name_their_problems() {
        let line = |name: &str, quantity: &str, price: &str| RawLine {
            name: name.into(),
            quantity: quantity.into(),
            unit: "шт".into(),
            price: price.into(),
            vat: "20".into(),
        };
        let spec = check_specification(
            &RawSpecification {
                contract: Some("1".into()),
                dated_on: "2026-11-24".into(),
                lines: vec![
                    line("Насос", "2", "10 000,00"),
                    line("Кабель", "12,5", "99,99"),
                    RawLine::default(),
                ],
            },
            M,
        )
        .unwrap();
        assert_eq!(spec.lines.len(), 2);
        assert_eq!(spec.lines[1].amount.kopecks(), 124_988); // 12.5 × 99.99 = 1 249.875
        assert_eq!(spec.total.kopecks(), 2_000_000 + 124_988);

        let problems = check_specification(
            &RawSpecification {
                contract: Some("1".into()),
                dated_on: "2026-11-24".into(),
                lines: vec![line("Насос", "0", "10"), line("", "1", "x")],
            },
            M,
        )
        .unwrap_err();
        let fields = field_names(&problems);
        assert_eq!(
            fields,
            ["lines[0].quantity", "lines[1].name", "lines[1].price"]
        );

        let problems = check_specification(
            &RawSpecification {
                contract: Some("1".into()),
                dated_on: "2026-11-24".into(),
                lines: vec![RawLine::default()],
            },
            M,
        )
        .unwrap_err();
        assert_eq!(field_names(&problems), ["lines"]);
        assert_eq!(
            line_amount(Decimal::new(1, 3), Money::from_kopecks(500)).kopecks(),
            1 // 0.001 × 5.00 ₽ = 0.5 kopeck, rounded half away from zero
        );
    }

    #[test]
    fn amounts_over_the_maximum_are_refused_everywhere() {
        let max = Money::maximum_of_rubles(1_000);
        let over = FieldError::Amount(MoneyError::AboveMaximum(max));
        let deal = check_deal(
            &RawDeal {
                title: "t".into(),
                customer: "c".into(),
                amount: "1000,01".into(),
                responsible: None,
            },
            max,
        )
        .unwrap_err();
        assert_eq!(deal, [FieldProblem::field("amount", over.clone())]);
        let order = check_order(
            &RawOrder {
                contract: Some("2".into()),
                amount: "5000".into(),
                ..RawOrder::default()
            },
            max,
        )
        .unwrap_err();
        assert_eq!(order, [FieldProblem::field("amount", over.clone())]);
        let line = |quantity: &str, price: &str| RawLine {
            name: "n".into(),
            quantity: quantity.into(),
            unit: "шт".into(),
            price: price.into(),
            vat: "20".into(),
        };
        let table: [(Vec<RawLine>, Vec<&str>); 4] = [
            (vec![line("1", "1000")], vec![]),
            (vec![line("1", "1000,01")], vec!["lines[0].price"]),
            // Each price fits, the line's amount does not.
            (vec![line("3", "500")], vec!["lines[0].quantity"]),
            // Each line fits, the total does not.
            (vec![line("1", "600"), line("1", "600")], vec!["lines"]),
        ];
        for (lines, expected) in table {
            let result = check_specification(
                &RawSpecification {
                    contract: Some("1".into()),
                    dated_on: "2026-11-24".into(),
                    lines,
                },
                max,
            );
            match result {
                Ok(_) => assert!(expected.is_empty()),
                Err(problems) => {
                    assert_eq!(field_names(&problems), expected);
                    assert!(problems.iter().all(|p| p.error == over), "{problems:?}");
                }
            }
        }
    }

    #[test]
    fn orders_are_checked() {
        let order = check_order(
            &RawOrder {
                contract: Some("2".into()),
                amount: "500".into(),
                planned_delivery_on: "2026-12-10".into(),
                description: "".into(),
            },
            M,
        )
        .unwrap();
        assert_eq!(order.planned_delivery_on, Some(d("2026-12-10")));
        let problems = check_order(&RawOrder::default(), M).unwrap_err();
        let fields = field_names(&problems);
        assert_eq!(fields, ["contract", "amount"]);
    }
}
