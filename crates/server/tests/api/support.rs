//! Test harness: a fresh database per test on the back-end chosen by the environment.
//!
//! - `IKD_TEST_BACKEND=sqlite` (default): a new SQLite file in a temp dir.
//! - `IKD_TEST_BACKEND=postgres` with `IKD_TEST_POSTGRES_URL` pointing at a server: a new
//!   database is created per test, so tests run in parallel without seeing each other.
//!
//! Asking for PostgreSQL without a server is a failure, never a quiet fall-back to SQLite.

use std::path::Path;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, Response};
use http_body_util::BodyExt;
use ikd_core::DatabaseKind;
use ikd_core::claim169::{self, DecodeOptions};
use ikd_core::offline_bundle::{HolderCredentials, QrProfile};
use ikd_server::journey::mail_worker;
use ikd_server::platform::config::ServiceConfig;
use ikd_server::platform::db::{DatabaseUrl, Db};
use ikd_server::platform::key_encryption::KeyEncryptionKey;
use ikd_server::trust::issuer_keyring;
use ikd_server::trust::issuer_keys::IssuerKey;
use ikd_server::{AppState, app};
use tempfile::TempDir;
use tower::ServiceExt;

#[path = "../../examples/shared/fresh_database.rs"]
mod fresh_database;
use fresh_database::FreshDatabase;

#[path = "../../examples/shared/phone_keys.rs"]
mod phone_keys;
pub use phone_keys::PhoneKeys;

pub struct TestApp {
    pub router: Router,
    pub db: Db,
    pub issuer_key: Arc<IssuerKey>,
    pub config: Arc<ServiceConfig>,
    /// Where the default mailer writes `.eml` files.
    pub outbox: std::path::PathBuf,
    /// Holds the SQLite file and the fake web build until the test ends.
    _dir: TempDir,
}

pub fn requested_backend() -> DatabaseKind {
    match std::env::var("IKD_TEST_BACKEND").as_deref() {
        Ok("postgres") => DatabaseKind::Postgres,
        Ok("sqlite") | Err(_) => DatabaseKind::Sqlite,
        Ok(other) => panic!("IKD_TEST_BACKEND={other}: expected sqlite or postgres"),
    }
}

impl TestApp {
    pub async fn new() -> Self {
        Self::with_config(|_| {}).await
    }

    /// A test app whose configuration the test adjusts first (tighter limits, SMTP, …).
    pub async fn with_config(adjust: impl FnOnce(&mut ServiceConfig)) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = match requested_backend() {
            DatabaseKind::Sqlite => DatabaseUrl::sqlite_file(&dir.path().join("test.db")),
            DatabaseKind::Postgres => fresh_postgres_database().await,
        };
        // The key-encryption key lives in memory only: the tests need no key file.
        let db = Db::connect(&url)
            .await
            .expect("connect and migrate")
            .unlock(KeyEncryptionKey::generate())
            .await
            .expect("unlock sealed secrets");
        let web_dir = dir.path().join("dist");
        write_fake_web_build(&web_dir);
        let issuer_key = Arc::new(
            issuer_keyring::ensure_current(&db, None)
                .await
                .expect("issuer key"),
        );
        let outbox = dir.path().join("outbox");
        let mut config = ServiceConfig::new("https://ikd.test", outbox.clone());
        adjust(&mut config);
        let config = Arc::new(config);
        let state = AppState {
            db: db.clone(),
            config: config.clone(),
            web_dir,
            console_dir: dir.path().join("dist-console"),
        };
        TestApp {
            router: app(state),
            db,
            issuer_key,
            config,
            outbox,
            _dir: dir,
        }
    }

    /// The state the router was built on (the metrics router takes it too).
    pub fn state(&self) -> AppState {
        AppState {
            db: self.db.clone(),
            config: self.config.clone(),
            web_dir: self.web_dir(),
            console_dir: self._dir.path().join("dist-console"),
        }
    }

    /// The fake web build's folder, for tests that add files to it.
    pub fn web_dir(&self) -> std::path::PathBuf {
        self._dir.path().join("dist")
    }

    pub async fn get(&self, path: &str) -> Response<Body> {
        self.request(Request::get(path).body(Body::empty()).expect("request"))
            .await
    }

    /// The answer, then one pass of the mail worker, as a running service's worker would
    /// make a moment later: tests read the outbox right after.
    pub async fn request(&self, request: Request<Body>) -> Response<Body> {
        let response = self.answer_only(request).await;
        self.run_mail_worker().await;
        response
    }

    /// The answer alone, with the mail worker not run: what the answer itself did.
    pub async fn answer_only(&self, request: Request<Body>) -> Response<Body> {
        self.router
            .clone()
            .oneshot(request)
            .await
            .expect("router is infallible")
    }

    /// `POST /api/bundle` for the session's phone with its device keys `keys`.
    pub async fn bundle(&self, session: &str, keys: &PhoneKeys) -> Response<Body> {
        self.request(bundle_request(session, keys)).await
    }

    /// One pass of the mail worker.
    pub async fn run_mail_worker(&self) -> mail_worker::Pass {
        mail_worker::run_once(&self.db, &self.config)
            .await
            .expect("mail worker pass")
    }
}

/// The request of `POST /api/bundle` with the public halves of `keys`.
pub fn bundle_request(session: &str, keys: &PhoneKeys) -> Request<Body> {
    crate::fixtures::json_request("POST", "/api/bundle", &keys.body(), Some(session))
}

/// Each credential's `cti` (hex, the id of its row in `credentials` and on the revocation
/// list), in `QrProfile::ALL` order, read without verification.
pub async fn credential_ids(app: &TestApp, credentials: &HolderCredentials) -> Vec<String> {
    let _ = app;
    let options = DecodeOptions::default();
    QrProfile::ALL
        .into_iter()
        .map(|profile| {
            let decoded = claim169::decode(credentials.get(profile), &options).expect("decodes");
            ikd_core::hex::encode(&decoded.meta.cti.expect("cti"))
        })
        .collect()
}

pub async fn body_bytes(response: Response<Body>) -> Vec<u8> {
    response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes()
        .to_vec()
}

pub async fn body_json(response: Response<Body>) -> serde_json::Value {
    let bytes = body_bytes(response).await;
    serde_json::from_slice(&bytes).unwrap_or_else(|e| {
        panic!(
            "body is not JSON ({e}): {}",
            String::from_utf8_lossy(&bytes)
        )
    })
}

/// A database of its own per test on the server `cargo xtask test` started (the shared
/// helper of the benchmarks), so tests run in parallel without seeing each other.
async fn fresh_postgres_database() -> DatabaseUrl {
    let admin_url = std::env::var("IKD_TEST_POSTGRES_URL").expect(
        "IKD_TEST_BACKEND=postgres needs IKD_TEST_POSTGRES_URL (cargo xtask test starts a cluster)",
    );
    FreshDatabase::postgres("ikd_test", &admin_url)
        .await
        .unwrap_or_else(|e| panic!("fresh test database on the PostgreSQL server: {e:#}"))
        .url()
        .clone()
}

/// The inline boot script of the fake build, which the CSP must allow by hash.
pub const BOOT_SCRIPT: &str = "import init from '/ikd-web.js'; await init();";

/// The fake build's other two pages (registration, verifier): title and boot script.
pub const OTHER_PAGES: [(&str, &str, &str); 2] = [
    (
        "daftar.html",
        "IKD Web — Daftar",
        "import init from '/ikd-daftar.js'; await init();",
    ),
    (
        "verifikasi.html",
        "IKD Web — Verifikasi",
        "import init from '/ikd-verifikasi.js'; await init();",
    ),
];

/// A stand-in for Trunk's output: the router tests check how files are served, not the PWA.
fn write_fake_web_build(dir: &Path) {
    std::fs::create_dir_all(dir).expect("dist dir");
    std::fs::write(
        dir.join("index.html"),
        format!(
            "<!doctype html><title>IKD Web</title><script type=\"module\">{BOOT_SCRIPT}</script>"
        ),
    )
    .expect("index");
    for (file, title, script) in OTHER_PAGES {
        std::fs::write(
            dir.join(file),
            format!(
                "<!doctype html><title>{title}</title><script type=\"module\">{script}</script>"
            ),
        )
        .expect("page");
    }
    // The smallest valid wasm module: magic number and version.
    std::fs::write(
        dir.join("ikd-web-0123456789abcdef_bg.wasm"),
        b"\0asm\x01\0\0\0",
    )
    .expect("wasm");
    std::fs::write(
        dir.join("sw.js"),
        "self.addEventListener('fetch', () => {});",
    )
    .expect("sw");
}
