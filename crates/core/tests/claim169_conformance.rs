//! The public Claim 169 conformance vectors (tests/vectors/claim169, see SOURCE.md there):
//! every valid one decodes to its expected fields, signatures verify, encrypted ones decrypt,
//! every invalid one is refused with the matching error, and the edge cases behave.

// clippy.toml lets #[test] functions unwrap; the helpers here are test code too, where a
// panic is the failure report.
#![allow(clippy::unwrap_used)]

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use ikd_core::claim169::{
    DecodeError, DecodeOptions, Decoded, PublicKey, SignatureAlgorithm, TrustList, TrustedKey,
    decode,
};
use serde_json::{Map, Value, json};

/// Every vector we ship. The test fails if one goes missing or an unlisted one appears, so a
/// lost file cannot silently shrink the suite.
const VALID: [&str; 11] = [
    "claim169-example",
    "demographics-full",
    "ecdsa-p256-signed",
    "ed25519-signed",
    "encrypted-aes256",
    "encrypted-signed",
    "minimal",
    "refugee-identity",
    "with-all-biometrics",
    "with-face",
    "with-fingerprints",
];
const INVALID: [&str; 4] = ["bad-base45", "bad-zlib", "missing-169", "not-cose"];
const EDGE: [&str; 3] = ["expired", "not-yet-valid", "unknown-fields"];

fn vectors_dir(category: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/vectors/claim169")
        .join(category)
}

fn load(category: &str, name: &str) -> Value {
    let path = vectors_dir(category).join(format!("{name}.json"));
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let vector: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(vector["name"], name);
    assert_eq!(vector["category"], category);
    vector
}

fn unhex(text: &str) -> Vec<u8> {
    assert!(text.len().is_multiple_of(2), "odd hex length");
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
        .collect()
}

fn qr(vector: &Value) -> &str {
    vector["qr_data"].as_str().unwrap()
}

fn trust_of(vector: &Value) -> Option<(TrustList, SignatureAlgorithm)> {
    let signing = vector.get("signing_key")?;
    let key = PublicKey::from_bytes(&unhex(signing["public_key_hex"].as_str().unwrap())).unwrap();
    let alg = match signing["algorithm"].as_str().unwrap() {
        "ES256" => SignatureAlgorithm::Es256,
        "EdDSA" => SignatureAlgorithm::EdDsa,
        other => panic!("unexpected algorithm {other}"),
    };
    assert_eq!(key.algorithm(), alg);
    Some((TrustList::new().with(TrustedKey::new(key)), alg))
}

fn decrypt_key_of(vector: &Value) -> Option<[u8; 32]> {
    let key = vector.get("encryption_key")?;
    assert_eq!(key["algorithm"], "A256GCM");
    Some(
        unhex(key["symmetric_key_hex"].as_str().unwrap())
            .try_into()
            .unwrap(),
    )
}

fn now() -> i64 {
    let seconds = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    i64::try_from(seconds).unwrap()
}

/// Decodes a vector with its own keys, time checks at `now` or off.
fn decode_vector(vector: &Value, now: Option<i64>) -> Result<Decoded, DecodeError> {
    let trust = trust_of(vector);
    let options = DecodeOptions {
        trust: trust.as_ref().map(|(list, _)| list),
        decrypt_key: decrypt_key_of(vector),
        now: now.unwrap_or(0),
        check_time: now.is_some(),
        ..DecodeOptions::default()
    };
    decode(qr(vector), &options)
}

/// `expected` holds a spot-check subset: every key it has must be in `actual` with a matching
/// value (recursively); lists must match item by item.
fn assert_subset(expected: &Value, actual: &Value, at: &str) {
    match (expected, actual) {
        (Value::Object(want), Value::Object(have)) => {
            for (key, value) in want {
                let got = have
                    .get(key)
                    .unwrap_or_else(|| panic!("{at}.{key} missing in {actual}"));
                assert_subset(value, got, &format!("{at}.{key}"));
            }
        }
        (Value::Array(want), Value::Array(have)) => {
            assert_eq!(want.len(), have.len(), "{at}: list length");
            for (i, (w, h)) in want.iter().zip(have).enumerate() {
                assert_subset(w, h, &format!("{at}[{i}]"));
            }
        }
        _ => assert_eq!(expected, actual, "{at}"),
    }
}

/// The vectors' CWT names mapped to ours; a name the vector leaves out must be absent.
fn assert_meta(vector: &Value, decoded: &Decoded) {
    let expected = vector["expected_cwt_meta"].as_object().unwrap();
    let field = |name: &str| expected.get(name).cloned().unwrap_or(Value::Null);
    let actual = serde_json::to_value(&decoded.meta).unwrap();
    let want = json!({
        "iss": field("issuer"),
        "sub": field("subject"),
        "exp": field("expiresAt"),
        "nbf": field("notBefore"),
        "iat": field("issuedAt"),
    });
    assert_eq!(actual, want, "{}: CWT meta", vector["name"]);
}

/// The vector's expected_claim169, with upstream errata fixed. Each fix first checks the
/// erratum is still there, so a corrected upstream file makes this test say so.
fn corrected_expectation(vector: &Value) -> Value {
    let mut expected = vector["expected_claim169"].clone();
    if vector["name"] == "with-face" {
        // The QR's face data is FF D8 FF E0 00 10 (a JPEG's SOI and APP0 markers, base64
        // "/9j/4AAQ"); the vector's text "//3+4AAQ" is FF FD FE E0 00 10, which no JPEG starts
        // with. The signed bytes are the authority, so we expect what they hold.
        let data = &mut expected["face"][0]["data"];
        assert_eq!(
            *data, "//3+4AAQ",
            "with-face erratum fixed upstream: drop this correction"
        );
        *data = json!("/9j/4AAQ");
    }
    expected
}

fn names_in(category: &str) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(vectors_dir(category))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter_map(|file| file.strip_suffix(".json").map(str::to_owned))
        .collect();
    names.sort();
    names
}

#[test]
fn every_shipped_vector_is_listed_and_present() {
    assert_eq!(names_in("valid"), VALID);
    assert_eq!(names_in("invalid"), INVALID);
    assert_eq!(names_in("edge"), EDGE);
    assert_eq!(VALID.len() + INVALID.len() + EDGE.len(), 18);
}

#[test]
fn valid_vectors_decode_to_their_expected_fields() {
    for name in VALID {
        let vector = load("valid", name);
        // Time checked at the vector's own issue time: valid then, and forever after in CI.
        let issued = vector["expected_cwt_meta"]["issuedAt"].as_i64();
        let decoded = decode_vector(&vector, issued).unwrap_or_else(|e| panic!("{name}: {e}"));
        let claim = serde_json::to_value(&decoded.claim169).unwrap();
        assert_subset(&corrected_expectation(&vector), &claim, name);
        assert_meta(&vector, &decoded);
        assert_eq!(
            decoded.encrypted,
            vector.get("encryption_key").is_some(),
            "{name}"
        );
        match trust_of(&vector) {
            Some((_, alg)) => {
                assert!(decoded.verified, "{name}: signature must verify");
                assert_eq!(decoded.alg, Some(alg), "{name}");
            }
            None => assert!(!decoded.verified, "{name}: decoded without a key"),
        }
    }
}

#[test]
fn signed_vectors_fail_against_a_stranger_key() {
    let stranger = TrustedKey::new(
        PublicKey::from_bytes(&unhex(
            "994c54604862f73d4bce14120b318f720119c6498b59257fb89cbead939ba0f5",
        ))
        .unwrap(),
    );
    let trust = TrustList::new().with(stranger);
    let vector = load("valid", "ed25519-signed");
    let options = DecodeOptions {
        trust: Some(&trust),
        decrypt_key: None,
        now: 0,
        check_time: false,
        ..DecodeOptions::default()
    };
    assert_eq!(decode(qr(&vector), &options), Err(DecodeError::Signature));
    let es256 = load("valid", "ecdsa-p256-signed");
    assert_eq!(decode(qr(&es256), &options), Err(DecodeError::UnknownKey));
}

#[test]
fn encrypted_vectors_need_their_key() {
    for name in ["encrypted-aes256", "encrypted-signed"] {
        let vector = load("valid", name);
        let options = DecodeOptions {
            trust: None,
            decrypt_key: Some([0; 32]),
            now: 0,
            check_time: false,
            ..DecodeOptions::default()
        };
        assert_eq!(
            decode(qr(&vector), &options),
            Err(DecodeError::Decrypt),
            "{name}"
        );
    }
}

#[test]
fn invalid_vectors_are_refused_with_the_matching_error() {
    for name in INVALID {
        let vector = load("invalid", name);
        let expected = match vector["expected_error"].as_str().unwrap() {
            "Base45Decode" => "base45",
            "Decompress" => "decompress",
            "CoseParse" => "cose",
            "Claim169NotFound" => "missing-claim-169",
            other => panic!("{name}: unmapped expected_error {other}"),
        };
        let error = decode_vector(&vector, None).expect_err(name);
        assert_eq!(error.code(), expected, "{name}");
    }
}

#[test]
fn expired_vector_is_refused_now_and_decodes_without_time_checks() {
    let vector = load("edge", "expired");
    assert_eq!(
        decode_vector(&vector, Some(now())),
        Err(DecodeError::Expired)
    );
    let decoded = decode_vector(&vector, None).unwrap();
    assert_subset(
        &vector["expected_claim169"],
        &serde_json::to_value(&decoded.claim169).unwrap(),
        "expired",
    );
    assert_meta(&vector, &decoded);
}

#[test]
fn not_yet_valid_vector_is_refused_now_and_decodes_without_time_checks() {
    let vector = load("edge", "not-yet-valid");
    assert_eq!(
        decode_vector(&vector, Some(now())),
        Err(DecodeError::NotYetValid)
    );
    let decoded = decode_vector(&vector, None).unwrap();
    assert_subset(
        &vector["expected_claim169"],
        &serde_json::to_value(&decoded.claim169).unwrap(),
        "not-yet-valid",
    );
    assert_meta(&vector, &decoded);
}

#[test]
fn unknown_fields_vector_keeps_its_unknown_keys() {
    let vector = load("edge", "unknown-fields");
    let decoded = decode_vector(&vector, None).unwrap();
    let keys: Vec<i64> = decoded.claim169.unknown.keys().copied().collect();
    assert_eq!(keys, [30, 45, 70, 99]);
    let claim = serde_json::to_value(&decoded.claim169).unwrap();
    assert_subset(&vector["expected_claim169"], &claim, "unknown-fields");
    let unknown: &Map<String, Value> = claim["unknown"].as_object().unwrap();
    assert_eq!(unknown.len(), 4);
}
