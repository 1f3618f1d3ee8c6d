//! The org structure payment requests are approved along: admins edit departments, placements,
//! cash-flow items and rules; approvers name deputies; everyone on staff sees whom each
//! person's requests go to. Bad input and circles change nothing.
use crate::common::*;
use app::api::org::{ChainView, OrgSettings};
use app::domain::form::FieldError;
use app::error::AppError;
use http::StatusCode;

on_both_databases!(
    an_admin_places_people_and_the_chart_shows_each_chain,
    a_circle_in_the_structure_is_refused_and_changes_nothing,
    an_approver_names_a_deputy_for_a_period,
    cash_flow_items_and_approval_rules_are_kept_by_admins,
);

const SUPERVISOR: &str = "supervisor@demo.local";
const ADMIN: &str = "admin@demo.local";

async fn org(app: &TestApp, cookie: &str) -> OrgSettings {
    let response = app.call("/api/staff/org", &[], Some(cookie)).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    response.json()
}

fn chain_of(settings: &OrgSettings, name: &str) -> ChainView {
    settings
        .people
        .iter()
        .find(|p| p.name == name)
        .unwrap_or_else(|| panic!("{name} is not on the chart"))
        .chain
        .clone()
}

fn user_id(settings: &OrgSettings, name: &str) -> String {
    settings
        .people
        .iter()
        .find(|p| p.name == name)
        .map(|p| p.user_id.to_string())
        .unwrap_or_else(|| panic!("{name}"))
}

fn department_id(settings: &OrgSettings, name: &str) -> String {
    settings
        .departments
        .iter()
        .find(|d| d.name == name)
        .map(|d| d.id.to_string())
        .unwrap_or_else(|| panic!("{name}"))
}

fn approvers(names: &[&str]) -> ChainView {
    ChainView::Approvers(names.iter().map(|n| (*n).to_owned()).collect())
}

fn invalid(response: &TestResponse) -> (String, FieldError) {
    match response.app_error() {
        AppError::Invalid { field, problem } => (field, problem),
        other => panic!("expected a field problem, got {other:?}"),
    }
}

async fn save_department(
    app: &TestApp,
    cookie: &str,
    id: &str,
    name: &str,
    parent: &str,
    head: &str,
    directorate: &str,
) -> TestResponse {
    app.call(
        "/api/admin/save_department",
        &[
            ("id", id),
            ("department[name]", name),
            ("department[parent]", parent),
            ("department[head]", head),
            ("department[directorate]", directorate),
        ],
        Some(cookie),
    )
    .await
}

async fn place(
    app: &TestApp,
    cookie: &str,
    user: &str,
    department: &str,
    line_manager: &str,
) -> TestResponse {
    app.call(
        "/api/admin/save_placement",
        &[
            ("member", user),
            ("placement[department]", department),
            ("placement[line_manager]", line_manager),
            ("placement[job_title]", "Старший специалист"),
        ],
        Some(cookie),
    )
    .await
}

async fn an_admin_places_people_and_the_chart_shows_each_chain(app: TestApp) {
    let admin = app.session(ADMIN).await;
    let manager = app.session(MANAGER).await;
    // The demo: the manager's department has no head, so requests go up to the director.
    let before = org(&app, &manager).await;
    assert!(!before.can_edit);
    assert_eq!(
        chain_of(&before, "Мария Петрова"),
        approvers(&["Сергей Иванов"])
    );
    // The director's own requests have nobody above.
    assert_eq!(chain_of(&before, "Сергей Иванов"), ChainView::NoApprover);

    // The accountant heads purchasing: the manager's requests go to her, then the director.
    let purchasing = department_id(&before, "Отдел закупок");
    let directorate = department_id(&before, "Дирекция по закупкам");
    let accountant = user_id(&before, "Ольга Смирнова");
    let saved = save_department(
        &app,
        &admin,
        &purchasing,
        "Отдел закупок",
        &directorate,
        &accountant,
        "",
    )
    .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let placed = place(&app, &admin, &accountant, &purchasing, "").await;
    assert_eq!(placed.status, StatusCode::OK, "{}", placed.body);
    let after = org(&app, &admin).await;
    assert!(after.can_edit);
    assert_eq!(
        chain_of(&after, "Мария Петрова"),
        approvers(&["Ольга Смирнова", "Сергей Иванов"])
    );
    // A head starts one level up.
    assert_eq!(
        chain_of(&after, "Ольга Смирнова"),
        approvers(&["Сергей Иванов"])
    );
    let tree: Vec<(&str, usize)> = after
        .departments
        .iter()
        .map(|d| (d.name.as_str(), d.depth))
        .collect();
    assert_eq!(
        tree,
        [
            ("Бухгалтерия", 0),
            ("Дирекция по закупкам", 0),
            ("Отдел закупок", 1)
        ]
    );

    // A new group under purchasing, the manager in it with the director as line manager by
    // hand.
    let added = save_department(&app, &admin, "0", "Группа снабжения", &purchasing, "", "").await;
    assert_eq!(added.status, StatusCode::OK, "{}", added.body);
    let with_group = org(&app, &admin).await;
    let group = department_id(&with_group, "Группа снабжения");
    let manager_id = user_id(&with_group, "Мария Петрова");
    let director = user_id(&with_group, "Сергей Иванов");
    assert_eq!(
        place(&app, &admin, &manager_id, &group, &director)
            .await
            .status,
        StatusCode::OK
    );
    let by_hand = org(&app, &manager).await;
    assert_eq!(
        chain_of(&by_hand, "Мария Петрова"),
        approvers(&["Сергей Иванов"])
    );
    assert_eq!(
        app.scalar("SELECT COUNT(*) AS n FROM audit_log WHERE action LIKE 'org.%'")
            .await,
        4
    );

    // Staff who are not admins change nothing.
    let refused = save_department(&app, &manager, "0", "Чужой отдел", "", "", "").await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let refused = place(&app, &manager, &manager_id, "", "").await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(app.count("departments").await, 4);
}

async fn a_circle_in_the_structure_is_refused_and_changes_nothing(app: TestApp) {
    let admin = app.session(ADMIN).await;
    let settings = org(&app, &admin).await;
    let purchasing = department_id(&settings, "Отдел закупок");
    let directorate = department_id(&settings, "Дирекция по закупкам");
    let director = user_id(&settings, "Сергей Иванов");
    let manager = user_id(&settings, "Мария Петрова");
    let count_before = app.count("departments").await;
    let placements_before = app
        .scalar("SELECT COUNT(*) AS n FROM staff_placements WHERE line_manager_id IS NOT NULL")
        .await;

    // The directorate under its own department.
    let looped = save_department(
        &app,
        &admin,
        &directorate,
        "Дирекция по закупкам",
        &purchasing,
        &director,
        "on",
    )
    .await;
    assert_eq!(invalid(&looped), ("parent".into(), FieldError::OrgLoop));
    // The director answering to the manager, who answers to the director.
    let looped = place(&app, &admin, &director, &directorate, &manager).await;
    assert_eq!(
        invalid(&looped),
        ("line_manager".into(), FieldError::OrgLoop)
    );
    // Oneself as line manager, an unknown department, an empty name.
    let own = place(&app, &admin, &manager, &purchasing, &manager).await;
    assert_eq!(
        invalid(&own),
        ("line_manager".into(), FieldError::MustDiffer)
    );
    let unknown = place(&app, &admin, &manager, "999999", "").await;
    assert_eq!(
        invalid(&unknown),
        ("department".into(), FieldError::NoSuchRecord)
    );
    let empty = save_department(&app, &admin, "0", "   ", "", "", "").await;
    assert_eq!(invalid(&empty), ("name".into(), FieldError::Required));

    let after = org(&app, &admin).await;
    assert_eq!(after.departments, settings.departments);
    assert_eq!(after.people, settings.people);
    assert_eq!(app.count("departments").await, count_before);
    assert_eq!(
        app.scalar("SELECT COUNT(*) AS n FROM staff_placements WHERE line_manager_id IS NOT NULL")
            .await,
        placements_before
    );
    assert_eq!(
        app.scalar("SELECT COUNT(*) AS n FROM audit_log WHERE action LIKE 'org.%'")
            .await,
        0
    );
}

async fn an_approver_names_a_deputy_for_a_period(app: TestApp) {
    let supervisor = app.session(SUPERVISOR).await;
    let manager = app.session(MANAGER).await;
    let settings = org(&app, &supervisor).await;
    let director = user_id(&settings, "Сергей Иванов");
    let accountant = user_id(&settings, "Ольга Смирнова");
    let today = app.state.now().today();
    let from = today.to_string();
    let to = (today + chrono::TimeDelta::days(5)).to_string();
    let name = |user: &str, deputy: &str, from: &str, to: &str| {
        vec![
            ("user".to_owned(), user.to_owned()),
            ("deputy".to_owned(), deputy.to_owned()),
            ("starts_on".to_owned(), from.to_owned()),
            ("ends_on".to_owned(), to.to_owned()),
        ]
    };
    let send = async |cookie: &str, form: Vec<(String, String)>| {
        let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        app.call("/api/staff/add_deputy", &form, Some(cookie)).await
    };

    // A reversed period, oneself as deputy: refused.
    let reversed = send(&supervisor, name(&director, &accountant, &to, &from)).await;
    assert_eq!(
        invalid(&reversed),
        ("ends_on".into(), FieldError::PeriodReversed)
    );
    let own = send(&supervisor, name(&director, &director, &from, &to)).await;
    assert_eq!(invalid(&own), ("deputy".into(), FieldError::MustDiffer));
    // Someone else's deputy is an admin's to name.
    let not_theirs = send(&manager, name(&director, &accountant, &from, &to)).await;
    assert_eq!(not_theirs.status, StatusCode::FORBIDDEN);
    assert_eq!(app.count("deputies").await, 0);

    let named = send(&supervisor, name(&director, &accountant, &from, &to)).await;
    assert_eq!(named.status, StatusCode::OK, "{}", named.body);
    let away = org(&app, &manager).await;
    assert_eq!(
        chain_of(&away, "Мария Петрова"),
        approvers(&["Сергей Иванов → Ольга Смирнова"])
    );
    let row = away
        .people
        .iter()
        .find(|p| p.name == "Сергей Иванов")
        .unwrap();
    assert_eq!(row.deputy_today.as_deref(), Some("Ольга Смирнова"));
    assert_eq!(away.deputies.len(), 1);

    // A period that starts tomorrow does not act today.
    let later = (today + chrono::TimeDelta::days(10)).to_string();
    let later_end = (today + chrono::TimeDelta::days(12)).to_string();
    let manager_id = user_id(&away, "Мария Петрова");
    let ahead = send(
        &supervisor,
        name(&director, &manager_id, &later, &later_end),
    )
    .await;
    assert_eq!(ahead.status, StatusCode::OK);
    assert_eq!(
        chain_of(&org(&app, &manager).await, "Мария Петрова"),
        approvers(&["Сергей Иванов → Ольга Смирнова"])
    );

    // The manager cannot call it off; the supervisor can.
    let id = away.deputies[0].id.to_string();
    let refused = app
        .call("/api/staff/remove_deputy", &[("id", &id)], Some(&manager))
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let removed = app
        .call(
            "/api/staff/remove_deputy",
            &[("id", &id)],
            Some(&supervisor),
        )
        .await;
    assert_eq!(removed.status, StatusCode::OK);
    assert_eq!(
        chain_of(&org(&app, &manager).await, "Мария Петрова"),
        approvers(&["Сергей Иванов"])
    );
}

async fn cash_flow_items_and_approval_rules_are_kept_by_admins(app: TestApp) {
    let admin = app.session(ADMIN).await;
    let manager = app.session(MANAGER).await;
    let settings = org(&app, &admin).await;
    assert_eq!(settings.items.len(), 5);
    let item = |id: &str, code: &str, name: &str| {
        vec![
            ("id".to_owned(), id.to_owned()),
            ("code".to_owned(), code.to_owned()),
            ("name".to_owned(), name.to_owned()),
            ("active".to_owned(), "on".to_owned()),
        ]
    };
    let send = async |path: &str, cookie: &str, form: Vec<(String, String)>| {
        let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        app.call(path, &form, Some(cookie)).await
    };
    let items = "/api/admin/save_cash_flow_item";
    assert_eq!(
        send(items, &admin, item("0", "06", "Налоги")).await.status,
        StatusCode::OK
    );
    let taken = send(items, &admin, item("0", "01", "Ещё одна")).await;
    assert_eq!(invalid(&taken), ("code".into(), FieldError::CodeTaken));
    let unnamed = send(items, &admin, item("0", "07", " ")).await;
    assert_eq!(invalid(&unnamed), ("name".into(), FieldError::Required));
    assert_eq!(
        send(items, &manager, item("0", "08", "Без прав"))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(app.count("cash_flow_items").await, 6);

    let director = user_id(&settings, "Сергей Иванов");
    let accountant = user_id(&settings, "Ольга Смирнова");
    let first_item = settings.items[0].id.to_string();
    let rule = |amount: &str, item: &str, approver: &str| {
        vec![
            ("id".to_owned(), "0".to_owned()),
            ("min_amount".to_owned(), amount.to_owned()),
            ("item".to_owned(), item.to_owned()),
            ("approver".to_owned(), approver.to_owned()),
            ("active".to_owned(), "on".to_owned()),
        ]
    };
    let rules = "/api/admin/save_approval_rule";
    let nothing = send(rules, &admin, rule("", "", &accountant)).await;
    assert_eq!(
        invalid(&nothing),
        ("min_amount".into(), FieldError::RuleNeedsCondition)
    );
    let huge = send(rules, &admin, rule("99999999999999", "", &accountant)).await;
    assert!(matches!(
        invalid(&huge),
        (field, FieldError::Amount(_)) if field == "min_amount"
    ));
    let unknown_item = send(rules, &admin, rule("", "999999", &accountant)).await;
    assert_eq!(
        invalid(&unknown_item),
        ("item".into(), FieldError::NoSuchRecord)
    );
    assert_eq!(app.count("approval_rules").await, 0);
    let saved = send(rules, &admin, rule("1 000 000", &first_item, &accountant)).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let saved = send(rules, &admin, rule("", &first_item, &director)).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let after = org(&app, &admin).await;
    assert_eq!(after.rules.len(), 2);
    assert_eq!(
        after.rules[0].min_amount,
        Some(app::domain::money::Money::from_kopecks(100_000_000))
    );
}
