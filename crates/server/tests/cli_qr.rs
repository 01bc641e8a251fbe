//! `ikd qr issue | verify`: the command-line contract of issue 3, run against the built binary.

// clippy.toml lets #[test] functions unwrap; the helpers here are test code too, where a
// panic is the failure report.
#![allow(clippy::unwrap_used)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use ikd_core::claim169::{self, MAX_DECOMPRESSED_LEN, encoding};
use serde_json::{Value, json};

fn ikd(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ikd"))
        .args(args)
        .env("IKD_LOG", "off")
        .output()
        .expect("the ikd binary runs")
}

fn ikd_with_stdin(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ikd"))
        .args(args)
        .env("IKD_LOG", "off")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the ikd binary runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

/// The one JSON object on the last line of stdout.
fn last_json_line(output: &Output) -> Value {
    let stdout = String::from_utf8(output.stdout.clone()).expect("stdout is UTF-8");
    let line = stdout.lines().last().expect("stdout has a line");
    serde_json::from_str(line).expect("the last line is JSON")
}

/// A fresh issuer key pair and a claims file, in a temporary folder.
struct Issuer {
    dir: tempfile::TempDir,
    kid: String,
}

impl Issuer {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let output = ikd(&["keygen", "--out", dir.path().to_str().unwrap()]);
        assert_eq!(output.status.code(), Some(0));
        let kid = last_json_line(&output)["kid"].as_str().unwrap().to_owned();
        let claims = json!({
            "id": "3276014506900002",
            "fullName": "SITI AMINAH",
            "dateOfBirth": "19900605",
            "gender": 2,
            "address": "JL. MARGONDA RAYA NO. 100\nRT/RW 001/002\nKEL/DESA PONDOK CINA\nKEC. BEJI\nKOTA DEPOK\nJAWA BARAT",
            "photo": "/9j/4AAQ",
            "photoFormat": 1,
            "religion": "ISLAM",
            "rtRw": "001/002"
        });
        std::fs::write(dir.path().join("claims.json"), claims.to_string()).unwrap();
        Issuer { dir, kid }
    }

    fn path(&self, name: &str) -> String {
        self.dir.path().join(name).to_str().unwrap().to_owned()
    }

    fn issue(&self, extra: &[&str]) -> (String, Value) {
        let key = self.path("issuer.key.pem");
        let claims = self.path("claims.json");
        let mut args = vec!["qr", "issue", "--private-key", &key, "--claims", &claims];
        args.extend_from_slice(extra);
        let output = ikd(&args);
        assert_eq!(output.status.code(), Some(0), "{output:?}");
        let stdout = String::from_utf8(output.stdout.clone()).unwrap();
        let first = stdout.lines().next().unwrap().to_owned();
        (first, last_json_line(&output))
    }

    fn verify(&self, qr: &str, extra: &[&str]) -> Output {
        let key = self.path("issuer.pub.pem");
        let mut args = vec!["qr", "verify", "--public-key", &key];
        args.extend_from_slice(extra);
        args.push(qr);
        ikd(&args)
    }
}

fn vector(name: &str) -> Value {
    let path: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../core/tests/vectors/claim169/valid")
        .join(format!("{name}.json"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn keygen_issue_verify_round_trips_and_exits_0() {
    let issuer = Issuer::new();
    let (qr, issued) = issuer.issue(&[]);
    assert_eq!(issued["qr"], qr.as_str(), "first line is the raw QR text");
    assert_eq!(issued["kid"], issuer.kid.as_str(), "kid is the keygen kid");
    assert_eq!(issued["encrypted"], false);

    let output = issuer.verify(&qr, &[]);
    assert_eq!(output.status.code(), Some(0));
    let answer = last_json_line(&output);
    assert_eq!(answer["valid"], true);
    assert_eq!(answer["verified"], true);
    assert_eq!(answer["kid"], issuer.kid.as_str());
    assert_eq!(answer["alg"], "ES256");
    assert_eq!(answer["claim169"]["id"], "3276014506900002");
    assert_eq!(answer["claim169"]["fullName"], "SITI AMINAH");
    assert_eq!(answer["claim169"]["gender"], 2);
    assert_eq!(answer["claim169"]["photo"], "/9j/4AAQ");
    assert_eq!(answer["claim169"]["religion"], "ISLAM");
    assert_eq!(answer["cwt"]["sub"], "3276014506900002");
    assert_eq!(answer["cwt"]["iss"], "urn:ikd:dukcapil");
    assert_eq!(answer["cwt"]["iat"], issued["iat"]);
    assert_eq!(answer["cwt"]["exp"], issued["exp"]);
    assert_eq!(answer["cwt"]["nbf"], issued["nbf"]);
}

#[test]
fn a_tampered_qr_exits_1_with_an_error_code() {
    let issuer = Issuer::new();
    let (qr, _) = issuer.issue(&[]);
    // Re-pack the same credential with one signature bit flipped.
    let compressed = encoding::base45_decode(&qr).unwrap();
    let mut bytes = encoding::decompress_capped(&compressed, MAX_DECOMPRESSED_LEN).unwrap();
    *bytes.last_mut().unwrap() ^= 1;
    let forged = encoding::base45_encode(&encoding::zlib_compress(&bytes));

    let output = issuer.verify(&forged, &[]);
    assert_eq!(output.status.code(), Some(1));
    let answer = last_json_line(&output);
    assert_eq!(answer["valid"], false);
    assert_eq!(answer["error"], "signature");
    assert!(!answer["message"].as_str().unwrap().is_empty());

    // A character changed in transit breaks the zlib checksum before any signature check.
    let mut garbled = qr.into_bytes();
    garbled[20] = if garbled[20] == b'A' { b'B' } else { b'A' };
    let output = issuer.verify(&String::from_utf8(garbled).unwrap(), &[]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(last_json_line(&output)["valid"], false);
}

#[test]
fn at_after_expiry_says_expired_and_before_issue_says_not_yet_valid() {
    let issuer = Issuer::new();
    let (qr, issued) = issuer.issue(&["--valid-for", "60"]);
    let exp = issued["exp"].as_i64().unwrap();
    let iat = issued["iat"].as_i64().unwrap();
    assert_eq!(exp - iat, 60);

    let after = (exp + 1).to_string();
    let output = issuer.verify(&qr, &["--at", &after]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(last_json_line(&output)["error"], "expired");

    let before = (iat - 1).to_string();
    let output = issuer.verify(&qr, &["--at", &before]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(last_json_line(&output)["error"], "not-yet-valid");
}

#[test]
fn answers_keep_the_documented_key_order() {
    let issuer = Issuer::new();
    let (qr, _) = issuer.issue(&[]);
    let stdout = String::from_utf8(issuer.verify(&qr, &[]).stdout).unwrap();
    assert!(
        stdout.starts_with(r#"{"valid":true,"verified":true,"claim169":{"id":"#),
        "{stdout}"
    );
    let stdout = String::from_utf8(issuer.verify("6bf", &[]).stdout).unwrap();
    assert!(
        stdout.starts_with(r#"{"valid":false,"error":"base45","message":"#),
        "{stdout}"
    );
}

#[test]
fn no_verify_decodes_and_says_unverified() {
    let issuer = Issuer::new();
    let (qr, _) = issuer.issue(&[]);
    let output = ikd(&["qr", "verify", "--no-verify", &qr]);
    assert_eq!(output.status.code(), Some(0));
    let answer = last_json_line(&output);
    assert_eq!(answer["valid"], true);
    assert_eq!(answer["verified"], false);
    assert_eq!(answer["claim169"]["fullName"], "SITI AMINAH");
}

#[test]
fn another_issuers_key_is_an_unknown_key() {
    let issuer = Issuer::new();
    let stranger = Issuer::new();
    let (qr, _) = issuer.issue(&[]);
    let output = stranger.verify(&qr, &[]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(last_json_line(&output)["error"], "unknown-key");
}

#[test]
fn usage_errors_exit_2() {
    // Neither a trusted key nor --no-verify: clap refuses.
    let output = ikd(&["qr", "verify", "6BF"]);
    assert_eq!(output.status.code(), Some(2));
    // --no-verify together with a key contradicts itself.
    let output = ikd(&[
        "qr",
        "verify",
        "--no-verify",
        "--public-key-hex",
        "00",
        "6BF",
    ]);
    assert_eq!(output.status.code(), Some(2));
    // A malformed key is ours to refuse, with a JSON answer.
    let output = ikd(&["qr", "verify", "--public-key-hex", "+f", "6BF"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(last_json_line(&output)["error"], "usage");
    let output = ikd(&["qr", "verify", "--public-key-hex", "0411", "6BF"]);
    assert_eq!(output.status.code(), Some(2));
    // A claims file with a misspelt field is refused, not silently dropped.
    let issuer = Issuer::new();
    std::fs::write(issuer.path("claims.json"), r#"{"fulName":"X"}"#).unwrap();
    let key = issuer.path("issuer.key.pem");
    let claims = issuer.path("claims.json");
    let output = ikd(&["qr", "issue", "--private-key", &key, "--claims", &claims]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(last_json_line(&output)["error"], "usage");
}

#[test]
fn a_dash_reads_the_qr_from_stdin() {
    let issuer = Issuer::new();
    let (qr, _) = issuer.issue(&[]);
    let key = issuer.path("issuer.pub.pem");
    let output = ikd_with_stdin(
        &["qr", "verify", "--public-key", &key, "-"],
        &format!("{qr}\n"),
    );
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert_eq!(last_json_line(&output)["verified"], true);
}

#[test]
fn encrypted_qrs_need_the_decrypt_key() {
    let issuer = Issuer::new();
    let key = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
    let (qr, issued) = issuer.issue(&["--encrypt-key", key]);
    assert_eq!(issued["encrypted"], true);

    let output = issuer.verify(&qr, &["--decrypt-key", key]);
    assert_eq!(output.status.code(), Some(0));
    let answer = last_json_line(&output);
    assert_eq!(answer["verified"], true);
    assert_eq!(answer["encrypted"], true);

    let output = issuer.verify(&qr, &[]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(last_json_line(&output)["error"], "decrypt");
}

#[test]
fn a_conformance_vector_verifies_with_its_es256_key_as_hex() {
    let vector = vector("ecdsa-p256-signed");
    let key = vector["signing_key"]["public_key_hex"].as_str().unwrap();
    let at = vector["expected_cwt_meta"]["issuedAt"].to_string();
    let qr = vector["qr_data"].as_str().unwrap();
    let output = ikd(&["qr", "verify", "--public-key-hex", key, "--at", &at, qr]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let answer = last_json_line(&output);
    assert_eq!(answer["verified"], true);
    assert_eq!(answer["alg"], "ES256");
    assert_eq!(answer["claim169"]["id"], "ID-ECDSA-001");
}

#[test]
fn the_trust_list_may_mix_pem_and_hex_keys_of_both_algorithms() {
    let issuer = Issuer::new();
    let (qr, _) = issuer.issue(&[]);
    let ed25519 = vector("ed25519-signed");
    let ed_key = ed25519["signing_key"]["public_key_hex"].as_str().unwrap();
    let pem = issuer.path("issuer.pub.pem");
    // Each QR checked at a time it is valid: ours now, the vector at its own issue time.
    let now = last_json_line(&ikd(&["qr", "verify", "--no-verify", &qr]))["cwt"]["iat"].to_string();
    let vector_at = ed25519["expected_cwt_meta"]["issuedAt"].to_string();
    for (qr, at) in [
        (qr.as_str(), now),
        (ed25519["qr_data"].as_str().unwrap(), vector_at),
    ] {
        let output = ikd(&[
            "qr",
            "verify",
            "--public-key",
            &pem,
            "--public-key-hex",
            ed_key,
            "--at",
            &at,
            qr,
        ]);
        assert_eq!(output.status.code(), Some(0), "{output:?}");
        assert_eq!(last_json_line(&output)["verified"], true);
    }
}

/// A credential bound to a device key (CWT `cnf`, issue 16), signed with the issuer's key file
/// as the service signs it, and the device key.
fn holder_bound(issuer: &Issuer, now: i64) -> (String, p256::ecdsa::SigningKey) {
    use p256::pkcs8::DecodePrivateKey;
    let pem = std::fs::read_to_string(issuer.path("issuer.key.pem")).unwrap();
    let key = p256::ecdsa::SigningKey::from_pkcs8_pem(&pem).unwrap();
    let device = p256::ecdsa::SigningKey::from_slice(&[7u8; 32]).unwrap();
    let claim = claim169::Claim169 {
        id: Some("3276014506900002".into()),
        full_name: Some("SITI AMINAH".into()),
        ..Default::default()
    };
    let meta = claim169::CwtMeta {
        iss: Some("urn:ikd:dukcapil".into()),
        sub: claim.id.clone(),
        iat: Some(now - 60),
        exp: Some(now + 7 * 86_400),
        nbf: None,
        cti: Some(vec![1; 16]),
        cnf: Some(claim169::device_public_key(&device).to_vec()),
    };
    let kid = claim169::es256_kid(key.verifying_key());
    let text = claim169::issue(&claim, &meta, &key, &kid, None).unwrap();
    (text, device)
}

#[test]
fn a_holder_bound_qr_needs_a_fresh_proof_within_the_tolerance() {
    let issuer = Issuer::new();
    let now = 1_900_000_000;
    let (credential, device) = holder_bound(&issuer, now);
    let shown = claim169::Presentable::parse(&credential)
        .unwrap()
        .present(&device, now)
        .unwrap();
    let at = |t: i64| t.to_string();

    let output = issuer.verify(&shown, &["--at", &at(now + 20)]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let answer = last_json_line(&output);
    assert_eq!(answer["valid"], true);
    assert_eq!(
        answer["holder"],
        json!({"bound": true, "shownAt": now, "shownSecondsAgo": 20})
    );

    // The credential itself, without the phone's proof, is a copy.
    let output = issuer.verify(&credential, &["--at", &at(now)]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(last_json_line(&output)["error"], "not-presented");
    // Older than the tolerance (90 s unless told): a photo of the screen.
    let output = issuer.verify(&shown, &["--at", &at(now + 91)]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(last_json_line(&output)["error"], "stale");
    let output = issuer.verify(&shown, &["--at", &at(now + 200), "--tolerance", "300"]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert_eq!(last_json_line(&output)["holder"]["shownSecondsAgo"], 200);
    let output = issuer.verify(&shown, &["--at", &at(now - 91)]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(last_json_line(&output)["error"], "shown-in-future");
    // A proof by another key.
    let other = p256::ecdsa::SigningKey::from_slice(&[9u8; 32]).unwrap();
    let forged = claim169::Presentable::parse(&credential)
        .unwrap()
        .present(&other, now)
        .unwrap();
    let output = issuer.verify(&forged, &["--at", &at(now)]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(last_json_line(&output)["error"], "holder-proof");

    // A plain Claim 169 QR is valid and says it is not holder-bound.
    let (plain, _) = issuer.issue(&[]);
    let answer = last_json_line(&issuer.verify(&plain, &[]));
    assert_eq!(answer["valid"], true);
    assert_eq!(answer["holder"], json!({"bound": false}));
}

#[test]
fn the_help_says_what_each_verify_argument_is() {
    let output = ikd(&["qr", "verify", "--help"]);
    let help = String::from_utf8(output.stdout).unwrap();
    let line = |name: &str| {
        help.lines()
            .find(|l| l.trim_start().starts_with(name))
            .unwrap_or_else(|| panic!("{name} in {help}"))
            .to_owned()
    };
    assert!(line("<QR_TEXT>").contains("stdin"), "{help}");
    let tolerance = line("--tolerance");
    assert!(tolerance.contains("holder's proof"), "{tolerance}");
    assert!(!tolerance.contains("stdin"), "{tolerance}");
}

/// Issue 17: a full QR the phone encrypted to one institution opens in `ikd qr verify` with
/// the PEM `ikd institution add --qr-key-out` handed that institution, and with no other key.
#[test]
fn an_institution_opens_a_qr_encrypted_to_it_with_its_own_key() {
    let issuer = Issuer::new();
    let data = tempfile::tempdir().unwrap();
    let mut keys = Vec::new();
    for name in ["Bank Contoh", "Klinik Contoh"] {
        let pem = data.path().join(format!("{}.pem", name.replace(' ', "-")));
        let added = ikd(&[
            "institution",
            "add",
            "--name",
            name,
            "--qr-key-out",
            pem.to_str().unwrap(),
            "--data-dir",
            data.path().to_str().unwrap(),
        ]);
        assert_eq!(added.status.code(), Some(0), "{added:?}");
        let answer = last_json_line(&added);
        let public = ikd_core::hex::decode(answer["qrPublicKey"].as_str().unwrap()).unwrap();
        let recipient = claim169::Recipient::from_sec1(&public).unwrap();
        assert_eq!(
            ikd_core::hex::encode(&recipient.kid),
            answer["qrKid"].as_str().unwrap()
        );
        keys.push((pem.to_str().unwrap().to_owned(), recipient));
    }
    let now = 1_900_000_000;
    let (credential, device) = holder_bound(&issuer, now);
    let shown = claim169::Presentable::parse(&credential)
        .unwrap()
        .present_encrypted(&device, now, &keys[0].1, [5; 32], [6; 12])
        .unwrap();
    let at = now.to_string();

    let output = issuer.verify(&shown, &["--at", &at, "--institution-key", &keys[0].0]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let answer = last_json_line(&output);
    assert_eq!(answer["valid"], true);
    assert_eq!(answer["encrypted"], true);
    assert_eq!(answer["holder"]["bound"], true);
    assert_eq!(answer["claim169"]["fullName"], "SITI AMINAH");

    // The clinic's key, or none: refused, naming the key it is for.
    for extra in [vec!["--institution-key", keys[1].0.as_str()], vec![]] {
        let mut args = vec!["--at", at.as_str()];
        args.extend(extra);
        let output = issuer.verify(&shown, &args);
        assert_eq!(output.status.code(), Some(1), "{output:?}");
        let answer = last_json_line(&output);
        assert_eq!(answer["error"], "other-institution");
        assert_eq!(
            answer["encryptedFor"],
            ikd_core::hex::encode(&keys[0].1.kid).as_str()
        );
        assert!(
            answer["messageEn"]
                .as_str()
                .unwrap()
                .contains("another institution")
        );
    }
    // Not a key file: a usage error.
    let output = issuer.verify(&shown, &["--institution-key", &issuer.path("claims.json")]);
    assert_eq!(output.status.code(), Some(2), "{output:?}");
}
