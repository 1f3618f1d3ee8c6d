//! Benchmarks of the real server process over loopback, printing figures (not a test):
//! - upload throughput of one 100 MiB file, and the server's peak memory growth meanwhile
//!   (target: under 32 MiB; the upload must stream);
//! - supplier home page requests per second with 32 concurrent signed-in suppliers, on SQLite
//!   and, when reachable, PostgreSQL.
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
const PASSWORD: &str = "demo-password";
const BOUNDARY: &str = "----kabinet-bench-boundary";
const UPLOAD_MIB: usize = 100;
const CLIENTS: usize = 32;
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
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| e.to_string())?;
    let child = Command::new(server_binary())
        .env("DATABASE_URL", database_url)
        .env("DATA_DIR", data_dir)
        .env("LISTEN_ADDR", format!("127.0.0.1:{port}"))
        .env("SITE_ROOT", data_dir.join("site"))
        .env("DEMO_DATA", "true")
        .env("SECURE_COOKIES", "off")
        .env("MAX_FILE_MIB", "128")
        .env("MAX_UPLOAD_MIB", "128")
        .env("RUST_LOG", "warn")
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

fn request(port: u16, head: &str, extra_headers: &str, body: &[u8]) -> std::io::Result<String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(Duration::from_secs(60)))?;
    let mut message = format!(
        "{head}Host: 127.0.0.1:{port}\r\nOrigin: http://127.0.0.1:{port}\r\n{extra_headers}Connection: close\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    message.extend_from_slice(body);
    stream.write_all(&message)?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response)?;
    Ok(String::from_utf8_lossy(&response).into_owned())
}

fn sign_in(port: u16) -> Result<String, String> {
    let body = format!("email={}&password={PASSWORD}", SUPPLIER.replace('@', "%40"));
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

fn bench_upload(data_dir: &Path) -> Result<(), String> {
    let server = start(
        data_dir,
        &format!("sqlite://{}", data_dir.join("kabinet.db").display()),
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
    let sampler = {
        let (peak, done) = (peak.clone(), done.clone());
        std::thread::spawn(move || {
            while !done.load(Ordering::Relaxed) {
                peak.fetch_max(memory_kib(pid).0, Ordering::Relaxed);
                std::thread::sleep(Duration::from_millis(5));
            }
        })
    };

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
        "upload   {UPLOAD_MIB} MiB in {:.2} s = {:.0} MiB/s; server resident memory {:.1} MiB before, \
         {:.1} MiB at peak: growth {:.1} MiB (target < 32 MiB: {})",
        elapsed.as_secs_f64(),
        UPLOAD_MIB as f64 / elapsed.as_secs_f64(),
        rss_before as f64 / 1024.0,
        peak.load(Ordering::Relaxed) as f64 / 1024.0,
        growth_mib,
        if growth_mib < 32.0 { "met" } else { "MISSED" }
    );
    Ok(())
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

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kabinet-bench-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::create_dir_all(&dir);
    dir
}

fn postgres_url() -> Option<(String, String)> {
    let base = std::env::var("TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned());
    let schema = format!("bench_{}", std::process::id());
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

fn main() -> std::process::ExitCode {
    let mut ok = true;
    let upload_dir = temp_dir("upload");
    if let Err(err) = bench_upload(&upload_dir) {
        eprintln!("upload benchmark failed: {err}");
        ok = false;
    }
    let _ = std::fs::remove_dir_all(&upload_dir);

    let sqlite_dir = temp_dir("sqlite");
    let sqlite_url = format!("sqlite://{}", sqlite_dir.join("kabinet.db").display());
    if let Err(err) = bench_home("SQLite", &sqlite_dir, &sqlite_url) {
        eprintln!("SQLite home benchmark failed: {err}");
        ok = false;
    }
    let _ = std::fs::remove_dir_all(&sqlite_dir);

    match postgres_url() {
        Some((url, schema)) => {
            let pg_dir = temp_dir("postgres");
            if let Err(err) = bench_home("PostgreSQL", &pg_dir, &url) {
                eprintln!("PostgreSQL home benchmark failed: {err}");
                ok = false;
            }
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
            let _ = std::fs::remove_dir_all(&pg_dir);
        }
        None => println!("home     PostgreSQL: skipped (not reachable with psql)"),
    }
    if ok {
        std::process::ExitCode::SUCCESS
    } else {
        std::process::ExitCode::FAILURE
    }
}
