//! The citizen's whole journey through the router: register at a desk, the officer checks the
//! face and approves, the code arrives by email, activation, and the signed offline bundle
//! whose QRs verify offline against the published trust list.

use ikd_core::activity::ActivityKind;
use ikd_core::claim169::{self, DecodeError, DecodeOptions, HOLDER_TOLERANCE_SECS, HolderBinding};
use ikd_core::offline_bundle::{OfflineBundle, QrProfile};
use ikd_core::signed::SignedJson;
use ikd_core::trust_documents::TrustListDocument;
use serde_json::json;

use crate::fixtures::*;
use crate::support::{PhoneKeys, TestApp, body_bytes, body_json, credential_ids};

#[tokio::test]
async fn a_citizen_registers_is_approved_activates_and_carries_a_signed_bundle() {
    let app = TestApp::new().await;
    seed_registry(&app).await;
    let (officer, desk) = open_desk(&app).await;
    let citizen = eligible_citizens(&app, 1).await.remove(0);

    // Register with the desk QR.
    let token = desk_token(&app, &officer, desk).await;
    assert_eq!(token["shortCode"].as_str().expect("code").len(), 6);
    let body = registration_body(&app, &citizen, token["qrText"].as_str().expect("qr")).await;
    let (status, answer) = register(&app, &body).await;
    assert_eq!(status, 202, "{answer}");
    assert_eq!(answer["status"], "pending");
    let id = answer["registrationId"].as_str().expect("id").to_owned();
    assert_eq!(id.len(), 32);

    // The officer's queue shows them, with biodata and both photos.
    let queue = desk_queue(&app, &officer, desk).await;
    assert_eq!(queue.as_array().expect("queue").len(), 1);
    assert_eq!(queue[0]["nik"], citizen.nik.as_str());
    let detail = body_json(
        app.request(get_request(
            &format!("/api/officer/registrations/{id}"),
            Some(&officer),
        ))
        .await,
    )
    .await;
    assert_eq!(detail["person"]["nik"], citizen.nik.as_str());
    assert_eq!(detail["person"]["validUntil"], "SEUMUR HIDUP");
    for url in [&detail["selfieUrl"], &detail["registryPhotoUrl"]] {
        let response = app
            .request(get_request(url.as_str().expect("url"), Some(&officer)))
            .await;
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["content-type"], "image/jpeg");
        assert!(body_bytes(response).await.starts_with(&[0xFF, 0xD8, 0xFF]));
    }

    // Approve: the activation code is emailed with a link.
    let response = decide(&app, &officer, &id, json!({"approve": true})).await;
    assert_eq!(response.status(), 200);
    let mails = emails_to(&app, &citizen.email);
    assert_eq!(mails.len(), 1);
    assert!(
        mails[0].contains("https://ikd.test/aktivasi#kode="),
        "{}",
        mails[0]
    );
    let code = activation_code(&app, &citizen.email);
    assert!(
        code.chars()
            .all(|c| ikd_core::crockford::ALPHABET.contains(&(c as u8)))
    );
    let status = body_json(app.get(&format!("/api/registrations/{id}/status")).await).await;
    assert_eq!(status["status"], "approved");

    // Activate, typed in lower case with a dash as people do; a session cookie follows.
    let typed = format!("{}-{}", &code[..4], &code[4..]).to_lowercase();
    let response = activate(&app, &citizen, &typed, "device-aaaaaaaaaaaa").await;
    assert_eq!(response.status(), 200);
    let set_cookie = response.headers()["set-cookie"]
        .to_str()
        .expect("ascii")
        .to_owned();
    // `__Host-` binds the cookie to this origin: Secure, Path=/ and no Domain, or the browser
    // refuses it (issue 14, finding 9).
    assert!(set_cookie.starts_with("__Host-ikd_sesi="), "{set_cookie}");
    for attribute in ["HttpOnly", "Secure", "SameSite=Strict", "Path=/;"] {
        assert!(set_cookie.contains(attribute), "{set_cookie}");
    }
    assert!(!set_cookie.contains("Domain"), "{set_cookie}");
    let token_value = set_cookie
        .split(';')
        .next()
        .expect("pair")
        .split_once('=')
        .expect("=")
        .1;
    assert!(token_value.len() >= 43, "at least 256 bits: {token_value}");
    let session = cookie_from(&response, "__Host-ikd_sesi").expect("cookie");
    let me = body_json(response).await;
    assert_eq!(me["nik"], citizen.nik.as_str());
    assert_eq!(me["replacedDevice"], false);

    // The bundle is signed by a key on the trust list, and carries everything shown offline.
    let phone = PhoneKeys::random();
    let response = app.bundle(&session, &phone).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["cache-control"], "no-store");
    let signed: SignedJson = serde_json::from_value(body_json(response).await).expect("signed");
    let trust_doc: TrustListDocument =
        serde_json::from_value(body_json(app.get("/api/trust-list").await).await).expect("trust");
    let trust = trust_doc.to_trust_list().expect("keys");
    let bundle: OfflineBundle = signed
        .verify(&trust, Some(ikd_server::platform::clock::unix_now()))
        .expect("valid signature");
    assert_eq!(bundle.ktp.nik, citizen.nik);
    assert!(bundle.demo_data);
    assert!(bundle.kk.members.iter().any(|m| m.nik == citizen.nik));
    assert_eq!(bundle.kk.members[0].relationship, "KEPALA KELUARGA");
    assert!(!bundle.photo_jpeg.is_empty());
    let kinds: Vec<ActivityKind> = bundle.activity.iter().map(|a| a.kind).collect();
    for kind in [
        ActivityKind::Registered,
        ActivityKind::Approved,
        ActivityKind::Activated,
        ActivityKind::BundleRefreshed,
    ] {
        assert!(kinds.contains(&kind), "{kind:?} in {kinds:?}");
    }
    assert!(
        bundle
            .activity
            .iter()
            .any(|a| a.actor.starts_with("petugas:"))
    );

    // Four credentials, each bound to its own device key, that verify offline once the phone
    // presents them.
    let now = ikd_server::platform::clock::unix_now();
    assert_eq!(bundle.present_every_secs, 30);
    assert!(bundle.valid_until > now + 6 * 86_400, "a week");
    let options = DecodeOptions {
        trust: Some(&trust),
        now,
        check_time: true,
        ..DecodeOptions::default()
    };
    let shown = |profile| phone.present(&bundle.credentials, profile, now);
    let full = claim169::decode(&shown(QrProfile::Full), &options).expect("full QR verifies");
    assert!(full.verified);
    assert_eq!(full.holder, HolderBinding::Presented { at: now });
    assert_eq!(full.claim169.id.as_deref(), Some(citizen.nik.as_str()));
    assert_eq!(
        full.meta.cnf.as_deref(),
        Some(&phone.public(QrProfile::Full)[..])
    );
    let cti = full.meta.cti.clone().expect("credential id");
    let ids = credential_ids(&app, &bundle.credentials).await;
    assert_eq!(ikd_core::hex::encode(&cti), ids[0]);
    let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM credentials WHERE nik = $1")
        .bind(&citizen.nik)
        .fetch_one(app.db.pool())
        .await
        .expect("count");
    assert_eq!(rows, 4, "a row per credential");
    let age = claim169::decode(&shown(QrProfile::Age), &options).expect("age QR verifies");
    assert_eq!(age.claim169.id, None, "the age QR must not name its holder");
    assert_eq!(age.meta.sub, None);
    assert_eq!(age.claim169.age_over_17, Some(true));
    assert!(claim169::decode(&shown(QrProfile::Basic), &options).is_ok());
    // The full-encrypted credential is signed like the others; the phone encrypts it to an
    // institution of the bundle's list at show time (none is registered here).
    assert!(bundle.institutions.is_empty());
    let own = claim169::decode(&shown(QrProfile::FullEncrypted), &options).expect("verifies");
    assert!(!own.encrypted);
    assert_ne!(own.meta.cti, full.meta.cti);
    // The credential as issued is not a QR its holder showed.
    assert_eq!(
        claim169::decode(&bundle.credentials.full, &options).map(|_| ()),
        Err(DecodeError::NotPresented)
    );
    // A QR is refused once its proof is older than the tolerance, and after the credential
    // expired.
    let later = DecodeOptions {
        now: now + HOLDER_TOLERANCE_SECS + 1,
        ..options
    };
    assert_eq!(
        claim169::decode(&shown(QrProfile::Full), &later).map(|_| ()),
        Err(DecodeError::Stale)
    );
    let expired = DecodeOptions {
        now: bundle.valid_until + 8 * 86_400,
        ..options
    };
    let shown_then = phone.present(&bundle.credentials, QrProfile::Full, expired.now);
    assert_eq!(
        claim169::decode(&shown_then, &expired).map(|_| ()),
        Err(DecodeError::Expired)
    );

    // The citizen sees their own log.
    let log = body_json(
        app.request(get_request("/api/activity", Some(&session)))
            .await,
    )
    .await;
    assert!(log.as_array().expect("log").len() >= 4);
    let status = body_json(app.get(&format!("/api/registrations/{id}/status")).await).await;
    assert_eq!(status["status"], "activated");
}

#[tokio::test]
async fn the_short_code_works_where_the_camera_fails() {
    let app = TestApp::new().await;
    seed_registry(&app).await;
    let (officer, desk) = open_desk(&app).await;
    let citizen = eligible_citizens(&app, 1).await.remove(0);
    let token = desk_token(&app, &officer, desk).await;
    let code = token["shortCode"].as_str().expect("code").to_lowercase();
    let body = registration_body(&app, &citizen, &code).await;
    let (status, answer) = register(&app, &body).await;
    assert_eq!(status, 202, "{answer}");
}

#[tokio::test]
async fn a_rejection_needs_a_reason_and_tells_the_citizen() {
    let app = TestApp::new().await;
    seed_registry(&app).await;
    let (officer, desk) = open_desk(&app).await;
    let citizen = eligible_citizens(&app, 1).await.remove(0);
    let id = registered(&app, &officer, desk, &citizen).await;
    let response = decide(&app, &officer, &id, json!({"approve": false})).await;
    assert_eq!(response.status(), 422);
    let refusal = body_json(response).await;
    assert_eq!(refusal["code"], "reason-required");
    assert_eq!(refusal["field"], "reason");

    let response = decide(
        &app,
        &officer,
        &id,
        json!({"approve": false, "reason": "Wajah tidak sesuai foto registri"}),
    )
    .await;
    assert_eq!(response.status(), 200);
    let mails = emails_to(&app, &citizen.email);
    assert!(mails[0].contains("Wajah tidak sesuai foto registri"));
    let response = decide(&app, &officer, &id, json!({"approve": true})).await;
    assert_eq!(response.status(), 409);
    assert_eq!(body_json(response).await["code"], "already-decided");
    let status = body_json(app.get(&format!("/api/registrations/{id}/status")).await).await;
    assert_eq!(status["status"], "rejected");
    assert_eq!(status["reason"], "Wajah tidak sesuai foto registri");
}

#[tokio::test]
async fn a_standard_rejection_reason_is_mailed_in_both_languages() {
    use ikd_core::console_api::{REJECTION_REASONS, REJECTION_REASONS_EN};
    let app = TestApp::new().await;
    seed_registry(&app).await;
    let (officer, desk) = open_desk(&app).await;
    let citizen = eligible_citizens(&app, 1).await.remove(0);
    let id = registered(&app, &officer, desk, &citizen).await;
    let response = decide(
        &app,
        &officer,
        &id,
        json!({"approve": false, "reason": REJECTION_REASONS[1]}),
    )
    .await;
    assert_eq!(response.status(), 200);
    let mails = emails_to(&app, &citizen.email);
    assert!(
        mails[0].contains(&format!("Alasan: {}", REJECTION_REASONS[1])),
        "{}",
        mails[0]
    );
    assert!(
        mails[0].contains(&format!("Reason: {}", REJECTION_REASONS_EN[1])),
        "{}",
        mails[0]
    );
}
