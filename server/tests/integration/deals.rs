//! Deals, their numbers and papers, payment deadlines, the scheduler and tasks, on SQLite and
//! PostgreSQL, through the server functions (the year rollover and the scheduler through the
//! repository, which take the clock as an argument).

use crate::common::*;
use app::api::deals::DealPage;
use app::api::papers::{OrderPage, SupplierPapers};
use app::api::search::SearchResults;
use app::api::tasks::{MyTasks, TaskPage};
use app::domain::access::{Ctx, Role};
use app::domain::clock::CompanyZone;
use app::domain::deals::DealStage;
use app::error::AppError;
use chrono::{DateTime, Datelike, Days, Utc};
use http::StatusCode;

on_both_databases!(
    two_hundred_deals_entering_implementation_at_once_get_numbers_one_to_two_hundred,
    leaving_and_re_entering_implementation_keeps_the_number_and_the_tasks,
    papers_made_before_and_after_numbering_carry_the_right_numbers,
    the_year_rolls_over_to_number_one,
    an_order_gets_its_payment_deadline_and_the_accountants_one_reminder,
    two_scheduler_instances_at_once_make_one_reminder,
    a_supplier_sees_only_its_own_papers_and_tasks,
    a_supplier_answers_its_task_and_staff_see_the_answer,
    the_search_box_finds_a_deal_by_part_of_its_number_with_its_papers,
    an_admin_edits_the_task_templates_and_the_kind_codes,
    a_deal_is_made_for_a_chosen_manager_and_bad_input_changes_nothing,
);

fn today() -> chrono::NaiveDate {
    CompanyZone::MOSCOW.today(Utc::now())
}

pub(crate) async fn create_deal(app: &TestApp, cookie: &str, title: &str) -> i32 {
    let response = app
        .call(
            "/api/staff/create_deal",
            &[
                ("title", title),
                ("customer", "АО Водоканал"),
                ("amount", "1 000 000"),
            ],
            Some(cookie),
        )
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    response.json()
}

async fn version_of(app: &TestApp, table: &str, id: i32) -> i32 {
    app.scalar(&format!("SELECT version AS n FROM {table} WHERE id = {id}"))
        .await as i32
}

async fn move_deal(app: &TestApp, cookie: &str, id: i32, to: &str) -> TestResponse {
    let version = version_of(app, "deals", id).await.to_string();
    let id = id.to_string();
    app.call(
        "/api/staff/move_deal",
        &[("id", &id), ("to", to), ("version", &version)],
        Some(cookie),
    )
    .await
}

async fn number(app: &TestApp, table: &str, id: i32) -> Option<String> {
    app.text(&format!("SELECT number AS t FROM {table} WHERE id = {id}"))
        .await
}

pub(crate) async fn counterparty_of(app: &TestApp, email: &str) -> i32 {
    app.scalar(&format!(
        "SELECT counterparty_id AS n FROM users WHERE email = '{email}'"
    ))
    .await as i32
}

pub(crate) async fn create_contract(
    app: &TestApp,
    cookie: &str,
    counterparty: i32,
    deal: Option<i32>,
    deferral: &str,
    base: &str,
) -> i32 {
    let (counterparty, deal) = (
        counterparty.to_string(),
        deal.map(|d| d.to_string()).unwrap_or_default(),
    );
    let response = app
        .call(
            "/api/staff/create_contract",
            &[
                ("counterparty", &counterparty),
                ("deal", &deal),
                ("signed_on", "2026-11-01"),
                ("deferral_days", deferral),
                ("deferral_base", base),
            ],
            Some(cookie),
        )
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    response.json()
}

async fn create_specification(app: &TestApp, cookie: &str, contract: i32) -> i32 {
    let contract = contract.to_string();
    let response = app
        .call(
            "/api/staff/create_specification",
            &[
                ("contract", &contract),
                ("dated_on", "2026-11-02"),
                ("lines[0][name]", "Насос ЦНС 38-44"),
                ("lines[0][quantity]", "2"),
                ("lines[0][unit]", "шт"),
                ("lines[0][price]", "150 000,00"),
                ("lines[0][vat]", "22"),
                ("lines[1][name]", "Кабель ВВГ 3×2,5"),
                ("lines[1][quantity]", "12,5"),
                ("lines[1][unit]", "м"),
                ("lines[1][price]", "99,99"),
                ("lines[1][vat]", "22"),
            ],
            Some(cookie),
        )
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    response.json()
}

pub(crate) async fn create_order(app: &TestApp, cookie: &str, contract: i32) -> i32 {
    let contract = contract.to_string();
    let response = app
        .call(
            "/api/staff/create_order",
            &[
                ("contract", &contract),
                ("amount", "301 249,88"),
                ("planned_delivery_on", "2026-12-10"),
                ("description", "Насосы и кабель"),
            ],
            Some(cookie),
        )
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    response.json()
}

async fn move_order(
    app: &TestApp,
    cookie: &str,
    id: i32,
    to: &str,
    extra: &[(&str, &str)],
) -> TestResponse {
    let version = version_of(app, "supplier_orders", id).await.to_string();
    let id = id.to_string();
    let mut form = vec![
        ("id", id.as_str()),
        ("to", to),
        ("version", version.as_str()),
    ];
    form.extend_from_slice(extra);
    app.call("/api/staff/move_order", &form, Some(cookie)).await
}

async fn manager_ctx(app: &TestApp) -> Ctx {
    Ctx {
        user_id: app
            .scalar(&format!(
                "SELECT id AS n FROM users WHERE email = '{MANAGER}'"
            ))
            .await as i32,
        role: Role::Manager,
        counterparty_id: None,
    }
}

async fn two_hundred_deals_entering_implementation_at_once_get_numbers_one_to_two_hundred(
    app: TestApp,
) {
    let manager = app.session(MANAGER).await;
    let mut ids = Vec::new();
    for n in 0..200 {
        ids.push(create_deal(&app, &manager, &format!("Сделка {n}")).await);
    }
    let moves = ids
        .iter()
        .map(|id| move_deal(&app, &manager, *id, "implementation"));
    for response in futures::future::join_all(moves).await {
        assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    }
    let year = today().year();
    let seqs = app
        .column(&format!(
            "SELECT number_seq AS n FROM deals WHERE number_year = {year} ORDER BY number_seq"
        ))
        .await;
    assert_eq!(
        seqs,
        (1..=200).collect::<Vec<i64>>(),
        "no gap, no duplicate"
    );
    assert_eq!(
        app.scalar("SELECT COUNT(DISTINCT number) AS n FROM deals")
            .await,
        200
    );
    let first = ids[0];
    let written = number(&app, "deals", first).await.expect("numbered");
    assert!(
        written.starts_with(&format!("{year}-")) && written.len() == 9,
        "{written}"
    );
    // Three default templates, one task each per deal.
    assert_eq!(
        app.scalar("SELECT COUNT(*) AS n FROM tasks WHERE deal_id IS NOT NULL")
            .await,
        600
    );
}

async fn leaving_and_re_entering_implementation_keeps_the_number_and_the_tasks(app: TestApp) {
    let manager = app.session(MANAGER).await;
    let id = create_deal(&app, &manager, "Поставка насосов").await;
    assert_eq!(number(&app, "deals", id).await, None);
    for stage in ["proposal", "agreed", "implementation"] {
        let response = move_deal(&app, &manager, id, stage).await;
        assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    }
    let first = number(&app, "deals", id).await.expect("numbered");
    let tasks = format!("SELECT COUNT(*) AS n FROM tasks WHERE deal_id = {id}");
    assert_eq!(app.scalar(&tasks).await, 3);
    for stage in ["agreed", "implementation", "done", "implementation"] {
        let response = move_deal(&app, &manager, id, stage).await;
        assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    }
    assert_eq!(number(&app, "deals", id).await, Some(first.clone()));
    assert_eq!(app.scalar(&tasks).await, 3);
    assert_eq!(
        app.scalar("SELECT MAX(last) AS n FROM deal_counters").await,
        1
    );

    // The deal's page: number, tasks with it in their titles, the history of moves.
    let page: DealPage = app
        .call(
            "/api/staff/deal",
            &[("id", &id.to_string())],
            Some(&manager),
        )
        .await
        .json();
    assert_eq!(page.number, Some(first.clone()));
    assert_eq!(page.stage.code, "implementation");
    assert_eq!(page.history.len(), 8);
    let titles: Vec<String> = page
        .tasks
        .iter()
        .filter_map(|t| t.title_en.clone())
        .collect();
    assert_eq!(
        titles,
        [
            format!("Prepare the budget for deal №{first}"),
            format!("Select customs codes for deal №{first}"),
            format!("Prepare the contract with specification for deal №{first}"),
        ]
    );
    // The accountant finds the budget task among their tasks, and was notified.
    let accountant = app.session(ACCOUNTANT).await;
    let mine: MyTasks = app.call("/api/tasks", &[], Some(&accountant)).await.json();
    assert!(
        mine.tasks
            .iter()
            .any(|t| t.title == format!("Подготовить бюджет по сделке №{first}")),
        "{mine:?}"
    );
    assert!(
        app.scalar(
            "SELECT COUNT(*) AS n FROM notifications n JOIN users u ON u.id = n.user_id \
             WHERE u.role = 'accountant' AND n.text LIKE '%бюджет%'"
        )
        .await
            >= 1
    );
    // A stale version is a conflict and changes nothing.
    let stale = app
        .call(
            "/api/staff/move_deal",
            &[("id", &id.to_string()), ("to", "done"), ("version", "1")],
            Some(&manager),
        )
        .await;
    assert_eq!(stale.app_error(), AppError::Conflict);
}

async fn papers_made_before_and_after_numbering_carry_the_right_numbers(app: TestApp) {
    let manager = app.session(MANAGER).await;
    let romashka = counterparty_of(&app, SUPPLIER_A).await;
    let vektor = counterparty_of(&app, SUPPLIER_B).await;
    let deal = create_deal(&app, &manager, "Насосная станция").await;
    let early_contract =
        create_contract(&app, &manager, romashka, Some(deal), "", "delivery").await;
    let early_spec = create_specification(&app, &manager, early_contract).await;
    let early_order = create_order(&app, &manager, early_contract).await;
    let second_contract = create_contract(
        &app,
        &manager,
        vektor,
        Some(deal),
        "30",
        "closing_documents",
    )
    .await;
    let unrelated = create_contract(&app, &manager, romashka, None, "", "delivery").await;
    for (table, id) in [
        ("contracts", early_contract),
        ("specifications", early_spec),
        ("supplier_orders", early_order),
    ] {
        assert_eq!(
            number(&app, table, id).await,
            None,
            "{table} before numbering"
        );
    }
    let response = move_deal(&app, &manager, deal, "implementation").await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    let deal_number = number(&app, "deals", deal).await.expect("numbered");
    let late_contract = create_contract(&app, &manager, romashka, Some(deal), "", "delivery").await;
    let late_order = create_order(&app, &manager, late_contract).await;
    let late_spec = create_specification(&app, &manager, second_contract).await;
    let expected = [
        ("contracts", early_contract, Some("CT-1")),
        ("contracts", second_contract, Some("CT-2")),
        ("contracts", late_contract, Some("CT-3")),
        ("specifications", early_spec, Some("SP-1")),
        ("specifications", late_spec, Some("SP-2")),
        ("supplier_orders", early_order, Some("PO-1")),
        ("supplier_orders", late_order, Some("PO-2")),
        ("contracts", unrelated, None),
    ];
    for (table, id, suffix) in expected {
        assert_eq!(
            number(&app, table, id).await,
            suffix.map(|s| format!("{deal_number}/{s}")),
            "{table} {id}"
        );
    }
    // The contract's deferral: the counterparty's 14 days unless given.
    assert_eq!(
        app.scalar(&format!(
            "SELECT deferral_days AS n FROM contracts WHERE id = {early_contract}"
        ))
        .await,
        14
    );
    // The specification's total is the sum of its lines.
    assert_eq!(
        app.scalar(&format!(
            "SELECT total_kopecks AS n FROM specifications WHERE id = {early_spec}"
        ))
        .await,
        30_000_000 + 124_988
    );
    // The deal's page lists every paper with its number; the supplier sees its order's.
    let page: DealPage = app
        .call(
            "/api/staff/deal",
            &[("id", &deal.to_string())],
            Some(&manager),
        )
        .await
        .json();
    assert_eq!(page.contracts.len(), 3);
    assert_eq!(page.specifications.len(), 2);
    assert_eq!(page.orders.len(), 2);
    let supplier = app.session(SUPPLIER_A).await;
    let papers: SupplierPapers = app
        .call("/api/cabinet/papers", &[], Some(&supplier))
        .await
        .json();
    let order_numbers: Vec<_> = papers
        .orders
        .iter()
        .filter_map(|o| o.number.clone())
        .collect();
    assert_eq!(
        order_numbers,
        [format!("{deal_number}/PO-2"), format!("{deal_number}/PO-1")]
    );
    assert!(
        papers
            .orders
            .iter()
            .all(|o| o.deal_number == Some(deal_number.clone()))
    );

    // The deal's files as one archive: a folder per paper, named by its number.
    for (kind, id, name) in [
        ("contract", early_contract, "договор.pdf"),
        ("order", early_order, "заказ.pdf"),
    ] {
        let response = app
            .post_multipart(
                &app::paths::item_files_path(kind, id),
                multipart_body(&[Part::File {
                    field: "files",
                    file_name: name,
                    content: pdf(name),
                }]),
                Some(&manager),
            )
            .await;
        assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    }
    let export = app
        .get(&app::paths::deal_export_path(deal), Some(&manager), "ru")
        .await;
    assert_eq!(export.status, StatusCode::OK, "{}", export.body);
    let disposition = export.headers["content-disposition"]
        .to_str()
        .unwrap_or_default()
        .to_owned();
    assert!(disposition.contains(&deal_number), "{disposition}");
    let mut archive =
        zip::ZipArchive::new(std::io::Cursor::new(export.bytes.clone())).expect("a readable ZIP");
    let mut names: Vec<String> = (0..archive.len())
        .map(|i| archive.by_index(i).expect("an entry").name().to_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            format!("2026-11-01 {deal_number}_CT-1/договор.pdf"),
            format!("{} {deal_number}_PO-1/заказ.pdf", today()),
        ]
    );
    let refused = app
        .get(&app::paths::deal_export_path(deal), Some(&supplier), "ru")
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}

async fn the_year_rolls_over_to_number_one(app: TestApp) {
    let manager = app.session(MANAGER).await;
    let ctx = manager_ctx(&app).await;
    let at = |text: &str| {
        DateTime::parse_from_rfc3339(text)
            .expect("a moment")
            .with_timezone(&Utc)
    };
    // 23:59 on 31 December in Moscow is still 2026; a minute later it is 2027.
    let late_2026 = create_deal(&app, &manager, "Последняя сделка года").await;
    let first_2027 = create_deal(&app, &manager, "Первая сделка года").await;
    let second_2027 = create_deal(&app, &manager, "Вторая сделка года").await;
    app.exec("INSERT INTO deal_counters (year, last) VALUES (2026, 41)")
        .await;
    for (id, moment, expected) in [
        (late_2026, "2026-12-31T20:59:00Z", "2026-0042"),
        (first_2027, "2026-12-31T21:00:00Z", "2027-0001"),
        (second_2027, "2027-01-02T09:00:00Z", "2027-0002"),
    ] {
        let version = version_of(&app, "deals", id).await;
        app::server::repo::pipeline::moves::move_card::<app::server::repo::pipeline::deals::Deals>(
            &ctx,
            &app.db,
            id,
            DealStage::Implementation.code(),
            version,
            &Default::default(),
            app::domain::clock::Now::new(at(moment), CompanyZone::MOSCOW),
            "",
        )
        .await
        .expect("moved");
        assert_eq!(number(&app, "deals", id).await.as_deref(), Some(expected));
    }
}

async fn an_order_gets_its_payment_deadline_and_the_accountants_one_reminder(app: TestApp) {
    let manager = app.session(MANAGER).await;
    let accountant = app.session(ACCOUNTANT).await;
    let romashka = counterparty_of(&app, SUPPLIER_A).await;
    let deal = create_deal(&app, &manager, "Поставка").await;
    move_deal(&app, &manager, deal, "implementation").await;
    let contract = create_contract(&app, &manager, romashka, Some(deal), "10", "delivery").await;
    let order = create_order(&app, &manager, contract).await;
    let id = order.to_string();

    // Delivered asks for its date; without it nothing changes.
    let refused = move_order(&app, &manager, order, "delivered", &[]).await;
    assert!(matches!(refused.app_error(), AppError::Rejected { .. }));
    assert_eq!(version_of(&app, "supplier_orders", order).await, 1);
    assert_eq!(app.count("scheduled_jobs").await, 0);

    // Delivered 8 days ago with 10 days' deferral: due in 2 days, remind 3 days before → due now.
    let delivered = (today() - Days::new(8)).format("%Y-%m-%d").to_string();
    let response = move_order(
        &app,
        &manager,
        order,
        "delivered",
        &[("delivered_on", &delivered)],
    )
    .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    let page: OrderPage = app
        .call("/api/order", &[("id", &id)], Some(&manager))
        .await
        .json();
    assert_eq!(page.order.payment_deadline, Some(today() + Days::new(2)));
    assert!(!page.order.overdue);

    let now = Utc::now();
    let made = app::server::repo::scheduler::run_due(&app.db, now, "http://localhost:3000")
        .await
        .expect("run");
    let again = app::server::repo::scheduler::run_due(&app.db, now, "http://localhost:3000")
        .await
        .expect("run");
    assert_eq!((made, again), (1, 0));
    let reminders = format!("SELECT COUNT(*) AS n FROM tasks WHERE order_id = {order}");
    assert_eq!(app.scalar(&reminders).await, 1);
    let mine: MyTasks = app.call("/api/tasks", &[], Some(&accountant)).await.json();
    let number = number(&app, "supplier_orders", order)
        .await
        .expect("numbered");
    let reminder = mine
        .tasks
        .iter()
        .find(|t| t.title_en.as_deref() == Some(&format!("Prepare payment for order №{number}")))
        .expect("the accountant's reminder");
    assert_eq!(reminder.deadline, Some(today() + Days::new(2)));
    assert!(
        app.scalar(&format!(
            "SELECT COUNT(*) AS n FROM notifications WHERE text LIKE '%{number}%'"
        ))
        .await
            >= 1
    );

    // A deadline in the past is overdue for staff and the supplier until paid.
    app.exec(&format!(
        "UPDATE supplier_orders SET payment_deadline = '2026-01-10' WHERE id = {order}"
    ))
    .await;
    let supplier = app.session(SUPPLIER_A).await;
    let seen: OrderPage = app
        .call("/api/order", &[("id", &id)], Some(&supplier))
        .await
        .json();
    assert!(seen.order.overdue);
    let paid = today().format("%Y-%m-%d").to_string();
    let closing = move_order(
        &app,
        &manager,
        order,
        "closing_docs",
        &[("closing_documents_on", &paid)],
    )
    .await;
    assert_eq!(closing.status, StatusCode::OK, "{}", closing.body);
    let response = move_order(&app, &manager, order, "paid", &[("paid_date", &paid)]).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    let seen: OrderPage = app
        .call("/api/order", &[("id", &id)], Some(&supplier))
        .await
        .json();
    assert!(!seen.order.overdue);
    assert_eq!(seen.order.paid_on, Some(today()));
}

async fn two_scheduler_instances_at_once_make_one_reminder(app: TestApp) {
    let manager = app.session(MANAGER).await;
    let romashka = counterparty_of(&app, SUPPLIER_A).await;
    let contract = create_contract(&app, &manager, romashka, None, "3", "delivery").await;
    let mut orders = Vec::new();
    for _ in 0..5 {
        let order = create_order(&app, &manager, contract).await;
        let delivered = today().format("%Y-%m-%d").to_string();
        let response = move_order(
            &app,
            &manager,
            order,
            "delivered",
            &[("delivered_on", &delivered)],
        )
        .await;
        assert_eq!(response.status, StatusCode::OK, "{}", response.body);
        orders.push(order);
    }
    // A paid order's reminder is called off.
    let paid = today().format("%Y-%m-%d").to_string();
    let response = move_order(&app, &manager, orders[4], "paid", &[("paid_date", &paid)]).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);

    let now = Utc::now();
    let (first, second) = tokio::join!(
        app::server::repo::scheduler::run_due(&app.db, now, "http://localhost:3000"),
        app::server::repo::scheduler::run_due(&app.db, now, "http://localhost:3000"),
    );
    assert_eq!(first.expect("run") + second.expect("run"), 4);
    for order in &orders[..4] {
        assert_eq!(
            app.scalar(&format!(
                "SELECT COUNT(*) AS n FROM tasks WHERE order_id = {order}"
            ))
            .await,
            1,
            "order {order}"
        );
    }
    assert_eq!(
        app.scalar(&format!(
            "SELECT COUNT(*) AS n FROM tasks WHERE order_id = {}",
            orders[4]
        ))
        .await,
        0
    );
    // A restart changes nothing: every job is done.
    let later = app::server::repo::scheduler::run_due(&app.db, now, "http://localhost:3000")
        .await
        .expect("run");
    assert_eq!(later, 0);
}

async fn a_supplier_sees_only_its_own_papers_and_tasks(app: TestApp) {
    let manager = app.session(MANAGER).await;
    let romashka = counterparty_of(&app, SUPPLIER_A).await;
    let contract = create_contract(&app, &manager, romashka, None, "", "delivery").await;
    let spec = create_specification(&app, &manager, contract).await;
    let order = create_order(&app, &manager, contract).await;
    let task: i32 = app
        .call(
            "/api/staff/create_task",
            &[
                ("title", "Предоставить закрывающие документы до 25-го"),
                ("assignee", &format!("counterparty:{romashka}")),
                ("deadline", "2026-11-25"),
            ],
            Some(&manager),
        )
        .await
        .json();
    let a = app.session(SUPPLIER_A).await;
    let b = app.session(SUPPLIER_B).await;
    for (path, id) in [
        ("/api/order", order),
        ("/api/contract", contract),
        ("/api/specification", spec),
        ("/api/task", task),
    ] {
        let id = id.to_string();
        let own = app.call(path, &[("id", &id)], Some(&a)).await;
        assert_eq!(own.status, StatusCode::OK, "{path}: {}", own.body);
        let foreign = app.call(path, &[("id", &id)], Some(&b)).await;
        let missing = app.call(path, &[("id", "999999")], Some(&b)).await;
        assert_eq!(foreign.status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(
            (foreign.status, foreign.body),
            (missing.status, missing.body)
        );
    }
    let theirs: SupplierPapers = app.call("/api/cabinet/papers", &[], Some(&b)).await.json();
    assert!(
        theirs.orders.is_empty() && theirs.contracts.is_empty() && theirs.specifications.is_empty()
    );
    let ours: SupplierPapers = app.call("/api/cabinet/papers", &[], Some(&a)).await.json();
    assert_eq!(
        (
            ours.orders.len(),
            ours.contracts.len(),
            ours.specifications.len()
        ),
        (1, 1, 1)
    );
    let b_tasks: MyTasks = app.call("/api/tasks", &[], Some(&b)).await.json();
    assert!(b_tasks.tasks.is_empty());
    let a_tasks: MyTasks = app.call("/api/tasks", &[], Some(&a)).await.json();
    assert_eq!(a_tasks.tasks.len(), 1);
    // Staff-only functions refuse a supplier.
    let refused: [(&str, &[(&str, &str)]); 4] = [
        (
            "/api/staff/create_deal",
            &[("title", "x"), ("customer", "y"), ("amount", "1")],
        ),
        (
            "/api/staff/create_task",
            &[("title", "x"), ("assignee", "role:manager")],
        ),
        ("/api/staff/search", &[("q", "1")]),
        ("/api/staff/deal", &[("id", "1")]),
    ];
    for (path, form) in refused {
        let response = app.call(path, form, Some(&a)).await;
        assert_eq!(
            response.status,
            StatusCode::FORBIDDEN,
            "{path}: {}",
            response.body
        );
    }
}

async fn a_supplier_answers_its_task_and_staff_see_the_answer(app: TestApp) {
    let manager = app.session(MANAGER).await;
    let romashka = counterparty_of(&app, SUPPLIER_A).await;
    let task: i32 = app
        .call(
            "/api/staff/create_task",
            &[
                ("title", "Предоставить закрывающие документы до 25-го"),
                ("assignee", &format!("counterparty:{romashka}")),
                ("deadline", "2026-11-25"),
            ],
            Some(&manager),
        )
        .await
        .json();
    let id = task.to_string();
    let supplier = app.session(SUPPLIER_A).await;
    let empty = app
        .call(
            "/api/task_comment",
            &[("id", &id), ("body", "  ")],
            Some(&supplier),
        )
        .await;
    assert!(matches!(empty.app_error(), AppError::Rejected { .. }));
    let response = app
        .call(
            "/api/task_comment",
            &[("id", &id), ("body", "Документы отправим 24-го курьером")],
            Some(&supplier),
        )
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    // The answer's file: the supplier attaches it, staff open it.
    let attached = app
        .post_multipart(
            &app::paths::item_files_path("task", task),
            multipart_body(&[Part::File {
                field: "files",
                file_name: "акт сверки.pdf",
                content: pdf("answer"),
            }]),
            Some(&supplier),
        )
        .await;
    assert_eq!(attached.status, StatusCode::OK, "{}", attached.body);
    let page: TaskPage = app
        .call("/api/task", &[("id", &id)], Some(&manager))
        .await
        .json();
    assert_eq!(page.files.len(), 1);
    assert_eq!(page.files[0].name, "акт сверки.pdf");
    let file = app
        .get(
            &app::paths::item_download_path(page.files[0].id, true),
            Some(&manager),
            "ru",
        )
        .await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(file.bytes, pdf("answer"));
    // A supplier adds files to its task, not to its contract (staff keep those).
    let contract = create_contract(&app, &manager, romashka, None, "", "delivery").await;
    let refused = app
        .post_multipart(
            &app::paths::item_files_path("contract", contract),
            multipart_body(&[Part::File {
                field: "files",
                file_name: "x.pdf",
                content: pdf("x"),
            }]),
            Some(&supplier),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(page.comments.len(), 1);
    assert!(page.comments[0].from_supplier);
    assert_eq!(page.comments[0].body, "Документы отправим 24-го курьером");
    // The task's author is told of the answer.
    let author = manager_ctx(&app).await.user_id;
    assert!(
        app.scalar(&format!(
            "SELECT COUNT(*) AS n FROM notifications WHERE user_id = {author} AND text LIKE '%закрывающие%'"
        ))
        .await
            >= 1
    );
    // The author follows the task among their own.
    let mine: MyTasks = app.call("/api/tasks", &[], Some(&manager)).await.json();
    assert!(mine.tasks.iter().any(|t| t.id == task), "{mine:?}");
    let done = app
        .call(
            "/api/task_status",
            &[("id", &id), ("status", "done")],
            Some(&manager),
        )
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    let seen: TaskPage = app
        .call("/api/task", &[("id", &id)], Some(&supplier))
        .await
        .json();
    assert_eq!(seen.task.status, app::domain::tasks::TaskStatus::Done);
}

async fn the_search_box_finds_a_deal_by_part_of_its_number_with_its_papers(app: TestApp) {
    let manager = app.session(MANAGER).await;
    let romashka = counterparty_of(&app, SUPPLIER_A).await;
    let mut deals = Vec::new();
    for title in ["Первая", "Вторая", "Третья"] {
        let deal = create_deal(&app, &manager, title).await;
        move_deal(&app, &manager, deal, "implementation").await;
        deals.push(deal);
    }
    let contract = create_contract(&app, &manager, romashka, Some(deals[1]), "", "delivery").await;
    create_order(&app, &manager, contract).await;
    let wanted = number(&app, "deals", deals[1]).await.expect("numbered");
    let year = &wanted[..4];
    for query in [
        wanted.clone(),
        format!("{year}-2"),
        "0002".to_owned(),
        format!("{wanted}/PO-1"),
        "вторая".to_owned(),
    ] {
        let found: SearchResults = app
            .call("/api/staff/search", &[("q", &query)], Some(&manager))
            .await
            .json();
        let hit = found
            .deals
            .iter()
            .find(|d| d.id == deals[1])
            .unwrap_or_else(|| panic!("{query}: {found:?}"));
        assert_eq!(hit.contracts.len(), 1, "{query}");
        assert_eq!(hit.orders[0].number, Some(format!("{wanted}/PO-1")));
        assert!(
            found.deals.iter().all(|d| d.id != deals[0]),
            "{query} found deal 1"
        );
    }
}

async fn an_admin_edits_the_task_templates_and_the_kind_codes(app: TestApp) {
    let admin = app.session("admin@demo.local").await;
    let manager = app.session(MANAGER).await;
    let settings: app::api::tasks::DealSettings = app
        .call("/api/admin/deal_settings", &[], Some(&admin))
        .await
        .json();
    // The migration seeds what the domain says the defaults are.
    let seeded: Vec<_> = settings
        .templates
        .iter()
        .map(|t| {
            (
                t.title_ru.clone(),
                t.title_en.clone(),
                t.role,
                t.deadline_days,
            )
        })
        .collect();
    let defaults: Vec<_> = app::domain::tasks::default_templates()
        .into_iter()
        .map(|t| (t.title_ru, t.title_en, t.role, t.deadline_days))
        .collect();
    assert_eq!(seeded, defaults);
    assert_eq!(
        (settings.order_code.as_str(), settings.reminder_days),
        ("PO", 3)
    );
    let refused = app
        .call("/api/admin/deal_settings", &[], Some(&manager))
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    // One template switched off, one renamed; codes changed.
    let first = settings.templates[0].id.to_string();
    let second = settings.templates[1].id.to_string();
    let save = |id: String, title_en: &'static str, active: &'static str| {
        let admin = admin.clone();
        let app = &app;
        async move {
            app.call(
                "/api/admin/save_task_template",
                &[
                    ("id", &id),
                    ("template[department_ru]", "ВЭД"),
                    ("template[department_en]", "Foreign trade"),
                    ("template[title_ru]", "Коды ТН ВЭД для №{number}"),
                    ("template[title_en]", title_en),
                    ("template[role]", "manager"),
                    ("template[user]", ""),
                    ("template[deadline_days]", "2"),
                    ("template[active]", active),
                ],
                Some(&admin),
            )
            .await
        }
    };
    let no_number = save(second.clone(), "Customs codes", "on").await;
    assert!(matches!(no_number.app_error(), AppError::Invalid { .. }));
    assert_eq!(
        save(second, "Customs codes for №{number}", "on")
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        save(first, "Budget for №{number}", "").await.status,
        StatusCode::OK
    );
    let bad_codes = app
        .call(
            "/api/admin/save_deal_settings",
            &[
                ("order_code", "ЗК"),
                ("contract_code", "CT"),
                ("specification_code", "SP"),
                ("reminder_days", "5"),
            ],
            Some(&admin),
        )
        .await;
    assert!(matches!(bad_codes.app_error(), AppError::Invalid { .. }));
    let saved = app
        .call(
            "/api/admin/save_deal_settings",
            &[
                ("order_code", "zk"),
                ("contract_code", "DG"),
                ("specification_code", "SP"),
                ("reminder_days", "5"),
            ],
            Some(&admin),
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);

    let deal = create_deal(&app, &manager, "Новые коды").await;
    move_deal(&app, &manager, deal, "implementation").await;
    let number = number(&app, "deals", deal).await.expect("numbered");
    let titles = app
        .column(&format!(
            "SELECT COUNT(*) AS n FROM tasks WHERE deal_id = {deal}"
        ))
        .await;
    assert_eq!(titles, [2], "the switched-off template makes no task");
    assert_eq!(
        app.text(&format!(
            "SELECT title_en AS t FROM tasks WHERE deal_id = {deal} ORDER BY id LIMIT 1"
        ))
        .await,
        Some(format!("Customs codes for №{number}"))
    );
    let romashka = counterparty_of(&app, SUPPLIER_A).await;
    let contract = create_contract(&app, &manager, romashka, Some(deal), "", "delivery").await;
    let order = create_order(&app, &manager, contract).await;
    assert_eq!(
        self::number(&app, "contracts", contract).await,
        Some(format!("{number}/DG-1"))
    );
    assert_eq!(
        self::number(&app, "supplier_orders", order).await,
        Some(format!("{number}/ZK-1"))
    );
}

async fn a_deal_is_made_for_a_chosen_manager_and_bad_input_changes_nothing(app: TestApp) {
    let manager = app.session(MANAGER).await;
    let supervisor = app
        .scalar("SELECT id AS n FROM users WHERE email = 'supervisor@demo.local'")
        .await
        .to_string();
    let supplier = app
        .scalar(&format!(
            "SELECT id AS n FROM users WHERE email = '{SUPPLIER_A}'"
        ))
        .await
        .to_string();
    let made = app
        .call(
            "/api/staff/create_deal",
            &[
                ("title", "Поставка труб"),
                ("customer", "ООО «Трубы»"),
                ("amount", "10 000,50"),
                ("responsible", &supervisor),
            ],
            Some(&manager),
        )
        .await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.body);
    let id: i32 = made.json();
    let page: DealPage = app
        .call(
            "/api/staff/deal",
            &[("id", &id.to_string())],
            Some(&manager),
        )
        .await
        .json();
    assert_eq!(page.responsible_name.as_deref(), Some("Сергей Иванов"));
    assert_eq!(page.amount.kopecks(), 1_000_050);
    assert_eq!(page.stage.code, "new");
    // Handed to the manager; a supplier cannot be made responsible.
    let me = manager_ctx(&app).await.user_id.to_string();
    let assigned = app
        .call(
            "/api/staff/assign_deal",
            &[("id", &id.to_string()), ("user_id", &me)],
            Some(&manager),
        )
        .await;
    assert_eq!(assigned.status, StatusCode::OK, "{}", assigned.body);
    let refused = app
        .call(
            "/api/staff/assign_deal",
            &[("id", &id.to_string()), ("user_id", &supplier)],
            Some(&manager),
        )
        .await;
    assert!(matches!(refused.app_error(), AppError::Invalid { .. }));
    let page: DealPage = app
        .call(
            "/api/staff/deal",
            &[("id", &id.to_string())],
            Some(&manager),
        )
        .await
        .json();
    assert_eq!(page.responsible_name.as_deref(), Some("Мария Петрова"));
    assert_eq!(page.version, 2);

    let before = app.count("deals").await;
    for form in [
        vec![("title", ""), ("customer", "x"), ("amount", "1")],
        vec![("title", "x"), ("customer", "x"), ("amount", "0")],
        vec![
            ("title", "x"),
            ("customer", "x"),
            ("amount", "1"),
            ("responsible", supplier.as_str()),
        ],
    ] {
        let refused = app
            .call("/api/staff/create_deal", &form, Some(&manager))
            .await;
        assert!(
            matches!(
                refused.app_error(),
                AppError::Rejected { .. } | AppError::Invalid { .. }
            ),
            "{form:?}"
        );
    }
    assert_eq!(app.count("deals").await, before);
    // An order asks for its contract; an unknown one changes nothing.
    let refused = app
        .call(
            "/api/staff/create_order",
            &[
                ("contract", "999999"),
                ("amount", "1"),
                ("planned_delivery_on", ""),
            ],
            Some(&manager),
        )
        .await;
    assert!(matches!(refused.app_error(), AppError::Invalid { .. }));
    assert_eq!(app.count("supplier_orders").await, 0);
}
