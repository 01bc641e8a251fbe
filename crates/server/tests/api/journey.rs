//! The citizen's whole journey through the router: register at a desk, the officer checks the
//! face and approves, the code arrives by email, activation, and the signed offline bundle
//! whose QRs verify offline against the published trust list.

use ikd_core::activity::ActivityKind;
use ikd_core::claim169::{self, DecodeOptions};
use ikd_core::offline_bundle::OfflineBundle;
use ikd_core::signed::SignedJson;
use ikd_core::trust_documents::TrustListDocument;
use serde_json::json;

use crate::fixtures::*;
use crate::support::{TestApp, body_bytes, body_json};

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
    let response = app
        .request(get_request("/api/bundle", Some(&session)))
        .await;
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

    // Four 15-minute windows, each with four QRs that verify offline.
    assert_eq!(bundle.qr.len(), 4);
    let now = ikd_server::platform::clock::unix_now();
    let window = bundle.qr_at(now).expect("a window covers now");
    assert_eq!(window.expires_at - window.not_before, 900);
    let options = DecodeOptions {
        trust: Some(&trust),
        decrypt_key: None,
        now,
        check_time: true,
        ..DecodeOptions::default()
    };
    let full = claim169::decode(&window.full, &options).expect("full QR verifies");
    assert!(full.verified);
    assert_eq!(full.claim169.id.as_deref(), Some(citizen.nik.as_str()));
    let cti = full.meta.cti.clone().expect("credential id");
    assert_eq!(ikd_core::hex::encode(&cti[..16]), bundle.credential_id);
    let age = claim169::decode(&window.age, &options).expect("age QR verifies");
    assert_eq!(age.claim169.id, None, "the age QR must not name its holder");
    assert_eq!(age.meta.sub, None);
    assert_eq!(age.claim169.age_over_17, Some(true));
    assert!(claim169::decode(&window.basic, &options).is_ok());
    assert!(
        claim169::decode(&window.full_encrypted, &options).is_err(),
        "needs the key"
    );
    // A QR is refused outside its window.
    let later = DecodeOptions {
        now: window.expires_at,
        ..options
    };
    assert!(claim169::decode(&window.full, &later).is_err());

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
