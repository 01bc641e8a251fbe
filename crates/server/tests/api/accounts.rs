//! Activation rules, login, one device per account, logout, password change and reset,
//! session timeouts, and the limits on each.

use axum::http::header;
use ikd_core::signed::SignedJson;
use ikd_core::trust_documents::{RevocationList, TrustListDocument};
use serde_json::json;

use crate::fixtures::*;
use crate::support::{PhoneKeys, TestApp, body_json, credential_ids};

const DEVICE_A: &str = "device-aaaaaaaaaaaa";
const DEVICE_B: &str = "device-bbbbbbbbbbbb";

async fn approved() -> (TestApp, String, i64, Citizen) {
    approved_with(|_| {}).await
}

async fn approved_with(
    adjust: impl FnOnce(&mut ikd_server::platform::config::ServiceConfig),
) -> (TestApp, String, i64, Citizen) {
    let app = TestApp::with_config(adjust).await;
    seed_registry(&app).await;
    let (officer, desk) = open_desk(&app).await;
    let citizen = eligible_citizens(&app, 1).await.remove(0);
    registered_and_approved(&app, &officer, desk, &citizen).await;
    (app, officer, desk, citizen)
}

fn wrong_code(right: &str) -> &'static str {
    if right.starts_with('0') {
        "11111111"
    } else {
        "00000000"
    }
}

async fn code_of(response: axum::http::Response<axum::body::Body>) -> (u16, serde_json::Value) {
    let status = response.status().as_u16();
    (status, body_json(response).await)
}

#[tokio::test]
async fn five_wrong_codes_kill_the_code() {
    let (app, _, _, citizen) = approved().await;
    let right = activation_code(&app, &citizen.email);
    let wrong = if right.starts_with('0') {
        "11111111"
    } else {
        "00000000"
    };
    // No count of tries left: it would tell a stranger that this NIK has a code (issue 14).
    for _ in 1..=5 {
        let (status, answer) = code_of(activate(&app, &citizen, wrong, DEVICE_A).await).await;
        assert_eq!(status, 422);
        assert_eq!(answer["code"], "code-invalid");
        assert_eq!(answer["field"], "code");
        assert!(!answer["message"].as_str().expect("msg").contains("Sisa"));
    }
    // Even the right code no longer works, and its holder is told so.
    let (_, answer) = code_of(activate(&app, &citizen, &right, DEVICE_A).await).await;
    assert_eq!(answer["code"], "code-attempts-exhausted");

    // The officer sends a new code; only the new one works.
    let id: String = sqlx::query_scalar("SELECT id FROM registrations")
        .fetch_one(app.db.pool())
        .await
        .expect("id");
    let officer = officer_login(&app, "rina").await;
    let resend = json_request(
        "POST",
        &format!("/api/officer/registrations/{id}/resend-code"),
        &json!({}),
        Some(&officer),
    );
    let (status, answer) = code_of(app.request(resend).await).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["emailSent"], true);
    let fresh = activation_code(&app, &citizen.email);
    assert_eq!(
        activate(&app, &citizen, &fresh, DEVICE_A).await.status(),
        200
    );
    let again = json_request(
        "POST",
        &format!("/api/officer/registrations/{id}/resend-code"),
        &json!({}),
        Some(&officer),
    );
    let (status, answer) = code_of(app.request(again).await).await;
    assert_eq!(status, 409);
    assert_eq!(answer["code"], "not-awaiting-activation");
}

#[tokio::test]
async fn a_code_is_single_use_and_lasts_ten_minutes() {
    let (app, _, _, citizen) = approved().await;
    let code = activation_code(&app, &citizen.email);
    let stored: String = sqlx::query_scalar("SELECT code_hash FROM activation_codes")
        .fetch_one(app.db.pool())
        .await
        .expect("row");
    assert!(!stored.contains(&code), "stored hashed");
    let (expires, created): (i64, i64) =
        sqlx::query_as("SELECT expires_at, created_at FROM activation_codes")
            .fetch_one(app.db.pool())
            .await
            .expect("row");
    assert_eq!(expires - created, 600);

    sqlx::query("UPDATE activation_codes SET expires_at = created_at - 1")
        .execute(app.db.pool())
        .await
        .expect("age the code");
    let (_, answer) = code_of(activate(&app, &citizen, &code, DEVICE_A).await).await;
    assert_eq!(answer["code"], "code-expired");
    sqlx::query("UPDATE activation_codes SET expires_at = created_at + 600")
        .execute(app.db.pool())
        .await
        .expect("restore");
    assert_eq!(
        activate(&app, &citizen, &code, DEVICE_A).await.status(),
        200
    );
    let (_, answer) = code_of(activate(&app, &citizen, &code, DEVICE_A).await).await;
    assert_eq!(answer["code"], "code-invalid");
}

#[tokio::test]
async fn a_nik_allows_100_wrong_codes_a_day() {
    let limit = ikd_server::platform::rate_limit::RateLimits::default().activate_failures_nik;
    assert_eq!((limit.max, limit.window_secs), (100, 86_400));
    // The same rule with an allowance a test reaches quickly.
    let (app, _, _, citizen) =
        approved_with(|config| config.limits.activate_failures_nik.max = 2).await;
    let code = activation_code(&app, &citizen.email);
    for _ in 0..2 {
        let wrong = activate(&app, &citizen, wrong_code(&code), DEVICE_A).await;
        assert_eq!(wrong.status(), 422);
    }
    let (status, answer) = code_of(activate(&app, &citizen, &code, DEVICE_A).await).await;
    assert_eq!(status, 403);
    assert_eq!(answer["code"], "activation-locked");
}

#[tokio::test]
async fn weak_passwords_are_refused_when_set() {
    let (app, _, _, citizen) = approved().await;
    let code = activation_code(&app, &citizen.email);
    for (password, expected) in [
        ("pendek", "password-too-short"),
        ("password1", "password-common"),
        ("Bismillah", "password-common"),
        (&*format!("x{}", citizen.nik), "password-contains-nik"),
        (&*"a".repeat(129), "password-too-long"),
    ] {
        let body = json!({
            "nik": citizen.nik, "code": code, "password": password,
            "deviceId": DEVICE_A, "captcha": solved_captcha(&app).await,
        });
        let response = app
            .request(json_request("POST", "/api/activation", &body, None))
            .await;
        let (status, answer) = code_of(response).await;
        assert_eq!(status, 422, "{password}");
        assert_eq!(answer["code"], expected, "{password}");
        assert_eq!(answer["field"], "password");
    }
    // A long passphrase is fine, and the code still works: a bad password costs no try.
    let body = json!({
        "nik": citizen.nik, "code": code, "password": "é".repeat(64),
        "deviceId": DEVICE_A, "captcha": solved_captcha(&app).await,
    });
    let response = app
        .request(json_request("POST", "/api/activation", &body, None))
        .await;
    assert_eq!(response.status(), 200);
}

#[tokio::test]
async fn login_by_nik_or_email_and_wrong_passwords_look_like_unknown_accounts() {
    let (app, _, _, citizen) = approved().await;
    let code = activation_code(&app, &citizen.email);
    assert_eq!(
        activate(&app, &citizen, &code, DEVICE_A).await.status(),
        200
    );
    for identifier in [citizen.nik.clone(), citizen.email.to_uppercase()] {
        let response = login(&app, &identifier, CITIZEN_PASSWORD, DEVICE_A, false).await;
        assert_eq!(response.status(), 200, "{identifier}");
        assert!(cookie_from(&response, "__Host-ikd_sesi").is_some());
    }
    let wrong = code_of(login(&app, &citizen.nik, "salah-sekali-123", DEVICE_A, false).await).await;
    let unknown = code_of(
        login(
            &app,
            "3276014101900999",
            "salah-sekali-123",
            DEVICE_A,
            false,
        )
        .await,
    )
    .await;
    assert_eq!(wrong.0, 401);
    assert_eq!(wrong, unknown);
    assert_eq!(wrong.1["code"], "login-failed");
}

async fn revocations(app: &TestApp) -> RevocationList {
    let response = app.get("/api/revocations").await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()[header::CACHE_CONTROL],
        "public, max-age=300"
    );
    let signed: SignedJson = serde_json::from_value(body_json(response).await).expect("signed");
    let trust: TrustListDocument =
        serde_json::from_value(body_json(app.get("/api/trust-list").await).await).expect("trust");
    signed
        .verify(&trust.to_trust_list().expect("keys"), None)
        .expect("revocation list is signed by the issuer")
}

#[tokio::test]
async fn a_new_device_must_be_confirmed_and_revokes_the_old_one() {
    let app = TestApp::new().await;
    seed_registry(&app).await;
    let (officer, desk) = open_desk(&app).await;
    let citizen = eligible_citizens(&app, 1).await.remove(0);
    let old_session = active_citizen(&app, &officer, desk, &citizen, DEVICE_A).await;
    let phone = PhoneKeys::random();
    let old_bundle = body_json(app.bundle(&old_session, &phone).await).await;
    let old_bundle = serde_json::from_value::<SignedJson>(old_bundle).expect("signed");
    let old_bundle: ikd_core::offline_bundle::OfflineBundle = old_bundle
        .verify(
            &ikd_core::claim169::TrustList::new().with(ikd_core::claim169::TrustedKey::new(
                ikd_core::claim169::PublicKey::from_bytes(&app.issuer_key.public_key_sec1())
                    .expect("key"),
            )),
            None,
        )
        .expect("bundle");
    let old_ids = credential_ids(&app, &old_bundle.credentials).await;
    assert!(revocations(&app).await.entries.is_empty());

    let (status, answer) =
        code_of(login(&app, &citizen.nik, CITIZEN_PASSWORD, DEVICE_B, false).await).await;
    assert_eq!(status, 409);
    assert_eq!(answer["code"], "device-change-required");
    // Nothing changed yet: the old device still works.
    assert_eq!(
        app.request(get_request("/api/session", Some(&old_session)))
            .await
            .status(),
        200
    );

    let response = login(&app, &citizen.nik, CITIZEN_PASSWORD, DEVICE_B, true).await;
    assert_eq!(response.status(), 200);
    let new_session = cookie_from(&response, "__Host-ikd_sesi").expect("cookie");
    assert_eq!(body_json(response).await["replacedDevice"], true);

    // The old device's session is gone and its credentials are on the signed list.
    assert_eq!(app.bundle(&old_session, &phone).await.status(), 401);
    let list = revocations(&app).await;
    assert_eq!(list.entries.len(), 4, "the old device's four credentials");
    for id in &old_ids {
        assert!(
            list.entries
                .iter()
                .any(|e| e.credential_id == *id && e.reason == "device-replaced"),
            "{id} in {list:?}"
        );
        assert!(list.revokes(&ikd_core::hex::decode(id).expect("hex")));
    }

    let log = body_json(
        app.request(get_request("/api/activity", Some(&new_session)))
            .await,
    )
    .await;
    assert!(
        log.as_array()
            .expect("log")
            .iter()
            .any(|e| e["kind"] == "device-changed")
    );
}

#[tokio::test]
async fn logout_ends_the_session_and_revokes_the_device_credentials() {
    let app = TestApp::new().await;
    seed_registry(&app).await;
    let (officer, desk) = open_desk(&app).await;
    let citizen = eligible_citizens(&app, 1).await.remove(0);
    let session = active_citizen(&app, &officer, desk, &citizen, DEVICE_A).await;
    assert_eq!(
        app.bundle(&session, &PhoneKeys::random()).await.status(),
        200
    );
    let response = app
        .request(
            axum::http::Request::delete("/api/session")
                .header(header::COOKIE, &session)
                .body(axum::body::Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(response.status(), 204);
    assert!(
        response.headers()[header::SET_COOKIE]
            .to_str()
            .expect("ascii")
            .contains("Max-Age=0")
    );
    assert_eq!(
        app.request(get_request("/api/session", Some(&session)))
            .await
            .status(),
        401
    );
    let list = revocations(&app).await;
    assert_eq!(list.entries.len(), 4, "the four credentials of the refresh");
    assert!(list.entries.iter().all(|e| e.reason == "logout"));
}

#[tokio::test]
async fn changing_the_password_checks_the_old_one_and_the_new_rules() {
    let app = TestApp::new().await;
    seed_registry(&app).await;
    let (officer, desk) = open_desk(&app).await;
    let citizen = eligible_citizens(&app, 1).await.remove(0);
    let session = active_citizen(&app, &officer, desk, &citizen, DEVICE_A).await;
    let other = cookie_from(
        &login(&app, &citizen.nik, CITIZEN_PASSWORD, DEVICE_A, false).await,
        "__Host-ikd_sesi",
    )
    .expect("second session");
    let change = |current: &str, new: &str| {
        json_request(
            "POST",
            "/api/account/password",
            &json!({"currentPassword": current, "newPassword": new}),
            Some(&session),
        )
    };
    let (_, answer) = code_of(
        app.request(change("salah-salah-123", "sawah-hijau-baru-7"))
            .await,
    )
    .await;
    assert_eq!(answer["code"], "current-password-wrong");
    let (_, answer) = code_of(app.request(change(CITIZEN_PASSWORD, "qwerty123")).await).await;
    assert_eq!(answer["code"], "password-common");
    assert_eq!(answer["field"], "newPassword");
    assert_eq!(
        app.request(change(CITIZEN_PASSWORD, "sawah-hijau-baru-7"))
            .await
            .status(),
        200
    );
    // The other session ended; this one continues; the new password logs in.
    assert_eq!(
        app.request(get_request("/api/session", Some(&other)))
            .await
            .status(),
        401
    );
    assert_eq!(
        app.request(get_request("/api/session", Some(&session)))
            .await
            .status(),
        200
    );
    assert_eq!(
        login(&app, &citizen.nik, "sawah-hijau-baru-7", DEVICE_A, false)
            .await
            .status(),
        200
    );
    assert_eq!(
        login(&app, &citizen.nik, CITIZEN_PASSWORD, DEVICE_A, false)
            .await
            .status(),
        401
    );
}

#[tokio::test]
async fn a_forgotten_password_is_reset_through_an_emailed_link_once() {
    let app = TestApp::new().await;
    seed_registry(&app).await;
    let (officer, desk) = open_desk(&app).await;
    let citizen = eligible_citizens(&app, 1).await.remove(0);
    active_citizen(&app, &officer, desk, &citizen, DEVICE_A).await;
    let ask = |identifier: String, captcha| {
        json_request(
            "POST",
            "/api/password-reset",
            &json!({"identifier": identifier, "captcha": captcha}),
            None,
        )
    };
    let known = code_of(
        app.request(ask(citizen.email.clone(), solved_captcha(&app).await))
            .await,
    )
    .await;
    let unknown = code_of(
        app.request(ask(
            "tidak.ada@contoh.id".into(),
            solved_captcha(&app).await,
        ))
        .await,
    )
    .await;
    assert_eq!(known.0, 202);
    assert_eq!(
        known, unknown,
        "the answer does not tell who has an account"
    );
    let mails = emails_to(&app, &citizen.email);
    let mail = mails.last().expect("reset email");
    let start = mail.find("token=").expect("link") + 6;
    let token: String = mail[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    let confirm = |token: &str| {
        json_request(
            "POST",
            "/api/password-reset/confirm",
            &json!({"token": token, "newPassword": "lupa-lalu-ingat-9"}),
            None,
        )
    };
    let first = code_of(app.request(confirm(&token)).await).await;
    assert_eq!(first.0, 200, "{token} {first:?} {mail}");
    let (_, answer) = code_of(app.request(confirm(&token)).await).await;
    assert_eq!(answer["code"], "reset-invalid");
    assert_eq!(
        login(&app, &citizen.nik, "lupa-lalu-ingat-9", DEVICE_A, false)
            .await
            .status(),
        200
    );
}

#[tokio::test]
async fn an_idle_session_expires() {
    let app = TestApp::new().await;
    seed_registry(&app).await;
    let (officer, desk) = open_desk(&app).await;
    let citizen = eligible_citizens(&app, 1).await.remove(0);
    let session = active_citizen(&app, &officer, desk, &citizen, DEVICE_A).await;
    sqlx::query(
        "UPDATE sessions SET last_seen_at = last_seen_at - $1 WHERE subject_kind = 'citizen'",
    )
    .bind(app.config.citizen_sessions.idle_secs)
    .execute(app.db.pool())
    .await
    .expect("age");
    assert_eq!(
        app.request(get_request("/api/session", Some(&session)))
            .await
            .status(),
        401
    );
    // And the absolute limit, for a fresh session.
    let fresh = cookie_from(
        &login(&app, &citizen.nik, CITIZEN_PASSWORD, DEVICE_A, false).await,
        "__Host-ikd_sesi",
    )
    .expect("cookie");
    sqlx::query("UPDATE sessions SET expires_at = created_at WHERE revoked_at IS NULL")
        .execute(app.db.pool())
        .await
        .expect("expire");
    assert_eq!(
        app.request(get_request("/api/session", Some(&fresh)))
            .await
            .status(),
        401
    );
}

#[tokio::test]
async fn activations_are_rate_limited_per_address() {
    let app = TestApp::with_config(|config| config.limits.activate_ip.max = 1).await;
    let citizen = Citizen {
        nik: "3276014101900999".into(),
        email: String::new(),
        phone: String::new(),
    };
    assert_eq!(
        activate(&app, &citizen, "00000000", DEVICE_A)
            .await
            .status(),
        422
    );
    let response = activate(&app, &citizen, "00000000", DEVICE_A).await;
    assert_eq!(response.status(), 429);
    assert!(response.headers().contains_key(header::RETRY_AFTER));
}
