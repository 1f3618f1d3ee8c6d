//! Live updates: open boards, card pages and the supplier's document page follow the change
//! feed (`card_changes`) through server-sent events.
//!
//! Why SSE and not WebSocket: the traffic is one-way (server to page), SSE rides plain HTTP
//! through the same middleware, cookies and proxies, and the browser's `EventSource`
//! reconnects by itself and sends `Last-Event-ID`, from which the server replays what was
//! missed. A change wakes the streams of this process at once; with several app servers on one
//! PostgreSQL a `NOTIFY` wakes the others (`LISTEN`). Streams also look every few seconds, so a
//! lost wake-up only delays an update.
//!
//! Why the `NOTIFY` is sent after the commit, at most once per `NOTIFY_GAP`, and not inside each
//! change's transaction: PostgreSQL lets one notifying transaction commit at a time (a
//! database-wide lock held through the commit's disk flush), so a notice per move made moves
//! wait for each other's commits under load.
use crate::server::db::Db;
use std::collections::BTreeSet;
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Query, State};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures::Stream;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseBackend, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Statement,
};
use serde::Deserialize;
use tokio::sync::watch;

use super::AppState;
use super::entities::card_changes;
use super::repo::counterparty_scope;
use crate::domain::access::Ctx;
use crate::model::live::LiveEvent;

/// The PostgreSQL channel app servers notify after a change: this, then the schema.
const CHANNEL_PREFIX: &str = "kabinet_card_changes_";
/// How often a stream looks for changes when nothing woke it.
const POLL: Duration = Duration::from_secs(5);
/// The least time between two notices to the other app servers; changes committed meanwhile
/// share the next notice.
const NOTIFY_GAP: Duration = Duration::from_millis(50);
/// On PostgreSQL ids are taken before commit, so a lower id can commit after a higher one:
/// streams look this far back and skip what they already sent.
const LOOK_BACK: i64 = 100;
const BATCH: u64 = 200;
/// Open streams one user may hold on one app server: a few tabs and devices; more is abuse.
/// A closed tab's stream is only noticed at the next write: see `KEEP_ALIVE`.
pub const MAX_STREAMS_PER_USER: usize = 10;
/// How often an idle stream writes a comment. A stream whose tab was closed ends at a write,
/// so this bounds how long a closed tab still counts against `MAX_STREAMS_PER_USER`.
const KEEP_ALIVE: std::time::Duration = std::time::Duration::from_secs(5);

/// Wakes the live streams of this process, and through `spawn_postgres_notifier` the other
/// app servers'.
#[derive(Clone)]
pub struct LiveHub {
    /// Names this process in its notices, so its listener can skip them.
    server_id: Arc<str>,
    streams: watch::Sender<u64>,
    other_servers: watch::Sender<u64>,
    /// Open streams per user on this process.
    open: Arc<std::sync::Mutex<std::collections::HashMap<i32, usize>>>,
    /// The process is draining before it stops: the health check says so (a load balancer
    /// sends no new requests), and then every stream ends (its page reconnects elsewhere).
    draining: Arc<std::sync::atomic::AtomicBool>,
    closed: Arc<std::sync::atomic::AtomicBool>,
}

/// One open stream of a user, given back when the stream ends.
struct StreamSlot {
    open: Arc<std::sync::Mutex<std::collections::HashMap<i32, usize>>>,
    user_id: i32,
}

impl Drop for StreamSlot {
    fn drop(&mut self) {
        if let Ok(mut open) = self.open.lock()
            && let Some(count) = open.get_mut(&self.user_id)
        {
            *count = count.saturating_sub(1);
            if *count == 0 {
                open.remove(&self.user_id);
            }
        }
    }
}

impl Default for LiveHub {
    fn default() -> Self {
        LiveHub {
            server_id: uuid::Uuid::new_v4().simple().to_string().into(),
            streams: watch::channel(0).0,
            other_servers: watch::channel(0).0,
            open: Default::default(),
            draining: Default::default(),
            closed: Default::default(),
        }
    }
}

impl LiveHub {
    /// After a change committed here: this process's streams look at once, other app servers'
    /// within `NOTIFY_GAP`.
    pub fn wake(&self) {
        self.wake_this_process();
        self.other_servers.send_modify(|n| *n = n.wrapping_add(1));
    }

    /// After another app server's change (or a lost connection to its notices).
    fn wake_this_process(&self) {
        self.streams.send_modify(|n| *n = n.wrapping_add(1));
    }

    pub fn subscribe(&self) -> watch::Receiver<u64> {
        self.streams.subscribe()
    }

    /// The process will stop: the health check turns unhealthy, streams stay for now.
    pub fn start_draining(&self) {
        self.draining
            .store(true, std::sync::atomic::Ordering::SeqCst);
    }

    pub fn is_draining(&self) -> bool {
        self.draining.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Ends every open stream (their pages reconnect, to another server behind the balancer)
    /// and refuses new ones, so a graceful shutdown does not wait on them.
    pub fn close_streams(&self) {
        self.closed.store(true, std::sync::atomic::Ordering::SeqCst);
        self.wake_this_process();
    }

    fn streams_closed(&self) -> bool {
        self.closed.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// A slot for one more stream of `user_id`, unless they hold the most already.
    fn take_slot(&self, user_id: i32) -> Option<StreamSlot> {
        let mut open = self.open.lock().ok()?;
        let count = open.entry(user_id).or_default();
        if *count >= MAX_STREAMS_PER_USER {
            return None;
        }
        *count += 1;
        Some(StreamSlot {
            open: self.open.clone(),
            user_id,
        })
    }
}

/// The channel of the installation whose tables are in `schema`: installations (and test runs)
/// sharing a PostgreSQL server do not wake each other.
fn channel_of(schema: &str) -> String {
    format!("{CHANNEL_PREFIX}{schema}")
}

/// On PostgreSQL: hears the other app servers' changes and tells them of this one's, on the
/// channel of the schema `db` works in.
pub async fn start_postgres_fan_out(
    db: Db,
    url: String,
    hub: LiveHub,
) -> Result<(), sea_orm::DbErr> {
    let schema = db
        .query_one_raw(Statement::from_string(
            DatabaseBackend::Postgres,
            "SELECT current_schema() AS schema",
        ))
        .await?
        .map(|row| row.try_get::<String>("", "schema"))
        .transpose()?
        .unwrap_or_else(|| "public".to_owned());
    spawn_postgres_listener(url, schema.clone(), hub.clone());
    spawn_postgres_notifier(db, schema, hub);
    Ok(())
}

/// Tells the other app servers on this PostgreSQL database of this one's changes (`wake`):
/// one notice for the changes of each `NOTIFY_GAP`.
pub fn spawn_postgres_notifier(db: Db, schema: String, hub: LiveHub) {
    let mut changes = hub.other_servers.subscribe();
    let channel = channel_of(&schema);
    tokio::spawn(async move {
        // `changed` marks what it saw as seen: the changes of the gap below share one notice.
        while changes.changed().await.is_ok() {
            let notice = Statement::from_sql_and_values(
                DatabaseBackend::Postgres,
                "SELECT pg_notify($1, $2)",
                [channel.as_str().into(), hub.server_id.to_string().into()],
            );
            if let Err(err) = db.execute_raw(notice).await {
                // The others' streams still look every few seconds.
                tracing::warn!(error = %err, "NOTIFY failed");
            }
            tokio::time::sleep(NOTIFY_GAP).await;
        }
    });
}

/// Listens for other servers' changes on PostgreSQL (those working in `schema`) and wakes this
/// one's streams.
pub fn spawn_postgres_listener(url: String, schema: String, hub: LiveHub) {
    let channel = channel_of(&schema);
    tokio::spawn(async move {
        loop {
            match sea_orm::sqlx::postgres::PgListener::connect(&url).await {
                Ok(mut listener) => {
                    if let Err(err) = listener.listen(&channel).await {
                        tracing::warn!(error = %err, "LISTEN failed");
                    } else {
                        tracing::info!("listening for changes of other app servers");
                        // After a reconnect something may have been missed.
                        hub.wake_this_process();
                        loop {
                            match listener.recv().await {
                                // This process's own notices: its streams were woken already.
                                Ok(notice) if notice.payload() == &*hub.server_id => {}
                                Ok(_) => hub.wake_this_process(),
                                Err(err) => {
                                    tracing::warn!(error = %err, "LISTEN connection lost");
                                    break;
                                }
                            }
                        }
                    }
                }
                Err(err) => tracing::warn!(error = %err, "cannot connect to LISTEN"),
            }
            tokio::time::sleep(Duration::from_secs(2)).await;
        }
    });
}

#[derive(Deserialize)]
pub struct LiveQuery {
    /// Resume after this change (a page rendered at that point).
    after: Option<i64>,
}

struct StreamState {
    state: AppState,
    ctx: Ctx,
    /// The session the stream was opened in: when it ends (signed out, expired, the account
    /// switched off or its counterparty blocked) the stream ends too.
    session: String,
    _slot: StreamSlot,
    last: i64,
    sent: BTreeSet<i64>,
    wake: watch::Receiver<u64>,
    pending: std::collections::VecDeque<card_changes::Model>,
}

async fn changes_after(
    db: &impl ConnectionTrait,
    ctx: &Ctx,
    after: i64,
) -> Result<Vec<card_changes::Model>, sea_orm::DbErr> {
    card_changes::Entity::find()
        .filter(counterparty_scope(
            ctx,
            card_changes::Column::CounterpartyId,
        ))
        .filter(card_changes::Column::Id.gt(after))
        .order_by_asc(card_changes::Column::Id)
        .limit(BATCH)
        .all(db)
        .await
}

fn event_of(change: &card_changes::Model) -> Event {
    let Some(pipeline) = crate::domain::pipeline::Pipeline::from_code(&change.pipeline) else {
        tracing::error!(change = change.id, pipeline = %change.pipeline, "unknown pipeline");
        return Event::default().comment("unknown pipeline");
    };
    let Some(kind) = crate::domain::pipeline::ChangeKind::from_code(&change.kind) else {
        tracing::error!(change = change.id, kind = %change.kind, "unknown change kind");
        return Event::default().comment("unknown change kind");
    };
    let data = LiveEvent {
        pipeline,
        card: change.card_id,
        kind,
    };
    Event::default()
        .id(change.id.to_string())
        .json_data(&data)
        .unwrap_or_else(|_| Event::default().comment("unencodable"))
}

fn live_stream(start: StreamState) -> impl Stream<Item = Result<Event, Infallible>> {
    futures::stream::unfold(start, |mut s| async move {
        loop {
            if let Some(change) = s.pending.pop_front() {
                s.sent.insert(change.id);
                s.last = s.last.max(change.id);
                let floor = s.last.saturating_sub(LOOK_BACK);
                s.sent = s.sent.split_off(&floor);
                return Some((Ok(event_of(&change)), s));
            }
            if s.state.live.streams_closed() {
                return None;
            }
            // Still signed in? Looked at on every wake-up and poll, before any change is read.
            match super::repo::sessions::find_live_user(
                &s.state.db,
                &s.session,
                s.state.clock.now(),
            )
            .await
            {
                Ok(Some(_)) => {}
                Ok(None) => return None,
                Err(err) => tracing::warn!(error = %err, "checking a live stream's session"),
            }
            let from = s.last.saturating_sub(LOOK_BACK).max(0);
            match changes_after(&s.state.db, &s.ctx, from).await {
                Ok(found) => s.pending.extend(
                    found
                        .into_iter()
                        .filter(|c| !s.sent.contains(&c.id) && c.id > from),
                ),
                Err(err) => tracing::warn!(error = %err, "reading the change feed"),
            }
            if !s.pending.is_empty() {
                continue;
            }
            // Nothing new: wait for a wake-up or the next look.
            let _ = tokio::time::timeout(POLL, s.wake.changed()).await;
        }
    })
}

/// `GET /api/live`: the change feed of what the signed-in user may see, as server-sent events.
pub async fn events(
    State(state): State<AppState>,
    Query(query): Query<LiveQuery>,
    request: axum::extract::Request,
) -> Response {
    use http::StatusCode;
    let (parts, _) = request.into_parts();
    let (ctx, session) = match (
        super::auth::current_user(&state, &parts).await,
        super::auth::session_token(&state, &parts),
    ) {
        (Ok(Some((ctx, _))), Some(token)) => (ctx, super::auth::token_hash(&token)),
        (Ok(_), _) => return StatusCode::UNAUTHORIZED.into_response(),
        (Err(_), _) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    let header = parts
        .headers
        .get("last-event-id")
        .map(|v| v.to_str().ok().and_then(|v| v.trim().parse::<i64>().ok()));
    // A change id is never negative; one that is not a number is a bad request, not a panic.
    let resume = match header.or(query.after.map(Some)) {
        Some(Some(id)) if id >= 0 => Some(id),
        Some(_) => return StatusCode::BAD_REQUEST.into_response(),
        None => None,
    };
    let newest = match super::repo::changes::last_change(&state.db).await {
        Ok(id) => id,
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    // Resuming past the newest change would skip the changes to come.
    let last = resume.map_or(newest, |id| id.min(newest));
    if state.live.streams_closed() {
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    }
    let Some(slot) = state.live.take_slot(ctx.user_id) else {
        return StatusCode::TOO_MANY_REQUESTS.into_response();
    };
    let state = state.for_ctx(&ctx);
    // Changes up to `last` count as sent: a resumed stream replays only what came after.
    let start = StreamState {
        wake: state.live.subscribe(),
        sent: (last.saturating_sub(LOOK_BACK)..=last).collect(),
        state,
        ctx,
        session,
        _slot: slot,
        last,
        pending: Default::default(),
    };
    let mut response = Sse::new(live_stream(start))
        .keep_alive(KeepAlive::new().interval(KEEP_ALIVE))
        .into_response();
    response.headers_mut().insert(
        http::header::CACHE_CONTROL,
        http::HeaderValue::from_static("no-store"),
    );
    response
}
