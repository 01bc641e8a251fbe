//! Keys encrypted at rest (issue 15): the issuer keys and the service secrets are sealed under a
//! key-encryption key (KEK) kept beside the database, never in it. Run against the built binary
//! on SQLite data folders, as an operator would.

// clippy.toml lets #[test] functions unwrap; the helpers here are test code too, where a
// panic is the failure report.
#![allow(clippy::unwrap_used)]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use ikd_server::platform::db::{DatabaseUrl, Db};
use ikd_server::platform::key_encryption::KeyEncryptionKey;
use ikd_server::trust::issuer_keys::IssuerKey;

const KEK_FILE: &str = "kunci-enkripsi.key";
const DB_FILES: [&str; 3] = ["ikd.db", "ikd.db-wal", "ikd.db-shm"];

fn ikd(data_dir: &Path, args: &[&str], kek_env: Option<&str>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_ikd"));
    command
        .args(args)
        .arg("--data-dir")
        .arg(data_dir)
        .env_remove("IKD_DATABASE_URL")
        .env_remove("IKD_KEK_FILE")
        .env("IKD_LOG", "warn");
    match kek_env {
        Some(kek) => command.env("IKD_KEK", kek),
        None => command.env_remove("IKD_KEK"),
    };
    command.output().expect("run ikd")
}

fn last_json_line(output: &Output) -> serde_json::Value {
    let stdout = String::from_utf8_lossy(&output.stdout);
    let line = stdout.lines().last().unwrap_or_else(|| {
        panic!(
            "no line on stdout; stderr: {}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"))
}

fn current_kid(data_dir: &Path) -> String {
    let listed = ikd(data_dir, &["issuer", "list"], None);
    assert!(
        listed.status.success(),
        "{}",
        String::from_utf8_lossy(&listed.stderr)
    );
    let keys = last_json_line(&listed)["keys"].clone();
    let current = keys
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["notAfter"].is_null())
        .expect("a current key");
    current["kid"].as_str().unwrap().to_owned()
}

/// Copies the database's files (the WAL holds what was not yet checkpointed), not the key.
fn copy_database(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for name in DB_FILES {
        if from.join(name).exists() {
            std::fs::copy(from.join(name), to.join(name)).unwrap();
        }
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn serve(data_dir: &Path, port: u16) -> Child {
    Command::new(env!("CARGO_BIN_EXE_ikd"))
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
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
        .expect("start ikd serve")
}

/// `GET path` on a fresh connection, waiting up to 30 s for the service to listen.
fn get_json(port: u16, path: &str) -> serde_json::Value {
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut stream = loop {
        match TcpStream::connect(("127.0.0.1", port)) {
            Ok(stream) => break stream,
            Err(_) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(100)),
            Err(err) => panic!("the service never listened: {err}"),
        }
    };
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    let (head, body) = answer.split_once("\r\n\r\n").expect("an HTTP answer");
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body}"))
}

/// Waits up to 30 s for `child` to exit on its own; its stderr when it did.
fn exits_with_stderr(mut child: Child) -> Option<String> {
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
            return Some(stderr);
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let _ = child.kill();
    let _ = child.wait();
    None
}

async fn open_db(data_dir: &Path) -> Db {
    Db::connect(&DatabaseUrl::sqlite_file(&data_dir.join("ikd.db")))
        .await
        .unwrap()
}

fn kek_of(data_dir: &Path) -> KeyEncryptionKey {
    KeyEncryptionKey::parse_text(&std::fs::read_to_string(data_dir.join(KEK_FILE)).unwrap())
        .expect("the key file holds a key")
}

#[test]
fn a_database_copied_without_its_key_file_cannot_sign_and_says_why_then_serves_the_same_key() {
    let root = tempfile::tempdir().unwrap();
    let original = root.path().join("asal");
    let kid = current_kid(&original);
    assert!(original.join(KEK_FILE).exists());

    let copy = root.path().join("salinan");
    copy_database(&original, &copy);
    let refused = exits_with_stderr(serve(&copy, free_port()))
        .expect("ikd serve refuses to start without the key-encryption key");
    for needed in [
        "tidak dapat menandatangani",
        "cannot sign",
        &copy.join(KEK_FILE).display().to_string(),
        "IKD_KEK",
    ] {
        assert!(refused.contains(needed), "{needed:?} missing in: {refused}");
    }
    assert!(
        !copy.join(KEK_FILE).exists(),
        "a sealed database never gets a new key file"
    );
    // Every other command refuses alike, so nothing runs half-able.
    let rotate = ikd(&copy, &["issuer", "rotate"], None);
    assert!(!rotate.status.success());
    assert!(String::from_utf8_lossy(&rotate.stderr).contains("cannot sign"));

    std::fs::copy(original.join(KEK_FILE), copy.join(KEK_FILE)).unwrap();
    let port = free_port();
    let mut child = serve(&copy, port);
    let health = get_json(port, "/api/health");
    let trust_list = get_json(port, "/api/trust-list");
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(health["issuerKid"], kid.as_str(), "{health}");
    assert!(trust_list.to_string().contains(&kid), "{trust_list}");

    // Rotation still works on the copy, with its key.
    let rotated = ikd(&copy, &["issuer", "rotate", "--grace-days", "3"], None);
    assert!(
        rotated.status.success(),
        "{}",
        String::from_utf8_lossy(&rotated.stderr)
    );
    assert_ne!(last_json_line(&rotated)["kid"], kid.as_str());
}

#[tokio::test]
async fn the_database_holds_only_sealed_secrets_and_the_files_are_private() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let kid = current_kid(&data);
    let added = ikd(&data, &["institution", "add", "--name", "Bank Uji"], None);
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    let added = last_json_line(&added);
    let qr_pem = added["qrPrivateKeyPem"].as_str().unwrap().to_owned();
    let qr_kid = added["qrKid"].as_str().unwrap().to_owned();

    let kek = kek_of(&data);
    let db = open_db(&data).await;
    let (stored_key, public_hex): (String, String) =
        sqlx::query_as("SELECT private_key_sealed, public_key_hex FROM issuer_keys WHERE kid = $1")
            .bind(&kid)
            .fetch_one(db.pool())
            .await
            .unwrap();
    assert!(!stored_key.contains("PRIVATE KEY"), "{stored_key}");
    assert!(stored_key.starts_with("sealed:v1:"), "{stored_key}");
    // What the service signs with is inside, under the KEK, and only there.
    let pem = kek
        .open(&format!("issuer_keys/{kid}"), &stored_key)
        .unwrap();
    let key = IssuerKey::from_pem(std::str::from_utf8(&pem).unwrap()).unwrap();
    assert_eq!(ikd_core::hex::encode(&key.public_key_sec1()), public_hex);

    // The institution's own QR key (issue 17): sealed under the KEK with its row and kid as
    // associated data, never in the clear; no key shared by all institutions is kept.
    let (id, stored_qr): (i64, String) = sqlx::query_as(
        "SELECT id, qr_private_key_sealed FROM institutions WHERE name = 'Bank Uji'",
    )
    .fetch_one(db.pool())
    .await
    .unwrap();
    assert!(
        stored_qr.starts_with("sealed:v1:") && !stored_qr.contains("PRIVATE"),
        "{stored_qr}"
    );
    let opened = kek
        .open(&format!("institutions/{id}/qr-key/{qr_kid}"), &stored_qr)
        .unwrap();
    assert_eq!(std::str::from_utf8(&opened).unwrap(), qr_pem);
    let shared: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM service_secrets WHERE name = 'institution-qr-key'",
    )
    .fetch_one(db.pool())
    .await
    .unwrap();
    assert_eq!(shared, 0);

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |path: &Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&data), 0o700, "the data folder");
        assert_eq!(mode(&data.join(KEK_FILE)), 0o600, "the key file");
        for name in DB_FILES {
            if data.join(name).exists() {
                assert_eq!(mode(&data.join(name)), 0o600, "{name}");
            }
        }
    }
}

#[test]
fn a_wrong_or_malformed_key_is_refused_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    current_kid(&data);
    let claimed = kek_of(&data);

    let other = KeyEncryptionKey::generate();
    let wrong = ikd(&data, &["issuer", "list"], Some(&other.to_text()));
    assert!(!wrong.status.success());
    let message = String::from_utf8_lossy(&wrong.stderr);
    for needed in [
        "bukan kunci yang menyegel",
        "is not the key this database is sealed under",
        other.id(),
        claimed.id(),
    ] {
        assert!(message.contains(needed), "{needed:?} missing in: {message}");
    }

    let malformed = ikd(&data, &["issuer", "list"], Some("not-a-key"));
    assert!(!malformed.status.success());
    assert!(
        String::from_utf8_lossy(&malformed.stderr).contains("is not 32 bytes"),
        "{}",
        String::from_utf8_lossy(&malformed.stderr)
    );

    // The right key given as IKD_KEK (how replicas share it) opens the same database.
    let by_env = ikd(&data, &["issuer", "list"], Some(&claimed.to_text()));
    assert!(
        by_env.status.success(),
        "{}",
        String::from_utf8_lossy(&by_env.stderr)
    );
}

/// A data folder made before sealing existed: the schema up to 0009, a plain PEM issuer key
/// and a hex service secret. The first start seals both and keeps their values.
#[tokio::test]
async fn an_old_plaintext_data_folder_is_sealed_on_first_start_and_keeps_its_keys() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    let old_migrations = dir.path().join("migrations");
    std::fs::create_dir_all(&old_migrations).unwrap();
    let sqlite_migrations = Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations/sqlite");
    for entry in std::fs::read_dir(&sqlite_migrations).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_owned();
        if name.as_str() < "0010" {
            std::fs::copy(&path, old_migrations.join(name)).unwrap();
        }
    }
    let old_key = IssuerKey::generate();
    let old_secret = [7u8; 32];
    {
        let url = format!("sqlite://{}?mode=rwc", data.join("ikd.db").display());
        let pool = sqlx::sqlite::SqlitePoolOptions::new()
            .connect(&url)
            .await
            .unwrap();
        sqlx::migrate::Migrator::new(old_migrations.as_path())
            .await
            .unwrap()
            .run(&pool)
            .await
            .unwrap();
        sqlx::query(
            "INSERT INTO issuer_keys (kid, private_key_pem, public_key_hex, created_at, \
             not_before) VALUES ($1, $2, $3, 1, 1)",
        )
        .bind(old_key.kid().as_str())
        .bind(old_key.to_pem().unwrap())
        .bind(ikd_core::hex::encode(&old_key.public_key_sec1()))
        .execute(&pool)
        .await
        .unwrap();
        sqlx::query(
            "INSERT INTO service_secrets (name, secret_hex, created_at) \
             VALUES ('captcha', $1, 1)",
        )
        .bind(ikd_core::hex::encode(&old_secret))
        .execute(&pool)
        .await
        .unwrap();
        pool.close().await;
    }

    assert_eq!(current_kid(&data), old_key.kid().as_str());
    let kek = kek_of(&data);
    let db = open_db(&data).await;
    let stored_key: String = sqlx::query_scalar("SELECT private_key_sealed FROM issuer_keys")
        .fetch_one(db.pool())
        .await
        .unwrap();
    let stored_secret: String = sqlx::query_scalar("SELECT secret_sealed FROM service_secrets")
        .fetch_one(db.pool())
        .await
        .unwrap();
    assert!(stored_key.starts_with("sealed:v1:"), "{stored_key}");
    assert!(stored_secret.starts_with("sealed:v1:"), "{stored_secret}");
    assert_eq!(
        kek.open("service_secrets/captcha", &stored_secret).unwrap(),
        old_secret
    );
    // A second start finds nothing to seal and changes nothing.
    assert_eq!(current_kid(&data), old_key.kid().as_str());
    let again: String = sqlx::query_scalar("SELECT secret_sealed FROM service_secrets")
        .fetch_one(db.pool())
        .await
        .unwrap();
    assert_eq!(again, stored_secret);
}
