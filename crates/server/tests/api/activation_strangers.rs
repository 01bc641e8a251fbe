//! Issue 14, activation: a stranger who knows a NIK must not learn from `POST /api/activation`
//! whether it has an account, nor lock its owner out for good.
//!
//! The tests are named after the findings (`finding__what_now_holds`), hence the double
//! underscores.
#![allow(non_snake_case)]

use serde_json::json;

use crate::fixtures::*;
use crate::support::{TestApp, body_bytes, body_json};

const DEVICE: &str = "device-aaaaaaaaaaaa";
/// A well-formed NIK nobody registered with.
const UNKNOWN_NIK: &str = "3276014101900999";

/// A registry, an officer at a desk, and one approved citizen: (officer cookie, citizen).
async fn approved(app: &TestApp) -> (String, Citizen) {
    seed_registry(app).await;
    let (officer, desk) = open_desk(app).await;
    let citizen = eligible_citizens(app, 1).await.remove(0);
    registered_and_approved(app, &officer, desk, &citizen).await;
    (officer, citizen)
}

fn stranger() -> Citizen {
    Citizen {
        nik: UNKNOWN_NIK.into(),
        email: String::new(),
        phone: String::new(),
    }
}

fn wrong_code(right: &str) -> &'static str {
    if right.starts_with('0') {
        "11111111"
    } else {
        "00000000"
    }
}

/// The status and the exact body bytes of one activation try.
async fn answer(app: &TestApp, citizen: &Citizen, code: &str) -> (u16, String) {
    let response = activate(app, citizen, code, DEVICE).await;
    let status = response.status().as_u16();
    let body = String::from_utf8(body_bytes(response).await).expect("utf-8");
    (status, body)
}

/// The activation counters kept for `nik`, with the NIK taken out of their names, summed over
/// their windows: a test that runs across a window's end (a busy machine) splits one bucket's
/// hits over two rows, differently for two NIKs whose tries interleave.
async fn counters_of(app: &TestApp, nik: &str) -> Vec<(String, i64)> {
    let rows: Vec<(String, i64)> = sqlx::query_as("SELECT bucket, hits FROM rate_limits")
        .fetch_all(app.db.pool())
        .await
        .expect("counters");
    let mut mine = std::collections::BTreeMap::<String, i64>::new();
    for (bucket, hits) in rows {
        if bucket.starts_with("activate:") && bucket.ends_with(nik) {
            *mine.entry(bucket.replace(nik, "<nik>")).or_default() += hits;
        }
    }
    mine.into_iter().collect()
}

async fn resend_code(app: &TestApp, officer: &str) {
    let id: String = sqlx::query_scalar("SELECT id FROM registrations")
        .fetch_one(app.db.pool())
        .await
        .expect("id");
    let path = format!("/api/officer/registrations/{id}/resend-code");
    let response = app
        .request(json_request("POST", &path, &json!({}), Some(officer)))
        .await;
    assert_eq!(response.status(), 200, "resend");
}

async fn set_code_expiry(app: &TestApp, lifetime: i64) {
    sqlx::query("UPDATE activation_codes SET expires_at = created_at + $1")
        .bind(lifetime)
        .execute(app.db.pool())
        .await
        .expect("code expiry");
}

#[tokio::test]
async fn activation_tells_who_exists__same_answer_for_unknown_and_real_nik() {
    let app = TestApp::new().await;
    let (_, citizen) = approved(&app).await;
    let wrong = wrong_code(&activation_code(&app, &citizen.email));
    // Past the code's five tries too: the dead code must not show either.
    for attempt in 1..=6 {
        let real = answer(&app, &citizen, wrong).await;
        let unknown = answer(&app, &stranger(), wrong).await;
        assert_eq!(real, unknown, "wrong code #{attempt}");
        assert_eq!(real.0, 422);
        assert!(real.1.contains("\"code\":\"code-invalid\""), "{}", real.1);
    }
    // The same writes: the NIK's request and failure counters, for the unknown NIK as well.
    let real = counters_of(&app, &citizen.nik).await;
    assert_eq!(real, counters_of(&app, UNKNOWN_NIK).await);
    assert!(
        real.len() >= 2,
        "a failure counter beside the limit: {real:?}"
    );
    let tries: i64 = sqlx::query_scalar("SELECT attempts FROM activation_codes")
        .fetch_one(app.db.pool())
        .await
        .expect("tries");
    assert_eq!(tries, 6);
}

#[tokio::test]
async fn activation_tells_who_exists__expired_or_locked_codes_look_like_an_unknown_nik() {
    let app = TestApp::with_config(|config| config.limits.activate_failures_nik.max = 3).await;
    let (_, citizen) = approved(&app).await;
    let right = activation_code(&app, &citizen.email);
    let wrong = wrong_code(&right);

    set_code_expiry(&app, -1).await;
    let real = answer(&app, &citizen, wrong).await;
    assert_eq!(real, answer(&app, &stranger(), wrong).await, "expired");
    // Whoever holds the code learns it expired.
    let held = body_json(activate(&app, &citizen, &right, DEVICE).await).await;
    assert_eq!(held["code"], "code-expired");
    set_code_expiry(&app, 600).await;

    for _ in 0..2 {
        answer(&app, &citizen, wrong).await;
        answer(&app, &stranger(), wrong).await;
    }
    let real = answer(&app, &citizen, wrong).await;
    assert_eq!(real, answer(&app, &stranger(), wrong).await, "locked");
    assert_eq!(real.0, 422);
    let response = activate(&app, &citizen, &right, DEVICE).await;
    assert_eq!(response.status(), 403);
    assert_eq!(body_json(response).await["code"], "activation-locked");
}

#[tokio::test]
async fn activation_limit_charged_before_captcha__bad_captchas_cost_the_nik_nothing() {
    let app = TestApp::with_config(|config| config.limits.activate_nik.max = 2).await;
    let forged = json!({
        "algorithm": "SHA-256", "challenge": "00", "number": 0, "salt": "x", "signature": "00",
    });
    for _ in 0..3 {
        let body = json!({
            "nik": UNKNOWN_NIK, "code": "00000000", "password": CITIZEN_PASSWORD,
            "deviceId": DEVICE, "captcha": forged,
        });
        let response = app
            .request(json_request("POST", "/api/activation", &body, None))
            .await;
        assert_eq!(response.status(), 422);
        assert_eq!(body_json(response).await["field"], "captcha");
    }
    let (status, body) = answer(&app, &stranger(), "00000000").await;
    assert_eq!(status, 422, "{body}");
}

#[tokio::test]
async fn wrong_codes_lock_activation_forever__the_lock_decays_and_an_officer_lifts_it() {
    let app = TestApp::with_config(|config| config.limits.activate_failures_nik.max = 2).await;
    let window = app.config.limits.activate_failures_nik.window_secs;
    let (officer, citizen) = approved(&app).await;
    let first = activation_code(&app, &citizen.email);
    let wrong = wrong_code(&first);
    let locked = |(status, body): (u16, String)| {
        status == 403 && body.contains("\"code\":\"activation-locked\"")
    };

    answer(&app, &citizen, wrong).await;
    answer(&app, &citizen, wrong).await;
    assert!(locked(answer(&app, &citizen, &first).await));

    // A window later the count starts afresh. (The code is aged so that the right code is
    // answered "expired", not used, once it is not locked.)
    sqlx::query("UPDATE rate_limits SET window_start = window_start - $1")
        .bind(window)
        .execute(app.db.pool())
        .await
        .expect("a window later");
    set_code_expiry(&app, -1).await;
    let (status, body) = answer(&app, &citizen, &first).await;
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("\"code\":\"code-expired\""), "{body}");
    set_code_expiry(&app, 600).await;

    answer(&app, &citizen, wrong).await;
    answer(&app, &citizen, wrong).await;
    assert!(locked(answer(&app, &citizen, &first).await));

    // The officer's new code lifts the lock.
    resend_code(&app, &officer).await;
    let fresh = activation_code(&app, &citizen.email);
    answer(&app, &citizen, wrong).await;
    let (status, body) = answer(&app, &citizen, &fresh).await;
    assert_eq!(status, 200, "{body}");
    // And the success forgets the wrong code typed before it.
    let counters: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM rate_limits WHERE bucket = $1")
        .bind(format!("activate:failures:{}", citizen.nik))
        .fetch_one(app.db.pool())
        .await
        .expect("failures");
    assert_eq!(counters, 0);
}
