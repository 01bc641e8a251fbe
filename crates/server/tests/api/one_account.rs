//! Issue 14, finding 8: one account per NIK, and an email that several accounts share (a
//! family's) neither logs anyone in nor resets anyone's password.
#![allow(
    non_snake_case,
    reason = "a test is named `finding__what_now_holds`, the finding before the double underscore"
)]

use ikd_server::platform::password;
use serde_json::{Value, json};

use crate::fixtures::*;
use crate::support::{TestApp, body_bytes, body_json};

const DEVICE_A: &str = "device-aaaaaaaaaaaa";
const DEVICE_B: &str = "device-bbbbbbbbbbbb";

async fn setup(citizens: i64) -> (TestApp, String, i64, Vec<Citizen>) {
    let app = TestApp::new().await;
    seed_registry(&app).await;
    let (officer, desk) = open_desk(&app).await;
    let citizens = eligible_citizens(&app, citizens).await;
    (app, officer, desk, citizens)
}

/// The person updated their email at a Dukcapil counter: the registry now holds `email`.
async fn registry_email(app: &TestApp, nik: &str, email: &str) {
    sqlx::query("UPDATE registry_persons SET email = $1 WHERE nik = $2")
        .bind(email)
        .bind(nik)
        .execute(app.db.pool())
        .await
        .expect("registry email");
}

async fn account_email(app: &TestApp, nik: &str) -> String {
    sqlx::query_scalar("SELECT email FROM accounts WHERE nik = $1")
        .bind(nik)
        .fetch_one(app.db.pool())
        .await
        .expect("account")
}

fn assert_bilingual(answer: &Value) {
    assert!(
        !answer["message"].as_str().unwrap_or("").is_empty(),
        "{answer}"
    );
    assert!(
        !answer["messageEn"].as_str().unwrap_or("").is_empty(),
        "{answer}"
    );
}

/// A NIK whose account is activated used to register again, and the officer's approval then
/// overwrote the account. Now the registration is refused, pointing to login, password reset
/// or a new phone, and only to someone who proved they hold the NIK's registry email and phone:
/// a stranger still gets the answer an unknown NIK gets.
#[tokio::test]
async fn one_account_per_nik_is_not_enforced__an_active_nik_cannot_register_again() {
    let (app, officer, desk, citizens) = setup(1).await;
    let citizen = &citizens[0];
    active_citizen(&app, &officer, desk, citizen, DEVICE_A).await;

    let body = desk_registration_body(&app, &officer, desk, citizen).await;
    let (status, answer) = register(&app, &body).await;
    assert_eq!(status, 409, "{answer}");
    assert_eq!(answer["code"], "account-exists", "{answer}");
    assert!(answer.get("field").is_none(), "{answer}");
    assert_bilingual(&answer);
    let message = answer["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("Masuk") && message.contains("Lupa kata sandi"),
        "{message}"
    );

    // Without the registry's email, the active NIK looks like any other mismatch.
    let mut stranger = citizen.clone();
    stranger.email = "orang.lain@contoh.id".to_owned();
    let body = desk_registration_body(&app, &officer, desk, &stranger).await;
    let (status, answer) = register(&app, &body).await;
    assert_eq!(
        (status, answer["code"].as_str()),
        (422, Some("data-mismatch"))
    );

    // The account is untouched and still logs in.
    assert_eq!(account_email(&app, &citizen.nik).await, citizen.email);
    let response = login(&app, &citizen.nik, CITIZEN_PASSWORD, DEVICE_A, false).await;
    assert_eq!(response.status(), 200);
}

/// Second line of defence: a registration sent before the account was activated must not,
/// once approved, overwrite the activated account's email and phone.
#[tokio::test]
async fn one_account_per_nik_is_not_enforced__approval_never_overwrites_an_activated_account() {
    let (app, officer, desk, citizens) = setup(1).await;
    let citizen = citizens[0].clone();
    registered_and_approved(&app, &officer, desk, &citizen).await;
    // Before activating, the person registers again with a newer email on record.
    let mut updated = citizen.clone();
    updated.email = "baru.sekali@contoh.id".to_owned();
    registry_email(&app, &citizen.nik, &updated.email).await;
    let second = registered(&app, &officer, desk, &updated).await;
    // Then they activate with the first code.
    let code = activation_code(&app, &citizen.email);
    assert_eq!(
        activate(&app, &citizen, &code, DEVICE_A).await.status(),
        200
    );

    let response = decide(&app, &officer, &second, json!({"approve": true})).await;
    assert_eq!(response.status(), 409);
    let answer = body_json(response).await;
    assert_eq!(answer["code"], "account-active", "{answer}");
    assert_bilingual(&answer);
    assert_eq!(account_email(&app, &citizen.nik).await, citizen.email);
    assert!(
        emails_to(&app, &updated.email).is_empty(),
        "no activation code"
    );

    // The officer can still reject it; the account keeps working.
    let response = decide(
        &app,
        &officer,
        &second,
        json!({"approve": false, "reason": "NIK sudah punya akun aktif"}),
    )
    .await;
    assert_eq!(response.status(), 200);
    let response = login(&app, &citizen.email, CITIZEN_PASSWORD, DEVICE_A, false).await;
    assert_eq!(response.status(), 200);
}

/// Two family members whose registry records share one email, both activated.
async fn family() -> (TestApp, Citizen, Citizen) {
    let (app, officer, desk, mut citizens) = setup(2).await;
    let parent = citizens.remove(0);
    let mut child = citizens.remove(0);
    child.email = parent.email.clone();
    registry_email(&app, &child.nik, &child.email).await;
    active_citizen(&app, &officer, desk, &parent, DEVICE_A).await;
    active_citizen(&app, &officer, desk, &child, DEVICE_B).await;
    (app, parent, child)
}

/// A shared email used to log in to whichever account the database returned first. Now it
/// logs in nobody, with the answer and the Argon2id work of a wrong password; the NIK still
/// works for each of them.
#[tokio::test]
async fn email_is_not_unique__a_shared_email_logs_in_nobody() {
    let (app, parent, child) = family().await;
    let attempt = |identifier: String, password: &'static str| {
        let app = &app;
        async move {
            let (response, verifications) = password::counting_verifications(login(
                app,
                &identifier,
                password,
                DEVICE_A,
                false,
            ))
            .await;
            (
                response.status().as_u16(),
                body_bytes(response).await,
                verifications,
            )
        }
    };
    let shared = attempt(parent.email.clone(), CITIZEN_PASSWORD).await;
    let wrong = attempt(parent.nik.clone(), "salah-sekali-123").await;
    assert_eq!(shared.0, 401, "{}", String::from_utf8_lossy(&shared.1));
    assert_eq!(
        shared, wrong,
        "the same answer and work as a wrong password"
    );
    let answer: Value = serde_json::from_slice(&shared.1).expect("json");
    assert_eq!(answer["code"], "login-failed");
    assert!(
        answer["message"]
            .as_str()
            .unwrap_or_default()
            .contains("NIK")
    );

    for (citizen, device) in [(&parent, DEVICE_A), (&child, DEVICE_B)] {
        let response = login(&app, &citizen.nik, CITIZEN_PASSWORD, device, false).await;
        assert_eq!(response.status(), 200, "{}", citizen.nik);
    }
}

/// A reset by a shared email used to reset whichever account came first. Now it sends nothing
/// and answers as for an unknown account; a reset by NIK still works.
#[tokio::test]
async fn email_is_not_unique__a_shared_email_resets_nobody() {
    let (app, parent, _child) = family().await;
    let ask = |identifier: String| {
        let app = &app;
        async move {
            let body = json!({"identifier": identifier, "captcha": solved_captcha(app).await});
            let response = app
                .request(json_request("POST", "/api/password-reset", &body, None))
                .await;
            (response.status().as_u16(), body_json(response).await)
        }
    };
    let before = emails_to(&app, &parent.email).len();
    let shared = ask(parent.email.clone()).await;
    let unknown = ask("tidak.ada@contoh.id".to_owned()).await;
    assert_eq!(shared.0, 202);
    assert_eq!(
        shared, unknown,
        "the answer does not tell who has an account"
    );
    assert_eq!(
        emails_to(&app, &parent.email).len(),
        before,
        "no reset mail"
    );

    assert_eq!(ask(parent.nik.clone()).await.0, 202);
    assert_eq!(
        emails_to(&app, &parent.email).len(),
        before + 1,
        "reset by NIK"
    );
}
