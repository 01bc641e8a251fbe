//! Building blocks of the citizen journey for router tests: a seeded registry, an officer
//! with an open desk, eligible citizens, solved captchas, selfies, emails in the outbox, and
//! requests that carry JSON, cookies and a client address.

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, Response, header};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use ikd_core::Sex;
use ikd_core::captcha::Solution;
use ikd_core::officer::OfficerRole;
use ikd_server::officer::officers::{self, NewOfficer};
use ikd_server::officer::second_factor;
use ikd_server::platform::totp;
use ikd_server::registry::generator::default_as_of;
use ikd_server::registry::portrait;
use ikd_server::registry::seed::{SyntheticSeed, seed_synthetic};
use serde_json::{Value, json};

use crate::support::{TestApp, body_json};

pub const OFFICER_PASSWORD: &str = "loket-depok-2026";
pub const CITIZEN_PASSWORD: &str = "kuda-lari-di-sawah-42";

/// A person in the registry who may register.
#[derive(Debug, Clone)]
pub struct Citizen {
    pub nik: String,
    pub email: String,
    pub phone: String,
}

pub async fn seed_registry(app: &TestApp) {
    seed_synthetic(
        &app.db,
        SyntheticSeed {
            seed: 7,
            persons: 300,
            as_of: default_as_of(),
        },
    )
    .await
    .expect("seed");
}

/// Adults with a recorded e-KTP and contact details on record.
pub async fn eligible_citizens(app: &TestApp, count: i64) -> Vec<Citizen> {
    let cutoff = format!("{}-01-01", default_as_of().year() - 19);
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT nik, email, phone FROM registry_persons WHERE ektp_recorded = 1 \
         AND email IS NOT NULL AND phone IS NOT NULL AND birth_date < $1 ORDER BY nik LIMIT $2",
    )
    .bind(cutoff)
    .bind(count)
    .fetch_all(app.db.pool())
    .await
    .expect("eligible citizens");
    assert_eq!(
        rows.len() as i64,
        count,
        "the seed has enough eligible people"
    );
    rows.into_iter()
        .map(|(nik, email, phone)| Citizen { nik, email, phone })
        .collect()
}

/// An officer with an authenticator app (TOTP) enrolled, as `ikd demo` makes them.
pub async fn add_officer(app: &TestApp, username: &str, role: OfficerRole, region: &str) -> i64 {
    let id = add_officer_without_second_factor(app, username, role, region).await;
    second_factor::enrol_totp(&app.db, id, &totp::new_secret())
        .await
        .expect("enrol TOTP");
    id
}

/// An officer who has never logged in: the first login enrols a second factor.
pub async fn add_officer_without_second_factor(
    app: &TestApp,
    username: &str,
    role: OfficerRole,
    region: &str,
) -> i64 {
    officers::add(
        &app.db,
        NewOfficer {
            username: username.to_owned(),
            full_name: format!("Petugas {username}"),
            role,
            region_code: region.to_owned(),
            password: OFFICER_PASSWORD.to_owned(),
        },
    )
    .await
    .expect("add officer")
}

/// The code an enrolled officer's authenticator app shows for their next login.
pub async fn totp_code(app: &TestApp, username: &str) -> String {
    let officer = officers::find_active(&app.db, username)
        .await
        .expect("db")
        .expect("officer");
    let (code, wait) = second_factor::demo_code(&app.db, officer.id)
        .await
        .expect("db")
        .expect("TOTP enrolled");
    if wait > 0 {
        // Both codes accepted now were used by this test's earlier logins.
        tokio::time::sleep(std::time::Duration::from_secs(wait.unsigned_abs())).await;
    }
    code
}

/// A request builder with a JSON body, an optional cookie and a client address.
pub fn json_request(method: &str, path: &str, body: &Value, cookie: Option<&str>) -> Request<Body> {
    let mut builder = Request::builder()
        .method(method)
        .uri(path)
        .header(header::CONTENT_TYPE, "application/json");
    if let Some(cookie) = cookie {
        builder = builder.header(header::COOKIE, cookie);
    }
    let mut request = builder
        .body(Body::from(serde_json::to_vec(body).expect("json")))
        .expect("request");
    request
        .extensions_mut()
        .insert(ConnectInfo(SocketAddr::from(([10, 0, 0, 1], 40000))));
    request
}

pub fn get_request(path: &str, cookie: Option<&str>) -> Request<Body> {
    let mut builder = Request::get(path);
    if let Some(cookie) = cookie {
        builder = builder.header(header::COOKIE, cookie);
    }
    builder.body(Body::empty()).expect("request")
}

/// The `name=value` pair of the session cookie a response sets.
pub fn cookie_from(response: &Response<Body>, name: &str) -> Option<String> {
    response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .and_then(|v| v.split(';').next())
        .map(str::to_owned)
}

/// Password, then the authenticator app's code: the officer's session cookie.
pub async fn officer_login(app: &TestApp, username: &str) -> String {
    let step = officer_password_step(app, username).await;
    let code = totp_code(app, username).await;
    let response = app
        .request(json_request(
            "POST",
            "/api/officer/second-factor/totp",
            &json!({"code": code}),
            Some(&step),
        ))
        .await;
    assert_eq!(response.status(), 200, "second factor");
    cookie_from(&response, "__Host-ikd_petugas").expect("officer cookie")
}

/// The password alone: the login step's cookie.
pub async fn officer_password_step(app: &TestApp, username: &str) -> String {
    let response = app
        .request(json_request(
            "POST",
            "/api/officer/session",
            &json!({"username": username, "password": OFFICER_PASSWORD}),
            None,
        ))
        .await;
    assert_eq!(response.status(), 200, "officer password");
    assert_eq!(
        cookie_from(&response, "__Host-ikd_petugas"),
        None,
        "no session yet"
    );
    cookie_from(&response, "__Host-ikd_petugas_langkah").expect("login-step cookie")
}

/// An officer ("rina", Depok) logged in with an open desk: (cookie, desk id).
pub async fn open_desk(app: &TestApp) -> (String, i64) {
    add_officer(app, "rina", OfficerRole::Officer, "32.76").await;
    let cookie = officer_login(app, "rina").await;
    let desk = open_desk_as(app, &cookie, "desk", "Loket 1 Depok").await;
    (cookie, desk)
}

pub async fn open_desk_as(app: &TestApp, cookie: &str, kind: &str, label: &str) -> i64 {
    let response = app
        .request(json_request(
            "POST",
            "/api/desks",
            &json!({"kind": kind, "label": label}),
            Some(cookie),
        ))
        .await;
    assert_eq!(response.status(), 201, "open desk");
    body_json(response).await["id"].as_i64().expect("desk id")
}

pub async fn desk_token(app: &TestApp, cookie: &str, desk: i64) -> Value {
    let response = app
        .request(get_request(
            &format!("/api/desks/{desk}/token"),
            Some(cookie),
        ))
        .await;
    assert_eq!(response.status(), 200, "desk token");
    body_json(response).await
}

pub async fn solved_captcha(app: &TestApp) -> Solution {
    let response = app
        .request(json_request("POST", "/api/captcha", &json!({}), None))
        .await;
    assert_eq!(response.status(), 200);
    let challenge = serde_json::from_value(body_json(response).await).expect("challenge");
    ikd_core::captcha::solve(&challenge).expect("solvable")
}

pub fn selfie_base64() -> String {
    STANDARD.encode(portrait::portrait_jpeg_sized(
        99,
        Sex::Female,
        30,
        120,
        160,
        80,
    ))
}

pub async fn registration_body(app: &TestApp, citizen: &Citizen, desk_token: &str) -> Value {
    json!({
        "nik": citizen.nik,
        "email": citizen.email,
        "phone": citizen.phone,
        "selfieJpeg": selfie_base64(),
        "deskToken": desk_token,
        "captcha": solved_captcha(app).await,
    })
}

/// Submits a registration; returns the status and the JSON answer.
pub async fn register(app: &TestApp, body: &Value) -> (u16, Value) {
    let response = app
        .request(json_request("POST", "/api/registrations", body, None))
        .await;
    let status = response.status().as_u16();
    (status, body_json(response).await)
}

/// A registration body for `citizen` with the desk's current QR.
pub async fn desk_registration_body(
    app: &TestApp,
    officer_cookie: &str,
    desk: i64,
    citizen: &Citizen,
) -> Value {
    let token = desk_token(app, officer_cookie, desk).await;
    registration_body(app, citizen, token["qrText"].as_str().expect("qr")).await
}

/// Registers `citizen` at the desk; returns the registration id.
pub async fn registered(
    app: &TestApp,
    officer_cookie: &str,
    desk: i64,
    citizen: &Citizen,
) -> String {
    let body = desk_registration_body(app, officer_cookie, desk, citizen).await;
    let (status, answer) = register(app, &body).await;
    assert_eq!(status, 202, "{answer}");
    answer["registrationId"].as_str().expect("id").to_owned()
}

/// The officer's decision on registration `id`: `{"approve": …, "reason": …}`.
pub async fn decide(
    app: &TestApp,
    officer_cookie: &str,
    id: &str,
    decision: Value,
) -> Response<Body> {
    app.request(json_request(
        "POST",
        &format!("/api/officer/registrations/{id}/decision"),
        &decision,
        Some(officer_cookie),
    ))
    .await
}

/// The queue of `desk` as the officer sees it.
pub async fn desk_queue(app: &TestApp, officer_cookie: &str, desk: i64) -> Value {
    let path = format!("/api/desks/{desk}/queue");
    body_json(app.request(get_request(&path, Some(officer_cookie))).await).await
}

/// Registers `citizen` at the desk and has the officer approve; returns the registration id.
pub async fn registered_and_approved(
    app: &TestApp,
    officer_cookie: &str,
    desk: i64,
    citizen: &Citizen,
) -> String {
    let id = registered(app, officer_cookie, desk, citizen).await;
    let response = decide(app, officer_cookie, &id, json!({"approve": true})).await;
    assert_eq!(response.status(), 200, "approve");
    assert_eq!(body_json(response).await["emailSent"], true);
    id
}

/// The emails in the outbox sent to `to`, oldest first (lettre writes one `.eml` per message).
pub fn emails_to(app: &TestApp, to: &str) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(&app.outbox) else {
        return Vec::new();
    };
    let mut mails: Vec<(std::time::SystemTime, String)> = entries
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "eml"))
        .filter_map(|e| {
            let text = std::fs::read_to_string(e.path()).ok()?;
            let modified = e.metadata().ok()?.modified().ok()?;
            Some((modified, text))
        })
        .filter(|(_, text)| text.contains(&format!("To: {to}")))
        .collect();
    mails.sort_by_key(|(at, _)| *at);
    mails.into_iter().map(|(_, text)| text).collect()
}

/// The activation code of the newest email to `to`.
pub fn activation_code(app: &TestApp, to: &str) -> String {
    let mails = emails_to(app, to);
    code_in_mail(mails.last().expect("an activation email"))
}

/// The 8-character activation code of a mail's `kode=` link.
pub fn code_in_mail(mail: &str) -> String {
    let start = mail.find("kode=").expect("a link with the code") + 5;
    mail[start..start + 8].to_owned()
}

pub async fn activate(
    app: &TestApp,
    citizen: &Citizen,
    code: &str,
    device: &str,
) -> Response<Body> {
    let body = json!({
        "nik": citizen.nik,
        "code": code,
        "password": CITIZEN_PASSWORD,
        "deviceId": device,
        "captcha": solved_captcha(app).await,
    });
    app.request(json_request("POST", "/api/activation", &body, None))
        .await
}

/// A citizen who went through the whole journey: returns their session cookie.
pub async fn active_citizen(
    app: &TestApp,
    officer_cookie: &str,
    desk: i64,
    citizen: &Citizen,
    device: &str,
) -> String {
    registered_and_approved(app, officer_cookie, desk, citizen).await;
    let code = activation_code(app, &citizen.email);
    let response = activate(app, citizen, &code, device).await;
    assert_eq!(response.status(), 200, "activation");
    cookie_from(&response, "__Host-ikd_sesi").expect("session cookie")
}

/// A login; with `replace`, a move to a new device is finished the way its owner would:
/// the code from the mail to the account's address, with the step cookie.
pub async fn login(
    app: &TestApp,
    identifier: &str,
    password: &str,
    device: &str,
    replace: bool,
) -> Response<Body> {
    let response = app
        .request(json_request(
            "POST",
            "/api/session",
            &json!({
                "identifier": identifier,
                "password": password,
                "deviceId": device,
                "replaceDevice": replace,
            }),
            None,
        ))
        .await;
    if response.status() != 202 {
        return response;
    }
    let email: String =
        sqlx::query_scalar("SELECT email FROM accounts WHERE nik = $1 OR email = $1")
            .bind(identifier.trim().to_lowercase())
            .fetch_one(app.db.pool())
            .await
            .expect("the account's email");
    finish_move(app, &response, &email).await
}

/// The newest code for moving phones mailed to `to`.
pub fn move_code(app: &TestApp, to: &str) -> Option<String> {
    let mails = emails_to(app, to);
    let mail = mails
        .iter()
        .rev()
        .find(|m| m.contains("Kode pindah ponsel") && m.contains("Kode / code: "))?;
    let start = mail.find("Kode / code: ")? + "Kode / code: ".len();
    Some(mail[start..start + 8].to_owned())
}

/// After a 202 login on a new device: the code mailed to `email`, sent with the step cookie.
pub async fn finish_move(app: &TestApp, started: &Response<Body>, email: &str) -> Response<Body> {
    assert_eq!(started.status(), 202, "a code for moving phones was sent");
    let step = cookie_from(started, "__Host-ikd_pindah").expect("the move step cookie");
    let code = move_code(app, email).expect("a mail with the move code");
    app.request(json_request(
        "POST",
        "/api/session/move",
        &json!({"code": code}),
        Some(&step),
    ))
    .await
}
