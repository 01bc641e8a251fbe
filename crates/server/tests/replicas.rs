//! Two `ikd serve` processes on one database complete one citizen's journey, each step on
//! the other replica from the step before: nothing a request needs may live in a process.
//! With `IKD_TEST_BACKEND=postgres` (the PostgreSQL pass of `cargo xtask test`) they share a
//! PostgreSQL database, as replicas do in production; otherwise they share one SQLite file.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use ikd_core::claim169::{self, DecodeOptions};
use ikd_core::offline_bundle::{OfflineBundle, QrProfile};
use ikd_core::signed::SignedJson;
use ikd_core::trust_documents::{RevocationList, TrustListDocument};
use serde_json::{Value, json};

#[path = "support/http_journey.rs"]
mod http_journey;
use http_journey::{Answer, free_port, newest_code, wait_for_listener};

#[path = "../examples/shared/fresh_database.rs"]
mod fresh_database;
use fresh_database::FreshDatabase;

#[path = "../examples/shared/phone_keys.rs"]
mod phone_keys;
use phone_keys::PhoneKeys;

const IKD: &str = env!("CARGO_BIN_EXE_ikd");

struct Replica {
    child: Child,
    port: u16,
    data_dir: PathBuf,
}

impl Drop for Replica {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The key-encryption key both replicas are configured with (`IKD_KEK`): they have separate
/// data folders but one database, whose sealed secrets both must open.
const REPLICA_KEK: &str = "3f1c5a7e9b2d4f608a1c3e5f7092b4d6e8f0a2c4e6081a3c5e7f9b1d3f5a7c9e";

fn start(data_dir: &Path, database_url: &str, web_dir: &Path) -> Replica {
    let port = free_port();
    let child = Command::new(IKD)
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .arg("--data-dir")
        .arg(data_dir)
        .args(["--database-url", database_url])
        .arg("--web-dir")
        .arg(web_dir)
        .env("IKD_LOG", "warn")
        .env("IKD_KEK", REPLICA_KEK)
        .stdout(Stdio::null())
        .spawn()
        .expect("start ikd serve");
    let replica = Replica {
        child,
        port,
        data_dir: data_dir.to_owned(),
    };
    wait_for_listener(port);
    replica
}

fn ikd(args: &[&str], database_url: &str, data_dir: &Path, stdin: Option<&str>) -> String {
    let mut child = Command::new(IKD)
        .args(args)
        .arg("--data-dir")
        .arg(data_dir)
        .args(["--database-url", database_url])
        .env("IKD_KEK", REPLICA_KEK)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("run ikd");
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(input.as_bytes())
            .expect("write stdin");
    }
    let output = child.wait_with_output().expect("wait");
    assert!(output.status.success(), "ikd {args:?} failed");
    String::from_utf8_lossy(&output.stdout).to_string()
}

async fn database_url(dir: &Path) -> String {
    let database = match std::env::var("IKD_TEST_BACKEND").as_deref() {
        Ok("postgres") => {
            let admin = std::env::var("IKD_TEST_POSTGRES_URL").expect("IKD_TEST_POSTGRES_URL");
            FreshDatabase::postgres("ikd_replicas", &admin)
                .await
                .unwrap_or_else(|e| panic!("fresh database on the PostgreSQL server: {e:#}"))
        }
        _ => FreshDatabase::sqlite(dir, "shared.db"),
    };
    database.url().as_str().to_owned()
}

/// One request to `replica` (the shared client, without extra headers).
fn http(
    replica: &Replica,
    method: &str,
    path: &str,
    body: Option<&Value>,
    cookie: Option<&str>,
) -> Answer {
    http_journey::http(replica.port, method, path, body, cookie, &[])
}

fn captcha(replica: &Replica) -> Value {
    http_journey::captcha(replica.port)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_replicas_share_one_journey() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = database_url(dir.path()).await;
    let (dir_a, dir_b, web) = (
        dir.path().join("a"),
        dir.path().join("b"),
        dir.path().join("dist"),
    );
    std::fs::create_dir_all(&web).expect("web dir");
    std::fs::write(web.join("index.html"), "<!doctype html><title>IKD</title>").expect("index");

    ikd(&["seed", "--count", "300"], &url, &dir_a, None);
    ikd(
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
        &url,
        &dir_a,
        Some("loket-depok-2026\n"),
    );
    let a = start(&dir_a, &url, &web);
    let b = start(&dir_b, &url, &web);
    let health_a = http(&a, "GET", "/api/health", None, None).json();
    let health_b = http(&b, "GET", "/api/health", None, None).json();
    assert_eq!(
        health_a["issuerKid"], health_b["issuerKid"],
        "one signing key for both"
    );

    let (nik, email, phone): (String, String, String) = {
        let db = ikd_server::platform::db::Db::connect(&url.parse().expect("url"))
            .await
            .expect("db");
        sqlx::query_as(
            "SELECT nik, email, phone FROM registry_persons WHERE ektp_recorded = 1 AND email IS NOT NULL \
             AND phone IS NOT NULL AND birth_date < '2000-01-01' ORDER BY nik LIMIT 1",
        )
        .fetch_one(db.pool())
        .await
        .expect("eligible citizen")
    };

    // Officer logs in on A; the desk token comes from B; registration goes to A with a
    // captcha issued by B.
    let login = http(
        &a,
        "POST",
        "/api/officer/session",
        Some(&json!({"username": "rina", "password": "loket-depok-2026"})),
        None,
    );
    assert_eq!(login.status, 200);
    assert_eq!(
        login.json()["mustEnrol"],
        true,
        "a new officer enrols a second factor"
    );
    // The login step lives in the database: enrolled through B, confirmed on A.
    let step = login.cookie("__Host-ikd_petugas_langkah");
    let enrolment = http(
        &b,
        "POST",
        "/api/officer/second-factor/totp-enrolment",
        None,
        Some(&step),
    )
    .json();
    let secret = data_encoding::BASE32_NOPAD
        .decode(enrolment["secret"].as_str().expect("secret").as_bytes())
        .expect("base32");
    let code = ikd_server::platform::totp::code_at_step(
        &secret,
        ikd_server::platform::totp::step_of(ikd_server::platform::clock::unix_now()),
    );
    let second = http(
        &a,
        "POST",
        "/api/officer/second-factor/totp",
        Some(&json!({"code": code})),
        Some(&step),
    );
    assert_eq!(
        second.status,
        200,
        "{}",
        String::from_utf8_lossy(&second.body)
    );
    assert_eq!(
        second.json()["recoveryCodes"].as_array().map(Vec::len),
        Some(10)
    );
    let officer = second.cookie("__Host-ikd_petugas");
    let desk = http(
        &a,
        "POST",
        "/api/desks",
        Some(&json!({"kind": "desk", "label": "Loket 1"})),
        Some(&officer),
    )
    .json();
    let token = http(
        &b,
        "GET",
        &format!("/api/desks/{}/token", desk["id"]),
        None,
        Some(&officer),
    )
    .json();
    let selfie = base64::Engine::encode(
        &base64::engine::general_purpose::STANDARD,
        ikd_server::registry::portrait::portrait_jpeg(5, ikd_core::Sex::Male, 30),
    );
    let registration = http(
        &a,
        "POST",
        "/api/registrations",
        Some(&json!({
            "nik": nik, "email": email, "phone": phone, "selfieJpeg": selfie,
            "deskToken": token["qrText"], "captcha": captcha(&b),
        })),
        None,
    );
    assert_eq!(
        registration.status,
        202,
        "{}",
        String::from_utf8_lossy(&registration.body)
    );
    let id = registration.json()["registrationId"]
        .as_str()
        .expect("id")
        .to_owned();

    // B's queue shows it; B approves; the code activates on A.
    let queue = http(
        &b,
        "GET",
        &format!("/api/desks/{}/queue", desk["id"]),
        None,
        Some(&officer),
    )
    .json();
    assert_eq!(queue[0]["registrationId"], id.as_str());
    let decision = http(
        &b,
        "POST",
        &format!("/api/officer/registrations/{id}/decision"),
        Some(&json!({"approve": true})),
        Some(&officer),
    );
    assert_eq!(decision.status, 200);
    let code = newest_code(
        &[a.data_dir.join("outbox"), b.data_dir.join("outbox")],
        &email,
    );
    let activation = http(
        &a,
        "POST",
        "/api/activation",
        Some(&json!({
            "nik": nik, "code": code, "password": "kuda-lari-di-sawah-42",
            "deviceId": "device-aaaaaaaaaaaa", "captcha": captcha(&a),
        })),
        None,
    );
    assert_eq!(
        activation.status,
        200,
        "{}",
        String::from_utf8_lossy(&activation.body)
    );
    let session = activation.cookie("__Host-ikd_sesi");

    // The bundle from B verifies against A's trust list.
    let phone = PhoneKeys::random();
    let bundle: SignedJson = serde_json::from_value(
        http(
            &b,
            "POST",
            "/api/bundle",
            Some(&phone.body()),
            Some(&session),
        )
        .json(),
    )
    .expect("signed");
    let trust: TrustListDocument =
        serde_json::from_value(http(&a, "GET", "/api/trust-list", None, None).json())
            .expect("trust");
    let trust = trust.to_trust_list().expect("keys");
    let bundle: OfflineBundle = bundle
        .verify(&trust, None)
        .expect("signed by the shared key");
    assert_eq!(bundle.ktp.nik, nik);

    // Logging out on A revokes, and B's signed revocation list says so.
    let logout = http(&a, "DELETE", "/api/session", None, Some(&session));
    assert_eq!(logout.status, 204);
    assert_eq!(
        http(&b, "GET", "/api/session", None, Some(&session)).status,
        401
    );
    let revocations: SignedJson =
        serde_json::from_value(http(&b, "GET", "/api/revocations", None, None).json())
            .expect("signed");
    let list: RevocationList = revocations.verify(&trust, None).expect("signed list");
    assert_eq!(list.entries.len(), 4, "the refresh's four credentials");
    for profile in [QrProfile::Full, QrProfile::Basic, QrProfile::Age] {
        let cti = claim169::decode(bundle.credentials.get(profile), &DecodeOptions::default())
            .expect("decodes")
            .meta
            .cti
            .expect("cti");
        assert!(list.revokes(&cti), "{profile:?}");
    }
}
