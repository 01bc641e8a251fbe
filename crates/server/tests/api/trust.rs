//! The trust list with key rotation, and online verification by institutions (logged in the
//! citizen's history; encrypted QRs readable with the institution key).

use axum::http::header;
use ikd_core::claim169::{self, DecodeOptions, HolderBinding};
use ikd_core::offline_bundle::{OfflineBundle, QrProfile};
use ikd_core::signed::SignedJson;
use ikd_core::trust_documents::TrustListDocument;
use ikd_server::journey::institutions;
use ikd_server::trust::issuer_keyring;
use serde_json::json;

use crate::fixtures::*;
use crate::support::{PhoneKeys, TestApp, body_json};

async fn trust_document(app: &TestApp) -> TrustListDocument {
    let response = app.get("/api/trust-list").await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()[header::CACHE_CONTROL],
        "public, max-age=300"
    );
    serde_json::from_value(body_json(response).await).expect("trust list")
}

#[tokio::test]
async fn a_rotated_key_stays_trusted_for_its_grace_period_and_the_new_one_signs() {
    let app = TestApp::new().await;
    seed_registry(&app).await;
    let (officer, desk) = open_desk(&app).await;
    let citizen = eligible_citizens(&app, 1).await.remove(0);
    let session = active_citizen(&app, &officer, desk, &citizen, "device-aaaaaaaaaaaa").await;
    let phone = PhoneKeys::random();
    let before: SignedJson =
        serde_json::from_value(body_json(app.bundle(&session, &phone).await).await)
            .expect("signed");
    let old = trust_document(&app).await;
    assert_eq!(old.keys.len(), 1);
    assert_eq!(old.keys[0].not_after, None);
    assert_eq!(old.keys[0].kid, app.issuer_key.kid().as_str());

    let new_key = issuer_keyring::rotate(&app.db, 3 * 86_400)
        .await
        .expect("rotate");
    let rotated = trust_document(&app).await;
    assert_eq!(rotated.keys.len(), 2);
    let retired = rotated
        .keys
        .iter()
        .find(|k| k.kid == old.keys[0].kid)
        .expect("old key listed");
    assert!(retired.not_after.is_some());
    let trust = rotated.to_trust_list().expect("keys");
    // The bundle signed before rotation still verifies; a new one is signed by the new key.
    let now = ikd_server::platform::clock::unix_now();
    let bundle: OfflineBundle = before
        .verify(&trust, Some(now))
        .expect("old signature trusted");
    let after: SignedJson =
        serde_json::from_value(body_json(app.bundle(&session, &phone).await).await)
            .expect("signed");
    assert_eq!(after.kid, new_key.kid().as_str());
    after
        .verify::<OfflineBundle>(&trust, Some(now))
        .expect("new signature trusted");
    // A QR the phone makes from the credentials signed before the rotation still verifies.
    let qr = &phone.present(&bundle.credentials, QrProfile::Full, now);
    let options = DecodeOptions {
        trust: Some(&trust),
        now,
        check_time: true,
        ..DecodeOptions::default()
    };
    assert!(claim169::decode(qr, &options).is_ok());
    // Past the grace period the old key is gone from the list.
    let gone = TrustListDocument {
        keys: rotated
            .keys
            .iter()
            .filter(|k| k.not_after.is_none_or(|end| end > now + 4 * 86_400))
            .cloned()
            .collect(),
        ..rotated.clone()
    };
    let options = DecodeOptions {
        trust: Some(&gone.to_trust_list().expect("keys")),
        ..options
    };
    assert!(claim169::decode(qr, &options).is_err());
    let health = body_json(app.get("/api/health").await).await;
    assert_eq!(health["issuerKid"], new_key.kid().as_str());
}

#[tokio::test]
async fn an_institution_verifies_online_and_the_citizen_sees_it() {
    let app = TestApp::new().await;
    seed_registry(&app).await;
    let (officer, desk) = open_desk(&app).await;
    let citizen = eligible_citizens(&app, 1).await.remove(0);
    let session = active_citizen(&app, &officer, desk, &citizen, "device-aaaaaaaaaaaa").await;
    let phone = PhoneKeys::random();
    let signed: SignedJson =
        serde_json::from_value(body_json(app.bundle(&session, &phone).await).await)
            .expect("signed");
    let trust = trust_document(&app).await.to_trust_list().expect("keys");
    let bundle: OfflineBundle = signed.verify(&trust, None).expect("bundle");
    let (api_key, qr_key_hex) = institutions::add(&app.db, "Bank Rakyat Contoh")
        .await
        .expect("add");
    let now = ikd_server::platform::clock::unix_now();
    let shown = |profile| phone.present(&bundle.credentials, profile, now);

    // The encrypted variant opens with the institution key, offline too.
    let key: [u8; 32] = ikd_core::hex::decode(&qr_key_hex)
        .expect("hex")
        .try_into()
        .expect("32 bytes");
    let options = DecodeOptions {
        trust: Some(&trust),
        decrypt_key: Some(key),
        now,
        check_time: true,
        ..DecodeOptions::default()
    };
    let opened = claim169::decode(&shown(QrProfile::FullEncrypted), &options).expect("decrypts");
    assert!(opened.encrypted && opened.verified);
    assert_eq!(opened.holder, HolderBinding::Presented { at: now });
    assert_eq!(opened.claim169.id.as_deref(), Some(citizen.nik.as_str()));

    let verify = |qr: &str, key: Option<&str>| {
        let mut request = json_request("POST", "/api/verifications", &json!({"qr": qr}), None);
        if let Some(key) = key {
            request.headers_mut().insert(
                header::AUTHORIZATION,
                format!("Bearer {key}").parse().expect("header"),
            );
        }
        request
    };
    let response = app.request(verify(&shown(QrProfile::Full), None)).await;
    assert_eq!(response.status(), 401);
    assert_eq!(body_json(response).await["code"], "institution-key");
    let verdict = body_json(
        app.request(verify(&shown(QrProfile::FullEncrypted), Some(&api_key)))
            .await,
    )
    .await;
    assert_eq!(verdict["valid"], true, "{verdict}");
    assert_eq!(verdict["encrypted"], true);
    assert_eq!(verdict["nik"], citizen.nik.as_str());
    let verdict = body_json(app.request(verify("NOT-A-QR", Some(&api_key))).await).await;
    assert_eq!(verdict["valid"], false);

    let log = body_json(
        app.request(get_request("/api/activity", Some(&session)))
            .await,
    )
    .await;
    let seen = log
        .as_array()
        .expect("log")
        .iter()
        .find(|e| e["kind"] == "verified")
        .expect("logged");
    assert_eq!(seen["actor"], "Bank Rakyat Contoh");

    // After the citizen logs out, the same QR is reported revoked.
    let logout = axum::http::Request::delete("/api/session")
        .header("cookie", &session)
        .body(axum::body::Body::empty())
        .expect("req");
    assert_eq!(app.request(logout).await.status(), 204);
    let verdict = body_json(
        app.request(verify(&shown(QrProfile::Full), Some(&api_key)))
            .await,
    )
    .await;
    assert_eq!(verdict["valid"], false);
    assert_eq!(verdict["code"], "revoked");
}
