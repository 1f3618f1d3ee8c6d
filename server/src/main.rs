#![recursion_limit = "256"]
use std::net::SocketAddr;
use std::process::ExitCode;

use std::sync::Arc;

use app::server::mailer::{self, Mailer};
use app::server::storage::{FileStore, LocalStore, S3Settings, S3Store};
use app::server::{AppState, db, demo, file_routes};
use clap::Parser;
use server::config::Config;
use server::{HttpLimits, build_router, leptos_options, settings};
use tracing_subscriber::EnvFilter;

/// The fewest worker threads the server runs on, whatever the cores: Leptos 0.8's streaming
/// server render can stall for good when few workers poll its `Suspense` boundaries
/// (leptos-rs/leptos#4647, #4578); four made the stall go away in our tests on this 2-core
/// machine, two did not.
const MIN_WORKER_THREADS: usize = 4;

fn main() -> ExitCode {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(cores.max(MIN_WORKER_THREADS))
        .enable_all()
        .build();
    match runtime {
        Ok(runtime) => runtime.block_on(serve()),
        Err(err) => {
            eprintln!("error: starting the async runtime: {err}");
            ExitCode::FAILURE
        }
    }
}

async fn serve() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,sea_orm=warn")),
        )
        .init();
    let config = Config::parse();
    match run(config).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            tracing::error!("{message}");
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(config: Config) -> Result<(), String> {
    let database_url = config.database_url();
    if database_url.starts_with("sqlite:") {
        std::fs::create_dir_all(&config.data_dir).map_err(|err| {
            format!(
                "cannot create the data directory {}: {err}",
                config.data_dir.display()
            )
        })?;
    }
    let db = db::connect_and_migrate(&database_url, None)
        .await
        .map_err(|err| format!("database {}: {err}", redact(&database_url)))?;
    tracing::info!(database = %redact(&database_url), "migrations applied");

    if config.demo_data {
        let seeded = demo::seed_if_empty(&db)
            .await
            .map_err(|err| format!("loading demo data: {err}"))?;
        if seeded {
            demo::seed_deals(&db)
                .await
                .map_err(|err| format!("loading demo deals: {err}"))?;
            tracing::info!("demo data loaded");
            if config.demo_extra_cards > 0 {
                demo::seed_extra_cards(&db, config.demo_extra_cards)
                    .await
                    .map_err(|err| format!("loading extra demo cards: {err}"))?;
                tracing::info!(cards = config.demo_extra_cards, "extra demo cards loaded");
            }
            if config.demo_extra_payments > 0 {
                demo::seed_extra_payments(&db, config.demo_extra_payments)
                    .await
                    .map_err(|err| format!("loading extra payment requests: {err}"))?;
            }
            if let Some(spec) = &config.demo_pending_approvals {
                let (approvers, each) = spec
                    .split_once(':')
                    .and_then(|(a, e)| Some((a.parse().ok()?, e.parse().ok()?)))
                    .ok_or_else(|| {
                        format!("DEMO_PENDING_APPROVALS {spec:?}: want APPROVERS:EACH")
                    })?;
                demo::seed_pending_approvals(&db, approvers, each)
                    .await
                    .map_err(|err| format!("loading pending approvals: {err}"))?;
            }
        }
    }

    let store: Arc<dyn FileStore> = match &config.files_s3_url {
        Some(url) => {
            let store = S3Store::new(&S3Settings {
                url: url.clone(),
                endpoint: config.files_s3_endpoint.clone(),
                region: config.files_s3_region.clone(),
                access_key_id: config.files_s3_access_key_id.clone(),
                secret_access_key: config.files_s3_secret_access_key.clone(),
            })
            .map_err(|err| format!("file storage {url}: {err}"))?;
            store
                .check_reachable()
                .await
                .map_err(|err| format!("file storage {url}: {err}"))?;
            Arc::new(store)
        }
        None => {
            let files_dir = config.files_dir();
            Arc::new(
                LocalStore::new(&files_dir)
                    .map_err(|err| format!("file storage {}: {err}", files_dir.display()))?,
            )
        }
    };
    tracing::info!(store = %store.describe(), "file storage");
    let state = AppState {
        db,
        settings: settings(&config),
        files: store,
        live: Default::default(),
        clock: Default::default(),
    };
    if database_url.starts_with("postgres") {
        app::server::live::start_postgres_fan_out(
            state.db.clone(),
            database_url.clone(),
            state.live.clone(),
        )
        .await
        .map_err(|err| format!("starting live updates: {err}"))?;
    }
    app::server::repo::counterparties::backfill_search_text(&state.db)
        .await
        .map_err(|err| format!("preparing counterparty search: {err}"))?;
    file_routes::sweep_at_start(&state)
        .await
        .map_err(|err| format!("checking stored files: {err}"))?;
    if state.files.sweep_grace() > chrono::TimeDelta::zero() {
        // A shared store: failed uploads' objects wait for the sweep, so it runs every hour.
        let state = state.clone();
        tokio::spawn(async move {
            let mut hourly = tokio::time::interval(std::time::Duration::from_secs(3600));
            hourly.tick().await;
            loop {
                hourly.tick().await;
                if let Err(err) = file_routes::sweep(&state, state.clock.now()).await {
                    tracing::warn!(error = ?err, "file sweep");
                }
            }
        });
    }
    let mailer = Mailer::new(
        config.smtp_url.as_deref(),
        &config.mail_from,
        config.data_dir.join("outbox"),
    )?
    .with_files(state.files.clone());
    mailer::spawn(state.db.clone(), mailer);
    // Payment reminders and other timed jobs; every app server may run it (jobs are claimed).
    tokio::spawn(app::server::repo::scheduler::run_forever(
        state.db.clone(),
        std::time::Duration::from_secs(config.scheduler_secs.max(1)),
        state.settings.public_url.clone(),
    ));
    let live = state.live.clone();
    let drain = std::time::Duration::from_secs(config.drain_secs);
    let options = leptos_options(&config.site_root, config.listen);
    let limits = HttpLimits {
        request_timeout: std::time::Duration::from_secs(config.request_timeout_secs),
        body_limit_bytes: config.body_limit_bytes,
        upload_timeout: std::time::Duration::from_secs(config.upload_timeout_secs),
    };
    let router = build_router(state, options, limits);

    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .map_err(|err| format!("cannot listen on {}: {err}", config.listen))?;
    tracing::info!("listening on http://{}", config.listen);
    println!("Listening on http://{}", config.listen);
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async move {
        shutdown_signal().await;
        // Draining: the health check answers 503 so the balancer stops sending requests here;
        // requests keep being served meanwhile. Then live streams end (pages reconnect to
        // another server) and the requests in flight finish.
        live.start_draining();
        tracing::info!(seconds = drain.as_secs(), "draining");
        tokio::time::sleep(drain).await;
        live.close_streams();
        tracing::info!("finishing requests in flight");
    })
    .await
    .map_err(|err| format!("server error: {err}"))?;
    tracing::info!("stopped");
    Ok(())
}

/// A database URL without its password, for logs.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let credentials = &url[scheme_end + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme_end + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
