use axum::http::StatusCode;

use crate::support::{TestApp, body_json, requested_backend};

#[tokio::test]
async fn health_answers_from_a_migrated_database_of_the_requested_back_end() {
    let app = TestApp::new().await;
    let response = app.get("/api/health").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()["content-type"],
        "application/json",
        "health is JSON"
    );
    assert_eq!(response.headers()["cache-control"], "no-store");
    let body = body_json(response).await;
    assert_eq!(body["status"], "ok");
    // The PostgreSQL pass must really run on PostgreSQL, never quietly on SQLite.
    let expected = serde_json::to_value(requested_backend()).expect("kind");
    assert_eq!(body["database"], expected);
    assert!(
        body["schemaVersion"].as_i64().expect("number") >= 1,
        "{body}"
    );
    assert_eq!(body["issuerKid"], app.issuer_key.kid().as_str());
    assert_eq!(body["demoData"], true);
}

#[tokio::test]
async fn service_starts_are_recorded_and_read_back_newest_first() {
    let app = TestApp::new().await;
    app.db
        .record_start("0.0.1", "127.0.0.1:1")
        .await
        .expect("first");
    app.db
        .record_start("0.0.2", "127.0.0.1:2")
        .await
        .expect("second");
    let starts = app.db.recent_starts(10).await.expect("read");
    let versions: Vec<_> = starts.iter().map(|s| s.version.as_str()).collect();
    assert_eq!(versions, ["0.0.2", "0.0.1"]);
    assert!(starts[0].started_at > 1_700_000_000);
}

#[tokio::test]
async fn an_unknown_api_path_is_a_json_404_in_indonesian_and_english() {
    let app = TestApp::new().await;
    let response = app.get("/api/no-such-thing").await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let body = body_json(response).await;
    assert_eq!(body["code"], "not-found");
    assert_eq!(
        body["message"],
        "Alamat API tidak dikenal: /api/no-such-thing"
    );
    assert_eq!(body["messageEn"], "Unknown API path: /api/no-such-thing");
}

#[tokio::test]
async fn a_wrong_method_on_an_api_path_is_a_json_405() {
    let app = TestApp::new().await;
    let response = app
        .request(
            axum::http::Request::post("/api/health")
                .body(axum::body::Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(body_json(response).await["code"], "method-not-allowed");
}

#[tokio::test]
async fn a_database_fault_inside_a_domain_error_is_503_with_retry_after_never_500() {
    use crate::fixtures::{add_officer, get_request, officer_login};
    let app = TestApp::new().await;
    add_officer(&app, "admin", ikd_core::officer::OfficerRole::Admin, "32").await;
    let cookie = officer_login(&app, "admin").await;
    // The dashboard's figures come from this table; without it every read is a database
    // fault inside DashboardError, which used to answer 500 `internal`.
    sqlx::query("DROP TABLE registry_population")
        .execute(app.db.pool())
        .await
        .expect("drop");
    let response = app
        .request(get_request("/api/dashboard/regions", Some(&cookie)))
        .await;
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(
        response.headers().get("retry-after").is_some(),
        "a person is told when to try again"
    );
    let body = body_json(response).await;
    assert_eq!(body["code"], "unavailable");
    assert!(!body["message"].as_str().unwrap_or_default().is_empty());
    assert!(!body["messageEn"].as_str().unwrap_or_default().is_empty());
}

#[tokio::test]
async fn liveness_never_touches_the_database_and_readiness_says_503_when_it_cannot_answer() {
    let app = TestApp::new().await;
    for path in ["/api/health/live", "/api/health/ready"] {
        let response = app.get(path).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
    }
    // The database goes away: this replica is alive but not ready.
    // (answer_only: the test's own mail-worker pass would need the database too.)
    app.db.pool().close().await;
    let get = |path: &str| {
        axum::http::Request::get(path)
            .body(axum::body::Body::empty())
            .expect("request")
    };
    let live = app.answer_only(get("/api/health/live")).await;
    assert_eq!(live.status(), StatusCode::OK);
    assert_eq!(body_json(live).await["status"], "live");
    let ready = app.answer_only(get("/api/health/ready")).await;
    assert_eq!(ready.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(ready.headers().get("retry-after").is_some());
    assert_eq!(body_json(ready).await["code"], "unavailable");
}
