//! Issue 15: every officer has a second factor. The password alone opens only a login step;
//! a TOTP code, a passkey or a recovery code starts the session, each accepted once; an
//! officer with none enrols at first login; an admin of the region resets a lost one, and the
//! audit trail shows both.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ikd_core::officer::OfficerRole;
use ikd_server::platform::totp;
use ikd_server::platform::webauthn::RelyingParty;
use ikd_server::platform::webauthn::software_authenticator::SoftwareAuthenticator;
use serde_json::{Value, json};

use crate::fixtures::{
    add_officer, add_officer_without_second_factor, cookie_from, get_request, json_request,
    officer_login, officer_password_step, totp_code,
};
use crate::support::{TestApp, body_json};

const SESSION: &str = "__Host-ikd_petugas";

async fn post(
    app: &TestApp,
    path: &str,
    body: &Value,
    cookie: &str,
) -> (u16, Value, Option<String>) {
    let response = app
        .request(json_request("POST", path, body, Some(cookie)))
        .await;
    let status = response.status().as_u16();
    let session = cookie_from(&response, SESSION);
    let body = body_json(response).await;
    (status, body, session)
}

async fn audit_actions(app: &TestApp) -> Vec<(String, String, String)> {
    sqlx::query_as("SELECT actor, action, subject FROM audit_trail ORDER BY id")
        .fetch_all(app.db.pool())
        .await
        .expect("audit rows")
}

#[tokio::test]
async fn second_factor_the_password_alone_opens_nothing_but_the_login_step() {
    let app = TestApp::new().await;
    add_officer(&app, "rina", OfficerRole::Officer, "32.76").await;
    let step = officer_password_step(&app, "rina").await;
    for path in ["/api/officer/session", "/api/desks", "/api/drives"] {
        let status = app.request(get_request(path, Some(&step))).await.status();
        assert_eq!(status, 401, "{path} with the step cookie alone");
    }
    let status = body_json(
        app.request(get_request("/api/officer/second-factor", Some(&step)))
            .await,
    )
    .await;
    assert_eq!(status["mustEnrol"], false);
    assert_eq!(status["totp"], true);
    assert_eq!(status["passkeyOrigin"], "https://ikd.test");
    // No step cookie: nothing to continue.
    let (code, body, _) = post(
        &app,
        "/api/officer/second-factor/totp",
        &json!({"code": "123456"}),
        "x=y",
    )
    .await;
    assert_eq!(
        (code, body["code"].as_str()),
        (401, Some("login-step-required"))
    );
}

#[tokio::test]
async fn second_factor_totp_is_enrolled_at_first_login_and_each_code_is_accepted_once() {
    let app = TestApp::new().await;
    let id = add_officer_without_second_factor(&app, "rina", OfficerRole::Officer, "32.76").await;
    let step = officer_password_step(&app, "rina").await;
    let status = body_json(
        app.request(get_request("/api/officer/second-factor", Some(&step)))
            .await,
    )
    .await;
    assert_eq!(status["mustEnrol"], true);
    // A code before any secret was handed out.
    let (code, body, _) = post(
        &app,
        "/api/officer/second-factor/totp",
        &json!({"code": "123456"}),
        &step,
    )
    .await;
    assert_eq!(
        (code, body["code"].as_str()),
        (409, Some("totp-not-enrolled"))
    );
    let (code, enrolment, _) = post(
        &app,
        "/api/officer/second-factor/totp-enrolment",
        &json!({}),
        &step,
    )
    .await;
    assert_eq!(code, 200);
    let secret = data_encoding::BASE32_NOPAD
        .decode(enrolment["secret"].as_str().expect("secret").as_bytes())
        .expect("base32");
    assert!(
        enrolment["otpauthUri"]
            .as_str()
            .expect("uri")
            .starts_with("otpauth://totp/IKD%20Petugas:rina?")
    );
    let now = totp::step_of(ikd_server::platform::clock::unix_now());
    let wrong = if totp::code_at_step(&secret, now) == "000000" {
        "111111"
    } else {
        "000000"
    };
    let (code, body, session) = post(
        &app,
        "/api/officer/second-factor/totp",
        &json!({"code": wrong}),
        &step,
    )
    .await;
    assert_eq!(
        (code, body["code"].as_str(), session),
        (401, Some("second-factor-wrong"), None)
    );
    let right = totp::code_at_step(&secret, now);
    let (code, body, session) = post(
        &app,
        "/api/officer/second-factor/totp",
        &json!({"code": right}),
        &step,
    )
    .await;
    assert_eq!(code, 200, "{body}");
    let session = session.expect("session cookie");
    assert_eq!(body["officer"]["username"], "rina");
    let recovery: Vec<String> =
        serde_json::from_value(body["recoveryCodes"].clone()).expect("codes");
    assert_eq!(recovery.len(), 10);
    assert_eq!(
        app.request(get_request("/api/officer/session", Some(&session)))
            .await
            .status(),
        200
    );
    // The step is spent, and the same code never opens a second login.
    let (code, _, _) = post(
        &app,
        "/api/officer/second-factor/totp",
        &json!({"code": right}),
        &step,
    )
    .await;
    assert_eq!(code, 401);
    let step = officer_password_step(&app, "rina").await;
    let (code, body, _) = post(
        &app,
        "/api/officer/second-factor/totp",
        &json!({"code": right}),
        &step,
    )
    .await;
    assert_eq!(
        (code, body["code"].as_str()),
        (401, Some("second-factor-wrong")),
        "a code is good once"
    );
    // Enrolment is over: no second secret for this account.
    let (code, _, _) = post(
        &app,
        "/api/officer/second-factor/totp-enrolment",
        &json!({}),
        &step,
    )
    .await;
    assert_eq!(code, 409);
    // A recovery code works once, typed in any case.
    let typed = recovery[0].to_lowercase();
    let (code, _, session) = post(
        &app,
        "/api/officer/second-factor/recovery",
        &json!({"code": typed}),
        &step,
    )
    .await;
    assert_eq!(code, 200);
    assert!(session.is_some());
    let step = officer_password_step(&app, "rina").await;
    let (code, _, _) = post(
        &app,
        "/api/officer/second-factor/recovery",
        &json!({"code": recovery[0]}),
        &step,
    )
    .await;
    assert_eq!(code, 401, "a recovery code is good once");
    let status = body_json(
        app.request(get_request("/api/officer/second-factor", Some(&step)))
            .await,
    )
    .await;
    assert_eq!(status["recoveryCodesLeft"], 9);
    assert!(
        audit_actions(&app).await.contains(&(
            "rina".into(),
            "second-factor-enrolled".into(),
            id.to_string()
        )),
        "the enrolment is in the trail"
    );
}

#[tokio::test]
async fn second_factor_a_few_wrong_codes_end_the_step_and_the_password_is_asked_again() {
    let app = TestApp::new().await;
    add_officer(&app, "rina", OfficerRole::Officer, "32.76").await;
    let step = officer_password_step(&app, "rina").await;
    for _ in 0..5 {
        let (code, body, _) = post(
            &app,
            "/api/officer/second-factor/totp",
            &json!({"code": "12345x"}),
            &step,
        )
        .await;
        assert_eq!(
            (code, body["code"].as_str()),
            (401, Some("second-factor-wrong"))
        );
    }
    let right = totp_code(&app, "rina").await;
    let (code, body, _) = post(
        &app,
        "/api/officer/second-factor/totp",
        &json!({"code": right}),
        &step,
    )
    .await;
    assert_eq!(
        (code, body["code"].as_str()),
        (401, Some("login-step-required"))
    );
    // With the password again, the right code works.
    assert!(!officer_login(&app, "rina").await.is_empty());
}

#[tokio::test]
async fn second_factor_wrong_codes_per_officer_are_bounded_across_steps() {
    let app = TestApp::with_config(|c| c.limits.second_factor_failures_officer.max = 3).await;
    add_officer(&app, "rina", OfficerRole::Officer, "32.76").await;
    for _ in 0..3 {
        let step = officer_password_step(&app, "rina").await;
        let (code, _, _) = post(
            &app,
            "/api/officer/second-factor/totp",
            &json!({"code": "000000x"}),
            &step,
        )
        .await;
        assert_eq!(code, 401);
    }
    let step = officer_password_step(&app, "rina").await;
    let right = totp_code(&app, "rina").await;
    let (code, body, _) = post(
        &app,
        "/api/officer/second-factor/totp",
        &json!({"code": right}),
        &step,
    )
    .await;
    assert_eq!(
        (code, body["code"].as_str()),
        (429, Some("second-factor-limited"))
    );
}

async fn passkey_round(
    app: &TestApp,
    device: &mut SoftwareAuthenticator,
    step: &str,
) -> (u16, Value, Option<String>) {
    let (code, challenge, _) = post(
        app,
        "/api/officer/second-factor/passkey-challenge",
        &json!({}),
        step,
    )
    .await;
    assert_eq!(code, 200, "{challenge}");
    let rp = RelyingParty {
        id: challenge["rpId"].as_str().expect("rp").to_owned(),
        origin: "https://ikd.test".to_owned(),
    };
    let nonce = challenge["challenge"].as_str().expect("challenge");
    let b64 = |bytes: &[u8]| URL_SAFE_NO_PAD.encode(bytes);
    let answer = if challenge["creating"] == true {
        let created = device.create(&rp, nonce);
        json!({"credentialId": device.credential_id(), "clientDataJson": b64(&created.client_data_json),
               "attestationObject": b64(&created.attestation_object)})
    } else {
        let got = device.get(&rp, nonce);
        json!({"credentialId": got.credential_id, "clientDataJson": b64(&got.client_data_json),
               "authenticatorData": b64(&got.authenticator_data), "signature": b64(&got.signature)})
    };
    post(app, "/api/officer/second-factor/passkey", &answer, step).await
}

#[tokio::test]
async fn second_factor_a_passkey_enrols_logs_in_and_another_device_is_refused() {
    let app = TestApp::new().await;
    add_officer_without_second_factor(&app, "rina", OfficerRole::Officer, "32.76").await;
    let mut device = SoftwareAuthenticator::new();
    let step = officer_password_step(&app, "rina").await;
    let (code, body, session) = passkey_round(&app, &mut device, &step).await;
    assert_eq!(code, 200, "{body}");
    assert!(session.is_some());
    assert_eq!(body["recoveryCodes"].as_array().map(Vec::len), Some(10));
    let step = officer_password_step(&app, "rina").await;
    let status = body_json(
        app.request(get_request("/api/officer/second-factor", Some(&step)))
            .await,
    )
    .await;
    assert_eq!(
        (status["passkeys"].as_i64(), status["totp"].as_bool()),
        (Some(1), Some(false))
    );
    let (code, body, session) = passkey_round(&app, &mut device, &step).await;
    assert_eq!(code, 200, "{body}");
    assert!(session.is_some());
    assert!(
        body["recoveryCodes"].as_array().expect("list").is_empty(),
        "codes are shown once"
    );
    // Someone else's authenticator, even claiming the same credential id, does not verify.
    let step = officer_password_step(&app, "rina").await;
    let (code, challenge, _) = post(
        &app,
        "/api/officer/second-factor/passkey-challenge",
        &json!({}),
        &step,
    )
    .await;
    assert_eq!(code, 200);
    let mut stranger = SoftwareAuthenticator::new();
    let rp = RelyingParty {
        id: "ikd.test".into(),
        origin: "https://ikd.test".into(),
    };
    let forged = stranger.get(&rp, challenge["challenge"].as_str().expect("challenge"));
    let b64 = |bytes: &[u8]| URL_SAFE_NO_PAD.encode(bytes);
    let answer = json!({"credentialId": device.credential_id(), "clientDataJson": b64(&forged.client_data_json),
        "authenticatorData": b64(&forged.authenticator_data), "signature": b64(&forged.signature)});
    let (code, body, session) =
        post(&app, "/api/officer/second-factor/passkey", &answer, &step).await;
    assert_eq!(
        (code, body["code"].as_str(), session),
        (401, Some("passkey-refused"), None)
    );
    // The challenge was spent by that answer: replaying a good answer to it fails too.
    let (code, _, _) = post(&app, "/api/officer/second-factor/passkey", &answer, &step).await;
    assert_eq!(code, 401);
}

#[tokio::test]
async fn second_factor_passkeys_are_refused_plainly_on_an_ip_address() {
    let app = TestApp::with_config(|c| c.public_url = "http://10.1.2.3:8080".into()).await;
    add_officer_without_second_factor(&app, "rina", OfficerRole::Officer, "32.76").await;
    let step = officer_password_step(&app, "rina").await;
    let status = body_json(
        app.request(get_request("/api/officer/second-factor", Some(&step)))
            .await,
    )
    .await;
    assert_eq!(status["passkeyOrigin"], Value::Null);
    let (code, body, _) = post(
        &app,
        "/api/officer/second-factor/passkey-challenge",
        &json!({}),
        &step,
    )
    .await;
    assert_eq!(
        (code, body["code"].as_str()),
        (422, Some("passkey-unavailable"))
    );
}

#[tokio::test]
async fn second_factor_an_admin_of_the_region_resets_it_and_the_trail_shows_it() {
    let app = TestApp::new().await;
    let rina = add_officer(&app, "rina", OfficerRole::Officer, "32.76").await;
    add_officer(&app, "sari", OfficerRole::Supervisor, "32.76").await;
    add_officer(&app, "agus", OfficerRole::Admin, "32").await;
    add_officer(&app, "made", OfficerRole::Admin, "51").await;
    let rina_session = officer_login(&app, "rina").await;
    let path = format!("/api/officers/{rina}/second-factor-reset");
    let sari = officer_login(&app, "sari").await;
    let (code, body, _) = post(&app, &path, &json!({}), &sari).await;
    assert_eq!(
        (code, body["code"].as_str()),
        (403, Some("staff-reset-admin-only"))
    );
    let made = officer_login(&app, "made").await;
    let (code, _, _) = post(&app, &path, &json!({}), &made).await;
    assert_eq!(code, 403, "an admin of another province");
    let agus = officer_login(&app, "agus").await;
    let response = app
        .request(json_request("POST", &path, &json!({}), Some(&agus)))
        .await;
    assert_eq!(response.status(), 204);
    assert_eq!(
        app.request(get_request("/api/officer/session", Some(&rina_session)))
            .await
            .status(),
        401,
        "her sessions ended"
    );
    let step = officer_password_step(&app, "rina").await;
    let status = body_json(
        app.request(get_request("/api/officer/second-factor", Some(&step)))
            .await,
    )
    .await;
    assert_eq!(status["mustEnrol"], true, "she enrols again");
    assert!(
        audit_actions(&app).await.contains(&(
            "agus".into(),
            "second-factor-reset".into(),
            rina.to_string()
        )),
        "the reset is in the trail"
    );
}
