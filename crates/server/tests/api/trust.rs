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
    // Two institutions, each with its own key; the bundle lists both (public keys only).
    let (api_key, qr_key) = institutions::add(&app.db, "Bank Rakyat Contoh")
        .await
        .expect("add");
    let (other_api_key, other_qr_key) = institutions::add(&app.db, "Klinik Contoh")
        .await
        .expect("add");
    assert_ne!(qr_key.kid, other_qr_key.kid);
    let phone = PhoneKeys::random();
    let signed: SignedJson =
        serde_json::from_value(body_json(app.bundle(&session, &phone).await).await)
            .expect("signed");
    let trust = trust_document(&app).await.to_trust_list().expect("keys");
    let bundle: OfflineBundle = signed.verify(&trust, None).expect("bundle");
    let listed = |name: &str| {
        bundle
            .institutions
            .iter()
            .find(|i| i.name == name)
            .cloned()
            .expect("listed in the bundle")
    };
    let (bank, clinic) = (listed("Bank Rakyat Contoh"), listed("Klinik Contoh"));
    assert_eq!(bank.kid, qr_key.kid);
    assert!(
        !signed.payload.contains("PRIVATE"),
        "no private key in the bundle"
    );
    let now = ikd_server::platform::clock::unix_now();
    let shown = |profile| phone.present(&bundle.credentials, profile, now);
    let to_bank = phone.present_to(&bundle.credentials, &bank, now);

    // The QR for the bank opens with the bank's own key, offline too.
    let key = institutions::qr_key_from_pem(&qr_key.private_key_pem).expect("PEM");
    let keys = [key];
    let options = DecodeOptions {
        trust: Some(&trust),
        institution_keys: &keys,
        now,
        check_time: true,
        ..DecodeOptions::default()
    };
    let opened = claim169::decode(&to_bank, &options).expect("decrypts");
    assert!(opened.encrypted && opened.verified);
    assert_eq!(opened.holder, HolderBinding::Presented { at: now });
    assert_eq!(opened.claim169.id.as_deref(), Some(citizen.nik.as_str()));
    // The clinic's key does not open it.
    let clinic_keys = [institutions::qr_key_from_pem(&other_qr_key.private_key_pem).expect("PEM")];
    assert_eq!(
        claim169::decode(
            &to_bank,
            &DecodeOptions {
                institution_keys: &clinic_keys,
                ..options
            }
        )
        .map(|_| ()),
        Err(claim169::DecodeError::OtherInstitution)
    );

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
    let verdict = body_json(app.request(verify(&to_bank, Some(&api_key))).await).await;
    assert_eq!(verdict["valid"], true, "{verdict}");
    assert_eq!(verdict["encrypted"], true);
    assert_eq!(verdict["nik"], citizen.nik.as_str());
    // Online, the clinic cannot read the bank's QR either: a typed refusal, in both languages.
    let verdict = body_json(app.request(verify(&to_bank, Some(&other_api_key))).await).await;
    assert_eq!(verdict["valid"], false, "{verdict}");
    assert_eq!(verdict["code"], "other-institution");
    assert!(
        verdict["message"]
            .as_str()
            .expect("id")
            .contains("instansi lain")
    );
    assert!(
        verdict["messageEn"]
            .as_str()
            .expect("en")
            .contains("another institution")
    );
    assert_eq!(verdict["nik"], serde_json::Value::Null);
    // The clinic's own QR opens for the clinic.
    let to_clinic = phone.present_to(&bundle.credentials, &clinic, now);
    let verdict = body_json(app.request(verify(&to_clinic, Some(&other_api_key))).await).await;
    assert_eq!(verdict["valid"], true, "{verdict}");
    let verdict = body_json(app.request(verify("NOT-A-QR", Some(&api_key))).await).await;
    assert_eq!(verdict["valid"], false);

    let log = body_json(
        app.request(get_request("/api/activity", Some(&session)))
            .await,
    )
    .await;
    // Each institution's read is in the history under its own name; the clinic's refused
    // attempt on the bank's QR read nothing, so it is not.
    let seen: Vec<&str> = log
        .as_array()
        .expect("log")
        .iter()
        .filter(|e| e["kind"] == "verified")
        .filter_map(|e| e["actor"].as_str())
        .collect();
    assert!(seen.contains(&"Bank Rakyat Contoh"), "{seen:?}");
    assert_eq!(
        seen.iter().filter(|a| **a == "Klinik Contoh").count(),
        1,
        "only the clinic's own QR: {seen:?}"
    );

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

/// Issue 17: `rotate-key` gives the institution a new QR key, audited, in the very next bundle;
/// QRs made with the previous key (phones not yet refreshed) still open until the next
/// rotation, then no longer; a switched-off institution leaves the bundle and is refused.
#[tokio::test]
async fn a_rotated_qr_key_is_in_the_next_bundle_and_the_previous_one_opens_until_the_next() {
    let app = TestApp::new().await;
    seed_registry(&app).await;
    let (officer, desk) = open_desk(&app).await;
    let citizen = eligible_citizens(&app, 1).await.remove(0);
    let session = active_citizen(&app, &officer, desk, &citizen, "device-rotate-qr-1").await;
    let (_, first) = institutions::add(&app.db, "Bank Rotasi")
        .await
        .expect("add");
    let app = &app;
    let phone = PhoneKeys::random();
    let trust = trust_document(app).await.to_trust_list().expect("keys");
    let bundle_now = || async {
        let signed: SignedJson =
            serde_json::from_value(body_json(app.bundle(&session, &phone).await).await)
                .expect("signed");
        signed
            .verify::<OfflineBundle>(&trust, None)
            .expect("bundle")
    };
    let verify = |qr: String, key: String| async move {
        let mut request = json_request("POST", "/api/verifications", &json!({"qr": qr}), None);
        request.headers_mut().insert(
            header::AUTHORIZATION,
            format!("Bearer {key}").parse().expect("header"),
        );
        let response = app.request(request).await;
        (response.status(), body_json(response).await)
    };

    let before = bundle_now().await;
    assert_eq!(before.institutions.len(), 1);
    assert_eq!(before.institutions[0].kid, first.kid);
    let now = ikd_server::platform::clock::unix_now();
    let old_qr = phone.present_to(&before.credentials, &before.institutions[0], now);

    let (api_key, second) = institutions::rotate_key(&app.db, "Bank Rotasi")
        .await
        .expect("rotate");
    assert_ne!(second.kid, first.kid);
    let detail: String = sqlx::query_scalar(
        "SELECT detail FROM audit_trail WHERE action = 'institution-key-rotated' ORDER BY id DESC",
    )
    .fetch_one(app.db.pool())
    .await
    .expect("audited");
    assert!(detail.contains(&second.kid), "{detail}");
    let listed: Vec<(i64, Option<String>)> =
        sqlx::query_as("SELECT id, qr_kid FROM institutions WHERE name = 'Bank Rotasi'")
            .fetch_all(app.db.pool())
            .await
            .expect("row");
    assert_eq!(listed[0].1.as_deref(), Some(second.kid.as_str()));
    let sealed: String =
        sqlx::query_scalar("SELECT qr_private_key_sealed FROM institutions WHERE id = $1")
            .bind(listed[0].0)
            .fetch_one(app.db.pool())
            .await
            .expect("sealed");
    assert!(sealed.starts_with("sealed:v1:") && !sealed.contains("PRIVATE"));

    // The next bundle carries the new key only; its QR opens, and so does the old one.
    let after = bundle_now().await;
    assert_eq!(after.institutions.len(), 1);
    assert_eq!(after.institutions[0].kid, second.kid);
    let new_qr = phone.present_to(&after.credentials, &after.institutions[0], now);
    let (status, verdict) = verify(new_qr.clone(), api_key.clone()).await;
    assert_eq!(
        (status.as_u16(), &verdict["valid"]),
        (200, &json!(true)),
        "{verdict}"
    );
    let (_, verdict) = verify(old_qr.clone(), api_key.clone()).await;
    assert_eq!(
        verdict["valid"], true,
        "the previous key still opens: {verdict}"
    );

    // The next rotation retires it.
    let (api_key, _) = institutions::rotate_key(&app.db, "Bank Rotasi")
        .await
        .expect("rotate");
    let (_, verdict) = verify(old_qr, api_key.clone()).await;
    assert_eq!(verdict["code"], "other-institution", "{verdict}");
    let (_, verdict) = verify(new_qr.clone(), api_key.clone()).await;
    assert_eq!(verdict["valid"], true, "{verdict}");

    // Switched off: its reads stop at once, and phones no longer offer it.
    institutions::disable(&app.db, "Bank Rotasi")
        .await
        .expect("disable");
    let (status, refused) = verify(new_qr, api_key).await;
    assert_eq!(status, 403);
    assert_eq!(refused["code"], "institution-disabled");
    assert!(bundle_now().await.institutions.is_empty());
}
