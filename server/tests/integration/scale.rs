//! Two app server processes on one PostgreSQL and one S3 store, as behind a load balancer: a
//! file uploaded through A downloads from B; a move on A reaches a board open on B within 2 s;
//! a session made on A works on B; the scheduler run by both makes each reminder once; the
//! mailers of both send each letter once; killing A mid-upload leaves nothing B can see; the
//! health check answers and turns unhealthy while a server drains. `scripts/scale.sh` runs
//! it and prints the figures.
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::time::{Duration, Instant};

use crate::common::s3::S3Server;
use crate::fault::{count, request, sign_in, sign_in_as, start_with, temp_dir};

const BOUNDARY: &str = "----kabinet-scale-boundary";
const MANAGER: &str = "manager@demo.local";

fn body_of(response: &str) -> &str {
    response.split_once("\r\n\r\n").map_or("", |(_, body)| body)
}

/// A server function call (form-encoded) on `port`.
fn call(port: u16, path: &str, form: &str, cookie: Option<&str>) -> String {
    let cookie = cookie.map_or(String::new(), |c| format!("Cookie: {c}\r\n"));
    request(
        port,
        &format!(
            "POST {path} HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded\r\nAccept: application/json\r\n{cookie}"
        ),
        form.as_bytes(),
    )
    .expect("server function")
}

fn get(port: u16, path: &str, cookie: &str) -> Vec<u8> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .expect("timeout");
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nCookie: {cookie}\r\nConnection: close\r\n\r\n"
    )
    .expect("request");
    let mut response = Vec::new();
    stream.read_to_end(&mut response).expect("response");
    response
}

fn multipart_head(number: &str, file_name: &str) -> String {
    let mut head = String::new();
    for (name, value) in [
        ("kind", "invoice_with_act"),
        ("invoice_number", number),
        ("invoice_date", "2026-11-20"),
        ("amount", "100,00"),
        ("vat", "22"),
    ] {
        head.push_str(&format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
        ));
    }
    head.push_str(&format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{file_name}\"\r\nContent-Type: application/pdf\r\n\r\n"
    ));
    head
}

fn upload_head(port: u16, cookie: &str, total: usize) -> String {
    format!(
        "POST /api/cabinet/upload HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nOrigin: http://127.0.0.1:{port}\r\nCookie: {cookie}\r\nAccept: application/json\r\nContent-Type: multipart/form-data; boundary={BOUNDARY}\r\nContent-Length: {total}\r\nConnection: close\r\n\r\n"
    )
}

fn upload(port: u16, cookie: &str, number: &str, content: &[u8]) -> String {
    let head = multipart_head(number, "scale.pdf");
    let tail = format!("\r\n--{BOUNDARY}--\r\n");
    let total = head.len() + content.len() + tail.len();
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .expect("timeout");
    stream
        .write_all(upload_head(port, cookie, total).as_bytes())
        .expect("head");
    stream.write_all(head.as_bytes()).expect("fields");
    stream.write_all(content).expect("file");
    stream.write_all(tail.as_bytes()).expect("tail");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("response");
    response
}

fn outbox_letters(data_dir: &Path, needle: &str) -> usize {
    std::fs::read_dir(data_dir.join("outbox"))
        .map(|entries| {
            entries
                .flatten()
                .filter(|e| {
                    std::fs::read_to_string(e.path()).is_ok_and(|text| text.contains(needle))
                })
                .count()
        })
        .unwrap_or(0)
}

fn wait_until(limit: Duration, mut done: impl FnMut() -> bool) -> Option<Duration> {
    let started = Instant::now();
    while started.elapsed() < limit {
        if done() {
            return Some(started.elapsed());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    None
}

/// Opens B's live stream as a board does and returns the reader.
fn open_stream(port: u16, cookie: &str) -> BufReader<TcpStream> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_millis(200)))
        .expect("timeout");
    write!(
        stream,
        "GET /api/live HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept: text/event-stream\r\nCookie: {cookie}\r\n\r\n"
    )
    .expect("request");
    BufReader::new(stream)
}

/// Whether a `data:` line naming card `card` arrives on `reader` within `limit`.
fn hears_card(reader: &mut BufReader<TcpStream>, card: i64, limit: Duration) -> Option<Duration> {
    let started = Instant::now();
    let needle = format!("\"card\":{card}");
    let mut line = String::new();
    while started.elapsed() < limit {
        line.clear();
        match reader.read_line(&mut line) {
            Ok(0) => return None,
            Ok(_) if line.starts_with("data:") && line.contains(&needle) => {
                return Some(started.elapsed());
            }
            _ => {}
        }
    }
    None
}

fn two_servers(
    url: &str,
    s3_env: Vec<(&'static str, String)>,
    rt: tokio::runtime::Handle,
    s3: &S3Server,
) {
    let q = |sql: &str| rt.block_on(count(url, sql));
    let mut env = s3_env;
    env.push(("SCHEDULER_SECS", "1".to_owned()));
    env.push(("DRAIN_SECS", "2".to_owned()));
    let (dir_a, dir_b) = (temp_dir(), temp_dir());
    // A first: it migrates and loads the demo data; B finds both done.
    let mut a = start_with(&dir_a, url, &env);
    let mut b = start_with(&dir_b, url, &env);

    // Health checks.
    for server in [&a, &b] {
        let health = request(server.port, "GET /healthz HTTP/1.1\r\n", &[]).expect("health");
        assert!(health.starts_with("HTTP/1.1 200"), "{health}");
    }

    // A session made on A works on B.
    let supplier = sign_in(a.port);
    let me = call(b.port, "/api/auth/me", "", Some(&supplier));
    assert!(body_of(&me).contains("supplier@romashka.demo"), "{me}");

    // A file uploaded through A downloads from B.
    let content: Vec<u8> = b"%PDF-1.7\n"
        .iter()
        .copied()
        .chain((0..3 * 1024 * 1024).map(|i| (i % 249) as u8))
        .collect();
    let started = Instant::now();
    let uploaded = upload(a.port, &supplier, "SCALE-1", &content);
    let upload_time = started.elapsed();
    assert!(uploaded.starts_with("HTTP/1.1 201"), "{uploaded}");
    let file = q(
        "SELECT CAST(MAX(f.id) AS BIGINT) AS n FROM document_files f JOIN document_cards c ON c.id = f.card_id WHERE c.invoice_number = 'SCALE-1'",
    );
    let started = Instant::now();
    let downloaded = get(b.port, &format!("/files/{file}?download=1"), &supplier);
    let download_time = started.elapsed();
    let split = downloaded
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("head and body");
    assert!(downloaded.starts_with(b"HTTP/1.1 200"));
    assert!(downloaded[split + 4..] == content[..], "B serves A's bytes");

    // A move on A reaches a board open on B within 2 s.
    let manager = sign_in_as(a.port, MANAGER);
    let manager_b = sign_in_as(b.port, MANAGER);
    let mut board_b = open_stream(b.port, &manager_b);
    std::thread::sleep(Duration::from_millis(300));
    let card =
        q("SELECT CAST(id AS BIGINT) AS n FROM document_cards WHERE invoice_number = 'SCALE-1'");
    let version = q(&format!(
        "SELECT CAST(version AS BIGINT) AS n FROM document_cards WHERE id = {card}"
    ));
    let moved = call(
        a.port,
        "/api/staff/move_document",
        &format!("id={card}&to=review&version={version}"),
        Some(&manager),
    );
    assert!(moved.starts_with("HTTP/1.1 200"), "{moved}");
    let heard = hears_card(&mut board_b, card, Duration::from_secs(2))
        .expect("B's board hears A's move within 2 s");

    // The scheduler of both makes each reminder once: forty orders' reminders fall due at once.
    rt.block_on(async {
        let db = sea_orm::Database::connect(url).await.expect("db");
        sea_orm::ConnectionTrait::execute_unprepared(
            &db,
            "INSERT INTO supplier_orders (counterparty_id, contract_id, deal_id, amount_kopecks, \
             description, payment_deadline, stage_id, version, created_at, stage_entered_at) \
             SELECT o.counterparty_id, o.contract_id, o.deal_id, o.amount_kopecks, 'scale', \
             o.payment_deadline, o.stage_id, 1, o.created_at, o.stage_entered_at \
             FROM supplier_orders o CROSS JOIN generate_series(1, 40) \
             WHERE o.id = (SELECT MIN(id) FROM supplier_orders)",
        )
        .await
        .expect("more orders");
    });
    let orders = q("SELECT COUNT(*) AS n FROM supplier_orders WHERE paid_on IS NULL");
    assert!(orders >= 40, "{orders}");
    rt.block_on(async {
        let db = sea_orm::Database::connect(url).await.expect("db");
        sea_orm::ConnectionTrait::execute_unprepared(
            &db,
            "INSERT INTO scheduled_jobs (kind, key, run_at, attempts) \
             SELECT 'payment_reminder', 'payment_reminder:order:' || id, \
             '2000-01-01 00:00:00+00', 0 FROM supplier_orders WHERE paid_on IS NULL \
             ON CONFLICT (key) DO UPDATE SET run_at = EXCLUDED.run_at, done_at = NULL, attempts = 0",
        )
        .await
        .expect("due jobs");
    });
    wait_until(Duration::from_secs(20), || {
        q("SELECT COUNT(*) AS n FROM scheduled_jobs WHERE done_at IS NULL") == 0
    })
    .expect("both schedulers ran the jobs");
    assert_eq!(
        q("SELECT COUNT(*) AS n FROM tasks WHERE dedupe_key LIKE 'payment_reminder:%'"),
        orders,
        "one reminder per order"
    );
    assert_eq!(
        q("SELECT COUNT(*) AS n FROM scheduled_jobs WHERE attempts <> 1"),
        0,
        "each job was done once"
    );

    // The mailers of both send each letter once.
    let forgot = call(
        a.port,
        "/api/auth/forgot_password",
        "email=supplier%40vektor.demo",
        None,
    );
    assert!(forgot.starts_with("HTTP/1.1 200"), "{forgot}");
    wait_until(Duration::from_secs(20), || {
        q("SELECT COUNT(*) AS n FROM email_outbox WHERE sent_at IS NULL") == 0
    })
    .expect("the letter went out");
    std::thread::sleep(Duration::from_secs(3));
    let letters = outbox_letters(&dir_a, "supplier@vektor.demo")
        + outbox_letters(&dir_b, "supplier@vektor.demo");
    assert_eq!(letters, 1, "one letter, written by one of the two mailers");

    // Killing A mid-upload leaves nothing B can see.
    let objects_before = rt
        .block_on(app::server::storage::FileStore::objects(&s3.store("scale")))
        .expect("objects")
        .len();
    let mut stream = TcpStream::connect(("127.0.0.1", a.port)).expect("connect");
    let head = multipart_head("KILL-S3", "big.pdf");
    let total = head.len() + 20 * 1024 * 1024 + 40;
    stream
        .write_all(upload_head(a.port, &supplier, total).as_bytes())
        .expect("head");
    stream.write_all(head.as_bytes()).expect("fields");
    stream.write_all(b"%PDF-1.7\n").expect("magic");
    let chunk = vec![b'x'; 1024 * 1024];
    for _ in 0..12 {
        stream.write_all(&chunk).expect("chunk");
    }
    stream.flush().ok();
    std::thread::sleep(Duration::from_secs(1));
    let _ = a.child.kill();
    let _ = a.child.wait();
    drop(stream);
    assert_eq!(
        q("SELECT COUNT(*) AS n FROM document_cards WHERE invoice_number = 'KILL-S3'"),
        0
    );
    let me = call(b.port, "/api/auth/me", "", Some(&supplier));
    assert!(
        body_of(&me).contains("supplier@romashka.demo"),
        "B still serves A's session"
    );
    let objects_after = rt
        .block_on(app::server::storage::FileStore::objects(&s3.store("scale")))
        .expect("objects")
        .len();
    assert_eq!(
        objects_after, objects_before,
        "no object of the killed upload"
    );

    // Draining: on SIGTERM B's health check turns 503 while it still serves, then it stops.
    let pid = b.child.id().to_string();
    let _ = std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status();
    let draining = wait_until(Duration::from_secs(2), || {
        request(b.port, "GET /healthz HTTP/1.1\r\n", &[])
            .is_ok_and(|r| r.starts_with("HTTP/1.1 503"))
    });
    assert!(
        draining.is_some(),
        "B's health check turns unhealthy on SIGTERM"
    );
    let served = call(b.port, "/api/auth/me", "", Some(&supplier));
    assert!(
        served.starts_with("HTTP/1.1 200"),
        "requests are still served while draining"
    );
    let stopped = wait_until(Duration::from_secs(15), || {
        matches!(b.child.try_wait(), Ok(Some(_)))
    });
    assert!(
        stopped.is_some(),
        "B stops after draining, its live streams ended"
    );

    eprintln!(
        "two servers: upload 3 MiB on A {:?}, download on B {:?}, a move on A heard on B after {:?}; \
         {orders} reminders made once by two schedulers; one letter by two mailers; a killed \
         upload left nothing; B drained in {:?} and stopped",
        upload_time,
        download_time,
        heard,
        draining.unwrap_or_default()
    );
    std::fs::remove_dir_all(dir_a).ok();
    std::fs::remove_dir_all(dir_b).ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_app_servers_share_one_postgresql_and_one_store() {
    if std::env::var("SKIP_POSTGRES").is_ok_and(|v| v == "1") {
        eprintln!("PostgreSQL pass skipped (SKIP_POSTGRES=1)");
        return;
    }
    use sea_orm::ConnectionTrait as _;
    let (admin, schema, url) = crate::fault::fresh_schema("scale").await;
    let s3 = std::sync::Arc::new(S3Server::start().await);
    let env = s3.env("scale");
    let runtime = tokio::runtime::Handle::current();
    let (run_url, run_s3) = (url.clone(), s3.clone());
    let run =
        tokio::task::spawn_blocking(move || two_servers(&run_url, env, runtime, &run_s3)).await;
    admin
        .execute_unprepared(&format!("DROP SCHEMA {schema} CASCADE"))
        .await
        .ok();
    run.expect("the two-server run");
}
