//! Issue 14, finding 1: strangers who know a NIK or a username must not lock its owner out.
//! Twelve wrong passwords from twelve addresses used to make the citizen's own correct login
//! answer 429 for ten minutes; registration limits were charged before the desk token and
//! the captcha were checked. Now a browser that logged in before keeps working, strangers
//! get more proof of work instead of a lock, and an officer can lift the counters.

use axum::body::Body;
use axum::http::{Request, header};
use ikd_core::officer::OfficerRole;
use serde_json::{Value, json};

use crate::fixtures::*;
use crate::support::{TestApp, body_json};

const DEVICE_COOKIE: &str = "__Host-ikd_perangkat";
const OFFICER_DEVICE_COOKIE: &str = "__Host-ikd_perangkat_petugas";
const WRONG: &str = "bukan-sandinya-123";

/// A login from `address`, with the browser's cookies and, when given, a solved captcha.
fn login_request(
    identifier: &str,
    password: &str,
    device: &str,
    cookies: Option<&str>,
    captcha: Option<Value>,
    address: &str,
) -> Request<Body> {
    let mut body = json!({
        "identifier": identifier,
        "password": password,
        "deviceId": device,
        "replaceDevice": true,
    });
    if let Some(captcha) = captcha {
        body["captcha"] = captcha;
    }
    let mut request = json_request("POST", "/api/session", &body, cookies);
    request
        .headers_mut()
        .insert("x-forwarded-for", address.parse().expect("address header"));
    request
}

async fn captcha(app: &TestApp) -> Value {
    serde_json::to_value(solved_captcha(app).await).expect("captcha json")
}

/// An activated citizen whose phone (one browser) has logged in: (citizen, that browser's
/// device cookie).
async fn citizen_with_known_browser(app: &TestApp) -> (Citizen, String) {
    seed_registry(app).await;
    let (officer, desk) = open_desk(app).await;
    let citizen = eligible_citizens(app, 1).await.remove(0);
    registered_and_approved(app, &officer, desk, &citizen).await;
    let code = activation_code(app, &citizen.email);
    let response = activate(app, &citizen, &code, "device-phone-0001").await;
    assert_eq!(response.status(), 200, "activation");
    let device = cookie_from(&response, DEVICE_COOKIE).expect("a device cookie on activation");
    (citizen, device)
}

async fn status_and_code(app: &TestApp, request: Request<Body>) -> (u16, String) {
    let response = app.request(request).await;
    let status = response.status().as_u16();
    let body = body_json(response).await;
    (status, body["code"].as_str().unwrap_or_default().to_owned())
}

#[tokio::test]
async fn lockout_by_strangers_finding_1_the_known_browser_logs_in_while_strangers_fail() {
    let app = TestApp::with_config(|config| config.trusted_proxy_hops = 1).await;
    let (citizen, device) = citizen_with_known_browser(&app).await;
    let allowance = app.config.limits.login_untrusted_failures.max;

    // Twelve strangers, twelve addresses, wrong passwords.
    for n in 0..allowance {
        let request = login_request(
            &citizen.nik,
            WRONG,
            "device-strange-01",
            None,
            None,
            &format!("10.0.0.{n}"),
        );
        assert_eq!(
            status_and_code(&app, request).await,
            (401, "login-failed".into())
        );
    }
    for n in 0..2 {
        let request = login_request(
            &citizen.nik,
            WRONG,
            "device-strange-01",
            None,
            None,
            &format!("10.0.1.{n}"),
        );
        assert_eq!(
            status_and_code(&app, request).await,
            (429, "captcha-required".into()),
            "strangers now have to solve a captcha per try"
        );
    }

    // The citizen's own phone is not slowed at all.
    let request = login_request(
        &citizen.nik,
        CITIZEN_PASSWORD,
        "device-phone-0001",
        Some(&device),
        None,
        "10.9.9.9",
    );
    let response = app.request(request).await;
    assert_eq!(response.status(), 200, "the known browser logs in");
    assert!(!response.headers().contains_key(header::RETRY_AFTER));

    // A new phone of the citizen's is not locked either: one solved captcha and it is in.
    let request = login_request(
        &citizen.nik,
        CITIZEN_PASSWORD,
        "device-new-00002",
        None,
        None,
        "10.9.9.8",
    );
    assert_eq!(
        status_and_code(&app, request).await,
        (429, "captcha-required".into())
    );
    let request = login_request(
        &citizen.nik,
        CITIZEN_PASSWORD,
        "device-new-00002",
        None,
        Some(captcha(&app).await),
        "10.9.9.8",
    );
    // The password is accepted (a code for moving phones goes by email): never a lock.
    assert_eq!(app.request(request).await.status(), 202, "never a lock");

    // A stranger who solves a captcha still needs the password, and a captcha only works once.
    let solution = captcha(&app).await;
    let request = login_request(
        &citizen.nik,
        WRONG,
        "device-strange-01",
        None,
        Some(solution.clone()),
        "10.0.2.1",
    );
    assert_eq!(
        status_and_code(&app, request).await,
        (401, "login-failed".into())
    );
    let request = login_request(
        &citizen.nik,
        WRONG,
        "device-strange-01",
        None,
        Some(solution),
        "10.0.2.2",
    );
    assert_eq!(
        status_and_code(&app, request).await,
        (422, "captcha-used".into())
    );
}

#[tokio::test]
async fn lockout_by_strangers_finding_1_an_unknown_nik_is_answered_alike() {
    let app = TestApp::new().await;
    let (citizen, _) = citizen_with_known_browser(&app).await;
    let unknown = "3276014101900999";
    let allowance = app.config.limits.login_untrusted_failures.max;
    for _ in 0..allowance + 1 {
        let real = status_and_code(
            &app,
            login_request(
                &citizen.nik,
                WRONG,
                "device-strange-01",
                None,
                None,
                "10.0.0.1",
            ),
        )
        .await;
        let none = status_and_code(
            &app,
            login_request(unknown, WRONG, "device-strange-01", None, None, "10.0.0.1"),
        )
        .await;
        assert_eq!(real, none, "the same answer, try by try");
    }
}

#[tokio::test]
async fn lockout_by_strangers_finding_1_the_persons_successes_use_up_nothing() {
    let app = TestApp::new().await;
    let (citizen, _) = citizen_with_known_browser(&app).await;
    let allowance = app.config.limits.login_untrusted_failures.max;
    // More successful logins from fresh browsers than the failure allowance.
    for _ in 0..allowance + 2 {
        let request = login_request(
            &citizen.nik,
            CITIZEN_PASSWORD,
            "device-phone-0001",
            None,
            None,
            "10.0.0.1",
        );
        assert_eq!(app.request(request).await.status(), 200);
    }
}

#[tokio::test]
async fn lockout_by_strangers_finding_1_an_officer_lifts_the_counters_and_is_named() {
    let app = TestApp::new().await;
    let (citizen, _) = citizen_with_known_browser(&app).await;
    let allowance = app.config.limits.login_untrusted_failures.max;
    for _ in 0..allowance {
        let request = login_request(
            &citizen.nik,
            WRONG,
            "device-strange-01",
            None,
            None,
            "10.0.0.1",
        );
        app.request(request).await;
    }
    let request = login_request(
        &citizen.nik,
        CITIZEN_PASSWORD,
        "device-new-00002",
        None,
        None,
        "10.0.0.2",
    );
    assert_eq!(
        status_and_code(&app, request).await,
        (429, "captcha-required".into())
    );

    // Only an officer may lift them.
    let unlock = |cookie: Option<&str>, nik: &str| {
        json_request(
            "POST",
            "/api/officer/unlock",
            &json!({ "nik": nik }),
            cookie,
        )
    };
    assert_eq!(app.request(unlock(None, &citizen.nik)).await.status(), 401);
    let officer = officer_login(&app, "rina").await;
    assert_eq!(
        status_and_code(&app, unlock(Some(&officer), "12345")).await,
        (422, "nik-format".into())
    );
    assert_eq!(
        app.request(unlock(Some(&officer), &citizen.nik))
            .await
            .status(),
        204
    );
    // An unknown NIK gets the same answer.
    assert_eq!(
        app.request(unlock(Some(&officer), "3276014101900999"))
            .await
            .status(),
        204
    );

    let request = login_request(
        &citizen.nik,
        CITIZEN_PASSWORD,
        "device-new-00002",
        None,
        None,
        "10.0.0.2",
    );
    let started = app.request(request).await;
    assert_eq!(
        started.status(),
        202,
        "no captcha needed after the officer lifted the count"
    );
    let response = finish_move(&app, &started, &citizen.email).await;
    assert_eq!(response.status(), 200);
    let session = cookie_from(&response, "__Host-ikd_sesi").expect("session");
    let history = body_json(
        app.request(get_request("/api/activity", Some(&session)))
            .await,
    )
    .await;
    let lifted = history
        .as_array()
        .expect("entries")
        .iter()
        .find(|entry| entry["kind"] == "locks-lifted")
        .expect("the lift is in the citizen's history");
    assert!(
        lifted["actor"]
            .as_str()
            .expect("actor")
            .starts_with("petugas:"),
        "{lifted}"
    );
}

#[tokio::test]
async fn lockout_by_strangers_finding_1_an_officers_known_browser_keeps_working() {
    let app = TestApp::new().await;
    add_officer(&app, "rina", OfficerRole::Officer, "32.76").await;
    let attempt = |password: &str, cookies: Option<&str>, captcha: Option<Value>| {
        let mut body = json!({"username": "rina", "password": password});
        if let Some(captcha) = captcha {
            body["captcha"] = captcha;
        }
        json_request("POST", "/api/officer/session", &body, cookies)
    };
    // The browser is trusted once the whole login succeeded: password and second factor.
    let response = app.request(attempt(OFFICER_PASSWORD, None, None)).await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        cookie_from(&response, OFFICER_DEVICE_COOKIE),
        None,
        "not after the password alone"
    );
    let step = cookie_from(&response, "__Host-ikd_petugas_langkah").expect("login step");
    let code = totp_code(&app, "rina").await;
    let response = app
        .request(json_request(
            "POST",
            "/api/officer/second-factor/totp",
            &json!({"code": code}),
            Some(&step),
        ))
        .await;
    assert_eq!(response.status(), 200);
    let known = cookie_from(&response, OFFICER_DEVICE_COOKIE).expect("officer device cookie");

    let allowance = app.config.limits.login_untrusted_failures.max;
    for _ in 0..allowance {
        assert_eq!(app.request(attempt(WRONG, None, None)).await.status(), 401);
    }
    assert_eq!(
        status_and_code(&app, attempt(WRONG, None, None)).await,
        (429, "captcha-required".into())
    );
    assert_eq!(
        app.request(attempt(OFFICER_PASSWORD, Some(&known), None))
            .await
            .status(),
        200,
        "the officer's own browser is not slowed"
    );
    assert_eq!(
        app.request(attempt(OFFICER_PASSWORD, None, Some(captcha(&app).await)))
            .await
            .status(),
        200,
        "a new browser solves a captcha, never a lock"
    );
}

#[tokio::test]
async fn lockout_by_strangers_finding_1_registration_counts_a_nik_only_after_the_desk_token_and_captcha()
 {
    let app = TestApp::with_config(|config| config.limits.register_nik.max = 2).await;
    seed_registry(&app).await;
    let (officer, desk) = open_desk(&app).await;
    let citizen = eligible_citizens(&app, 1).await.remove(0);
    // A stranger without a desk token, many times: refused for the token, not counted.
    for _ in 0..5 {
        let mut body = desk_registration_body(&app, &officer, desk, &citizen).await;
        body["deskToken"] = json!("bukan-token-loket");
        let (status, answer) = register(&app, &body).await;
        assert_ne!(status, 429, "{answer}");
    }
    // Nor with a desk token and a bad captcha.
    for _ in 0..3 {
        let mut body = desk_registration_body(&app, &officer, desk, &citizen).await;
        body["captcha"]["signature"] = json!("00");
        let (status, answer) = register(&app, &body).await;
        assert_ne!(status, 429, "{answer}");
    }
    // The citizen at the desk still registers.
    let body = desk_registration_body(&app, &officer, desk, &citizen).await;
    assert_eq!(register(&app, &body).await.0, 202);
}

#[tokio::test]
async fn lockout_by_strangers_finding_1_counters_do_not_tie_an_email_to_its_nik() {
    let app = TestApp::new().await;
    let (citizen, _) = citizen_with_known_browser(&app).await;
    let allowance = app.config.limits.login_untrusted_failures.max;
    for _ in 0..=allowance {
        let request = login_request(
            &citizen.email,
            WRONG,
            "device-strange-01",
            None,
            None,
            "10.0.0.1",
        );
        app.request(request).await;
    }
    // Had the email's failures filled the NIK's counter, the NIK would now ask for a captcha
    // while an unknown NIK does not: a stranger would learn whose email it is.
    let by_nik = login_request(
        &citizen.nik,
        WRONG,
        "device-strange-01",
        None,
        None,
        "10.0.0.1",
    );
    let unknown = login_request(
        "3276014101900999",
        WRONG,
        "device-strange-01",
        None,
        None,
        "10.0.0.1",
    );
    assert_eq!(
        status_and_code(&app, by_nik).await,
        status_and_code(&app, unknown).await
    );
}
