//! Issue 14, finding 6: `/api/bundle` was unlimited (each call signed a new QR batch and
//! inserted a credential row, which a logout then put on the public revocation list) and the
//! revocation list was queried and signed on every request. Now a device is handed its batch
//! again within the hour, and the list is signed once per change and served from the database.
//! Since issue 16 a batch is four holder-bound credentials (a `credentials` row each), handed
//! out again only for the same device keys (`holder_binding.rs` tests new keys).

use std::time::Duration;

use axum::body::Body;
use axum::http::Request;
use ikd_core::activity::ActivityKind;
use ikd_core::offline_bundle::OfflineBundle;
use ikd_core::signed::SignedJson;
use ikd_core::trust_documents::{RevocationList, TrustListDocument};
use ikd_server::platform::clock::unix_now;
use ikd_server::trust::issuer_keyring;
use tower::ServiceExt;

use crate::fixtures::*;
use crate::support::{PhoneKeys, TestApp, body_bytes, body_json, bundle_request, credential_ids};

const DEVICE: &str = "device-finding-6-aaaa";
const OTHER_DEVICE: &str = "device-finding-6-bbbb";

/// An app with one activated citizen: (app, NIK, session cookie).
async fn app_with_citizen() -> (TestApp, String, String) {
    let app = TestApp::new().await;
    seed_registry(&app).await;
    let (officer, desk) = open_desk(&app).await;
    let citizen = eligible_citizens(&app, 1).await.remove(0);
    let session = active_citizen(&app, &officer, desk, &citizen, DEVICE).await;
    (app, citizen.nik, session)
}

async fn trust(app: &TestApp) -> ikd_core::claim169::TrustList {
    let document: TrustListDocument =
        serde_json::from_value(body_json(app.get("/api/trust-list").await).await).expect("trust");
    document.to_trust_list().expect("keys")
}

/// The phone's device keys: the same for every call of a test, as one phone sends.
fn phone() -> &'static PhoneKeys {
    static PHONE: std::sync::OnceLock<PhoneKeys> = std::sync::OnceLock::new();
    PHONE.get_or_init(|| PhoneKeys::from_seed(6))
}

async fn bundle(app: &TestApp, session: &str) -> (SignedJson, OfflineBundle) {
    let response = app.bundle(session, phone()).await;
    assert_eq!(response.status(), 200);
    let signed: SignedJson = serde_json::from_value(body_json(response).await).expect("signed");
    let bundle = signed
        .verify(&trust(app).await, Some(unix_now()))
        .expect("bundle signed by a trusted key");
    (signed, bundle)
}

/// The revocation list exactly as served, and its verified payload.
async fn revocations(app: &TestApp) -> (Vec<u8>, SignedJson, RevocationList) {
    let response = app.get("/api/revocations").await;
    assert_eq!(response.status(), 200);
    let bytes = body_bytes(response).await;
    let signed: SignedJson = serde_json::from_slice(&bytes).expect("signed");
    let list = signed
        .verify(&trust(app).await, None)
        .expect("list signed by a trusted key");
    (bytes, signed, list)
}

async fn logout(app: &TestApp, session: &str) {
    let request = Request::delete("/api/session")
        .header("cookie", session)
        .body(Body::empty())
        .expect("request");
    assert_eq!(app.request(request).await.status(), 204);
}

async fn count(app: &TestApp, sql: &str, nik: &str) -> i64 {
    sqlx::query_scalar(sql)
        .bind(nik)
        .fetch_one(app.db.pool())
        .await
        .expect("count")
}

async fn credential_rows(app: &TestApp, nik: &str) -> i64 {
    count(app, "SELECT COUNT(*) FROM credentials WHERE nik = $1", nik).await
}

async fn stored_batches(app: &TestApp, nik: &str) -> i64 {
    count(
        app,
        "SELECT COUNT(*) FROM holder_credential_batches WHERE nik = $1",
        nik,
    )
    .await
}

/// Waits until the service's clock has passed `at` (whole seconds).
async fn wait_past(at: i64) {
    while unix_now() <= at {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn bundle_is_unlimited_finding_6_second_bundle_within_the_hour_reuses_the_batch() {
    let (app, nik, session) = app_with_citizen().await;
    let (_, first) = bundle(&app, &session).await;
    let (_, second) = bundle(&app, &session).await;

    assert_eq!(
        second.credentials, first.credentials,
        "the same signed credentials are handed out again"
    );
    assert_eq!(credential_rows(&app, &nik).await, 4);
    assert_eq!(stored_batches(&app, &nik).await, 1);
    assert_eq!(
        (second.issued_at, second.refresh_after, second.valid_until),
        (first.issued_at, first.refresh_after, first.valid_until),
        "times follow the batch"
    );
    assert!(
        second.refresh_after > unix_now(),
        "never due at once, or the app would loop"
    );
    // The history the citizen reads shows one refresh, not one per call.
    let refreshes = second
        .activity
        .iter()
        .filter(|a| a.kind == ActivityKind::BundleRefreshed)
        .count();
    assert_eq!(refreshes, 1);
}

#[tokio::test]
async fn bundle_is_unlimited_finding_6_logout_then_login_gives_a_fresh_batch() {
    let (app, nik, session) = app_with_citizen().await;
    let (_, before) = bundle(&app, &session).await;
    logout(&app, &session).await;
    assert_eq!(
        stored_batches(&app, &nik).await,
        0,
        "a revoked batch is not kept"
    );

    let response = login(&app, &nik, CITIZEN_PASSWORD, DEVICE, false).await;
    assert_eq!(response.status(), 200);
    let session = cookie_from(&response, "__Host-ikd_sesi").expect("cookie");
    let (_, after) = bundle(&app, &session).await;
    let (before, after) = (
        credential_ids(&app, &before.credentials).await,
        credential_ids(&app, &after.credentials).await,
    );
    assert!(after.iter().all(|id| !before.contains(id)));
    assert_eq!(credential_rows(&app, &nik).await, 8);
    assert_eq!(stored_batches(&app, &nik).await, 1);
    let (_, _, list) = revocations(&app).await;
    let listed = |id: &String| list.entries.iter().any(|e| e.credential_id == *id);
    assert!(before.iter().all(listed));
    assert!(!after.iter().any(listed));
}

#[tokio::test]
async fn bundle_is_unlimited_finding_6_revocation_list_is_signed_once_until_a_revocation() {
    let (app, nik, session) = app_with_citizen().await;
    let (_, held) = bundle(&app, &session).await;
    let held = credential_ids(&app, &held.credentials).await;
    let (first_bytes, first, list) = revocations(&app).await;
    assert!(list.entries.is_empty());
    // A second later, the list served is still the one signed then, byte for byte.
    wait_past(list.issued_at).await;
    let (second_bytes, second, _) = revocations(&app).await;
    assert_eq!(second_bytes, first_bytes);
    assert_eq!(second.signature, first.signature);

    logout(&app, &session).await;
    let (_, changed, list) = revocations(&app).await;
    assert_ne!(changed.signature, first.signature);
    assert_eq!(list.entries.len(), 4);
    for id in &held {
        assert!(
            list.entries
                .iter()
                .any(|e| e.credential_id == *id && e.reason == "logout")
        );
    }
    let (_, again, _) = revocations(&app).await;
    assert_eq!(again, changed, "signed once per change");
    assert_eq!(credential_rows(&app, &nik).await, 4);
}

#[tokio::test]
async fn bundle_is_unlimited_finding_6_a_device_change_re_signs_the_list() {
    let (app, nik, session) = app_with_citizen().await;
    let (_, held) = bundle(&app, &session).await;
    let held = credential_ids(&app, &held.credentials).await;
    let (_, _, before) = revocations(&app).await;
    assert!(before.entries.is_empty());
    let generation = || async {
        sqlx::query_scalar::<_, i64>("SELECT generation FROM revocation_generation")
            .fetch_one(app.db.pool())
            .await
            .expect("generation")
    };
    let unchanged = generation().await;

    let response = login(&app, &nik, CITIZEN_PASSWORD, OTHER_DEVICE, true).await;
    assert_eq!(response.status(), 200);
    assert!(
        generation().await > unchanged,
        "the revocation marks the list changed"
    );
    let (_, _, after) = revocations(&app).await;
    assert_eq!(after.entries.len(), 4);
    for id in &held {
        assert!(
            after
                .entries
                .iter()
                .any(|e| e.credential_id == *id && e.reason == "device-replaced")
        );
    }
    assert_eq!(stored_batches(&app, &nik).await, 0);
    let session = cookie_from(&response, "__Host-ikd_sesi").expect("cookie");
    // The new device happens to send the same public keys: still new credentials.
    let (_, new) = bundle(&app, &session).await;
    let new = credential_ids(&app, &new.credentials).await;
    assert!(new.iter().all(|id| !held.contains(id)));
}

#[tokio::test]
async fn bundle_is_unlimited_finding_6_expired_entries_are_dropped_from_the_list() {
    let (app, nik, session) = app_with_citizen().await;
    let (_, held) = bundle(&app, &session).await;
    let held = credential_ids(&app, &held.credentials).await;
    logout(&app, &session).await;
    // The credentials now end two seconds from now: the list must drop them then, unasked.
    let ends = unix_now() + 2;
    for id in &held {
        sqlx::query("UPDATE credentials SET valid_until = $1 WHERE id = $2")
            .bind(ends)
            .bind(id)
            .execute(app.db.pool())
            .await
            .expect("shorten");
    }
    let (_, _, list) = revocations(&app).await;
    for id in &held {
        assert!(list.entries.iter().any(|e| e.credential_id == *id));
    }
    let stale_at: i64 = sqlx::query_scalar("SELECT stale_at FROM signed_revocation_list")
        .fetch_one(app.db.pool())
        .await
        .expect("kept list");
    assert_eq!(stale_at, ends, "kept until its first entry expires");

    wait_past(ends - 1).await;
    let (_, _, list) = revocations(&app).await;
    assert!(list.entries.is_empty(), "{list:?}");
    assert_eq!(credential_rows(&app, &nik).await, 4);
}

#[tokio::test]
async fn bundle_is_unlimited_finding_6_a_rotated_key_signs_a_new_batch_and_list() {
    let (app, nik, session) = app_with_citizen().await;
    let (_, before) = bundle(&app, &session).await;
    let (_, old_list, _) = revocations(&app).await;
    let new_key = issuer_keyring::rotate(&app.db, 3 * 86_400)
        .await
        .expect("rotate");
    let (signed, after) = bundle(&app, &session).await;
    assert_eq!(signed.kid, new_key.kid().as_str());
    assert_ne!(
        after.credentials, before.credentials,
        "credentials signed by a retired key are not handed out again"
    );
    assert_eq!(stored_batches(&app, &nik).await, 1);
    let (_, new_list, _) = revocations(&app).await;
    assert_ne!(old_list.kid, new_list.kid);
    assert_eq!(new_list.kid, new_key.kid().as_str());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bundle_is_unlimited_finding_6_parallel_bundle_calls_leave_one_stored_batch() {
    let (app, nik, session) = app_with_citizen().await;
    let calls: Vec<_> = (0..4)
        .map(|_| {
            let router = app.router.clone();
            let request = bundle_request(&session, phone());
            tokio::spawn(async move { router.oneshot(request).await.expect("infallible") })
        })
        .collect();
    let trust = trust(&app).await;
    let mut handed = Vec::new();
    for call in calls {
        let response = call.await.expect("task");
        assert_eq!(response.status(), 200);
        let signed: SignedJson = serde_json::from_value(body_json(response).await).expect("signed");
        let bundle: OfflineBundle = signed.verify(&trust, None).expect("verifies");
        handed.push(bundle.credentials);
    }
    assert_eq!(stored_batches(&app, &nik).await, 1);
    assert_eq!(credential_rows(&app, &nik).await, 4);
    assert!(handed.iter().all(|c| *c == handed[0]));
}
