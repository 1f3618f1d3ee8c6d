//! Payment requests' approval chain, as pure rules: who approves a request (up the org
//! structure, plus the admins' rules), who acts for an approver who is away, which earlier
//! approvals still cover a request sent again after rework, and when a waiting step reminds
//! and escalates (in working time).
use std::collections::{BTreeMap, HashSet};

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, Weekday};
use serde::{Deserialize, Serialize};

use super::form::FieldError;
use super::money::Money;

/// A department of the org structure: a tree by `parent_id`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Department {
    pub id: i32,
    pub parent_id: Option<i32>,
    pub head_user_id: Option<i32>,
    /// Its head is a director: a chain from below ends with them.
    pub directorate: bool,
}

/// Where a staff member sits: their department and, when set by hand, their line manager.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Placement {
    pub user_id: i32,
    pub department_id: Option<i32>,
    pub line_manager_id: Option<i32>,
}

/// The org structure as the chain reads it.
#[derive(Clone, Debug, Default)]
pub struct Org {
    departments: BTreeMap<i32, Department>,
    placements: BTreeMap<i32, Placement>,
}

/// An admin's rule on top of the line chain: above an amount, or for a cash-flow item (or
/// both), one more approver.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApprovalRule {
    pub id: i32,
    /// Applies to requests of at least this amount.
    pub min_amount: Option<Money>,
    /// Applies to requests of this cash-flow item.
    pub cash_flow_item_id: Option<i32>,
    pub approver_user_id: i32,
}

impl ApprovalRule {
    pub fn applies(&self, amount: Money, cash_flow_item_id: i32) -> bool {
        self.min_amount.is_none_or(|min| amount >= min)
            && self
                .cash_flow_item_id
                .is_none_or(|item| item == cash_flow_item_id)
    }
}

/// An approver away for a period names who decides for them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deputy {
    pub user_id: i32,
    pub deputy_user_id: i32,
    pub from: NaiveDate,
    /// Inclusive.
    pub to: NaiveDate,
}

/// Why a step is in the chain.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepReason {
    /// A line manager on the way up.
    Line,
    /// The director the line ends with.
    Director,
    /// An admin's rule.
    Rule,
}

impl StepReason {
    pub fn code(self) -> &'static str {
        match self {
            StepReason::Line => "line",
            StepReason::Director => "director",
            StepReason::Rule => "rule",
        }
    }

    pub fn from_code(code: &str) -> Option<StepReason> {
        [StepReason::Line, StepReason::Director, StepReason::Rule]
            .into_iter()
            .find(|r| r.code() == code)
    }
}

/// One approver of the chain, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainStep {
    pub approver_user_id: i32,
    pub reason: StepReason,
}

/// Why no chain could be built.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ChainError {
    /// Nobody is above this person and no rule adds an approver: an admin must place them.
    NoApprover { user_id: i32 },
    /// The line managers go round in a circle through this person.
    Cycle { user_id: i32 },
}

impl Org {
    pub fn new(departments: Vec<Department>, placements: Vec<Placement>) -> Org {
        Org {
            departments: departments.into_iter().map(|d| (d.id, d)).collect(),
            placements: placements.into_iter().map(|p| (p.user_id, p)).collect(),
        }
    }

    pub fn department(&self, id: i32) -> Option<&Department> {
        self.departments.get(&id)
    }

    fn department_of(&self, user_id: i32) -> Option<&Department> {
        self.placements
            .get(&user_id)
            .and_then(|p| p.department_id)
            .and_then(|id| self.department(id))
    }

    /// The departments from `id` up to the root (a broken tree stops where it loops).
    fn up_from(&self, id: i32) -> Vec<&Department> {
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        let mut next = Some(id);
        while let Some(id) = next {
            if !seen.insert(id) {
                break;
            }
            let Some(department) = self.department(id) else {
                break;
            };
            out.push(department);
            next = department.parent_id;
        }
        out
    }

    /// Whom `user_id` answers to: the line manager set by hand; otherwise the head of their
    /// department, or, for the head themselves, the nearest head above.
    pub fn line_manager(&self, user_id: i32) -> Option<i32> {
        let placement = self.placements.get(&user_id)?;
        if let Some(manager) = placement.line_manager_id.filter(|m| *m != user_id) {
            return Some(manager);
        }
        self.up_from(placement.department_id?)
            .into_iter()
            .filter_map(|d| d.head_user_id)
            .find(|head| *head != user_id)
    }

    /// The director `user_id`'s chain ends with: the head of the nearest directorate at or
    /// above their department (the root's head when none is marked).
    pub fn director_of(&self, user_id: i32) -> Option<i32> {
        let department = self.department_of(user_id)?;
        let path = self.up_from(department.id);
        path.iter()
            .find(|d| d.directorate && d.head_user_id.is_some())
            .or_else(|| path.iter().rev().find(|d| d.head_user_id.is_some()))
            .and_then(|d| d.head_user_id)
    }

    /// Heads a department.
    pub fn is_head(&self, user_id: i32) -> bool {
        self.departments
            .values()
            .any(|d| d.head_user_id == Some(user_id))
    }
}

/// The chain a request by `initiator` needs, computed when it is sent: each line manager up to
/// the director (a director's own request goes one level up, when there is one), then the
/// rules' approvers; nobody twice, never the initiator.
pub fn build_chain(
    org: &Org,
    initiator: i32,
    amount: Money,
    cash_flow_item_id: i32,
    rules: &[ApprovalRule],
) -> Result<Vec<ChainStep>, ChainError> {
    let mut steps: Vec<ChainStep> = Vec::new();
    let mut seen = HashSet::from([initiator]);
    let director = org.director_of(initiator);
    if director == Some(initiator) {
        // The director's own request: their manager, if anyone is above them.
        if let Some(manager) = org.line_manager(initiator) {
            seen.insert(manager);
            steps.push(ChainStep {
                approver_user_id: manager,
                reason: StepReason::Director,
            });
        }
    } else {
        let mut current = initiator;
        while let Some(manager) = org.line_manager(current) {
            if !seen.insert(manager) {
                return Err(ChainError::Cycle { user_id: manager });
            }
            let last = Some(manager) == director;
            steps.push(ChainStep {
                approver_user_id: manager,
                reason: if last {
                    StepReason::Director
                } else {
                    StepReason::Line
                },
            });
            if last {
                break;
            }
            current = manager;
        }
    }
    for rule in rules {
        if rule.applies(amount, cash_flow_item_id) && seen.insert(rule.approver_user_id) {
            steps.push(ChainStep {
                approver_user_id: rule.approver_user_id,
                reason: StepReason::Rule,
            });
        }
    }
    if steps.is_empty() {
        return Err(ChainError::NoApprover { user_id: initiator });
    }
    Ok(steps)
}

/// Who decides for `approver` on `day`: their deputy for a period that holds it (the latest
/// named, when periods overlap), unless that deputy is the initiator; else themselves.
pub fn acting_approver(approver: i32, initiator: i32, deputies: &[Deputy], day: NaiveDate) -> i32 {
    deputies
        .iter()
        .rev()
        .find(|d| d.user_id == approver && d.from <= day && day <= d.to)
        .map(|d| d.deputy_user_id)
        .filter(|deputy| *deputy != initiator && *deputy != approver)
        .unwrap_or(approver)
}

/// What an approval covers: the fields whose change asks the approver again.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Material {
    pub counterparty_id: i32,
    pub counterparty_name: String,
    pub amount: Money,
    pub pay_by: Option<NaiveDate>,
    pub urgent: bool,
    pub cash_flow_item_id: i32,
    pub cash_flow_item_name: String,
    pub in_budget: bool,
    /// The files' content hashes, with their names for the change list.
    pub files: Vec<(String, String)>,
}

/// A field of `Material` that changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MaterialField {
    Counterparty,
    Amount,
    PayBy,
    Urgent,
    CashFlowItem,
    InBudget,
    Files,
}

/// One change since an approval, old → new, as text in the request's own terms.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    pub field: MaterialField,
    pub old: String,
    pub new: String,
}

impl Material {
    /// The text hashed into an approval's fingerprint: only what the approval covers (the
    /// names are for people and do not count), files in a fixed order.
    pub fn canonical(&self) -> String {
        let mut hashes: Vec<&str> = self.files.iter().map(|(h, _)| h.as_str()).collect();
        hashes.sort_unstable();
        hashes.dedup();
        format!(
            "v1|cp={}|amount={}|pay_by={}|urgent={}|item={}|budget={}|files={}",
            self.counterparty_id,
            self.amount.kopecks(),
            self.pay_by.map(|d| d.to_string()).unwrap_or_default(),
            self.urgent,
            self.cash_flow_item_id,
            self.in_budget,
            hashes.join(",")
        )
    }

    fn file_list(&self) -> String {
        let mut names: Vec<&str> = self.files.iter().map(|(_, n)| n.as_str()).collect();
        names.sort_unstable();
        names.join(", ")
    }

    fn file_hashes(&self) -> Vec<&str> {
        let mut hashes: Vec<&str> = self.files.iter().map(|(h, _)| h.as_str()).collect();
        hashes.sort_unstable();
        hashes.dedup();
        hashes
    }

    /// What changed from `old` to `self`, field by field.
    pub fn changes_since(&self, old: &Material) -> Vec<Change> {
        let date = |d: Option<NaiveDate>| d.map(|d| d.format("%d.%m.%Y").to_string());
        let yes_no = |b: bool| {
            if b {
                "✓".to_owned()
            } else {
                "—".to_owned()
            }
        };
        let mut changes = Vec::new();
        let mut push = |field, differs: bool, old: String, new: String| {
            if differs {
                changes.push(Change { field, old, new });
            }
        };
        push(
            MaterialField::Counterparty,
            old.counterparty_id != self.counterparty_id,
            old.counterparty_name.clone(),
            self.counterparty_name.clone(),
        );
        push(
            MaterialField::Amount,
            old.amount != self.amount,
            old.amount.format(super::lang::Lang::Ru),
            self.amount.format(super::lang::Lang::Ru),
        );
        push(
            MaterialField::PayBy,
            old.pay_by != self.pay_by,
            date(old.pay_by).unwrap_or_else(|| "—".into()),
            date(self.pay_by).unwrap_or_else(|| "—".into()),
        );
        push(
            MaterialField::Urgent,
            old.urgent != self.urgent,
            yes_no(old.urgent),
            yes_no(self.urgent),
        );
        push(
            MaterialField::CashFlowItem,
            old.cash_flow_item_id != self.cash_flow_item_id,
            old.cash_flow_item_name.clone(),
            self.cash_flow_item_name.clone(),
        );
        push(
            MaterialField::InBudget,
            old.in_budget != self.in_budget,
            yes_no(old.in_budget),
            yes_no(self.in_budget),
        );
        push(
            MaterialField::Files,
            old.file_hashes() != self.file_hashes(),
            old.file_list(),
            self.file_list(),
        );
        changes
    }
}

/// What a step of a resent request does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Resend {
    /// The approver's earlier approval covers the request as it is: "approved earlier,
    /// unchanged".
    Skip,
    /// Asked again, shown what changed since their approval (nothing when they never approved).
    Ask(Vec<Change>),
}

/// For each step of the new chain: skipped when the approver's last approval of this request
/// covers exactly what is sent now (by fingerprint), else asked, with the changes since.
pub fn on_resend(chain: &[ChainStep], approved: &[(i32, Material)], now: &Material) -> Vec<Resend> {
    chain
        .iter()
        .map(|step| {
            match approved
                .iter()
                .rev()
                .find(|(user, _)| *user == step.approver_user_id)
            {
                Some((_, old)) if old.canonical() == now.canonical() => Resend::Skip,
                Some((_, old)) => Resend::Ask(now.changes_since(old)),
                None => Resend::Ask(Vec::new()),
            }
        })
        .collect()
}

/// Working days and hours: Monday to Friday, 09:00–13:00 and 14:00–18:00, except holidays.
#[derive(Clone, Debug, Default)]
pub struct WorkCalendar {
    holidays: HashSet<NaiveDate>,
}

const WORK_PERIODS: [(u32, u32); 2] = [(9, 13), (14, 18)];

impl WorkCalendar {
    pub fn new(holidays: impl IntoIterator<Item = NaiveDate>) -> WorkCalendar {
        WorkCalendar {
            holidays: holidays.into_iter().collect(),
        }
    }

    /// Russia's fixed public holidays of `years` (Labour Code art. 112): 1–8 January,
    /// 23 February, 8 March, 1 and 9 May, 12 June, 4 November. The government's yearly
    /// transfers of days off are not known in advance and are not included.
    pub fn russian(years: impl IntoIterator<Item = i32>) -> WorkCalendar {
        let mut holidays = Vec::new();
        for year in years {
            let mut add = |m, d| holidays.extend(NaiveDate::from_ymd_opt(year, m, d));
            for d in 1..=8 {
                add(1, d);
            }
            for (m, d) in [(2, 23), (3, 8), (5, 1), (5, 9), (6, 12), (11, 4)] {
                add(m, d);
            }
        }
        WorkCalendar::new(holidays)
    }

    pub fn is_working_day(&self, day: NaiveDate) -> bool {
        !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) && !self.holidays.contains(&day)
    }

    /// The moment `duration` of working time after `start` (local time). Time outside working
    /// hours does not count; a start outside them counts from the next working period.
    pub fn add_working(&self, start: NaiveDateTime, duration: TimeDelta) -> NaiveDateTime {
        let mut left = duration.max(TimeDelta::zero());
        let mut day = start.date();
        let mut from = start.time();
        // Bounded: ten years of days is more than any setting allows.
        for _ in 0..3660 {
            if self.is_working_day(day) {
                for (begin, end) in WORK_PERIODS {
                    let begin = NaiveTime::from_hms_opt(begin, 0, 0).unwrap_or_default();
                    let end = NaiveTime::from_hms_opt(end, 0, 0).unwrap_or_default();
                    if from >= end {
                        continue;
                    }
                    let at = from.max(begin);
                    let room = end - at;
                    if left <= room {
                        return day.and_time(at) + left;
                    }
                    left -= room;
                    from = end;
                }
            }
            day = day.succ_opt().unwrap_or(day);
            from = NaiveTime::MIN;
        }
        day.and_time(from)
    }
}

/// When a step waiting since `since` reminds its approver, and when it tells the initiator and
/// the approver's manager: after `wait` and twice `wait` of working time.
pub fn escalation_times(
    calendar: &WorkCalendar,
    since: NaiveDateTime,
    wait: TimeDelta,
) -> (NaiveDateTime, NaiveDateTime) {
    (
        calendar.add_working(since, wait),
        calendar.add_working(since, wait * 2),
    )
}

/// The default of the stuck-step setting: 8 working hours.
pub const DEFAULT_STEP_WAIT_HOURS: u32 = 8;

/// The longest name of a department, a cash-flow item or a job title.
pub const MAX_NAME: usize = 200;
/// The longest code of a cash-flow item.
pub const MAX_ITEM_CODE: usize = 20;

/// A name as typed: trimmed, filled in, not too long.
pub fn check_name(name: &str, max: usize) -> Result<String, FieldError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(FieldError::Required);
    }
    if name.chars().count() > max {
        return Err(FieldError::TooLong(max));
    }
    Ok(name.to_owned())
}

/// Whether putting department `id` under `parent` would make the tree a circle.
pub fn parent_would_loop(departments: &[Department], id: i32, parent: Option<i32>) -> bool {
    let mut seen = HashSet::new();
    let mut next = parent;
    while let Some(current) = next {
        if current == id || !seen.insert(current) {
            return true;
        }
        next = departments
            .iter()
            .find(|d| d.id == current)
            .and_then(|d| d.parent_id);
    }
    false
}

impl Org {
    /// The org with `placement` in place of the person's current one.
    pub fn with_placement(&self, placement: Placement) -> Org {
        let mut org = self.clone();
        org.placements.insert(placement.user_id, placement);
        org
    }

    /// The org with `department` in place of (or added to) its current one.
    pub fn with_department(&self, department: Department) -> Org {
        let mut org = self.clone();
        org.departments.insert(department.id, department);
        org
    }

    /// Whether following line managers up from `user_id` comes back round.
    pub fn manager_loops(&self, user_id: i32) -> bool {
        let mut seen = HashSet::from([user_id]);
        let mut current = user_id;
        while let Some(manager) = self.line_manager(current) {
            if !seen.insert(manager) {
                return true;
            }
            current = manager;
        }
        false
    }

    /// Every placed person whose line now goes round in a circle.
    pub fn people_in_loops(&self) -> Vec<i32> {
        self.placements
            .keys()
            .copied()
            .filter(|user| self.manager_loops(*user))
            .collect()
    }
}

/// A deputy's period as typed: the deputy is someone else, the period is not reversed.
pub fn check_deputy(deputy: &Deputy) -> Result<(), (&'static str, FieldError)> {
    if deputy.deputy_user_id == deputy.user_id {
        return Err(("deputy", FieldError::MustDiffer));
    }
    if deputy.to < deputy.from {
        return Err(("ends_on", FieldError::PeriodReversed));
    }
    Ok(())
}

/// A rule applies to something: an amount, a cash-flow item, or both.
pub fn check_rule(rule: &ApprovalRule) -> Result<(), (&'static str, FieldError)> {
    if rule.min_amount.is_none() && rule.cash_flow_item_id.is_none() {
        return Err(("min_amount", FieldError::RuleNeedsCondition));
    }
    if rule.min_amount.is_some_and(|m| m <= Money::ZERO) {
        return Err(("min_amount", FieldError::ZeroAmount));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dept(id: i32, parent: Option<i32>, head: Option<i32>, directorate: bool) -> Department {
        Department {
            id,
            parent_id: parent,
            head_user_id: head,
            directorate,
        }
    }

    fn at(user_id: i32, department: i32) -> Placement {
        Placement {
            user_id,
            department_id: Some(department),
            line_manager_id: None,
        }
    }

    /// Company (1, CEO 100) → Procurement directorate (2, director 200) → Purchasing (3, head
    /// 300) → Group (4, lead 400); employee 401 in the group, 301 in purchasing, 201 in the
    /// directorate; Finance directorate (5, director 500) with no one else.
    fn company() -> Org {
        Org::new(
            vec![
                dept(1, None, Some(100), false),
                dept(2, Some(1), Some(200), true),
                dept(3, Some(2), Some(300), false),
                dept(4, Some(3), Some(400), false),
                dept(5, Some(1), Some(500), true),
            ],
            vec![
                at(100, 1),
                at(200, 2),
                at(201, 2),
                at(300, 3),
                at(301, 3),
                at(400, 4),
                at(401, 4),
                at(500, 5),
            ],
        )
    }

    fn approvers(chain: &[ChainStep]) -> Vec<i32> {
        chain.iter().map(|s| s.approver_user_id).collect()
    }

    fn rub(rubles: i64) -> Money {
        Money::from_kopecks(rubles * 100)
    }

    #[test]
    fn the_chain_climbs_to_the_director() {
        let org = company();
        let cases: &[(i32, &[i32])] = &[
            // depth 1: directly under the director
            (201, &[200]),
            // depth 2
            (301, &[300, 200]),
            // depth 3
            (401, &[400, 300, 200]),
            // a head starts one level up: the group lead's manager is purchasing's head
            (400, &[300, 200]),
            (300, &[200]),
            // the director's own request goes to the CEO
            (200, &[100]),
        ];
        for (initiator, expected) in cases {
            let chain = build_chain(&org, *initiator, rub(1000), 1, &[]).unwrap();
            assert_eq!(approvers(&chain), *expected, "initiator {initiator}");
            assert!(!approvers(&chain).contains(initiator));
        }
        let chain = build_chain(&org, 401, rub(1000), 1, &[]).unwrap();
        assert_eq!(chain.last().unwrap().reason, StepReason::Director);
        assert_eq!(chain[0].reason, StepReason::Line);
    }

    #[test]
    fn depth_four_and_a_line_manager_set_by_hand() {
        let mut placements = vec![at(100, 1), at(200, 2), at(300, 3), at(400, 4)];
        // 402 answers to 401 by hand, who answers to the group's lead.
        placements.push(Placement {
            user_id: 402,
            department_id: Some(4),
            line_manager_id: Some(401),
        });
        placements.push(at(401, 4));
        let org = Org::new(company().departments.into_values().collect(), placements);
        let chain = build_chain(&org, 402, rub(1), 1, &[]).unwrap();
        assert_eq!(approvers(&chain), [401, 400, 300, 200]);
    }

    #[test]
    fn a_missing_manager_or_a_circle_is_an_error() {
        let org = company();
        // The CEO has nobody above: no chain without a rule.
        assert_eq!(
            build_chain(&org, 100, rub(1), 1, &[]),
            Err(ChainError::NoApprover { user_id: 100 })
        );
        // Nobody placed at all.
        assert_eq!(
            build_chain(&org, 999, rub(1), 1, &[]),
            Err(ChainError::NoApprover { user_id: 999 })
        );
        let circle = Org::new(
            vec![],
            vec![
                Placement {
                    user_id: 1,
                    department_id: None,
                    line_manager_id: Some(2),
                },
                Placement {
                    user_id: 2,
                    department_id: None,
                    line_manager_id: Some(3),
                },
                Placement {
                    user_id: 3,
                    department_id: None,
                    line_manager_id: Some(2),
                },
            ],
        );
        assert_eq!(
            build_chain(&circle, 1, rub(1), 1, &[]),
            Err(ChainError::Cycle { user_id: 2 })
        );
    }

    #[test]
    fn a_tree_with_no_directorate_ends_at_its_top() {
        let org = Org::new(
            vec![
                dept(1, None, Some(10), false),
                dept(2, Some(1), Some(20), false),
            ],
            vec![at(10, 1), at(20, 2), at(21, 2)],
        );
        assert_eq!(
            approvers(&build_chain(&org, 21, rub(1), 1, &[]).unwrap()),
            [20, 10]
        );
        // A department with no head: its people answer to the head above.
        let headless = Org::new(
            vec![dept(1, None, Some(10), true), dept(2, Some(1), None, false)],
            vec![at(10, 1), at(21, 2)],
        );
        assert_eq!(
            approvers(&build_chain(&headless, 21, rub(1), 1, &[]).unwrap()),
            [10]
        );
    }

    #[test]
    fn rules_add_approvers_by_amount_and_item() {
        let org = company();
        let rules = [
            ApprovalRule {
                id: 1,
                min_amount: Some(rub(1_000_000)),
                cash_flow_item_id: None,
                approver_user_id: 500,
            },
            ApprovalRule {
                id: 2,
                min_amount: None,
                cash_flow_item_id: Some(7),
                approver_user_id: 100,
            },
            // Already in the line: not asked twice.
            ApprovalRule {
                id: 3,
                min_amount: None,
                cash_flow_item_id: Some(7),
                approver_user_id: 300,
            },
            // Both conditions.
            ApprovalRule {
                id: 4,
                min_amount: Some(rub(5_000_000)),
                cash_flow_item_id: Some(8),
                approver_user_id: 201,
            },
        ];
        let cases: &[(i64, i32, &[i32])] = &[
            (999_999, 1, &[300, 200]),
            (1_000_000, 1, &[300, 200, 500]),
            (10, 7, &[300, 200, 100]),
            (2_000_000, 7, &[300, 200, 500, 100]),
            (5_000_000, 8, &[300, 200, 500, 201]),
            (4_999_999, 8, &[300, 200, 500]),
            (999_999, 8, &[300, 200]),
        ];
        for (amount, item, expected) in cases {
            let chain = build_chain(&org, 301, rub(*amount), *item, &rules).unwrap();
            assert_eq!(approvers(&chain), *expected, "{amount} / {item}");
        }
        // The CEO's own request: only rules can approve it; never the CEO themselves.
        let chain = build_chain(&org, 100, rub(1_000_000), 7, &rules).unwrap();
        assert_eq!(approvers(&chain), [500, 300]);
        assert_eq!(chain[0].reason, StepReason::Rule);
    }

    #[test]
    fn deputies_act_within_their_period() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        let deputies = [
            Deputy {
                user_id: 300,
                deputy_user_id: 310,
                from: d(2026, 12, 7),
                to: d(2026, 12, 11),
            },
            // A later, overlapping period names someone else.
            Deputy {
                user_id: 300,
                deputy_user_id: 320,
                from: d(2026, 12, 10),
                to: d(2026, 12, 20),
            },
            // Naming the initiator as deputy does not let them approve their own request.
            Deputy {
                user_id: 200,
                deputy_user_id: 301,
                from: d(2026, 12, 1),
                to: d(2026, 12, 31),
            },
        ];
        let cases = [
            (300, d(2026, 12, 6), 300),
            (300, d(2026, 12, 7), 310),
            (300, d(2026, 12, 9), 310),
            (300, d(2026, 12, 10), 320),
            (300, d(2026, 12, 20), 320),
            (300, d(2026, 12, 21), 300),
            (200, d(2026, 12, 15), 200),
            (400, d(2026, 12, 9), 400),
        ];
        for (approver, day, expected) in cases {
            assert_eq!(
                acting_approver(approver, 301, &deputies, day),
                expected,
                "{approver} on {day}"
            );
        }
    }

    fn material() -> Material {
        Material {
            counterparty_id: 1,
            counterparty_name: "ООО Ромашка".into(),
            amount: rub(120_000),
            pay_by: NaiveDate::from_ymd_opt(2026, 12, 15),
            urgent: false,
            cash_flow_item_id: 3,
            cash_flow_item_name: "Закупка материалов".into(),
            in_budget: true,
            files: vec![("aa".into(), "счёт.pdf".into())],
        }
    }

    #[test]
    fn an_unchanged_approval_is_skipped_and_a_change_asks_again() {
        let chain = [
            ChainStep {
                approver_user_id: 300,
                reason: StepReason::Line,
            },
            ChainStep {
                approver_user_id: 200,
                reason: StepReason::Director,
            },
        ];
        let before = material();
        // 300 approved; 200 rejected (no approval of theirs).
        let approved = vec![(300, before.clone())];

        let same = material();
        assert_eq!(
            on_resend(&chain, &approved, &same),
            [Resend::Skip, Resend::Ask(vec![])]
        );

        // Names and the files' order do not count.
        let mut renamed = material();
        renamed.counterparty_name = "Ромашка".into();
        renamed.files = vec![("aa".into(), "scan.pdf".into())];
        assert_eq!(on_resend(&chain, &approved, &renamed)[0], Resend::Skip);

        let mut cheaper = material();
        cheaper.amount = rub(100_000);
        assert_eq!(
            on_resend(&chain, &approved, &cheaper)[0],
            Resend::Ask(vec![Change {
                field: MaterialField::Amount,
                old: rub(120_000).format(crate::domain::lang::Lang::Ru),
                new: rub(100_000).format(crate::domain::lang::Lang::Ru),
            }])
        );

        type Edit = Box<dyn Fn(&mut Material)>;
        let cases: Vec<(Edit, MaterialField)> = vec![
            (
                Box::new(|m| m.counterparty_id = 2),
                MaterialField::Counterparty,
            ),
            (Box::new(|m| m.pay_by = None), MaterialField::PayBy),
            (Box::new(|m| m.urgent = true), MaterialField::Urgent),
            (
                Box::new(|m| m.cash_flow_item_id = 4),
                MaterialField::CashFlowItem,
            ),
            (Box::new(|m| m.in_budget = false), MaterialField::InBudget),
            (
                Box::new(|m| m.files.push(("bb".into(), "акт.pdf".into()))),
                MaterialField::Files,
            ),
            (
                Box::new(|m| m.files = vec![("cc".into(), "счёт.pdf".into())]),
                MaterialField::Files,
            ),
        ];
        for (change, field) in cases {
            let mut changed = material();
            change(&mut changed);
            assert_ne!(changed.canonical(), before.canonical(), "{field:?}");
            match &on_resend(&chain, &approved, &changed)[0] {
                Resend::Ask(changes) => {
                    assert_eq!(changes.len(), 1, "{field:?}");
                    assert_eq!(changes[0].field, field);
                }
                Resend::Skip => panic!("{field:?} changed but the approval was kept"),
            }
        }

        // The approver's latest approval is the one that counts.
        let twice = vec![(300, before.clone()), (300, cheaper.clone())];
        assert_eq!(on_resend(&chain, &twice, &cheaper)[0], Resend::Skip);
        assert!(matches!(
            on_resend(&chain, &twice, &before)[0],
            Resend::Ask(_)
        ));
    }

    fn dt(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(h, min, 0)
            .unwrap()
    }

    #[test]
    fn working_time_skips_nights_lunch_weekends_and_holidays() {
        let calendar = WorkCalendar::russian([2026, 2027]);
        let hours = |h: i64| TimeDelta::hours(h);
        // 2026-12-04 is a Friday.
        let cases = [
            // Within one morning.
            (dt(2026, 12, 1, 9, 0), hours(2), dt(2026, 12, 1, 11, 0)),
            // Over lunch.
            (dt(2026, 12, 1, 12, 0), hours(2), dt(2026, 12, 1, 15, 0)),
            // Eight hours from 9:00 end at 18:00 the same day.
            (dt(2026, 12, 1, 9, 0), hours(8), dt(2026, 12, 1, 18, 0)),
            // From Friday 15:00, 8 hours run to Monday 15:00.
            (dt(2026, 12, 4, 15, 0), hours(8), dt(2026, 12, 7, 15, 0)),
            // Sixteen hours from Friday 15:00: Tuesday 15:00.
            (dt(2026, 12, 4, 15, 0), hours(16), dt(2026, 12, 8, 15, 0)),
            // Sent on Saturday night: the clock starts Monday 9:00.
            (dt(2026, 12, 5, 23, 0), hours(8), dt(2026, 12, 7, 18, 0)),
            // Sent at 20:00 on a weekday: from 9:00 the next day.
            (dt(2026, 12, 1, 20, 0), hours(1), dt(2026, 12, 2, 10, 0)),
            // New year: 31 Dec (Thursday) 17:00 + 2 h → 1–8 January are holidays, 9–10 the
            // weekend: Monday 11 January 10:00.
            (dt(2026, 12, 31, 17, 0), hours(2), dt(2027, 1, 11, 10, 0)),
            // 4 November 2026 (a Wednesday) is a holiday.
            (dt(2026, 11, 3, 17, 0), hours(2), dt(2026, 11, 5, 10, 0)),
        ];
        for (start, wait, expected) in cases {
            assert_eq!(
                calendar.add_working(start, wait),
                expected,
                "{start} + {wait}"
            );
        }
    }

    #[test]
    fn a_stuck_step_reminds_then_escalates_across_a_weekend() {
        let calendar = WorkCalendar::russian([2026]);
        let (remind, escalate) = escalation_times(
            &calendar,
            dt(2026, 12, 4, 11, 30),
            TimeDelta::hours(DEFAULT_STEP_WAIT_HOURS as i64),
        );
        assert_eq!(remind, dt(2026, 12, 7, 11, 30));
        assert_eq!(escalate, dt(2026, 12, 8, 11, 30));
    }

    #[test]
    fn the_tree_and_the_lines_refuse_circles() {
        let org = company();
        let departments: Vec<Department> = org.departments.values().cloned().collect();
        let cases = [
            // (department, new parent, loops)
            (4, Some(3), false),
            (4, None, false),
            (4, Some(5), false),
            (3, Some(4), true),
            (2, Some(4), true),
            (1, Some(1), true),
            (5, Some(2), false),
        ];
        for (id, parent, loops) in cases {
            assert_eq!(
                parent_would_loop(&departments, id, parent),
                loops,
                "{id} under {parent:?}"
            );
        }
        assert!(org.people_in_loops().is_empty());
        // The director answers by hand to someone in their own group: a circle.
        let looped = org.with_placement(Placement {
            user_id: 200,
            department_id: Some(2),
            line_manager_id: Some(401),
        });
        assert!(looped.manager_loops(200));
        assert!(looped.people_in_loops().contains(&401));
        assert!(matches!(
            build_chain(&looped, 401, rub(1), 1, &[]),
            Ok(_) | Err(ChainError::Cycle { .. })
        ));
    }

    #[test]
    fn deputies_and_rules_as_typed() {
        let d = |day| NaiveDate::from_ymd_opt(2026, 12, day).unwrap();
        let deputy = |user, deputy, from, to| Deputy {
            user_id: user,
            deputy_user_id: deputy,
            from: d(from),
            to: d(to),
        };
        assert_eq!(check_deputy(&deputy(1, 2, 1, 1)), Ok(()));
        assert_eq!(check_deputy(&deputy(1, 2, 1, 10)), Ok(()));
        assert_eq!(
            check_deputy(&deputy(1, 1, 1, 10)),
            Err(("deputy", FieldError::MustDiffer))
        );
        assert_eq!(
            check_deputy(&deputy(1, 2, 10, 1)),
            Err(("ends_on", FieldError::PeriodReversed))
        );
        let rule = |min: Option<i64>, item| ApprovalRule {
            id: 0,
            min_amount: min.map(rub),
            cash_flow_item_id: item,
            approver_user_id: 5,
        };
        assert_eq!(check_rule(&rule(Some(1), None)), Ok(()));
        assert_eq!(check_rule(&rule(None, Some(1))), Ok(()));
        assert_eq!(
            check_rule(&rule(None, None)),
            Err(("min_amount", FieldError::RuleNeedsCondition))
        );
        assert_eq!(
            check_rule(&rule(Some(0), None)),
            Err(("min_amount", FieldError::ZeroAmount))
        );
        assert_eq!(check_name("  Закупки ", MAX_NAME), Ok("Закупки".into()));
        assert_eq!(check_name("   ", MAX_NAME), Err(FieldError::Required));
        assert_eq!(
            check_name(&"я".repeat(201), MAX_NAME),
            Err(FieldError::TooLong(200))
        );
    }
}
