//! Claim 169 issue and verify timed in WebAssembly, as a phone's browser would run them.
//! Core reads no clock, so Node does the timing (see the script in the doc below):
//!
//!   cargo build --release -p ikd-core --example claim169_wasm_bench --target wasm32-unknown-unknown
//!   wasm-bindgen --target nodejs --out-dir target/claim169-wasm-bench \
//!       target/wasm32-unknown-unknown/release/examples/claim169_wasm_bench.wasm
//!   node -e 'const b = require("./target/claim169-wasm-bench/claim169_wasm_bench.js");
//!     const n = 1000; let t = performance.now(); const qr = b.issue_many(n);
//!     const issue = (performance.now() - t) * 1000 / n; t = performance.now();
//!     b.verify_many(qr, n); const verify = (performance.now() - t) * 1000 / n;
//!     t = performance.now(); const shown = b.present_many(n);
//!     const present = (performance.now() - t) * 1000 / n;
//!     console.log({ chars: qr.length, issue_us: issue, verify_us: verify,
//!       shown_chars: shown.length, present_us: present });'
//!
//! The credential is the basic profile (NIK, name, 800-byte photo), unencrypted.

use ikd_core::claim169::{
    Claim169, CwtMeta, DecodeOptions, PhotoFormat, Presentable, PublicKey, TrustList, TrustedKey,
    decode, device_public_key, es256_kid, issue,
};
use p256::ecdsa::SigningKey;
use wasm_bindgen::prelude::wasm_bindgen;

const NOW: i64 = 1_750_000_000;

fn key() -> Option<SigningKey> {
    SigningKey::from_bytes(&[0x5a; 32].into()).ok()
}

fn claim() -> Claim169 {
    let mut photo = vec![0xff, 0xd8, 0xff, 0xe0];
    let mut state = 0x9e37_79b9_u32;
    while photo.len() < 800 {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        photo.push(state.to_le_bytes()[0]);
    }
    Claim169 {
        id: Some("3276014506900002".into()),
        full_name: Some("SITI AMINAH BINTI ABDUL RAHMAN".into()),
        photo: Some(photo),
        photo_format: Some(PhotoFormat::Jpeg),
        ..Claim169::default()
    }
}

/// Issues the credential `n` times; returns the last QR text (empty on failure).
#[wasm_bindgen]
pub fn issue_many(n: u32) -> String {
    let Some(key) = key() else {
        return String::new();
    };
    let kid = es256_kid(key.verifying_key());
    let claim = claim();
    let meta = CwtMeta {
        iss: Some("urn:ikd:dukcapil".into()),
        sub: claim.id.clone(),
        iat: Some(NOW),
        nbf: Some(NOW),
        exp: Some(NOW + 365 * 86_400),
        cti: None,
        cnf: None,
    };
    let mut text = String::new();
    for _ in 0..n {
        text = issue(&claim, &meta, &key, &kid, None).unwrap_or_default();
    }
    text
}

/// What the phone does every 30 s: the credential bound to a device key, read once, then a
/// new QR (countersignature, zlib, Base45) `n` times; returns the last QR text.
#[wasm_bindgen]
pub fn present_many(n: u32) -> String {
    let (Some(key), Ok(device)) = (key(), SigningKey::from_slice(&[0x33; 32])) else {
        return String::new();
    };
    let kid = es256_kid(key.verifying_key());
    let claim = claim();
    let meta = CwtMeta {
        iss: Some("urn:ikd:dukcapil".into()),
        sub: claim.id.clone(),
        iat: Some(NOW),
        exp: Some(NOW + 7 * 86_400),
        cti: Some(vec![1; 16]),
        cnf: Some(device_public_key(&device).to_vec()),
        ..CwtMeta::default()
    };
    let Ok(credential) = issue(&claim, &meta, &key, &kid, None) else {
        return String::new();
    };
    let Ok(presentable) = Presentable::parse(&credential) else {
        return String::new();
    };
    let mut text = String::new();
    for i in 0..n {
        text = presentable
            .present(&device, NOW + i64::from(i))
            .unwrap_or_default();
    }
    text
}

/// Decodes and verifies `text` `n` times; true if every one verified.
#[wasm_bindgen]
pub fn verify_many(text: &str, n: u32) -> bool {
    let Some(key) = key() else {
        return false;
    };
    let trust = TrustList::new().with(TrustedKey::new(PublicKey::Es256(*key.verifying_key())));
    let options = DecodeOptions {
        trust: Some(&trust),
        decrypt_key: None,
        now: NOW,
        check_time: true,
        ..DecodeOptions::default()
    };
    (0..n).all(|_| decode(text, &options).is_ok_and(|decoded| decoded.verified))
}
