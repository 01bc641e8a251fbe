//! Issue 14, finding 7: Argon2id work was unbounded. Citizen login, activation, password
//! change and reset and officer login each ran Argon2id (19 MiB, tens of milliseconds of CPU)
//! on a blocking thread of its own, up to tokio's 512, and strangers reach most of them
//! without logging in. Now Argon2id runs behind permits sized to the cores and the router
//! holds a bounded number of requests; no room is a JSON 503 `busy` with `Retry-After`.
//! Full pools are made by holding every permit from the test, never by timing.
// Test names are the finding, then what now holds.
#![allow(non_snake_case)]

use axum::body::Body;
use axum::http::{Response, StatusCode, header};
use ikd_core::officer::OfficerRole;
use ikd_server::platform::work_limits::BUSY_RETRY_AFTER_SECS;
use serde_json::json;

use crate::fixtures::{OFFICER_PASSWORD, add_officer, json_request, login};
use crate::support::{TestApp, body_json};

/// 503 `busy`, `Retry-After`, and the refusal in both languages.
async fn assert_busy(response: Response<Body>, what: &str) {
    assert_eq!(
        response.status(),
        StatusCode::SERVICE_UNAVAILABLE,
        "{what}: no room is 503, never 500 nor a wait without end"
    );
    assert_eq!(
        response
            .headers()
            .get(header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok()),
        Some(BUSY_RETRY_AFTER_SECS.to_string().as_str()),
        "{what}: Retry-After"
    );
    let body = body_json(response).await;
    assert_eq!(body["code"], "busy", "{what}: {body}");
    for language in ["message", "messageEn"] {
        assert!(
            body[language]
                .as_str()
                .is_some_and(|m| m.contains(&BUSY_RETRY_AFTER_SECS.to_string())),
            "{what}: {language} says when to retry: {body}"
        );
    }
}

fn officer_login_request(username: &str, password: &str) -> axum::http::Request<Body> {
    json_request(
        "POST",
        "/api/officer/session",
        &json!({"username": username, "password": password}),
        None,
    )
}

#[tokio::test]
async fn argon2_work_is_unbounded__a_full_pool_answers_503_with_retry_after() {
    let app = TestApp::new().await;
    add_officer(&app, "rina", OfficerRole::Officer, "32.76").await;

    let every_permit = app.config.work.hold_all_password_permits().await;
    assert_busy(
        app.request(officer_login_request("rina", OFFICER_PASSWORD))
            .await,
        "officer login",
    )
    .await;
    assert_busy(
        login(
            &app,
            "3276010101900001",
            "bukan-kata-sandinya-99",
            "device-aaaaaaaaaaaa",
            false,
        )
        .await,
        "a stranger's citizen login",
    )
    .await;

    drop(every_permit);
    let response = app
        .request(officer_login_request("rina", OFFICER_PASSWORD))
        .await;
    assert_eq!(
        response.status(),
        StatusCode::OK,
        "with the permits back, the login runs"
    );
}

#[tokio::test]
async fn argon2_work_is_unbounded__a_full_router_sheds_requests_as_json_503() {
    let app = TestApp::new().await;

    let every_slot = app.config.work.hold_all_request_slots().await;
    assert_busy(app.get("/api/health").await, "health with no request slot").await;
    assert_busy(app.get("/").await, "a page with no request slot").await;

    drop(every_slot);
    assert_eq!(app.get("/api/health").await.status(), StatusCode::OK);
}
