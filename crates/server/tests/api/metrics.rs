//! Issue 19, "operators can see it": `GET /metrics` in the Prometheus text format on the
//! metrics listener only, with the counters moving as requests are answered. The public
//! router answers `/metrics` with a JSON 404.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use ikd_server::metrics_app;
use tower::ServiceExt;

use crate::fixtures::activate;
use crate::support::{TestApp, body_json};

/// One scrape of the metrics router built on the same state as `app`.
async fn scrape(app: &TestApp) -> String {
    let response = metrics_app(app.state())
        .oneshot(
            Request::get("/metrics")
                .body(Body::empty())
                .expect("request"),
        )
        .await
        .expect("infallible");
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()[header::CONTENT_TYPE],
        "text/plain; version=0.0.4; charset=utf-8"
    );
    String::from_utf8(crate::support::body_bytes(response).await).expect("utf-8")
}

/// The value of the series written exactly as `series` (name and labels), 0 when absent.
fn value(text: &str, series: &str) -> f64 {
    text.lines()
        .find_map(|line| line.strip_prefix(series)?.strip_prefix(' '))
        .map_or(0.0, |v| v.parse().expect("a number"))
}

#[tokio::test]
async fn metrics_count_routes_statuses_refusals_and_read_the_gauges() {
    let app = TestApp::with_config(|config| config.limits.activate_ip.max = 1).await;
    let before = scrape(&app).await;
    let health = "ikd_http_requests_total{method=\"GET\",route=\"/api/health\",status=\"2xx\"}";
    assert_eq!(value(&before, health), 0.0);

    for _ in 0..3 {
        assert_eq!(app.get("/api/health").await.status(), StatusCode::OK);
    }
    assert_eq!(app.get("/api/no-such-thing").await.status(), 404);
    // One wrong code, then the address is over its limit: 429 `rate-limited`.
    let stranger = crate::fixtures::Citizen {
        nik: "3276014101900999".into(),
        email: String::new(),
        phone: String::new(),
    };
    let _ = activate(&app, &stranger, "00000000", "device-aaaaaaaaaaaa").await;
    let limited = activate(&app, &stranger, "00000000", "device-aaaaaaaaaaaa").await;
    assert_eq!(limited.status(), StatusCode::TOO_MANY_REQUESTS);
    // No room for a request: 503 `busy`, counted although no route ran.
    {
        let _every_slot = app.config.work.hold_all_request_slots().await;
        assert_eq!(
            app.answer_only(
                Request::get("/api/health")
                    .body(Body::empty())
                    .expect("req")
            )
            .await
            .status(),
            StatusCode::SERVICE_UNAVAILABLE
        );
    }

    let _permit = app.config.work.password_permit().await.expect("a permit");
    let after = scrape(&app).await;
    assert_eq!(value(&after, health), 3.0, "{after}");
    assert_eq!(
        value(
            &after,
            "ikd_http_request_duration_seconds_count{method=\"GET\",route=\"/api/health\"}"
        ),
        3.0
    );
    assert_eq!(
        value(
            &after,
            "ikd_http_request_duration_seconds_bucket{method=\"GET\",route=\"/api/health\",le=\"+Inf\"}"
        ),
        3.0
    );
    assert_eq!(
        value(
            &after,
            "ikd_http_requests_total{method=\"GET\",route=\"(unmatched)\",status=\"4xx\"}"
        ),
        1.0,
        "an unknown path is one series, not one per path"
    );
    assert!(!after.contains("no-such-thing"), "{after}");
    assert_eq!(
        value(
            &after,
            "ikd_http_requests_total{method=\"POST\",route=\"/api/activation\",status=\"4xx\"}"
        ),
        2.0
    );
    assert_eq!(
        value(&after, "ikd_http_refusals_total{code=\"rate-limited\"}"),
        1.0
    );
    assert_eq!(value(&after, "ikd_http_refusals_total{code=\"busy\"}"), 1.0);
    assert_eq!(
        value(&after, "ikd_http_refusals_total{code=\"not-found\"}"),
        1.0
    );
    assert_eq!(value(&after, "ikd_argon2_permits_in_use"), 1.0);
    assert!(value(&after, "ikd_argon2_permits") >= 1.0);
    assert_eq!(value(&after, "ikd_database_up"), 1.0);
    assert_eq!(value(&after, "ikd_mail_queue_waiting"), 0.0);
    assert!(value(&after, "ikd_db_pool_max_connections") >= 4.0);
    assert!(value(&after, "ikd_db_pool_connections") >= 1.0);
}

#[tokio::test]
async fn the_mail_workers_sends_are_counted_and_the_queue_depth_read() {
    use crate::fixtures::{open_desk, registered_and_approved};
    let app = TestApp::new().await;
    crate::fixtures::seed_registry(&app).await;
    let citizen = crate::fixtures::eligible_citizens(&app, 1).await.remove(0);
    let (officer, desk) = open_desk(&app).await;
    let sent_before = value(&scrape(&app).await, "ikd_mail_sent_total");
    // Approval queues the activation code; `request` runs one pass of the worker after it.
    registered_and_approved(&app, &officer, desk, &citizen).await;
    let after = scrape(&app).await;
    assert_eq!(
        value(&after, "ikd_mail_sent_total") - sent_before,
        1.0,
        "{after}"
    );
    assert_eq!(value(&after, "ikd_mail_queue_waiting"), 0.0);
    assert_eq!(value(&after, "ikd_mail_given_up_total"), 0.0);
}

#[tokio::test]
async fn the_public_router_answers_metrics_with_a_json_404() {
    let app = TestApp::new().await;
    let response = app.get("/metrics").await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(body_json(response).await["code"], "not-found");
    // And the metrics router serves nothing else.
    let other = metrics_app(app.state())
        .oneshot(
            Request::get("/api/health")
                .body(Body::empty())
                .expect("request"),
        )
        .await
        .expect("infallible");
    assert_eq!(other.status(), StatusCode::NOT_FOUND);
    assert_eq!(body_json(other).await["code"], "not-found");
}
