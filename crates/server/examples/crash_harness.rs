//! Crash harness (issue 19, "proof that nothing is lost"): drives the citizen journey against
//! `ikd serve` from many clients, kills the service with SIGKILL at random moments, restarts
//! it, and at the end checks the database against every write the service acknowledged with a
//! 2xx. A benchmark command, not part of `cargo xtask test`:
//!
//!   cargo build --release -p ikd-server --bin ikd --example crash_harness
//!   target/release/examples/crash_harness [--backend sqlite|postgres|both] [--kills 100]
//!
//! Per back-end: a fresh data dir (and, for PostgreSQL, a durable throwaway cluster and a fresh
//! database) is seeded with `ikd seed`, an officer is added, and `ikd serve` is started on a
//! fixed free port. The officer logs in (password and TOTP) and opens a desk. Then `--clients`
//! tasks each walk citizens through the journey: desk token, captcha, registration, the
//! officer's approval, the activation code read from the outbox, activation (device A),
//! bundle, login on device B replacing A (with the emailed move code), bundle again, and a
//! check that A's session is gone.
//! Every 2xx is written down (registration ids, approvals, activations, sessions, device
//! changes, the credential ids of each bundle). A request that meets a closed connection, a 503 or a 429 is sent
//! again until the service answers; a refusal after such a retry abandons that citizen
//! (the first try may have been done), which is never counted as lost.
//!
//! Meanwhile the service is killed `--kills` times (SIGKILL, `--min-gap-ms`..`--max-gap-ms`
//! after it was ready, every `--long-gap-every`th time 1 s..`--long-gap-ms` so that slow
//! steps such as a bundle's signing finish too; drawn from `--seed`) and restarted each time (ready when `/api/health/ready` answers);
//! on PostgreSQL the cluster itself is also restarted `--postgres-restarts` times
//! (`pg_ctl restart -m immediate`: a database crash and WAL recovery). At the end the load
//! stops, the service is killed and restarted once more, stopped, and the database is read
//! directly (SELECTs only):
//!
//! - lost: an acknowledged registration without its row, an approval not approved, an
//!   activation whose account is not active, a session without its row, a device change not
//!   in effect, a credential id handed out without its row;
//! - inconsistent: an activated account without its adoption row (or a registration without
//!   adoption, an approval without `approved_at`), kept dashboard counts (`adoption_daily`,
//!   `registry_population`) different from a recount from the rows, a live session of a
//!   device that is no longer the account's, a half-made refresh (not four credential rows;
//!   a stored `holder_credential_batches` row without its four unrevoked credentials of the
//!   active device, or the current refresh without its stored row; refreshes and
//!   `bundle-refreshed` log entries that do not pair up), and any old session
//!   the service still accepted after an acknowledged device change.
//!
//! Output: progress and a human summary on stderr; one JSON line on stdout with the
//! acknowledged, lost and inconsistent counts per back-end and in total.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail, ensure};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use clap::{Parser, ValueEnum};
use ikd_core::captcha::{self, Challenge};
use ikd_core::claim169::{self, DecodeOptions};
use ikd_core::offline_bundle::{OfflineBundle, QrProfile};
use ikd_core::{Date, Sex};
use ikd_server::platform::db::{DatabaseUrl, Db};
use ikd_server::platform::{clock, tokens, totp};
use ikd_server::registry::portrait;
use ikd_throwaway_postgres::{Cluster, Options};
use serde_json::{Value, json};

#[path = "shared/fresh_database.rs"]
mod fresh_database;
use fresh_database::FreshDatabase;

#[path = "shared/http_client.rs"]
mod http_client;
use http_client::{Http, Reply, Request};

#[path = "shared/phone_keys.rs"]
mod phone_keys;
use phone_keys::PhoneKeys;

const OFFICER_USERNAME: &str = "crash.petugas";
const OFFICER_PASSWORD: &str = "bangku-panjang-loket-7";
const CITIZEN_PASSWORD: &str = "kuda-lari-di-sawah-42";
const SESSION_COOKIE: &str = "__Host-ikd_sesi";
/// The login step of a move to a new device, before its emailed code.
const MOVE_STEP_COOKIE: &str = "__Host-ikd_pindah";
/// How long a client keeps sending one request through kills, restarts and 503s.
const RETRY_FOR: Duration = Duration::from_secs(120);
/// How long `ikd serve` may take to answer ready after a start.
const START_WITHIN: Duration = Duration::from_secs(60);
/// A refresh is handed out again for an hour to the same device keys (journey/bundle.rs,
/// FRESH_BATCH_EVERY_SECS).
const FRESH_BATCH_SECS: i64 = 3600;

#[derive(Debug, Parser)]
#[command(
    about = "Crash harness: SIGKILLs `ikd serve` under load, then checks every acknowledged write"
)]
struct Args {
    /// Which database back-end(s) to run against.
    #[arg(long, value_enum, default_value_t = BackendChoice::Both)]
    backend: BackendChoice,
    /// SIGKILLs of the service per back-end.
    #[arg(long, default_value_t = 100)]
    kills: usize,
    /// Concurrent clients walking citizens through the journey.
    #[arg(long, default_value_t = 6)]
    clients: usize,
    /// Synthetic citizens in the registry.
    #[arg(long, default_value_t = 3000)]
    seed_count: u64,
    /// The `ikd` binary to start.
    #[arg(long, default_value = "target/release/ikd")]
    ikd: PathBuf,
    /// Where the data dirs go (default: the system temp dir).
    #[arg(long)]
    work_dir: Option<PathBuf>,
    /// Seed of the random kill schedule.
    #[arg(long, default_value_t = 19)]
    seed: u64,
    /// Restarts of the PostgreSQL cluster itself (`pg_ctl restart -m immediate`) per run.
    #[arg(long, default_value_t = 3)]
    postgres_restarts: usize,
    /// Shortest time between a restart and the next kill, in ms.
    #[arg(long, default_value_t = 100)]
    min_gap_ms: u64,
    /// Longest time between a restart and the next kill, in ms.
    #[arg(long, default_value_t = 600)]
    max_gap_ms: u64,
    /// Every this many kills the gap is long instead (1 s to `--long-gap-ms`), so that slow
    /// steps finish now and then (a bundle's signing, a login's Argon2id), which on a busy
    /// 2-core machine take longer than most short gaps. 0: never.
    #[arg(long, default_value_t = 5)]
    long_gap_every: usize,
    /// The longest long gap, in ms.
    #[arg(long, default_value_t = 4000)]
    long_gap_ms: u64,
    /// Only check the rows of an existing database (a SQLite file or a PostgreSQL URL), with
    /// nothing acknowledged: whether the checks themselves find a tampered row.
    #[arg(long)]
    check_only: Option<String>,
    /// Keep the data dirs (with the service's log) after the run.
    #[arg(long)]
    keep: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum BackendChoice {
    Sqlite,
    Postgres,
    Both,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<()> {
    let args = Args::parse();
    ensure!(
        args.ikd.is_file(),
        "{} not found: run `cargo build --release -p ikd-server --bin ikd` first, or pass --ikd",
        args.ikd.display()
    );
    ensure!(
        args.min_gap_ms <= args.max_gap_ms,
        "--min-gap-ms above --max-gap-ms"
    );
    if let Some(target) = &args.check_only {
        let url: DatabaseUrl = if target.contains("://") {
            target.parse()?
        } else {
            DatabaseUrl::sqlite_file(Path::new(target))
        };
        let db = Db::connect(&url).await?;
        let found = check(&db, &Ledger::default()).await?;
        for line in found.lost.iter().chain(&found.findings) {
            eprintln!("  {line}");
        }
        println!(
            "{}",
            json!({"lost": found.lost.len(), "inconsistent": found.findings.len()})
        );
        return Ok(());
    }
    let backends = match args.backend {
        BackendChoice::Sqlite => vec![Backend::Sqlite],
        BackendChoice::Postgres => vec![Backend::Postgres],
        BackendChoice::Both => vec![Backend::Sqlite, Backend::Postgres],
    };
    let mut reports = Vec::new();
    for backend in backends {
        eprintln!("== {} ==", backend.name());
        let report = run_backend(&args, backend)
            .await
            .with_context(|| format!("{} run", backend.name()))?;
        report.print_summary();
        reports.push(report);
    }
    let total = |f: fn(&Report) -> usize| reports.iter().map(f).sum::<usize>();
    let line = json!({
        "harness": "crash",
        "seed": args.seed,
        "clients": args.clients,
        "acknowledged": total(|r| r.acknowledged.total()),
        "lost": total(|r| r.lost),
        "inconsistent": total(|r| r.inconsistent),
        "runs": reports.iter().map(Report::json).collect::<Vec<_>>(),
    });
    println!("{line}");
    Ok(())
}

// ---------------------------------------------------------------------------------------
// One back-end.

async fn run_backend(args: &Args, backend: Backend) -> Result<Report> {
    let started = Instant::now();
    let work = tempfile::Builder::new()
        .prefix(&format!("ikd-crash-{}-", backend.name()))
        .tempdir_in(args.work_dir.clone().unwrap_or_else(std::env::temp_dir))
        .context("temp dir")?;
    let data_dir = work.path().to_path_buf();
    // Durable, as production is: what is acknowledged must survive a crash of PostgreSQL too.
    let cluster = match backend {
        Backend::Postgres => {
            let cluster = Cluster::start(Options {
                dir_prefix: "ikd-crash-pg",
                ..Options::durable()
            })
            .context("throwaway PostgreSQL")?;
            eprintln!("  throwaway PostgreSQL on port {}", cluster.port());
            Some(cluster)
        }
        Backend::Sqlite => None,
    };
    let database = match &cluster {
        Some(cluster) => Some(FreshDatabase::postgres("ikd_crash", cluster.url()).await?),
        None => None,
    };
    let storage = Storage {
        data_dir: data_dir.clone(),
        database_url: database.as_ref().map(|d| d.url().as_str().to_owned()),
    };
    let db_url: DatabaseUrl = match &storage.database_url {
        Some(url) => url.parse()?,
        None => DatabaseUrl::sqlite_file(&data_dir.join("ikd.db")),
    };
    prepare_registry(args, &storage)?;
    let citizens = eligible_citizens(&db_url).await?;
    eprintln!(
        "  {} eligible citizens with an email of their own",
        citizens.len()
    );

    let mut service = Service::new(&args.ikd, &storage)?;
    service.start().await?;
    let addr = service.addr();
    let officer_cookie = officer_log_in(&addr).await?;
    let desk = open_desk(&addr, &officer_cookie).await?;

    let ctx = Arc::new(Ctx {
        addr: addr.clone(),
        officer_cookie,
        desk,
        citizens,
        next_citizen: AtomicUsize::new(0),
        stop: AtomicBool::new(false),
        ledger: Mutex::new(Ledger::default()),
        awaiting_code: Mutex::new(Vec::new()),
        outbox: Mutex::new(Outbox::new(data_dir.join("outbox"))),
        selfie: STANDARD.encode(selfie_jpeg()),
    });
    let mut clients = tokio::task::JoinSet::new();
    for n in 0..args.clients {
        clients.spawn(client(ctx.clone(), n));
    }
    // Some journeys under way before the first kill.
    tokio::time::sleep(Duration::from_secs(2)).await;

    let load_started = Instant::now();
    let mut rng = SplitMix64(args.seed ^ (backend as u64).wrapping_mul(0x9E37_79B9));
    let postgres_restarts = if cluster.is_some() {
        args.postgres_restarts
    } else {
        0
    };
    let restart_after: Vec<usize> = (1..=postgres_restarts)
        .map(|i| args.kills * i / (postgres_restarts + 1))
        .collect();
    let mut restarts_done = 0;
    let mut kills_done = 0;
    let mut restart_times = Vec::new();
    for k in 0..args.kills {
        let gap = if args.long_gap_every > 0 && (k + 1) % args.long_gap_every == 0 {
            1000 + rng.next() % (args.long_gap_ms.max(1000) - 1000 + 1)
        } else {
            args.min_gap_ms + rng.next() % (args.max_gap_ms - args.min_gap_ms + 1)
        };
        tokio::time::sleep(Duration::from_millis(gap)).await;
        service.kill();
        kills_done += 1;
        restart_times.push(service.start().await?);
        if (k + 1) % 10 == 0 {
            let ledger = ctx.ledger.lock().expect("ledger").clone();
            eprintln!(
                "  {} kills, {:.0} s; acknowledged {} (journeys done {}, abandoned {}); \
                 sent again after {:?}",
                k + 1,
                load_started.elapsed().as_secs_f64(),
                ledger.counts().total(),
                ledger.journeys_done,
                ledger.abandoned,
                ledger.retry_causes,
            );
        }
        if let Some(cluster) = &cluster
            && restart_after.contains(&(k + 1))
        {
            let gap = args.min_gap_ms + rng.next() % (args.max_gap_ms - args.min_gap_ms + 1);
            tokio::time::sleep(Duration::from_millis(gap)).await;
            let at = Instant::now();
            cluster.restart(true).context("pg_ctl restart")?;
            restarts_done += 1;
            service.wait_ready().await?;
            eprintln!(
                "  PostgreSQL restarted (immediate) in {:.1} s",
                at.elapsed().as_secs_f64()
            );
        }
    }
    let load_seconds = load_started.elapsed().as_secs_f64();

    // Stop the load: clients finish the step they are in (their requests are retried until
    // answered, as the service is up), then one more crash and a restart.
    ctx.stop.store(true, Ordering::Relaxed);
    let drain = tokio::time::timeout(Duration::from_secs(300), async {
        while clients.join_next().await.is_some() {}
    })
    .await;
    if drain.is_err() {
        eprintln!("  some clients did not stop within 300 s; aborted");
        clients.abort_all();
    }
    service.kill();
    service.start().await?;
    service.kill();
    let ledger = ctx.ledger.lock().expect("ledger").clone();

    let db = Db::connect(&db_url)
        .await
        .context("connect for the check")?;
    let mut check = check(&db, &ledger).await?;
    db.pool().close().await;
    check.findings.extend(ledger.live_findings.iter().cloned());

    drop(service);
    drop(cluster);
    let seconds = started.elapsed().as_secs_f64();
    if args.keep {
        eprintln!("  kept {}", work.keep().display());
    }
    restart_times.sort();
    let lost = check.lost.len();
    let inconsistent = check.findings.len();
    Ok(Report {
        backend,
        kills: kills_done,
        postgres_restarts: restarts_done,
        acknowledged: ledger.counts(),
        lost,
        inconsistent,
        lost_examples: check.lost.into_iter().take(10).collect(),
        inconsistent_examples: check.findings.into_iter().take(10).collect(),
        journeys_done: ledger.journeys_done,
        abandoned: ledger.abandoned,
        retried_requests: ledger.retried,
        load_seconds,
        seconds,
        restart_p50_ms: percentile_ms(&restart_times, 0.5),
        restart_max_ms: percentile_ms(&restart_times, 1.0),
    })
}

// ---------------------------------------------------------------------------------------
// Set-up: registry, officer, eligible citizens, the service process.

#[derive(Debug, Clone)]
struct Storage {
    data_dir: PathBuf,
    database_url: Option<String>,
}

fn prepare_registry(args: &Args, storage: &Storage) -> Result<()> {
    let started = Instant::now();
    let count = args.seed_count.to_string();
    run_quietly(
        ikd_command(&args.ikd, &["seed", "--count", &count], storage),
        None,
    )
    .context("ikd seed")?;
    eprintln!(
        "  seeded {} citizens in {:.1} s",
        args.seed_count,
        started.elapsed().as_secs_f64()
    );
    let officer = [
        "officer",
        "add",
        "--username",
        OFFICER_USERNAME,
        "--name",
        "Petugas Uji Mogok",
        "--role",
        "officer",
        "--region",
        "32.76",
        "--password-stdin",
    ];
    run_quietly(
        ikd_command(&args.ikd, &officer, storage),
        Some(OFFICER_PASSWORD),
    )
    .context("ikd officer add")
}

fn ikd_command(ikd: &Path, args: &[&str], storage: &Storage) -> Command {
    let mut command = Command::new(ikd);
    command
        .args(args)
        .arg("--data-dir")
        .arg(&storage.data_dir)
        .env_remove("IKD_DATABASE_URL")
        .env_remove("IKD_DATA_DIR")
        .env("IKD_LOG", "warn");
    if let Some(url) = &storage.database_url {
        command.args(["--database-url", url]);
    }
    command
}

fn run_quietly(mut command: Command, stdin: Option<&str>) -> Result<()> {
    command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command.spawn().context("spawn")?;
    if let (Some(text), Some(mut pipe)) = (stdin, child.stdin.take()) {
        writeln!(pipe, "{text}").context("stdin")?;
    }
    let output = child.wait_with_output().context("wait")?;
    ensure!(
        output.status.success(),
        "exit {}: {}{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    Ok(())
}

#[derive(Debug, Clone)]
struct Citizen {
    nik: String,
    email: String,
    phone: String,
}

/// Adults with a recorded e-KTP, email and phone, each email once (so each activation mail
/// names one person).
async fn eligible_citizens(url: &DatabaseUrl) -> Result<Vec<Citizen>> {
    let db = Db::connect(url).await?;
    let today = clock::today_utc();
    let cutoff = Date::new(today.year() - 18, today.month(), 1)
        .context("cutoff date")?
        .to_string();
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT nik, email, phone FROM registry_persons WHERE ektp_recorded = 1 \
         AND email IS NOT NULL AND phone IS NOT NULL AND birth_date <= $1 ORDER BY nik",
    )
    .bind(cutoff)
    .fetch_all(db.pool())
    .await?;
    db.pool().close().await;
    let mut emails = HashSet::new();
    Ok(rows
        .into_iter()
        .filter(|(_, email, _)| emails.insert(email.to_lowercase()))
        .map(|(nik, email, phone)| Citizen { nik, email, phone })
        .collect())
}

/// `ikd serve` on one fixed port across restarts, its output appended to `server.log`.
struct Service {
    ikd: PathBuf,
    storage: Storage,
    port: u16,
    child: Option<Child>,
}

impl Service {
    fn new(ikd: &Path, storage: &Storage) -> Result<Self> {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").context("a free port")?;
        let port = listener.local_addr()?.port();
        Ok(Service {
            ikd: ikd.to_owned(),
            storage: storage.clone(),
            port,
            child: None,
        })
    }

    fn addr(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// Starts the service and waits until it answers ready; returns how long that took.
    async fn start(&mut self) -> Result<Duration> {
        let started = Instant::now();
        for attempt in 1..=5 {
            let log_path = self.storage.data_dir.join("server.log");
            let log = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&log_path)
                .context("server.log")?;
            let no_web = self
                .storage
                .data_dir
                .join("no-web-build")
                .display()
                .to_string();
            let listen = self.addr();
            let serve = [
                "serve",
                "--listen",
                &listen,
                "--trust-forwarded-for",
                "--web-dir",
                &no_web,
            ];
            let mut command = ikd_command(&self.ikd, &serve, &self.storage);
            command
                .stdin(Stdio::null())
                .stdout(log.try_clone()?)
                .stderr(log);
            self.child = Some(command.spawn().context("spawn ikd serve")?);
            match self.wait_ready().await {
                Ok(()) => return Ok(started.elapsed()),
                Err(err) => {
                    eprintln!("  start {attempt} failed: {err:#}");
                    self.kill();
                    tokio::time::sleep(Duration::from_millis(500)).await;
                }
            }
        }
        bail!(
            "ikd serve does not start; see {}",
            self.storage.data_dir.join("server.log").display()
        )
    }

    async fn wait_ready(&mut self) -> Result<()> {
        let deadline = Instant::now() + START_WITHIN;
        let addr = self.addr();
        loop {
            if let Some(child) = &mut self.child
                && let Some(status) = child.try_wait()?
            {
                bail!("ikd serve exited: {status}");
            }
            let mut http = Http::new(&addr);
            if let Ok(reply) = http.send(&Request::get("/api/health/ready")).await
                && reply.status == 200
            {
                return Ok(());
            }
            ensure!(
                Instant::now() < deadline,
                "not ready within {START_WITHIN:?}"
            );
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }

    /// SIGKILL (what `Child::kill` sends on Unix), then reaps it.
    fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for Service {
    fn drop(&mut self) {
        self.kill();
    }
}

async fn officer_log_in(addr: &str) -> Result<String> {
    let body = json!({"username": OFFICER_USERNAME, "password": OFFICER_PASSWORD});
    let reply = Http::new(addr)
        .send(&Request::post("/api/officer/session", &body))
        .await?;
    reply.expect(200, "officer login")?;
    let step = reply
        .cookie("__Host-ikd_petugas_langkah")
        .context("login-step cookie")?;
    let enrolment = Http::new(addr)
        .send(&Request::post_empty("/api/officer/second-factor/totp-enrolment").with_cookie(&step))
        .await?
        .expect(200, "TOTP enrolment")?;
    let secret = data_encoding::BASE32_NOPAD
        .decode(enrolment["secret"].as_str().context("secret")?.as_bytes())
        .context("base32 secret")?;
    let code = totp::code_at_step(&secret, totp::step_of(clock::unix_now()));
    let reply = Http::new(addr)
        .send(
            &Request::post("/api/officer/second-factor/totp", &json!({"code": code}))
                .with_cookie(&step),
        )
        .await?;
    reply.expect(200, "second factor")?;
    reply.cookie("__Host-ikd_petugas").context("officer cookie")
}

async fn open_desk(addr: &str, cookie: &str) -> Result<i64> {
    let body = json!({"kind": "desk", "label": "Uji mogok"});
    let reply = Http::new(addr)
        .send(&Request::post("/api/desks", &body).with_cookie(cookie))
        .await?;
    reply.expect(201, "open desk")?["id"]
        .as_i64()
        .context("desk id")
}

/// A synthetic portrait, as a phone's selfie.
fn selfie_jpeg() -> Vec<u8> {
    portrait::portrait_jpeg_sized(7, Sex::Female, 30, 240, 320, 85)
}

// ---------------------------------------------------------------------------------------
// The clients.

struct Ctx {
    addr: String,
    officer_cookie: String,
    desk: i64,
    citizens: Vec<Citizen>,
    next_citizen: AtomicUsize,
    stop: AtomicBool,
    ledger: Mutex<Ledger>,
    /// Approved citizens whose activation mail is not read yet.
    awaiting_code: Mutex<Vec<usize>>,
    outbox: Mutex<Outbox>,
    selfie: String,
}

/// Every write the service acknowledged with a 2xx.
#[derive(Debug, Clone, Default)]
struct Ledger {
    /// (registration id, NIK)
    registrations: Vec<(String, String)>,
    /// (registration id, NIK)
    approvals: Vec<(String, String)>,
    /// NIK
    activations: Vec<String>,
    /// (NIK, device, session token)
    sessions: Vec<(String, String, String)>,
    /// (NIK, the device made active)
    device_changes: Vec<(String, String)>,
    /// (NIK, device, the ids (`cti`, hex) of the bundle's unencrypted credentials)
    bundles: Vec<(String, String, Vec<String>)>,
    /// Found while the load ran: an old session still accepted after a device change.
    live_findings: Vec<String>,
    journeys_done: usize,
    abandoned: usize,
    retried: usize,
    /// Answers sent again, by "STATUS code" or the connection error's kind.
    retry_causes: BTreeMap<String, usize>,
}

#[derive(Debug, Clone, Copy, Default)]
struct Counts {
    registrations: usize,
    approvals: usize,
    activations: usize,
    sessions: usize,
    device_changes: usize,
    bundles: usize,
}

impl Counts {
    fn total(&self) -> usize {
        self.registrations
            + self.approvals
            + self.activations
            + self.sessions
            + self.device_changes
            + self.bundles
    }
}

impl Ledger {
    fn counts(&self) -> Counts {
        Counts {
            registrations: self.registrations.len(),
            approvals: self.approvals.len(),
            activations: self.activations.len(),
            sessions: self.sessions.len(),
            device_changes: self.device_changes.len(),
            bundles: self.bundles.len(),
        }
    }
}

/// Why a journey stopped early: a refusal (perhaps after a retry whose first try was done).
struct Abandon(String);

/// Even clients take approved citizens whose code has arrived first, else start a new
/// citizen; odd ones only start new citizens, so registrations and approvals are in flight
/// at kills too, not only the slow bundle signing.
async fn client(ctx: Arc<Ctx>, n: usize) {
    let mut http = Http::new(&ctx.addr);
    let mut shown = 0;
    while !ctx.stop.load(Ordering::Relaxed) {
        let ready = if n.is_multiple_of(2) {
            ready_for_activation(&ctx)
        } else {
            None
        };
        let outcome = if let Some((i, code)) = ready {
            finish_journey(&ctx, &mut http, i, &code).await
        } else {
            let i = ctx.next_citizen.fetch_add(1, Ordering::Relaxed);
            if i >= ctx.citizens.len() {
                tokio::time::sleep(Duration::from_millis(200)).await;
                continue;
            }
            start_journey(&ctx, &mut http, i).await
        };
        if let Err(Abandon(why)) = outcome {
            ctx.ledger.lock().expect("ledger").abandoned += 1;
            // A few reasons per client, to see what refuses.
            if shown < 3 {
                shown += 1;
                eprintln!("  client {n}: abandoned a citizen: {why}");
            }
        }
    }
}

fn ready_for_activation(ctx: &Ctx) -> Option<(usize, String)> {
    let mut awaiting = ctx.awaiting_code.lock().expect("awaiting");
    if awaiting.is_empty() {
        return None;
    }
    let mut outbox = ctx.outbox.lock().expect("outbox");
    outbox.scan();
    let position = awaiting.iter().position(|&i| {
        outbox
            .codes
            .contains_key(&ctx.citizens[i].email.to_lowercase())
    })?;
    let i = awaiting.swap_remove(position);
    let code = outbox.codes[&ctx.citizens[i].email.to_lowercase()].clone();
    Some((i, code))
}

/// The code for moving phones mailed to `email`, once the service's worker sent it.
async fn move_code(ctx: &Ctx, email: &str) -> Result<String, Abandon> {
    let deadline = Instant::now() + RETRY_FOR;
    loop {
        {
            let mut outbox = ctx.outbox.lock().expect("outbox");
            outbox.scan();
            if let Some(code) = outbox.move_codes.get(&email.to_lowercase()) {
                return Ok(code.clone());
            }
        }
        if Instant::now() > deadline {
            return Err(Abandon(format!("no move code mailed to {email}")));
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Desk token, captcha, registration, approval; the citizen then waits for the mail.
async fn start_journey(ctx: &Ctx, http: &mut Http, i: usize) -> Result<(), Abandon> {
    let citizen = &ctx.citizens[i];
    let token_path = format!("/api/desks/{}/token", ctx.desk);
    let (reply, _) = send(ctx, http, || {
        Request::get(&token_path).with_cookie(&ctx.officer_cookie)
    })
    .await?;
    let token = expect(&reply, 200, "desk token")?["qrText"]
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| Abandon("desk token: no qrText".into()))?;
    let body = |captcha: &Value| {
        json!({
            "nik": citizen.nik,
            "email": citizen.email,
            "phone": citizen.phone,
            "selfieJpeg": ctx.selfie,
            "deskToken": token,
            "captcha": captcha,
        })
    };
    let reply = send_with_captcha(ctx, http, "/api/registrations", body).await?;
    let id = expect(&reply, 202, "registration")?["registrationId"]
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| Abandon("registration: no id".into()))?;
    ctx.ledger
        .lock()
        .expect("ledger")
        .registrations
        .push((id.clone(), citizen.nik.clone()));

    let path = format!("/api/officer/registrations/{id}/decision");
    let (reply, _) = send(ctx, http, || {
        Request::post(&path, &json!({"approve": true})).with_cookie(&ctx.officer_cookie)
    })
    .await?;
    expect(&reply, 200, "approval")?;
    ctx.ledger
        .lock()
        .expect("ledger")
        .approvals
        .push((id, citizen.nik.clone()));
    ctx.awaiting_code.lock().expect("awaiting").push(i);
    Ok(())
}

/// Activation on device A, its bundle, login on device B replacing A, B's bundle, and A's
/// session refused.
async fn finish_journey(ctx: &Ctx, http: &mut Http, i: usize, code: &str) -> Result<(), Abandon> {
    let citizen = &ctx.citizens[i];
    let device_a = format!("crash-device-a-{i:06}");
    let device_b = format!("crash-device-b-{i:06}");
    let body = |captcha: &Value| {
        json!({
            "nik": citizen.nik,
            "code": code,
            "password": CITIZEN_PASSWORD,
            "deviceId": device_a,
            "captcha": captcha,
        })
    };
    let reply = send_with_captcha(ctx, http, "/api/activation", body).await?;
    expect(&reply, 200, "activation")?;
    let session_a = reply
        .cookie(SESSION_COOKIE)
        .ok_or_else(|| Abandon("activation: no session cookie".into()))?;
    {
        let mut ledger = ctx.ledger.lock().expect("ledger");
        ledger.activations.push(citizen.nik.clone());
        ledger.sessions.push((
            citizen.nik.clone(),
            device_a.clone(),
            cookie_value(&session_a),
        ));
    }
    bundle(ctx, http, &citizen.nik, &device_a, &session_a).await?;

    let body = json!({
        "identifier": citizen.nik,
        "password": CITIZEN_PASSWORD,
        "deviceId": device_b,
        "replaceDevice": true,
    });
    let (reply, _) = send(ctx, http, || {
        Request::post("/api/session", &body).with_new_client()
    })
    .await?;
    expect(&reply, 202, "login on a new device")?;
    let step = reply
        .cookie(MOVE_STEP_COOKIE)
        .ok_or_else(|| Abandon("login: no move step cookie".into()))?;
    let code = move_code(ctx, &citizen.email).await?;
    let confirm = json!({"code": code});
    let (reply, _) = send(ctx, http, || {
        Request::post("/api/session/move", &confirm)
            .with_cookie(&step)
            .with_new_client()
    })
    .await?;
    expect(&reply, 200, "the emailed code moves the card")?;
    let session_b = reply
        .cookie(SESSION_COOKIE)
        .ok_or_else(|| Abandon("login: no session cookie".into()))?;
    {
        let mut ledger = ctx.ledger.lock().expect("ledger");
        ledger.sessions.push((
            citizen.nik.clone(),
            device_b.clone(),
            cookie_value(&session_b),
        ));
        ledger
            .device_changes
            .push((citizen.nik.clone(), device_b.clone()));
    }
    bundle(ctx, http, &citizen.nik, &device_b, &session_b).await?;

    let (reply, _) = send(ctx, http, || {
        Request::get("/api/session").with_cookie(&session_a)
    })
    .await?;
    let mut ledger = ctx.ledger.lock().expect("ledger");
    if reply.status == 200 {
        ledger.live_findings.push(format!(
            "{}: device A's session still accepted after the device change",
            citizen.nik
        ));
    }
    ledger.journeys_done += 1;
    Ok(())
}

async fn bundle(
    ctx: &Ctx,
    http: &mut Http,
    nik: &str,
    device: &str,
    session: &str,
) -> Result<(), Abandon> {
    // One phone per device: a retry sends the same keys, as the app does.
    let keys = PhoneKeys::random().body();
    let (reply, _) = send(ctx, http, || {
        Request::post("/api/bundle", &keys).with_cookie(session)
    })
    .await?;
    if reply.status != 200 {
        return Err(Abandon(format!(
            "bundle: HTTP {} {}",
            reply.status,
            String::from_utf8_lossy(&reply.body[..reply.body.len().min(300)])
        )));
    }
    let batch = credential_ids(&reply.body)
        .ok_or_else(|| Abandon("bundle: no readable credentials in the signed payload".into()))?;
    ctx.ledger
        .lock()
        .expect("ledger")
        .bundles
        .push((nik.to_owned(), device.to_owned(), batch));
    Ok(())
}

/// The ids (`cti`) of the unencrypted credentials inside a signed bundle (`payload` is
/// base64url of the bundle's JSON), read without verification.
fn credential_ids(body: &[u8]) -> Option<Vec<String>> {
    let signed: Value = serde_json::from_slice(body).ok()?;
    let payload = URL_SAFE_NO_PAD
        .decode(signed["payload"].as_str()?.as_bytes())
        .ok()?;
    let bundle: OfflineBundle = serde_json::from_slice(&payload).ok()?;
    [QrProfile::Full, QrProfile::Basic, QrProfile::Age]
        .into_iter()
        .map(|profile| {
            let decoded =
                claim169::decode(bundle.credentials.get(profile), &DecodeOptions::default())
                    .ok()?;
            Some(ikd_core::hex::encode(&decoded.meta.cti?))
        })
        .collect()
}

/// Posts `body(captcha)` with a fresh captcha. A captcha is spent once checked, even when the
/// crash came before the step itself was written: a request refused `captcha-used` (only a
/// resent one can be, perhaps resent inside the client on a connection the kill closed) gets
/// a new captcha and is sent again, as the app does (a step that was done answers why not).
async fn send_with_captcha(
    ctx: &Ctx,
    http: &mut Http,
    path: &str,
    body: impl Fn(&Value) -> Value,
) -> Result<Reply, Abandon> {
    let mut tries = 0;
    loop {
        tries += 1;
        let captcha = solved_captcha(ctx, http).await?;
        let body = body(&captcha);
        let (reply, _) = send(ctx, http, || Request::post(path, &body).with_new_client()).await?;
        let used = reply.status == 422
            && reply
                .json()
                .is_some_and(|v| v["code"].as_str() == Some("captcha-used"));
        if !(used && tries < 5) {
            return Ok(reply);
        }
    }
}

async fn solved_captcha(ctx: &Ctx, http: &mut Http) -> Result<Value, Abandon> {
    let (reply, _) = send(ctx, http, || Request::post_empty("/api/captcha")).await?;
    let challenge: Challenge = serde_json::from_value(expect(&reply, 200, "captcha")?)
        .map_err(|e| Abandon(format!("captcha: {e}")))?;
    let solution = tokio::task::spawn_blocking(move || captcha::solve(&challenge))
        .await
        .map_err(|e| Abandon(format!("captcha solver: {e}")))?
        .ok_or_else(|| Abandon("an unsolvable captcha".into()))?;
    serde_json::to_value(solution).map_err(|e| Abandon(format!("captcha: {e}")))
}

/// Sends until the service answers with something other than 503 or 429, through kills and
/// restarts. The flag says whether an earlier try failed after it may have been sent (so a
/// refusal may be the echo of a first try that was done).
async fn send(
    ctx: &Ctx,
    http: &mut Http,
    build: impl Fn() -> Request,
) -> Result<(Reply, bool), Abandon> {
    let deadline = Instant::now() + RETRY_FOR;
    let mut retried = false;
    loop {
        let request = build();
        let cause = match http.send(&request).await {
            Ok(reply) if reply.status != 503 && reply.status != 429 => {
                return Ok((reply, retried));
            }
            Ok(reply) => {
                tokio::time::sleep(Duration::from_millis(200)).await;
                let code = reply
                    .json()
                    .and_then(|v| v["code"].as_str().map(str::to_owned));
                format!("{} {}", reply.status, code.unwrap_or_default())
            }
            Err(err) => {
                tokio::time::sleep(Duration::from_millis(50)).await;
                let path = request
                    .path
                    .split('/')
                    .take(3)
                    .collect::<Vec<_>>()
                    .join("/");
                format!("{path} {:?}", err.kind())
            }
        };
        let mut ledger = ctx.ledger.lock().expect("ledger");
        *ledger.retry_causes.entry(cause).or_default() += 1;
        if !retried {
            retried = true;
            ledger.retried += 1;
        }
        drop(ledger);
        if Instant::now() > deadline {
            return Err(Abandon(format!(
                "{} {}: no answer within {RETRY_FOR:?}",
                request.method, request.path
            )));
        }
    }
}

fn expect(reply: &Reply, status: u16, what: &str) -> Result<Value, Abandon> {
    reply.expect(status, what).map_err(|e| {
        let text = e.to_string();
        Abandon(text.chars().take(300).collect())
    })
}

/// `name=value` → value.
fn cookie_value(pair: &str) -> String {
    pair.split_once('=')
        .map_or(pair, |(_, value)| value)
        .to_owned()
}

/// Email address → activation code, from the `.eml` files the service wrote; each file read
/// once it holds a whole code (a file cut short by a kill is read again later).
struct Outbox {
    dir: PathBuf,
    read: HashSet<PathBuf>,
    codes: HashMap<String, String>,
    /// Email address → the code for moving phones.
    move_codes: HashMap<String, String>,
    last_scan: Option<Instant>,
}

impl Outbox {
    fn new(dir: PathBuf) -> Self {
        Outbox {
            dir,
            read: HashSet::new(),
            codes: HashMap::new(),
            move_codes: HashMap::new(),
            last_scan: None,
        }
    }

    fn scan(&mut self) {
        if self
            .last_scan
            .is_some_and(|at| at.elapsed() < Duration::from_millis(200))
        {
            return;
        }
        self.last_scan = Some(Instant::now());
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return;
        };
        for path in entries.flatten().map(|e| e.path()) {
            if self.read.contains(&path) || path.extension().is_none_or(|x| x != "eml") {
                continue;
            }
            let Ok(mail) = std::fs::read_to_string(&path) else {
                continue;
            };
            let to = mail
                .lines()
                .find_map(|line| line.strip_prefix("To: "))
                .map(|to| to.trim().trim_matches(['<', '>']).to_lowercase());
            let quoted = mail.contains("Content-Transfer-Encoding: quoted-printable");
            let marker = if quoted { "kode=3D" } else { "kode=" };
            let code = mail
                .split_once(marker)
                .map(|(_, rest)| rest.chars().take(8).collect::<String>())
                .filter(|code| code.len() == 8 && code.chars().all(|c| c.is_ascii_alphanumeric()));
            let move_code = mail
                .contains("Kode pindah ponsel")
                .then(|| mail.split_once("Kode / code: "))
                .flatten()
                .map(|(_, rest)| rest.chars().take(8).collect::<String>())
                .filter(|code| code.len() == 8 && code.chars().all(|c| c.is_ascii_alphanumeric()));
            if let (Some(to), Some(code)) = (to.clone(), move_code) {
                self.move_codes.insert(to, code);
                self.read.insert(path);
            } else if let (Some(to), Some(code)) = (to, code) {
                self.codes.insert(to, code);
                self.read.insert(path);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// The check, straight from the database.

/// (NIK, regency, registered_at, approved_at, activated_at)
type AdoptionRow = (String, String, i64, Option<i64>, Option<i64>);

#[derive(Debug, Default)]
struct Check {
    lost: Vec<String>,
    findings: Vec<String>,
}

async fn check(db: &Db, ledger: &Ledger) -> Result<Check> {
    let pool = db.pool();
    let mut check = Check::default();
    let now = clock::unix_now();

    // Every acknowledged write.
    let registrations: HashMap<String, (String, String)> =
        sqlx::query_as::<_, (String, String, String)>("SELECT id, nik, status FROM registrations")
            .fetch_all(pool)
            .await?
            .into_iter()
            .map(|(id, nik, status)| (id, (nik, status)))
            .collect();
    for (id, nik) in &ledger.registrations {
        match registrations.get(id) {
            None => check
                .lost
                .push(format!("registration {id} of {nik}: no row")),
            Some((row_nik, status)) if row_nik != nik || status == "rejected" => check
                .findings
                .push(format!("registration {id}: {row_nik} {status}")),
            Some(_) => {}
        }
    }
    for (id, nik) in &ledger.approvals {
        match registrations.get(id).map(|(_, s)| s.as_str()) {
            Some("approved" | "activated") => {}
            other => check
                .lost
                .push(format!("approval of {id} ({nik}): status {other:?}")),
        }
    }
    let accounts: HashMap<String, (Option<String>, Option<i64>, bool)> =
        sqlx::query_as::<_, (String, Option<String>, Option<i64>, Option<String>)>(
            "SELECT nik, active_device_id, activated_at, password_hash FROM accounts",
        )
        .fetch_all(pool)
        .await?
        .into_iter()
        .map(|(nik, device, activated_at, hash)| (nik, (device, activated_at, hash.is_some())))
        .collect();
    for nik in &ledger.activations {
        match accounts.get(nik) {
            Some((_, Some(_), true)) => {}
            other => check
                .lost
                .push(format!("activation of {nik}: account {other:?}")),
        }
        let activated_registration = registrations
            .values()
            .any(|(n, status)| n == nik && status == "activated");
        if !activated_registration {
            check.findings.push(format!(
                "{nik}: active account without an activated registration"
            ));
        }
    }
    let session_rows: HashMap<String, (String, Option<String>)> =
        sqlx::query_as::<_, (String, String, Option<String>)>(
            "SELECT token_hash, subject, device_id FROM sessions WHERE subject_kind = 'citizen'",
        )
        .fetch_all(pool)
        .await?
        .into_iter()
        .map(|(hash, nik, device)| (hash, (nik, device)))
        .collect();
    for (nik, device, token) in &ledger.sessions {
        let hash = tokens::sha256_hex(token);
        match session_rows.get(&hash) {
            Some((n, Some(d))) if n == nik && d == device => {}
            other => check
                .lost
                .push(format!("session of {nik} on {device}: row {other:?}")),
        }
    }
    for (nik, device) in &ledger.device_changes {
        match accounts.get(nik) {
            Some((Some(active), _, _)) if active == device => {}
            other => check.lost.push(format!(
                "device change of {nik} to {device}: account {other:?}"
            )),
        }
    }
    let credentials: HashMap<String, (String, String, i64, Option<i64>)> =
        sqlx::query_as::<_, (String, String, String, i64, Option<i64>)>(
            "SELECT id, nik, device_id, issued_at, revoked_at FROM credentials",
        )
        .fetch_all(pool)
        .await?
        .into_iter()
        .map(|(id, nik, device, issued, revoked)| (id, (nik, device, issued, revoked)))
        .collect();
    for (nik, device, ids) in &ledger.bundles {
        for id in ids {
            match credentials.get(id) {
                Some((n, d, _, _)) if n == nik && d == device => {}
                other => check.lost.push(format!(
                    "credential {id} of {nik} on {device}: row {other:?}"
                )),
            }
        }
    }

    // The rows agree with each other.
    let adoption: Vec<AdoptionRow> = sqlx::query_as(
        "SELECT nik, regency_code, registered_at, approved_at, activated_at FROM adoption",
    )
    .fetch_all(pool)
    .await?;
    let adoption_by_nik: HashMap<&str, (Option<i64>, Option<i64>)> = adoption
        .iter()
        .map(|(nik, _, _, approved, activated)| (nik.as_str(), (*approved, *activated)))
        .collect();
    let registered: HashSet<&str> = registrations.values().map(|(n, _)| n.as_str()).collect();
    for nik in &registered {
        if !adoption_by_nik.contains_key(nik) {
            check
                .findings
                .push(format!("{nik}: registered without an adoption row"));
        }
    }
    for nik in adoption_by_nik.keys() {
        if !registered.contains(nik) {
            check
                .findings
                .push(format!("{nik}: adoption row without a registration"));
        }
    }
    for (id, (nik, status)) in &registrations {
        let approved = adoption_by_nik.get(nik.as_str()).and_then(|a| a.0);
        if matches!(status.as_str(), "approved" | "activated") && approved.is_none() {
            check.findings.push(format!(
                "registration {id} {status} but adoption has no approved_at"
            ));
        }
    }
    for (nik, (_, activated_at, _)) in &accounts {
        let adopted = adoption_by_nik.get(nik.as_str()).and_then(|a| a.1);
        if activated_at.is_some() != adopted.is_some() {
            check.findings.push(format!(
                "{nik}: account activated_at {activated_at:?}, adoption activated_at {adopted:?}"
            ));
        }
    }
    // Kept daily counts against a recount of the adoption rows.
    let day = |at: i64| at.div_euclid(86_400);
    let mut recount: BTreeMap<(String, i64), [i64; 3]> = BTreeMap::new();
    for (_, regency, registered_at, approved_at, activated_at) in &adoption {
        recount
            .entry((regency.clone(), day(*registered_at)))
            .or_default()[0] += 1;
        if let Some(at) = approved_at {
            recount.entry((regency.clone(), day(*at))).or_default()[1] += 1;
        }
        if let Some(at) = activated_at {
            recount.entry((regency.clone(), day(*at))).or_default()[2] += 1;
        }
    }
    let kept: BTreeMap<(String, i64), [i64; 3]> =
        sqlx::query_as::<_, (String, i64, i64, i64, i64)>(
            "SELECT regency_code, day, registered, approved, activated FROM adoption_daily",
        )
        .fetch_all(pool)
        .await?
        .into_iter()
        .map(|(regency, day, a, b, c)| ((regency, day), [a, b, c]))
        .filter(|(_, counts)| counts != &[0, 0, 0])
        .collect();
    if kept != recount {
        let keys: HashSet<&(String, i64)> = kept.keys().chain(recount.keys()).collect();
        for key in keys {
            if kept.get(key) != recount.get(key) {
                check.findings.push(format!(
                    "adoption_daily {key:?}: kept {:?}, recount {:?}",
                    kept.get(key),
                    recount.get(key)
                ));
            }
        }
    }
    // The registry's kept population against a recount (the journey never writes it; a
    // crash during the seed or a restart must not have either).
    let population_query =
        "SELECT level, region_code, birth_year, recorded FROM registry_population";
    let kept: BTreeMap<(i64, String, i64), i64> =
        sqlx::query_as::<_, (i64, String, i64, i64)>(population_query)
            .fetch_all(pool)
            .await?
            .into_iter()
            .map(|(level, region, year, n)| ((level, region, year), n))
            .collect();
    let mut recount: BTreeMap<(i64, String, i64), i64> = BTreeMap::new();
    for (level, column) in [(1_i64, "regency_code"), (2, "district_code")] {
        let rows: Vec<(String, i64, i64)> = sqlx::query_as(&format!(
            "SELECT {column}, CAST(substr(birth_date, 1, 4) AS INTEGER), COUNT(*) \
             FROM registry_persons WHERE ektp_recorded = 1 \
             GROUP BY {column}, CAST(substr(birth_date, 1, 4) AS INTEGER)"
        ))
        .fetch_all(pool)
        .await?;
        for (region, year, n) in rows {
            recount.insert((level, region, year), n);
        }
    }
    if kept != recount {
        check.findings.push(format!(
            "registry_population: {} kept rows, {} recounted, not equal",
            kept.len(),
            recount.len()
        ));
    }
    // No live session of a device that is no longer the account's.
    let live: Vec<(String, Option<String>)> = sqlx::query_as(
        "SELECT subject, device_id FROM sessions WHERE subject_kind = 'citizen' \
         AND revoked_at IS NULL AND expires_at > $1",
    )
    .bind(now)
    .fetch_all(pool)
    .await?;
    for (nik, device) in live {
        let active = accounts.get(&nik).and_then(|a| a.0.clone());
        if device.is_none() || device != active {
            check.findings.push(format!(
                "{nik}: live session on {device:?}, active device {active:?}"
            ));
        }
    }
    // No half-made refresh: a refresh writes its four credential rows (one `issued_at`) and
    // its stored row in one transaction.
    let mut refreshes: HashMap<(&str, &str, i64), (usize, usize)> = HashMap::new();
    for (nik, device, issued_at, revoked_at) in credentials.values() {
        let entry = refreshes
            .entry((nik.as_str(), device.as_str(), *issued_at))
            .or_default();
        entry.0 += 1;
        entry.1 += usize::from(revoked_at.is_some());
    }
    for ((nik, device, issued_at), (rows, _)) in &refreshes {
        if *rows != 4 {
            check.findings.push(format!(
                "refresh of {nik} on {device} at {issued_at}: {rows} credential rows, not 4"
            ));
        }
    }
    let stored: Vec<(String, String, i64)> =
        sqlx::query_as("SELECT nik, device_id, issued_at FROM holder_credential_batches")
            .fetch_all(pool)
            .await?;
    let stored_by_nik: HashMap<&str, (&str, i64)> = stored
        .iter()
        .map(|(nik, device, at)| (nik.as_str(), (device.as_str(), *at)))
        .collect();
    for (nik, device, issued_at) in &stored {
        let active = accounts.get(nik).and_then(|a| a.0.as_deref());
        match refreshes.get(&(nik.as_str(), device.as_str(), *issued_at)) {
            Some((4, 0)) if active == Some(device.as_str()) => {}
            other => check.findings.push(format!(
                "stored refresh of {nik} on {device} at {issued_at}: credentials \
                 (rows, revoked) {other:?}, active device {active:?}"
            )),
        }
    }
    // The newest refresh of the active device, unrevoked and within the hour, is the stored
    // one (a newer refresh replaces it; a revocation or the sweep deletes it).
    let mut newest: HashMap<&str, (&str, i64)> = HashMap::new();
    for ((nik, device, issued_at), (_, revoked)) in &refreshes {
        let active = accounts.get(*nik).and_then(|a| a.0.as_deref());
        if *revoked == 0 && active == Some(*device) && now - issued_at < FRESH_BATCH_SECS {
            let entry = newest.entry(*nik).or_insert((*device, *issued_at));
            if *issued_at > entry.1 {
                *entry = (*device, *issued_at);
            }
        }
    }
    for (nik, current) in &newest {
        if stored_by_nik.get(nik) != Some(current) {
            check.findings.push(format!(
                "{nik}: current refresh {current:?} but stored {:?}",
                stored_by_nik.get(nik)
            ));
        }
    }
    let mut made: HashMap<&str, i64> = HashMap::new();
    for (nik, _, _) in refreshes.keys() {
        *made.entry(*nik).or_default() += 1;
    }
    let logged: HashMap<String, i64> = sqlx::query_as::<_, (String, i64)>(
        "SELECT nik, COUNT(*) FROM activity_log WHERE kind = 'bundle-refreshed' GROUP BY nik",
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .collect();
    let niks: HashSet<&str> = made
        .keys()
        .copied()
        .chain(logged.keys().map(String::as_str))
        .collect();
    for nik in niks {
        let (m, l) = (
            made.get(nik).copied().unwrap_or(0),
            logged.get(nik).copied().unwrap_or(0),
        );
        if m != l {
            check.findings.push(format!(
                "{nik}: {m} refreshes, {l} bundle-refreshed entries"
            ));
        }
    }
    Ok(check)
}

// ---------------------------------------------------------------------------------------
// Report.

struct Report {
    backend: Backend,
    kills: usize,
    postgres_restarts: usize,
    acknowledged: Counts,
    lost: usize,
    inconsistent: usize,
    lost_examples: Vec<String>,
    inconsistent_examples: Vec<String>,
    journeys_done: usize,
    abandoned: usize,
    retried_requests: usize,
    load_seconds: f64,
    seconds: f64,
    restart_p50_ms: f64,
    restart_max_ms: f64,
}

impl Report {
    fn json(&self) -> Value {
        let a = &self.acknowledged;
        json!({
            "backend": self.backend.name(),
            "kills": self.kills,
            "postgresRestarts": self.postgres_restarts,
            "acknowledged": a.total(),
            "lost": self.lost,
            "inconsistent": self.inconsistent,
            "acknowledgedBy": {
                "registrations": a.registrations,
                "approvals": a.approvals,
                "activations": a.activations,
                "sessions": a.sessions,
                "deviceChanges": a.device_changes,
                "bundles": a.bundles,
            },
            "journeysDone": self.journeys_done,
            "abandoned": self.abandoned,
            "retriedRequests": self.retried_requests,
            "loadSeconds": round1(self.load_seconds),
            "seconds": round1(self.seconds),
            "restartP50Ms": round1(self.restart_p50_ms),
            "restartMaxMs": round1(self.restart_max_ms),
            "lostExamples": self.lost_examples,
            "inconsistentExamples": self.inconsistent_examples,
        })
    }

    fn print_summary(&self) {
        let a = &self.acknowledged;
        eprintln!(
            "  {}: {} kills, {} PostgreSQL restarts in {:.0} s of load ({:.0} s in all); \
             restart to ready p50 {:.0} ms, max {:.0} ms",
            self.backend.name(),
            self.kills,
            self.postgres_restarts,
            self.load_seconds,
            self.seconds,
            self.restart_p50_ms,
            self.restart_max_ms
        );
        eprintln!(
            "  acknowledged {} (registrations {}, approvals {}, activations {}, sessions {}, \
             device changes {}, bundles {}); journeys done {}, abandoned {}",
            a.total(),
            a.registrations,
            a.approvals,
            a.activations,
            a.sessions,
            a.device_changes,
            a.bundles,
            self.journeys_done,
            self.abandoned
        );
        eprintln!("  lost {}, inconsistent {}", self.lost, self.inconsistent);
        for line in self.lost_examples.iter().chain(&self.inconsistent_examples) {
            eprintln!("    {line}");
        }
    }
}

fn percentile_ms(sorted: &[Duration], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() - 1) as f64 * q).round() as usize;
    sorted[i.min(sorted.len() - 1)].as_secs_f64() * 1000.0
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// SplitMix64: the kill schedule, reproducible from `--seed`.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}
