//! Operator commands around the issuing service: `ikd issuer list|rotate`,
//! `ikd institution add|list|disable|rotate-key` and `ikd demo`.

use std::process::{Command, Output};

fn ikd(data_dir: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ikd"))
        .args(args)
        .arg("--data-dir")
        .arg(data_dir)
        .env_remove("IKD_DATABASE_URL")
        .output()
        .expect("run ikd")
}

fn last_json_line(output: &Output) -> serde_json::Value {
    let stdout = String::from_utf8_lossy(&output.stdout);
    let line = stdout.lines().last().expect("a line on stdout");
    serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"))
}

#[test]
fn an_issuer_key_file_is_imported_then_rotated_with_a_grace_period() {
    let dir = tempfile::tempdir().expect("temp dir");
    // An older installation left a PEM key: the key ring starts from it, so credentials it
    // signed keep verifying.
    let made = Command::new(env!("CARGO_BIN_EXE_ikd"))
        .args(["keygen", "--out"])
        .arg(dir.path())
        .output()
        .expect("keygen");
    assert!(made.status.success());
    let file_kid = last_json_line(&made)["kid"]
        .as_str()
        .expect("kid")
        .to_owned();

    let listed = ikd(dir.path(), &["issuer", "list"]);
    assert!(
        listed.status.success(),
        "{}",
        String::from_utf8_lossy(&listed.stderr)
    );
    let keys = last_json_line(&listed)["keys"].clone();
    assert_eq!(keys.as_array().expect("keys").len(), 1);
    assert_eq!(keys[0]["kid"], file_kid.as_str());

    let too_short = ikd(dir.path(), &["issuer", "rotate", "--grace-days", "1"]);
    assert!(!too_short.status.success());
    let rotated = ikd(dir.path(), &["issuer", "rotate", "--grace-days", "3"]);
    assert!(rotated.status.success());
    let new_kid = last_json_line(&rotated)["kid"]
        .as_str()
        .expect("kid")
        .to_owned();
    assert_ne!(new_kid, file_kid);
    let keys = last_json_line(&ikd(dir.path(), &["issuer", "list"]))["keys"].clone();
    assert_eq!(keys.as_array().expect("keys").len(), 2);
    let old = keys
        .as_array()
        .expect("keys")
        .iter()
        .find(|k| k["kid"] == file_kid.as_str())
        .expect("old key");
    let grace = old["notAfter"].as_i64().expect("not after")
        - old["notBefore"].as_i64().expect("not before");
    assert!(grace >= 3 * 86_400, "{grace}");
}

#[test]
fn an_institution_gets_its_keys_once_and_names_are_unique() {
    let dir = tempfile::tempdir().expect("temp dir");
    let added = ikd(dir.path(), &["institution", "add", "--name", "Bank Contoh"]);
    assert!(added.status.success());
    let answer = last_json_line(&added);
    assert!(answer["apiKey"].as_str().expect("key").len() >= 43);
    // Its own QR key: the private half once, as PKCS#8 PEM, and the kid the bundle names.
    let pem = answer["qrPrivateKeyPem"].as_str().expect("PEM");
    assert!(pem.starts_with("-----BEGIN PRIVATE KEY-----"), "{pem}");
    let key = ikd_server::journey::institutions::qr_key_from_pem(pem).expect("a P-256 key");
    assert_eq!(answer["qrKid"], ikd_core::hex::encode(&key.kid).as_str());
    assert_eq!(
        answer["qrPublicKey"],
        ikd_core::hex::encode(&key.public_sec1()).as_str()
    );
    // A second institution gets another key.
    let other = last_json_line(&ikd(
        dir.path(),
        &["institution", "add", "--name", "Klinik Contoh"],
    ));
    assert_ne!(other["qrKid"], answer["qrKid"]);
    let again = ikd(dir.path(), &["institution", "add", "--name", "Bank Contoh"]);
    assert_eq!(again.status.code(), Some(1));
    assert_eq!(last_json_line(&again)["error"], "duplicate");
}

#[test]
fn an_institution_is_listed_rotated_and_switched_off_and_never_shows_its_key() {
    let dir = tempfile::tempdir().expect("temp dir");
    let added = ikd(dir.path(), &["institution", "add", "--name", "Bank Contoh"]);
    assert!(added.status.success());
    let first_key = last_json_line(&added)["apiKey"]
        .as_str()
        .expect("key")
        .to_owned();

    let first_kid = last_json_line(&added)["qrKid"]
        .as_str()
        .expect("kid")
        .to_owned();
    let pem_file = dir.path().join("bank-qr.pem");
    let rotated = ikd(
        dir.path(),
        &[
            "institution",
            "rotate-key",
            "--name",
            "Bank Contoh",
            "--qr-key-out",
            pem_file.to_str().expect("path"),
        ],
    );
    assert!(rotated.status.success());
    let rotated = last_json_line(&rotated);
    let new_key = rotated["apiKey"].as_str().expect("key").to_owned();
    assert!(new_key.len() >= 43 && new_key != first_key);
    // A new QR key too, written to the file (0600) as printed.
    let new_kid = rotated["qrKid"].as_str().expect("kid").to_owned();
    assert_ne!(new_kid, first_kid);
    let written = std::fs::read_to_string(&pem_file).expect("PEM file");
    assert_eq!(written, rotated["qrPrivateKeyPem"].as_str().expect("PEM"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&pem_file)
            .expect("meta")
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(mode, 0o600);
    }

    let listed = ikd(dir.path(), &["institution", "list"]);
    assert!(listed.status.success());
    let list = last_json_line(&listed);
    let one = &list["institutions"][0];
    assert_eq!(one["name"], "Bank Contoh");
    assert!(one["keyRotatedAt"].is_i64(), "{list}");
    assert!(one["disabledAt"].is_null(), "{list}");
    assert_eq!(one["qrKid"], new_kid.as_str(), "{list}");
    let text = String::from_utf8_lossy(&listed.stdout);
    assert!(!text.contains(&new_key) && !text.contains(&first_key));
    assert!(!text.contains("PRIVATE"));

    let disabled = ikd(
        dir.path(),
        &["institution", "disable", "--name", "Bank Contoh"],
    );
    assert!(disabled.status.success());
    assert_eq!(last_json_line(&disabled)["disabled"], true);
    let list = last_json_line(&ikd(dir.path(), &["institution", "list"]));
    assert!(list["institutions"][0]["disabledAt"].is_i64(), "{list}");
    // Once off, it stays off and gets no new key; an unknown name is said so.
    for command in ["disable", "rotate-key"] {
        let again = ikd(
            dir.path(),
            &["institution", command, "--name", "Bank Contoh"],
        );
        assert_eq!(again.status.code(), Some(1));
        assert_eq!(last_json_line(&again)["error"], "disabled");
    }
    let unknown = ikd(
        dir.path(),
        &["institution", "disable", "--name", "Tidak Ada"],
    );
    assert_eq!(unknown.status.code(), Some(1));
    assert_eq!(last_json_line(&unknown)["error"], "unknown");
}

#[test]
fn the_demo_prints_officers_and_registrable_citizens_and_can_run_twice() {
    let dir = tempfile::tempdir().expect("temp dir");
    assert!(
        ikd(dir.path(), &["seed", "--count", "500"])
            .status
            .success()
    );
    for _ in 0..2 {
        let demo = ikd(dir.path(), &["demo", "--citizens", "3"]);
        assert!(
            demo.status.success(),
            "{}",
            String::from_utf8_lossy(&demo.stderr)
        );
        let text = String::from_utf8_lossy(&demo.stdout);
        assert!(text.contains("petugas.depok"), "{text}");
        assert!(text.contains("demo-petugas-2026"));
        let citizens = text
            .lines()
            .filter(|l| l.trim_start().starts_with(|c: char| c.is_ascii_digit()))
            .count();
        assert_eq!(citizens, 3, "{text}");
    }
}

#[tokio::test]
async fn an_issuer_rotation_is_in_the_audit_trail_as_the_operator() {
    let dir = tempfile::tempdir().expect("temp dir");
    let rotated = ikd(dir.path(), &["issuer", "rotate", "--grace-days", "3"]);
    assert!(
        rotated.status.success(),
        "{}",
        String::from_utf8_lossy(&rotated.stderr)
    );
    let kid = last_json_line(&rotated)["kid"]
        .as_str()
        .expect("kid")
        .to_owned();
    let url = ikd_server::platform::db::DatabaseUrl::sqlite_file(&dir.path().join("ikd.db"));
    let db = ikd_server::platform::db::Db::connect(&url)
        .await
        .expect("open");
    let rows: Vec<(Option<i64>, String, String, String, String, String)> = sqlx::query_as(
        "SELECT officer_id, actor, region_code, client_ip, action, subject FROM audit_trail",
    )
    .fetch_all(db.pool())
    .await
    .expect("audit rows");
    assert_eq!(
        rows,
        vec![(
            None,
            "operator".to_owned(),
            String::new(),
            "cli".to_owned(),
            "issuer-key-rotated".to_owned(),
            kid
        )]
    );
}
