//! Load benchmark of the HTTP service: registrations, logins and offline bundle fetches per
//! second, with p50/p99 latency, on SQLite and on PostgreSQL. A measurement, not a test:
//!
//!   cargo build --release -p ikd-server --bin ikd --example load_bench
//!   target/release/examples/load_bench [--backend sqlite|postgres|both]
//!
//! It drives the real `ikd serve` binary over HTTP/1.1 keep-alive connections, the way a
//! reverse proxy in front of it would: `--trust-forwarded-for` is on and every request names a
//! synthetic client address in `X-Forwarded-For`, so the per-address rate limits count many
//! clients instead of refusing the bench (the per-account ones still apply and are respected).
//!
//! Per back-end: a fresh data dir (and, for PostgreSQL, a fresh database) is seeded with
//! `ikd seed`, an officer is created with `ikd officer add`, the service is started on a free
//! port, the officer opens a desk, and captchas are solved before any clock starts. Then:
//!
//! - registrations: `POST /api/registrations` with a 20 KB selfie and the desk's current token
//!   (refreshed in the background, as the desk screen does), first from `--concurrency`
//!   clients as fast as they are answered (the throughput), then as many again at a fixed
//!   `--rate` (default 300/s, the target; latency counts from each request's scheduled time);
//! - activations (not a target, reported for context): some registrations are approved, the
//!   codes read from `<data-dir>/outbox/*.eml`, and the accounts activated;
//! - logins: `POST /api/session` spread over the activated accounts (10 per account per
//!   10 minutes is the service's limit, so `--logins` is capped at 10 × accounts);
//! - bundles: `POST /api/bundle` with the session cookies of those logins, each session with
//!   its own four device keys (issue 16), so each session's first call signs a refresh (later
//!   ones within the hour are handed the same credentials), asking for brotli
//!   (`Accept-Encoding: br`) as browsers do: the KB column is bytes on the wire, and one more
//!   fetch without compression gives the raw size.
//!
//! PostgreSQL: `--postgres-url postgres://user@host:port/db` names a server on which the bench
//! may create a database; without it the bench starts a throwaway cluster itself (initdb and
//! pg_ctl from /usr/lib/postgresql/N/bin or PATH, as the `postgres` user when run as root)
//! with PostgreSQL's default durability (fsync and synchronous_commit on), comparable to
//! SQLite's `synchronous = FULL`.
//!
//! Output: progress on stderr; a table and one JSON line (the last line) on stdout. Beside
//! rates and latencies it reports the CPU time per request of the service (and of the
//! throwaway PostgreSQL cluster), read from /proc, and the share of the machine that other
//! processes used meanwhile: the client shares the machine with the service, and a busy
//! neighbour (a build) shows there instead of silently skewing the figures. `--work-dir
//! /dev/shm` puts the data on tmpfs, which shows what fsync costs.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail, ensure};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use clap::{Parser, ValueEnum};
use ikd_core::captcha::{self, Challenge, Solution};
use ikd_core::{Date, Sex};
use ikd_server::platform::db::{DatabaseUrl, Db};
use ikd_server::platform::{clock, totp};
use ikd_server::registry::portrait;
use ikd_throwaway_postgres::{Cluster, Options};
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

#[path = "shared/fresh_database.rs"]
mod fresh_database;
use fresh_database::FreshDatabase;

#[path = "shared/phone_keys.rs"]
mod phone_keys;
use phone_keys::PhoneKeys;

const OFFICER_USERNAME: &str = "bench.petugas";
const OFFICER_PASSWORD: &str = "bangku-panjang-loket-7";
const CITIZEN_PASSWORD: &str = "kuda-lari-di-sawah-42";
/// The service refuses an account's 11th login within 10 minutes.
const LOGINS_PER_ACCOUNT: usize = 10;
/// Desk tokens live 30–60 s; fetching every 10 s keeps the one in use fresh.
const DESK_TOKEN_REFRESH: Duration = Duration::from_secs(10);
/// How much of each answer is kept for reading ids and error codes (bundles are the largest).
const KEPT_BODY_BYTES: usize = 8 * 1024;
/// The selfie each registration uploads (the service accepts up to 200 KB).
const SELFIE_BYTES: usize = 20 * 1024;
/// Clients of the paced registration phase: enough that none waits for a free connection
/// unless answers take over 200 ms at 300 per second.
const PACED_CLIENTS: usize = 64;

#[derive(Debug, Parser)]
#[command(about = "Load benchmark of `ikd serve` (registrations, logins, bundle fetches)")]
struct Args {
    /// Which database back-end(s) to measure.
    #[arg(long, value_enum, default_value_t = BackendChoice::Both)]
    backend: BackendChoice,
    /// The `ikd` binary to start.
    #[arg(long, default_value = "target/release/ikd")]
    ikd: PathBuf,
    /// A PostgreSQL server the bench may create a database on; default: a throwaway cluster.
    #[arg(long)]
    postgres_url: Option<String>,
    /// Synthetic citizens in the registry.
    #[arg(long, default_value_t = 20_000)]
    seed_count: u64,
    /// Registrations to send (each needs a pre-solved captcha and an eligible citizen).
    #[arg(long, default_value_t = 1500)]
    registrations: usize,
    /// Concurrent clients sending registrations as fast as they are answered (closed loop).
    #[arg(long, default_value_t = 32)]
    concurrency: usize,
    /// Then send as many again at this fixed rate per second (open loop; latency counts from
    /// each request's scheduled time), to check the p99 target at the target rate; 0 skips it.
    #[arg(long, default_value_t = 300.0)]
    rate: f64,
    /// Accounts approved and activated for the login and bundle phases.
    #[arg(long, default_value_t = 100)]
    accounts: usize,
    /// Logins to send (at most 10 per account).
    #[arg(long, default_value_t = 600)]
    logins: usize,
    /// Concurrent clients logging in (each login is an Argon2id verify on the server).
    #[arg(long, default_value_t = 8)]
    login_concurrency: usize,
    /// Bundle fetches to send.
    #[arg(long, default_value_t = 100)]
    bundles: usize,
    /// Concurrent clients fetching bundles.
    #[arg(long, default_value_t = 4)]
    bundle_concurrency: usize,
    /// Where the data dirs go (default: the system temp dir). A tmpfs such as /dev/shm shows
    /// what the service does when fsync costs nothing.
    #[arg(long)]
    work_dir: Option<PathBuf>,
    /// Keep the data dirs (and the server logs in them) after the run.
    #[arg(long)]
    keep: bool,
}

impl Args {
    fn paced_rate(&self) -> Option<f64> {
        (self.rate > 0.0).then_some(self.rate)
    }

    /// Each registration has a citizen and a captcha of its own; the paced phase sends a
    /// second set.
    fn registrations_total(&self) -> usize {
        self.registrations * if self.paced_rate().is_some() { 2 } else { 1 }
    }
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

// The client is light next to the service; one thread leaves the cores to the service.
#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<()> {
    let args = Args::parse();
    ensure!(
        args.ikd.is_file(),
        "{} not found: run `cargo build --release -p ikd-server --bin ikd` first, or pass --ikd",
        args.ikd.display()
    );
    let backends = match args.backend {
        BackendChoice::Sqlite => vec![Backend::Sqlite],
        BackendChoice::Postgres => vec![Backend::Postgres],
        BackendChoice::Both => vec![Backend::Sqlite, Backend::Postgres],
    };
    let mut reports = Vec::new();
    for backend in backends {
        eprintln!("== {} ==", backend.name());
        let phases = run_backend(&args, backend)
            .await
            .with_context(|| format!("{} run", backend.name()))?;
        reports.push((backend, phases));
    }
    print_table(&reports);
    println!("{}", json_line(&args, &reports));
    Ok(())
}

/// One back-end from an empty data dir to the measured phases.
async fn run_backend(args: &Args, backend: Backend) -> Result<Vec<Figures>> {
    let work = tempfile::Builder::new()
        .prefix(&format!("ikd-load-{}-", backend.name()))
        .tempdir_in(args.work_dir.clone().unwrap_or_else(std::env::temp_dir))
        .context("temp dir")?;
    let data_dir = work.path().to_path_buf();
    // Held until the end of the run: the cluster stops when it is dropped. Durable, unlike
    // `cargo xtask test`'s: the bench measures what a production server pays per commit.
    let cluster = match (backend, &args.postgres_url) {
        (Backend::Postgres, None) => {
            let cluster = Cluster::start(Options {
                dir_prefix: "ikd-load-pg",
                ..Options::durable()
            })
            .context("throwaway PostgreSQL (or pass --postgres-url)")?;
            eprintln!("  throwaway PostgreSQL on port {}", cluster.port());
            Some(cluster)
        }
        _ => None,
    };
    let database = match backend {
        Backend::Sqlite => None,
        Backend::Postgres => {
            let admin = match (&args.postgres_url, &cluster) {
                (Some(url), _) => url.clone(),
                (None, Some(cluster)) => cluster.url().to_owned(),
                (None, None) => bail!("no PostgreSQL server"),
            };
            Some(FreshDatabase::postgres("ikd_bench", &admin).await?)
        }
    };
    let storage = Storage {
        data_dir: data_dir.clone(),
        database_url: database.as_ref().map(|d| d.url().as_str().to_owned()),
    };

    prepare_registry(args, &storage)?;
    let wanted = args.registrations_total();
    let citizens = eligible_citizens(&storage, wanted).await?;
    ensure!(
        citizens.len() >= wanted,
        "only {} eligible citizens for {wanted} registrations: raise --seed-count",
        citizens.len(),
    );

    let mut server = Server::start(&args.ikd, &storage)?;
    server.database_pid = cluster.as_ref().and_then(Cluster::postmaster_pid);
    let result = measure(args, &server, &data_dir, citizens).await;
    drop(server);
    // Leaves no bench database behind on someone else's server (a throwaway cluster is
    // deleted whole).
    if let (Some(database), Some(_)) = (database, &args.postgres_url) {
        let _ = database.drop_database().await;
    }
    drop(cluster);
    if args.keep {
        eprintln!("  kept {}", work.keep().display());
    }
    result
}

/// The timed phases against a running service, with the untimed set-up each needs.
async fn measure(
    args: &Args,
    server: &Server,
    data_dir: &Path,
    citizens: Vec<Citizen>,
) -> Result<Vec<Figures>> {
    let addr = server.addr.as_str();
    let officer = Officer::log_in(addr).await?;
    let desk = officer.open_desk(addr).await?;
    let captchas = solved_captchas(addr, args.registrations_total()).await?;

    let token = Arc::new(RwLock::new(officer.desk_token(addr, desk).await?));
    let refresher = tokio::spawn(refresh_desk_token(
        addr.to_owned(),
        officer.clone(),
        desk,
        token.clone(),
    ));
    let kit = RegistrationKit::new(citizens, captchas, token);
    let n = args.registrations;
    let (registrations, accepted) =
        register_batch(server, &kit, "registrations", 0..n, args.concurrency, None).await;
    eprintln!("  {}", registrations.summary());
    let mut phases = vec![registrations];
    if let Some(rate) = args.paced_rate() {
        let phase = format!("registrations@{rate:.0}");
        let clients = PACED_CLIENTS.max(args.concurrency);
        let (figures, _) =
            register_batch(server, &kit, &phase, n..2 * n, clients, Some(rate)).await;
        eprintln!("  {}", figures.summary());
        phases.push(figures);
    }
    refresher.abort();
    let citizens = kit.citizens;

    let accounts = approve_some(
        addr,
        &officer,
        &citizens,
        &accepted,
        args.accounts,
        data_dir,
    )
    .await?;
    let (activations, accounts) = activate_all(server, accounts).await?;
    eprintln!("  {}", activations.summary());
    ensure!(!accounts.is_empty(), "no account could be activated");

    let (logins, cookies) = log_in_all(server, args, Arc::new(accounts)).await;
    eprintln!("  {}", logins.summary());
    ensure!(!cookies.is_empty(), "no login succeeded");

    let bundles = fetch_bundles(server, args, Arc::new(cookies)).await;
    eprintln!("  {}", bundles.summary());
    phases.extend([activations, logins, bundles]);
    Ok(phases)
}

// ---------------------------------------------------------------------------------------
// Set-up: registry, officer, eligible citizens, the service process, PostgreSQL.

/// Where this run keeps its data: a data dir, and a PostgreSQL URL or the default SQLite file.
#[derive(Debug, Clone)]
struct Storage {
    data_dir: PathBuf,
    database_url: Option<String>,
}

/// Seeds the registry and creates the officer with the CLI, as an operator would.
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
        "Petugas Uji Beban",
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

/// `ikd ARGS --data-dir … [--database-url …]`, unaffected by the caller's IKD_* variables.
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

/// Runs a CLI command to completion; its output is shown only when it fails.
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

/// Citizens who may register: adults (a margin over 17 keeps the NIK's own age check
/// happy), e-KTP recorded, email and phone on record. Read straight from the database.
async fn eligible_citizens(storage: &Storage, limit: usize) -> Result<Vec<Citizen>> {
    let url = match &storage.database_url {
        Some(url) => url.parse()?,
        None => DatabaseUrl::sqlite_file(&storage.data_dir.join("ikd.db")),
    };
    let db = Db::connect(&url).await?;
    let today = clock::today_utc();
    let cutoff = Date::new(today.year() - 18, today.month(), 1)
        .context("cutoff date")?
        .to_string();
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT nik, email, phone FROM registry_persons WHERE ektp_recorded = 1 \
         AND email IS NOT NULL AND phone IS NOT NULL AND birth_date <= $1 ORDER BY nik LIMIT $2",
    )
    .bind(cutoff)
    .bind(i64::try_from(limit)?)
    .fetch_all(db.pool())
    .await?;
    db.pool().close().await;
    Ok(rows
        .into_iter()
        .map(|(nik, email, phone)| Citizen { nik, email, phone })
        .collect())
}

/// A running `ikd serve`, killed when dropped.
struct Server {
    child: Child,
    addr: String,
    /// The throwaway PostgreSQL cluster's postmaster, whose CPU counts as the database's.
    database_pid: Option<u32>,
}

impl Server {
    fn start(ikd: &Path, storage: &Storage) -> Result<Self> {
        let log_path = storage.data_dir.join("server.log");
        let log = std::fs::File::create(&log_path).context("server.log")?;
        // No PWA build is needed: the bench only talks to /api.
        let no_web = storage.data_dir.join("no-web-build").display().to_string();
        let serve = [
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--trust-forwarded-for",
            "--web-dir",
            &no_web,
        ];
        let mut command = ikd_command(ikd, &serve, storage);
        command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(log);
        let mut child = command.spawn().context("spawn ikd serve")?;
        let stdout = child.stdout.take().context("ikd serve stdout")?;
        let mut lines = std::io::BufReader::new(stdout).lines();
        // The service prints "… running at http://ADDR)" once it listens on its free port.
        let addr = lines.by_ref().map_while(Result::ok).find_map(|line| {
            let rest = line.split("http://").nth(1)?;
            Some(
                rest.split_whitespace()
                    .next()?
                    .trim_end_matches(')')
                    .to_owned(),
            )
        });
        let Some(addr) = addr else {
            let _ = child.kill();
            bail!("ikd serve did not start; see {}", log_path.display());
        };
        // Drain stdout so a late line can never block or break the service.
        std::thread::spawn(move || lines.for_each(drop));
        eprintln!("  ikd serve on {addr}");
        Ok(Server {
            child,
            addr,
            database_pid: None,
        })
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

// ---------------------------------------------------------------------------------------
// The officer's side: log in, open a desk, show its token, approve.

#[derive(Debug, Clone)]
struct Officer {
    cookie: String,
}

impl Officer {
    async fn log_in(addr: &str) -> Result<Self> {
        let body = json!({"username": OFFICER_USERNAME, "password": OFFICER_PASSWORD});
        let reply = Http::new(addr)
            .send(&Request::post("/api/officer/session", &body))
            .await?;
        reply.expect(200, "officer login")?;
        // A new officer enrols an authenticator app at first login (issue 15): the bench is
        // its own app, computing the code from the secret the service hands out.
        let step = reply
            .cookie("__Host-ikd_petugas_langkah")
            .context("login-step cookie")?;
        let enrolment = Http::new(addr)
            .send(
                &Request::post_empty("/api/officer/second-factor/totp-enrolment")
                    .with_cookie(&step),
            )
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
        let cookie = reply
            .cookie("__Host-ikd_petugas")
            .context("officer cookie")?;
        Ok(Officer { cookie })
    }

    async fn open_desk(&self, addr: &str) -> Result<i64> {
        let body = json!({"kind": "desk", "label": "Bench"});
        let request = Request::post("/api/desks", &body).with_cookie(&self.cookie);
        let reply = Http::new(addr).send(&request).await?;
        reply.expect(201, "open desk")?["id"]
            .as_i64()
            .context("desk id")
    }

    async fn desk_token(&self, addr: &str, desk: i64) -> Result<String> {
        let request = Request::get(&format!("/api/desks/{desk}/token")).with_cookie(&self.cookie);
        let reply = Http::new(addr).send(&request).await?;
        reply.expect(200, "desk token")?["qrText"]
            .as_str()
            .map(str::to_owned)
            .context("qrText")
    }
}

/// Keeps `token` current, as the desk screen does, until aborted.
async fn refresh_desk_token(addr: String, officer: Officer, desk: i64, token: Arc<RwLock<String>>) {
    loop {
        tokio::time::sleep(DESK_TOKEN_REFRESH).await;
        match officer.desk_token(&addr, desk).await {
            Ok(fresh) => {
                if let Ok(mut current) = token.write() {
                    *current = fresh;
                }
            }
            Err(err) => eprintln!("  desk token refresh failed: {err:#}"),
        }
    }
}

/// Approves up to `wanted` accepted registrations (one per email, so each activation email
/// can be told apart) and reads their activation codes from the outbox.
async fn approve_some(
    addr: &str,
    officer: &Officer,
    citizens: &[Citizen],
    accepted: &[(usize, String)],
    wanted: usize,
    data_dir: &Path,
) -> Result<Vec<Account>> {
    let mut emails = HashSet::new();
    let chosen: Vec<&(usize, String)> = accepted
        .iter()
        .filter(|(citizen, _)| emails.insert(citizens[*citizen].email.to_lowercase()))
        .take(wanted)
        .collect();
    let mut http = Http::new(addr);
    for (_, id) in &chosen {
        let request = Request::post(
            &format!("/api/officer/registrations/{id}/decision"),
            &json!({"approve": true}),
        )
        .with_cookie(&officer.cookie);
        http.send(&request).await?.expect(200, "approval")?;
    }
    // The service's mail worker sends queued mail a moment after the approval: wait for it.
    let deadline = Instant::now() + Duration::from_secs(60);
    let codes = loop {
        let codes = activation_codes(&data_dir.join("outbox"))?;
        let all_in = chosen
            .iter()
            .all(|(citizen, _)| codes.contains_key(&citizens[*citizen].email.to_lowercase()));
        if all_in || Instant::now() > deadline {
            break codes;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    let accounts: Vec<Account> = chosen
        .iter()
        .enumerate()
        .filter_map(|(n, (citizen, _))| {
            let citizen = &citizens[*citizen];
            let code = codes.get(&citizen.email.to_lowercase())?;
            Some(Account {
                nik: citizen.nik.clone(),
                code: code.clone(),
                device_id: format!("bench-device-{n:05}"),
            })
        })
        .collect();
    eprintln!(
        "  approved {}, {} activation codes read",
        chosen.len(),
        accounts.len()
    );
    Ok(accounts)
}

/// Email address → activation code, from the `.eml` files the service wrote.
fn activation_codes(outbox: &Path) -> Result<HashMap<String, String>> {
    let mut codes = HashMap::new();
    let Ok(entries) = std::fs::read_dir(outbox) else {
        return Ok(codes); // nothing sent yet
    };
    for entry in entries {
        let path = entry?.path();
        if path.extension().is_none_or(|x| x != "eml") {
            continue;
        }
        let mail = std::fs::read_to_string(&path)?;
        let to = mail
            .lines()
            .find_map(|line| line.strip_prefix("To: "))
            .map(|to| to.trim().trim_matches(['<', '>']).to_lowercase());
        // The link reads `…#kode=CODE` (lettre writes this plain-ASCII body as 8bit; were it
        // quoted-printable, the `=` would read `=3D`).
        let quoted = mail.contains("Content-Transfer-Encoding: quoted-printable");
        let marker = if quoted { "kode=3D" } else { "kode=" };
        let code = mail
            .split_once(marker)
            .map(|(_, rest)| rest.chars().take(8).collect::<String>());
        if let (Some(to), Some(code)) = (to, code) {
            codes.insert(to, code);
        }
    }
    Ok(codes)
}

// ---------------------------------------------------------------------------------------
// Captchas, solved before any clock starts.

/// Fetches `count` challenges and solves them on every core. Solutions are single use and
/// expire 10 minutes after issue, so each phase solves its own just before it runs.
async fn solved_captchas(addr: &str, count: usize) -> Result<Vec<Solution>> {
    let started = Instant::now();
    let mut http = Http::new(addr);
    let mut challenges = Vec::with_capacity(count);
    for _ in 0..count {
        let reply = http.send(&Request::post_empty("/api/captcha")).await?;
        let challenge: Challenge = serde_json::from_value(reply.expect(200, "captcha")?)?;
        challenges.push(challenge);
    }
    let solutions = tokio::task::spawn_blocking(move || solve_all(&challenges)).await??;
    eprintln!(
        "  {count} captchas fetched and solved in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(solutions)
}

fn solve_all(challenges: &[Challenge]) -> Result<Vec<Solution>> {
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let chunk = challenges.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let workers: Vec<_> = challenges
            .chunks(chunk)
            .map(|part| scope.spawn(move || part.iter().map(captcha::solve).collect::<Vec<_>>()))
            .collect();
        let mut solutions = Vec::with_capacity(challenges.len());
        for worker in workers {
            let part = worker
                .join()
                .map_err(|_| anyhow!("a solver thread panicked"))?;
            for solution in part {
                solutions.push(solution.context("an unsolvable captcha")?);
            }
        }
        Ok(solutions)
    })
}

// ---------------------------------------------------------------------------------------
// The phases.

/// What every registration draws on: request `i` uses citizen `i` and captcha `i`.
#[derive(Clone)]
struct RegistrationKit {
    citizens: Arc<Vec<Citizen>>,
    captchas: Arc<Vec<Solution>>,
    /// A synthetic portrait of about 20 KB, base64, like a phone's shrunk selfie.
    selfie: Arc<str>,
    desk_token: Arc<RwLock<String>>,
}

impl RegistrationKit {
    fn new(
        citizens: Vec<Citizen>,
        captchas: Vec<Solution>,
        desk_token: Arc<RwLock<String>>,
    ) -> Self {
        let jpeg = selfie_jpeg();
        eprintln!("  selfie: {:.1} KB JPEG", jpeg.len() as f64 / 1024.0);
        RegistrationKit {
            citizens: Arc::new(citizens),
            captchas: Arc::new(captchas),
            selfie: STANDARD.encode(jpeg).into(),
            desk_token,
        }
    }

    fn request(&self, i: usize) -> Request {
        let citizen = &self.citizens[i];
        let desk_token = self
            .desk_token
            .read()
            .map(|t| t.clone())
            .unwrap_or_default();
        let body = json!({
            "nik": citizen.nik,
            "email": citizen.email,
            "phone": citizen.phone,
            "selfieJpeg": &*self.selfie,
            "deskToken": desk_token,
            "captcha": self.captchas[i],
        });
        Request::post("/api/registrations", &body).with_new_client()
    }
}

/// A synthetic portrait padded to `SELFIE_BYTES`. The portraits are smooth and compress to
/// about 4 KB, while a phone photo shrunk by the PWA is several times larger, and the size
/// is what the database writes. The padding is a JPEG comment segment of incompressible
/// bytes right after the start-of-image marker, so the file is still a valid JPEG.
fn selfie_jpeg() -> Vec<u8> {
    let portrait = portrait::portrait_jpeg_sized(7, Sex::Female, 30, 240, 320, 85);
    let padding = SELFIE_BYTES.saturating_sub(portrait.len() + 4).min(65_533);
    let mut jpeg = Vec::with_capacity(SELFIE_BYTES);
    jpeg.extend_from_slice(&portrait[..2]);
    jpeg.extend_from_slice(&[0xFF, 0xFE]);
    jpeg.extend_from_slice(&u16::try_from(padding + 2).unwrap_or(u16::MAX).to_be_bytes());
    let mut state = 0x9E37_79B9_7F4A_7C15_u64;
    jpeg.extend((0..padding).map(|_| {
        // xorshift64: noise, as in a real photo's entropy-coded data.
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state.to_be_bytes()[0]
    }));
    jpeg.extend_from_slice(&portrait[2..]);
    jpeg
}

/// Phase A: registrations `range`, closed loop or paced at `rate` per second. Returns the
/// figures and the accepted registrations (citizen index, registration id).
async fn register_batch(
    server: &Server,
    kit: &RegistrationKit,
    phase: &str,
    range: std::ops::Range<usize>,
    concurrency: usize,
    rate: Option<f64>,
) -> (Figures, Vec<(usize, String)>) {
    let first = range.start;
    let count = range
        .len()
        .min(kit.citizens.len().saturating_sub(first))
        .min(kit.captchas.len().saturating_sub(first));
    let build_kit = kit.clone();
    let build: BuildFn = Arc::new(move |i| build_kit.request(first + i));
    let run = run_concurrently(server, count, concurrency, rate, build).await;
    let accepted = run
        .samples
        .iter()
        .filter_map(|s| {
            let reply = s.outcome.as_ref().ok().filter(|r| r.status == 202)?;
            let id = reply.json()?["registrationId"].as_str()?.to_owned();
            Some((first + s.index, id))
        })
        .collect();
    (Figures::of(phase, &run, 202), accepted)
}

#[derive(Debug, Clone)]
struct Account {
    nik: String,
    code: String,
    device_id: String,
}

/// Activation of the approved accounts (context for the login phase, which needs them).
async fn activate_all(server: &Server, accounts: Vec<Account>) -> Result<(Figures, Vec<Account>)> {
    let captchas = Arc::new(solved_captchas(&server.addr, accounts.len()).await?);
    let accounts = Arc::new(accounts);
    let build_accounts = accounts.clone();
    let build: BuildFn = Arc::new(move |i| {
        let account = &build_accounts[i];
        let body = json!({
            "nik": account.nik,
            "code": account.code,
            "password": CITIZEN_PASSWORD,
            "deviceId": account.device_id,
            "captcha": captchas[i],
        });
        Request::post("/api/activation", &body).with_new_client()
    });
    // Each activation hashes a password with Argon2id: a few at a time fill two cores.
    let run = run_concurrently(server, accounts.len(), 4, None, build).await;
    let active = run
        .samples
        .iter()
        .filter(|s| s.outcome.as_ref().is_ok_and(|r| r.status == 200))
        .map(|s| accounts[s.index].clone())
        .collect();
    Ok((Figures::of("activations", &run, 200), active))
}

/// Phase B: logins spread over the accounts; returns the session cookies they got.
async fn log_in_all(
    server: &Server,
    args: &Args,
    accounts: Arc<Vec<Account>>,
) -> (Figures, Vec<String>) {
    let count = args.logins.min(accounts.len() * LOGINS_PER_ACCOUNT);
    if count < args.logins {
        eprintln!(
            "  logins capped at {count}: {} accounts × {LOGINS_PER_ACCOUNT} per 10 minutes",
            accounts.len()
        );
    }
    let build_accounts = accounts.clone();
    let build: BuildFn = Arc::new(move |i| {
        let account = &build_accounts[i % build_accounts.len()];
        let body = json!({
            "identifier": account.nik,
            "password": CITIZEN_PASSWORD,
            "deviceId": account.device_id,
            "replaceDevice": false,
        });
        Request::post("/api/session", &body).with_new_client()
    });
    let run = run_concurrently(server, count, args.login_concurrency, None, build).await;
    let cookies = run
        .samples
        .iter()
        .filter_map(|s| {
            s.outcome
                .as_ref()
                .ok()
                .filter(|r| r.status == 200)?
                .cookie("__Host-ikd_sesi")
        })
        .collect();
    (Figures::of("logins", &run, 200), cookies)
}

/// Phase C: signed offline bundles, round-robin over the sessions, each session with its own
/// device keys, compressed with brotli as a browser asks.
async fn fetch_bundles(server: &Server, args: &Args, cookies: Arc<Vec<String>>) -> Figures {
    let keys: Arc<Vec<Value>> =
        Arc::new(cookies.iter().map(|_| PhoneKeys::random().body()).collect());
    let request = {
        let (cookies, keys) = (cookies.clone(), keys.clone());
        move |i: usize| {
            let i = i % cookies.len();
            Request::post("/api/bundle", &keys[i]).with_cookie(&cookies[i])
        }
    };
    let build: BuildFn = {
        let request = request.clone();
        Arc::new(move |i| request(i).with_brotli())
    };
    let run = run_concurrently(server, args.bundles, args.bundle_concurrency, None, build).await;
    let mut figures = Figures::of("bundles", &run, 200);
    let answered: Vec<&Reply> = run
        .samples
        .iter()
        .filter_map(|s| s.outcome.as_ref().ok().filter(|r| r.status == 200))
        .collect();
    if !answered.is_empty() {
        let sizes: usize = answered.iter().map(|r| r.body_len).sum();
        figures.avg_kb = Some(sizes as f64 / answered.len() as f64 / 1024.0);
        let brotli = answered
            .iter()
            .filter(|r| r.content_encoding.as_deref() == Some("br"))
            .count();
        if brotli != answered.len() {
            eprintln!(
                "  bundles: only {brotli} of {} answers were brotli",
                answered.len()
            );
        }
    }
    // The same bundle once more without compression (handed out again: no signing).
    let mut http = Http::new(&server.addr);
    if let Ok(reply) = http.send(&request(0)).await
        && reply.status == 200
    {
        figures.raw_kb = Some(reply.body_len as f64 / 1024.0);
    }
    figures
}

// ---------------------------------------------------------------------------------------
// Running requests concurrently and summing them up.

/// Builds request `i` just before it is sent (the desk token may have rotated meanwhile).
type BuildFn = Arc<dyn Fn(usize) -> Request + Send + Sync>;

struct Sample {
    index: usize,
    /// When it was sent (or due), from the start of the run.
    sent_at: Duration,
    latency: Duration,
    outcome: Result<Reply, String>,
}

struct Run {
    samples: Vec<Sample>,
    elapsed: Duration,
    /// CPU spent during the run, when /proc can tell.
    cpu: Option<CpuTicks>,
}

/// CPU time from /proc in USER_HZ ticks (100 a second on Linux): the service's, this
/// client's, and the whole machine's. The service's per request is a figure that holds on a
/// busier machine too; the rest tells whether something else competed for the cores.
#[derive(Debug, Clone, Copy)]
struct CpuTicks {
    service: u64,
    /// The PostgreSQL cluster the bench started (0 for SQLite, which runs in the service).
    database: u64,
    client: u64,
    machine_busy: u64,
    machine_total: u64,
}

const TICKS_PER_SECOND: f64 = 100.0;

impl CpuTicks {
    fn now(server: &Server) -> Option<Self> {
        let (machine_busy, machine_total) = machine_ticks()?;
        Some(CpuTicks {
            service: process_ticks(&server.pid().to_string())?,
            database: server.database_pid.map_or(0, process_tree_ticks),
            client: process_ticks("self")?,
            machine_busy,
            machine_total,
        })
    }

    /// Share of the machine's capacity used by neither the service nor this client, in %.
    fn others_percent(&self) -> f64 {
        let ours = self.service + self.database + self.client;
        let others = self.machine_busy.saturating_sub(ours);
        100.0 * others as f64 / self.machine_total.max(1) as f64
    }
}

impl std::ops::Sub for CpuTicks {
    type Output = CpuTicks;

    fn sub(self, earlier: CpuTicks) -> CpuTicks {
        CpuTicks {
            service: self.service.saturating_sub(earlier.service),
            database: self.database.saturating_sub(earlier.database),
            client: self.client.saturating_sub(earlier.client),
            machine_busy: self.machine_busy.saturating_sub(earlier.machine_busy),
            machine_total: self.machine_total.saturating_sub(earlier.machine_total),
        }
    }
}

/// utime + stime of a process (all its threads).
fn process_ticks(pid: &str) -> Option<u64> {
    process_stat(pid).map(|(_, ticks)| ticks)
}

/// A process and its children, such as a postmaster and its backends.
fn process_tree_ticks(root: u32) -> u64 {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return 0;
    };
    entries
        .flatten()
        .filter_map(|entry| {
            let pid = entry.file_name().to_string_lossy().parse::<u32>().ok()?;
            let (parent, ticks) = process_stat(&pid.to_string())?;
            (pid == root || parent == root).then_some(ticks)
        })
        .sum()
}

/// (parent pid, utime + stime) from /proc/PID/stat: fields 4, 14 and 15.
fn process_stat(pid: &str) -> Option<(u32, u64)> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name may hold spaces; the fields after it do not.
    let (_, after_name) = stat.rsplit_once(')')?;
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    let parent: u32 = fields.get(1)?.parse().ok()?;
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    Some((parent, utime + stime))
}

/// (busy, total) ticks of all cores: the first line of /proc/stat, where idle and iowait
/// are the idle part and guest time is already inside user time.
fn machine_ticks() -> Option<(u64, u64)> {
    let stat = std::fs::read_to_string("/proc/stat").ok()?;
    let line = stat.lines().next()?.strip_prefix("cpu ")?;
    let ticks: Vec<u64> = line
        .split_whitespace()
        .take(8)
        .map(|t| t.parse().ok())
        .collect::<Option<_>>()?;
    let total: u64 = ticks.iter().sum();
    let idle = ticks.get(3)? + ticks.get(4)?;
    Some((total - idle, total))
}

/// Sends requests `0..count` over `concurrency` keep-alive connections, each taking the next
/// index as soon as it is free (closed loop). With a `rate`, request `i` is due at `i / rate`
/// seconds (open loop) and its latency counts from then, so a slow answer that delays the
/// next request is not hidden. Connections are opened before the clock starts.
async fn run_concurrently(
    server: &Server,
    count: usize,
    concurrency: usize,
    rate: Option<f64>,
    build: BuildFn,
) -> Run {
    let next = Arc::new(AtomicUsize::new(0));
    let mut connections = Vec::new();
    for _ in 0..concurrency.clamp(1, count.max(1)) {
        let mut http = Http::new(&server.addr);
        if let Err(err) = http.connect().await {
            eprintln!("  cannot connect: {err}");
        }
        connections.push(http);
    }
    let cpu_before = CpuTicks::now(server);
    let started = Instant::now();
    let mut workers = tokio::task::JoinSet::new();
    for mut http in connections {
        let (next, build) = (next.clone(), build.clone());
        workers.spawn(async move {
            let mut samples = Vec::new();
            loop {
                let index = next.fetch_add(1, Ordering::Relaxed);
                if index >= count {
                    return samples;
                }
                let request = build(index);
                let sent = match rate {
                    Some(rate) => {
                        let due = started + Duration::from_secs_f64(index as f64 / rate);
                        tokio::time::sleep_until(due.into()).await;
                        due
                    }
                    None => Instant::now(),
                };
                let outcome = http.send(&request).await;
                samples.push(Sample {
                    index,
                    sent_at: sent - started,
                    latency: sent.elapsed(),
                    outcome: outcome.map(Reply::trimmed).map_err(|e| e.to_string()),
                });
            }
        });
    }
    let mut samples = Vec::with_capacity(count);
    while let Some(done) = workers.join_next().await {
        match done {
            Ok(part) => samples.extend(part),
            Err(err) => eprintln!("  a client task failed: {err}"),
        }
    }
    let elapsed = started.elapsed();
    let cpu = CpuTicks::now(server)
        .zip(cpu_before)
        .map(|(after, before)| after - before);
    samples.sort_by_key(|s| s.index);
    Run {
        samples,
        elapsed,
        cpu,
    }
}

/// One phase's figures. Rates and percentiles count successful requests only, so a burst of
/// quick refusals cannot flatter them; refusals are listed by status and code.
#[derive(Debug, Clone)]
struct Figures {
    phase: String,
    requests: usize,
    ok: usize,
    errors: BTreeMap<String, usize>,
    seconds: f64,
    per_second: f64,
    p50_ms: f64,
    p99_ms: f64,
    avg_kb: Option<f64>,
    /// The size of one answer without compression, when the phase asked for compression.
    raw_kb: Option<f64>,
    /// The service's CPU time per successful request.
    service_cpu_ms: Option<f64>,
    /// The PostgreSQL cluster's, when the bench started it.
    database_cpu_ms: Option<f64>,
    /// Share of the machine's CPU taken by other processes meanwhile (noise in the figures).
    others_cpu_percent: Option<f64>,
    /// The slowest successful requests as (sent at s, latency ms): whether the tail is one
    /// stall that hit many requests at once or spread out.
    slowest: Vec<(f64, f64)>,
}

impl Figures {
    fn of(phase: &str, run: &Run, expected: u16) -> Self {
        let mut errors = BTreeMap::new();
        let mut latencies = Vec::new();
        let mut slowest = Vec::new();
        for sample in &run.samples {
            match &sample.outcome {
                Ok(reply) if reply.status == expected => {
                    latencies.push(sample.latency);
                    slowest.push((
                        sample.sent_at.as_secs_f64(),
                        sample.latency.as_secs_f64() * 1000.0,
                    ));
                }
                Ok(reply) => {
                    let code = reply
                        .json()
                        .and_then(|v| v["code"].as_str().map(str::to_owned))
                        .unwrap_or_default();
                    *errors
                        .entry(format!("{} {code}", reply.status))
                        .or_insert(0) += 1;
                }
                Err(err) => *errors.entry(format!("io {err}")).or_insert(0) += 1,
            }
        }
        latencies.sort();
        slowest.sort_by(|a, b| b.1.total_cmp(&a.1));
        slowest.truncate(5);
        let seconds = run.elapsed.as_secs_f64();
        Figures {
            phase: phase.to_owned(),
            requests: run.samples.len(),
            ok: latencies.len(),
            errors,
            seconds,
            per_second: latencies.len() as f64 / seconds.max(1e-9),
            p50_ms: percentile_ms(&latencies, 0.50),
            p99_ms: percentile_ms(&latencies, 0.99),
            avg_kb: None,
            raw_kb: None,
            service_cpu_ms: run
                .cpu
                .map(|cpu| per_request_ms(cpu.service, latencies.len())),
            database_cpu_ms: run
                .cpu
                .filter(|cpu| cpu.database > 0)
                .map(|cpu| per_request_ms(cpu.database, latencies.len())),
            others_cpu_percent: run.cpu.map(|cpu| cpu.others_percent()),
            slowest,
        }
    }

    fn error_count(&self) -> usize {
        self.errors.values().sum()
    }

    fn summary(&self) -> String {
        let mut line = format!(
            "{}: {} ok of {} in {:.2} s = {:.1}/s, p50 {:.1} ms, p99 {:.1} ms",
            self.phase,
            self.ok,
            self.requests,
            self.seconds,
            self.per_second,
            self.p50_ms,
            self.p99_ms
        );
        if let Some(kb) = self.avg_kb {
            line.push_str(&format!(", {kb:.1} KB on the wire"));
        }
        if let Some(kb) = self.raw_kb {
            line.push_str(&format!(" ({kb:.1} KB uncompressed)"));
        }
        if let Some(cpu) = self.service_cpu_ms {
            line.push_str(&format!(", service CPU {cpu:.1} ms/request"));
        }
        if let Some(cpu) = self.database_cpu_ms {
            line.push_str(&format!(", PostgreSQL CPU {cpu:.1} ms/request"));
        }
        if let Some(others) = self.others_cpu_percent {
            line.push_str(&format!(", other processes {others:.0}% of the machine"));
        }
        for (what, n) in &self.errors {
            line.push_str(&format!("; {n} × {what}"));
        }
        let slowest: Vec<String> = self
            .slowest
            .iter()
            .map(|(at, ms)| format!("{ms:.0} ms at {at:.2} s"))
            .collect();
        line.push_str(&format!("; slowest: {}", slowest.join(", ")));
        line
    }

    fn to_json(&self) -> Value {
        json!({
            "requests": self.requests,
            "ok": self.ok,
            "errors": self.errors,
            "seconds": round2(self.seconds),
            "perSecond": round2(self.per_second),
            "p50Ms": round2(self.p50_ms),
            "p99Ms": round2(self.p99_ms),
            "avgKb": self.avg_kb.map(round2),
            "rawKb": self.raw_kb.map(round2),
            "serviceCpuMsPerRequest": self.service_cpu_ms.map(round2),
            "postgresCpuMsPerRequest": self.database_cpu_ms.map(round2),
            "otherProcessesCpuPercent": self.others_cpu_percent.map(round2),
        })
    }
}

fn per_request_ms(ticks: u64, requests: usize) -> f64 {
    ticks as f64 * 1000.0 / TICKS_PER_SECOND / requests.max(1) as f64
}

/// Nearest-rank percentile.
fn percentile_ms(sorted: &[Duration], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1].as_secs_f64() * 1000.0
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

fn print_table(reports: &[(Backend, Vec<Figures>)]) {
    println!(
        "{:<9} {:<18} {:>5} {:>4} {:>7} {:>7} {:>7} {:>5} {:>6} {:>6} {:>6}",
        "backend",
        "phase",
        "ok",
        "err",
        "per s",
        "p50 ms",
        "p99 ms",
        "KB",
        "svc ms",
        "db ms",
        "other%"
    );
    let optional = |value: Option<f64>| value.map(|v| format!("{v:.1}")).unwrap_or_default();
    for (backend, phases) in reports {
        for f in phases {
            println!(
                "{:<9} {:<18} {:>5} {:>4} {:>7.1} {:>7.1} {:>7.1} {:>5} {:>6} {:>6} {:>6}",
                backend.name(),
                f.phase,
                f.ok,
                f.error_count(),
                f.per_second,
                f.p50_ms,
                f.p99_ms,
                f.avg_kb.map(|kb| format!("{kb:.0}")).unwrap_or_default(),
                optional(f.service_cpu_ms),
                optional(f.database_cpu_ms),
                optional(f.others_cpu_percent),
            );
        }
    }
    println!(
        "svc ms / db ms = CPU time per request of the service / of the PostgreSQL cluster the \
         bench started; other% = share of the machine used by other processes meanwhile (high \
         values mean the figures are disturbed)"
    );
    println!(
        "targets: registrations ≥ 300/s with p99 < 50 ms (SQLite); logins ≥ 60/s; \
         {} cores shared by client and service",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
}

fn json_line(args: &Args, reports: &[(Backend, Vec<Figures>)]) -> Value {
    let results: serde_json::Map<String, Value> = reports
        .iter()
        .map(|(backend, phases)| {
            let phases: serde_json::Map<String, Value> = phases
                .iter()
                .map(|f| (f.phase.clone(), f.to_json()))
                .collect();
            (backend.name().to_owned(), Value::Object(phases))
        })
        .collect();
    json!({
        "bench": "load",
        "cores": std::thread::available_parallelism().map_or(0, |n| n.get()),
        "seedCount": args.seed_count,
        "concurrency": {
            "registrations": args.concurrency,
            "pacedRegistrationsPerSecond": args.rate,
            "logins": args.login_concurrency,
            "bundles": args.bundle_concurrency,
        },
        "results": results,
    })
}

// ---------------------------------------------------------------------------------------
// A small HTTP/1.1 client: keep-alive, Content-Length or chunked answers, nothing else.

#[derive(Debug, Clone)]
struct Request {
    method: &'static str,
    path: String,
    cookie: Option<String>,
    forwarded_for: Option<String>,
    accept_encoding: Option<&'static str>,
    body: Option<Vec<u8>>,
}

impl Request {
    fn get(path: &str) -> Self {
        Request {
            method: "GET",
            path: path.to_owned(),
            cookie: None,
            forwarded_for: None,
            accept_encoding: None,
            body: None,
        }
    }

    fn post(path: &str, body: &Value) -> Self {
        Request {
            method: "POST",
            body: Some(body.to_string().into_bytes()),
            ..Request::get(path)
        }
    }

    fn post_empty(path: &str) -> Self {
        Request {
            method: "POST",
            body: Some(Vec::new()),
            ..Request::get(path)
        }
    }

    fn with_cookie(mut self, cookie: &str) -> Self {
        self.cookie = Some(cookie.to_owned());
        self
    }

    /// Asks for a brotli answer, as browsers do (the service compresses with tower-http).
    fn with_brotli(mut self) -> Self {
        self.accept_encoding = Some("br");
        self
    }

    /// Sends the request from a new synthetic client address, as a reverse proxy would name
    /// it, so per-address limits never refuse the bench (16 million addresses in 10/8).
    fn with_new_client(mut self) -> Self {
        static NEXT_CLIENT: AtomicU32 = AtomicU32::new(1);
        let [_, a, b, c] = NEXT_CLIENT.fetch_add(1, Ordering::Relaxed).to_be_bytes();
        self.forwarded_for = Some(format!("10.{a}.{b}.{c}"));
        self
    }

    fn encode(&self, host: &str) -> Vec<u8> {
        let mut head = format!("{} {} HTTP/1.1\r\nHost: {host}\r\n", self.method, self.path);
        if let Some(cookie) = &self.cookie {
            head.push_str(&format!("Cookie: {cookie}\r\n"));
        }
        if let Some(ip) = &self.forwarded_for {
            head.push_str(&format!("X-Forwarded-For: {ip}\r\n"));
        }
        if let Some(encoding) = self.accept_encoding {
            head.push_str(&format!("Accept-Encoding: {encoding}\r\n"));
        }
        if let Some(body) = &self.body {
            head.push_str(&format!(
                "Content-Type: application/json\r\nContent-Length: {}\r\n",
                body.len()
            ));
        }
        head.push_str("\r\n");
        let mut bytes = head.into_bytes();
        bytes.extend_from_slice(self.body.as_deref().unwrap_or_default());
        bytes
    }
}

#[derive(Debug, Clone)]
struct Reply {
    status: u16,
    set_cookies: Vec<String>,
    /// `Content-Encoding`, when the answer is compressed (the body is kept as sent).
    content_encoding: Option<String>,
    body: Vec<u8>,
    /// Bytes of the body as sent (compressed, when it was).
    body_len: usize,
}

impl Reply {
    /// Keeps only the start of a large body: enough for ids and error codes.
    fn trimmed(mut self) -> Self {
        if self.body.len() > KEPT_BODY_BYTES {
            self.body.truncate(KEPT_BODY_BYTES);
            self.body.shrink_to_fit();
        }
        self
    }

    fn json(&self) -> Option<Value> {
        serde_json::from_slice(&self.body).ok()
    }

    /// The body as JSON when the status is the expected one; otherwise an error naming both.
    fn expect(&self, status: u16, what: &str) -> Result<Value> {
        ensure!(
            self.status == status,
            "{what}: HTTP {} {}",
            self.status,
            String::from_utf8_lossy(&self.body)
        );
        self.json()
            .with_context(|| format!("{what}: answer is not JSON"))
    }

    /// `name=value` of a Set-Cookie, ready for a Cookie header.
    fn cookie(&self, name: &str) -> Option<String> {
        self.set_cookies
            .iter()
            .filter_map(|c| c.split(';').next())
            .find(|pair| {
                pair.split_once('=')
                    .is_some_and(|(key, _)| key.trim() == name)
            })
            .map(|pair| pair.trim().to_owned())
    }
}

/// One keep-alive connection, reopened when the service has closed it.
struct Http {
    addr: String,
    conn: Option<BufReader<TcpStream>>,
}

impl Http {
    fn new(addr: &str) -> Self {
        Http {
            addr: addr.to_owned(),
            conn: None,
        }
    }

    async fn connect(&mut self) -> std::io::Result<&mut BufReader<TcpStream>> {
        if self.conn.is_none() {
            let stream = TcpStream::connect(&self.addr).await?;
            stream.set_nodelay(true)?;
            self.conn = Some(BufReader::new(stream));
        }
        self.conn
            .as_mut()
            .ok_or_else(|| std::io::Error::other("no connection"))
    }

    async fn send(&mut self, request: &Request) -> std::io::Result<Reply> {
        let bytes = request.encode(&self.addr);
        let reused = self.conn.is_some();
        match self.exchange(&bytes).await {
            // A keep-alive connection the service closed while it sat idle: nothing was
            // read from it, so sending again on a new connection is safe.
            Err(err) if reused && is_stale_connection(&err) => self.exchange(&bytes).await,
            other => other,
        }
    }

    async fn exchange(&mut self, bytes: &[u8]) -> std::io::Result<Reply> {
        let conn = self.connect().await?;
        let answer = match conn.get_mut().write_all(bytes).await {
            Ok(()) => read_reply(conn).await,
            Err(err) => Err(err),
        };
        match answer {
            Ok((reply, keep_alive)) => {
                if !keep_alive {
                    self.conn = None;
                }
                Ok(reply)
            }
            Err(err) => {
                self.conn = None;
                Err(err)
            }
        }
    }
}

fn is_stale_connection(err: &std::io::Error) -> bool {
    use std::io::ErrorKind::{BrokenPipe, ConnectionAborted, ConnectionReset, UnexpectedEof};
    matches!(
        err.kind(),
        BrokenPipe | ConnectionAborted | ConnectionReset | UnexpectedEof
    )
}

/// Reads one answer; the flag says whether the connection may be used again.
async fn read_reply(conn: &mut BufReader<TcpStream>) -> std::io::Result<(Reply, bool)> {
    let status_line = read_line(conn).await?;
    let status = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse::<u16>().ok())
        .ok_or_else(|| bad_answer(&format!("status line {status_line:?}")))?;
    let (mut length, mut chunked, mut keep_alive) = (None, false, true);
    let mut set_cookies = Vec::new();
    let mut content_encoding = None;
    loop {
        let line = read_line(conn).await?;
        if line.is_empty() {
            break;
        }
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim();
        match name.trim().to_ascii_lowercase().as_str() {
            "content-length" => length = value.parse::<usize>().ok(),
            "transfer-encoding" => chunked = value.to_ascii_lowercase().contains("chunked"),
            "connection" => keep_alive = !value.eq_ignore_ascii_case("close"),
            "set-cookie" => set_cookies.push(value.to_owned()),
            "content-encoding" => content_encoding = Some(value.to_ascii_lowercase()),
            _ => {}
        }
    }
    let body = if chunked {
        read_chunked(conn).await?
    } else if let Some(length) = length {
        let mut body = vec![0; length];
        conn.read_exact(&mut body).await?;
        body
    } else {
        // Neither length nor chunks: the body runs to the end of the connection.
        keep_alive = false;
        let mut body = Vec::new();
        conn.read_to_end(&mut body).await?;
        body
    };
    let body_len = body.len();
    Ok((
        Reply {
            status,
            set_cookies,
            content_encoding,
            body,
            body_len,
        },
        keep_alive,
    ))
}

async fn read_chunked(conn: &mut BufReader<TcpStream>) -> std::io::Result<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let size_line = read_line(conn).await?;
        let size_hex = size_line.split(';').next().unwrap_or_default().trim();
        let size = usize::from_str_radix(size_hex, 16)
            .map_err(|_| bad_answer(&format!("chunk size {size_line:?}")))?;
        if size == 0 {
            // Trailers, then the empty line that ends the message.
            while !read_line(conn).await?.is_empty() {}
            return Ok(body);
        }
        let start = body.len();
        body.resize(start + size, 0);
        conn.read_exact(&mut body[start..]).await?;
        read_line(conn).await?;
    }
}

/// One header line without its CRLF; the end of the connection is an error.
async fn read_line(conn: &mut BufReader<TcpStream>) -> std::io::Result<String> {
    let mut line = String::new();
    if conn.read_line(&mut line).await? == 0 {
        return Err(std::io::ErrorKind::UnexpectedEof.into());
    }
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}

fn bad_answer(what: &str) -> std::io::Error {
    std::io::Error::new(
        std::io::ErrorKind::InvalidData,
        format!("unexpected HTTP answer: {what}"),
    )
}
