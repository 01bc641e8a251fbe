//! Backups that restore (issue 19): `ikd backup` copies the SQLite database while `ikd serve`
//! takes writes, `ikd restore` puts the copy into a fresh data folder, and the service there
//! serves the same citizen's bundle under the same issuer key, once the key-encryption key,
//! which travels apart from the backup, is back. Run against the built binary, as an operator.

// clippy.toml lets #[test] functions unwrap; the helpers here are test code too, where a
// panic is the failure report.
#![allow(clippy::unwrap_used)]

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use ikd_core::claim169::{self, DecodeOptions};
use ikd_core::offline_bundle::{OfflineBundle, QrProfile};
use ikd_core::signed::SignedJson;
use ikd_core::trust_documents::TrustListDocument;
use ikd_server::platform::key_encryption::KeyEncryptionKey;
use serde_json::{Value, json};

#[path = "support/http_journey.rs"]
mod http_journey;
use http_journey::{captcha, free_port, http, newest_code, officer_session, wait_for_listener};

#[path = "../examples/shared/phone_keys.rs"]
mod phone_keys;
use phone_keys::PhoneKeys;

const IKD: &str = env!("CARGO_BIN_EXE_ikd");
const KEK_FILE: &str = "kunci-enkripsi.key";
const PASSWORD: &str = "kuda-lari-di-sawah-42";
const DEVICE: &str = "device-cadangan-0001";

/// `ikd ARGS --data-dir DIR` with no key-encryption key from the environment.
fn ikd(data_dir: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(IKD)
        .args(args)
        .arg("--data-dir")
        .arg(data_dir)
        .env_remove("IKD_DATABASE_URL")
        .env_remove("IKD_KEK_FILE")
        .env_remove("IKD_KEK")
        .env("IKD_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run ikd");
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
    }
    child.wait_with_output().expect("wait for ikd")
}

fn succeeded(output: &Output) -> Value {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    last_json_line(output)
}

fn last_json_line(output: &Output) -> Value {
    let stdout = String::from_utf8_lossy(&output.stdout);
    let line = stdout.lines().last().unwrap_or_else(|| {
        panic!(
            "no line on stdout; stderr: {}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"))
}

/// `ikd serve` on `data_dir`, trusting one proxy hop so the load can come from many addresses
/// (as behind a reverse proxy) instead of meeting the per-address limits of one.
struct Service {
    child: Child,
    port: u16,
}

impl Service {
    fn spawn(data_dir: &Path) -> (Child, u16) {
        let port = free_port();
        let child = Command::new(IKD)
            .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
            .args(["--trusted-proxy-hops", "1"])
            .arg("--data-dir")
            .arg(data_dir)
            .arg("--web-dir")
            .arg(data_dir.join("no-web"))
            .arg("--console-dir")
            .arg(data_dir.join("no-console"))
            .env_remove("IKD_DATABASE_URL")
            .env_remove("IKD_KEK_FILE")
            .env_remove("IKD_KEK")
            .env("IKD_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start ikd serve");
        (child, port)
    }

    fn start(data_dir: &Path) -> Service {
        let (child, port) = Self::spawn(data_dir);
        wait_for_listener(port);
        Service { child, port }
    }
}

impl Drop for Service {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Waits up to 30 s for a refusing `ikd serve` to exit; its stderr.
fn refusal_of(mut child: Child) -> String {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(!status.success(), "a refusal exits non-zero");
            let mut stderr = String::new();
            child
                .stderr
                .take()
                .unwrap()
                .read_to_string(&mut stderr)
                .unwrap();
            return stderr;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("ikd serve started without its key-encryption key");
}

struct Citizen {
    nik: String,
    email: String,
    phone: String,
}

/// Citizens of the seeded registry who may register, in NIK order.
async fn eligible_citizens(data_dir: &Path, count: i64) -> Vec<Citizen> {
    let pool = read_only_pool(&data_dir.join("ikd.db")).await;
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT nik, email, phone FROM registry_persons WHERE ektp_recorded = 1 \
         AND email IS NOT NULL AND phone IS NOT NULL AND birth_date < '2000-01-01' \
         ORDER BY nik LIMIT $1",
    )
    .bind(count)
    .fetch_all(&pool)
    .await
    .unwrap();
    pool.close().await;
    rows.into_iter()
        .map(|(nik, email, phone)| Citizen { nik, email, phone })
        .collect()
}

async fn read_only_pool(file: &Path) -> sqlx::SqlitePool {
    let options = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(file)
        .read_only(true);
    sqlx::sqlite::SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await
        .unwrap()
}

async fn registrations_in(file: &Path) -> i64 {
    let pool = read_only_pool(file).await;
    let count = sqlx::query_scalar("SELECT COUNT(*) FROM registrations")
        .fetch_one(&pool)
        .await
        .unwrap();
    pool.close().await;
    count
}

fn selfie() -> String {
    base64::Engine::encode(
        &base64::engine::general_purpose::STANDARD,
        ikd_server::registry::portrait::portrait_jpeg(5, ikd_core::Sex::Male, 30),
    )
}

/// Registers `citizen` at `desk` from the address `from`; the answer's status.
fn register(port: u16, officer: &str, desk: &Value, citizen: &Citizen, from: &str) -> u16 {
    let token = http(
        port,
        "GET",
        &format!("/api/desks/{}/token", desk["id"]),
        None,
        Some(officer),
        &[],
    )
    .json();
    http(
        port,
        "POST",
        "/api/registrations",
        Some(&json!({
            "nik": citizen.nik, "email": citizen.email, "phone": citizen.phone,
            "selfieJpeg": selfie(), "deskToken": token["qrText"], "captcha": captcha(port),
        })),
        None,
        &[("X-Forwarded-For", from)],
    )
    .status
}

/// Registers, approves and activates `citizen`; the citizen's session cookie.
fn activated(
    service: &Service,
    data_dir: &Path,
    officer: &str,
    desk: &Value,
    c: &Citizen,
) -> String {
    let port = service.port;
    assert_eq!(register(port, officer, desk, c, "10.9.9.9"), 202);
    let queue = http(
        port,
        "GET",
        &format!("/api/desks/{}/queue", desk["id"]),
        None,
        Some(officer),
        &[],
    )
    .json();
    let id = queue[0]["registrationId"].as_str().unwrap().to_owned();
    let decision = http(
        port,
        "POST",
        &format!("/api/officer/registrations/{id}/decision"),
        Some(&json!({"approve": true})),
        Some(officer),
        &[],
    );
    assert_eq!(decision.status, 200, "{}", decision.text());
    let code = newest_code(&[data_dir.join("outbox")], &c.email);
    let activation = http(
        port,
        "POST",
        "/api/activation",
        Some(&json!({
            "nik": c.nik, "code": code, "password": PASSWORD,
            "deviceId": DEVICE, "captcha": captcha(port),
        })),
        None,
        &[],
    );
    assert_eq!(activation.status, 200, "{}", activation.text());
    activation.cookie("__Host-ikd_sesi")
}

/// The citizen's bundle: its signing key id and the person in it, checked against the
/// service's own trust list, and a QR the phone makes from it verifies with that list.
fn bundle(port: u16, session: &str) -> (String, OfflineBundle) {
    let phone = PhoneKeys::random();
    let answer = http(
        port,
        "POST",
        "/api/bundle",
        Some(&phone.body()),
        Some(session),
        &[],
    );
    assert_eq!(answer.status, 200, "{}", answer.text());
    let signed: SignedJson = serde_json::from_value(answer.json()).unwrap();
    let trust: TrustListDocument =
        serde_json::from_value(http(port, "GET", "/api/trust-list", None, None, &[]).json())
            .unwrap();
    let trust = trust.to_trust_list().unwrap();
    let opened: OfflineBundle = signed
        .verify(&trust, None)
        .expect("signed by a key on the trust list");
    let now = ikd_server::platform::clock::unix_now();
    let qr = phone.present(&opened.credentials, QrProfile::Full, now);
    let options = DecodeOptions {
        trust: Some(&trust),
        now,
        check_time: true,
        ..DecodeOptions::default()
    };
    claim169::decode(&qr, &options).expect("the phone's QR verifies");
    (signed.kid, opened)
}

/// What the load has done so far, read while it runs.
#[derive(Default)]
struct Progress {
    stop: AtomicBool,
    /// Registrations accepted (202): a row with its selfie, counters, a queue entry.
    accepted: AtomicU64,
    /// Requests answered, accepted or refused; each wrote at least its rate-limit row.
    answered: AtomicU64,
}

/// Writes until `progress.stop`, from two threads: real registrations (each its captcha
/// solved, as a phone does) and, in a tight loop, registrations refused for their format after
/// the per-address counter was charged. Every request comes from a new address, so each
/// writes its own rate-limit row and none is turned away by the limit of one address.
fn load(
    port: u16,
    officer: String,
    desk: Value,
    citizens: Vec<Citizen>,
    progress: Arc<Progress>,
) -> Vec<std::thread::JoinHandle<()>> {
    let registering = {
        let progress = progress.clone();
        std::thread::spawn(move || {
            for (round, citizen) in citizens.iter().cycle().enumerate() {
                if progress.stop.load(Ordering::SeqCst) {
                    break;
                }
                let from = format!(
                    "10.{}.{}.{}",
                    round / 65_536 % 256,
                    round / 256 % 256,
                    round % 256
                );
                if register(port, &officer, &desk, citizen, &from) == 202 {
                    progress.accepted.fetch_add(1, Ordering::SeqCst);
                }
                progress.answered.fetch_add(1, Ordering::SeqCst);
            }
        })
    };
    let refused = std::thread::spawn(move || {
        for round in 0u64.. {
            if progress.stop.load(Ordering::SeqCst) {
                break;
            }
            let from = format!("172.16.{}.{}", round / 256 % 256, round % 256);
            let answer = http(
                port,
                "POST",
                "/api/registrations",
                Some(&json!({"nik": "123", "email": "x", "phone": "x",
                    "selfieJpeg": "", "deskToken": "x", "captcha": {"algorithm": "SHA-256", "challenge": "x",
                        "number": 0, "salt": "x", "signature": "x"}})),
                None,
                &[("X-Forwarded-For", &from)],
            );
            assert_eq!(answer.status, 422, "{}", answer.text());
            progress.answered.fetch_add(1, Ordering::SeqCst);
        }
    });
    vec![registering, refused]
}

fn wait_until(what: &str, done: impl Fn() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(120);
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_under_load_restores_elsewhere_and_serves_the_same_citizen_and_key() {
    let root = tempfile::tempdir().unwrap();
    let original = root.path().join("asal");
    succeeded(&ikd(&original, &["seed", "--count", "300"], None));
    succeeded(&ikd(
        &original,
        &[
            "officer",
            "add",
            "--username",
            "rina",
            "--name",
            "Rina",
            "--role",
            "officer",
            "--region",
            "32.76",
            "--password-stdin",
        ],
        Some("loket-depok-2026\n"),
    ));
    let mut citizens = eligible_citizens(&original, 40).await;
    assert!(citizens.len() >= 10, "too few eligible citizens");
    let citizen = citizens.remove(0);
    let kek =
        KeyEncryptionKey::parse_text(&std::fs::read_to_string(original.join(KEK_FILE)).unwrap())
            .unwrap();

    let service = Service::start(&original);
    let officer = officer_session(service.port, "rina", "loket-depok-2026");
    let desk = http(
        service.port,
        "POST",
        "/api/desks",
        Some(&json!({"kind": "desk", "label": "Loket 1"})),
        Some(&officer),
        &[],
    )
    .json();
    let session = activated(&service, &original, &officer, &desk, &citizen);
    let (kid, before) = bundle(service.port, &session);
    assert_eq!(before.ktp.nik, citizen.nik);

    // Load first, then the backup in the middle of it.
    let progress = Arc::new(Progress::default());
    let writers = load(
        service.port,
        officer.clone(),
        desk.clone(),
        citizens,
        progress.clone(),
    );
    let accepted = || progress.accepted.load(Ordering::SeqCst);
    let answered = || progress.answered.load(Ordering::SeqCst);
    wait_until("the load to write", || accepted() >= 3);
    let rows_before = registrations_in(&original.join("ikd.db")).await;
    let backup_file = root.path().join("cadangan.db");
    let (started, answered_before) = (Instant::now(), answered());
    let backed_up = ikd(
        &original,
        &["backup", "--out", backup_file.to_str().unwrap()],
        None,
    );
    let (backup_took, answered_during) = (started.elapsed(), answered() - answered_before);
    let accepted_at_backup = accepted();
    let backup = succeeded(&backed_up);
    // The load goes on after the backup, so it was taken in the middle of writes.
    wait_until("more writes after the backup", || {
        accepted() >= accepted_at_backup + 2
    });
    progress.stop.store(true, Ordering::SeqCst);
    for writer in writers {
        writer.join().unwrap();
    }
    let rows_after = registrations_in(&original.join("ikd.db")).await;
    drop(service);
    eprintln!(
        "backup under load: {backup_took:?} for the command, {}s inside it, {} bytes; \
         {answered_during} load requests answered meanwhile, {} in all; registrations \
         {rows_before} before and {rows_after} after",
        backup["seconds"],
        backup["bytes"],
        answered()
    );

    assert_eq!(backup["integrity"], "ok", "{backup}");
    assert_eq!(backup["currentIssuerKid"], kid.as_str(), "{backup}");
    assert_eq!(backup["kekId"], kek.id(), "{backup}");
    assert_eq!(
        backup["bytes"],
        std::fs::metadata(&backup_file).unwrap().len()
    );
    let reminder = backup["peringatan"].as_str().unwrap();
    assert!(reminder.contains("TIDAK ada di cadangan"), "{reminder}");
    assert!(
        backup["warning"]
            .as_str()
            .unwrap()
            .contains("NOT in this backup")
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&backup_file)
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "the backup is private");
    }
    // One snapshot: every registration committed before the backup, none after it ended.
    let rows_in_backup = registrations_in(&backup_file).await;
    assert!(
        (rows_before..=rows_after).contains(&rows_in_backup),
        "{rows_before} ≤ {rows_in_backup} ≤ {rows_after}"
    );

    // Restored without the key: it says which key and how, and the service refuses to sign.
    let restored = root.path().join("pulih");
    let from = backup_file.to_str().unwrap();
    let without_key = ikd(&restored, &["restore", "--from", from], None);
    assert!(!without_key.status.success(), "no KEK: not ready to serve");
    let report = last_json_line(&without_key);
    assert_eq!(report["kek"], "missing", "{report}");
    assert_eq!(report["kekId"], kek.id(), "{report}");
    let stderr = String::from_utf8_lossy(&without_key.stderr);
    for needed in ["IKD_KEK", KEK_FILE, kek.id(), "cannot sign"] {
        assert!(stderr.contains(needed), "{needed:?} missing in: {stderr}");
    }
    assert!(!restored.join(KEK_FILE).exists(), "never a new key");
    let refused = refusal_of(Service::spawn(&restored).0);
    assert!(refused.contains("cannot sign"), "{refused}");
    assert!(!restored.join(KEK_FILE).exists(), "never a new key");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&restored), 0o700, "the data folder");
        assert_eq!(mode(&restored.join("ikd.db")), 0o600, "the database");
    }

    // The key travels apart; once back, the restore reports it and the issuer key it opens.
    std::fs::copy(original.join(KEK_FILE), restored.join(KEK_FILE)).unwrap();
    let with_key = succeeded(&ikd(
        &restored,
        &["restore", "--from", from, "--replace"],
        None,
    ));
    assert_eq!(with_key["kek"], "ok", "{with_key}");
    assert_eq!(with_key["issuerKid"], kid.as_str(), "{with_key}");

    let service = Service::start(&restored);
    let login = http(
        service.port,
        "POST",
        "/api/session",
        Some(&json!({"identifier": citizen.nik, "password": PASSWORD, "deviceId": DEVICE})),
        None,
        &[],
    );
    assert_eq!(login.status, 200, "{}", login.text());
    let (restored_kid, after) = bundle(service.port, &login.cookie("__Host-ikd_sesi"));
    assert_eq!(restored_kid, kid, "the same issuer key signs");
    assert_eq!(after.ktp.nik, citizen.nik, "the same person");
    assert_eq!(after.ktp.full_name, before.ktp.full_name);
}

#[test]
fn backup_never_overwrites_a_file_and_restore_never_overwrites_data() {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("data");
    succeeded(&ikd(&data, &["issuer", "list"], None));

    let taken = root.path().join("ada.db");
    std::fs::write(&taken, b"jangan ditimpa").unwrap();
    let refused = ikd(&data, &["backup", "--out", taken.to_str().unwrap()], None);
    assert!(!refused.status.success());
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("already exists"),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
    assert_eq!(std::fs::read(&taken).unwrap(), b"jangan ditimpa");

    let backup = root.path().join("cadangan.db");
    succeeded(&ikd(
        &data,
        &["backup", "--out", backup.to_str().unwrap()],
        None,
    ));
    let before = std::fs::read(data.join("ikd.db")).unwrap();
    let onto_data = ikd(
        &data,
        &["restore", "--from", backup.to_str().unwrap()],
        None,
    );
    assert!(!onto_data.status.success());
    let message = String::from_utf8_lossy(&onto_data.stderr);
    assert!(message.contains("--replace"), "{message}");
    assert!(message.contains("already holds data"), "{message}");
    assert_eq!(std::fs::read(data.join("ikd.db")).unwrap(), before);

    // Another data folder's key is named as the wrong one, beside the one the backup needs.
    let elsewhere = root.path().join("lain");
    std::fs::create_dir_all(&elsewhere).unwrap();
    let other = KeyEncryptionKey::generate();
    std::fs::write(elsewhere.join(KEK_FILE), other.to_text()).unwrap();
    let wrong = ikd(
        &elsewhere,
        &["restore", "--from", backup.to_str().unwrap()],
        None,
    );
    assert!(!wrong.status.success());
    let report = last_json_line(&wrong);
    assert_eq!(report["kek"], "wrong", "{report}");
    let message = report["message"].as_str().unwrap();
    let needed =
        KeyEncryptionKey::parse_text(&std::fs::read_to_string(data.join(KEK_FILE)).unwrap())
            .unwrap();
    assert!(
        message.contains(other.id()) && message.contains(needed.id()),
        "{message}"
    );

    // PostgreSQL has its own tools; both commands say so before connecting anywhere.
    let postgres = ["--database-url", "postgres://ikd@127.0.0.1:1/ikd"];
    for command in [["backup", "--out"], ["restore", "--from"]] {
        let mut args = command.to_vec();
        args.push(backup.to_str().unwrap());
        args.extend(postgres);
        let refused = ikd(&data, &args, None);
        assert!(!refused.status.success());
        let message = String::from_utf8_lossy(&refused.stderr);
        assert!(
            message.contains("pg_dump -Fc") && message.contains("README"),
            "{message}"
        );
    }

    // Something that is not a database is refused before a target is touched.
    let fresh: PathBuf = root.path().join("baru");
    let garbage = ikd(
        &fresh,
        &["restore", "--from", taken.to_str().unwrap()],
        None,
    );
    assert!(!garbage.status.success());
    assert!(!fresh.join("ikd.db").exists());
}
