//! Issue 14: what a stranger who only knows a name or a NIK can learn or spoil. Equal work is
//! checked by counting the expensive steps, never by timing them.

use axum::http::StatusCode;
use ikd_core::officer::OfficerRole;
use ikd_server::platform::clock::unix_now;
use ikd_server::platform::password;
use serde_json::json;

use crate::fixtures::{add_officer, json_request};
use crate::support::{TestApp, body_bytes};

/// One officer login attempt: its status, its body byte for byte, and the Argon2id
/// verifications it cost.
async fn officer_attempt(app: &TestApp, username: &str) -> (StatusCode, Vec<u8>, u64) {
    let request = json_request(
        "POST",
        "/api/officer/session",
        &json!({"username": username, "password": "bukan-kata-sandinya-99"}),
        None,
    );
    let (response, verifications) = password::counting_verifications(app.request(request)).await;
    let status = response.status();
    (status, body_bytes(response).await, verifications)
}

/// Finding 3: an unknown username used to cost no Argon2id at all (1–3 ms against 17–48 ms),
/// so timing told which officers exist. Now unknown, disabled and wrong-password attempts do
/// the same work and get the same answer.
#[tokio::test]
async fn officer_login_does_not_tell_who_exists_by_timing() {
    let app = TestApp::new().await;
    add_officer(&app, "rina", OfficerRole::Officer, "32.76").await;
    let disabled = add_officer(&app, "budi", OfficerRole::Officer, "32.76").await;
    sqlx::query("UPDATE officers SET disabled_at = $1 WHERE id = $2")
        .bind(unix_now())
        .bind(disabled)
        .execute(app.db.pool())
        .await
        .expect("disable");

    let (status, body, verifications) = officer_attempt(&app, "rina").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        verifications, 1,
        "a wrong password costs one Argon2id verification"
    );
    for stranger in ["tidak-ada-orangnya", "budi"] {
        let (other_status, other_body, other_verifications) = officer_attempt(&app, stranger).await;
        assert_eq!(
            other_verifications, verifications,
            "{stranger}: the same Argon2id work as an existing officer's wrong password"
        );
        assert_eq!(other_status, status, "{stranger}");
        assert_eq!(
            other_body,
            body,
            "{stranger}: {}",
            String::from_utf8_lossy(&other_body)
        );
    }
}
