//! Issue 18: moving to a new phone. The password on a new browser while another device is
//! active only mails a code; the code (with the login step's cookie) moves the card, revokes
//! the old phone's credentials onto the signed list and ends its sessions, whose next refresh
//! is told `device-replaced`.

use axum::body::Body;
use axum::http::Response;
use ikd_core::signed::SignedJson;
use ikd_core::trust_documents::{RevocationList, TrustListDocument};
use serde_json::{Value, json};

use crate::fixtures::*;
use crate::support::{PhoneKeys, TestApp, body_json};

const OLD_PHONE: &str = "device-old-phone-0001";
const NEW_PHONE: &str = "device-new-phone-0002";
const STEP_COOKIE: &str = "__Host-ikd_pindah";

async fn status_body(response: Response<Body>) -> (u16, Value) {
    let status = response.status().as_u16();
    (status, body_json(response).await)
}

async fn start_move(app: &TestApp, identifier: &str, password: &str) -> Response<Body> {
    app.request(json_request(
        "POST",
        "/api/session",
        &json!({
            "identifier": identifier,
            "password": password,
            "deviceId": NEW_PHONE,
            "replaceDevice": true,
        }),
        None,
    ))
    .await
}

async fn confirm(app: &TestApp, step: Option<&str>, code: &str) -> (u16, Value) {
    status_body(
        app.request(json_request(
            "POST",
            "/api/session/move",
            &json!({"code": code}),
            step,
        ))
        .await,
    )
    .await
}

async fn revocations(app: &TestApp) -> RevocationList {
    let signed: SignedJson =
        serde_json::from_value(body_json(app.get("/api/revocations").await).await).expect("list");
    let trust: TrustListDocument =
        serde_json::from_value(body_json(app.get("/api/trust-list").await).await).expect("trust");
    signed
        .verify(&trust.to_trust_list().expect("keys"), None)
        .expect("signed by the issuer")
}

/// A code that is not `right` (same form).
fn other_code(right: &str, n: u8) -> String {
    let mut code: Vec<u8> = right.bytes().collect();
    code[0] = if code[0] == b'2' + n {
        b'3' + n
    } else {
        b'2' + n
    };
    String::from_utf8(code).expect("ascii")
}

#[tokio::test]
async fn moving_takes_the_emailed_code_and_the_old_phone_is_told() {
    let app = TestApp::new().await;
    seed_registry(&app).await;
    let (officer, desk) = open_desk(&app).await;
    let mut citizens = eligible_citizens(&app, 2).await;
    let (citizen, neighbour) = (citizens.remove(0), citizens.remove(0));
    let old_session = active_citizen(&app, &officer, desk, &citizen, OLD_PHONE).await;
    active_citizen(&app, &officer, desk, &neighbour, "device-neighbour-0001").await;
    let phone = PhoneKeys::random();
    assert_eq!(app.bundle(&old_session, &phone).await.status(), 200);
    let old_ids: Vec<String> =
        sqlx::query_scalar("SELECT id FROM credentials WHERE nik = $1 AND device_id = $2")
            .bind(&citizen.nik)
            .bind(OLD_PHONE)
            .fetch_all(app.db.pool())
            .await
            .expect("credentials");
    assert_eq!(old_ids.len(), 4);

    // The password on the new phone: a code by email, nothing revoked yet.
    let started = start_move(&app, &citizen.nik, CITIZEN_PASSWORD).await;
    assert_eq!(started.status(), 202);
    let step = cookie_from(&started, STEP_COOKIE).expect("step cookie");
    assert!(
        cookie_from(&started, "__Host-ikd_sesi").is_none(),
        "no session yet"
    );
    let body = body_json(started).await;
    assert!(body["emailHint"].as_str().expect("hint").contains("***@"));
    assert!(body["message"].as_str().expect("message").contains("menit"));
    let code = move_code(&app, &citizen.email).expect("a move code mail");
    assert_eq!(
        app.request(get_request("/api/session", Some(&old_session)))
            .await
            .status(),
        200,
        "the old phone still works"
    );
    assert!(revocations(&app).await.entries.is_empty());

    // The code alone, without the login step's cookie, is nothing.
    let (status, answer) = confirm(&app, None, &code).await;
    assert_eq!(
        (status, answer["code"].as_str()),
        (410, Some("device-move-ended"))
    );
    let (status, _) = confirm(&app, Some(&format!("{STEP_COOKIE}=forged")), &code).await;
    assert_eq!(status, 410);

    // The code of another account's move does not work with this step.
    let theirs = start_move(&app, &neighbour.nik, CITIZEN_PASSWORD).await;
    assert_eq!(theirs.status(), 202);
    let their_code = move_code(&app, &neighbour.email).expect("their code");
    assert_ne!(their_code, code);
    let (status, answer) = confirm(&app, Some(&step), &their_code).await;
    assert_eq!(status, 422, "{answer}");
    assert_eq!(answer["code"], "device-move-code-invalid");
    assert_eq!(answer["field"], "code");
    assert!(answer["messageEn"].as_str().expect("en").contains("5"));

    // Four more wrong codes burn the step: then not even the right code moves the card.
    for n in 0..4 {
        let (status, answer) = confirm(&app, Some(&step), &other_code(&code, n)).await;
        assert_eq!(status, 422, "{answer}");
    }
    let (status, answer) = confirm(&app, Some(&step), &code).await;
    assert_eq!(
        (status, answer["code"].as_str()),
        (410, Some("device-move-ended"))
    );
    assert_eq!(
        app.request(get_request("/api/session", Some(&old_session)))
            .await
            .status(),
        200,
        "still the old phone's card"
    );

    // A fresh login is a fresh step: the owner is never locked out.
    let started = start_move(&app, &citizen.nik, CITIZEN_PASSWORD).await;
    assert_eq!(started.status(), 202);
    let step = cookie_from(&started, STEP_COOKIE).expect("step cookie");
    let code = move_code(&app, &citizen.email).expect("a new code");
    let moved = app
        .request(json_request(
            "POST",
            "/api/session/move",
            &json!({"code": code.to_lowercase()}),
            Some(&step),
        ))
        .await;
    assert_eq!(moved.status(), 200);
    let new_session = cookie_from(&moved, "__Host-ikd_sesi").expect("session");
    let info = body_json(moved).await;
    assert_eq!(info["replacedDevice"], true);
    assert_eq!(info["deviceId"], NEW_PHONE);
    // Used once.
    let (status, _) = confirm(&app, Some(&step), &code).await;
    assert_eq!(status, 410);

    // The old phone's credentials are on the signed list; its refresh is told, with the day.
    let list = revocations(&app).await;
    for id in &old_ids {
        assert!(
            list.entries
                .iter()
                .any(|e| e.credential_id == *id && e.reason == "device-replaced"),
            "{id} in {list:?}"
        );
    }
    let (status, answer) = status_body(app.bundle(&old_session, &phone).await).await;
    assert_eq!(status, 401);
    assert_eq!(answer["code"], "device-replaced");
    let message = answer["message"].as_str().expect("message");
    assert!(
        message.starts_with("Kartu ini sudah dipindahkan ke ponsel lain pada 20"),
        "{message}"
    );
    assert!(
        answer["messageEn"]
            .as_str()
            .expect("en")
            .contains("moved to another phone")
    );
    let (status, answer) = status_body(
        app.request(get_request("/api/session", Some(&old_session)))
            .await,
    )
    .await;
    assert_eq!(
        (status, answer["code"].as_str()),
        (401, Some("device-replaced"))
    );
    // The new phone works; a session that merely ended is still just `login-required`.
    assert_eq!(
        app.bundle(&new_session, &PhoneKeys::random())
            .await
            .status(),
        200
    );
    let (status, answer) = status_body(
        app.request(get_request("/api/session", Some("__Host-ikd_sesi=unknown")))
            .await,
    )
    .await;
    assert_eq!(
        (status, answer["code"].as_str()),
        (401, Some("login-required"))
    );
}

#[tokio::test]
async fn strangers_get_the_login_answer_they_got_before() {
    let app = TestApp::new().await;
    seed_registry(&app).await;
    let (officer, desk) = open_desk(&app).await;
    let citizen = eligible_citizens(&app, 1).await.remove(0);
    active_citizen(&app, &officer, desk, &citizen, OLD_PHONE).await;
    let unknown = "3276019999990001";
    let (status, unknown_answer) =
        status_body(start_move(&app, unknown, CITIZEN_PASSWORD).await).await;
    assert_eq!(status, 401);
    let (status, wrong_answer) =
        status_body(start_move(&app, &citizen.nik, "bukan-sandinya-123").await).await;
    assert_eq!(status, 401);
    assert_eq!(unknown_answer, wrong_answer, "the same refusal");
    assert_eq!(unknown_answer["code"], "login-failed");
    assert!(
        move_code(&app, &citizen.email).is_none(),
        "no mail for a wrong password"
    );
    let moves: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM device_moves")
        .fetch_one(app.db.pool())
        .await
        .expect("count");
    assert_eq!(moves, 0);
}

#[tokio::test]
async fn the_right_code_sent_twice_at_once_moves_the_card_once() {
    let app = TestApp::new().await;
    seed_registry(&app).await;
    let (officer, desk) = open_desk(&app).await;
    let citizen = eligible_citizens(&app, 1).await.remove(0);
    active_citizen(&app, &officer, desk, &citizen, OLD_PHONE).await;
    let started = start_move(&app, &citizen.nik, CITIZEN_PASSWORD).await;
    assert_eq!(started.status(), 202);
    let step = cookie_from(&started, STEP_COOKIE).expect("step cookie");
    let code = move_code(&app, &citizen.email).expect("a move code mail");

    // Two replicas racing on one step: one conditional DELETE, one winner.
    let ((first, _), (second, _)) = tokio::join!(
        confirm(&app, Some(&step), &code),
        confirm(&app, Some(&step), &code)
    );
    let mut statuses = [first, second];
    statuses.sort_unstable();
    assert_eq!(
        statuses,
        [200, 410],
        "one move, the other finds the step ended"
    );
    let sessions: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM sessions WHERE subject = $1 AND device_id = $2")
            .bind(&citizen.nik)
            .bind(NEW_PHONE)
            .fetch_one(app.db.pool())
            .await
            .expect("sessions");
    assert_eq!(sessions, 1, "one session for the new phone");
}
