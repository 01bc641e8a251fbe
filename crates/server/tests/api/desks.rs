//! Desk and drive sessions: who may run which desk, and what the officer console reads.

use ikd_core::officer::OfficerRole;
use serde_json::json;

use crate::fixtures::*;
use crate::support::{TestApp, body_json};

#[tokio::test]
async fn officers_see_only_their_own_desks_and_supervisors_their_region() {
    let app = TestApp::new().await;
    seed_registry(&app).await;
    let (rina, desk) = open_desk(&app).await;
    add_officer(&app, "budi", OfficerRole::Officer, "32.76").await;
    add_officer(&app, "sari", OfficerRole::Supervisor, "32.76").await;
    add_officer(&app, "joko", OfficerRole::Supervisor, "31.71").await;
    let budi = officer_login(&app, "budi").await;
    let sari = officer_login(&app, "sari").await;
    let joko = officer_login(&app, "joko").await;
    let path = format!("/api/desks/{desk}/queue");
    assert_eq!(
        app.request(get_request(&path, Some(&rina))).await.status(),
        200
    );
    assert_eq!(
        app.request(get_request(&path, Some(&sari))).await.status(),
        200
    );
    for outsider in [&budi, &joko] {
        let response = app.request(get_request(&path, Some(outsider))).await;
        assert_eq!(response.status(), 403);
        assert_eq!(body_json(response).await["code"], "forbidden");
    }
    assert_eq!(app.request(get_request(&path, None)).await.status(), 401);
    assert_eq!(
        app.request(get_request("/api/desks/999999/queue", Some(&rina)))
            .await
            .status(),
        404
    );

    // Registration details follow the desk's rules too.
    let citizen = eligible_citizens(&app, 1).await.remove(0);
    let id = registered(&app, &rina, desk, &citizen).await;
    let detail = format!("/api/officer/registrations/{id}");
    assert_eq!(
        app.request(get_request(&detail, Some(&sari)))
            .await
            .status(),
        200
    );
    // Someone else's registration answers as a missing one (issue 15): ids cannot be probed.
    assert_eq!(
        app.request(get_request(&detail, Some(&budi)))
            .await
            .status(),
        404
    );
    let decision = json_request(
        "POST",
        &format!("{detail}/decision"),
        &json!({"approve": true}),
        Some(&budi),
    );
    assert_eq!(app.request(decision).await.status(), 404);
}

#[tokio::test]
async fn a_drive_session_and_its_listing() {
    let app = TestApp::new().await;
    seed_registry(&app).await;
    add_officer(&app, "rina", OfficerRole::Officer, "32.76").await;
    let rina = officer_login(&app, "rina").await;
    let drive = open_desk_as(&app, &rina, "drive", "Jemput bola Balai Kota Depok").await;
    let response = app
        .request(json_request(
            "POST",
            "/api/desks",
            &json!({"kind": "drive", "label": "  "}),
            Some(&rina),
        ))
        .await;
    assert_eq!(response.status(), 422);
    assert_eq!(body_json(response).await["field"], "label");
    let listed = body_json(app.request(get_request("/api/desks", Some(&rina))).await).await;
    assert_eq!(listed[0]["id"], drive);
    assert_eq!(listed[0]["kind"], "drive");
    // Many people register on the one projected QR.
    let token = desk_token(&app, &rina, drive).await;
    let rotates_at = token["rotatesAt"].as_i64().expect("rotates");
    let expires_at = token["expiresAt"].as_i64().expect("expires");
    assert_eq!(expires_at - rotates_at, 30);
    for citizen in eligible_citizens(&app, 3).await {
        let body = registration_body(&app, &citizen, token["qrText"].as_str().expect("qr")).await;
        assert_eq!(register(&app, &body).await.0, 202);
    }
    let queue = desk_queue(&app, &rina, drive).await;
    assert_eq!(queue.as_array().expect("queue").len(), 3);
}

#[tokio::test]
async fn a_desk_token_from_an_old_window_is_refused() {
    let app = TestApp::new().await;
    seed_registry(&app).await;
    let (rina, desk) = open_desk(&app).await;
    let citizen = eligible_citizens(&app, 1).await.remove(0);
    let token = desk_token(&app, &rina, desk).await;
    let qr = token["qrText"].as_str().expect("qr");
    // Same desk, a window two steps back, with a MAC we cannot forge: refused either way.
    let parts: Vec<&str> = qr.split(':').collect();
    let window: i64 = parts[2].parse().expect("window");
    let stale = format!("{}:{}:{}:{}", parts[0], parts[1], window - 2, parts[3]);
    let body = registration_body(&app, &citizen, &stale).await;
    let (status, answer) = register(&app, &body).await;
    assert_eq!(status, 422);
    assert_eq!(answer["code"], "desk-token-invalid");
}

#[tokio::test]
async fn officer_login_failures_are_uniform_and_logout_works() {
    let app = TestApp::new().await;
    add_officer(&app, "rina", OfficerRole::Officer, "32.76").await;
    let attempt = |username: &str, password: &str| {
        json_request(
            "POST",
            "/api/officer/session",
            &json!({"username": username, "password": password}),
            None,
        )
    };
    let wrong = app.request(attempt("rina", "salah-salah-salah")).await;
    let unknown = app.request(attempt("tidak-ada", "salah-salah-salah")).await;
    assert_eq!(wrong.status(), 401);
    assert_eq!(body_json(wrong).await, body_json(unknown).await);
    let cookie = officer_login(&app, "rina").await;
    let me = body_json(
        app.request(get_request("/api/officer/session", Some(&cookie)))
            .await,
    )
    .await;
    assert_eq!(me["username"], "rina");
    assert_eq!(me["role"], "officer");
    let response = app
        .request(
            axum::http::Request::delete("/api/officer/session")
                .header("cookie", &cookie)
                .body(axum::body::Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(response.status(), 204);
    assert_eq!(
        app.request(get_request("/api/officer/session", Some(&cookie)))
            .await
            .status(),
        401
    );
    // A citizen cookie is no officer cookie.
    let fake = cookie.replace("__Host-ikd_petugas", "__Host-ikd_sesi");
    assert_eq!(
        app.request(get_request("/api/officer/session", Some(&fake)))
            .await
            .status(),
        401
    );
}

/// Found by the logged-in schemathesis runs (issue 19): an id past `i64` and a query word where
/// a number goes were axum's plain-text 400s; they are the JSON refusal, and documented.
#[tokio::test]
async fn a_malformed_id_or_query_is_a_json_400() {
    let app = TestApp::new().await;
    seed_registry(&app).await;
    let (rina, _desk) = open_desk(&app).await;
    for (path, code) in [
        ("/api/desks/9223372036854775808/queue", "invalid-path"),
        ("/api/drives/satu", "invalid-path"),
        ("/api/officer/today?since=kemarin", "invalid-query"),
        ("/api/audit?officer=9223372036854775808", "invalid-query"),
    ] {
        let response = app.request(get_request(path, Some(&rina))).await;
        assert_eq!(response.status(), 400, "{path}");
        assert_eq!(response.headers()["content-type"], "application/json");
        let answer = body_json(response).await;
        assert_eq!(answer["code"], code, "{path}: {answer}");
        assert!(answer["messageEn"].as_str().is_some_and(|m| !m.is_empty()));
    }
    // The OpenAPI document lists both refusals, and `since` as the query parameter it is.
    let doc = body_json(app.get("/api/openapi.json").await).await;
    let queue = &doc["paths"]["/api/desks/{id}/queue"]["get"]["responses"];
    assert!(
        queue["400"].is_object() && queue["404"].is_object(),
        "{queue}"
    );
    let day = &doc["paths"]["/api/officer/today"]["get"];
    assert_eq!(day["parameters"][0]["in"], "query");
    assert_eq!(day["parameters"][0]["required"], false);
}
