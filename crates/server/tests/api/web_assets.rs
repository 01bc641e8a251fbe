use axum::http::StatusCode;

use crate::support::{TestApp, body_bytes};

#[tokio::test]
async fn wasm_is_served_as_application_wasm_and_cached_for_good() {
    let app = TestApp::new().await;
    let response = app.get("/ikd-web-0123456789abcdef_bg.wasm").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "application/wasm");
    assert_eq!(
        response.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(body_bytes(response).await, b"\0asm\x01\0\0\0");
}

#[tokio::test]
async fn a_client_side_route_opens_the_app_page() {
    let app = TestApp::new().await;
    let response = app.get("/ktp").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .expect("ascii")
            .starts_with("text/html")
    );
    assert_eq!(response.headers()["cache-control"], "no-cache");
    let html = String::from_utf8(body_bytes(response).await).expect("utf-8");
    assert!(html.contains("<title>IKD Web</title>"), "{html}");
}

#[tokio::test]
async fn the_service_worker_is_javascript_that_is_always_revalidated() {
    let app = TestApp::new().await;
    let response = app.get("/sw.js").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .expect("ascii")
            .contains("javascript")
    );
    assert_eq!(response.headers()["cache-control"], "no-cache");
}
