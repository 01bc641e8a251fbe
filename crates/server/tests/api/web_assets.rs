use axum::http::StatusCode;

use base64::Engine;
use sha2::{Digest, Sha256};

use crate::support::{BOOT_SCRIPT, OTHER_PAGES, TestApp, body_bytes};

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
async fn registration_reset_and_the_verifier_open_their_own_bundles_page() {
    let app = TestApp::new().await;
    for (path, title) in [
        ("/daftar", "IKD Web — Daftar"),
        ("/daftar/", "IKD Web — Daftar"),
        ("/lupa-sandi", "IKD Web — Daftar"),
        ("/verifikasi", "IKD Web — Verifikasi"),
        ("/aktivasi", "IKD Web"),
        ("/daftar/lain", "IKD Web"),
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert_eq!(response.headers()["cache-control"], "no-cache", "{path}");
        let html = String::from_utf8(body_bytes(response).await).expect("utf-8");
        assert!(
            html.contains(&format!("<title>{title}</title>")),
            "{path}: {html}"
        );
    }
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

#[tokio::test]
async fn every_answer_carries_the_security_headers_with_the_boot_script_hash() {
    let app = TestApp::new().await;
    let hash =
        |script: &str| base64::engine::general_purpose::STANDARD.encode(Sha256::digest(script));
    for path in ["/", "/daftar", "/api/health", "/api/nope", "/sw.js"] {
        let response = app.get(path).await;
        let headers = response.headers();
        let csp = headers["content-security-policy"].to_str().expect("ascii");
        assert!(
            csp.contains("script-src 'self' 'wasm-unsafe-eval' 'sha256-"),
            "{path}: {csp}"
        );
        // Every page's boot script, whichever page this answer is.
        for script in [BOOT_SCRIPT, OTHER_PAGES[0].2, OTHER_PAGES[1].2] {
            assert!(
                csp.contains(&format!("'sha256-{}'", hash(script))),
                "{path}: {csp}"
            );
        }
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert!(!csp.contains("unsafe-inline"), "{path}: {csp}");
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(headers["referrer-policy"], "no-referrer", "{path}");
        assert!(
            headers["permissions-policy"]
                .to_str()
                .expect("ascii")
                .starts_with("camera=(self)"),
            "{path}"
        );
    }
}

#[tokio::test]
async fn the_build_time_brotli_copy_is_sent_to_browsers_that_accept_it() {
    let app = TestApp::new().await;
    let compressed = b"pretend-brotli".to_vec();
    std::fs::write(
        app.web_dir().join("ikd-web-0123456789abcdef_bg.wasm.br"),
        &compressed,
    )
    .expect("write .br");
    let request = axum::http::Request::get("/ikd-web-0123456789abcdef_bg.wasm")
        .header("accept-encoding", "gzip, br")
        .body(axum::body::Body::empty())
        .expect("request");
    let response = app.request(request).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-encoding"], "br");
    assert_eq!(response.headers()["content-type"], "application/wasm");
    assert_eq!(body_bytes(response).await, compressed);
    // Without Accept-Encoding, the plain file.
    let response = app.get("/ikd-web-0123456789abcdef_bg.wasm").await;
    assert!(response.headers().get("content-encoding").is_none());
}

#[tokio::test]
async fn api_answers_are_compressed_when_the_client_accepts_it() {
    let app = TestApp::new().await;
    let request = axum::http::Request::get("/api/openapi.json")
        .header("accept-encoding", "gzip")
        .body(axum::body::Body::empty())
        .expect("request");
    let response = app.request(request).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-encoding"], "gzip");
}
