//! Benchmarks of the real server process over loopback, printing figures (not a test):
//! - upload throughput of one 100 MiB file, and the server's peak memory growth meanwhile
//!   (target: under 32 MiB; the upload must stream);
//! - supplier home page requests per second with 32 concurrent signed-in suppliers, on SQLite
//!   and, when reachable, PostgreSQL;
//! - the staff board with 2,000 more cards: server render time (p50, p99), and stage moves per
//!   second with p50/p99 latency from 32 concurrent staff clients, on SQLite and PostgreSQL.
//!   Each client keeps its connection open between moves, as a browser does.
//!
//! - `bench scale`: the upload and download of a 100 MiB file against an S3-compatible store
//!   (s3s-fs on loopback), and stage moves per second by 32 staff clients against one and
//!   against two app servers on one PostgreSQL and one store.
//!
//! - `bench payments`: the payment register with 10,000 approved requests (server render
//!   p50/p99), the approval sheet of a 10-step chain (time to make, memory), and decisions per
//!   second with 32 approvers deciding at once, on SQLite and PostgreSQL.
//!
//! The browser side of the board (time until interactive, drop to settled) is measured by
//! `end2end/bench/board.mjs`, which `scripts/bench.sh` runs after this.
//!
//! Run by `scripts/bench.sh`, which builds this and the server in release mode.
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

const SUPPLIER: &str = "supplier@romashka.demo";
const MANAGER: &str = "manager@demo.local";
const BOARD_CARDS: usize = 2000;
const MOVE_SECONDS: u64 = 10;
const PASSWORD: &str = "demo-password";
const BOUNDARY: &str = "----kabinet-bench-boundary";
const UPLOAD_MIB: usize = 100;
const CLIENTS: usize = 32;
/// The load the paced run offers: the throughput target for SQLite.
const PACED_MOVES_PER_SECOND: f64 = 500.0;
const HOME_SECONDS: u64 = 10;

struct Server {
    child: Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn server_binary() -> PathBuf {
    std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join("server")))
        .unwrap_or_else(|| PathBuf::from("server"))
}

fn start(data_dir: &Path, database_url: &str) -> Result<Server, String> {
    start_with(data_dir, database_url, 0)
}

fn start_with(data_dir: &Path, database_url: &str, extra_cards: usize) -> Result<Server, String> {
    start_env(data_dir, database_url, extra_cards, &[])
}

fn start_env(
    data_dir: &Path,
    database_url: &str,
    extra_cards: usize,
    env: &[(&str, String)],
) -> Result<Server, String> {
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| e.to_string())?;
    let child = Command::new(server_binary())
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .env("DATABASE_URL", database_url)
        .env("DATA_DIR", data_dir)
        .env("LISTEN_ADDR", format!("127.0.0.1:{port}"))
        .env("SITE_ROOT", data_dir.join("site"))
        .env("DEMO_DATA", "true")
        .env("SECURE_COOKIES", "off")
        .env("MAX_FILE_MIB", "128")
        .env("MAX_UPLOAD_MIB", "128")
        .env("RUST_LOG", "warn")
        .env("DEMO_EXTRA_CARDS", extra_cards.to_string())
        .stdout(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", server_binary().display()))?;
    let server = Server { child, port };
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if request(port, "GET /login HTTP/1.1\r\n", "", &[])
            .is_ok_and(|r| r.starts_with("HTTP/1.1 200"))
        {
            return Ok(server);
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Err("the server did not start".to_owned())
}

/// A request as sent from the app's own origin: `head` is the request line.
fn http_message(port: u16, head: &str, extra_headers: &str, body: &[u8]) -> Vec<u8> {
    let mut message = format!(
        "{head}Host: 127.0.0.1:{port}\r\nOrigin: http://127.0.0.1:{port}\r\n{extra_headers}Content-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    message.extend_from_slice(body);
    message
}

fn request(port: u16, head: &str, extra_headers: &str, body: &[u8]) -> std::io::Result<String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(Duration::from_secs(60)))?;
    stream.write_all(&http_message(
        port,
        head,
        &format!("{extra_headers}Connection: close\r\n"),
        body,
    ))?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response)?;
    Ok(String::from_utf8_lossy(&response).into_owned())
}

/// A client's own connection, kept open between requests as a browser keeps it.
struct Connection {
    port: u16,
    stream: Option<std::io::BufReader<TcpStream>>,
}

impl Connection {
    fn new(port: u16) -> Connection {
        Connection { port, stream: None }
    }

    /// Sends one request on the open connection (opening it first if needed) and reads the
    /// whole response; the status line and headers, a blank line, then the body.
    fn request(&mut self, head: &str, extra_headers: &str, body: &[u8]) -> std::io::Result<String> {
        use std::io::BufRead;
        let port = self.port;
        let mut reader = match self.stream.take() {
            Some(reader) => reader,
            None => {
                let stream = TcpStream::connect(("127.0.0.1", port))?;
                stream.set_read_timeout(Some(Duration::from_secs(60)))?;
                stream.set_nodelay(true)?;
                std::io::BufReader::new(stream)
            }
        };
        reader
            .get_mut()
            .write_all(&http_message(port, head, extra_headers, body))?;
        let mut response = String::new();
        let mut content_length = 0usize;
        let mut close = false;
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line)? == 0 {
                return Err(std::io::ErrorKind::UnexpectedEof.into());
            }
            let lower = line.to_ascii_lowercase();
            if let Some(value) = lower.strip_prefix("content-length:") {
                content_length = value.trim().parse().unwrap_or(0);
            }
            if lower.starts_with("connection:") && lower.contains("close") {
                close = true;
            }
            if lower.starts_with("transfer-encoding:") {
                // Only bodies with a length are expected here; start afresh next time.
                close = true;
            }
            response.push_str(&line);
            if line == "\r\n" {
                break;
            }
        }
        let mut body = vec![0; content_length];
        reader.read_exact(&mut body)?;
        response.push_str(&String::from_utf8_lossy(&body));
        if !close {
            self.stream = Some(reader);
        }
        Ok(response)
    }
}

fn sign_in(port: u16) -> Result<String, String> {
    sign_in_as(port, SUPPLIER)
}

fn sign_in_as(port: u16, email: &str) -> Result<String, String> {
    let body = format!("email={}&password={PASSWORD}", email.replace('@', "%40"));
    let response = request(
        port,
        "POST /api/auth/sign_in HTTP/1.1\r\n",
        "Content-Type: application/x-www-form-urlencoded\r\nAccept: application/json\r\n",
        body.as_bytes(),
    )
    .map_err(|e| e.to_string())?;
    response
        .lines()
        .find_map(|line| {
            line.to_ascii_lowercase()
                .starts_with("set-cookie: kabinet_session=")
                .then(|| {
                    line["set-cookie: ".len()..]
                        .split(';')
                        .next()
                        .map(str::to_owned)
                })
                .flatten()
        })
        .ok_or_else(|| format!("sign-in failed: {}", response.lines().next().unwrap_or("")))
}

/// Resident and peak resident memory of a process, in KiB (Linux).
fn memory_kib(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// Samples process `pid`'s resident memory into `peak` every 5 ms until `done`.
fn sample_peak(
    pid: u32,
    peak: Arc<AtomicU64>,
    done: Arc<AtomicBool>,
) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        while !done.load(Ordering::Relaxed) {
            peak.fetch_max(memory_kib(pid).0, Ordering::Relaxed);
            std::thread::sleep(Duration::from_millis(5));
        }
    })
}

fn bench_upload(data_dir: &Path) -> Result<(), String> {
    bench_upload_to("local", data_dir, &[])
}

/// The upload of one 100 MiB file to a server keeping files as `env` says, then its download.
fn bench_upload_to(store: &str, data_dir: &Path, env: &[(&str, String)]) -> Result<(), String> {
    let server = start_env(
        data_dir,
        &format!("sqlite://{}", data_dir.join("kabinet.db").display()),
        0,
        env,
    )?;
    let cookie = sign_in(server.port)?;
    // Warm the process up so start-up allocations are not counted as the upload's.
    for _ in 0..20 {
        let _ = request(
            server.port,
            "GET /cabinet HTTP/1.1\r\n",
            &format!("Cookie: {cookie}\r\n"),
            &[],
        );
    }
    let pid = server.child.id();
    let (rss_before, _) = memory_kib(pid);
    let peak = Arc::new(AtomicU64::new(rss_before));
    let done = Arc::new(AtomicBool::new(false));
    let sampler = sample_peak(pid, peak.clone(), done.clone());

    let mut head = String::new();
    for (name, value) in [
        ("kind", "invoice_with_act"),
        ("invoice_number", "BENCH-1"),
        ("invoice_date", "2026-11-20"),
        ("amount", "100,00"),
        ("vat", "22"),
    ] {
        head.push_str(&format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
        ));
    }
    head.push_str(&format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"big.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.7\n"
    ));
    let tail = format!("\r\n--{BOUNDARY}--\r\n");
    let file_size = UPLOAD_MIB * 1024 * 1024 - 9;
    let total = head.len() + file_size + tail.len();
    let port = server.port;
    let started = Instant::now();
    let mut stream = TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
    write!(
        stream,
        "POST /api/cabinet/upload HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nOrigin: http://127.0.0.1:{port}\r\nCookie: {cookie}\r\nAccept: application/json\r\nContent-Type: multipart/form-data; boundary={BOUNDARY}\r\nContent-Length: {total}\r\nConnection: close\r\n\r\n{head}"
    )
    .map_err(|e| e.to_string())?;
    let chunk: Vec<u8> = (0..1024 * 1024).map(|i| (i % 251) as u8).collect();
    let mut left = file_size;
    while left > 0 {
        let n = left.min(chunk.len());
        stream.write_all(&chunk[..n]).map_err(|e| e.to_string())?;
        left -= n;
    }
    stream
        .write_all(tail.as_bytes())
        .map_err(|e| e.to_string())?;
    let mut response = String::new();
    stream
        .read_to_string(&mut response)
        .map_err(|e| e.to_string())?;
    let elapsed = started.elapsed();
    done.store(true, Ordering::Relaxed);
    let _ = sampler.join();
    if !response.starts_with("HTTP/1.1 201") {
        return Err(format!(
            "upload refused: {}",
            response.lines().next().unwrap_or("")
        ));
    }
    let growth_mib = peak.load(Ordering::Relaxed).saturating_sub(rss_before) as f64 / 1024.0;
    println!(
        "upload   {store}: {UPLOAD_MIB} MiB in {:.2} s = {:.0} MiB/s; server resident memory {:.1} MiB before, \
         {:.1} MiB at peak: growth {:.1} MiB (target < 32 MiB: {})",
        elapsed.as_secs_f64(),
        UPLOAD_MIB as f64 / elapsed.as_secs_f64(),
        rss_before as f64 / 1024.0,
        peak.load(Ordering::Relaxed) as f64 / 1024.0,
        growth_mib,
        if growth_mib < 32.0 { "met" } else { "MISSED" }
    );

    // The download of the same file, streamed back.
    let card = body_of(&response)
        .split("\"card_id\":")
        .nth(1)
        .and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
        .and_then(|id| id.parse::<i32>().ok())
        .ok_or("no card id in the upload's answer")?;
    let details = post_form(
        port,
        "/api/cabinet/document",
        &cookie,
        &format!("id={card}"),
    )?;
    let file = details
        .split("\"files\":[{\"id\":")
        .nth(1)
        .and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
        .and_then(|id| id.parse::<i32>().ok())
        .ok_or("no file id on the document")?;
    let (rss_before, _) = memory_kib(pid);
    peak.store(rss_before, Ordering::Relaxed);
    done.store(false, Ordering::Relaxed);
    let sampler = sample_peak(pid, peak.clone(), done.clone());
    let started = Instant::now();
    let mut stream = TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
    write!(
        stream,
        "GET /files/{file}?download=1 HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nCookie: {cookie}\r\nConnection: close\r\n\r\n"
    )
    .map_err(|e| e.to_string())?;
    let mut received = 0usize;
    let mut buffer = vec![0u8; 1024 * 1024];
    loop {
        let n = stream.read(&mut buffer).map_err(|e| e.to_string())?;
        if n == 0 {
            break;
        }
        received += n;
    }
    let elapsed = started.elapsed();
    done.store(true, Ordering::Relaxed);
    let _ = sampler.join();
    if received < UPLOAD_MIB * 1024 * 1024 {
        return Err(format!("download cut short at {received} bytes"));
    }
    let growth_mib = peak.load(Ordering::Relaxed).saturating_sub(rss_before) as f64 / 1024.0;
    println!(
        "download {store}: {UPLOAD_MIB} MiB in {:.2} s = {:.0} MiB/s; server memory growth {:.1} MiB (streamed: {})",
        elapsed.as_secs_f64(),
        UPLOAD_MIB as f64 / elapsed.as_secs_f64(),
        growth_mib,
        if growth_mib < 32.0 { "yes" } else { "NO" }
    );
    Ok(())
}

/// An S3-compatible server for the benchmark: `s3s-fs` (installed by `scripts/bench.sh`) with
/// a bucket in a temporary folder.
struct S3Process {
    child: Child,
    port: u16,
    root: PathBuf,
}

impl Drop for S3Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

impl S3Process {
    fn start() -> Result<S3Process, String> {
        let root = temp_dir("s3");
        std::fs::create_dir_all(root.join("kabinet-files")).map_err(|e| e.to_string())?;
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .map_err(|e| e.to_string())?;
        let child = Command::new("s3s-fs")
            .args(["--host", "127.0.0.1", "--port", &port.to_string()])
            .args(["--access-key", "bench-key", "--secret-key", "bench-secret"])
            .arg(&root)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start s3s-fs (scripts/bench.sh installs it): {e}"))?;
        let process = S3Process { child, port, root };
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if Instant::now() > deadline {
                return Err("s3s-fs did not start".to_owned());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Ok(process)
    }

    fn env(&self, prefix: &str) -> Vec<(&'static str, String)> {
        vec![
            ("FILES_S3_URL", format!("s3://kabinet-files/{prefix}")),
            (
                "FILES_S3_ENDPOINT",
                format!("http://127.0.0.1:{}", self.port),
            ),
            ("FILES_S3_REGION", "us-east-1".to_owned()),
            ("FILES_S3_ACCESS_KEY_ID", "bench-key".to_owned()),
            ("FILES_S3_SECRET_ACCESS_KEY", "bench-secret".to_owned()),
        ]
    }
}

/// Stage moves flat out by 32 staff clients against the servers on `ports` (clients spread
/// over them as a balancer would), on one database; returns moves per second.
fn saturated_moves(label: &str, ports: &[u16], cards: &[i32], cookie: &str) -> Result<f64, String> {
    let per_client = cards.len() / CLIENTS;
    let stop = Arc::new(AtomicBool::new(false));
    let failed = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let workers: Vec<_> = (0..CLIENTS)
        .map(|i| {
            let mut mine: Vec<MovingCard> = cards[i * per_client..(i + 1) * per_client]
                .iter()
                .map(|id| (*id, 1, true))
                .collect();
            let (stop, failed) = (stop.clone(), failed.clone());
            let (port, cookie) = (ports[i % ports.len()], cookie.to_owned());
            std::thread::spawn(move || {
                let mut latencies = Vec::new();
                let mut connection = Connection::new(port);
                'run: while !stop.load(Ordering::Relaxed) {
                    for card in mine.iter_mut() {
                        if stop.load(Ordering::Relaxed) {
                            break 'run;
                        }
                        let at = Instant::now();
                        if move_card(&mut connection, &cookie, card) {
                            latencies.push(at.elapsed());
                        } else {
                            failed.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                }
                latencies
            })
        })
        .collect();
    std::thread::sleep(Duration::from_secs(MOVE_SECONDS));
    stop.store(true, Ordering::Relaxed);
    let mut latencies = Vec::new();
    for worker in workers {
        latencies.extend(worker.join().map_err(|_| "a client panicked")?);
    }
    latencies.sort();
    let per_second = latencies.len() as f64 / started.elapsed().as_secs_f64();
    println!(
        "scale    {label}: {per_second:.0} moves/s with {CLIENTS} staff clients (p50 {:.1} ms, p99 {:.1} ms, {} failed)",
        quantile_ms(&latencies, 0.5),
        quantile_ms(&latencies, 0.99),
        failed.load(Ordering::Relaxed)
    );
    Ok(per_second)
}

/// `bench scale`: uploads and downloads against an S3 store, then moves per second with one
/// and with two app servers on one PostgreSQL and one S3 store (the same load).
fn bench_scale() -> Result<(), String> {
    let s3 = S3Process::start()?;
    let upload_dir = temp_dir("upload-s3");
    bench_upload_to("S3", &upload_dir, &s3.env("upload"))?;
    let _ = std::fs::remove_dir_all(&upload_dir);

    let Some((url, schema)) = postgres_url() else {
        println!("scale    PostgreSQL: skipped (not reachable with psql)");
        return Ok(());
    };
    let result = (|| {
        let env = s3.env("scale");
        let (dir_a, dir_b) = (temp_dir("scale-a"), temp_dir("scale-b"));
        let a = start_env(&dir_a, &url, BOARD_CARDS, &env)?;
        let cookie = sign_in_as(a.port, MANAGER)?;
        let mut review = card_ids(a.port, &cookie, "review", CLIENTS * 8)?;
        review.truncate(CLIENTS * 8);
        let one = saturated_moves("one server, PostgreSQL + S3", &[a.port], &review, &cookie)?;
        // The second run moves other cards (the first left its cards where they stopped).
        let fresh = card_ids(a.port, &cookie, "review", CLIENTS * 16)?
            .into_iter()
            .filter(|id| !review.contains(id))
            .take(CLIENTS * 8)
            .collect::<Vec<_>>();
        let b = start_env(&dir_b, &url, 0, &env)?;
        let two = saturated_moves(
            "two servers, PostgreSQL + S3",
            &[a.port, b.port],
            &fresh,
            &cookie,
        )?;
        println!(
            "scale    two servers on one PostgreSQL make {:.2}× the moves of one (the same 32 clients, the same two cores)",
            two / one
        );
        drop((a, b));
        let _ = std::fs::remove_dir_all(dir_a);
        let _ = std::fs::remove_dir_all(dir_b);
        Ok::<(), String>(())
    })();
    drop_schema(&schema);
    result
}

fn bench_home(label: &str, data_dir: &Path, database_url: &str) -> Result<(), String> {
    let server = start(data_dir, database_url)?;
    let cookies: Vec<String> = (0..CLIENTS)
        .map(|_| sign_in(server.port))
        .collect::<Result<_, _>>()?;
    let port = server.port;
    let stop = Arc::new(AtomicBool::new(false));
    let served = Arc::new(AtomicU64::new(0));
    let failed = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let workers: Vec<_> = cookies
        .into_iter()
        .map(|cookie| {
            let (stop, served, failed) = (stop.clone(), served.clone(), failed.clone());
            std::thread::spawn(move || {
                let mut latencies = Vec::new();
                while !stop.load(Ordering::Relaxed) {
                    let at = Instant::now();
                    match request(
                        port,
                        "GET /cabinet HTTP/1.1\r\n",
                        &format!("Cookie: {cookie}\r\nAccept: text/html\r\n"),
                        &[],
                    ) {
                        Ok(r) if r.starts_with("HTTP/1.1 200") && r.contains("ООО «Ромашка»") =>
                        {
                            served.fetch_add(1, Ordering::Relaxed);
                            latencies.push(at.elapsed());
                        }
                        _ => {
                            failed.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                }
                latencies
            })
        })
        .collect();
    std::thread::sleep(Duration::from_secs(HOME_SECONDS));
    stop.store(true, Ordering::Relaxed);
    let mut latencies: Vec<Duration> = workers
        .into_iter()
        .flat_map(|w| w.join().unwrap_or_default())
        .collect();
    let elapsed = started.elapsed().as_secs_f64();
    latencies.sort();
    let at = |q: f64| {
        latencies
            .get(((latencies.len() as f64 - 1.0) * q) as usize)
            .map(|d| d.as_secs_f64() * 1000.0)
            .unwrap_or(0.0)
    };
    println!(
        "home     {label}: {:.0} requests/s with {CLIENTS} signed-in suppliers (p50 {:.1} ms, p99 {:.1} ms, {} failed)",
        served.load(Ordering::Relaxed) as f64 / elapsed,
        at(0.5),
        at(0.99),
        failed.load(Ordering::Relaxed)
    );
    Ok(())
}

/// Quantile `q` of sorted latencies, in milliseconds.
fn quantile_ms(sorted: &[Duration], q: f64) -> f64 {
    sorted
        .get(((sorted.len() as f64 - 1.0) * q) as usize)
        .map(|d| d.as_secs_f64() * 1000.0)
        .unwrap_or(0.0)
}

fn body_of(response: &str) -> &str {
    response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b)
        .unwrap_or("")
}

/// Ids of the cards in `stage`, page by page through the board's own server function.
fn card_ids(port: u16, cookie: &str, stage: &str, wanted: usize) -> Result<Vec<i32>, String> {
    let mut ids = Vec::new();
    while ids.len() < wanted {
        let body = format!("stage={stage}&offset={}", ids.len());
        let response = request(
            port,
            "POST /api/staff/more_board_cards HTTP/1.1\r\n",
            &format!(
                "Cookie: {cookie}\r\nContent-Type: application/x-www-form-urlencoded\r\nAccept: application/json\r\n"
            ),
            body.as_bytes(),
        )
        .map_err(|e| e.to_string())?;
        let found: Vec<i32> = body_of(&response)
            .split("{\"id\":")
            .skip(1)
            .filter_map(|rest| rest.split(',').next()?.parse().ok())
            .collect();
        if found.is_empty() {
            break;
        }
        ids.extend(found);
    }
    Ok(ids)
}

fn bench_board(label: &str, data_dir: &Path, database_url: &str) -> Result<(), String> {
    let server = start_with(data_dir, database_url, BOARD_CARDS)?;
    let port = server.port;
    let cookie = sign_in_as(port, MANAGER)?;
    // Render: the whole page, server-side, as a browser asks for it.
    let mut renders = Vec::new();
    for i in 0..40 {
        let at = Instant::now();
        let response = request(
            port,
            "GET /staff/board HTTP/1.1\r\n",
            &format!("Cookie: {cookie}\r\nAccept: text/html\r\n"),
            &[],
        )
        .map_err(|e| e.to_string())?;
        if !response.starts_with("HTTP/1.1 200") || !response.contains("data-card-id") {
            return Err(format!(
                "board page: {}",
                response.lines().next().unwrap_or("")
            ));
        }
        if i >= 5 {
            renders.push(at.elapsed());
        }
    }
    renders.sort();
    let p50 = quantile_ms(&renders, 0.5);
    println!(
        "board    {label}: {} cards, server render p50 {p50:.1} ms, p99 {:.1} ms (target p50 < 100 ms: {})",
        BOARD_CARDS + 10,
        quantile_ms(&renders, 0.99),
        if p50 < 100.0 { "met" } else { "MISSED" }
    );

    // Moves: 32 staff clients, each moving its own cards between review and accounting.
    let mut review = card_ids(port, &cookie, "review", CLIENTS * 8)?;
    review.truncate(CLIENTS * 8);
    if review.len() < CLIENTS {
        return Err(format!("only {} cards under review", review.len()));
    }
    let cookies: Vec<String> = (0..CLIENTS)
        .map(|_| sign_in_as(port, MANAGER))
        .collect::<Result<_, _>>()?;
    let stop = Arc::new(AtomicBool::new(false));
    let failed = Arc::new(AtomicU64::new(0));
    let per_client = review.len() / CLIENTS;
    let started = Instant::now();
    let workers: Vec<_> = cookies
        .into_iter()
        .enumerate()
        .map(|(i, cookie)| {
            let mine: Vec<MovingCard> = review[i * per_client..(i + 1) * per_client]
                .iter()
                .map(|id| (*id, 1, true))
                .collect();
            let (stop, failed) = (stop.clone(), failed.clone());
            std::thread::spawn(move || {
                let mut cards = mine;
                let mut latencies = Vec::new();
                let mut connection = Connection::new(port);
                'run: while !stop.load(Ordering::Relaxed) {
                    for card in cards.iter_mut() {
                        if stop.load(Ordering::Relaxed) {
                            break 'run;
                        }
                        let at = Instant::now();
                        if move_card(&mut connection, &cookie, card) {
                            latencies.push(at.elapsed());
                        } else {
                            failed.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                }
                (latencies, cards, cookie)
            })
        })
        .collect();
    std::thread::sleep(Duration::from_secs(MOVE_SECONDS));
    stop.store(true, Ordering::Relaxed);
    let mut latencies = Vec::new();
    let mut clients = Vec::new();
    for worker in workers {
        let (mine, cards, cookie) = worker.join().map_err(|_| "a client panicked")?;
        latencies.extend(mine);
        clients.push((cards, cookie));
    }
    let elapsed = started.elapsed().as_secs_f64();
    latencies.sort();
    let per_second = latencies.len() as f64 / elapsed;
    let p99 = quantile_ms(&latencies, 0.99);
    println!(
        "moves    {label}: saturated: {per_second:.0} moves/s with {CLIENTS} staff clients moving as fast as answered (p50 {:.1} ms, p99 {p99:.1} ms, {} failed; at saturation p99 < 50 ms: {}{})",
        quantile_ms(&latencies, 0.5),
        failed.load(Ordering::Relaxed),
        if p99 < 50.0 { "met" } else { "MISSED" },
        if label == "SQLite" {
            format!(
                ", >= 500 moves/s: {}",
                if per_second >= 500.0 { "met" } else { "MISSED" }
            )
        } else {
            String::new()
        }
    );
    paced_moves(label, port, clients)
}

/// A card as a moving client knows it: id, version, whether it is under review.
type MovingCard = (i32, i32, bool);

/// Moves `card` between review and accounting; on success it holds the card's new state.
fn move_card(connection: &mut Connection, cookie: &str, card: &mut MovingCard) -> bool {
    let (id, version, in_review) = *card;
    let to = if in_review { "accounting" } else { "review" };
    let response = connection.request(
        "POST /api/staff/move_document HTTP/1.1\r\n",
        &format!(
            "Cookie: {cookie}\r\nContent-Type: application/x-www-form-urlencoded\r\nAccept: application/json\r\n"
        ),
        format!("id={id}&to={to}&version={version}").as_bytes(),
    );
    let moved = response.is_ok_and(|r| r.starts_with("HTTP/1.1 200"));
    if moved {
        *card = (id, version + 1, !in_review);
    }
    moved
}
/// A client's cards and its session cookie.
type MovingClient = (Vec<MovingCard>, String);

/// Moves offered at a steady `PACED_MOVES_PER_SECOND` by the 32 clients together (each on its
/// own schedule, open loop): the latency a user sees at that load, counted from when each move
/// was due, so a slow answer that delays the next move is counted too.
fn paced_moves(label: &str, port: u16, clients: Vec<MovingClient>) -> Result<(), String> {
    let interval = Duration::from_secs_f64(CLIENTS as f64 / PACED_MOVES_PER_SECOND);
    let started = Instant::now();
    let workers: Vec<_> = clients
        .into_iter()
        .enumerate()
        .map(|(i, (mut cards, cookie))| {
            std::thread::spawn(move || {
                let mut latencies = Vec::new();
                let mut failed = 0u64;
                let mut connection = Connection::new(port);
                // Clients start spread over one interval, not all at once.
                let mut due = started + interval.mul_f64(i as f64 / CLIENTS as f64);
                let end = started + Duration::from_secs(MOVE_SECONDS);
                let mut next = 0;
                while due < end {
                    if let Some(wait) = due.checked_duration_since(Instant::now()) {
                        std::thread::sleep(wait);
                    }
                    if move_card(&mut connection, &cookie, &mut cards[next]) {
                        latencies.push(due.elapsed());
                    } else {
                        failed += 1;
                    }
                    next = (next + 1) % cards.len();
                    due += interval;
                }
                (latencies, failed)
            })
        })
        .collect();
    let mut latencies = Vec::new();
    let mut failed = 0;
    for worker in workers {
        let (mine, lost) = worker.join().map_err(|_| "a client panicked")?;
        latencies.extend(mine);
        failed += lost;
    }
    let elapsed = started.elapsed().as_secs_f64();
    latencies.sort();
    let p99 = quantile_ms(&latencies, 0.99);
    println!(
        "moves    {label}: paced: {:.0} moves/s offered by {CLIENTS} clients, {:.0}/s done (p50 {:.1} ms, p99 {p99:.1} ms, {failed} failed; target p99 < 50 ms at {PACED_MOVES_PER_SECOND:.0}/s: {})",
        PACED_MOVES_PER_SECOND,
        latencies.len() as f64 / elapsed,
        quantile_ms(&latencies, 0.5),
        if p99 < 50.0 { "met" } else { "MISSED" }
    );
    Ok(())
}

/// Deals each client moves to implementation in the numbering benchmark.
const DEALS_PER_CLIENT: usize = 40;

fn post_form(port: u16, path: &str, cookie: &str, body: &str) -> Result<String, String> {
    let response = request(
        port,
        &format!("POST {path} HTTP/1.1\r\n"),
        &format!(
            "Cookie: {cookie}\r\nContent-Type: application/x-www-form-urlencoded\r\nAccept: application/json\r\n"
        ),
        body.as_bytes(),
    )
    .map_err(|e| e.to_string())?;
    if !response.starts_with("HTTP/1.1 200") {
        return Err(format!("{path}: {}", response.lines().next().unwrap_or("")));
    }
    Ok(body_of(&response).to_owned())
}

/// Deal numbers assigned per second with 32 clients each moving its own deals into
/// implementation at once, then the proof: every number of the year, read back, is 1..N once.
fn bench_numbering(label: &str, data_dir: &Path, database_url: &str) -> Result<(), String> {
    let server = start(data_dir, database_url)?;
    let port = server.port;
    let cookies: Vec<String> = (0..CLIENTS)
        .map(|_| sign_in_as(port, MANAGER))
        .collect::<Result<_, _>>()?;
    let mut deals = Vec::new();
    for i in 0..CLIENTS * DEALS_PER_CLIENT {
        let id = post_form(
            port,
            "/api/staff/create_deal",
            &cookies[0],
            &format!("title=Bench+{i}&customer=Bench&amount=1000"),
        )?;
        deals.push(id.trim().parse::<i32>().map_err(|e| e.to_string())?);
    }
    let started = Instant::now();
    let workers: Vec<_> = cookies
        .into_iter()
        .enumerate()
        .map(|(i, cookie)| {
            let mine = deals[i * DEALS_PER_CLIENT..(i + 1) * DEALS_PER_CLIENT].to_vec();
            std::thread::spawn(move || {
                let mut latencies = Vec::new();
                let mut failed = 0;
                for id in mine {
                    let at = Instant::now();
                    match post_form(
                        port,
                        "/api/staff/move_deal",
                        &cookie,
                        &format!("id={id}&to=implementation&version=1"),
                    ) {
                        Ok(_) => latencies.push(at.elapsed()),
                        Err(_) => failed += 1,
                    }
                }
                (latencies, failed)
            })
        })
        .collect();
    let mut latencies = Vec::new();
    let mut failed = 0;
    for worker in workers {
        let (mine, lost) = worker.join().unwrap_or_default();
        latencies.extend(mine);
        failed += lost;
    }
    let elapsed = started.elapsed().as_secs_f64();
    latencies.sort();
    println!(
        "numbers  {label}: {:.0} numbers/s with {CLIENTS} clients ({} deals, p50 {:.1} ms, p99 {:.1} ms, {failed} failed)",
        latencies.len() as f64 / elapsed,
        latencies.len(),
        quantile_ms(&latencies, 0.5),
        quantile_ms(&latencies, 0.99),
    );

    // The proof, read back through the deal pages: per year, the numbers are 1..N, each once.
    let cookie = sign_in_as(port, MANAGER)?;
    let mut by_year: std::collections::BTreeMap<String, Vec<u32>> = Default::default();
    let last = deals.iter().copied().max().unwrap_or(0);
    for id in 1..=last {
        let page = post_form(port, "/api/staff/deal", &cookie, &format!("id={id}"))?;
        if let Some(at) = page.find("\"number\":\"") {
            let number = &page[at + 10..at + 10 + 9];
            let (year, seq) = number.split_once('-').ok_or("bad number")?;
            by_year
                .entry(year.to_owned())
                .or_default()
                .push(seq.parse().map_err(|_| format!("bad number {number}"))?);
        }
    }
    for (year, mut seqs) in by_year {
        seqs.sort_unstable();
        let expected: Vec<u32> = (1..=seqs.len() as u32).collect();
        let gapless = seqs == expected;
        println!(
            "numbers  {label}: {year}: {} numbers, {} … {}: {}",
            seqs.len(),
            seqs.first().copied().unwrap_or(0),
            seqs.last().copied().unwrap_or(0),
            if gapless {
                "no gap, no duplicate"
            } else {
                "GAP OR DUPLICATE"
            }
        );
        if !gapless {
            return Err(format!("{year}: numbers are not 1..{}", seqs.len()));
        }
    }
    Ok(())
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kabinet-bench-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::create_dir_all(&dir);
    dir
}

fn drop_schema(schema: &str) {
    let base = std::env::var("TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned());
    let _ = Command::new("psql")
        .args([
            base.as_str(),
            "-qc",
            &format!("DROP SCHEMA {schema} CASCADE"),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
}

fn postgres_url() -> Option<(String, String)> {
    let base = std::env::var("TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned());
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let schema = format!(
        "bench_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    );
    let created = Command::new("psql")
        .args([base.as_str(), "-qc", &format!("CREATE SCHEMA {schema}")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    created.then(|| {
        let separator = if base.contains('?') { '&' } else { '?' };
        (
            format!("{base}{separator}options[search_path]={schema}"),
            schema,
        )
    })
}

const REGISTER_REQUESTS: usize = 10_000;
const DECISIONS_EACH: usize = 20;

/// The register's server render with 10,000 approved requests, and decisions per second with
/// 32 approvers each deciding their own requests at once.
fn bench_payments(
    label: &str,
    data_dir: &Path,
    database_url: &str,
    decisions_url: &str,
) -> Result<(), String> {
    {
        let server = start_env(
            data_dir,
            database_url,
            0,
            &[("DEMO_EXTRA_PAYMENTS", REGISTER_REQUESTS.to_string())],
        )?;
        let cookie = sign_in_as(server.port, "accountant@demo.local")?;
        let mut latencies = Vec::new();
        let mut bytes = 0;
        for i in 0..23 {
            let at = Instant::now();
            let response = request(
                server.port,
                "GET /staff/payments/register HTTP/1.1\r\n",
                &format!("Cookie: {cookie}\r\nAccept: text/html\r\n"),
                &[],
            )
            .map_err(|e| e.to_string())?;
            let took = at.elapsed();
            if !response.starts_with("HTTP/1.1 200") || !response.contains("Б-10000") {
                return Err(format!(
                    "register: {}",
                    response.lines().next().unwrap_or("")
                ));
            }
            bytes = response.len();
            // The first three warm the caches.
            if i >= 3 {
                latencies.push(took);
            }
        }
        latencies.sort();
        println!(
            "register {label}: {REGISTER_REQUESTS} requests rendered in p50 {:.0} ms, p99 {:.0} ms ({:.1} MiB of HTML)",
            quantile_ms(&latencies, 0.5),
            quantile_ms(&latencies, 0.99),
            bytes as f64 / 1024.0 / 1024.0
        );
    }
    let _ = std::fs::remove_dir_all(data_dir);
    let server = start_env(
        data_dir,
        decisions_url,
        0,
        &[(
            "DEMO_PENDING_APPROVALS",
            format!("{CLIENTS}:{DECISIONS_EACH}"),
        )],
    )?;
    let port = server.port;
    let cookies: Vec<String> = (0..CLIENTS)
        .map(|k| sign_in_as(port, &format!("approver{k}@bench.local")))
        .collect::<Result<_, _>>()?;
    let started = Instant::now();
    let workers: Vec<_> = cookies
        .into_iter()
        .enumerate()
        .map(|(k, cookie)| {
            std::thread::spawn(move || {
                let mut latencies = Vec::new();
                let mut failed = 0;
                let mut first_error = None;
                for j in 0..DECISIONS_EACH {
                    let id = k * DECISIONS_EACH + j + 1;
                    let at = Instant::now();
                    match post_form(
                        port,
                        "/api/staff/decide_payment",
                        &cookie,
                        &format!("id={id}&version=1&decision=approve&comment="),
                    ) {
                        Ok(_) => latencies.push(at.elapsed()),
                        Err(error) => {
                            failed += 1;
                            first_error.get_or_insert(error);
                        }
                    }
                }
                (latencies, failed, first_error)
            })
        })
        .collect();
    let mut latencies = Vec::new();
    let mut failed = 0;
    let mut first_error = None;
    for worker in workers {
        let (mine, lost, error) = worker.join().unwrap_or_default();
        latencies.extend(mine);
        failed += lost;
        first_error = first_error.or(error);
    }
    let elapsed = started.elapsed().as_secs_f64();
    latencies.sort();
    println!(
        "decide   {label}: {:.0} decisions/s with {CLIENTS} approvers at once (p50 {:.1} ms, p99 {:.1} ms, {failed} failed)",
        latencies.len() as f64 / elapsed,
        quantile_ms(&latencies, 0.5),
        quantile_ms(&latencies, 0.99),
    );
    if let Some(error) = first_error {
        return Err(format!("{failed} decisions failed, the first: {error}"));
    }
    Ok(())
}

/// The approval sheet of a 10-step chain: time to make it (p50, p99 of 50) and the memory it
/// takes, in this process.
fn bench_sheet() -> Result<(), String> {
    use app::domain::money::Money;
    use app::domain::payments::{SheetInput, SheetStepInput, StepState, approval_sheet};
    let names: Vec<String> = (1..=10).map(|i| format!("Согласующий Номер {i}")).collect();
    let input = SheetInput {
        id: 4242,
        counterparty: "ООО «Ромашка»",
        requisites: "ИНН 7707083893, КПП 773601001, р/с 40702810938000012345, ПАО Сбербанк",
        amount: Money::from_kopecks(123_456_789),
        purpose: "Оплата по счёту № 15 от 01.12.2026 за насосное оборудование",
        cash_flow_item: "01 Оплата поставщикам",
        in_budget: true,
        urgent: false,
        pay_by: chrono::NaiveDate::from_ymd_opt(2026, 12, 20),
        initiator: "Мария Петрова",
        made_at: "03.12.2026 10:00",
        steps: names
            .iter()
            .map(|name| SheetStepInput {
                approver: name,
                job_title: "Руководитель направления",
                deputy: None,
                state: StepState::Approved,
                at: Some("03.12.2026 09:59".to_owned()),
                comment: Some("Согласовано, сумма совпадает со счётом и бюджетом"),
            })
            .collect(),
    };
    let (before, _) = memory_kib(std::process::id());
    let mut times = Vec::new();
    let mut size = 0;
    for _ in 0..50 {
        let at = Instant::now();
        let pdf = app::server::approval_sheet::render(&approval_sheet(&input))
            .map_err(|e| format!("{e:?}"))?;
        times.push(at.elapsed());
        size = pdf.len();
    }
    let (after, peak) = memory_kib(std::process::id());
    times.sort();
    println!(
        "sheet    10 steps: made in p50 {:.1} ms, p99 {:.1} ms; {} KiB of PDF; memory {} KiB before, {} KiB after, peak {} KiB",
        quantile_ms(&times, 0.5),
        quantile_ms(&times, 0.99),
        size / 1024,
        before,
        after,
        peak
    );
    Ok(())
}

const LEDGER_ENTRIES: usize = 100_000;
const SETTLEMENT_ROUNDS: usize = 20;

/// The SQL that gives the demo supplier (Ромашка) `LEDGER_ENTRIES` entries over the last three
/// years: an accrual a day-ish, each fourth entry a payment, due 14 days on.
fn ledger_sql(postgres: bool) -> String {
    let numbers = if postgres {
        format!("SELECT generate_series(1, {LEDGER_ENTRIES}) AS n")
    } else {
        format!(
            "WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < {LEDGER_ENTRIES}) SELECT n FROM s"
        )
    };
    let day = |offset: &str| {
        if postgres {
            format!(
                "(CURRENT_DATE - ((n * 1095 / {LEDGER_ENTRIES}) || ' days')::interval {offset})::date"
            )
        } else {
            format!("date('now', '-' || (n * 1095 / {LEDGER_ENTRIES}) || ' days' {offset})")
        }
    };
    let due_offset = if postgres {
        "+ interval '14 days'"
    } else {
        ", '+14 days'"
    };
    let created = if postgres { "now()" } else { "datetime('now')" };
    format!(
        "INSERT INTO ledger_entries (counterparty_id, contract_id, entry_date, due_date, side, kind, \
         amount_kopecks, source, source_id, document_number, document_date, reversal, created_by, created_at) \
         SELECT (SELECT counterparty_id FROM users WHERE email = 'supplier@romashka.demo'), NULL, {entry}, \
         CASE WHEN n % 4 = 0 THEN NULL ELSE {due} END, \
         CASE WHEN n % 4 = 0 THEN 'debit' ELSE 'credit' END, \
         CASE WHEN n % 4 = 0 THEN 'payment' ELSE 'accrual' END, \
         100000 + n % 997, 'document', 1000000 + n, 'Б-' || n, {entry}, false, NULL, {created} \
         FROM ({numbers}) AS numbers",
        entry = day(""),
        due = day(due_offset),
    )
}

/// A counterparty with 100,000 ledger entries: the cabinet home (with its balance panel), the
/// balance page and a one-year statement as PDF, each server time p50/p99, and the server's
/// peak memory over the run.
fn bench_settlements(label: &str, data_dir: &Path, database_url: &str) -> Result<(), String> {
    let server = start(data_dir, database_url)?;
    let postgres = database_url.starts_with("postgres");
    let sql = ledger_sql(postgres);
    let loaded = if postgres {
        let (base, schema) = database_url
            .split_once("?options[search_path]=")
            .ok_or("no schema in the PostgreSQL address")?;
        Command::new("psql")
            .args([base, "-qc", &format!("SET search_path TO {schema}; {sql}")])
            .status()
    } else {
        let file = database_url.trim_start_matches("sqlite://");
        Command::new("sqlite3")
            .args(["-cmd", ".timeout 10000", file, &sql])
            .status()
    };
    if !loaded.is_ok_and(|s| s.success()) {
        return Err("loading the ledger failed".to_owned());
    }
    let cookie = sign_in(server.port)?;
    let peak = Arc::new(AtomicU64::new(0));
    let done = Arc::new(AtomicBool::new(false));
    let sampler = sample_peak(server.child.id(), peak.clone(), done.clone());
    let today = chrono::Utc::now().date_naive();
    let year_ago = today - chrono::Days::new(365);
    let statement = format!(
        "GET /api/settlements/statement?format=pdf&lang=ru&from={year_ago}&to={today}&account=all HTTP/1.1\r\n"
    );
    let pages = [
        (
            "home with the panel",
            "GET /cabinet HTTP/1.1\r\n".to_owned(),
            "text/html",
        ),
        (
            "balance page",
            "GET /cabinet/balance HTTP/1.1\r\n".to_owned(),
            "text/html",
        ),
        ("statement PDF, 1 year", statement, "application/pdf"),
    ];
    for (name, head, accept) in pages {
        let mut times = Vec::new();
        let mut bytes = 0;
        for _ in 0..SETTLEMENT_ROUNDS {
            let at = Instant::now();
            let response = request(
                server.port,
                &head,
                &format!("Cookie: {cookie}\r\nAccept: {accept}\r\n"),
                &[],
            )
            .map_err(|e| e.to_string())?;
            if !response.starts_with("HTTP/1.1 200") {
                return Err(format!(
                    "{name}: {}",
                    response.lines().next().unwrap_or_default()
                ));
            }
            times.push(at.elapsed());
            bytes = response.len();
        }
        times.sort();
        println!(
            "ledger   {label}, {LEDGER_ENTRIES} entries: {name} p50 {:.0} ms, p99 {:.0} ms ({} KiB)",
            quantile_ms(&times, 0.5),
            quantile_ms(&times, 0.99),
            bytes / 1024
        );
    }
    done.store(true, Ordering::Relaxed);
    let _ = sampler.join();
    println!(
        "ledger   {label}: server peak memory {} MiB",
        peak.load(Ordering::Relaxed) / 1024
    );
    bench_import(label, &server)
}

/// Rows of the import benchmark's CSV.
const IMPORT_ROWS: usize = 100_000;

/// An accountant's 100,000-row CSV from the accounting system (another counterparty's, over
/// three years), imported, then the same file again (every row skipped): rows per second and
/// the server's memory above what it held before.
fn bench_import(label: &str, server: &Server) -> Result<(), String> {
    let cookie = sign_in_as(server.port, "accountant@demo.local")?;
    let today = chrono::Utc::now().date_naive();
    let mut csv = String::from("Идентификатор;ИНН;Договор;Дата;Документ;Дебет;Кредит\n");
    for n in 0..IMPORT_ROWS {
        let date = today - chrono::Days::new((n * 1095 / IMPORT_ROWS) as u64);
        let (debit, credit) = if n % 4 == 0 {
            (format!("{},{:02}", 1000 + n % 997, n % 100), String::new())
        } else {
            (String::new(), format!("{},{:02}", 1000 + n % 991, n % 100))
        };
        csv.push_str(&format!(
            "1c-{n};7736207543;;{};Д-{n};{debit};{credit}\n",
            date.format("%d.%m.%Y")
        ));
    }
    let mut body = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"entries.csv\"\r\nContent-Type: text/csv\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(csv.as_bytes());
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    let before = memory_kib(server.child.id()).0;
    for pass in ["first import", "the same file again"] {
        let peak = Arc::new(AtomicU64::new(0));
        let done = Arc::new(AtomicBool::new(false));
        let sampler = sample_peak(server.child.id(), peak.clone(), done.clone());
        let at = Instant::now();
        let response = request(
            server.port,
            "POST /api/staff/ledger_import HTTP/1.1\r\n",
            &format!(
                "Cookie: {cookie}\r\nAccept: application/json\r\nContent-Type: multipart/form-data; boundary={BOUNDARY}\r\n"
            ),
            &body,
        )
        .map_err(|e| e.to_string())?;
        let took = at.elapsed();
        done.store(true, Ordering::Relaxed);
        let _ = sampler.join();
        if !response.starts_with("HTTP/1.1 200") {
            return Err(format!(
                "import: {}",
                response.lines().next().unwrap_or_default()
            ));
        }
        println!(
            "import   {label}, {IMPORT_ROWS}-row CSV ({} MiB), {pass}: {:.1} s, {:.0} rows/s, server memory +{} MiB over {} MiB",
            body.len() / (1024 * 1024),
            took.as_secs_f64(),
            IMPORT_ROWS as f64 / took.as_secs_f64(),
            peak.load(Ordering::Relaxed).saturating_sub(before) / 1024,
            before / 1024,
        );
    }
    Ok(())
}

fn main() -> std::process::ExitCode {
    let mut ok = true;
    // `bench board` or `bench numbering`: those figures only.
    let only: Option<String> = std::env::args().nth(1);
    let everything = only.is_none();
    let board = everything || only.as_deref() == Some("board");
    let numbering = everything || only.as_deref() == Some("numbering");
    let scale = everything || only.as_deref() == Some("scale");
    let payments = everything || only.as_deref() == Some("payments");
    if everything || only.as_deref() == Some("settlements") {
        let dir = temp_dir("settlements-sqlite");
        let url = format!("sqlite://{}", dir.join("kabinet.db").display());
        if let Err(err) = bench_settlements("SQLite", &dir, &url) {
            eprintln!("SQLite settlements benchmark failed: {err}");
            ok = false;
        }
        let _ = std::fs::remove_dir_all(&dir);
        match postgres_url() {
            Some((url, schema)) => {
                let dir = temp_dir("settlements-postgres");
                if let Err(err) = bench_settlements("PostgreSQL", &dir, &url) {
                    eprintln!("PostgreSQL settlements benchmark failed: {err}");
                    ok = false;
                }
                let _ = std::fs::remove_dir_all(&dir);
                drop_schema(&schema);
            }
            None => println!("ledger   PostgreSQL: skipped"),
        }
        if only.is_some() {
            return if ok {
                std::process::ExitCode::SUCCESS
            } else {
                std::process::ExitCode::FAILURE
            };
        }
    }
    if payments {
        if let Err(err) = bench_sheet() {
            eprintln!("sheet benchmark failed: {err}");
            ok = false;
        }
        let dir = temp_dir("payments-sqlite");
        let url = format!("sqlite://{}", dir.join("kabinet.db").display());
        // The data directory is emptied between the two parts: a fresh database each.
        if let Err(err) = bench_payments("SQLite", &dir, &url, &url) {
            eprintln!("SQLite payments benchmark failed: {err}");
            ok = false;
        }
        let _ = std::fs::remove_dir_all(&dir);
        match (postgres_url(), postgres_url()) {
            (Some((url, schema)), Some((decisions_url, decisions_schema))) => {
                let dir = temp_dir("payments-postgres");
                if let Err(err) = bench_payments("PostgreSQL", &dir, &url, &decisions_url) {
                    eprintln!("PostgreSQL payments benchmark failed: {err}");
                    ok = false;
                }
                let _ = std::fs::remove_dir_all(&dir);
                drop_schema(&schema);
                drop_schema(&decisions_schema);
            }
            _ => println!("payments PostgreSQL: skipped"),
        }
        if only.is_some() {
            return if ok {
                std::process::ExitCode::SUCCESS
            } else {
                std::process::ExitCode::FAILURE
            };
        }
    }
    let upload_dir = temp_dir("upload");
    if everything && let Err(err) = bench_upload(&upload_dir) {
        eprintln!("upload benchmark failed: {err}");
        ok = false;
    }
    let _ = std::fs::remove_dir_all(&upload_dir);
    if scale && let Err(err) = bench_scale() {
        eprintln!("scale benchmark failed: {err}");
        ok = false;
    }

    let sqlite_dir = temp_dir("sqlite");
    let sqlite_url = format!("sqlite://{}", sqlite_dir.join("kabinet.db").display());
    if everything && let Err(err) = bench_home("SQLite", &sqlite_dir, &sqlite_url) {
        eprintln!("SQLite home benchmark failed: {err}");
        ok = false;
    }
    let _ = std::fs::remove_dir_all(&sqlite_dir);

    let board_dir = temp_dir("board-sqlite");
    let board_url = format!("sqlite://{}", board_dir.join("kabinet.db").display());
    if board && let Err(err) = bench_board("SQLite", &board_dir, &board_url) {
        eprintln!("SQLite board benchmark failed: {err}");
        ok = false;
    }
    let _ = std::fs::remove_dir_all(&board_dir);

    let numbering_dir = temp_dir("numbering-sqlite");
    let numbering_url = format!("sqlite://{}", numbering_dir.join("kabinet.db").display());
    if numbering && let Err(err) = bench_numbering("SQLite", &numbering_dir, &numbering_url) {
        eprintln!("SQLite numbering benchmark failed: {err}");
        ok = false;
    }
    let _ = std::fs::remove_dir_all(&numbering_dir);

    match postgres_url() {
        Some((url, schema)) => {
            let pg_dir = temp_dir("postgres");
            if everything && let Err(err) = bench_home("PostgreSQL", &pg_dir, &url) {
                eprintln!("PostgreSQL home benchmark failed: {err}");
                ok = false;
            }
            let _ = std::fs::remove_dir_all(&pg_dir);
            drop_schema(&schema);
            if board {
                match postgres_url() {
                    Some((url, schema)) => {
                        let pg_dir = temp_dir("board-postgres");
                        if let Err(err) = bench_board("PostgreSQL", &pg_dir, &url) {
                            eprintln!("PostgreSQL board benchmark failed: {err}");
                            ok = false;
                        }
                        let _ = std::fs::remove_dir_all(&pg_dir);
                        drop_schema(&schema);
                    }
                    None => println!("board    PostgreSQL: skipped"),
                }
            }
            if numbering {
                match postgres_url() {
                    Some((url, schema)) => {
                        let pg_dir = temp_dir("numbering-postgres");
                        if let Err(err) = bench_numbering("PostgreSQL", &pg_dir, &url) {
                            eprintln!("PostgreSQL numbering benchmark failed: {err}");
                            ok = false;
                        }
                        let _ = std::fs::remove_dir_all(&pg_dir);
                        drop_schema(&schema);
                    }
                    None => println!("numbers  PostgreSQL: skipped"),
                }
            }
        }
        None => println!("home     PostgreSQL: skipped (not reachable with psql)"),
    }
    if ok {
        std::process::ExitCode::SUCCESS
    } else {
        std::process::ExitCode::FAILURE
    }
}
