//! Issue 18 in headless Chromium: several people on one browser. A second person who logs in
//! while the first one's copy is open never ends up sealed under the first one's PIN nor
//! overwrites the first one's copy; each copy opens with its own PIN only, each person has
//! their own device id, and removing one leaves the other.

#![cfg(target_arch = "wasm32")]

use ikd_core::claim169::{self, CwtMeta, es256_kid};
use ikd_core::offline_bundle::QrProfile;
use ikd_core::signed::SignedJson;
use ikd_core::trust_documents::{PublishedKey, TrustListDocument};
use ikd_web::phone_keys::{PhoneKeys, VaultContents};
use ikd_web::state::AppState;
use ikd_web::sync::{self, SyncOutcome};
use ikd_web::vault_store::{self, StoreError};
use leptos::prelude::*;
use p256::ecdsa::SigningKey;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const NOW: i64 = 1_790_000_000;
const NIK_A: &str = "3276014101900001";
const NIK_B: &str = "3276015202910002";
const PIN_A: &str = "482913";
const PIN_B: &str = "739154";
const SITI: &str = "aaaaaaaaaaaaaaaa";
const BUDI: &str = "bbbbbbbbbbbbbbbb";

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

/// The signed text of a bundle for `nik` / `name`, its credentials bound to `keys`.
fn signed_bundle(nik: &str, name: &str, keys: &PhoneKeys) -> String {
    let credential = |profile: QrProfile, cti: u8| {
        let claim = claim169::Claim169 {
            id: Some(nik.into()),
            full_name: Some(name.into()),
            ..Default::default()
        };
        let meta = CwtMeta {
            iss: Some("urn:ikd:test".into()),
            iat: Some(NOW - 60),
            exp: Some(NOW + 7 * 86_400),
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
    let mut ktp: serde_json::Map<String, serde_json::Value> = [
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
    ktp.insert("nik".into(), nik.into());
    ktp.insert("fullName".into(), name.into());
    let mut kk: serde_json::Map<String, serde_json::Value> = [
        "kkNumber", "headName", "street", "rt", "rw", "village", "district", "regency", "province",
        "issuedOn",
    ]
    .into_iter()
    .map(|k| (k.to_owned(), serde_json::Value::String("X".into())))
    .collect();
    kk.insert("members".into(), serde_json::json!([]));
    let value = serde_json::json!({
        "issuedAt": NOW - 60,
        "refreshAfter": NOW + 3 * 86_400,
        "validUntil": NOW + 7 * 86_400,
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
    });
    serde_json::to_string(&SignedJson::sign(&value, &issuer(), &kid_hex())).expect("json")
}

/// Replaces `window.fetch` with answers from `answers` (path → JSON text), as the service
/// would give them.
fn fake_service(answers: &[(&str, String)]) {
    let map = js_sys::Object::new();
    for (path, text) in answers {
        js_sys::Reflect::set(&map, &JsValue::from_str(path), &JsValue::from_str(text))
            .expect("set");
    }
    let window = web_sys::window().expect("window");
    js_sys::Reflect::set(&window, &JsValue::from_str("__ikdAnswers"), &map).expect("set");
    let fetch = js_sys::Function::new_with_args(
        "path, init",
        "const text = window.__ikdAnswers[path];\
         return Promise.resolve(text === undefined\
           ? new Response('{\"code\":\"not-found\",\"message\":\"x\",\"messageEn\":\"x\"}', {status: 404})\
           : new Response(text, {status: 200, headers: {'content-type': 'application/json'}}));",
    );
    js_sys::Reflect::set(&window, &JsValue::from_str("fetch"), &fetch).expect("set");
}

#[wasm_bindgen_test]
async fn a_second_login_while_unlocked_never_seals_under_the_first_pin_nor_overwrites() {
    let owner = Owner::new();
    owner.set();
    let trust = trust_text();
    vault_store::save_public(vault_store::TRUST_LIST_KEY, &trust)
        .await
        .expect("trust");
    // Siti's copy, sealed under her PIN and open.
    let keys_a = PhoneKeys::generate(None).expect("keys");
    let signed_a = signed_bundle(NIK_A, "SITI AMINAH", &keys_a);
    let contents_a = VaultContents {
        signed: signed_a.clone(),
        keys: keys_a,
    };
    vault_store::seal_bundle(SITI, "SITI AMINAH", &contents_a, PIN_A)
        .await
        .expect("seal");
    let app = AppState::new();
    let (bundle_a, opened) = vault_store::unlock_verified(SITI, PIN_A)
        .await
        .expect("unlock");
    app.profile.set_value(Some(SITI.to_owned()));
    app.pin.set_value(Some(PIN_A.to_owned()));
    app.keys.set_value(Some(opened.keys));
    app.bundle.set(Some(bundle_a));

    // Budi logs in on the same browser; the service hands over his bundle.
    let keys_b = PhoneKeys::generate(None).expect("keys");
    fake_service(&[
        ("/api/trust-list", trust.clone()),
        ("/api/bundle", signed_bundle(NIK_B, "BUDI SANTOSO", &keys_b)),
    ]);
    let outcome = sync::fetch_bundle(app, BUDI.to_owned())
        .await
        .expect("fetch");

    // Budi chooses his own PIN: his copy is not sealed under Siti's.
    assert_eq!(outcome, SyncOutcome::NeedsPin);
    assert!(
        app.pin.with_value(Option::is_none),
        "Siti's PIN is forgotten"
    );
    let pending = app
        .pending
        .get_value()
        .expect("Budi's copy waits for his PIN");
    let pending_bundle = vault_store::verify_bundle(&pending.signed, &trust).expect("verified");
    assert_eq!(pending_bundle.ktp.nik, NIK_B);
    assert_eq!(app.profile.get_value().as_deref(), Some(BUDI));
    // Siti's copy is still hers, under her PIN.
    let (still_a, _) = vault_store::unlock_verified(SITI, PIN_A)
        .await
        .expect("Siti's copy");
    assert_eq!(still_a.ktp.nik, NIK_A);

    // Budi seals his copy under his own PIN, beside Siti's.
    vault_store::seal_bundle(BUDI, &pending_bundle.ktp.full_name, &pending, PIN_B)
        .await
        .expect("seal Budi");
    let people = vault_store::profiles().await;
    let masked: Vec<(&str, &str)> = people
        .iter()
        .map(|p| (p.id.as_str(), p.masked_name.as_str()))
        .collect();
    assert!(masked.contains(&(SITI, "S*** A***")), "{masked:?}");
    assert!(masked.contains(&(BUDI, "B*** S***")), "{masked:?}");
    // Each PIN opens its own copy only; a wrong one counts against that copy alone.
    let (b, _) = vault_store::unlock_verified(BUDI, PIN_B)
        .await
        .expect("Budi");
    assert_eq!(b.ktp.nik, NIK_B);
    assert_eq!(
        vault_store::unlock(BUDI, PIN_A).await.map(|_| ()),
        Err(StoreError::WrongPin { remaining: 4 })
    );
    assert_eq!(
        vault_store::unlock(SITI, PIN_B).await.map(|_| ()),
        Err(StoreError::WrongPin { remaining: 4 })
    );
    // The index and the records show neither NIK.
    let index = vault_store::load_public("profiles")
        .await
        .unwrap_or_default();
    assert!(!index.contains(NIK_A) && !index.contains(NIK_B) && !index.contains("SITI"));
    // Each person is their own device for the service.
    let device_a = ikd_web::browser::device_id(SITI).expect("id");
    let device_b = ikd_web::browser::device_id(BUDI).expect("id");
    assert_ne!(device_a, device_b);
    assert_eq!(ikd_web::browser::device_id(SITI).expect("id"), device_a);

    // Removing Budi leaves Siti's copy opening offline.
    vault_store::wipe(BUDI).await.expect("remove");
    assert!(!vault_store::profiles().await.iter().any(|p| p.id == BUDI));
    assert_eq!(
        vault_store::unlock(BUDI, PIN_B).await.map(|_| ()),
        Err(StoreError::Empty)
    );
    let (a, _) = vault_store::unlock_verified(SITI, PIN_A)
        .await
        .expect("Siti");
    assert_eq!(a.ktp.nik, NIK_A);
    vault_store::wipe(SITI).await.expect("remove");
}

#[wasm_bindgen_test]
fn names_are_masked_to_initials() {
    assert_eq!(vault_store::mask_name("SITI AMINAH"), "S*** A***");
    assert_eq!(vault_store::mask_name("  BUDI  "), "B***");
    assert_eq!(vault_store::mask_name(""), "");
}

#[wasm_bindgen_test]
fn the_app_relocks_after_the_idle_time_or_in_the_background_but_not_on_the_qr_page() {
    use ikd_web::relock::{due, minutes};
    assert_eq!(minutes(), 5);
    let limit = 5.0 * 60_000.0;
    let t = 1_000_000.0;
    assert!(!due(t + limit - 1.0, t, None, limit, false));
    assert!(due(t + limit, t, None, limit, false));
    // The QR page holds the idle lock off...
    assert!(!due(t + 3.0 * limit, t, None, limit, true));
    // ...but not time in the background.
    assert!(due(t + limit, t + limit, Some(t), limit, true));
    assert!(!due(
        t + limit - 1.0,
        t + limit - 1.0,
        Some(t),
        limit,
        false
    ));
    ikd_web::relock::set_minutes(15);
    assert_eq!(minutes(), 15);
    ikd_web::relock::set_minutes(7);
    assert_eq!(minutes(), 15);
    ikd_web::relock::set_minutes(5);
}

#[wasm_bindgen_test]
async fn a_copy_sealed_under_a_passkey_opens_with_its_prf_key_only_never_a_pin() {
    let trust = trust_text();
    vault_store::save_public(vault_store::TRUST_LIST_KEY, &trust)
        .await
        .expect("trust");
    let keys = PhoneKeys::generate(None).expect("keys");
    let contents = VaultContents {
        signed: signed_bundle(NIK_A, "SITI AMINAH", &keys),
        keys,
    };
    vault_store::seal_bundle(SITI, "SITI AMINAH", &contents, PIN_A)
        .await
        .expect("seal");
    let key = ikd_core::vault::key_from_prf(&[7; 32]);
    let lock = vault_store::PasskeyLock {
        credential_id: "0a0b".into(),
        salt: ikd_core::hex::encode(&[1; 32]),
    };
    vault_store::seal_with_passkey(SITI, "SITI AMINAH", &contents, &key, lock.clone())
        .await
        .expect("seal with passkey");
    assert_eq!(vault_store::passkey_lock(SITI).await, Some(lock));
    // The PIN-sealed copy is gone: no PIN opens it, and trying counts nothing towards a wipe.
    for pin in [PIN_A, "000001", "000001", "000001", "000001", "000001"] {
        assert_eq!(
            vault_store::unlock(SITI, pin).await.map(|_| ()),
            Err(StoreError::PasskeyOnly)
        );
    }
    let wrong = ikd_core::vault::key_from_prf(&[8; 32]);
    assert!(vault_store::unlock_with_key(SITI, &wrong).await.is_err());
    let (bundle, _) = vault_store::unlock_with_key(SITI, &key)
        .await
        .expect("opens with its key");
    assert_eq!(bundle.ktp.nik, NIK_A);
    let stored = vault_store::profiles().await;
    assert!(stored.iter().any(|p| p.id == SITI));
    vault_store::wipe(SITI).await.expect("remove");
}

/// Lets pending effects run (one turn of the browser's task queue).
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
async fn who_is_using_the_phone_lists_masked_names_only_and_offers_to_add_a_person() {
    use leptos_router::components::Router;
    use wasm_bindgen::JsCast;

    for profile in vault_store::profiles().await {
        vault_store::wipe(&profile.id).await.expect("clean");
    }
    for (profile, nik, name, pin) in [
        (SITI, NIK_A, "SITI AMINAH", PIN_A),
        (BUDI, NIK_B, "BUDI SANTOSO", PIN_B),
    ] {
        let keys = PhoneKeys::generate(None).expect("keys");
        let contents = VaultContents {
            signed: signed_bundle(nik, name, &keys),
            keys,
        };
        vault_store::seal_bundle(profile, name, &contents, pin)
            .await
            .expect("seal");
    }
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
        provide_context(AppState::new());
        view! { <Router><ikd_web::pages::who::WhoPage /></Router> }
    });
    let mut names = String::new();
    for _ in 0..100 {
        settle().await;
        names = root
            .query_selector("[data-testid=profiles]")
            .expect("selector")
            .and_then(|list| list.text_content())
            .unwrap_or_default();
        if !names.is_empty() {
            break;
        }
    }
    // One button per person, in the order they were added, by masked name only.
    assert_eq!(names, "S*** A***B*** S***");
    let text = root.text_content().unwrap_or_default();
    assert!(text.contains("Siapa yang memakai?"), "{text}");
    assert!(text.contains("Tambah orang"), "{text}");
    assert!(!text.contains(NIK_A) && !text.contains("SITI"), "{text}");
    for profile in [SITI, BUDI] {
        vault_store::wipe(profile).await.expect("clean");
    }
}
