//! Live updates on SQLite and PostgreSQL: open streams hear a move at once, a supplier hears
//! only its own counterparty's cards, a reconnecting page gets what it missed, and on
//! PostgreSQL another app server hears the change through LISTEN/NOTIFY (and a server does not
//! wake its streams twice for its own changes).

use std::time::Duration;

use crate::common::*;
use app::api::live::LiveEvent;
use app::server::live::LiveHub;
use axum::body::Body;
use futures::StreamExt as _;
use http::{Request, StatusCode};
use tokio::sync::watch;
use tower::ServiceExt as _;

on_both_databases!(
    open_streams_hear_a_move_at_once,
    a_reconnecting_page_gets_what_it_missed,
    strangers_get_no_stream,
    another_app_server_hears_the_change,
    a_server_skips_its_own_notices,
);

/// An open event stream: its events as they come.
pub(crate) struct Stream {
    body: axum::body::BodyDataStream,
    buffer: String,
}

impl Stream {
    pub(crate) async fn open(
        app: &TestApp,
        cookie: &str,
        after: Option<i64>,
        last_event_id: Option<i64>,
    ) -> Stream {
        let path = match after {
            Some(after) => format!("{}?after={after}", app::paths::LIVE_PATH),
            None => app::paths::LIVE_PATH.to_owned(),
        };
        let mut builder = Request::get(path)
            .header(http::header::HOST, HOST)
            .header(http::header::ACCEPT, "text/event-stream")
            .header(http::header::COOKIE, cookie);
        if let Some(id) = last_event_id {
            builder = builder.header("last-event-id", id.to_string());
        }
        let response = app
            .router
            .clone()
            .oneshot(builder.body(Body::empty()).expect("request"))
            .await
            .expect("the router answers");
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(
            response
                .headers()
                .get(http::header::CONTENT_TYPE)
                .map(|v| v.to_str().unwrap_or("")),
            Some("text/event-stream")
        );
        Stream {
            body: response.into_body().into_data_stream(),
            buffer: String::new(),
        }
    }

    /// Whether the server ends the stream within `wait` (events meanwhile are skipped).
    pub(crate) async fn ends_within(&mut self, wait: Duration) -> bool {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            match tokio::time::timeout_at(deadline, self.body.next()).await {
                Err(_) => return false,
                Ok(None) | Ok(Some(Err(_))) => return true,
                Ok(Some(Ok(_))) => {}
            }
        }
    }

    /// The next event within `wait`, if any.
    pub(crate) async fn next(&mut self, wait: Duration) -> Option<(i64, LiveEvent)> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            if let Some(end) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..end + 2).collect();
                let id = block
                    .lines()
                    .find_map(|l| l.strip_prefix("id:"))
                    .and_then(|v| v.trim().parse().ok());
                let data = block.lines().find_map(|l| l.strip_prefix("data:"));
                if let (Some(id), Some(data)) = (id, data) {
                    return Some((id, serde_json::from_str(data.trim()).expect("event JSON")));
                }
                continue;
            }
            let chunk = tokio::time::timeout_at(deadline, self.body.next())
                .await
                .ok()??;
            self.buffer
                .push_str(&String::from_utf8_lossy(&chunk.expect("stream chunk")));
        }
    }
}

async fn card_of(app: &TestApp, number: &str) -> (i32, i32) {
    let id = app
        .scalar(&format!(
            "SELECT id AS n FROM document_cards WHERE invoice_number = '{number}'"
        ))
        .await as i32;
    let version = app
        .scalar(&format!(
            "SELECT version AS n FROM document_cards WHERE id = {id}"
        ))
        .await as i32;
    (id, version)
}

async fn move_card(app: &TestApp, cookie: &str, number: &str, to: &str) -> i32 {
    let (id, version) = card_of(app, number).await;
    let response = app
        .call(
            "/api/staff/move_document",
            &[
                ("id", &id.to_string()),
                ("to", to),
                ("version", &version.to_string()),
            ],
            Some(cookie),
        )
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    id
}

const WAIT: Duration = Duration::from_secs(2);

async fn open_streams_hear_a_move_at_once(app: TestApp) {
    let manager = app.session(MANAGER).await;
    let supplier_a = app.session(SUPPLIER_A).await;
    let supplier_b = app.session(SUPPLIER_B).await;
    let mut staff = Stream::open(&app, &manager, None, None).await;
    let mut a = Stream::open(&app, &supplier_a, None, None).await;
    let mut b = Stream::open(&app, &supplier_b, None, None).await;

    let moved = move_card(&app, &manager, "СЧ-101", "review").await; // Ромашка's
    let (_, event) = staff.next(WAIT).await.expect("staff hear the move");
    assert_eq!(
        event,
        LiveEvent {
            pipeline: app::domain::pipeline::Pipeline::Documents,
            card: moved,
            kind: app::domain::pipeline::ChangeKind::Moved
        }
    );
    let (_, event) = a
        .next(WAIT)
        .await
        .expect("the supplier hears its card move");
    assert_eq!(event.card, moved);

    // Вектор's supplier hears its own card, and never Ромашка's.
    let vektor_card = app
        .scalar(
            "SELECT MIN(c.id) AS n FROM document_cards c JOIN users u ON u.counterparty_id = c.counterparty_id \
             JOIN stages s ON s.id = c.stage_id WHERE u.email = 'supplier@vektor.demo' AND s.code <> 'returned'",
        )
        .await as i32;
    let version = app
        .scalar(&format!(
            "SELECT version AS n FROM document_cards WHERE id = {vektor_card}"
        ))
        .await;
    let stage_now = app
        .scalar(&format!(
            "SELECT CASE WHEN s.code = 'returned' THEN 1 ELSE 0 END AS n FROM document_cards c \
             JOIN stages s ON s.id = c.stage_id WHERE c.id = {vektor_card}"
        ))
        .await;
    assert_eq!(stage_now, 0);
    let response = app
        .call(
            "/api/staff/move_document",
            &[
                ("id", &vektor_card.to_string()),
                ("to", "returned"),
                ("version", &version.to_string()),
                ("comment", "Нет подписи"),
            ],
            Some(&manager),
        )
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    let (_, event) = b
        .next(WAIT)
        .await
        .expect("the other supplier hears its own card");
    assert_eq!(
        event.card, vektor_card,
        "a supplier hears only its own counterparty's cards"
    );
}

async fn a_reconnecting_page_gets_what_it_missed(app: TestApp) {
    let manager = app.session(MANAGER).await;
    let mut first = Stream::open(&app, &manager, None, None).await;
    let moved = move_card(&app, &manager, "СЧ-101", "review").await;
    let (seen, _) = first.next(WAIT).await.expect("the first move");
    drop(first);
    // Two changes while the page was away.
    let second = move_card(&app, &manager, "СЧ-98", "accounting").await;
    let third = move_card(&app, &manager, "СЧ-101", "accounting").await;
    // EventSource reconnects with the last id it saw.
    let mut again = Stream::open(&app, &manager, Some(0), Some(seen)).await;
    let (_, e1) = again.next(WAIT).await.expect("replayed");
    let (_, e2) = again.next(WAIT).await.expect("replayed");
    assert_eq!((e1.card, e2.card), (second, third));
    assert_eq!(third, moved);
    // A page rendered at change `n` starts after it.
    let mut fresh = Stream::open(&app, &manager, Some(seen), None).await;
    let (_, e) = fresh.next(WAIT).await.expect("replayed after the render");
    assert_eq!(e.card, second);
}

async fn strangers_get_no_stream(app: TestApp) {
    let response = app.get(app::paths::LIVE_PATH, None, "ru").await;
    assert_eq!(response.status, StatusCode::UNAUTHORIZED);
}

/// Starts a listener for `app`'s notices that wakes `hub`; its streams' wake-ups once it
/// listens (it says so by waking them once). `None` on SQLite: one process, where the
/// in-process wake-up is the whole story.
async fn listening(app: &TestApp, hub: &LiveHub) -> Option<watch::Receiver<u64>> {
    let (url, schema) = app.postgres_url_and_schema()?;
    let mut woken = hub.subscribe();
    app::server::live::spawn_postgres_listener(url.to_owned(), schema.to_owned(), hub.clone());
    assert!(
        woken_within(&mut woken, Duration::from_secs(10)).await,
        "the listener starts"
    );
    Some(woken)
}

/// Whether the hub wakes its streams within `limit`; it stays alive throughout.
async fn woken_within(woken: &mut watch::Receiver<u64>, limit: Duration) -> bool {
    match tokio::time::timeout(limit, woken.changed()).await {
        Ok(changed) => {
            changed.expect("hub alive");
            true
        }
        Err(_) => false,
    }
}

async fn another_app_server_hears_the_change(app: TestApp) {
    let other_server = LiveHub::default();
    let Some(mut woken) = listening(&app, &other_server).await else {
        return;
    };
    let manager = app.session(MANAGER).await;
    // Nothing else wakes it: the channel is this schema's.
    assert!(!woken_within(&mut woken, Duration::from_millis(300)).await);
    move_card(&app, &manager, "СЧ-101", "review").await;
    assert!(
        woken_within(&mut woken, WAIT).await,
        "the other server hears the move through NOTIFY"
    );
    // One notice for the move, not one per listener or an echo.
    assert!(!woken_within(&mut woken, Duration::from_millis(500)).await);
}

async fn a_server_skips_its_own_notices(app: TestApp) {
    let Some(mut woken) = listening(&app, &app.state.live).await else {
        return;
    };
    let manager = app.session(MANAGER).await;
    move_card(&app, &manager, "СЧ-101", "review").await;
    // The move itself woke this server's streams ...
    assert!(woken_within(&mut woken, WAIT).await, "woken by the move");
    // ... and its own notice, heard back through LISTEN, does not wake them again.
    assert!(!woken_within(&mut woken, Duration::from_millis(500)).await);
}
