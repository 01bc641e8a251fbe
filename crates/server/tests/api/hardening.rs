//! Issue 14, finding 9 (hardening): HSTS on an https deployment, the client address behind
//! a configured number of proxies, and the cross-site check on state-changing API requests.

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, Response, header};
use serde_json::json;

use crate::support::{TestApp, body_json};

const HSTS: &str = "max-age=31536000; includeSubDomains";

#[tokio::test]
async fn hsts_is_sent_on_every_answer_when_the_public_url_is_https() {
    let app = TestApp::with_config(|c| c.public_url = "https://ikd.example.go.id".into()).await;
    for path in ["/api/health", "/", "/api/no-such-route", "/sw.js"] {
        let response = app.get(path).await;
        assert_eq!(
            response.headers().get(header::STRICT_TRANSPORT_SECURITY),
            Some(&HSTS.parse().expect("value")),
            "{path}"
        );
    }
}

#[tokio::test]
async fn hsts_is_never_sent_when_the_public_url_is_plain_http() {
    let app = TestApp::with_config(|c| c.public_url = "http://127.0.0.1:8080".into()).await;
    for path in ["/api/health", "/"] {
        let response = app.get(path).await;
        assert!(
            !response
                .headers()
                .contains_key(header::STRICT_TRANSPORT_SECURITY),
            "{path}"
        );
    }
}

/// A citizen login attempt from the socket `10.0.0.1` with these extra headers. An unknown
/// account: it is refused, but its address is counted first.
fn login_request(headers: &[(&str, &str)]) -> Request<Body> {
    let mut builder =
        Request::post("/api/session").header(header::CONTENT_TYPE, "application/json");
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    let body = json!({
        "identifier": "3276014101900999",
        "password": "salah-sekali-123",
        "deviceId": "device-aaaaaaaaaaaa",
    });
    let mut request = builder
        .body(Body::from(serde_json::to_vec(&body).expect("json")))
        .expect("request");
    request
        .extensions_mut()
        .insert(ConnectInfo(SocketAddr::from(([10, 0, 0, 1], 40000))));
    request
}

/// The addresses the login counters were kept for, sorted.
async fn counted_addresses(app: &TestApp) -> Vec<String> {
    let buckets: Vec<String> =
        sqlx::query_scalar("SELECT bucket FROM rate_limits WHERE bucket LIKE 'login:ip:%'")
            .fetch_all(app.db.pool())
            .await
            .expect("counters");
    let mut addresses: Vec<String> = buckets
        .into_iter()
        .map(|b| b.trim_start_matches("login:ip:").to_owned())
        .collect();
    addresses.sort();
    addresses.dedup();
    addresses
}

async fn counted_address_of(hops: usize, forwarded_for: Option<&str>) -> Vec<String> {
    let app = TestApp::with_config(|c| c.trusted_proxy_hops = hops).await;
    let headers: Vec<(&str, &str)> = forwarded_for
        .map(|v| vec![("x-forwarded-for", v)])
        .unwrap_or_default();
    let response = app.request(login_request(&headers)).await;
    assert_eq!(response.status(), 401);
    counted_addresses(&app).await
}

#[tokio::test]
async fn forwarded_for_a_forged_left_most_entry_does_not_change_the_counted_address() {
    let app = TestApp::with_config(|c| c.trusted_proxy_hops = 1).await;
    for forged in ["1.1.1.1", "2.2.2.2, 3.3.3.3", "not-an-address"] {
        let header = format!("{forged}, 203.0.113.7");
        let response = app
            .request(login_request(&[("x-forwarded-for", &header)]))
            .await;
        assert_eq!(response.status(), 401, "{forged}");
    }
    assert_eq!(counted_addresses(&app).await, ["203.0.113.7"]);
}

#[tokio::test]
async fn forwarded_for_with_two_trusted_hops_the_second_entry_from_the_right_counts() {
    assert_eq!(
        counted_address_of(2, Some("6.6.6.6, 203.0.113.7, 198.51.100.2")).await,
        ["203.0.113.7"]
    );
}

#[tokio::test]
async fn forwarded_for_shorter_than_the_hop_count_falls_back_to_the_socket_address() {
    assert_eq!(
        counted_address_of(2, Some("203.0.113.7")).await,
        ["10.0.0.1"]
    );
    // An entry that is no address (a proxy that writes something else) is not trusted either.
    assert_eq!(counted_address_of(1, Some("unknown")).await, ["10.0.0.1"]);
}

#[tokio::test]
async fn forwarded_for_is_ignored_without_trusted_hops() {
    assert_eq!(
        counted_address_of(0, Some("203.0.113.7")).await,
        ["10.0.0.1"]
    );
}

async fn refusal_code(response: Response<Body>) -> (u16, String) {
    let status = response.status().as_u16();
    let body = body_json(response).await;
    if status == 403 {
        assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()));
        assert!(body["messageEn"].as_str().is_some_and(|m| !m.is_empty()));
    }
    (status, body["code"].as_str().unwrap_or_default().to_owned())
}

#[tokio::test]
async fn cross_site_post_is_refused() {
    let app = TestApp::new().await;
    for site in ["cross-site", "same-site"] {
        let answer = refusal_code(
            app.request(login_request(&[("sec-fetch-site", site)]))
                .await,
        )
        .await;
        assert_eq!(answer, (403, "cross-site".to_owned()), "{site}");
    }
    // Nothing was done: not even the address was counted.
    assert!(counted_addresses(&app).await.is_empty());
}

#[tokio::test]
async fn cross_site_same_origin_post_passes() {
    let app = TestApp::new().await;
    for headers in [
        &[("sec-fetch-site", "same-origin")][..],
        &[("sec-fetch-site", "none")],
        // A browser that sends no Sec-Fetch-Site, from the public origin.
        &[("origin", "https://ikd.test")],
        // The public origin written differently (case, default port).
        &[("origin", "https://IKD.test:443")],
        // curl and institutions' servers send neither.
        &[],
    ] {
        let answer = refusal_code(app.request(login_request(headers)).await).await;
        assert_eq!(answer.0, 401, "{headers:?}");
    }
    // A phone on a developer's LAN, which sends no Sec-Fetch-Site to a plain-http address,
    // reaches `--listen 0.0.0.0:8080` by the address it was given, not by the public URL.
    let lan = TestApp::with_config(|c| c.public_url = "http://0.0.0.0:8080".into()).await;
    let headers = [
        ("origin", "http://192.168.1.5:8080"),
        ("host", "192.168.1.5:8080"),
    ];
    let answer = refusal_code(lan.request(login_request(&headers)).await).await;
    assert_eq!(answer.0, 401);
    // Reading is never refused, whatever the site.
    let response = app
        .request(
            Request::get("/api/health")
                .header("sec-fetch-site", "cross-site")
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(response.status(), 200);
}

#[tokio::test]
async fn cross_site_origin_mismatch_is_refused() {
    let app = TestApp::new().await;
    for origin in [
        "https://evil.example",
        "null",
        "http://ikd.test",
        "https://ikd.test:444",
    ] {
        let answer = refusal_code(
            app.request(login_request(&[("origin", origin), ("host", "ikd.test")]))
                .await,
        )
        .await;
        assert_eq!(answer, (403, "cross-site".to_owned()), "{origin}");
    }
    // Sec-Fetch-Site, when present, is what the browser itself says and decides.
    let answer = refusal_code(
        app.request(login_request(&[
            ("sec-fetch-site", "cross-site"),
            ("origin", "https://ikd.test"),
        ]))
        .await,
    )
    .await;
    assert_eq!(answer, (403, "cross-site".to_owned()));
}
