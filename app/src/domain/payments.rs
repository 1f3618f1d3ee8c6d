//! Payment requests (заявки на оплату; DESIGN.md, "Payment requests"): their stages, what a
//! request must hold to be saved and sent, what each stage's entry asks for, and the states of
//! an approval step. The chain itself is `approvals`.
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::access::Role;
use super::form::{FieldError, FieldProblem, optional_date, past_date, ticked};
use super::money::Money;
use super::moves::{MoveField, MoveRequest};
use super::pipeline::{MoveError, StageCode, StageSet, check_mover};
use super::stage_rules::{Responsible, StageRule};

pub const PAYMENTS_PIPELINE: &str = "payment_requests";
pub const MAX_PURPOSE_CHARS: usize = 500;
pub const MAX_COMMENT_CHARS: usize = 2000;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentStage {
    Draft,
    Approval,
    Accounting,
    Paid,
    Rework,
}

impl PaymentStage {
    pub const ALL: [PaymentStage; 5] = [
        PaymentStage::Draft,
        PaymentStage::Approval,
        PaymentStage::Accounting,
        PaymentStage::Paid,
        PaymentStage::Rework,
    ];

    /// The initiator may still change the request.
    pub fn editable(self) -> bool {
        matches!(self, PaymentStage::Draft | PaymentStage::Rework)
    }
}

impl StageSet for PaymentStage {
    const ALL: &'static [PaymentStage] = &PaymentStage::ALL;

    fn stage_code(self) -> StageCode {
        match self {
            PaymentStage::Draft => StageCode::Draft,
            PaymentStage::Approval => StageCode::Approval,
            PaymentStage::Accounting => StageCode::Accounting,
            PaymentStage::Paid => StageCode::Paid,
            PaymentStage::Rework => StageCode::Rework,
        }
    }

    fn fields_on_entry(self) -> &'static [MoveField] {
        match self {
            PaymentStage::Rework => &[MoveField::Comment],
            PaymentStage::Paid => &[MoveField::PaidDate],
            PaymentStage::Draft | PaymentStage::Approval | PaymentStage::Accounting => &[],
        }
    }

    /// A request is a draft only when it is made.
    fn staff_can_enter(self) -> bool {
        self != PaymentStage::Draft
    }

    /// Approved requests are accounting's; a returned one is its initiator's (the engine's
    /// move sets the approvers as responsible itself).
    fn default_rule(self) -> StageRule {
        match self {
            PaymentStage::Accounting => StageRule {
                notify_role: Some(Role::Accountant),
                responsible: Responsible::Role(Role::Accountant),
                ..StageRule::keep()
            },
            _ => StageRule::keep(),
        }
    }
}

/// What entering a stage of a payment request carries.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PaymentEntry {
    /// Returned for rework: why (required).
    pub comment: Option<String>,
    pub paid_on: Option<NaiveDate>,
}

/// Which moves there are: send (draft or rework → approval), approve the last step (approval →
/// accounting), return (approval → rework, with a comment), pay (accounting → paid, with the
/// date). Who may make each (the initiator, the acting approver, accounting) is checked
/// against the request's chain in the move's transaction.
pub fn check_payment_move(
    role: Role,
    from: PaymentStage,
    to: PaymentStage,
    request: &MoveRequest,
    today: NaiveDate,
) -> Result<PaymentEntry, MoveError> {
    check_mover(role, from, to)?;
    use PaymentStage::*;
    let allowed = matches!(
        (from, to),
        (Draft | Rework, Approval) | (Approval, Accounting | Rework) | (Accounting, Paid)
    );
    if !allowed {
        return Err(MoveError::NotThisWay);
    }
    let missing = |problem| MoveError::Missing(vec![problem]);
    let mut entry = PaymentEntry::default();
    match to {
        Rework => {
            entry.comment = Some(
                decision_comment(false, request.comment.as_deref().unwrap_or_default())
                    .map_err(missing)?
                    .unwrap_or_default(),
            );
        }
        Accounting => {
            entry.comment = decision_comment(true, request.comment.as_deref().unwrap_or_default())
                .map_err(missing)?;
        }
        Paid => {
            if !matches!(role, Role::Accountant | Role::Admin) {
                return Err(MoveError::NotYours);
            }
            entry.paid_on =
                Some(past_date(request.paid_date.as_deref(), "paid_date", today).map_err(missing)?);
        }
        Draft | Approval => {}
    }
    Ok(entry)
}

/// One step of a round, as sending plans it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlannedStep {
    pub approver_user_id: i32,
    /// The approver, or their deputy on the day it is sent.
    pub acting_user_id: i32,
    pub reason: super::approvals::StepReason,
    pub state: StepState,
    /// What changed since this approver's earlier approval.
    pub changes: Vec<super::approvals::Change>,
}

/// The steps of a new round: the chain with each step skipped or asked (`on_resend`), the
/// first asked one pending and the rest waiting. When every step is skipped (the one who
/// returned it left the chain), the last is asked all the same: somebody confirms a resent
/// request.
pub fn plan_round(
    chain: &[super::approvals::ChainStep],
    resend: Vec<super::approvals::Resend>,
    acting: impl Fn(i32) -> i32,
) -> Vec<PlannedStep> {
    use super::approvals::Resend;
    let mut steps: Vec<PlannedStep> = chain
        .iter()
        .zip(resend)
        .map(|(step, resend)| {
            let (state, changes) = match resend {
                Resend::Skip => (StepState::Skipped, Vec::new()),
                Resend::Ask(changes) => (StepState::Waiting, changes),
            };
            PlannedStep {
                approver_user_id: step.approver_user_id,
                acting_user_id: acting(step.approver_user_id),
                reason: step.reason,
                state,
                changes,
            }
        })
        .collect();
    match steps.iter_mut().find(|s| s.state == StepState::Waiting) {
        Some(first) => first.state = StepState::Pending,
        None => {
            if let Some(last) = steps.last_mut() {
                last.state = StepState::Pending;
            }
        }
    }
    steps
}

/// After the step at `at` is approved: the next one to ask, if any is left.
pub fn next_to_ask(states: &[StepState], at: usize) -> Option<usize> {
    states
        .iter()
        .enumerate()
        .skip(at + 1)
        .find(|(_, s)| **s == StepState::Waiting)
        .map(|(i, _)| i)
}

/// A decision's comment: required to reject, optional to approve; trimmed, at most
/// `MAX_COMMENT_CHARS`.
pub fn decision_comment(approve: bool, comment: &str) -> Result<Option<String>, FieldProblem> {
    let comment = comment.trim();
    if comment.chars().count() > MAX_COMMENT_CHARS {
        return Err(FieldProblem::field(
            "comment",
            FieldError::TooLong(MAX_COMMENT_CHARS),
        ));
    }
    match (approve, comment.is_empty()) {
        (false, true) => Err(FieldProblem::field("comment", FieldError::Required)),
        (_, true) => Ok(None),
        (_, false) => Ok(Some(comment.to_owned())),
    }
}

/// A request's fields as the form sends them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawRequest {
    #[serde(default)]
    pub counterparty: String,
    #[serde(default)]
    pub amount: String,
    #[serde(default)]
    pub purpose: String,
    #[serde(default)]
    pub cash_flow_item: String,
    #[serde(default)]
    pub in_budget: Option<String>,
    #[serde(default)]
    pub urgent: Option<String>,
    #[serde(default)]
    pub pay_by: Option<String>,
    #[serde(default)]
    pub comment: String,
    #[serde(default)]
    pub contact: Option<String>,
}

/// A request's fields, checked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestFields {
    pub counterparty_id: i32,
    pub amount: Money,
    pub purpose: String,
    pub cash_flow_item_id: i32,
    pub in_budget: bool,
    pub urgent: bool,
    /// `None` exactly when urgent.
    pub pay_by: Option<NaiveDate>,
    pub comment: String,
    /// The counterparty's contact who gets the payment letter.
    pub contact_id: Option<i32>,
}

fn id_of(value: &str, field: &str) -> Result<i32, FieldProblem> {
    let value = value.trim();
    if value.is_empty() {
        return Err(FieldProblem::field(field, FieldError::Required));
    }
    value
        .parse()
        .ok()
        .filter(|id: &i32| *id > 0)
        .ok_or_else(|| FieldProblem::field(field, FieldError::Unknown))
}

/// The value, or `None` with its problem noted.
fn noted<T>(problems: &mut Vec<FieldProblem>, result: Result<T, FieldProblem>) -> Option<T> {
    match result {
        Ok(value) => Some(value),
        Err(problem) => {
            problems.push(problem);
            None
        }
    }
}

/// Checks a request as typed: every problem at once. An urgent request has no pay-by date;
/// any other needs one, not before `today`.
pub fn check_request(
    raw: &RawRequest,
    maximum: Money,
    today: NaiveDate,
) -> Result<RequestFields, Vec<FieldProblem>> {
    let mut problems = Vec::new();
    let counterparty_id = noted(&mut problems, id_of(&raw.counterparty, "counterparty"));
    let amount = noted(
        &mut problems,
        match Money::parse_at_most(&raw.amount, maximum) {
            Ok(amount) if amount > Money::ZERO => Ok(amount),
            Ok(_) => Err(FieldProblem::field("amount", FieldError::ZeroAmount)),
            Err(e) => Err(FieldProblem::field("amount", FieldError::Amount(e))),
        },
    );
    let purpose = raw.purpose.trim().to_owned();
    let purpose_ok = noted(
        &mut problems,
        if purpose.is_empty() {
            Err(FieldProblem::field("purpose", FieldError::Required))
        } else if purpose.chars().count() > MAX_PURPOSE_CHARS {
            Err(FieldProblem::field(
                "purpose",
                FieldError::TooLong(MAX_PURPOSE_CHARS),
            ))
        } else {
            Ok(())
        },
    );
    let item = noted(&mut problems, id_of(&raw.cash_flow_item, "cash_flow_item"));
    let urgent = ticked(raw.urgent.as_deref());
    let pay_by = noted(
        &mut problems,
        if urgent {
            Ok(None)
        } else {
            match optional_date(raw.pay_by.as_deref(), "pay_by") {
                Ok(Some(date)) if date < today => {
                    Err(FieldProblem::field("pay_by", FieldError::PastDate))
                }
                Ok(Some(date)) => Ok(Some(date)),
                Ok(None) => Err(FieldProblem::field("pay_by", FieldError::Required)),
                Err(p) => Err(p),
            }
        },
    );
    let comment = raw.comment.trim().to_owned();
    let comment_ok = noted(
        &mut problems,
        if comment.chars().count() > MAX_COMMENT_CHARS {
            Err(FieldProblem::field(
                "comment",
                FieldError::TooLong(MAX_COMMENT_CHARS),
            ))
        } else {
            Ok(())
        },
    );
    let contact_id = noted(
        &mut problems,
        match raw
            .contact
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
        {
            None => Ok(None),
            Some(text) => id_of(text, "contact").map(Some),
        },
    );
    match (
        counterparty_id,
        amount,
        purpose_ok,
        item,
        pay_by,
        comment_ok,
        contact_id,
    ) {
        (
            Some(counterparty_id),
            Some(amount),
            Some(()),
            Some(cash_flow_item_id),
            Some(pay_by),
            Some(()),
            Some(contact_id),
        ) => Ok(RequestFields {
            counterparty_id,
            amount,
            purpose,
            cash_flow_item_id,
            in_budget: ticked(raw.in_budget.as_deref()),
            urgent,
            pay_by,
            comment,
            contact_id,
        }),
        _ => Err(problems),
    }
}

/// A request's number as people say it: `ЗО-12` (заявка на оплату), `PR-12` in English.
pub fn request_number(lang: super::lang::Lang, id: i32) -> String {
    match lang {
        super::lang::Lang::Ru => format!("ЗО-{id}"),
        super::lang::Lang::En => format!("PR-{id}"),
    }
}

/// What someone is told about a request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Notice {
    /// To the acting approver: it waits on them.
    YourTurn,
    /// To the initiator: one approver approved.
    Approved { by: String },
    /// To the initiator: returned for rework, with the reason.
    Returned { by: String, comment: String },
    /// To the initiator: the last approval; accounting has it.
    FullyApproved,
    /// To the initiator: paid.
    Paid { on: NaiveDate },
    /// To the acting approver: the step has waited past its time (a reminder).
    StillWaiting,
    /// To the initiator and the approver's own manager: the step has waited twice its time.
    Stuck { approver: String },
}

/// The notification's text, in `lang`: `ЗО-12 (ООО «Ромашка», 120 000,00 ₽): ждёт вашего
/// согласования`.
pub fn notice_text(
    lang: super::lang::Lang,
    notice: &Notice,
    id: i32,
    counterparty: &str,
    amount: Money,
) -> String {
    use super::lang::Lang;
    let head = format!(
        "{} ({counterparty}, {})",
        request_number(lang, id),
        amount.format(lang)
    );
    match (lang, notice) {
        (Lang::Ru, Notice::YourTurn) => format!("{head}: ждёт вашего согласования"),
        (Lang::En, Notice::YourTurn) => format!("{head}: waits for your approval"),
        (Lang::Ru, Notice::Approved { by }) => format!("{head}: согласовал(а) {by}"),
        (Lang::En, Notice::Approved { by }) => format!("{head}: approved by {by}"),
        (Lang::Ru, Notice::Returned { by, comment }) => {
            format!("{head}: {by} вернул(а) на доработку — «{comment}»")
        }
        (Lang::En, Notice::Returned { by, comment }) => {
            format!("{head}: returned for rework by {by} — “{comment}”")
        }
        (Lang::Ru, Notice::FullyApproved) => {
            format!("{head}: согласована и передана в бухгалтерию")
        }
        (Lang::En, Notice::FullyApproved) => format!("{head}: approved and passed to accounting"),
        (Lang::Ru, Notice::Paid { on }) => {
            format!("{head}: оплачена {}", on.format("%d.%m.%Y"))
        }
        (Lang::En, Notice::Paid { on }) => format!("{head}: paid on {}", on.format("%d.%m.%Y")),
        (Lang::Ru, Notice::StillWaiting) => {
            format!("{head}: напоминание — заявка давно ждёт вашего согласования")
        }
        (Lang::En, Notice::StillWaiting) => {
            format!("{head}: reminder — the request has long waited for your approval")
        }
        (Lang::Ru, Notice::Stuck { approver }) => {
            format!("{head}: согласование задерживается — ждёт {approver}")
        }
        (Lang::En, Notice::Stuck { approver }) => {
            format!("{head}: approval is stuck — waiting on {approver}")
        }
    }
}

/// What the counterparty's contact is told of a payment: the amount, the date, the purpose,
/// the invoice it pays (when known), signed by the accountant who paid, with the payment order
/// attached. Russian first, English below: the contact is a counterparty's manager, not a user
/// with a language of their own.
pub struct PaymentLetter<'a> {
    pub signer: &'a str,
    pub payee: &'a str,
    pub contact_name: &'a str,
    pub amount: Money,
    pub paid_on: NaiveDate,
    pub purpose: &'a str,
    pub invoice: Option<&'a str>,
}

pub fn payment_letter(letter: &PaymentLetter) -> super::accounts::Letter {
    use super::lang::Lang;
    let date = letter.paid_on.format("%d.%m.%Y");
    let greeting = if letter.contact_name.trim().is_empty() {
        "Здравствуйте!".to_owned()
    } else {
        format!("Здравствуйте, {}!", letter.contact_name.trim())
    };
    let invoice = letter
        .invoice
        .map(|n| format!("Счёт: № {n}\n"))
        .unwrap_or_default();
    let invoice_en = letter
        .invoice
        .map(|n| format!("Invoice: No. {n}\n"))
        .unwrap_or_default();
    super::accounts::Letter {
        subject: format!(
            "Оплата {}: {} от {date} / Payment made",
            letter.payee,
            letter.amount.format(Lang::Ru),
        ),
        body: format!(
            "{greeting}\n\nСообщаем об оплате в адрес {payee}:\n\
             Сумма: {amount_ru}\nДата оплаты: {date}\nНазначение: {purpose}\n{invoice}\
             Платёжное поручение — во вложении.\n\nС уважением,\n{signer}, бухгалтерия\n\n\
             ---\n\
             A payment to {payee} has been made:\n\
             Amount: {amount_en}\nPayment date: {date}\nPurpose: {purpose}\n{invoice_en}\
             The payment order is attached.\n\n{signer}, accounting\n",
            signer = letter.signer,
            payee = letter.payee,
            amount_ru = letter.amount.format(Lang::Ru),
            amount_en = letter.amount.format(Lang::En),
            purpose = letter.purpose,
        ),
    }
}

/// Where a request to pay falls in accounting's register: urgent ones first, then by pay-by
/// date, earliest first (the variants' order is the register's).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum RegisterDay {
    Urgent,
    On(NaiveDate),
    /// Neither urgent nor dated (a request made before dates were required).
    Undated,
}

impl RegisterDay {
    pub fn of(urgent: bool, pay_by: Option<NaiveDate>) -> RegisterDay {
        match (urgent, pay_by) {
            (true, _) => RegisterDay::Urgent,
            (false, Some(date)) => RegisterDay::On(date),
            (false, None) => RegisterDay::Undated,
        }
    }
}

/// One day of the register: its requests, how many and their total.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayGroup<T> {
    pub day: RegisterDay,
    pub count: usize,
    pub total: Money,
    pub rows: Vec<T>,
}

/// Groups the register's rows by day, in the register's order; within a day, as given.
pub fn group_by_day<T>(rows: Vec<T>, key: impl Fn(&T) -> (RegisterDay, Money)) -> Vec<DayGroup<T>> {
    let mut groups: std::collections::BTreeMap<RegisterDay, DayGroup<T>> = Default::default();
    for row in rows {
        let (day, amount) = key(&row);
        let group = groups.entry(day).or_insert_with(|| DayGroup {
            day,
            count: 0,
            total: Money::ZERO,
            rows: Vec::new(),
        });
        group.count += 1;
        group.total = group.total + amount;
        group.rows.push(row);
    }
    groups.into_values().collect()
}

/// The approval sheet (лист согласования) as printed, in Russian: the request's fields and
/// every step of the round that approved it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApprovalSheet {
    pub title: String,
    pub fields: Vec<(String, String)>,
    pub steps: Vec<SheetStep>,
    pub footer: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SheetStep {
    pub position: usize,
    /// The approver, their position, and "за … (заместитель)" when a deputy decided.
    pub approver: Vec<String>,
    pub decision: String,
    pub at: String,
    pub comment: String,
}

/// What the sheet is made of, as stored.
pub struct SheetInput<'a> {
    pub id: i32,
    pub counterparty: &'a str,
    pub requisites: &'a str,
    pub amount: Money,
    pub purpose: &'a str,
    pub cash_flow_item: &'a str,
    pub in_budget: bool,
    pub urgent: bool,
    pub pay_by: Option<NaiveDate>,
    pub initiator: &'a str,
    pub made_at: &'a str,
    pub steps: Vec<SheetStepInput<'a>>,
}

pub struct SheetStepInput<'a> {
    pub approver: &'a str,
    pub job_title: &'a str,
    /// The deputy who decided for the approver.
    pub deputy: Option<&'a str>,
    pub state: StepState,
    /// When it was decided, formatted in the company's time.
    pub at: Option<String>,
    pub comment: Option<&'a str>,
}

/// A step's decision as the sheet words it.
pub fn sheet_decision(state: StepState) -> &'static str {
    match state {
        StepState::Approved => "Согласовано",
        StepState::Skipped => "Согласовано ранее, без изменений",
        StepState::Rejected => "Возвращено на доработку",
        StepState::Pending => "Ожидает решения",
        StepState::Waiting => "Не начато",
        StepState::Cancelled => "Не потребовалось",
    }
}

pub fn approval_sheet(input: &SheetInput) -> ApprovalSheet {
    use super::lang::Lang;
    let number = request_number(Lang::Ru, input.id);
    let pay_by = if input.urgent {
        "срочно".to_owned()
    } else {
        input
            .pay_by
            .map(|d| d.format("%d.%m.%Y").to_string())
            .unwrap_or_else(|| "—".to_owned())
    };
    let fields = vec![
        ("Заявка".to_owned(), number.clone()),
        (
            "Контрагент".to_owned(),
            format!("{}, {}", input.counterparty, input.requisites),
        ),
        ("Сумма".to_owned(), input.amount.format(Lang::Ru)),
        ("Назначение платежа".to_owned(), input.purpose.to_owned()),
        ("Статья ДДС".to_owned(), input.cash_flow_item.to_owned()),
        (
            "В бюджете".to_owned(),
            if input.in_budget { "да" } else { "нет" }.to_owned(),
        ),
        ("Оплатить до".to_owned(), pay_by),
        ("Инициатор".to_owned(), input.initiator.to_owned()),
    ];
    let steps = input
        .steps
        .iter()
        .enumerate()
        .map(|(i, step)| {
            let mut approver = vec![step.approver.to_owned()];
            if !step.job_title.is_empty() {
                approver.push(step.job_title.to_owned());
            }
            if let Some(deputy) = step.deputy {
                approver.push(format!("{deputy} — за {} (заместитель)", step.approver));
            }
            SheetStep {
                position: i + 1,
                approver,
                decision: sheet_decision(step.state).to_owned(),
                at: step.at.clone().unwrap_or_default(),
                comment: step.comment.unwrap_or_default().to_owned(),
            }
        })
        .collect();
    ApprovalSheet {
        title: format!("Лист согласования заявки на оплату {number}"),
        fields,
        steps,
        footer: format!("Сформирован {}", input.made_at),
    }
}

/// Where an approval step stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepState {
    /// Later in the chain: not yet asked.
    Waiting,
    /// Asked now.
    Pending,
    Approved,
    Rejected,
    /// "Approved earlier, unchanged": covered by the approver's approval of an earlier round.
    Skipped,
    /// The round ended (a rejection) before it was asked.
    Cancelled,
}

impl StepState {
    pub const ALL: [StepState; 6] = [
        StepState::Waiting,
        StepState::Pending,
        StepState::Approved,
        StepState::Rejected,
        StepState::Skipped,
        StepState::Cancelled,
    ];

    pub fn code(self) -> &'static str {
        match self {
            StepState::Waiting => "waiting",
            StepState::Pending => "pending",
            StepState::Approved => "approved",
            StepState::Rejected => "rejected",
            StepState::Skipped => "skipped",
            StepState::Cancelled => "cancelled",
        }
    }

    pub fn from_code(code: &str) -> Option<StepState> {
        StepState::ALL.into_iter().find(|s| s.code() == code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_approval_sheet_names_every_step_its_decision_and_deputies() {
        let input = SheetInput {
            id: 12,
            counterparty: "ООО «Ромашка»",
            requisites: "ИНН 7707083893",
            amount: Money::from_kopecks(12_000_050),
            purpose: "Оплата по счёту № 15",
            cash_flow_item: "01 Закупка сырья",
            in_budget: true,
            urgent: true,
            pay_by: None,
            initiator: "Мария Петрова",
            made_at: "03.12.2026 10:00",
            steps: vec![
                SheetStepInput {
                    approver: "Анна Админова",
                    job_title: "Руководитель группы",
                    deputy: None,
                    state: StepState::Skipped,
                    at: Some("02.12.2026 09:00".to_owned()),
                    comment: None,
                },
                SheetStepInput {
                    approver: "Сергей Иванов",
                    job_title: "Директор",
                    deputy: Some("Ольга Смирнова"),
                    state: StepState::Approved,
                    at: Some("03.12.2026 09:59".to_owned()),
                    comment: Some("Согласен"),
                },
            ],
        };
        let sheet = approval_sheet(&input);
        assert_eq!(sheet.title, "Лист согласования заявки на оплату ЗО-12");
        let field = |label: &str| {
            sheet
                .fields
                .iter()
                .find(|(l, _)| l == label)
                .map(|(_, v)| v.clone())
        };
        assert_eq!(field("Оплатить до").as_deref(), Some("срочно"));
        assert_eq!(field("В бюджете").as_deref(), Some("да"));
        assert!(field("Сумма").is_some_and(|s| s.contains("120")));
        let table: Vec<(usize, &str, &str)> = sheet
            .steps
            .iter()
            .map(|s| (s.position, s.decision.as_str(), s.comment.as_str()))
            .collect();
        assert_eq!(
            table,
            vec![
                (1, "Согласовано ранее, без изменений", ""),
                (2, "Согласовано", "Согласен"),
            ]
        );
        assert_eq!(
            sheet.steps[1].approver,
            vec![
                "Сергей Иванов".to_owned(),
                "Директор".to_owned(),
                "Ольга Смирнова — за Сергей Иванов (заместитель)".to_owned(),
            ]
        );
        assert_eq!(sheet.footer, "Сформирован 03.12.2026 10:00");
    }

    #[test]
    fn the_register_puts_urgent_first_then_days_with_counts_and_totals() {
        let d = |day| NaiveDate::from_ymd_opt(2026, 12, day).unwrap();
        // (id, urgent, pay_by, kopecks)
        let rows = vec![
            (1, false, Some(d(10)), 10_000),
            (2, true, None, 500),
            (3, false, Some(d(4)), 100),
            (4, false, Some(d(10)), 25_050),
            (5, false, None, 700),
            (6, true, Some(d(20)), 100),
        ];
        let groups = group_by_day(rows, |r| {
            (RegisterDay::of(r.1, r.2), Money::from_kopecks(r.3))
        });
        let seen: Vec<(RegisterDay, usize, i64, Vec<i32>)> = groups
            .iter()
            .map(|g| {
                (
                    g.day,
                    g.count,
                    g.total.kopecks(),
                    g.rows.iter().map(|r| r.0).collect(),
                )
            })
            .collect();
        assert_eq!(
            seen,
            vec![
                (RegisterDay::Urgent, 2, 600, vec![2, 6]),
                (RegisterDay::On(d(4)), 1, 100, vec![3]),
                (RegisterDay::On(d(10)), 2, 35_050, vec![1, 4]),
                (RegisterDay::Undated, 1, 700, vec![5]),
            ]
        );
        // Totals at the ceiling do not overflow.
        let huge = vec![Money::CEILING; 3];
        let groups = group_by_day(huge, |m| (RegisterDay::Urgent, *m));
        assert!(groups[0].total > Money::CEILING);
    }

    #[test]
    fn the_payment_letter_names_amount_date_purpose_and_invoice() {
        let on = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        let table = [
            (Some("СЧ-101"), "Иван", "Здравствуйте, Иван!", true),
            (None, " ", "Здравствуйте!", false),
        ];
        for (invoice, contact, greeting, names_invoice) in table {
            let letter = payment_letter(&PaymentLetter {
                signer: "Ольга Смирнова",
                payee: "ООО «Ромашка»",
                contact_name: contact,
                amount: Money::from_kopecks(12_000_050),
                paid_on: on,
                purpose: "Оплата по счёту",
                invoice,
            });
            assert!(letter.subject.contains("03.12.2026"), "{}", letter.subject);
            assert!(letter.body.starts_with(greeting), "{}", letter.body);
            assert!(letter.body.contains("Назначение: Оплата по счёту"));
            assert!(letter.body.contains("Платёжное поручение — во вложении"));
            assert!(letter.body.contains("Amount: "));
            assert_eq!(letter.body.contains("Счёт: № СЧ-101"), names_invoice);
        }
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 2).unwrap()
    }

    fn raw() -> RawRequest {
        RawRequest {
            counterparty: "3".into(),
            amount: "120 000,50".into(),
            purpose: "Оплата по счёту 15".into(),
            cash_flow_item: "2".into(),
            in_budget: Some("on".into()),
            urgent: None,
            pay_by: Some("2026-12-10".into()),
            comment: String::new(),
            contact: Some("7".into()),
        }
    }

    fn fields_of(problems: &[FieldProblem]) -> Vec<(String, FieldError)> {
        problems
            .iter()
            .map(|p| match &p.subject {
                super::super::form::Subject::Field(f) => (f.clone(), p.error.clone()),
                other => (format!("{other:?}"), p.error.clone()),
            })
            .collect()
    }

    #[test]
    fn a_request_as_typed() {
        let ok = check_request(&raw(), Money::DEFAULT_MAXIMUM, today()).unwrap();
        assert_eq!(ok.amount, Money::from_kopecks(12_000_050));
        assert_eq!(ok.pay_by, NaiveDate::from_ymd_opt(2026, 12, 10));
        assert!(ok.in_budget && !ok.urgent);
        assert_eq!(ok.contact_id, Some(7));

        let mut urgent = raw();
        urgent.urgent = Some("on".into());
        urgent.pay_by = Some("2020-01-01".into());
        let urgent = check_request(&urgent, Money::DEFAULT_MAXIMUM, today()).unwrap();
        assert_eq!((urgent.urgent, urgent.pay_by), (true, None));

        type Change = fn(&mut RawRequest);
        let cases: [(Change, &str, FieldError); 9] = [
            (
                |r| r.counterparty = "".into(),
                "counterparty",
                FieldError::Required,
            ),
            (
                |r| r.counterparty = "x".into(),
                "counterparty",
                FieldError::Unknown,
            ),
            (|r| r.amount = "0".into(), "amount", FieldError::ZeroAmount),
            (|r| r.purpose = "  ".into(), "purpose", FieldError::Required),
            (
                |r| r.purpose = "я".repeat(501),
                "purpose",
                FieldError::TooLong(500),
            ),
            (
                |r| r.cash_flow_item = "".into(),
                "cash_flow_item",
                FieldError::Required,
            ),
            (|r| r.pay_by = None, "pay_by", FieldError::Required),
            (
                |r| r.pay_by = Some("2026-12-01".into()),
                "pay_by",
                FieldError::PastDate,
            ),
            (
                |r| r.pay_by = Some("10.12.2026".into()),
                "pay_by",
                FieldError::BadDate,
            ),
        ];
        for (change, field, error) in cases {
            let mut bad = raw();
            change(&mut bad);
            let problems = check_request(&bad, Money::DEFAULT_MAXIMUM, today()).unwrap_err();
            assert_eq!(fields_of(&problems), [(field.to_owned(), error)], "{field}");
        }
        let mut huge = raw();
        huge.amount = "10 000 000 001".into();
        let problems = check_request(&huge, Money::DEFAULT_MAXIMUM, today()).unwrap_err();
        assert!(matches!(problems[0].error, FieldError::Amount(_)));
        // Every problem at once.
        let all =
            check_request(&RawRequest::default(), Money::DEFAULT_MAXIMUM, today()).unwrap_err();
        assert_eq!(all.len(), 5, "{all:?}");
    }

    #[test]
    fn which_moves_there_are_and_what_they_ask() {
        use PaymentStage::*;
        let with = |comment: &str, paid: &str| MoveRequest {
            comment: Some(comment.into()),
            paid_date: Some(paid.into()),
            ..MoveRequest::default()
        };
        let none = MoveRequest::default();
        let early = with("", "2026-12-01");
        type Case<'a> = (
            Role,
            PaymentStage,
            PaymentStage,
            &'a MoveRequest,
            Result<(), MoveError>,
        );
        let cases: Vec<Case> = vec![
            (Role::Manager, Draft, Approval, &none, Ok(())),
            (Role::Manager, Rework, Approval, &none, Ok(())),
            (Role::Supervisor, Approval, Accounting, &none, Ok(())),
            (
                Role::Supplier,
                Draft,
                Approval,
                &none,
                Err(MoveError::NotStaff),
            ),
            (
                Role::Manager,
                Approval,
                Draft,
                &none,
                Err(MoveError::SupplierOnlyStage),
            ),
            (
                Role::Manager,
                Draft,
                Accounting,
                &none,
                Err(MoveError::NotThisWay),
            ),
            (
                Role::Manager,
                Draft,
                Paid,
                &none,
                Err(MoveError::NotThisWay),
            ),
            (
                Role::Accountant,
                Approval,
                Paid,
                &none,
                Err(MoveError::NotThisWay),
            ),
            (
                Role::Manager,
                Paid,
                Rework,
                &none,
                Err(MoveError::NotThisWay),
            ),
            (
                Role::Manager,
                Accounting,
                Paid,
                &early,
                Err(MoveError::NotYours),
            ),
        ];
        for (role, from, to, request, expected) in cases {
            assert_eq!(
                check_payment_move(role, from, to, request, today()).map(|_| ()),
                expected,
                "{role:?} {from:?} → {to:?}"
            );
        }
        // Returning needs a comment.
        assert!(matches!(
            check_payment_move(Role::Supervisor, Approval, Rework, &with(" ", ""), today()),
            Err(MoveError::Missing(_))
        ));
        let returned = check_payment_move(
            Role::Supervisor,
            Approval,
            Rework,
            &with(" Сумма не та ", ""),
            today(),
        )
        .unwrap();
        assert_eq!(returned.comment.as_deref(), Some("Сумма не та"));
        // Paying needs a date that has come.
        assert!(matches!(
            check_payment_move(
                Role::Accountant,
                Accounting,
                Paid,
                &with("", "2026-12-03"),
                today()
            ),
            Err(MoveError::Missing(_))
        ));
        let paid = check_payment_move(
            Role::Accountant,
            Accounting,
            Paid,
            &with("", "2026-12-02"),
            today(),
        )
        .unwrap();
        assert_eq!(paid.paid_on, Some(today()));
    }

    #[test]
    fn notices_name_the_request_in_each_language() {
        use super::super::lang::Lang;
        let amount = Money::from_kopecks(12_000_000);
        let ru = notice_text(Lang::Ru, &Notice::YourTurn, 12, "ООО «Ромашка»", amount);
        assert!(ru.starts_with("ЗО-12 (ООО «Ромашка», 120"), "{ru}");
        assert!(ru.ends_with("ждёт вашего согласования"));
        let en = notice_text(
            Lang::En,
            &Notice::Returned {
                by: "Sergey Ivanov".into(),
                comment: "Wrong amount".into(),
            },
            12,
            "Romashka",
            amount,
        );
        assert!(en.starts_with("PR-12 (Romashka, ₽120,000.00)"), "{en}");
        assert!(en.contains("Sergey Ivanov") && en.contains("Wrong amount"));
    }

    #[test]
    fn a_round_asks_the_first_step_not_covered_by_an_earlier_approval() {
        use super::super::approvals::{ChainStep, Change, MaterialField, Resend, StepReason};
        use StepState::*;
        let chain = |ids: &[i32]| -> Vec<ChainStep> {
            ids.iter()
                .map(|&id| ChainStep {
                    approver_user_id: id,
                    reason: StepReason::Line,
                })
                .collect()
        };
        let change = Change {
            field: MaterialField::Amount,
            old: "1".into(),
            new: "2".into(),
        };
        let ask = || Resend::Ask(Vec::new());
        type Case = (Vec<i32>, Vec<Resend>, Vec<StepState>);
        let cases: Vec<Case> = vec![
            (vec![1], vec![ask()], vec![Pending]),
            (
                vec![1, 2, 3],
                vec![ask(), ask(), ask()],
                vec![Pending, Waiting, Waiting],
            ),
            (
                vec![1, 2, 3],
                vec![Resend::Skip, ask(), ask()],
                vec![Skipped, Pending, Waiting],
            ),
            (
                vec![1, 2, 3],
                vec![
                    Resend::Skip,
                    Resend::Skip,
                    Resend::Ask(vec![change.clone()]),
                ],
                vec![Skipped, Skipped, Pending],
            ),
            // Nothing left to ask: the last confirms.
            (
                vec![1, 2],
                vec![Resend::Skip, Resend::Skip],
                vec![Skipped, Pending],
            ),
        ];
        for (ids, resend, expected) in cases {
            let planned = plan_round(&chain(&ids), resend, |id| id);
            let states: Vec<StepState> = planned.iter().map(|s| s.state).collect();
            assert_eq!(states, expected, "{ids:?}");
        }
        // The deputy decides, the changes travel with the step.
        let planned = plan_round(
            &chain(&[5, 6]),
            vec![Resend::Skip, Resend::Ask(vec![change.clone()])],
            |id| {
                if id == 6 { 60 } else { id }
            },
        );
        assert_eq!(planned[1].acting_user_id, 60);
        assert_eq!(planned[1].changes, vec![change]);
        assert_eq!(next_to_ask(&[Approved, Waiting, Waiting], 0), Some(1));
        assert_eq!(
            next_to_ask(&[Skipped, Approved, Skipped, Waiting], 1),
            Some(3)
        );
        assert_eq!(next_to_ask(&[Skipped, Skipped, Pending], 2), None);
    }

    #[test]
    fn a_rejection_needs_a_comment() {
        assert_eq!(decision_comment(true, "  "), Ok(None));
        assert_eq!(decision_comment(true, " ок "), Ok(Some("ок".into())));
        assert_eq!(
            decision_comment(false, "  "),
            Err(FieldProblem::field("comment", FieldError::Required))
        );
        assert_eq!(
            decision_comment(false, &"я".repeat(2001)),
            Err(FieldProblem::field("comment", FieldError::TooLong(2000)))
        );
        for state in StepState::ALL {
            assert_eq!(StepState::from_code(state.code()), Some(state));
        }
    }
}
