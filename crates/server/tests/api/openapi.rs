//! `/api/openapi.json` lists exactly the routes the service answers.

use axum::body::Body;
use axum::http::{Method, Request};

use crate::support::{TestApp, body_json};

#[tokio::test]
async fn every_documented_operation_is_routed() {
    let app = TestApp::new().await;
    let response = app.get("/api/openapi.json").await;
    assert_eq!(response.status(), 200);
    let doc = body_json(response).await;
    assert!(doc["openapi"].as_str().expect("version").starts_with("3."));
    let paths = doc["paths"].as_object().expect("paths");
    assert!(paths.len() >= 20, "{}", paths.len());
    let mut operations = 0;
    for (path, item) in paths {
        for method in ["get", "post", "delete", "put", "patch"] {
            if item.get(method).is_none() {
                continue;
            }
            operations += 1;
            // Fill path parameters with something; the route must exist whatever they are.
            let concrete = path.replace("{id}", "1");
            let request = Request::builder()
                .method(Method::from_bytes(method.to_uppercase().as_bytes()).expect("method"))
                .uri(&concrete)
                .body(Body::empty())
                .expect("request");
            let response = app.request(request).await;
            let status = response.status().as_u16();
            let body = body_json(response).await;
            assert!(
                !(status == 404
                    && body["message"]
                        .as_str()
                        .unwrap_or("")
                        .starts_with("Alamat API tidak dikenal"))
                    && status != 405,
                "{method} {path} is documented but not routed: {status} {body}"
            );
        }
    }
    assert!(operations >= 24, "{operations}");
    for expected in [
        "/api/registrations",
        "/api/activation",
        "/api/session",
        "/api/bundle",
        "/api/trust-list",
        "/api/revocations",
        "/api/desks/{id}/token",
        "/api/institution/consent-requests",
        "/api/institution/grants/{id}/data",
        "/api/consents",
        "/api/consents/{id}/answer",
        "/api/consents/{id}/revoke",
        "/api/account",
        "/api/account/email",
        "/api/account/email/confirm",
        "/api/account/phone",
        "/api/account/sessions/{id}/end",
        "/api/account/export",
        "/api/account/close",
        "/api/lost-phone",
        "/api/lost-phone/confirm",
    ] {
        assert!(paths.contains_key(expected), "{expected} documented");
    }
    assert!(doc["components"]["schemas"]["RegistrationRequest"].is_object());
    assert!(doc["components"]["schemas"]["GrantData"].is_object());
    // Issue 16: the phone posts its device keys for the bundle; there is no GET any more.
    assert!(doc["paths"]["/api/bundle"]["post"].is_object());
    assert!(doc["paths"]["/api/bundle"]["get"].is_null());
    assert!(doc["components"]["schemas"]["BundleRequest"].is_object());
    assert!(doc["components"]["schemas"]["AccountExport"].is_object());
}
