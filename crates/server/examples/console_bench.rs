//! Benchmark of the officer console's heavy endpoints: importing a 100,000-row drive roster and
//! the regional dashboard over a million citizens. A measurement, not a test:
//!
//!   cargo build --release -p ikd-server --example console_bench
//!   target/release/examples/console_bench [--postgres URL] [--keep]
//!
//! The issue's targets: a 100,000-row roster imports in at most 10 s, and the dashboard over
//! 1M citizens answers in at most 200 ms.
//!
//! Per back-end (SQLite in a temp data dir; PostgreSQL with `--postgres URL`, in a fresh
//! database created on that server and dropped afterwards):
//!
//! 1. `registry::seed::seed_synthetic` fills the registry with `--persons` synthetic citizens
//!    (default 1,000,000), which also rebuilds `registry_population`.
//! 2. `adoption` gets about `--adoption` people (default 300,000) with one set-based
//!    `INSERT … SELECT` over `registry_persons`: deterministic pseudo-random choices from the
//!    NIK, registrations spread over the last 60 days, ~60 % approved, ~50 % activated.
//! 3. `--roster-rows` adults with a recorded e-KTP become civil servants in
//!    `registry_civil_servants` with NIPs that agree with their birth date and sex, and a CSV
//!    `nip,nik,nama,unit` of exactly `--roster-rows` data rows is built: 99 % good rows and 1 %
//!    bad ones (bad NIK, duplicate, unknown NIK, NIP of someone else), in shuffled order, with
//!    units from a list of 20.
//! 4. The service runs in process: `ikd_server::app` driven with `tower::ServiceExt::oneshot`
//!    (no TCP, no TLS; the timings are the router, the handlers and the database). An admin of
//!    region "32" logs in with `POST /api/officer/session`, then each of `--import-runs`
//!    fresh drives gets the roster with `POST /api/drives/{id}/roster` (wall-clock, until the
//!    report's body is read).
//! 5. `GET /api/drives/{id}/progress` on a 100,000-row drive and the dashboard views
//!    (`/api/dashboard/regions` for Indonesia, `?parent=32`, `?parent=32.76`, and
//!    `/api/dashboard/drives`) are requested `--warmup` times untimed, then `--requests`
//!    times timed, one after another; p50/p95/max are reported.
//!
//! Nothing is ANALYZEd on SQLite (the service never does); on PostgreSQL the bench runs
//! `ANALYZE` after loading, as autovacuum would within a minute of such a load.
//!
//! `--keep` keeps the SQLite data dir (and the PostgreSQL database) so the queries can be
//! replayed with `EXPLAIN QUERY PLAN` in `sqlite3` or `EXPLAIN ANALYZE` in `psql`.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail, ensure};
use axum::Router;
use axum::body::{Body, Bytes};
use axum::http::{Request, StatusCode, header};
use clap::Parser;
use http_body_util::BodyExt;
use ikd_core::officer::OfficerRole;
use ikd_core::{Date, Sex, format_nip, parse_nip};
use ikd_server::officer::officers::{self, NewOfficer};
use ikd_server::officer::second_factor;
use ikd_server::platform::config::ServiceConfig;
use ikd_server::platform::db::Db;
use ikd_server::platform::{clock, totp};
use ikd_server::registry::generator::default_as_of;
use ikd_server::registry::seed::{SyntheticSeed, seed_synthetic};
use ikd_server::{AppState, app};
use serde_json::{Value, json};
use tower::ServiceExt;

#[path = "shared/fresh_database.rs"]
mod fresh_database;
use fresh_database::FreshDatabase;

const OFFICER_USERNAME: &str = "bench.admin";
const OFFICER_PASSWORD: &str = "bangku-panjang-dasbor-7";
const OFFICER_REGION: &str = "32";
const DEV_POSTGRES: &str = "postgres://postgres@127.0.0.1:55432/postgres";

/// Unit kerja of the bench agency; the drive lists them all, so the unit check runs too.
const UNITS: [&str; 20] = [
    "SEKRETARIAT DAERAH",
    "SEKRETARIAT DPRD",
    "INSPEKTORAT",
    "BAPPEDA",
    "BADAN KEPEGAWAIAN DAN PENGEMBANGAN SDM",
    "BADAN PENGELOLAAN KEUANGAN DAERAH",
    "DINAS PENDIDIKAN",
    "DINAS KESEHATAN",
    "DINAS PEKERJAAN UMUM DAN PENATAAN RUANG",
    "DINAS PERHUBUNGAN",
    "DINAS SOSIAL",
    "DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL",
    "DINAS LINGKUNGAN HIDUP",
    "DINAS KOMUNIKASI DAN INFORMATIKA",
    "DINAS PERDAGANGAN DAN PERINDUSTRIAN",
    "DINAS KETAHANAN PANGAN DAN PERTANIAN",
    "SATUAN POLISI PAMONG PRAJA",
    "RSUD KOTA",
    "KECAMATAN PANCORAN MAS",
    "KECAMATAN BEJI",
];

/// Lehmer steps of a per-person number taken from the NIK's last 12 digits (MMYY, serial and
/// part of the region): deterministic pseudo-random values the SQL of both back-ends computes
/// alike. `x` is in 1..2^31-1, so every product stays far below 2^63.
const H1: &str = "((CAST(substr(nik, 5, 12) AS BIGINT) % 2147483646 + 1) * 48271 % 2147483647)";

fn h2(h1: &str) -> String {
    format!("({h1} * 48271 % 2147483647)")
}

#[derive(Debug, Parser)]
#[command(about = "Benchmark of the officer console: roster import and dashboard")]
struct Args {
    /// Synthetic citizens in the registry.
    #[arg(long, default_value_t = 1_000_000)]
    persons: u64,
    /// The registry generator's seed.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// People who registered (rows of `adoption`), about.
    #[arg(long, default_value_t = 300_000)]
    adoption: u64,
    /// Data rows of the roster CSV (1 % of them bad).
    #[arg(long, default_value_t = 100_000)]
    roster_rows: usize,
    /// Roster imports, each into a fresh drive.
    #[arg(long, default_value_t = 3)]
    import_runs: usize,
    /// Untimed requests before each timed series.
    #[arg(long, default_value_t = 5)]
    warmup: usize,
    /// Timed requests per dashboard view.
    #[arg(long, default_value_t = 30)]
    requests: usize,
    /// Also run against PostgreSQL: a server on which the bench may create (and drop) a
    /// database. Without a value: the dev cluster at postgres://postgres@127.0.0.1:55432.
    #[arg(long, num_args = 0..=1, default_missing_value = DEV_POSTGRES)]
    postgres: Option<String>,
    /// Skip the SQLite run (with --postgres).
    #[arg(long)]
    skip_sqlite: bool,
    /// Where the temp data dirs go (default: the system temp dir).
    #[arg(long)]
    work_dir: Option<PathBuf>,
    /// Keep the data dir (SQLite file) and the PostgreSQL database for EXPLAIN afterwards.
    #[arg(long)]
    keep: bool,
}

#[derive(Debug, Clone)]
enum Backend {
    Sqlite,
    Postgres { admin_url: String },
}

impl Backend {
    fn name(&self) -> &'static str {
        match self {
            Backend::Sqlite => "SQLite",
            Backend::Postgres { .. } => "PostgreSQL",
        }
    }
}

#[tokio::main]
async fn main() -> Result<()> {
    let args = Args::parse();
    ensure!(
        args.roster_rows >= 400,
        "--roster-rows must be at least 400"
    );
    let mut backends = Vec::new();
    if !args.skip_sqlite {
        backends.push(Backend::Sqlite);
    }
    if let Some(url) = &args.postgres {
        backends.push(Backend::Postgres {
            admin_url: url.clone(),
        });
    }
    ensure!(
        !backends.is_empty(),
        "nothing to run: --skip-sqlite without --postgres"
    );
    let mut reports = Vec::new();
    for backend in backends {
        eprintln!("== {} ==", backend.name());
        let report = run_backend(&args, &backend)
            .await
            .with_context(|| format!("{} run", backend.name()))?;
        reports.push(report);
    }
    print_table(&args, &reports);
    Ok(())
}

// ---------------------------------------------------------------------------------------
// One back-end.

#[derive(Debug)]
struct Report {
    backend: &'static str,
    persons: u64,
    seed_secs: f64,
    adoption_rows: i64,
    adoption_secs: f64,
    servants_secs: f64,
    imports: Vec<ImportRun>,
    progress: Latency,
    views: Vec<(String, Latency)>,
    /// Drives and roster rows the drive dashboard sums over.
    drives: (usize, u64),
    /// The 1-minute load average before and after the timed phases: the machine is shared,
    /// and a busy neighbour (a build) shows here instead of silently skewing the figures.
    load: (f64, f64),
}

#[derive(Debug)]
struct ImportRun {
    secs: f64,
    rows: u64,
    imported: u64,
    bad: u64,
}

async fn run_backend(args: &Args, backend: &Backend) -> Result<Report> {
    let work = tempfile::Builder::new()
        .prefix("ikd-console-bench-")
        .tempdir_in(args.work_dir.clone().unwrap_or_else(std::env::temp_dir))
        .context("temp dir")?;
    let fresh = match backend {
        Backend::Sqlite => FreshDatabase::sqlite(work.path(), "ikd.db"),
        Backend::Postgres { admin_url } => {
            let fresh = FreshDatabase::postgres("ikd_console_bench", admin_url).await?;
            eprintln!("  database {}", fresh.postgres_name().unwrap_or_default());
            fresh
        }
    };
    let result = async {
        let db = Db::connect(fresh.url())
            .await
            .context("connect and migrate")?
            .unlock(ikd_server::platform::key_encryption::KeyEncryptionKey::generate())
            .await
            .context("unlock sealed secrets")?;
        let report = measure(args, backend, &db, work.path()).await;
        db.pool().close().await;
        report
    }
    .await;
    if args.keep {
        let dir = work.keep();
        eprintln!("  kept {}", dir.display());
        if fresh.postgres_name().is_some() {
            eprintln!("  kept PostgreSQL database {}", fresh.url().as_str());
        }
    } else if let Err(e) = fresh.drop_database().await {
        eprintln!("  could not drop the bench database: {e:#}");
    }
    result
}

async fn measure(args: &Args, backend: &Backend, db: &Db, dir: &std::path::Path) -> Result<Report> {
    // 1. The registry.
    let started = Instant::now();
    let seeded = seed_synthetic(
        db,
        SyntheticSeed {
            seed: args.seed,
            persons: args.persons,
            as_of: default_as_of(),
        },
    )
    .await
    .context("seed")?;
    let seed_secs = started.elapsed().as_secs_f64();
    eprintln!(
        "  seeded {} persons, {} families, {} documents in {seed_secs:.1} s",
        seeded.written.persons, seeded.written.families, seeded.written.documents
    );

    // 2. Adoption.
    let started = Instant::now();
    let adoption_rows = fill_adoption(db, args.adoption).await?;
    let adoption_secs = started.elapsed().as_secs_f64();
    eprintln!("  adoption: {adoption_rows} rows in {adoption_secs:.1} s");

    // 3. Civil servants and the roster CSV.
    let started = Instant::now();
    let roster = make_roster(db, args.roster_rows).await?;
    let servants_secs = started.elapsed().as_secs_f64();
    eprintln!(
        "  roster: {} civil servants written in {servants_secs:.1} s ({} other BKN rows \
         removed for clashing NIPs); CSV {} data rows, {} bytes, {} bad",
        roster.servants,
        roster.clashing_removed,
        roster.data_rows,
        roster.csv.len(),
        roster.expected_bad.values().sum::<usize>()
    );
    if matches!(backend, Backend::Postgres { .. }) {
        sqlx::query("ANALYZE")
            .execute(db.pool())
            .await
            .context("ANALYZE")?;
    }
    print_counts(db).await?;

    // 4. The service, in process.
    let load_before = load_average();
    let client = Client::start(db, dir).await?;
    let mut imports = Vec::new();
    let mut drive_ids = Vec::new();
    for run in 1..=args.import_runs {
        let drive = client.create_drive(run).await?;
        let started = Instant::now();
        let (status, body) = client
            .send(
                Request::post(format!("/api/drives/{drive}/roster"))
                    .header(header::CONTENT_TYPE, "text/csv")
                    .body(Body::from(roster.csv.clone()))
                    .context("roster request")?,
                false,
            )
            .await?;
        let secs = started.elapsed().as_secs_f64();
        ensure!(
            status == StatusCode::OK,
            "roster import answered {status}: {}",
            String::from_utf8_lossy(&body)
        );
        let report: Value = serde_json::from_slice(&body).context("import report")?;
        let count = |key: &str| report[key].as_u64().unwrap_or_default();
        let bad_rows = report["badRows"].as_array().cloned().unwrap_or_default();
        let mut by_problem: BTreeMap<String, usize> = BTreeMap::new();
        for row in &bad_rows {
            *by_problem
                .entry(row["problem"].as_str().unwrap_or("?").to_owned())
                .or_default() += 1;
        }
        let run_figures = ImportRun {
            secs,
            rows: count("rows"),
            imported: count("imported"),
            bad: bad_rows.len() as u64,
        };
        eprintln!(
            "  import {run}: {:.2} s, rows {} imported {} bad {} {by_problem:?}",
            run_figures.secs, run_figures.rows, run_figures.imported, run_figures.bad
        );
        if run == 1 && by_problem != roster.expected_bad_named() {
            eprintln!(
                "  NOTE: bad rows differ from the planted ones {:?}",
                roster.expected_bad_named()
            );
        }
        imports.push(run_figures);
        drive_ids.push(drive);
    }

    // 5. Progress and the dashboard.
    let first = drive_ids.first().copied().context("no drive")?;
    let progress_path = format!("/api/drives/{first}/progress");
    let progress = client
        .latency(&progress_path, args.warmup, args.requests)
        .await?;
    eprintln!("  progress      {}", progress.summary());
    let sample = client.get_json(&progress_path).await?;
    eprintln!("    total: {}", sample["total"]);
    let mut views = Vec::new();
    for path in [
        "/api/dashboard/regions",
        "/api/dashboard/regions?parent=32",
        "/api/dashboard/regions?parent=32.76",
        "/api/dashboard/drives",
    ] {
        let latency = client.latency(path, args.warmup, args.requests).await?;
        eprintln!("  {path:<40} {}", latency.summary());
        let sample = client.get_json(path).await?;
        match sample.get("region") {
            Some(region) => eprintln!("    {region}"),
            None => eprintln!("    {} drives", sample.as_array().map_or(0, Vec::len)),
        }
        views.push((path.trim_start_matches("/api").to_owned(), latency));
    }
    let load_after = load_average();
    eprintln!("  load average {load_before:.2} before, {load_after:.2} after the timed phases");
    let roster_rows: u64 = imports.iter().map(|run| run.imported).sum();

    Ok(Report {
        backend: backend.name(),
        persons: seeded.written.persons,
        seed_secs,
        adoption_rows,
        adoption_secs,
        servants_secs,
        imports,
        progress,
        views,
        drives: (drive_ids.len(), roster_rows),
        load: (load_before, load_after),
    })
}

/// The 1-minute load average (0 where /proc is missing).
fn load_average() -> f64 {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|text| text.split_whitespace().next()?.parse().ok())
        .unwrap_or(0.0)
}

async fn print_counts(db: &Db) -> Result<()> {
    for table in [
        "registry_families",
        "registry_persons",
        "registry_civil_servants",
        "registry_population",
        "adoption",
    ] {
        let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
            .fetch_one(db.pool())
            .await
            .with_context(|| format!("count {table}"))?;
        eprintln!("  {table:<24} {n:>10}");
    }
    let recorded: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM registry_persons WHERE ektp_recorded = 1")
            .fetch_one(db.pool())
            .await?;
    eprintln!("  {:<24} {recorded:>10}", "  of them e-KTP recorded");
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Data: adoption, civil servants, the roster CSV.

/// The cut-off for "17 or older today", as the registry writes dates.
fn adult_cutoff() -> Result<String> {
    let today = clock::today_utc();
    Ok(Date::new(today.year() - 17, today.month(), 1)
        .context("cutoff date")?
        .to_string())
}

/// About `target` adults with a recorded e-KTP registered over the last 60 days; ~60 % of them
/// approved within 12 hours, ~50 % also activated within a day of approval. One statement.
async fn fill_adoption(db: &Db, target: u64) -> Result<i64> {
    let cutoff = adult_cutoff()?;
    let eligible: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM registry_persons WHERE ektp_recorded = 1 AND birth_date <= $1",
    )
    .bind(&cutoff)
    .fetch_one(db.pool())
    .await?;
    ensure!(eligible > 0, "no eligible citizens");
    // Per 100,000 eligible people, how many registered.
    let per_100k = (i64::try_from(target)? * 100_000 / eligible).clamp(0, 100_000);
    let now = clock::unix_now();
    let sql = format!(
        "INSERT INTO adoption (nik, regency_code, district_code, registered_at, approved_at, \
         activated_at) \
         SELECT nik, regency_code, district_code, reg, \
           CASE WHEN h2 % 100 < 60 THEN reg + (h2 / 100) % 43200 END, \
           CASE WHEN h2 % 100 < 50 THEN reg + (h2 / 100) % 43200 + (h3 / 100) % 86400 END \
         FROM (SELECT nik, regency_code, district_code, h2, h3, \
                 $1 - 172800 - h3 % 5011200 AS reg \
               FROM (SELECT nik, regency_code, district_code, h1, {h2}  AS h2, {h3} AS h3 \
                     FROM (SELECT nik, regency_code, district_code, {H1} AS h1 \
                           FROM registry_persons \
                           WHERE ektp_recorded = 1 AND birth_date <= $2) s1 \
                     WHERE h1 % 100000 < $3) s2) s3",
        h2 = h2("h1"),
        h3 = h2(&h2("h1")),
    );
    let inserted = sqlx::query(&sql)
        .bind(now)
        .bind(&cutoff)
        .bind(per_100k)
        .execute(db.pool())
        .await
        .context("fill adoption")?;
    // The service keeps per-regency daily counts of the same steps (adoption.rs); build them
    // the way migration 0006 backfills them.
    sqlx::query(
        "INSERT INTO adoption_daily (regency_code, day, registered, approved, activated) \
         SELECT regency_code, day, SUM(registered), SUM(approved), SUM(activated) FROM ( \
           SELECT regency_code, registered_at / 86400 AS day, 1 AS registered, 0 AS approved, \
                  0 AS activated FROM adoption \
           UNION ALL SELECT regency_code, approved_at / 86400, 0, 1, 0 FROM adoption \
                  WHERE approved_at IS NOT NULL \
           UNION ALL SELECT regency_code, activated_at / 86400, 0, 0, 1 FROM adoption \
                  WHERE activated_at IS NOT NULL) steps \
         GROUP BY regency_code, day",
    )
    .execute(db.pool())
    .await
    .context("fill adoption_daily")?;
    Ok(i64::try_from(inserted.rows_affected())?)
}

#[derive(Debug)]
struct Roster {
    csv: Bytes,
    data_rows: usize,
    servants: usize,
    clashing_removed: u64,
    expected_bad: BTreeMap<&'static str, usize>,
}

impl Roster {
    fn expected_bad_named(&self) -> BTreeMap<String, usize> {
        self.expected_bad
            .iter()
            .map(|(k, v)| ((*k).to_owned(), *v))
            .collect()
    }
}

#[derive(Debug, Clone)]
struct Servant {
    nik: String,
    nip: String,
    name: String,
    unit: &'static str,
    appointed_on: String,
}

/// SplitMix64: the bench's own deterministic shuffles and picks.
#[derive(Debug)]
struct Mix(u64);

impl Mix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// NIPs unique within one (birth date, sex): serial 001–999, then the appointment month
/// (from March), then the appointment year (birth year + 25, then +22…+30).
fn nip_for(birth: Date, sex: Sex, k: usize) -> Result<(String, Date)> {
    const YEAR_OFFSETS: [i32; 9] = [25, 22, 23, 24, 26, 27, 28, 29, 30];
    let serial = u16::try_from(k % 999 + 1)?;
    let month = u8::try_from((k / 999 + 2) % 12 + 1)?;
    let year = birth.year() + YEAR_OFFSETS[(k / (999 * 12)) % YEAR_OFFSETS.len()];
    let appointed = Date::new(year, month, 1).context("appointment date")?;
    let nip = format_nip(birth, appointed, sex, serial);
    parse_nip(&nip).map_err(|e| anyhow!("generated NIP {nip} is refused: {e}"))?;
    Ok((nip, appointed))
}

/// Makes `rows` adults civil servants with NIPs that agree with their birth date and sex, and
/// builds the roster CSV: 99 % good rows and four kinds of bad rows, shuffled.
async fn make_roster(db: &Db, rows: usize) -> Result<Roster> {
    let bad_each = (rows / 100 / 4).max(1);
    let good = rows - 4 * bad_each;
    // Civil servants: the good rows, plus those whose NIPs the bad-NIK rows carry.
    let servant_count = good + bad_each;
    // Plus people in the registry who are not on BKN's list under the NIP the roster gives.
    let wanted = servant_count + bad_each;
    let h1 = H1;
    let people: Vec<(String, String, String, String)> = sqlx::query_as(&format!(
        "SELECT nik, birth_date, sex, full_name FROM registry_persons \
         WHERE ektp_recorded = 1 AND birth_date BETWEEN '1966-01-01' AND '1995-12-31' \
         ORDER BY {} LIMIT $1",
        h2(h1)
    ))
    .bind(i64::try_from(wanted)?)
    .fetch_all(db.pool())
    .await
    .context("pick civil servants")?;
    ensure!(
        people.len() == wanted,
        "only {} adults to make civil servants of; raise --persons",
        people.len()
    );
    let mut per_group: HashMap<(String, String), usize> = HashMap::new();
    let mut mix = Mix(0x1D_C0_4E_0B);
    let mut servants = Vec::with_capacity(servant_count);
    for (nik, birth, sex, name) in &people[..servant_count] {
        let k = per_group.entry((birth.clone(), sex.clone())).or_default();
        let birth_date: Date = birth
            .parse()
            .map_err(|_| anyhow!("birth date {birth:?} of {nik}"))?;
        let sex_of = if sex == "L" { Sex::Male } else { Sex::Female };
        let (nip, appointed) = nip_for(birth_date, sex_of, *k)?;
        *k += 1;
        servants.push(Servant {
            nik: nik.clone(),
            nip,
            name: name.clone(),
            unit: UNITS[mix.below(UNITS.len())],
            appointed_on: appointed.to_string(),
        });
    }
    let clashing_removed = write_servants(db, &servants).await?;

    // The CSV rows: good ones, then the planted bad ones, shuffled together.
    let mut lines: Vec<String> = servants[..good]
        .iter()
        .map(|s| csv_line(&s.nip, &s.nik, &s.name, s.unit))
        .collect();
    for (i, s) in servants[good..].iter().enumerate() {
        // A NIK one digit short.
        lines.push(csv_line(&s.nip, &s.nik[..15], &s.name, s.unit));
        // The same person again.
        let twin = &servants[mix.below(good)];
        lines.push(csv_line(&twin.nip, &twin.nik, "Nama Ganda", twin.unit));
        // A well-formed NIK nobody has (serial 9000+), with a NIP nobody else uses.
        let unknown = format!("{}{:04}", &s.nik[..12], 9000 + i % 1000);
        lines.push(csv_line(
            &format!("195001011975011{:03}", i % 999 + 1),
            &unknown,
            "Tidak Terdaftar",
            s.unit,
        ));
    }
    for (i, (nik, _, _, name)) in people[servant_count..].iter().enumerate() {
        // In the registry, but BKN has no such NIP for this NIK.
        lines.push(csv_line(
            &format!("195001021975012{:03}", i % 999 + 1),
            nik,
            name,
            UNITS[i % UNITS.len()],
        ));
    }
    for i in (1..lines.len()).rev() {
        lines.swap(i, mix.below(i + 1));
    }
    let mut csv = String::with_capacity(lines.len() * 80 + 32);
    csv.push_str("nip,nik,nama,unit\n");
    for line in &lines {
        csv.push_str(line);
    }
    Ok(Roster {
        csv: Bytes::from(csv),
        data_rows: lines.len(),
        servants: servants.len(),
        clashing_removed,
        expected_bad: BTreeMap::from([
            ("bad-nik", bad_each),
            ("duplicate", bad_each),
            ("not-found", bad_each),
            ("nip-nik-mismatch", bad_each),
        ]),
    })
}

fn csv_line(nip: &str, nik: &str, name: &str, unit: &str) -> String {
    let name = if name.contains([',', '"']) {
        format!("\"{}\"", name.replace('"', "\"\""))
    } else {
        name.to_owned()
    };
    format!("{nip},{nik},{name},{unit}\n")
}

/// Replaces the BKN rows of these people (and any other row holding one of their NIPs) in
/// one transaction, through a scratch table, set-based. Returns the other rows removed.
async fn write_servants(db: &Db, servants: &[Servant]) -> Result<u64> {
    const CHUNK: usize = 100;
    let mut tx = db.pool().begin().await?;
    sqlx::query(
        "CREATE TABLE bench_servants (nik TEXT PRIMARY KEY, nip TEXT NOT NULL UNIQUE, \
         unit TEXT NOT NULL, appointed_on TEXT NOT NULL)",
    )
    .execute(&mut *tx)
    .await
    .context("scratch table")?;
    for chunk in servants.chunks(CHUNK) {
        let values: Vec<String> = (0..chunk.len())
            .map(|i| {
                let p = i * 4;
                format!("(${}, ${}, ${}, ${})", p + 1, p + 2, p + 3, p + 4)
            })
            .collect();
        let sql = format!(
            "INSERT INTO bench_servants (nik, nip, unit, appointed_on) VALUES {}",
            values.join(", ")
        );
        let mut query = sqlx::query(&sql);
        for s in chunk {
            query = query
                .bind(&s.nik)
                .bind(&s.nip)
                .bind(s.unit)
                .bind(&s.appointed_on);
        }
        query.execute(&mut *tx).await.context("scratch rows")?;
    }
    let own = sqlx::query(
        "DELETE FROM registry_civil_servants WHERE nik IN (SELECT nik FROM bench_servants)",
    )
    .execute(&mut *tx)
    .await?;
    let clashing = sqlx::query(
        "DELETE FROM registry_civil_servants WHERE nip IN (SELECT nip FROM bench_servants)",
    )
    .execute(&mut *tx)
    .await?;
    eprintln!(
        "  {} of them were civil servants already (rows replaced)",
        own.rows_affected()
    );
    sqlx::query(
        "INSERT INTO registry_civil_servants (nip, nik, agency, unit, position, rank, status, \
         appointed_on) SELECT nip, nik, 'PEMERINTAH KOTA DEPOK', unit, 'ANALIS KEBIJAKAN', \
         'III/a', 'PNS', appointed_on FROM bench_servants",
    )
    .execute(&mut *tx)
    .await
    .context("civil servants")?;
    sqlx::query("DROP TABLE bench_servants")
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(clashing.rows_affected())
}

// ---------------------------------------------------------------------------------------
// The service in process.

#[derive(Debug)]
struct Client {
    router: Router,
    cookie: String,
}

impl Client {
    async fn start(db: &Db, dir: &std::path::Path) -> Result<Self> {
        let officer_id = officers::add(
            db,
            NewOfficer {
                username: OFFICER_USERNAME.to_owned(),
                full_name: "Admin Uji Dasbor".to_owned(),
                role: OfficerRole::Admin,
                region_code: OFFICER_REGION.to_owned(),
                password: OFFICER_PASSWORD.to_owned(),
            },
        )
        .await
        .context("add officer")?;
        // Its authenticator app (issue 15): the bench knows the secret and computes the code.
        let secret = totp::new_secret();
        second_factor::enrol_totp(db, officer_id, &secret)
            .await
            .context("enrol TOTP")?;
        let state = AppState {
            db: db.clone(),
            config: Arc::new(ServiceConfig::new("https://ikd.bench", dir.join("outbox"))),
            // The bench talks to /api only: no web builds.
            web_dir: dir.join("no-web-build"),
            console_dir: dir.join("no-console-build"),
        };
        let router = app(state);
        let response = router
            .clone()
            .oneshot(
                Request::post("/api/officer/session")
                    .header(header::CONTENT_TYPE, "application/json")
                    .body(Body::from(
                        json!({"username": OFFICER_USERNAME, "password": OFFICER_PASSWORD})
                            .to_string(),
                    ))
                    .context("login request")?,
            )
            .await
            .context("login")?;
        ensure!(
            response.status() == StatusCode::OK,
            "officer login answered {}",
            response.status()
        );
        let step = set_cookie(&response, "__Host-ikd_petugas_langkah")?;
        let code = totp::code_at_step(&secret, totp::step_of(clock::unix_now()));
        let response = router
            .clone()
            .oneshot(
                Request::post("/api/officer/second-factor/totp")
                    .header(header::CONTENT_TYPE, "application/json")
                    .header(header::COOKIE, &step)
                    .body(Body::from(json!({"code": code}).to_string()))
                    .context("second-factor request")?,
            )
            .await
            .context("second factor")?;
        ensure!(
            response.status() == StatusCode::OK,
            "second factor answered {}",
            response.status()
        );
        let cookie = set_cookie(&response, "__Host-ikd_petugas")?;
        Ok(Client { router, cookie })
    }

    /// Sends a request with the officer's cookie and reads the whole answer. `compressed`
    /// asks for a compressed answer, as a browser does; the bench reads only uncompressed ones.
    async fn send(
        &self,
        mut request: Request<Body>,
        compressed: bool,
    ) -> Result<(StatusCode, Bytes)> {
        let headers = request.headers_mut();
        headers.insert(header::COOKIE, self.cookie.parse()?);
        if compressed {
            headers.insert(header::ACCEPT_ENCODING, "gzip, br".parse()?);
        }
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .context("router")?;
        let status = response.status();
        let body = response
            .into_body()
            .collect()
            .await
            .map_err(|e| anyhow!("body: {e}"))?
            .to_bytes();
        Ok((status, body))
    }

    /// A GET without compression, for reading the figures.
    async fn get_json(&self, path: &str) -> Result<Value> {
        let (status, body) = self
            .send(
                Request::get(path).body(Body::empty()).context("request")?,
                false,
            )
            .await?;
        ensure!(
            status == StatusCode::OK,
            "GET {path} answered {status}: {}",
            String::from_utf8_lossy(&body)
        );
        serde_json::from_slice(&body).with_context(|| format!("GET {path}: not JSON"))
    }

    async fn create_drive(&self, run: usize) -> Result<i64> {
        let body = json!({
            "name": format!("Jemput bola IKD Balai Kota Depok (uji {run})"),
            "agency": "PEMERINTAH KOTA DEPOK",
            "units": UNITS,
            "place": "Aula Balai Kota Depok",
            "startsOn": "2026-11-23",
            "endsOn": "2026-11-27",
        });
        let (status, answer) = self
            .send(
                Request::post("/api/drives")
                    .header(header::CONTENT_TYPE, "application/json")
                    .body(Body::from(body.to_string()))
                    .context("drive request")?,
                false,
            )
            .await?;
        if status != StatusCode::CREATED {
            bail!(
                "create drive answered {status}: {}",
                String::from_utf8_lossy(&answer)
            );
        }
        let drive: Value = serde_json::from_slice(&answer).context("drive JSON")?;
        drive["id"].as_i64().context("drive id")
    }

    async fn latency(&self, path: &str, warmup: usize, timed: usize) -> Result<Latency> {
        let mut samples = Vec::with_capacity(timed);
        for i in 0..warmup + timed {
            let started = Instant::now();
            let (status, body) = self
                .send(
                    Request::get(path).body(Body::empty()).context("request")?,
                    true,
                )
                .await?;
            let elapsed = started.elapsed();
            ensure!(
                status == StatusCode::OK,
                "GET {path} answered {status}: {}",
                String::from_utf8_lossy(&body)
            );
            if i >= warmup {
                samples.push(elapsed);
            }
        }
        Ok(Latency::of(samples))
    }
}

#[derive(Debug, Clone)]
struct Latency {
    p50: Duration,
    p95: Duration,
    max: Duration,
}

impl Latency {
    fn of(mut samples: Vec<Duration>) -> Self {
        samples.sort();
        let at = |p: f64| {
            let rank = ((p * samples.len() as f64).ceil() as usize).clamp(1, samples.len());
            samples[rank - 1]
        };
        Latency {
            p50: at(0.50),
            p95: at(0.95),
            max: samples.last().copied().unwrap_or_default(),
        }
    }

    fn summary(&self) -> String {
        format!(
            "p50 {:.1} ms  p95 {:.1} ms  max {:.1} ms",
            ms(self.p50),
            ms(self.p95),
            ms(self.max)
        )
    }

    fn cell(&self) -> String {
        format!(
            "{:.1} / {:.1} / {:.1}",
            ms(self.p50),
            ms(self.p95),
            ms(self.max)
        )
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

// ---------------------------------------------------------------------------------------
// Output.

fn print_table(args: &Args, reports: &[Report]) {
    let mut header = String::from("| Measurement | Target |");
    let mut rule = String::from("|---|---|");
    for report in reports {
        header.push_str(&format!(" {} |", report.backend));
        rule.push_str("---|");
    }
    println!();
    println!(
        "Officer console bench: {} synthetic citizens, roster of {} data rows, in process \
         (tower oneshot, no TCP); latencies p50 / p95 / max over {} requests after {} warm-up.",
        args.persons, args.roster_rows, args.requests, args.warmup
    );
    println!();
    println!("{header}");
    println!("{rule}");
    let row = |name: &str, target: &str, cell: &dyn Fn(&Report) -> String| {
        let mut line = format!("| {name} | {target} |");
        for report in reports {
            line.push_str(&format!(" {} |", cell(report)));
        }
        println!("{line}");
    };
    row("Seed (persons, s)", "", &|r| {
        format!("{} in {:.1} s", r.persons, r.seed_secs)
    });
    row("Adoption rows (set-based insert)", "", &|r| {
        format!("{} in {:.1} s", r.adoption_rows, r.adoption_secs)
    });
    row("Civil servants + CSV build", "", &|r| {
        format!("{:.1} s", r.servants_secs)
    });
    for i in 0..args.import_runs {
        row(
            &format!("Roster import run {} (rows / imported / bad)", i + 1),
            "≤ 10 s",
            &|r| {
                r.imports.get(i).map_or_else(String::new, |run| {
                    format!(
                        "**{:.2} s** ({} / {} / {})",
                        run.secs, run.rows, run.imported, run.bad
                    )
                })
            },
        );
    }
    row("GET /drives/{id}/progress (ms)", "", &|r| r.progress.cell());
    let views: Vec<String> = reports
        .first()
        .map(|r| r.views.iter().map(|(path, _)| path.clone()).collect())
        .unwrap_or_default();
    for (i, path) in views.iter().enumerate() {
        row(&format!("GET {path} (ms)"), "≤ 200 ms", &|r| {
            r.views
                .get(i)
                .map_or_else(String::new, |(_, latency)| latency.cell())
        });
    }
    row(
        "Drive dashboard sums over (drives / roster rows)",
        "",
        &|r| format!("{} / {}", r.drives.0, r.drives.1),
    );
    row(
        "Load average before / after timed phases (2 cores)",
        "",
        &|r| format!("{:.2} / {:.2}", r.load.0, r.load.1),
    );
}

/// `name=value` of a cookie a response set.
fn set_cookie(response: &axum::http::Response<Body>, name: &str) -> Result<String> {
    response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .and_then(|v| v.split(';').next())
        .map(str::to_owned)
        .with_context(|| format!("no {name} cookie"))
}
