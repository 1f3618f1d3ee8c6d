//! The move contract, the same for every pipeline, run from one table against each: a move
//! refused by the stage's entry rule or made on an old version changes nothing; a move made
//! writes the stage event, applies the stage's rule (responsible person, notification, the
//! supplier's message where the pipeline has a supplier), adds a change-feed row that a live
//! stream hears, and an audit line.
use std::time::Duration;

use crate::common::*;
use crate::deals::{counterparty_of, create_contract, create_deal, create_order};
use crate::live::Stream;
use app::domain::pipeline::{ChangeKind, Pipeline};
use app::model::live::LiveEvent;
use http::StatusCode;

on_both_databases!(every_pipeline_keeps_the_one_move_contract);

/// One pipeline's row of the contract table.
struct Case {
    pipeline: Pipeline,
    /// The move endpoint's table of cards and its events table.
    table: &'static str,
    events: &'static str,
    /// A stage a drop alone enters (its rule is set below), and one whose entry rule refuses
    /// a move that carries nothing, with the problem it names.
    plain: &'static str,
    refused: &'static str,
    refusal_field: &'static str,
    /// The stage rule names the responsible person (a payment request's approver is its
    /// chain's to say).
    rule_makes_responsible: bool,
}

const CASES: [Case; 4] = [
    Case {
        pipeline: Pipeline::Documents,
        table: "document_cards",
        events: "stage_events",
        plain: "review",
        refused: "payment_plan",
        refusal_field: "planned_payment_date",
        rule_makes_responsible: true,
    },
    Case {
        pipeline: Pipeline::Deals,
        table: "deals",
        events: "pipeline_events",
        plain: "proposal",
        // A deal is made in "new": moving it there again is refused.
        refused: "new",
        refusal_field: "to",
        rule_makes_responsible: true,
    },
    Case {
        pipeline: Pipeline::Orders,
        table: "supplier_orders",
        events: "pipeline_events",
        plain: "placed",
        refused: "delivered",
        refusal_field: "delivered_on",
        rule_makes_responsible: true,
    },
    Case {
        pipeline: Pipeline::Payments,
        table: "payment_requests",
        events: "pipeline_events",
        // Sending for approval; a draft is not paid.
        plain: "approval",
        refused: "paid",
        refusal_field: "to",
        rule_makes_responsible: false,
    },
];

/// A fresh card of the case's pipeline, in its first stage.
async fn new_card(app: &TestApp, manager: &str, pipeline: Pipeline) -> i32 {
    match pipeline {
        Pipeline::Documents => {
            app.scalar("SELECT id AS n FROM document_cards WHERE invoice_number = 'СЧ-101'")
                .await as i32
        }
        Pipeline::Deals => create_deal(app, manager, "Сделка для контракта").await,
        Pipeline::Orders => {
            let romashka = counterparty_of(app, SUPPLIER_A).await;
            let contract = create_contract(app, manager, romashka, None, "10", "delivery").await;
            create_order(app, manager, contract).await
        }
        Pipeline::Payments => {
            let id = crate::payments::create_request(app, manager, "1000").await;
            crate::payments::attach_invoice(app, manager, id).await;
            id
        }
    }
}

async fn version(app: &TestApp, table: &str, id: i32) -> i32 {
    app.scalar(&format!("SELECT version AS n FROM {table} WHERE id = {id}"))
        .await as i32
}

async fn try_move(
    app: &TestApp,
    cookie: &str,
    pipeline: Pipeline,
    id: i32,
    to: &str,
    version: i32,
) -> TestResponse {
    let (id, version) = (id.to_string(), version.to_string());
    app.call(
        pipeline.move_endpoint(),
        &[("id", &id), ("to", to), ("version", &version)],
        Some(cookie),
    )
    .await
}

/// What a move writes, counted: a refused move must leave every number as it was.
async fn footprint(app: &TestApp, case: &Case, id: i32) -> [i64; 5] {
    let code = case.pipeline.code();
    [
        i64::from(version(app, case.table, id).await),
        app.count(case.events).await,
        app.scalar(&format!(
            "SELECT COUNT(*) AS n FROM card_changes WHERE pipeline = '{code}' AND card_id = {id}"
        ))
        .await,
        app.count("notifications").await,
        app.count("audit_log").await,
    ]
}

async fn every_pipeline_keeps_the_one_move_contract(app: TestApp) {
    let admin = app.session("admin@demo.local").await;
    let manager = app.session(MANAGER).await;
    let accountant_id = app
        .scalar(&format!(
            "SELECT id AS n FROM users WHERE email = '{ACCOUNTANT}'"
        ))
        .await;
    for case in &CASES {
        let pipeline = case.pipeline;
        let code = pipeline.code();
        // The plain stage's rule: tell the accountants, make one responsible, tell the supplier.
        let saved = app
            .call(
                "/api/admin/save_stage_rule",
                &[
                    ("pipeline", code),
                    ("stage", case.plain),
                    ("notify_role", "accountant"),
                    ("notify_responsible", ""),
                    ("responsible", "role:accountant"),
                    ("message_ru", "Карточка движется"),
                    ("message_en", "The card moves"),
                ],
                Some(&admin),
            )
            .await;
        assert_eq!(saved.status, StatusCode::OK, "{code}: {}", saved.body);

        let id = new_card(&app, &manager, pipeline).await;
        let seen = version(&app, case.table, id).await;
        let before = footprint(&app, case, id).await;

        // The entry rule refuses, naming the field; nothing is written.
        let refused = try_move(&app, &manager, pipeline, id, case.refused, seen).await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{code}: {}",
            refused.body
        );
        let named = match refused.app_error() {
            app::error::AppError::Rejected { problems } => problems
                .iter()
                .any(|p| p.subject == app::domain::form::Subject::Field(case.refusal_field.into())),
            app::error::AppError::Invalid { field, .. } => field == case.refusal_field,
            other => panic!("{code}: {other:?}"),
        };
        assert!(named, "{code}: {}", refused.body);
        assert_eq!(footprint(&app, case, id).await, before, "{code}: refused");

        // A move made on an old version is a conflict; nothing is written.
        let stale = try_move(&app, &manager, pipeline, id, case.plain, seen - 1).await;
        assert_eq!(stale.status, StatusCode::CONFLICT, "{code}: {}", stale.body);
        assert_eq!(footprint(&app, case, id).await, before, "{code}: conflict");

        // A move made: every part of it is there, and a live stream hears it.
        let mut stream = Stream::open(&app, &manager, None, None).await;
        let letters_before = app.count("email_outbox").await;
        let messages_before = app.count("card_messages").await;
        let moved = try_move(&app, &manager, pipeline, id, case.plain, seen).await;
        assert_eq!(moved.status, StatusCode::OK, "{code}: {}", moved.body);
        let [version_after, events, changes, notifications, audits] =
            footprint(&app, case, id).await;
        assert_eq!(version_after, before[0] + 1, "{code}: version");
        assert_eq!(events, before[1] + 1, "{code}: stage event");
        assert_eq!(changes, before[2] + 1, "{code}: change feed");
        // A payment request's approver is told too.
        let approvers = i64::from(pipeline == Pipeline::Payments);
        assert_eq!(
            notifications,
            before[3] + 1 + approvers,
            "{code}: the accountant is told"
        );
        assert_eq!(audits, before[4] + 1, "{code}: audit line");
        assert_eq!(
            app.scalar(&format!(
                "SELECT COUNT(*) AS n FROM notifications WHERE user_id = {accountant_id} \
                 AND pipeline = '{code}' AND card_id = {id}"
            ))
            .await,
            1,
            "{code}: the notification names the card"
        );
        if case.rule_makes_responsible {
            assert_eq!(
                app.scalar(&format!(
                    "SELECT responsible_user_id AS n FROM {} WHERE id = {id}",
                    case.table
                ))
                .await,
                accountant_id,
                "{code}: the rule made the accountant responsible"
            );
        }
        let stage = app
            .text(&format!(
                "SELECT s.code AS t FROM {} c JOIN stages s ON s.id = c.stage_id WHERE c.id = {id}",
                case.table
            ))
            .await;
        assert_eq!(stage.as_deref(), Some(case.plain), "{code}: stage");
        // The supplier hears of it in the document's thread, of an order by letter; a deal
        // has no supplier. (The accountant's notification is a letter too.)
        let (messages, letters) = match pipeline {
            Pipeline::Documents => (1, 1),
            Pipeline::Orders => (0, 2),
            Pipeline::Deals => (0, 1),
            Pipeline::Payments => (0, 2),
        };
        assert_eq!(
            app.count("card_messages").await - messages_before,
            messages,
            "{code}: thread messages"
        );
        assert_eq!(
            app.count("email_outbox").await - letters_before,
            letters,
            "{code}: letters"
        );
        let event = loop {
            let (_, event) = stream
                .next(Duration::from_secs(2))
                .await
                .unwrap_or_else(|| panic!("{code}: the stream hears the move"));
            if event.kind == ChangeKind::Moved {
                break event;
            }
        };
        assert_eq!(
            event,
            LiveEvent {
                pipeline,
                card: id,
                kind: ChangeKind::Moved
            },
            "{code}"
        );
    }
}
