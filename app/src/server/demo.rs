//! Demo data for a first start: one person per staff role, two counterparties with a supplier
//! user each, and documents in every stage, so the app can be tried at once.
use crate::server::db::Db;
use chrono::{NaiveDate, TimeDelta, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set,
};

use super::auth::hash_password;
use super::entities::{counterparties, document_cards, stage_events, stages, users};
use super::repo;
use crate::domain::access::Role;
use crate::domain::documents::search_text;
use crate::domain::stage::DocumentStage;

pub const DEMO_PASSWORD: &str = "demo-password";

/// (e-mail, first name, last name, role, counterparty index)
pub const DEMO_USERS: [(&str, &str, &str, Role, Option<usize>); 6] = [
    ("admin@demo.local", "Анна", "Админова", Role::Admin, None),
    (
        "manager@demo.local",
        "Мария",
        "Петрова",
        Role::Manager,
        None,
    ),
    (
        "supervisor@demo.local",
        "Сергей",
        "Иванов",
        Role::Supervisor,
        None,
    ),
    (
        "accountant@demo.local",
        "Ольга",
        "Смирнова",
        Role::Accountant,
        None,
    ),
    (
        "supplier@romashka.demo",
        "Иван",
        "Сидоров",
        Role::Supplier,
        Some(0),
    ),
    (
        "supplier@vektor.demo",
        "Елена",
        "Кузнецова",
        Role::Supplier,
        Some(1),
    ),
];

const COUNTERPARTIES: [(&str, &str); 2] = [
    ("ООО «Ромашка»", "7707083893"),
    ("АО «Вектор»", "7736207543"),
];

/// (counterparty index, invoice number, amount in kopecks, stage, days ago, return comment)
type DemoDocument = (
    usize,
    &'static str,
    i64,
    DocumentStage,
    i64,
    Option<&'static str>,
);

const DOCUMENTS: [DemoDocument; 10] = [
    (0, "СЧ-101", 12_500_000, DocumentStage::Uploaded, 1, None),
    (0, "СЧ-98", 4_830_050, DocumentStage::Review, 3, None),
    (0, "СЧ-95", 21_000_000, DocumentStage::Accounting, 6, None),
    (0, "СЧ-91", 7_640_000, DocumentStage::PaymentPlan, 9, None),
    (0, "СЧ-87", 3_150_000, DocumentStage::Paid, 20, None),
    (
        0,
        "СЧ-99",
        1_990_000,
        DocumentStage::Returned,
        2,
        Some("В акте не хватает подписи и печати, загрузите исправленный акт."),
    ),
    (
        1,
        "В-2026/311",
        56_000_000,
        DocumentStage::Uploaded,
        0,
        None,
    ),
    (1, "В-2026/305", 9_875_025, DocumentStage::Review, 4, None),
    (
        1,
        "В-2026/290",
        14_400_000,
        DocumentStage::PaymentPlan,
        12,
        None,
    ),
    (1, "В-2026/270", 38_200_000, DocumentStage::Paid, 30, None),
];

/// Loads the demo data into an empty database; does nothing when any user exists.
pub async fn seed_if_empty(db: &Db) -> Result<bool, DbErr> {
    let txn = crate::server::repo::begin_write(db).await?;
    if repo::users::count(&txn).await? > 0 {
        return Ok(false);
    }
    let password_hash = hash_password(DEMO_PASSWORD)
        .map_err(|_| DbErr::Custom("could not hash the demo password".into()))?;
    let now = Utc::now();

    let mut counterparty_ids = Vec::new();
    for (name, inn) in COUNTERPARTIES {
        let row = counterparties::ActiveModel {
            name: Set(name.to_owned()),
            inn: Set(inn.to_owned()),
            block_mode: Set(crate::domain::settlements::BlockMode::None
                .code()
                .to_owned()),
            block_by_rule: Set(false),
            credit_limit_kopecks: Set(None),
            payment_deferral_days: Set(14),
            created_at: Set(now),
            kpp: Set(Some("773601001".to_owned())),
            legal_address: Set(Some("Москва, ул. Примерная, 1".to_owned())),
            bank_name: Set(Some("ПАО Сбербанк".to_owned())),
            bic: Set(Some("044525225".to_owned())),
            settlement_account: Set(Some("40702810938000012345".to_owned())),
            correspondent_account: Set(Some("30101810400000000225".to_owned())),
            search_text: Set(crate::domain::counterparty::search_text(name, inn)),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        counterparty_ids.push(row.id);
    }

    let mut manager_id = None;
    let mut staff_ids = Vec::new();
    for (email, first, last, role, counterparty) in DEMO_USERS {
        let row = users::ActiveModel {
            email: Set(email.to_owned()),
            first_name: Set(first.to_owned()),
            last_name: Set(last.to_owned()),
            role: Set(role.code().to_owned()),
            counterparty_id: Set(counterparty.map(|i| counterparty_ids[i])),
            password_hash: Set(password_hash.clone()),
            locale: Set(None),
            active: Set(true),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        if role == Role::Manager {
            manager_id = Some(row.id);
        }
        if role.is_staff() {
            staff_ids.push((role, row.id));
        }
    }
    seed_org(&txn, &staff_ids).await?;

    let all_stages = stages::Entity::find().all(&txn).await?;
    let stage_id = |stage: DocumentStage| {
        all_stages
            .iter()
            .find(|s| s.pipeline == stages::SUPPLIER_DOCUMENTS && s.code == stage.code())
            .map(|s| s.id)
            .ok_or_else(|| DbErr::Custom(format!("stage {} missing", stage.code())))
    };
    let today = now.date_naive();
    for (counterparty, number, kopecks, stage, days_ago, return_comment) in DOCUMENTS {
        let created = now - TimeDelta::days(days_ago) - TimeDelta::hours(2);
        let entered = now - TimeDelta::days(days_ago);
        let planned = (stage == DocumentStage::PaymentPlan)
            .then(|| today + TimeDelta::days(days_ago.min(7) + 2));
        let paid = (stage == DocumentStage::Paid).then(|| today - TimeDelta::days(days_ago - 5));
        let card = document_cards::ActiveModel {
            counterparty_id: Set(counterparty_ids[counterparty]),
            stage_id: Set(stage_id(stage)?),
            kind: Set("invoice_with_act".to_owned()),
            invoice_number: Set(number.to_owned()),
            invoice_date: Set(invoice_date(today, days_ago)),
            amount_kopecks: Set(kopecks),
            comment: Set(String::new()),
            planned_payment_date: Set(planned),
            paid_date: Set(paid),
            return_comment: Set(return_comment.map(str::to_owned)),
            responsible_user_id: Set((stage != DocumentStage::Uploaded)
                .then_some(manager_id)
                .flatten()),
            version: Set(1),
            created_at: Set(created),
            stage_entered_at: Set(entered),
            search_text: Set(search_text(number, "")),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        record_event(
            &txn,
            card.id,
            None,
            stage_id(DocumentStage::Uploaded)?,
            created,
        )
        .await?;
        if stage != DocumentStage::Uploaded {
            record_event(
                &txn,
                card.id,
                Some(stage_id(DocumentStage::Uploaded)?),
                stage_id(stage)?,
                entered,
            )
            .await?;
        }
    }
    txn.commit().await?;
    Ok(true)
}

/// The demo's org structure: the procurement directorate (the supervisor is its director) with
/// the purchasing department (the manager), and accounting (the accountant).
async fn seed_org(txn: &impl sea_orm::ConnectionTrait, staff: &[(Role, i32)]) -> Result<(), DbErr> {
    use crate::server::entities::{departments, staff_placements};
    let of = |role: Role| staff.iter().find(|(r, _)| *r == role).map(|(_, id)| *id);
    let department = |name: &str, parent: Option<i32>, head: Option<i32>, directorate: bool| {
        departments::ActiveModel {
            name: Set(name.to_owned()),
            parent_id: Set(parent),
            head_user_id: Set(head),
            directorate: Set(directorate),
            ..Default::default()
        }
    };
    let directorate = department("Дирекция по закупкам", None, of(Role::Supervisor), true)
        .insert(txn)
        .await?;
    let purchasing = department("Отдел закупок", Some(directorate.id), None, false)
        .insert(txn)
        .await?;
    let accounting = department("Бухгалтерия", None, of(Role::Accountant), true)
        .insert(txn)
        .await?;
    let places = [
        (Role::Supervisor, directorate.id, "Директор по закупкам"),
        (Role::Manager, purchasing.id, "Менеджер по закупкам"),
        (Role::Accountant, accounting.id, "Главный бухгалтер"),
    ];
    for (role, department_id, title) in places {
        if let Some(user_id) = of(role) {
            staff_placements::ActiveModel {
                user_id: Set(user_id),
                department_id: Set(Some(department_id)),
                line_manager_id: Set(None),
                job_title: Set(title.to_owned()),
            }
            .insert(txn)
            .await?;
        }
    }
    Ok(())
}

/// Adds `count` more cards spread over the stages and both counterparties, for trying and
/// measuring a large board (`DEMO_EXTRA_CARDS`).
pub async fn seed_extra_cards(db: &Db, count: usize) -> Result<(), DbErr> {
    let counterparty_ids: Vec<i32> = counterparties::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|c| c.id)
        .collect();
    let stage_ids: Vec<i32> = stages::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .filter(|s| s.pipeline == stages::SUPPLIER_DOCUMENTS && s.code != "returned")
        .map(|s| s.id)
        .collect();
    if counterparty_ids.is_empty() || stage_ids.is_empty() {
        return Ok(());
    }
    let now = Utc::now();
    let today = now.date_naive();
    let rows: Vec<document_cards::ActiveModel> = (0..count)
        .map(|i| {
            let number = format!("ДМ-{:05}", i + 1);
            let minutes = (i as i64 * 37) % (60 * 24 * 20);
            document_cards::ActiveModel {
                counterparty_id: Set(counterparty_ids[i % counterparty_ids.len()]),
                stage_id: Set(stage_ids[i % stage_ids.len()]),
                kind: Set("invoice_with_act".to_owned()),
                invoice_date: Set(invoice_date(today, (i % 60) as i64)),
                amount_kopecks: Set(10_000 + (i as i64 * 7_919) % 50_000_000),
                comment: Set(String::new()),
                version: Set(1),
                created_at: Set(now - TimeDelta::minutes(minutes + 60)),
                stage_entered_at: Set(now - TimeDelta::minutes(minutes)),
                search_text: Set(search_text(&number, "")),
                invoice_number: Set(number),
                ..Default::default()
            }
        })
        .collect();
    for batch in rows.chunks(200) {
        document_cards::Entity::insert_many(batch.to_vec())
            .exec(db)
            .await?;
    }
    Ok(())
}

fn invoice_date(today: NaiveDate, days_ago: i64) -> NaiveDate {
    today - TimeDelta::days(days_ago + 1)
}

async fn record_event(
    db: &impl ConnectionTrait,
    card_id: i32,
    from: Option<i32>,
    to: i32,
    at: chrono::DateTime<Utc>,
) -> Result<(), DbErr> {
    stage_events::ActiveModel {
        card_id: Set(card_id),
        from_stage_id: Set(from),
        to_stage_id: Set(to),
        user_id: Set(None),
        comment: Set(None),
        at: Set(at),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Demo deals for trying the deals board: one in each early stage and one in implementation,
/// numbered through the real move, with a contract, a specification and a delivered supplier
/// order of the first counterparty. Loaded by the server with the rest of the demo data (not
/// by the tests, which count numbers from 1).
pub async fn seed_deals(db: &Db) -> Result<(), crate::error::AppError> {
    use crate::domain::deadlines::DeferralBase;
    use crate::domain::deals::{
        ContractFields, DealFields, DealStage, OrderFields, OrderMoveRequest, OrderStage, RawLine,
        RawSpecification, check_specification,
    };
    use crate::domain::money::Money;
    use crate::error::AppError;
    use repo::pipeline::{deals::Deals, orders::Orders};
    let manager = users::Entity::find()
        .filter(users::Column::Role.eq(Role::Manager.code()))
        .one(db)
        .await?
        .ok_or(AppError::Internal)?;
    let ctx = crate::domain::access::Ctx {
        user_id: manager.id,
        role: Role::Manager,
        counterparty_id: None,
    };
    let counterparty = counterparties::Entity::find()
        .order_by_asc(counterparties::Column::Id)
        .one(db)
        .await?
        .ok_or(AppError::Internal)?;
    let now = Utc::now();
    // Demo deals are numbered in the default company zone (Moscow).
    let demo_now =
        crate::domain::clock::Now::new(now, crate::domain::clock::CompanyZone::default());
    let deal = |title: &str, customer: &str, rubles: i64| DealFields {
        title: title.to_owned(),
        customer: customer.to_owned(),
        amount: Money::from_kopecks(rubles * 100),
        responsible_user_id: Some(manager.id),
    };
    repo::deals::create(
        &ctx,
        db,
        &deal(
            "Насосы для станции водоподготовки",
            "АО «Водоканал»",
            4_800_000,
        ),
        now,
    )
    .await?;
    let proposal = repo::deals::create(
        &ctx,
        db,
        &deal(
            "Кабельная продукция для склада",
            "ООО «ЛогистикПарк»",
            1_250_000,
        ),
        now,
    )
    .await?;
    demo_move::<Deals>(
        &ctx,
        db,
        proposal,
        DealStage::Proposal.code(),
        &Default::default(),
        demo_now,
    )
    .await?;
    let running = repo::deals::create(
        &ctx,
        db,
        &deal("Модернизация котельной", "МУП «Теплосеть»", 12_600_000),
        now,
    )
    .await?;
    let contract = repo::papers::create_contract(
        &ctx,
        db,
        &ContractFields {
            counterparty_id: counterparty.id,
            deal_id: Some(running),
            signed_on: now.date_naive() - TimeDelta::days(45),
            deferral_days: Some(14),
            deferral_base: DeferralBase::Delivery,
        },
        now,
    )
    .await?;
    let line = |name: &str, quantity: &str, unit: &str, price: &str| RawLine {
        name: name.to_owned(),
        quantity: quantity.to_owned(),
        unit: unit.to_owned(),
        price: price.to_owned(),
        vat: "22".to_owned(),
    };
    let specification = check_specification(
        &RawSpecification {
            contract: Some(contract.to_string()),
            dated_on: (now.date_naive() - TimeDelta::days(44))
                .format("%Y-%m-%d")
                .to_string(),
            lines: vec![
                line("Котёл водогрейный КВ-ГМ-1,0", "2", "шт", "2 150 000"),
                line("Горелка газовая", "2", "шт", "380 000"),
            ],
        },
        Money::DEFAULT_MAXIMUM,
    )
    .map_err(|problems| AppError::Rejected { problems })?;
    repo::papers::create_specification(&ctx, db, &specification, now).await?;
    let order = repo::papers::create_order(
        &ctx,
        db,
        &OrderFields {
            contract_id: contract,
            amount: Money::from_kopecks(506_000_000),
            planned_delivery_on: Some(now.date_naive() - TimeDelta::days(26)),
            description: "Котлы и горелки по спецификации".to_owned(),
        },
        now,
    )
    .await?;
    // Numbered after its papers were made, so they get the number then.
    demo_move::<Deals>(
        &ctx,
        db,
        running,
        DealStage::Implementation.code(),
        &Default::default(),
        demo_now,
    )
    .await?;
    let delivered = OrderMoveRequest {
        delivered_on: Some(
            // Delivered 25 days ago on a 14-day deferral: the demo supplier's panel shows an
            // overdue amount in red.
            (now.date_naive() - TimeDelta::days(25))
                .format("%Y-%m-%d")
                .to_string(),
        ),
        ..Default::default()
    };
    demo_move::<Orders>(
        &ctx,
        db,
        order,
        OrderStage::Delivered.code(),
        &delivered,
        demo_now,
    )
    .await?;
    seed_document_ledger(db, manager.id, demo_now).await
}

/// The ledger of the demo documents, which were put straight into their stages rather than
/// moved there: what the move engine would have written for each (accepted raises what we
/// owe, paid lowers it), so the demo balance agrees with the documents.
async fn seed_document_ledger(
    db: &Db,
    user_id: i32,
    now: crate::domain::clock::Now,
) -> crate::error::AppResult<()> {
    use repo::pipeline::{PipelineDef, documents::Documents};
    let txn = repo::begin_write(db).await?;
    let all_stages = stages::Entity::find().all(&txn).await?;
    for row in document_cards::Entity::find().all(&txn).await? {
        let Some(stage) = all_stages
            .iter()
            .find(|s| s.id == row.stage_id)
            .and_then(|s| DocumentStage::from_code(&s.code))
        else {
            continue;
        };
        let entry = crate::domain::moves::StageEntry::default();
        if let Some(settlement) = Documents::settlement(&row, stage, &entry, &()) {
            repo::ledger::settle(&txn, user_id, &settlement, now).await?;
        }
    }
    txn.commit().await?;
    Ok(())
}

/// A move of a demo card made a moment ago (version 1), as staff make it on a board.
async fn demo_move<P: repo::pipeline::PipelineDef>(
    ctx: &crate::domain::access::Ctx,
    db: &Db,
    id: i32,
    to: &str,
    request: &crate::domain::moves::MoveRequest,
    now: crate::domain::clock::Now,
) -> crate::error::AppResult<()> {
    repo::pipeline::moves::move_card::<P>(ctx, db, id, to, 1, request, now, "").await?;
    Ok(())
}

/// For the payment benchmarks: `count` approved requests waiting in accounting, spread over
/// the counterparties, cash-flow items and the next sixty days (every tenth urgent).
pub async fn seed_extra_payments(db: &Db, count: usize) -> Result<(), DbErr> {
    use super::entities::payment_requests;
    let (parties, items, stage, initiator) = payment_seed_basis(db, "accounting").await?;
    let now = Utc::now();
    let today = now.date_naive();
    let rows: Vec<payment_requests::ActiveModel> = (0..count)
        .map(|i| {
            let urgent = i % 10 == 0;
            payment_requests::ActiveModel {
                stage_id: Set(stage),
                version: Set(1),
                stage_entered_at: Set(now),
                responsible_user_id: Set(None),
                initiator_user_id: Set(initiator),
                counterparty_id: Set(parties[i % parties.len()]),
                contact_id: Set(None),
                amount_kopecks: Set(100_000 + (i as i64 * 7_919) % 500_000_000),
                purpose: Set(format!("Оплата по счёту № Б-{:05}", i + 1)),
                cash_flow_item_id: Set(items[i % items.len()]),
                in_budget: Set(i % 3 != 0),
                urgent: Set(urgent),
                pay_by: Set((!urgent).then(|| today + TimeDelta::days((i % 60) as i64))),
                comment: Set(String::new()),
                document_card_id: Set(None),
                supplier_order_id: Set(None),
                round: Set(1),
                paid_on: Set(None),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
        })
        .collect();
    for batch in rows.chunks(200) {
        payment_requests::Entity::insert_many(batch.to_vec())
            .exec(db)
            .await?;
    }
    Ok(())
}

/// For the payment benchmarks: `approvers` staff users `approver{k}@bench.local` (the demo
/// password), each the first of a two-step chain (the supervisor second) on `each` requests
/// waiting for them. Request ids follow: approver k's are `k·each + 1 ..= (k+1)·each` on a
/// fresh database.
pub async fn seed_pending_approvals(db: &Db, approvers: usize, each: usize) -> Result<(), DbErr> {
    use super::entities::{approval_steps, payment_requests};
    use crate::domain::payments::StepState;
    let (parties, items, stage, _) = payment_seed_basis(db, "approval").await?;
    let supervisor = users::Entity::find()
        .filter(users::Column::Email.eq("supervisor@demo.local"))
        .one(db)
        .await?
        .ok_or_else(|| DbErr::Custom("the demo supervisor is missing".into()))?
        .id;
    let password_hash = hash_password(DEMO_PASSWORD)
        .map_err(|_| DbErr::Custom("could not hash the demo password".into()))?;
    let now = Utc::now();
    let today = now.date_naive();
    for k in 0..approvers {
        let approver = users::ActiveModel {
            email: Set(format!("approver{k}@bench.local")),
            first_name: Set(format!("Согласующий {k}")),
            last_name: Set(String::new()),
            role: Set(Role::Manager.code().to_owned()),
            counterparty_id: Set(None),
            password_hash: Set(password_hash.clone()),
            locale: Set(None),
            active: Set(true),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await?
        .id;
        for j in 0..each {
            let i = k * each + j;
            let request = payment_requests::ActiveModel {
                stage_id: Set(stage),
                version: Set(1),
                stage_entered_at: Set(now),
                responsible_user_id: Set(Some(approver)),
                initiator_user_id: Set(supervisor),
                counterparty_id: Set(parties[i % parties.len()]),
                contact_id: Set(None),
                amount_kopecks: Set(100_000 + i as i64),
                purpose: Set(format!("Согласование № {}", i + 1)),
                cash_flow_item_id: Set(items[i % items.len()]),
                in_budget: Set(true),
                urgent: Set(false),
                pay_by: Set(Some(today + TimeDelta::days(5))),
                comment: Set(String::new()),
                document_card_id: Set(None),
                supplier_order_id: Set(None),
                round: Set(1),
                paid_on: Set(None),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(db)
            .await?;
            let step = |position: i32, user: i32, state: StepState| approval_steps::ActiveModel {
                request_id: Set(request.id),
                round: Set(1),
                position: Set(position),
                approver_user_id: Set(user),
                acting_user_id: Set(Some(user)),
                reason: Set("line".to_owned()),
                state: Set(state.code().to_owned()),
                comment: Set(None),
                decided_at: Set(None),
                decided_by: Set(None),
                activated_at: Set((state == StepState::Pending).then_some(now)),
                remind_at: Set(None),
                escalate_at: Set(None),
                material: Set(None),
                fingerprint: Set(None),
                changes: Set(None),
                ..Default::default()
            };
            approval_steps::Entity::insert_many([
                step(0, approver, StepState::Pending),
                step(1, supervisor, StepState::Waiting),
            ])
            .exec(db)
            .await?;
        }
    }
    Ok(())
}

/// The counterparties, active cash-flow items, the payment stage `stage` and the manager who
/// initiates, for the benchmark requests.
async fn payment_seed_basis(db: &Db, stage: &str) -> Result<(Vec<i32>, Vec<i32>, i32, i32), DbErr> {
    use super::entities::cash_flow_items;
    let parties: Vec<i32> = counterparties::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|c| c.id)
        .collect();
    let items: Vec<i32> = cash_flow_items::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|i| i.id)
        .collect();
    let stage = stages::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .find(|s| s.pipeline == crate::domain::payments::PAYMENTS_PIPELINE && s.code == stage)
        .ok_or_else(|| DbErr::Custom(format!("payment stage {stage} missing")))?
        .id;
    let manager = users::Entity::find()
        .filter(users::Column::Email.eq("manager@demo.local"))
        .one(db)
        .await?
        .ok_or_else(|| DbErr::Custom("the demo manager is missing".into()))?
        .id;
    if parties.is_empty() || items.is_empty() {
        return Err(DbErr::Custom("no counterparties or cash-flow items".into()));
    }
    Ok((parties, items, stage, manager))
}
