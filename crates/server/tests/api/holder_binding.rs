//! Issue 16: `POST /api/bundle` signs four credentials, each bound (CWT `cnf`) to the device
//! key the phone sent for its profile; the phone makes the QR with a fresh proof by that key.
//! No identifier links the four; bad keys are refused before anything is written; the same
//! keys within the hour get the same credentials; logout and a device change put all four on
//! the signed revocation list, which the offline verifier then believes; and the
//! institutions' online verification checks the holder's proof and its age.

use ikd_core::claim169::{self, DecodeOptions, HOLDER_TOLERANCE_SECS, HolderBinding};
use ikd_core::offline_bundle::{OfflineBundle, QrProfile};
use ikd_core::qr_verdict::{self, Verdict};
use ikd_core::signed::SignedJson;
use ikd_core::trust_documents::{RevocationList, TrustListDocument};
use ikd_server::journey::institutions;
use ikd_server::platform::clock::unix_now;
use serde_json::{Value, json};

use crate::fixtures::*;
use crate::support::{PhoneKeys, TestApp, body_bytes, body_json, credential_ids};

const DEVICE: &str = "device-holder-aaaaaa";
const OTHER_DEVICE: &str = "device-holder-bbbbbb";

/// An app with one activated citizen: (app, NIK, session cookie).
async fn app_with_citizen() -> (TestApp, String, String) {
    let app = TestApp::new().await;
    seed_registry(&app).await;
    let (officer, desk) = open_desk(&app).await;
    let citizen = eligible_citizens(&app, 1).await.remove(0);
    let session = active_citizen(&app, &officer, desk, &citizen, DEVICE).await;
    (app, citizen.nik, session)
}

/// The trust list exactly as served (what a verifier stores).
async fn trust_text(app: &TestApp) -> String {
    let response = app.get("/api/trust-list").await;
    assert_eq!(response.status(), 200);
    String::from_utf8(body_bytes(response).await).expect("UTF-8")
}

/// The signed revocation list exactly as served, and its verified payload.
async fn revocations(app: &TestApp) -> (String, RevocationList) {
    let response = app.get("/api/revocations").await;
    assert_eq!(response.status(), 200);
    let text = String::from_utf8(body_bytes(response).await).expect("UTF-8");
    let trust: TrustListDocument = serde_json::from_str(&trust_text(app).await).expect("trust");
    let signed: SignedJson = serde_json::from_str(&text).expect("signed");
    let list = signed
        .verify(&trust.to_trust_list().expect("keys"), None)
        .expect("signed by the issuer");
    (text, list)
}

async fn bundle(app: &TestApp, session: &str, phone: &PhoneKeys) -> OfflineBundle {
    let response = app.bundle(session, phone).await;
    assert_eq!(response.status(), 200);
    let signed: SignedJson = serde_json::from_value(body_json(response).await).expect("signed");
    let trust: TrustListDocument = serde_json::from_str(&trust_text(app).await).expect("trust");
    signed
        .verify(&trust.to_trust_list().expect("keys"), Some(unix_now()))
        .expect("bundle signed by a trusted key")
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

async fn logout(app: &TestApp, session: &str) {
    let request = axum::http::Request::delete("/api/session")
        .header("cookie", session)
        .body(axum::body::Body::empty())
        .expect("request");
    assert_eq!(app.request(request).await.status(), 204);
}

/// The verdict code of the offline verifier (`qr_verdict`), "valid" for a green one.
fn offline_verdict(qr: &str, trust: &str, revocations: &str, now: i64) -> String {
    match qr_verdict::verify(qr, trust, Some(revocations), None, now) {
        Verdict::Valid(checked) => {
            assert!(matches!(checked.holder, HolderBinding::Presented { .. }));
            "valid".to_owned()
        }
        Verdict::Unconfirmed { gaps, .. } => format!("unconfirmed {gaps:?}"),
        Verdict::Invalid(refusal) => refusal.code,
    }
}

#[tokio::test]
async fn the_four_credentials_share_no_cti_iat_or_device_key() {
    let (app, nik, session) = app_with_citizen().await;
    let phone = PhoneKeys::random();
    let bundle = bundle(&app, &session, &phone).await;
    let options = DecodeOptions::default();
    let (mut ctis, mut iats, mut cnfs) = (Vec::new(), Vec::new(), Vec::new());
    for profile in QrProfile::ALL {
        let decoded = claim169::decode(bundle.credentials.get(profile), &options).expect("decodes");
        assert_eq!(decoded.holder, HolderBinding::Unproven, "{profile:?}");
        assert_eq!(
            decoded.meta.cnf.as_deref(),
            Some(&phone.public(profile)[..]),
            "{profile:?} is bound to its own device key"
        );
        let (iat, exp) = (
            decoded.meta.iat.expect("iat"),
            decoded.meta.exp.expect("exp"),
        );
        assert_eq!(exp - iat, 7 * 86_400, "valid a week");
        assert!(iat <= unix_now() && iat > unix_now() - 3600 - 60);
        let cti = decoded.meta.cti.expect("cti");
        assert_eq!(cti.len(), 16);
        ctis.push(cti);
        iats.push(iat);
        cnfs.push(decoded.meta.cnf.expect("cnf"));
    }
    for values in [&ctis, &cnfs] {
        for (i, value) in values.iter().enumerate() {
            assert!(!values[i + 1..].contains(value), "{values:?}");
        }
    }
    // Times are drawn from an hour; a chance collision of two of them (about 1 in 600) is
    // not a link, but all four equal would be.
    assert!(iats.iter().any(|iat| *iat != iats[0]), "{iats:?}");
    // Each cti is its row in `credentials`.
    let mut rows: Vec<String> = sqlx::query_scalar("SELECT id FROM credentials WHERE nik = $1")
        .bind(&nik)
        .fetch_all(app.db.pool())
        .await
        .expect("rows");
    rows.sort();
    let mut ids = credential_ids(&app, &bundle.credentials).await;
    ids.sort();
    assert_eq!(rows, ids);
    assert!(bundle.refresh_after < bundle.valid_until);
}

#[tokio::test]
async fn device_keys_off_the_curve_or_shared_are_refused_and_write_nothing() {
    let (app, nik, session) = app_with_citizen().await;
    let phone = PhoneKeys::random();
    let good = phone.body();
    // A compressed point whose x has no y on P-256.
    let off_curve = (0u8..=255)
        .map(|x| {
            let mut point = [0u8; 33];
            point[0] = 0x02;
            point[32] = x;
            point
        })
        .find(|point| p256::ecdsa::VerifyingKey::from_sec1_bytes(point).is_err())
        .expect("some x is off the curve");
    let with = |profile: &str, value: Value| {
        let mut body = good.clone();
        body["deviceKeys"][profile] = value;
        body
    };
    let refusals = [
        (
            with("basic", json!(ikd_core::hex::encode(&off_curve))),
            "device-key-invalid",
        ),
        (
            with("age", json!(format!("02{}", "ff".repeat(32)))),
            "device-key-invalid",
        ),
        (
            with(
                "full",
                json!(ikd_core::hex::encode(&phone.public(QrProfile::Full)[..32])),
            ),
            "device-key-invalid",
        ),
        (
            with("fullEncrypted", json!("not hex")),
            "device-key-invalid",
        ),
        (
            with("age", good["deviceKeys"]["full"].clone()),
            "device-key-shared",
        ),
        (
            with("fullEncrypted", good["deviceKeys"]["basic"].clone()),
            "device-key-shared",
        ),
    ];
    for (body, code) in refusals {
        let response = app
            .request(json_request("POST", "/api/bundle", &body, Some(&session)))
            .await;
        assert_eq!(response.status(), 400, "{body}");
        let answer = body_json(response).await;
        assert_eq!(answer["code"], code, "{body}: {answer}");
        assert_eq!(answer["field"], "deviceKeys");
        assert!(answer["message"].is_string() && answer["messageEn"].is_string());
    }
    assert_eq!(credential_rows(&app, &nik).await, 0);
    assert_eq!(stored_batches(&app, &nik).await, 0);
    let refreshed = count(
        &app,
        "SELECT COUNT(*) FROM activity_log WHERE nik = $1 AND kind = 'bundle-refreshed'",
        &nik,
    )
    .await;
    assert_eq!(refreshed, 0);
    // The good keys still work afterwards.
    assert_eq!(app.bundle(&session, &phone).await.status(), 200);
    assert_eq!(credential_rows(&app, &nik).await, 4);
}

#[tokio::test]
async fn the_same_keys_within_the_hour_get_the_same_credentials_and_new_keys_new_ones() {
    let (app, nik, session) = app_with_citizen().await;
    let phone = PhoneKeys::random();
    let first = bundle(&app, &session, &phone).await;
    let again = bundle(&app, &session, &phone).await;
    assert_eq!(again.credentials, first.credentials);
    assert_eq!(credential_rows(&app, &nik).await, 4);

    let new_phone = PhoneKeys::random();
    let renewed = bundle(&app, &session, &new_phone).await;
    let (old_ids, new_ids) = (
        credential_ids(&app, &first.credentials).await,
        credential_ids(&app, &renewed.credentials).await,
    );
    assert!(new_ids.iter().all(|id| !old_ids.contains(id)));
    assert_eq!(credential_rows(&app, &nik).await, 8);
    assert_eq!(stored_batches(&app, &nik).await, 1, "one stored refresh");

    // The new credentials verify only with the new keys.
    let trust: TrustListDocument = serde_json::from_str(&trust_text(&app).await).expect("trust");
    let trust = trust.to_trust_list().expect("keys");
    let now = unix_now();
    let options = DecodeOptions {
        trust: Some(&trust),
        now,
        check_time: true,
        ..DecodeOptions::default()
    };
    let shown = new_phone.present(&renewed.credentials, QrProfile::Basic, now);
    assert!(claim169::decode(&shown, &options).is_ok());
    let by_old_phone = phone.present(&renewed.credentials, QrProfile::Basic, now);
    assert_eq!(
        claim169::decode(&by_old_phone, &options).map(|_| ()),
        Err(claim169::DecodeError::HolderProof)
    );
    // Another profile's key of the same phone is another key too.
    let wrong_profile = claim169::Presentable::parse(&renewed.credentials.full)
        .expect("parse")
        .present(new_phone.key(QrProfile::Basic), now)
        .expect("present");
    assert_eq!(
        claim169::decode(&wrong_profile, &options).map(|_| ()),
        Err(claim169::DecodeError::HolderProof)
    );
}

#[tokio::test]
async fn logout_revokes_all_four_and_the_offline_verifier_refuses_them() {
    let (app, nik, session) = app_with_citizen().await;
    let phone = PhoneKeys::random();
    let bundle = bundle(&app, &session, &phone).await;
    let ids = credential_ids(&app, &bundle.credentials).await;
    let trust = trust_text(&app).await;
    let now = unix_now();
    let (before, list) = revocations(&app).await;
    assert!(list.entries.is_empty());
    for profile in QrProfile::ALL {
        let qr = phone.present(&bundle.credentials, profile, now);
        assert_eq!(
            offline_verdict(&qr, &trust, &before, now),
            "valid",
            "{profile:?}"
        );
    }

    logout(&app, &session).await;
    let (after, list) = revocations(&app).await;
    assert_eq!(list.entries.len(), 4);
    for id in &ids {
        assert!(
            list.entries
                .iter()
                .any(|e| e.credential_id == *id && e.reason == "logout"),
            "{id}"
        );
    }
    assert_eq!(stored_batches(&app, &nik).await, 0);
    for profile in QrProfile::ALL {
        let qr = phone.present(&bundle.credentials, profile, now);
        assert_eq!(
            offline_verdict(&qr, &trust, &after, now),
            "revoked",
            "{profile:?}"
        );
    }
}

#[tokio::test]
async fn a_device_change_revokes_all_four_and_the_offline_verifier_refuses_them() {
    let (app, nik, session) = app_with_citizen().await;
    let old_phone = PhoneKeys::random();
    let old = bundle(&app, &session, &old_phone).await;
    let old_ids = credential_ids(&app, &old.credentials).await;

    let response = login(&app, &nik, CITIZEN_PASSWORD, OTHER_DEVICE, true).await;
    assert_eq!(response.status(), 200);
    let new_session = cookie_from(&response, "__Host-ikd_sesi").expect("cookie");
    let new_phone = PhoneKeys::random();
    let new = bundle(&app, &new_session, &new_phone).await;

    let trust = trust_text(&app).await;
    let (list_text, list) = revocations(&app).await;
    assert_eq!(list.entries.len(), 4);
    for id in &old_ids {
        assert!(
            list.entries
                .iter()
                .any(|e| e.credential_id == *id && e.reason == "device-replaced"),
            "{id}"
        );
    }
    let now = unix_now();
    for profile in QrProfile::ALL {
        let old_qr = old_phone.present(&old.credentials, profile, now);
        assert_eq!(
            offline_verdict(&old_qr, &trust, &list_text, now),
            "revoked",
            "{profile:?}"
        );
        let new_qr = new_phone.present(&new.credentials, profile, now);
        assert_eq!(
            offline_verdict(&new_qr, &trust, &list_text, now),
            "valid",
            "{profile:?}"
        );
    }
}

#[tokio::test]
async fn institutions_accept_a_fresh_presented_qr_and_refuse_bare_stale_and_foreign_ones() {
    let (app, nik, session) = app_with_citizen().await;
    let (api_key, _) = institutions::add(&app.db, "Bank Rakyat Contoh")
        .await
        .expect("add");
    let phone = PhoneKeys::random();
    let bundle = bundle(&app, &session, &phone).await;
    let (app, api_key) = (&app, api_key.as_str());
    let verify = move |qr: String| async move {
        let mut request = json_request("POST", "/api/verifications", &json!({"qr": qr}), None);
        request.headers_mut().insert(
            axum::http::header::AUTHORIZATION,
            format!("Bearer {api_key}").parse().expect("header"),
        );
        let response = app.request(request).await;
        assert_eq!(response.status(), 200);
        body_json(response).await
    };
    let now = unix_now();

    let fresh = verify(phone.present(&bundle.credentials, QrProfile::Full, now - 10)).await;
    assert_eq!(fresh["valid"], true, "{fresh}");
    assert_eq!(fresh["code"], "ok");
    assert_eq!(fresh["nik"], nik.as_str());
    let ago = fresh["shownSecondsAgo"].as_i64().expect("shownSecondsAgo");
    assert!((10..=15).contains(&ago), "{fresh}");

    let age = verify(phone.present(&bundle.credentials, QrProfile::Age, now)).await;
    assert_eq!(age["valid"], true, "{age}");
    assert_eq!(age["nik"], Value::Null);
    assert_eq!(age["ageOver17"], true);
    assert!(age["shownSecondsAgo"].is_i64());

    let encrypted =
        verify(phone.present_to(&bundle.credentials, &bundle.institutions[0], now)).await;
    assert_eq!(encrypted["valid"], true, "{encrypted}");
    assert_eq!(encrypted["encrypted"], true);

    let refusals = [
        (bundle.credentials.full.clone(), "not-presented"),
        (
            phone.present(
                &bundle.credentials,
                QrProfile::Full,
                now - HOLDER_TOLERANCE_SECS - 30,
            ),
            "stale",
        ),
        (
            phone.present(
                &bundle.credentials,
                QrProfile::Full,
                now + HOLDER_TOLERANCE_SECS + 30,
            ),
            "shown-in-future",
        ),
        (
            PhoneKeys::random().present(&bundle.credentials, QrProfile::Full, now),
            "holder-proof",
        ),
    ];
    for (qr, code) in refusals {
        let verdict = verify(qr).await;
        assert_eq!(verdict["valid"], false, "{verdict}");
        assert_eq!(verdict["code"], code, "{verdict}");
        assert_eq!(verdict["nik"], Value::Null);
    }
}

#[tokio::test]
async fn new_device_keys_on_every_call_are_bounded_per_account() {
    let app = TestApp::with_config(|config| {
        config.limits.fresh_credentials_account.max = 3;
    })
    .await;
    seed_registry(&app).await;
    let (officer, desk) = open_desk(&app).await;
    let citizen = eligible_citizens(&app, 1).await.remove(0);
    let session = active_citizen(&app, &officer, desk, &citizen, DEVICE).await;
    for _ in 0..3 {
        assert_eq!(
            app.bundle(&session, &PhoneKeys::random()).await.status(),
            200
        );
    }
    let refused = app.bundle(&session, &PhoneKeys::random()).await;
    assert_eq!(refused.status(), 429);
    assert!(refused.headers().contains_key("retry-after"));
    assert_eq!(body_json(refused).await["code"], "rate-limited");
    assert_eq!(
        credential_rows(&app, &citizen.nik).await,
        12,
        "no rows for the refused call"
    );
}
