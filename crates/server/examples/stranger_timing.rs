//! What a stranger can learn from the routes that take a NIK or a username: for each, the
//! answer and its timing for an existing account against an unknown one. A measurement, not a
//! test (issue 14: "one answer for everyone"):
//!
//!   cargo build --release -p ikd-server --bin ikd --example stranger_timing
//!   target/release/examples/stranger_timing [--samples 20]
//!
//! Like `load_bench`, it drives the real `ikd serve` binary over HTTP/1.1 on a fresh SQLite
//! data dir seeded with `ikd seed`, with `--trusted-proxy-hops 1` and a synthetic client
//! address in `X-Forwarded-For` on every request, so per-address limits never refuse it.
//! Per-account limits (10 logins per account, 10 activations per NIK in 10 minutes, wrong-code
//! counters) are not raised: every existing account and every unknown NIK or username is
//! tried exactly once, which is also the first-try path a stranger probing many NIKs takes.
//!
//! Set-up, untimed: citizens register at a desk the bench officer opens, the officer approves
//! them, the activation codes are read from `<data-dir>/outbox/*.eml` (polled: mail may leave
//! a moment after the approval), and half of them are activated. Captchas are solved before
//! any clock starts. Then, per endpoint, `--samples` requests for existing accounts and as
//! many for unknown ones, interleaved (existing, unknown, existing, …) on one keep-alive
//! connection so drift hits both alike, after `--warmup` untimed pairs:
//!
//! - `POST /api/session`: an activated account's NIK with a wrong password / an unknown NIK;
//! - `POST /api/activation`: a NIK with a live activation code and a wrong code / a NIK that
//!   never registered;
//! - `POST /api/password-reset`: an activated account's NIK / an unknown NIK;
//! - `POST /api/officer/session`: an officer (made with `ikd officer add`) with a wrong
//!   password / an unknown username.
//!
//! "Unknown" NIKs are real registry NIKs that never registered: a stranger would try those.
//!
//! Output: progress on stderr; on stdout a table (median and p90 latency, the service's CPU
//! time per request read from /proc, the status and a hash of the body seen), then per
//! endpoint whether status, body and headers (but `Date`) were the same for both cases, the
//! difference of the medians and in how many interleaved pairs the existing account was the
//! slower (about half when timing tells nothing), the bodies, and last one JSON line.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail, ensure};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use clap::Parser;
use ikd_core::captcha::{self, Challenge, Solution};
use ikd_core::{Date, Sex};
use ikd_server::platform::db::{DatabaseUrl, Db};
use ikd_server::platform::tokens::sha256_hex;
use ikd_server::platform::{clock, totp};
use ikd_server::registry::portrait;
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

const OFFICER_USERNAME: &str = "bench.petugas";
const OFFICER_PASSWORD: &str = "bangku-panjang-loket-7";
const OFFICER_REGION: &str = "32.76";
const CITIZEN_PASSWORD: &str = "kuda-lari-di-sawah-42";
/// What the stranger types: a password nobody has, a well-formed code nobody was sent.
const WRONG_PASSWORD: &str = "tebak-tebak-buah-manggis-9";
const WRONG_CODE: &str = "ZZZZ-ZZZZ";
/// How long the approval's mail may take to reach the outbox.
const OUTBOX_WAIT: Duration = Duration::from_secs(10);
/// Bodies are printed up to this many characters.
const SHOWN_BODY_CHARS: usize = 200;

#[derive(Debug, Parser)]
#[command(
    about = "Existing against unknown accounts: answers and timing of login, activation, \
                   password reset and officer login"
)]
struct Args {
    /// The `ikd` binary to start.
    #[arg(long, default_value = "target/release/ikd")]
    ikd: PathBuf,
    /// Timed requests per endpoint and case.
    #[arg(long, default_value_t = 20)]
    samples: usize,
    /// Untimed (existing, unknown) pairs per endpoint before the timed ones.
    #[arg(long, default_value_t = 2)]
    warmup: usize,
    /// Synthetic citizens in the registry.
    #[arg(long, default_value_t = 10_000)]
    seed_count: u64,
    /// Where the data dir goes (default: the system temp dir).
    #[arg(long)]
    work_dir: Option<PathBuf>,
    /// Keep the data dir (and the server log in it) after the run.
    #[arg(long)]
    keep: bool,
}

impl Args {
    /// Existing accounts (and unknown names) each endpoint uses up: one per request.
    fn per_case(&self) -> usize {
        self.samples + self.warmup
    }
}

// The client is light; one thread leaves the cores to the service.
#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<()> {
    let args = Args::parse();
    ensure!(args.samples > 0, "--samples must be at least 1");
    ensure!(
        args.ikd.is_file(),
        "{} not found: run `cargo build --release -p ikd-server --bin ikd` first, or pass --ikd",
        args.ikd.display()
    );
    let work = tempfile::Builder::new()
        .prefix("ikd-stranger-")
        .tempdir_in(args.work_dir.clone().unwrap_or_else(std::env::temp_dir))
        .context("temp dir")?;
    let data_dir = work.path().to_path_buf();
    let result = run(&args, &data_dir).await;
    if args.keep {
        eprintln!("kept {}", work.keep().display());
    }
    let endpoints = result?;
    print_table(&args, &endpoints);
    println!("{}", json_line(&args, &endpoints));
    Ok(())
}

async fn run(args: &Args, data_dir: &Path) -> Result<Vec<Endpoint>> {
    let n = args.per_case();
    prepare_registry(args, data_dir)?;
    // Registered: n to activate, n left with a live code. Never registered: n strangers.
    let mut citizens = eligible_citizens(data_dir, 3 * n).await?;
    ensure!(
        citizens.len() >= 3 * n,
        "only {} eligible citizens with an email of their own: raise --seed-count",
        citizens.len()
    );
    let strangers: Vec<String> = citizens
        .split_off(2 * n)
        .into_iter()
        .map(|c| c.nik)
        .collect();

    let server = Server::start(&args.ikd, data_dir)?;
    let addr = server.addr.clone();
    let officer = Officer::log_in(&addr, OFFICER_USERNAME, OFFICER_PASSWORD).await?;
    let mut accounts = register_and_approve(&addr, &officer, &citizens, data_dir).await?;
    let pending = accounts.split_off(n);
    activate(&addr, &accounts).await?;
    eprintln!(
        "{} accounts activated, {} with a live code",
        n,
        pending.len()
    );

    // Every captcha the timed requests carry, solved now.
    let mut captchas = solved_captchas(&addr, 4 * n).await?.into_iter();
    let mut take_captchas = |count: usize| captchas.by_ref().take(count).collect::<Vec<_>>();
    let device = |i: usize| format!("stranger-bench-{i:05}");

    let mut endpoints = Vec::new();
    // Activation first, while the codes are live (10 minutes from approval).
    let solutions = take_captchas(2 * n);
    let activation = |nik: &str, i: usize| {
        let body = json!({
            "nik": nik,
            "code": WRONG_CODE,
            "password": CITIZEN_PASSWORD,
            "deviceId": device(i),
            "captcha": solutions[i],
        });
        Request::post("/api/activation", &body).with_new_client()
    };
    endpoints.push(
        measure(
            &server,
            args,
            "activation",
            "POST /api/activation",
            pending
                .iter()
                .enumerate()
                .map(|(i, a)| activation(&a.nik, 2 * i)),
            strangers
                .iter()
                .enumerate()
                .map(|(i, nik)| activation(nik, 2 * i + 1)),
        )
        .await?,
    );

    let login = |nik: &str, i: usize| {
        let body = json!({
            "identifier": nik,
            "password": WRONG_PASSWORD,
            "deviceId": device(i),
            "replaceDevice": false,
        });
        Request::post("/api/session", &body).with_new_client()
    };
    endpoints.push(
        measure(
            &server,
            args,
            "citizen login",
            "POST /api/session",
            accounts
                .iter()
                .enumerate()
                .map(|(i, a)| login(&a.nik, 2 * i)),
            strangers
                .iter()
                .enumerate()
                .map(|(i, nik)| login(nik, 2 * i + 1)),
        )
        .await?,
    );

    let solutions = take_captchas(2 * n);
    let reset = |nik: &str, i: usize| {
        let body = json!({"identifier": nik, "captcha": solutions[i]});
        Request::post("/api/password-reset", &body).with_new_client()
    };
    endpoints.push(
        measure(
            &server,
            args,
            "password reset",
            "POST /api/password-reset",
            accounts
                .iter()
                .enumerate()
                .map(|(i, a)| reset(&a.nik, 2 * i)),
            strangers
                .iter()
                .enumerate()
                .map(|(i, nik)| reset(nik, 2 * i + 1)),
        )
        .await?,
    );

    let officer_login = |username: String| {
        let body = json!({"username": username, "password": WRONG_PASSWORD});
        Request::post("/api/officer/session", &body).with_new_client()
    };
    endpoints.push(
        measure(
            &server,
            args,
            "officer login",
            "POST /api/officer/session",
            (0..n).map(|i| officer_login(case_officer(i))),
            (0..n).map(|i| officer_login(format!("bench.orang-asing.{i:03}"))),
        )
        .await?,
    );
    drop(server);
    Ok(endpoints)
}

// ---------------------------------------------------------------------------------------
// Set-up: registry, officers, citizens, the service, accounts.

/// The officers whose usernames exist, one per officer-login request.
fn case_officer(i: usize) -> String {
    format!("bench.petugas.{i:03}")
}

/// Seeds the registry and creates the officers with the CLI, as an operator would.
fn prepare_registry(args: &Args, data_dir: &Path) -> Result<()> {
    let started = Instant::now();
    let count = args.seed_count.to_string();
    run_quietly(
        ikd_command(&args.ikd, &["seed", "--count", &count], data_dir),
        None,
    )
    .context("ikd seed")?;
    let usernames =
        std::iter::once(OFFICER_USERNAME.to_owned()).chain((0..args.per_case()).map(case_officer));
    for username in usernames {
        let add = [
            "officer",
            "add",
            "--username",
            &username,
            "--name",
            "Petugas Uji Waktu",
            "--role",
            "officer",
            "--region",
            OFFICER_REGION,
            "--password-stdin",
        ];
        run_quietly(
            ikd_command(&args.ikd, &add, data_dir),
            Some(OFFICER_PASSWORD),
        )
        .with_context(|| format!("ikd officer add {username}"))?;
    }
    eprintln!(
        "seeded {} citizens and added {} officers in {:.1} s",
        args.seed_count,
        args.per_case() + 1,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// `ikd ARGS --data-dir …`, unaffected by the caller's IKD_* variables.
fn ikd_command(ikd: &Path, args: &[&str], data_dir: &Path) -> Command {
    let mut command = Command::new(ikd);
    command
        .args(args)
        .arg("--data-dir")
        .arg(data_dir)
        .env_remove("IKD_DATABASE_URL")
        .env_remove("IKD_DATA_DIR")
        .env("IKD_LOG", "warn");
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

/// Citizens who may register (adults with an e-KTP, email and phone on record), each with an
/// email no other of them has, so each activation mail names its citizen.
async fn eligible_citizens(data_dir: &Path, wanted: usize) -> Result<Vec<Citizen>> {
    let db = Db::connect(&DatabaseUrl::sqlite_file(&data_dir.join("ikd.db"))).await?;
    let today = clock::today_utc();
    // A margin over 17 keeps the NIK's own age check happy.
    let cutoff = Date::new(today.year() - 18, today.month(), 1)
        .context("cutoff date")?
        .to_string();
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT nik, email, phone FROM registry_persons WHERE ektp_recorded = 1 \
         AND email IS NOT NULL AND phone IS NOT NULL AND birth_date <= $1 ORDER BY nik LIMIT $2",
    )
    .bind(cutoff)
    .bind(i64::try_from(wanted * 4)?)
    .fetch_all(db.pool())
    .await?;
    db.pool().close().await;
    let mut emails = HashSet::new();
    Ok(rows
        .into_iter()
        .filter(|(_, email, _)| emails.insert(email.to_lowercase()))
        .take(wanted)
        .map(|(nik, email, phone)| Citizen { nik, email, phone })
        .collect())
}

/// A running `ikd serve`, killed when dropped.
struct Server {
    child: Child,
    addr: String,
}

impl Server {
    fn start(ikd: &Path, data_dir: &Path) -> Result<Self> {
        let log_path = data_dir.join("server.log");
        let log = std::fs::File::create(&log_path).context("server.log")?;
        // No PWA build is needed: the bench only talks to /api.
        let no_web = data_dir.join("no-web-build").display().to_string();
        let serve = [
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--trusted-proxy-hops",
            "1",
            "--web-dir",
            &no_web,
        ];
        let mut command = ikd_command(ikd, &serve, data_dir);
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
        eprintln!("ikd serve on {addr}");
        Ok(Server { child, addr })
    }

    fn pid(&self) -> String {
        self.child.id().to_string()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[derive(Debug, Clone)]
struct Officer {
    cookie: String,
}

impl Officer {
    async fn log_in(addr: &str, username: &str, password: &str) -> Result<Self> {
        let body = json!({"username": username, "password": password});
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

    async fn call(
        &self,
        http: &mut Http,
        request: Request,
        status: u16,
        what: &str,
    ) -> Result<Value> {
        http.send(&request.with_cookie(&self.cookie))
            .await?
            .expect(status, what)
    }
}

#[derive(Debug, Clone)]
struct Account {
    nik: String,
    code: String,
}

/// Registers `citizens` at a desk the officer opens, approves them all and reads their
/// activation codes from the outbox; the accounts come back in the citizens' order.
async fn register_and_approve(
    addr: &str,
    officer: &Officer,
    citizens: &[Citizen],
    data_dir: &Path,
) -> Result<Vec<Account>> {
    let started = Instant::now();
    let mut http = Http::new(addr);
    let desk = officer
        .call(
            &mut http,
            Request::post("/api/desks", &json!({"kind": "desk", "label": "Bench"})),
            201,
            "open desk",
        )
        .await?["id"]
        .as_i64()
        .context("desk id")?;
    let captchas = solved_captchas(addr, citizens.len()).await?;
    let selfie = STANDARD.encode(portrait::portrait_jpeg_sized(
        7,
        Sex::Female,
        30,
        240,
        320,
        85,
    ));
    let mut ids = Vec::with_capacity(citizens.len());
    for (citizen, captcha) in citizens.iter().zip(captchas) {
        // A fresh desk token each time: they live 30–60 s.
        let token = officer
            .call(
                &mut http,
                Request::get(&format!("/api/desks/{desk}/token")),
                200,
                "desk token",
            )
            .await?["qrText"]
            .as_str()
            .context("qrText")?
            .to_owned();
        let body = json!({
            "nik": citizen.nik,
            "email": citizen.email,
            "phone": citizen.phone,
            "selfieJpeg": selfie,
            "deskToken": token,
            "captcha": captcha,
        });
        let request = Request::post("/api/registrations", &body).with_new_client();
        let accepted = http.send(&request).await?.expect(202, "registration")?;
        let id = accepted["registrationId"]
            .as_str()
            .context("registrationId")?;
        ids.push(id.to_owned());
    }
    for id in &ids {
        let request = Request::post(
            &format!("/api/officer/registrations/{id}/decision"),
            &json!({"approve": true}),
        );
        officer.call(&mut http, request, 200, "approval").await?;
    }
    let wanted: HashSet<String> = citizens.iter().map(|c| c.email.to_lowercase()).collect();
    let codes = await_activation_codes(&data_dir.join("outbox"), &wanted).await?;
    eprintln!(
        "{} citizens registered and approved, codes read, in {:.1} s",
        citizens.len(),
        started.elapsed().as_secs_f64()
    );
    citizens
        .iter()
        .map(|c| {
            let code = codes
                .get(&c.email.to_lowercase())
                .with_context(|| format!("no activation code for {}", c.nik))?;
            Ok(Account {
                nik: c.nik.clone(),
                code: code.clone(),
            })
        })
        .collect()
}

/// Email address → activation code for every address in `wanted`, polling the outbox until
/// all have arrived or [`OUTBOX_WAIT`] has passed (mail may be sent by a background worker).
async fn await_activation_codes(
    outbox: &Path,
    wanted: &HashSet<String>,
) -> Result<HashMap<String, String>> {
    let started = Instant::now();
    loop {
        let codes = activation_codes(outbox)?;
        let missing = wanted.iter().filter(|to| !codes.contains_key(*to)).count();
        if missing == 0 {
            return Ok(codes);
        }
        if started.elapsed() > OUTBOX_WAIT {
            bail!(
                "{missing} of {} activation mails not in {} after {} s",
                wanted.len(),
                outbox.display(),
                OUTBOX_WAIT.as_secs()
            );
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Email address → activation code, from the `.eml` files in the outbox. The code is read
/// from the "Kode aktivasi: ABCD-EFGH" line, not from the link, whose form may change.
fn activation_codes(outbox: &Path) -> Result<HashMap<String, String>> {
    let mut codes = HashMap::new();
    let entries = match std::fs::read_dir(outbox) {
        Ok(entries) => entries,
        // Not made until the first mail is written.
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(codes),
        Err(err) => return Err(err).context("outbox"),
    };
    for entry in entries {
        let path = entry?.path();
        if path.extension().is_none_or(|x| x != "eml") {
            continue;
        }
        // A file being written may be cut short; the next poll reads it whole.
        let Ok(mail) = std::fs::read_to_string(&path) else {
            continue;
        };
        let to = mail
            .lines()
            .find_map(|line| line.strip_prefix("To: "))
            .map(|to| to.trim().trim_matches(['<', '>']).to_lowercase());
        let code = mail
            .lines()
            .find_map(|line| line.trim().strip_prefix("Kode aktivasi:"))
            .and_then(|rest| rest.split_whitespace().next())
            .map(|code| code.replace('-', ""))
            .filter(|code| code.len() == 8);
        if let (Some(to), Some(code)) = (to, code) {
            codes.insert(to, code);
        }
    }
    Ok(codes)
}

/// Activates `accounts` with their codes, so they can log in and ask for a reset.
async fn activate(addr: &str, accounts: &[Account]) -> Result<()> {
    let captchas = solved_captchas(addr, accounts.len()).await?;
    let mut http = Http::new(addr);
    for (i, (account, captcha)) in accounts.iter().zip(captchas).enumerate() {
        let body = json!({
            "nik": account.nik,
            "code": account.code,
            "password": CITIZEN_PASSWORD,
            "deviceId": format!("stranger-setup-{i:05}"),
            "captcha": captcha,
        });
        let request = Request::post("/api/activation", &body).with_new_client();
        http.send(&request).await?.expect(200, "activation")?;
    }
    Ok(())
}

/// Fetches `count` challenges and solves them on every core (solutions are single use and
/// expire 10 minutes after issue).
async fn solved_captchas(addr: &str, count: usize) -> Result<Vec<Solution>> {
    let mut http = Http::new(addr);
    let mut challenges = Vec::with_capacity(count);
    for _ in 0..count {
        let reply = http.send(&Request::post_empty("/api/captcha")).await?;
        let challenge: Challenge = serde_json::from_value(reply.expect(200, "captcha")?)?;
        challenges.push(challenge);
    }
    tokio::task::spawn_blocking(move || solve_all(&challenges)).await?
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
// The measurement.

/// One answer as seen by the stranger, with what it cost.
#[derive(Debug, Clone)]
struct Sample {
    latency: Duration,
    /// The service's CPU time during the request, in /proc ticks, when /proc can tell.
    service_ticks: Option<u64>,
    status: u16,
    body: String,
    /// Every header but `Date`, in the order sent.
    headers: Vec<String>,
}

#[derive(Debug)]
struct Endpoint {
    name: &'static str,
    route: &'static str,
    existing: Vec<Sample>,
    unknown: Vec<Sample>,
    /// Share of the machine used by neither the service nor the bench meanwhile, in %.
    others_percent: Option<f64>,
}

/// Sends `existing[i]`, `unknown[i]` for each `i` in turn on one connection; the first
/// `--warmup` pairs are not kept.
async fn measure(
    server: &Server,
    args: &Args,
    name: &'static str,
    route: &'static str,
    existing: impl Iterator<Item = Request>,
    unknown: impl Iterator<Item = Request>,
) -> Result<Endpoint> {
    let pairs: Vec<(Request, Request)> = existing.zip(unknown).collect();
    ensure!(pairs.len() == args.per_case(), "{name}: too few accounts");
    let mut http = Http::new(&server.addr);
    http.connect().await?;
    let pid = server.pid();
    let mut endpoint = Endpoint {
        name,
        route,
        existing: Vec::new(),
        unknown: Vec::new(),
        others_percent: None,
    };
    let mut before: Option<CpuTicks> = None;
    for (i, (known, stranger)) in pairs.iter().enumerate() {
        if i == args.warmup {
            before = CpuTicks::now(&pid);
        }
        let known = timed(&mut http, &pid, known).await?;
        let stranger = timed(&mut http, &pid, stranger).await?;
        if i >= args.warmup {
            endpoint.existing.push(known);
            endpoint.unknown.push(stranger);
        }
    }
    endpoint.others_percent = before
        .zip(CpuTicks::now(&pid))
        .map(|(before, after)| (after - before).others_percent());
    eprintln!("{name}: measured");
    Ok(endpoint)
}

async fn timed(http: &mut Http, pid: &str, request: &Request) -> Result<Sample> {
    let ticks_before = process_ticks(pid);
    let started = Instant::now();
    let reply = http.send(request).await?;
    let latency = started.elapsed();
    let service_ticks = ticks_before
        .zip(process_ticks(pid))
        .map(|(before, after)| after.saturating_sub(before));
    Ok(Sample {
        latency,
        service_ticks,
        status: reply.status,
        body: String::from_utf8_lossy(&reply.body).into_owned(),
        headers: reply
            .headers
            .iter()
            .filter(|(name, _)| name != "date")
            .map(|(name, value)| format!("{name}: {value}"))
            .collect(),
    })
}

/// What one case of one endpoint came to.
#[derive(Debug)]
struct CaseFigures {
    median_ms: f64,
    p90_ms: f64,
    service_cpu_ms: Option<f64>,
    /// Status → how many times.
    statuses: BTreeMap<u16, usize>,
    /// Body hash (12 hex digits of SHA-256) → how many times.
    bodies: BTreeMap<String, usize>,
}

impl CaseFigures {
    fn of(samples: &[Sample]) -> Self {
        let mut latencies: Vec<Duration> = samples.iter().map(|s| s.latency).collect();
        latencies.sort();
        let ticks: Option<u64> = samples.iter().map(|s| s.service_ticks).sum();
        let mut statuses = BTreeMap::new();
        let mut bodies = BTreeMap::new();
        for sample in samples {
            *statuses.entry(sample.status).or_insert(0) += 1;
            *bodies.entry(body_hash(&sample.body)).or_insert(0) += 1;
        }
        CaseFigures {
            median_ms: percentile_ms(&latencies, 0.5),
            p90_ms: percentile_ms(&latencies, 0.9),
            service_cpu_ms: ticks.map(|ticks| {
                ticks as f64 * 1000.0 / TICKS_PER_SECOND / samples.len().max(1) as f64
            }),
            statuses,
            bodies,
        }
    }

    fn status_text(&self) -> String {
        join_counts(&self.statuses, self.statuses.len() > 1)
    }

    fn body_text(&self) -> String {
        join_counts(&self.bodies, self.bodies.len() > 1)
    }

    fn to_json(&self) -> Value {
        json!({
            "medianMs": round2(self.median_ms),
            "p90Ms": round2(self.p90_ms),
            "serviceCpuMsPerRequest": self.service_cpu_ms.map(round2),
            "statuses": self.statuses.iter().map(|(s, n)| (s.to_string(), *n)).collect::<BTreeMap<_, _>>(),
            "bodySha256": self.bodies,
        })
    }
}

/// `a` or, when several were seen, `a×3 b×17`.
fn join_counts<K: std::fmt::Display>(counts: &BTreeMap<K, usize>, with_counts: bool) -> String {
    counts
        .iter()
        .map(|(key, n)| {
            if with_counts {
                format!("{key}×{n}")
            } else {
                key.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn body_hash(body: &str) -> String {
    sha256_hex(body)[..12].to_owned()
}

/// How the two cases of an endpoint compare.
#[derive(Debug)]
struct Comparison {
    existing: CaseFigures,
    unknown: CaseFigures,
    same_status: bool,
    same_body: bool,
    same_headers: bool,
    /// Pairs in which the existing account's answer took longer than the unknown one's.
    existing_slower: usize,
}

impl Comparison {
    fn of(endpoint: &Endpoint) -> Self {
        let all = || endpoint.existing.iter().chain(&endpoint.unknown);
        let one_kind =
            |key: &dyn Fn(&Sample) -> String| all().map(key).collect::<HashSet<_>>().len() == 1;
        Comparison {
            existing: CaseFigures::of(&endpoint.existing),
            unknown: CaseFigures::of(&endpoint.unknown),
            same_status: one_kind(&|s| s.status.to_string()),
            same_body: one_kind(&|s| s.body.clone()),
            same_headers: one_kind(&|s| s.headers.join("\n")),
            existing_slower: endpoint
                .existing
                .iter()
                .zip(&endpoint.unknown)
                .filter(|(known, stranger)| known.latency > stranger.latency)
                .count(),
        }
    }

    fn delta_median_ms(&self) -> f64 {
        self.existing.median_ms - self.unknown.median_ms
    }
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

fn yes_no(same: bool) -> &'static str {
    if same { "same" } else { "DIFFERENT" }
}

fn print_table(args: &Args, endpoints: &[Endpoint]) {
    println!(
        "{:<15} {:<9} {:>9} {:>7} {:>7} {:<7} body sha256",
        "endpoint", "case", "median ms", "p90 ms", "svc ms", "status"
    );
    let optional = |v: Option<f64>| v.map(|v| format!("{v:.1}")).unwrap_or_default();
    let comparisons: Vec<Comparison> = endpoints.iter().map(Comparison::of).collect();
    for (endpoint, c) in endpoints.iter().zip(&comparisons) {
        for (case, f) in [("existing", &c.existing), ("unknown", &c.unknown)] {
            println!(
                "{:<15} {:<9} {:>9.1} {:>7.1} {:>7} {:<7} {}",
                endpoint.name,
                case,
                f.median_ms,
                f.p90_ms,
                optional(f.service_cpu_ms),
                f.status_text(),
                f.body_text(),
            );
        }
    }
    println!();
    for (endpoint, c) in endpoints.iter().zip(&comparisons) {
        println!(
            "{} ({}): status {}, body {}, headers {}; median existing − unknown {:+.1} ms; \
             existing slower in {}/{} pairs{}",
            endpoint.name,
            endpoint.route,
            yes_no(c.same_status),
            yes_no(c.same_body),
            yes_no(c.same_headers),
            c.delta_median_ms(),
            c.existing_slower,
            endpoint.existing.len(),
            endpoint
                .others_percent
                .map(|p| format!("; other processes {p:.0}% of the machine"))
                .unwrap_or_default(),
        );
    }
    println!();
    for endpoint in endpoints {
        let mut shown = HashSet::new();
        for sample in endpoint.existing.iter().chain(&endpoint.unknown) {
            if shown.insert(body_hash(&sample.body)) {
                let body: String = sample.body.chars().take(SHOWN_BODY_CHARS).collect();
                let cut = if body.len() < sample.body.len() {
                    "…"
                } else {
                    ""
                };
                println!(
                    "{} {} {}: {body}{cut}",
                    endpoint.name,
                    sample.status,
                    body_hash(&sample.body)
                );
            }
        }
    }
    println!(
        "median/p90 of {} requests per case, interleaved with the other case after {} untimed \
         pairs; svc ms = the service's CPU time per request (/proc, 10 ms ticks, averaged); \
         about half the pairs have the existing account slower when timing tells nothing; \
         {} cores shared by bench and service",
        args.samples,
        args.warmup,
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
}

fn json_line(args: &Args, endpoints: &[Endpoint]) -> Value {
    let results: serde_json::Map<String, Value> = endpoints
        .iter()
        .map(|endpoint| {
            let c = Comparison::of(endpoint);
            let figures = json!({
                "route": endpoint.route,
                "existing": c.existing.to_json(),
                "unknown": c.unknown.to_json(),
                "sameStatus": c.same_status,
                "sameBody": c.same_body,
                "sameHeaders": c.same_headers,
                "medianDeltaMs": round2(c.delta_median_ms()),
                "existingSlowerPairs": c.existing_slower,
                "otherProcessesCpuPercent": endpoint.others_percent.map(round2),
            });
            (endpoint.name.replace(' ', "-"), figures)
        })
        .collect();
    json!({
        "bench": "stranger_timing",
        "cores": std::thread::available_parallelism().map_or(0, |n| n.get()),
        "samples": args.samples,
        "warmup": args.warmup,
        "seedCount": args.seed_count,
        "results": results,
    })
}

// ---------------------------------------------------------------------------------------
// CPU time from /proc, in USER_HZ ticks (100 a second on Linux).

const TICKS_PER_SECOND: f64 = 100.0;

#[derive(Debug, Clone, Copy)]
struct CpuTicks {
    service: u64,
    client: u64,
    machine_busy: u64,
    machine_total: u64,
}

impl CpuTicks {
    fn now(service_pid: &str) -> Option<Self> {
        let (machine_busy, machine_total) = machine_ticks()?;
        Some(CpuTicks {
            service: process_ticks(service_pid)?,
            client: process_ticks("self")?,
            machine_busy,
            machine_total,
        })
    }

    fn others_percent(&self) -> f64 {
        let others = self.machine_busy.saturating_sub(self.service + self.client);
        100.0 * others as f64 / self.machine_total.max(1) as f64
    }
}

impl std::ops::Sub for CpuTicks {
    type Output = CpuTicks;

    fn sub(self, earlier: CpuTicks) -> CpuTicks {
        CpuTicks {
            service: self.service.saturating_sub(earlier.service),
            client: self.client.saturating_sub(earlier.client),
            machine_busy: self.machine_busy.saturating_sub(earlier.machine_busy),
            machine_total: self.machine_total.saturating_sub(earlier.machine_total),
        }
    }
}

/// utime + stime of a process (all its threads): fields 14 and 15 of /proc/PID/stat.
fn process_ticks(pid: &str) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name may hold spaces; the fields after it do not.
    let (_, after_name) = stat.rsplit_once(')')?;
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    Some(utime + stime)
}

/// (busy, total) ticks of all cores: the first line of /proc/stat, where idle and iowait
/// are the idle part.
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

// ---------------------------------------------------------------------------------------
// A small HTTP/1.1 client: one keep-alive connection, Content-Length or chunked answers.

#[derive(Debug, Clone)]
struct Request {
    method: &'static str,
    path: String,
    cookie: Option<String>,
    forwarded_for: Option<String>,
    body: Option<Vec<u8>>,
}

impl Request {
    fn get(path: &str) -> Self {
        Request {
            method: "GET",
            path: path.to_owned(),
            cookie: None,
            forwarded_for: None,
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

    /// Sends the request from a new synthetic client address, as a reverse proxy would name
    /// it, so per-address limits never refuse the bench.
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
    /// (lower-case name, value) in the order received.
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    /// The body as JSON when the status is the expected one; otherwise an error naming both.
    fn expect(&self, status: u16, what: &str) -> Result<Value> {
        ensure!(
            self.status == status,
            "{what}: HTTP {} {}",
            self.status,
            String::from_utf8_lossy(&self.body)
        );
        serde_json::from_slice(&self.body).with_context(|| format!("{what}: answer is not JSON"))
    }

    /// `name=value` of a Set-Cookie, ready for a Cookie header.
    fn cookie(&self, name: &str) -> Option<String> {
        self.headers
            .iter()
            .filter(|(header, _)| header == "set-cookie")
            .filter_map(|(_, c)| c.split(';').next())
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
    let mut headers = Vec::new();
    loop {
        let line = read_line(conn).await?;
        if line.is_empty() {
            break;
        }
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let (name, value) = (name.trim().to_ascii_lowercase(), value.trim().to_owned());
        match name.as_str() {
            "content-length" => length = value.parse::<usize>().ok(),
            "transfer-encoding" => chunked = value.to_ascii_lowercase().contains("chunked"),
            "connection" => keep_alive = !value.eq_ignore_ascii_case("close"),
            _ => {}
        }
        headers.push((name, value));
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
    Ok((
        Reply {
            status,
            headers,
            body,
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
