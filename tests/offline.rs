//! Browser tests of what makes the app work offline, in real headless Chromium: the
//! PIN-sealed copy in IndexedDB, the lockout after five wrong PINs, and verifying a Claim 169
//! QR in wasm against a trust list and a signed revocation list.

#![cfg(target_arch = "wasm32")]

use ikd_core::claim169::{self, CwtMeta, es256_kid};
use ikd_core::signed::SignedJson;
use ikd_core::trust_documents::{PublishedKey, Revocation, RevocationList, TrustListDocument};
use ikd_web::vault_store::{self, StoreError};
use ikd_web::verifier::{self, Verdict};
use p256::ecdsa::SigningKey;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const NIK: &str = "3276014101900001";
const NOW: i64 = 1_790_000_000;

fn issuer() -> SigningKey {
    SigningKey::from_slice(&[0x42; 32]).expect("a valid scalar")
}

fn kid_hex() -> String {
    ikd_core::hex::encode(&es256_kid(issuer().verifying_key()))
}

fn trust_text() -> String {
    let public = issuer()
        .verifying_key()
        .to_encoded_point(false)
        .as_bytes()
        .to_vec();
    serde_json::to_string(&TrustListDocument {
        issuer: "urn:ikd:test".into(),
        issued_at: NOW,
        keys: vec![PublishedKey {
            kid: kid_hex(),
            alg: "ES256".into(),
            public_key: ikd_core::hex::encode(&public),
            not_before: NOW - 86_400,
            not_after: None,
        }],
    })
    .expect("json")
}

fn signed_text(value: &serde_json::Value) -> String {
    serde_json::to_string(&SignedJson::sign(value, &issuer(), &kid_hex())).expect("json")
}

fn qr(cti: &[u8]) -> String {
    let claim = claim169::Claim169 {
        id: Some(NIK.into()),
        full_name: Some("SITI AMINAH".into()),
        ..Default::default()
    };
    let meta = CwtMeta {
        iss: Some("urn:ikd:test".into()),
        sub: Some(NIK.into()),
        iat: Some(NOW),
        nbf: Some(NOW - 60),
        exp: Some(NOW + 840),
        cti: Some(cti.to_vec()),
    };
    claim169::issue(
        &claim,
        &meta,
        &issuer(),
        &es256_kid(issuer().verifying_key()),
        None,
    )
    .expect("issue")
}

#[wasm_bindgen_test]
async fn the_local_copy_is_sealed_opens_with_the_pin_and_hides_the_nik() {
    let _ = vault_store::wipe().await;
    let signed = signed_text(&serde_json::json!({ "nik": NIK, "name": "SITI AMINAH" }));
    vault_store::seal_bundle(&signed, "482913")
        .await
        .expect("seal");
    assert!(vault_store::has_vault().await);
    // What IndexedDB holds is ciphertext: no NIK, no name.
    let stored = js_stored_vault().await;
    assert!(stored.len() > 100, "{stored}");
    assert!(
        !stored.contains(NIK) && !stored.contains("SITI"),
        "{stored}"
    );
    assert_eq!(vault_store::unlock("482913").await.expect("unlock"), signed);
    // Weak PINs are refused when set.
    assert!(matches!(
        vault_store::seal_bundle(&signed, "123456").await,
        Err(StoreError::Pin(_))
    ));
}

#[wasm_bindgen_test]
async fn five_wrong_pins_wipe_the_copy_and_a_right_one_resets_the_count() {
    let _ = vault_store::wipe().await;
    vault_store::seal_bundle("{\"x\":1}", "482913")
        .await
        .expect("seal");
    assert_eq!(
        vault_store::unlock("000001").await,
        Err(StoreError::WrongPin { remaining: 4 })
    );
    assert_eq!(
        vault_store::unlock("000001").await,
        Err(StoreError::WrongPin { remaining: 3 })
    );
    // A right PIN in between starts the count again.
    assert!(vault_store::unlock("482913").await.is_ok());
    for remaining in (1..=4).rev() {
        assert_eq!(
            vault_store::unlock("000001").await,
            Err(StoreError::WrongPin { remaining })
        );
    }
    assert_eq!(vault_store::unlock("000001").await, Err(StoreError::Wiped));
    assert!(!vault_store::has_vault().await);
    assert_eq!(vault_store::unlock("482913").await, Err(StoreError::Empty));
}

#[wasm_bindgen_test]
fn a_tampered_bundle_is_refused() {
    let signed = signed_text(&serde_json::json!({ "nik": NIK }));
    let tampered = signed.replacen("\"payload\":\"", "\"payload\":\"A", 1);
    assert!(vault_store::verify_bundle(&tampered, &trust_text()).is_err());
}

#[wasm_bindgen_test]
fn qr_verification_in_wasm_checks_signature_time_and_revocation() {
    let mut cti = vec![7u8; 16];
    cti.extend_from_slice(&[0, 1]);
    let text = qr(&cti);
    let trust = trust_text();

    let performance = web_sys::window()
        .and_then(|w| w.performance())
        .expect("performance");
    let rounds = 50;
    let started = performance.now();
    for _ in 0..rounds {
        assert!(matches!(
            verifier::verify(&text, &trust, None, None, NOW),
            Verdict::Valid { .. }
        ));
    }
    let per_qr = (performance.now() - started) / f64::from(rounds);
    web_sys::console::log_1(&format!("QR verification in wasm: {per_qr:.2} ms per QR").into());

    match verifier::verify(&text, &trust, None, None, NOW + 900) {
        Verdict::Invalid { code, .. } => assert_eq!(code, "expired"),
        other => panic!("expected expired, got {other:?}"),
    }
    let mut broken = text.clone();
    broken.replace_range(40..42, if &text[40..42] == "AA" { "BB" } else { "AA" });
    assert!(matches!(
        verifier::verify(&broken, &trust, None, None, NOW),
        Verdict::Invalid { .. }
    ));

    let revoked = signed_text(
        &serde_json::to_value(RevocationList {
            issued_at: NOW,
            entries: vec![Revocation {
                credential_id: ikd_core::hex::encode(&[7u8; 16]),
                revoked_at: NOW,
                reason: "device-replaced".into(),
            }],
        })
        .expect("json"),
    );
    match verifier::verify(&text, &trust, Some(&revoked), None, NOW) {
        Verdict::Invalid {
            code, message_id, ..
        } => {
            assert_eq!(code, "revoked");
            assert!(message_id.contains("dicabut"));
        }
        other => panic!("expected revoked, got {other:?}"),
    }
    // A revocation list not signed by a trusted key is ignored, not believed.
    let forged = serde_json::to_string(&SignedJson::sign(
        &serde_json::json!({"issuedAt": NOW, "entries": []}),
        &SigningKey::from_slice(&[0x11; 32]).expect("scalar"),
        &kid_hex(),
    ))
    .expect("json");
    assert!(matches!(
        verifier::verify(&text, &trust, Some(&forged), None, NOW),
        Verdict::Valid { .. }
    ));
}

/// The vault record as stored, read through the IndexedDB API directly.
async fn js_stored_vault() -> String {
    use wasm_bindgen::JsCast;
    let factory = web_sys::window()
        .expect("window")
        .indexed_db()
        .expect("idb")
        .expect("idb");
    let open = factory.open("ikd-web").expect("open");
    let db = wait(&open)
        .await
        .dyn_into::<web_sys::IdbDatabase>()
        .expect("db");
    let tx = db.transaction_with_str("vault").expect("tx");
    let request = tx
        .object_store("vault")
        .expect("store")
        .get(&"bundle".into())
        .expect("get");
    wait(&request).await.as_string().unwrap_or_default()
}

async fn wait(request: &web_sys::IdbRequest) -> wasm_bindgen::JsValue {
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let done = Closure::once_into_js(move || {
            let _ = resolve.call0(&wasm_bindgen::JsValue::NULL);
        });
        request.set_onsuccess(Some(done.unchecked_ref()));
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
    request.result().expect("result")
}
