//! Browser tests of what makes the app work offline, in real headless Chromium: the
//! PIN-sealed copy (bundle and device keys) in IndexedDB, the lockout after five wrong PINs,
//! a copy from the previous release, the sealed presentation log, making a holder-bound QR
//! on the phone and verifying Claim 169 QRs in wasm against a trust list and a signed
//! revocation list.

#![cfg(target_arch = "wasm32")]

use ikd_core::claim169::{self, CwtMeta, HolderBinding, Presentable, es256_kid};
use ikd_core::offline_bundle::QrProfile;
use ikd_core::qr_verdict::Gap;
use ikd_core::signed::SignedJson;
use ikd_core::trust_documents::{PublishedKey, Revocation, RevocationList, TrustListDocument};
use ikd_web::phone_keys::{PhoneKeys, VaultContents};
use ikd_web::presentations::{self, Presentation};
use ikd_web::vault_store::{self, StoreError};
use ikd_web::verifier::{self, Verdict};
use p256::ecdsa::SigningKey;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const NIK: &str = "3276014101900001";
const NOW: i64 = 1_790_000_000;
/// The profile (one person on the browser) these tests seal for.
const ME: &str = "0123456789abcdef";

async fn is_stored(profile: &str) -> bool {
    vault_store::profiles()
        .await
        .iter()
        .any(|p| p.id == profile)
}

fn issuer() -> SigningKey {
    SigningKey::from_slice(&[0x42; 32]).expect("a valid scalar")
}

fn kid_hex() -> String {
    ikd_core::hex::encode(&es256_kid(issuer().verifying_key()))
}

fn trust_text() -> String {
    trust_text_at(NOW)
}

fn trust_text_at(issued_at: i64) -> String {
    let public = issuer()
        .verifying_key()
        .to_encoded_point(false)
        .as_bytes()
        .to_vec();
    serde_json::to_string(&TrustListDocument {
        issuer: "urn:ikd:test".into(),
        issued_at,
        keys: vec![PublishedKey {
            kid: kid_hex(),
            alg: "ES256".into(),
            public_key: ikd_core::hex::encode(&public),
            not_before: issued_at - 86_400,
            not_after: None,
        }],
    })
    .expect("json")
}

fn signed_text(value: &serde_json::Value) -> String {
    serde_json::to_string(&SignedJson::sign(value, &issuer(), &kid_hex())).expect("json")
}

fn contents(signed: &str) -> VaultContents {
    VaultContents {
        signed: signed.to_owned(),
        keys: PhoneKeys::generate(None).expect("keys"),
    }
}

/// A genuine revocation list issued at `issued_at`, revoking `ctis`.
fn revocations(issued_at: i64, ctis: &[[u8; 16]]) -> String {
    signed_text(
        &serde_json::to_value(RevocationList {
            issued_at,
            entries: ctis
                .iter()
                .map(|cti| Revocation {
                    credential_id: ikd_core::hex::encode(cti),
                    revoked_at: issued_at,
                    reason: "device-replaced".into(),
                })
                .collect(),
        })
        .expect("json"),
    )
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
        ..CwtMeta::default()
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
async fn the_local_copy_is_sealed_opens_with_the_pin_and_hides_the_nik_and_keys() {
    let _ = vault_store::wipe(ME).await;
    let signed = signed_text(&serde_json::json!({ "nik": NIK, "name": "SITI AMINAH" }));
    let sealed_contents = contents(&signed);
    let public = sealed_contents.keys.public();
    let secret = ikd_core::hex::encode(&sealed_contents.keys.get(QrProfile::Full).to_bytes());
    vault_store::seal_bundle(ME, "SITI AMINAH", &sealed_contents, "482913")
        .await
        .expect("seal");
    assert!(vault_store::has_vault().await);
    // The public index names the person only by a masked name.
    let index = vault_store::profiles().await;
    let me = index.iter().find(|p| p.id == ME).expect("indexed");
    assert_eq!(me.masked_name, "S*** A***");
    // What IndexedDB holds is ciphertext: no NIK, no name, no device key.
    let stored = js_stored_vault(&format!("profile:{ME}")).await;
    assert!(stored.len() > 100, "{stored}");
    assert!(
        !stored.contains(NIK) && !stored.contains("SITI") && !stored.contains(&secret),
        "{stored}"
    );
    let opened = vault_store::unlock(ME, "482913").await.expect("unlock");
    assert_eq!(opened.signed, signed);
    // The same keys come back: the credentials bound to them still present.
    assert_eq!(opened.keys.public(), public);
    // Weak PINs are refused when set.
    assert!(matches!(
        vault_store::seal_bundle(ME, "SITI AMINAH", &sealed_contents, "123456").await,
        Err(StoreError::Pin(_))
    ));
}

#[wasm_bindgen_test]
async fn five_wrong_pins_wipe_the_copy_and_a_right_one_resets_the_count() {
    let _ = vault_store::wipe(ME).await;
    vault_store::seal_bundle(ME, "SITI AMINAH", &contents("{\"x\":1}"), "482913")
        .await
        .expect("seal");
    assert_eq!(
        vault_store::unlock(ME, "000001").await.map(|_| ()),
        Err(StoreError::WrongPin { remaining: 4 })
    );
    assert_eq!(
        vault_store::unlock(ME, "000001").await.map(|_| ()),
        Err(StoreError::WrongPin { remaining: 3 })
    );
    // A right PIN in between starts the count again.
    assert!(vault_store::unlock(ME, "482913").await.is_ok());
    for remaining in (1..=4).rev() {
        assert_eq!(
            vault_store::unlock(ME, "000001").await.map(|_| ()),
            Err(StoreError::WrongPin { remaining })
        );
    }
    assert_eq!(
        vault_store::unlock(ME, "000001").await.map(|_| ()),
        Err(StoreError::Wiped)
    );
    assert!(!is_stored(ME).await);
    assert_eq!(
        vault_store::unlock(ME, "482913").await.map(|_| ()),
        Err(StoreError::Empty)
    );
}

#[wasm_bindgen_test]
async fn a_copy_from_the_previous_release_asks_to_log_in_again() {
    let _ = vault_store::wipe(ME).await;
    // What the previous release sealed: the bare signed bundle text, no keys.
    let signed = signed_text(&serde_json::json!({ "nik": NIK }));
    let sealed =
        ikd_core::vault::seal(signed.as_bytes(), "482913", [3; 16], [4; 12]).expect("seal");
    let record = serde_json::json!({ "sealed": sealed, "failures": 0 }).to_string();
    js_put_vault("bundle", &record).await;
    // Moved into a profile of its own at first open (its masked name comes once opened).
    let moved = vault_store::profiles().await.pop().expect("moved");
    assert_eq!(moved.masked_name, "");
    assert_eq!(js_stored_vault("bundle").await, "");
    let outdated = vault_store::unlock(&moved.id, "482913").await.map(|_| ());
    assert_eq!(outdated, Err(StoreError::Outdated));
    let message = StoreError::Outdated.to_string();
    assert!(message.contains("masuk kembali") && message.contains("log in again"));
    // The useless copy is gone, so the app offers login (or resumes a valid session).
    assert!(!is_stored(&moved.id).await);
}

#[wasm_bindgen_test]
async fn the_presentation_log_is_sealed_kept_to_500_and_wiped_with_the_vault() {
    let _ = vault_store::wipe(ME).await;
    let log_key = [9u8; 32];
    let first = Presentation {
        at: NOW,
        profile: QrProfile::Age,
        institution: None,
    };
    let encrypted = Presentation {
        at: NOW,
        profile: QrProfile::FullEncrypted,
        institution: Some("Bank Contoh".into()),
    };
    presentations::append(ME, &log_key, &[first.clone(), encrypted.clone()])
        .await
        .expect("append");
    let stored = js_stored_vault(&format!("presentations:{ME}")).await;
    assert!(!stored.is_empty() && !stored.contains("age"), "{stored}");
    assert!(!stored.contains("Bank"), "{stored}");
    assert_eq!(
        presentations::load(ME, &log_key).await,
        vec![first, encrypted]
    );
    // Another key (an earlier login's log) reads nothing, and writing replaces it.
    assert_eq!(presentations::load(ME, &[1; 32]).await, Vec::new());
    let many: Vec<Presentation> = (1..=presentations::KEEP as i64)
        .map(|i| Presentation {
            at: NOW + i,
            profile: QrProfile::Full,
            institution: None,
        })
        .collect();
    presentations::append(ME, &log_key, &many)
        .await
        .expect("append");
    let kept = presentations::load(ME, &log_key).await;
    assert_eq!(kept.len(), presentations::KEEP);
    assert_eq!(kept.first().map(|p| p.at), Some(NOW + 1));
    vault_store::wipe(ME).await.expect("wipe");
    assert_eq!(presentations::load(ME, &log_key).await, Vec::new());
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
    let fresh_list = revocations(NOW, &[]);

    let performance = web_sys::window()
        .and_then(|w| w.performance())
        .expect("performance");
    let rounds = 50;
    let started = performance.now();
    for _ in 0..rounds {
        let verdict = verifier::verify(&text, &trust, Some(&fresh_list), None, NOW);
        assert!(matches!(verdict, Verdict::Valid(_)), "{verdict:?}");
    }
    let per_qr = (performance.now() - started) / f64::from(rounds);
    web_sys::console::log_1(&format!("QR verification in wasm: {per_qr:.2} ms per QR").into());

    // A plain Claim 169 QR verifies, said to be bound to no phone.
    match verifier::verify(&text, &trust, Some(&fresh_list), None, NOW) {
        Verdict::Valid(checked) => {
            assert_eq!(checked.holder, HolderBinding::NotBound);
            assert_eq!(checked.revocations_as_of, Some(NOW));
            assert_eq!(checked.trust_list_as_of, NOW);
        }
        other => panic!("expected valid, got {other:?}"),
    }
    match verifier::verify(&text, &trust, Some(&fresh_list), None, NOW + 900) {
        Verdict::Invalid(refusal) => assert_eq!(refusal.code, "expired"),
        other => panic!("expected expired, got {other:?}"),
    }
    let mut broken = text.clone();
    broken.replace_range(40..42, if &text[40..42] == "AA" { "BB" } else { "AA" });
    assert!(matches!(
        verifier::verify(&broken, &trust, Some(&fresh_list), None, NOW),
        Verdict::Invalid(_)
    ));

    let revoked = revocations(NOW, &[[7u8; 16]]);
    match verifier::verify(&text, &trust, Some(&revoked), None, NOW) {
        Verdict::Invalid(refusal) => {
            assert_eq!(refusal.code, "revoked");
            assert!(refusal.message_id.contains("dicabut"));
        }
        other => panic!("expected revoked, got {other:?}"),
    }
    // Without a list, or with one older than a day, the verdict is not green.
    assert!(matches!(
        verifier::verify(&text, &trust, None, None, NOW),
        Verdict::Unconfirmed { ref gaps, .. } if gaps == &[Gap::NoRevocationList]
    ));
    let old_list = revocations(NOW - 2 * 86_400, &[]);
    let verdict = verifier::verify(&text, &trust, Some(&old_list), None, NOW);
    assert_eq!(verifier::state(&verdict), "unconfirmed");
    // A revocation list not signed by a trusted key is not believed: neither to revoke nor
    // to clear.
    let forged = serde_json::to_string(&SignedJson::sign(
        &RevocationList {
            issued_at: NOW,
            entries: vec![Revocation {
                credential_id: ikd_core::hex::encode(&[7u8; 16]),
                revoked_at: NOW,
                reason: "device-replaced".into(),
            }],
        },
        &SigningKey::from_slice(&[0x11; 32]).expect("scalar"),
        &kid_hex(),
    ))
    .expect("json");
    assert!(matches!(
        verifier::verify(&text, &trust, Some(&forged), None, NOW),
        Verdict::Unconfirmed { ref gaps, .. } if gaps == &[Gap::RevocationListForged]
    ));
}

#[wasm_bindgen_test]
fn the_phone_makes_a_fresh_holder_bound_qr_that_goes_stale() {
    let keys = PhoneKeys::generate(None).expect("keys");
    let device = keys.get(QrProfile::Basic);
    let claim = claim169::Claim169 {
        full_name: Some("SITI AMINAH".into()),
        ..Default::default()
    };
    let meta = CwtMeta {
        iss: Some("urn:ikd:test".into()),
        iat: Some(NOW),
        exp: Some(NOW + 7 * 86_400),
        cti: Some(vec![5u8; 16]),
        cnf: Some(claim169::device_public_key(device).to_vec()),
        ..CwtMeta::default()
    };
    let credential = claim169::issue(
        &claim,
        &meta,
        &issuer(),
        &es256_kid(issuer().verifying_key()),
        None,
    )
    .expect("issue");
    let presentable = Presentable::parse(&credential).expect("parse");
    let performance = web_sys::window()
        .and_then(|w| w.performance())
        .expect("performance");
    let started = performance.now();
    let shown = presentable.present(device, NOW + 60).expect("present");
    let took = performance.now() - started;
    web_sys::console::log_1(&format!("Making a QR in wasm: {took:.2} ms").into());
    let trust = trust_text();
    let list = revocations(NOW + 60, &[]);
    match verifier::verify(&shown, &trust, Some(&list), None, NOW + 70) {
        Verdict::Valid(checked) => {
            assert_eq!(checked.holder, HolderBinding::Presented { at: NOW + 60 })
        }
        other => panic!("expected valid, got {other:?}"),
    }
    // The credential as issued, without a proof, is not a presentation.
    assert!(matches!(
        verifier::verify(&credential, &trust, Some(&list), None, NOW + 70),
        Verdict::Invalid(_)
    ));
    // Another profile's key cannot present it.
    let wrong = presentable
        .present(keys.get(QrProfile::Full), NOW + 60)
        .expect("present");
    assert!(matches!(
        verifier::verify(&wrong, &trust, Some(&list), None, NOW + 70),
        Verdict::Invalid(_)
    ));
    // A screenshot stops verifying once older than the tolerance.
    let late = NOW + 60 + claim169::HOLDER_TOLERANCE_SECS + 1;
    match verifier::verify(&shown, &trust, Some(&list), None, late) {
        Verdict::Invalid(refusal) => assert_eq!(refusal.code, "stale"),
        other => panic!("expected stale, got {other:?}"),
    }
}

/// A record of the vault store as stored, read through the IndexedDB API directly.
async fn js_stored_vault(key: &str) -> String {
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
        .get(&key.into())
        .expect("get");
    wait(&request).await.as_string().unwrap_or_default()
}

/// Writes a record of the vault store through the IndexedDB API directly.
async fn js_put_vault(key: &str, text: &str) {
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
    let tx = db
        .transaction_with_str_and_mode("vault", web_sys::IdbTransactionMode::Readwrite)
        .expect("tx");
    let request = tx
        .object_store("vault")
        .expect("store")
        .put_with_key(&text.into(), &key.into())
        .expect("put");
    wait(&request).await;
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

/// A bundle whose four credentials are bound to `keys`, valid for a week from `now`.
fn bundle_for(keys: &PhoneKeys, now: i64) -> ikd_core::offline_bundle::OfflineBundle {
    let credential = |profile: QrProfile, cti: u8| {
        let claim = claim169::Claim169 {
            id: Some(NIK.into()),
            full_name: Some("SITI AMINAH".into()),
            ..Default::default()
        };
        let meta = CwtMeta {
            iss: Some("urn:ikd:test".into()),
            iat: Some(now - 60),
            exp: Some(now + 7 * 86_400),
            cti: Some(vec![cti; 16]),
            cnf: Some(claim169::device_public_key(keys.get(profile)).to_vec()),
            ..CwtMeta::default()
        };
        claim169::issue(
            &claim,
            &meta,
            &issuer(),
            &es256_kid(issuer().verifying_key()),
            None,
        )
        .expect("issue")
    };
    let ktp: serde_json::Map<String, serde_json::Value> = [
        "nik",
        "fullName",
        "placeOfBirth",
        "birthDate",
        "sex",
        "bloodType",
        "street",
        "rt",
        "rw",
        "village",
        "district",
        "regency",
        "province",
        "religion",
        "maritalStatus",
        "occupation",
        "citizenship",
        "validUntil",
    ]
    .into_iter()
    .map(|k| (k.to_owned(), serde_json::Value::String("X".into())))
    .collect();
    let mut kk: serde_json::Map<String, serde_json::Value> = [
        "kkNumber", "headName", "street", "rt", "rw", "village", "district", "regency", "province",
        "issuedOn",
    ]
    .into_iter()
    .map(|k| (k.to_owned(), serde_json::Value::String("X".into())))
    .collect();
    kk.insert("members".into(), serde_json::json!([]));
    serde_json::from_value(serde_json::json!({
        "issuedAt": now - 60,
        "refreshAfter": now + 3 * 86_400,
        "validUntil": now + 7 * 86_400,
        "presentEverySecs": 30,
        "demoData": true,
        "ktp": ktp,
        "photoJpeg": "",
        "kk": kk,
        "documents": { "npwp": null, "vaccinations": [], "vehicles": [], "civilServant": null, "suket": null },
        "activity": [],
        "credentials": {
            "full": credential(QrProfile::Full, 1),
            "basic": credential(QrProfile::Basic, 2),
            "age": credential(QrProfile::Age, 3),
            "fullEncrypted": credential(QrProfile::FullEncrypted, 4),
        },
    }))
    .expect("bundle")
}

async fn settle() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .expect("window")
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 50)
            .expect("timeout");
    });
    wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .expect("timer");
}

#[wasm_bindgen_test]
async fn the_qr_page_shows_a_fresh_holder_bound_qr_per_profile_and_logs_it() {
    use leptos::prelude::*;
    use leptos_router::components::Router;
    use wasm_bindgen::JsCast;

    let _ = vault_store::wipe(ME).await;
    let now = ikd_web::browser::now_secs();
    let keys = PhoneKeys::generate(None).expect("keys");
    let log_key = keys.log_key();
    let bundle = bundle_for(&keys, now);
    let document = web_sys::window()
        .and_then(|w| w.document())
        .expect("document");
    let root: web_sys::HtmlElement = document
        .create_element("div")
        .expect("div")
        .dyn_into()
        .expect("html");
    document
        .body()
        .expect("body")
        .append_child(&root)
        .expect("append");
    let _handle = mount_to(root.clone(), move || {
        provide_context(ikd_web::i18n::I18n::from_storage(
            ikd_web::i18n::STORAGE_KEY,
        ));
        let app = ikd_web::state::AppState::new();
        app.keys.set_value(Some(keys.clone()));
        app.profile.set_value(Some(ME.to_owned()));
        app.bundle.set(Some(bundle.clone()));
        provide_context(app);
        view! { <Router><ikd_web::pages::qr::QrPage /></Router> }
    });
    let qr_of = |profile: &str| {
        let figure = root.query_selector("[data-testid=qr]").expect("selector")?;
        (figure.get_attribute("data-qr-profile").as_deref() == Some(profile))
            .then(|| figure.get_attribute("data-qr-text"))
            .flatten()
    };
    let mut full = None;
    for _ in 0..100 {
        full = qr_of("full");
        if full.is_some() {
            break;
        }
        settle().await;
    }
    let full = full.expect("a QR for the full profile");
    let trust = trust_text_at(now);
    let list = revocations(now, &[]);
    match verifier::verify(&full, &trust, Some(&list), None, now + 5) {
        Verdict::Valid(checked) => assert!(
            matches!(checked.holder, HolderBinding::Presented { at } if (at - now).abs() <= 5),
            "{checked:?}"
        ),
        other => panic!("expected valid, got {other:?}"),
    }
    let countdown = root
        .query_selector("[data-testid=qr-countdown] [aria-hidden=true]")
        .expect("selector")
        .and_then(|el| el.text_content())
        .unwrap_or_default();
    assert!(countdown.starts_with("Berganti dalam 0:"), "{countdown}");
    // Another profile: a new QR at once, with that profile's credential and key.
    let basic_button = root
        .query_selector(".segmented button:nth-child(2)")
        .expect("selector")
        .expect("Dasar")
        .dyn_into::<web_sys::HtmlElement>()
        .expect("button");
    basic_button.click();
    let mut basic = None;
    for _ in 0..100 {
        basic = qr_of("basic");
        if basic.is_some() {
            break;
        }
        settle().await;
    }
    let basic = basic.expect("a QR for the basic profile");
    assert_ne!(basic, full);
    assert!(matches!(
        verifier::verify(&basic, &trust, Some(&list), None, now + 5),
        Verdict::Valid(_)
    ));
    // Both are in the sealed log.
    let mut logged = Vec::new();
    for _ in 0..100 {
        logged = presentations::load(ME, &log_key).await;
        if logged.len() >= 2 {
            break;
        }
        settle().await;
    }
    let profiles: Vec<QrProfile> = logged.iter().map(|p| p.profile).collect();
    assert_eq!(profiles, vec![QrProfile::Full, QrProfile::Basic]);
    let _ = vault_store::wipe(ME).await;
}

#[wasm_bindgen_test]
async fn the_verifier_page_says_fresh_valid_unconfirmed_and_invalid() {
    use leptos::prelude::*;
    use leptos_router::components::Router;
    use wasm_bindgen::JsCast;

    let now = ikd_web::browser::now_secs();
    let keys = PhoneKeys::generate(None).expect("keys");
    let bundle = bundle_for(&keys, now);
    let shown = Presentable::parse(&bundle.credentials.age)
        .expect("parse")
        .present(keys.get(QrProfile::Age), now - 4)
        .expect("present");
    vault_store::save_public(vault_store::TRUST_LIST_KEY, &trust_text_at(now))
        .await
        .expect("trust");
    vault_store::save_public(vault_store::REVOCATIONS_KEY, &revocations(now, &[]))
        .await
        .expect("list");
    let document = web_sys::window()
        .and_then(|w| w.document())
        .expect("document");
    let root: web_sys::HtmlElement = document
        .create_element("div")
        .expect("div")
        .dyn_into()
        .expect("html");
    document
        .body()
        .expect("body")
        .append_child(&root)
        .expect("append");
    // The verifier binary loads the decoder from a chunk; here it runs in one piece.
    verifier::VERIFY
        .install(|request| Box::pin(async move { Ok(verifier::verify_request(request)) }));
    let _handle = mount_to(root.clone(), move || {
        provide_context(ikd_web::i18n::I18n::from_storage(
            ikd_web::i18n::STORAGE_KEY,
        ));
        provide_context(ikd_web::state::AppState::new());
        view! { <Router><ikd_web::pages::verify::VerifyPage /></Router> }
    });
    let check = |text: &str| {
        let area = root
            .query_selector("#qr-text")
            .expect("selector")
            .expect("textarea")
            .dyn_into::<web_sys::HtmlTextAreaElement>()
            .expect("textarea");
        area.set_value(text);
        area.dispatch_event(&web_sys::Event::new("input").expect("event"))
            .expect("dispatch");
        root.query_selector("button.primary")
            .expect("selector")
            .expect("button")
            .dyn_into::<web_sys::HtmlElement>()
            .expect("button")
            .click();
    };
    let verdict = |state: &'static str| {
        let root = root.clone();
        async move {
            for _ in 0..100 {
                if let Some(el) = root
                    .query_selector(&format!("[data-testid=verdict][data-state={state}]"))
                    .expect("selector")
                {
                    return el.text_content().unwrap_or_default();
                }
                settle().await;
            }
            panic!("no {state} verdict in {:?}", root.text_content());
        }
    };
    check(&shown);
    let text = verdict("valid").await;
    assert!(text.contains("✓ SAH"), "{text}");
    let freshness = root
        .query_selector("[data-testid=verdict-freshness]")
        .expect("selector")
        .and_then(|el| el.text_content())
        .unwrap_or_default();
    assert!(freshness.starts_with("Segar, ditampilkan"), "{freshness}");
    assert!(text.contains("Daftar pencabutan per"), "{text}");
    // No revocation list stored: amber, with the gap said.
    vault_store::save_public(vault_store::REVOCATIONS_KEY, "not a list")
        .await
        .expect("list");
    check(&shown);
    let text = verdict("unconfirmed").await;
    assert!(text.contains("BELUM PASTI"), "{text}");
    // A plain Claim 169 QR: not bound to the holder's phone.
    vault_store::save_public(vault_store::REVOCATIONS_KEY, &revocations(now, &[]))
        .await
        .expect("list");
    let mut cti = vec![8u8; 16];
    cti.push(1);
    let claim = claim169::Claim169 {
        id: Some(NIK.into()),
        ..Default::default()
    };
    let plain = claim169::issue(
        &claim,
        &CwtMeta {
            iat: Some(now - 60),
            exp: Some(now + 600),
            cti: Some(cti),
            ..CwtMeta::default()
        },
        &issuer(),
        &es256_kid(issuer().verifying_key()),
        None,
    )
    .expect("issue");
    check(&plain);
    let mut freshness = String::new();
    for _ in 0..100 {
        freshness = root
            .query_selector("[data-testid=verdict-freshness][data-bound=false]")
            .expect("selector")
            .and_then(|el| el.text_content())
            .unwrap_or_default();
        if !freshness.is_empty() {
            break;
        }
        settle().await;
    }
    assert!(freshness.contains("Tidak terikat"), "{freshness}");
    // The credential as issued, without the holder's proof: red.
    check(&bundle.credentials.age);
    let text = verdict("invalid").await;
    assert!(text.contains("TIDAK SAH"), "{text}");
}
