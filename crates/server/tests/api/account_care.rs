//! Self-service account care (issue 17): the overview with devices and sessions, ending
//! another session, a new email confirmed by a code sent to it, a new phone, a lost phone
//! reported from any browser (the same answer and work for any NIK and password), a copy of
//! everything, and closing the account, after which the NIK may register anew.

use axum::body::Body;
use axum::http::{Request, Response, header};
use ikd_core::signed::SignedJson;
use ikd_core::trust_documents::{RevocationList, TrustListDocument};
use ikd_server::journey::institutions;
use ikd_server::platform::password;
use p256::elliptic_curve::sec1::ToEncodedPoint;
use serde_json::{Value, json};

use crate::fixtures::*;
use crate::support::{TestApp, body_json};

const DEVICE: &str = "device-account-care-a";
const NEW_DEVICE: &str = "device-account-care-b";

async fn answer(response: Response<Body>) -> (u16, Value) {
    let status = response.status().as_u16();
    (status, body_json(response).await)
}

fn assert_refused(got: &(u16, Value), status: u16, code: &str) {
    assert_eq!(got.0, status, "{}", got.1);
    assert_eq!(got.1["code"], code, "{}", got.1);
    let id = got.1["message"].as_str().expect("message");
    let en = got.1["messageEn"].as_str().expect("messageEn");
    assert!(!id.is_empty() && !en.is_empty() && id != en, "{}", got.1);
}

/// A seeded registry, an officer's desk and `count` activated citizens with their cookies.
struct Scene {
    app: TestApp,
    officer: String,
    desk: i64,
    citizens: Vec<(Citizen, String)>,
}

async fn scene(count: i64) -> Scene {
    let app = TestApp::new().await;
    seed_registry(&app).await;
    let (officer, desk) = open_desk(&app).await;
    let mut citizens = Vec::new();
    for (i, citizen) in eligible_citizens(&app, count).await.into_iter().enumerate() {
        let device = format!("{DEVICE}-{i}");
        let cookie = active_citizen(&app, &officer, desk, &citizen, &device).await;
        citizens.push((citizen, cookie));
    }
    Scene {
        app,
        officer,
        desk,
        citizens,
    }
}

async fn get(app: &TestApp, path: &str, cookie: Option<&str>) -> (u16, Value) {
    answer(app.request(get_request(path, cookie)).await).await
}

async fn send(
    app: &TestApp,
    method: &str,
    path: &str,
    body: Value,
    cookie: Option<&str>,
) -> (u16, Value) {
    answer(app.request(json_request(method, path, &body, cookie)).await).await
}

/// The newest mail to `to` carrying an account code, and the code.
fn account_code(app: &TestApp, to: &str) -> Option<String> {
    let mails = emails_to(app, to);
    let mail = mails.iter().rev().find(|m| m.contains("Kode / code: "))?;
    let start = mail.find("Kode / code: ")? + "Kode / code: ".len();
    Some(mail[start..start + 8].to_owned())
}

fn account_mails(app: &TestApp, to: &str) -> usize {
    emails_to(app, to)
        .iter()
        .filter(|m| m.contains("Kode / code: "))
        .count()
}

fn has_activity(log: &Value, kind: &str) -> bool {
    log.as_array()
        .expect("log")
        .iter()
        .any(|entry| entry["kind"] == kind)
}

/// Four fresh device keys, as the phone sends them, and the bundle fetched with them.
async fn fetch_bundle(app: &TestApp, cookie: &str) {
    let key = || {
        let secret = p256::SecretKey::random(&mut rand_core::OsRng);
        ikd_core::hex::encode(secret.public_key().to_encoded_point(true).as_bytes())
    };
    let body = json!({"deviceKeys": {
        "full": key(), "basic": key(), "age": key(), "fullEncrypted": key(),
    }});
    let got = send(app, "POST", "/api/bundle", body, Some(cookie)).await;
    assert_eq!(got.0, 200, "{}", got.1);
}

async fn credential_ids(app: &TestApp, nik: &str) -> Vec<String> {
    sqlx::query_scalar("SELECT id FROM credentials WHERE nik = $1 ORDER BY id")
        .bind(nik)
        .fetch_all(app.db.pool())
        .await
        .expect("credentials")
}

async fn revocations(app: &TestApp) -> RevocationList {
    let signed: SignedJson =
        serde_json::from_value(get(app, "/api/revocations", None).await.1).expect("signed");
    let trust: TrustListDocument =
        serde_json::from_value(get(app, "/api/trust-list", None).await.1).expect("trust");
    signed
        .verify(&trust.to_trust_list().expect("keys"), None)
        .expect("revocation list signed by the issuer")
}

async fn count(app: &TestApp, sql: &str, nik: &str) -> i64 {
    sqlx::query_scalar(sql)
        .bind(nik)
        .fetch_one(app.db.pool())
        .await
        .expect("count")
}

fn with_bearer(mut request: Request<Body>, key: &str) -> Request<Body> {
    request.headers_mut().insert(
        header::AUTHORIZATION,
        format!("Bearer {key}").parse().expect("header"),
    );
    request
}

/// An institution asks `nik` for the basic scope and the citizen approves: (key, grant id).
async fn live_grant(app: &TestApp, cookie: &str, nik: &str) -> (String, String) {
    let (key, _) = institutions::add(&app.db, "Bank Contoh")
        .await
        .expect("institution");
    let body =
        json!({"nik": nik, "scope": "basic", "purpose": "Pembukaan rekening", "periodDays": 30});
    let asked = answer(
        app.request(with_bearer(
            json_request("POST", "/api/institution/consent-requests", &body, None),
            &key,
        ))
        .await,
    )
    .await;
    assert_eq!(asked.0, 202, "{}", asked.1);
    let grant = asked.1["requestId"].as_str().expect("id").to_owned();
    let path = format!("/api/consents/{grant}/answer");
    let approved = send(app, "POST", &path, json!({"approve": true}), Some(cookie)).await;
    assert_eq!(approved.0, 200, "{}", approved.1);
    (key, grant)
}

async fn institution_read(app: &TestApp, key: &str, grant: &str) -> (u16, Value) {
    let path = format!("/api/institution/grants/{grant}/data");
    answer(
        app.request(with_bearer(get_request(&path, None), key))
            .await,
    )
    .await
}

#[tokio::test]
async fn the_overview_lists_devices_and_sessions_and_another_session_can_be_ended() {
    let s = scene(2).await;
    let (citizen, first) = &s.citizens[0];
    let (_, other_citizen) = &s.citizens[1];
    assert_refused(
        &get(&s.app, "/api/account", None).await,
        401,
        "login-required",
    );

    // A second login on the same device: two live sessions.
    let response = login(
        &s.app,
        &citizen.nik,
        CITIZEN_PASSWORD,
        &format!("{DEVICE}-0"),
        false,
    )
    .await;
    assert_eq!(response.status(), 200);
    let second = cookie_from(&response, "__Host-ikd_sesi").expect("cookie");

    let (status, overview) = get(&s.app, "/api/account", Some(&second)).await;
    assert_eq!(status, 200, "{overview}");
    assert_eq!(overview["nik"], citizen.nik.as_str());
    assert_eq!(overview["email"], citizen.email.as_str());
    assert!(overview["activatedAt"].as_i64().expect("activatedAt") > 0);
    assert_eq!(overview["pendingEmail"], Value::Null);
    let devices = overview["devices"].as_array().expect("devices");
    assert_eq!(devices.len(), 1, "{overview}");
    assert_eq!(devices[0]["label"], &DEVICE[..8]);
    assert_eq!(devices[0]["active"], true);
    assert_eq!(devices[0]["current"], true);
    let sessions = overview["sessions"].as_array().expect("sessions");
    assert_eq!(sessions.len(), 2, "{overview}");
    let current: Vec<&Value> = sessions.iter().filter(|v| v["current"] == true).collect();
    assert_eq!(current.len(), 1);
    let current_id = current[0]["id"].as_str().expect("id").to_owned();
    let other_id = sessions
        .iter()
        .find(|v| v["current"] == false)
        .and_then(|v| v["id"].as_str())
        .expect("the other session")
        .to_owned();
    // The id opens nothing: it is not the token.
    assert!(!first.contains(&other_id) && !second.contains(&other_id));

    let end = |id: &str| format!("/api/account/sessions/{id}/end");
    // Another citizen's session is not found, like a missing one.
    let foreign = send(
        &s.app,
        "POST",
        &end(&other_id),
        json!({}),
        Some(other_citizen),
    )
    .await;
    assert_refused(&foreign, 404, "not-found");
    let missing = send(
        &s.app,
        "POST",
        &end("0123456789abcdef"),
        json!({}),
        Some(&second),
    )
    .await;
    assert_eq!(missing, foreign);
    assert_refused(
        &send(&s.app, "POST", &end(&current_id), json!({}), Some(&second)).await,
        409,
        "session-current",
    );
    assert_refused(
        &send(&s.app, "POST", &end(&other_id), json!({}), None).await,
        401,
        "login-required",
    );

    let response = s
        .app
        .request(json_request(
            "POST",
            &end(&other_id),
            &json!({}),
            Some(&second),
        ))
        .await;
    assert_eq!(response.status(), 204);
    assert_refused(
        &get(&s.app, "/api/account", Some(first)).await,
        401,
        "login-required",
    );
    let (_, overview) = get(&s.app, "/api/account", Some(&second)).await;
    assert_eq!(overview["sessions"].as_array().expect("sessions").len(), 1);
    // Ended once: a second time it is not found.
    assert_refused(
        &send(&s.app, "POST", &end(&other_id), json!({}), Some(&second)).await,
        404,
        "not-found",
    );
    let (_, log) = get(&s.app, "/api/activity", Some(&second)).await;
    assert!(has_activity(&log, "session-ended"), "{log}");
}

#[tokio::test]
async fn a_new_email_takes_the_code_sent_to_it_and_a_new_phone_is_checked() {
    let s = scene(2).await;
    let (citizen, cookie) = &s.citizens[0];
    let (neighbour, _) = &s.citizens[1];
    let request = |email: &str| json!({"newEmail": email});

    let bad = send(
        &s.app,
        "POST",
        "/api/account/email",
        request("bukan-email"),
        Some(cookie),
    )
    .await;
    assert_refused(&bad, 422, "email-invalid");
    assert_eq!(bad.1["field"], "newEmail");
    assert_refused(
        &send(
            &s.app,
            "POST",
            "/api/account/email",
            request(&citizen.email),
            Some(cookie),
        )
        .await,
        422,
        "email-unchanged",
    );
    assert_refused(
        &send(
            &s.app,
            "POST",
            "/api/account/email/confirm",
            json!({"code": "ABCD-EFGH"}),
            Some(cookie),
        )
        .await,
        409,
        "email-change-missing",
    );
    assert_refused(
        &send(
            &s.app,
            "POST",
            "/api/account/email",
            request("baru@contoh.id"),
            None,
        )
        .await,
        401,
        "login-required",
    );

    // An address another account uses is accepted like any other (families share one).
    let accepted = send(
        &s.app,
        "POST",
        "/api/account/email",
        request(&neighbour.email),
        Some(cookie),
    )
    .await;
    assert_eq!(accepted.0, 202, "{}", accepted.1);

    let new_email = "Warga.Baru@Contoh.ID";
    let (status, notice) = send(
        &s.app,
        "POST",
        "/api/account/email",
        request(new_email),
        Some(cookie),
    )
    .await;
    assert_eq!(status, 202, "{notice}");
    assert!(notice["message"].is_string() && notice["messageEn"].is_string());
    let code = account_code(&s.app, "warga.baru@contoh.id").expect("a code to the new address");
    let (_, overview) = get(&s.app, "/api/account", Some(cookie)).await;
    assert_eq!(overview["pendingEmail"], "warga.baru@contoh.id");
    assert_eq!(overview["email"], citizen.email.as_str());

    // Five wrong codes end the pending change.
    let wrong = if code == "00000000" {
        "11111111"
    } else {
        "00000000"
    };
    for _ in 0..5 {
        assert_refused(
            &send(
                &s.app,
                "POST",
                "/api/account/email/confirm",
                json!({"code": wrong}),
                Some(cookie),
            )
            .await,
            422,
            "email-code-invalid",
        );
    }
    assert_refused(
        &send(
            &s.app,
            "POST",
            "/api/account/email/confirm",
            json!({"code": code}),
            Some(cookie),
        )
        .await,
        409,
        "email-change-missing",
    );

    // A new request, then the right code (grouped and in lower case, as people type it).
    send(
        &s.app,
        "POST",
        "/api/account/email",
        request(new_email),
        Some(cookie),
    )
    .await;
    let code = account_code(&s.app, "warga.baru@contoh.id").expect("a second code");
    let typed = format!("{}-{}", &code[..4], &code[4..]).to_lowercase();
    let (status, overview) = send(
        &s.app,
        "POST",
        "/api/account/email/confirm",
        json!({"code": typed}),
        Some(cookie),
    )
    .await;
    assert_eq!(status, 200, "{overview}");
    assert_eq!(overview["email"], "warga.baru@contoh.id");
    assert_eq!(overview["pendingEmail"], Value::Null);
    // The old address is told.
    assert!(
        emails_to(&s.app, &citizen.email)
            .iter()
            .any(|m| m.contains("Email akun IKD diganti"))
    );
    // The new address logs in (NIK still does too).
    let response = login(
        &s.app,
        "warga.baru@contoh.id",
        CITIZEN_PASSWORD,
        &format!("{DEVICE}-0"),
        false,
    )
    .await;
    assert_eq!(response.status(), 200);

    // The phone.
    let bad = send(
        &s.app,
        "PUT",
        "/api/account/phone",
        json!({"phone": "12345"}),
        Some(cookie),
    )
    .await;
    assert_refused(&bad, 422, "phone-invalid");
    assert_eq!(bad.1["field"], "phone");
    let (status, overview) = send(
        &s.app,
        "PUT",
        "/api/account/phone",
        json!({"phone": "+62 812-3456-7890"}),
        Some(cookie),
    )
    .await;
    assert_eq!(status, 200, "{overview}");
    assert_eq!(overview["phone"], "081234567890");
    let (_, log) = get(&s.app, "/api/activity", Some(cookie)).await;
    assert!(has_activity(&log, "email-changed"), "{log}");
    assert!(has_activity(&log, "phone-changed"), "{log}");
}

#[tokio::test]
async fn a_lost_phone_answers_alike_for_any_nik_and_its_credentials_go_on_the_list() {
    let s = scene(1).await;
    let (citizen, cookie) = &s.citizens[0];
    fetch_bundle(&s.app, cookie).await;
    let issued = credential_ids(&s.app, &citizen.nik).await;
    assert_eq!(issued.len(), 4);
    assert!(revocations(&s.app).await.entries.is_empty());

    let unknown_nik = {
        let mut nik = citizen.nik.clone();
        let last = if nik.ends_with('0') { "1" } else { "0" };
        nik.replace_range(15..16, last);
        nik
    };
    let report = |nik: &str, password: &str| {
        json_request(
            "POST",
            "/api/lost-phone",
            &json!({"nik": nik, "password": password}),
            None,
        )
    };
    let mut answers = Vec::new();
    for (nik, password) in [
        (unknown_nik.as_str(), CITIZEN_PASSWORD),
        (citizen.nik.as_str(), "bukan-kata-sandinya-1"),
        (citizen.nik.as_str(), CITIZEN_PASSWORD),
    ] {
        let before = count(
            &s.app,
            "SELECT COUNT(*) FROM lost_phone_requests WHERE nik <> $1",
            "",
        )
        .await;
        let (response, verifications) =
            password::counting_verifications(s.app.answer_only(report(nik, password))).await;
        assert_eq!(
            verifications, 1,
            "one Argon2id verification for every report"
        );
        let after = count(
            &s.app,
            "SELECT COUNT(*) FROM lost_phone_requests WHERE nik <> $1",
            "",
        )
        .await;
        assert_eq!(after, before + 1, "one stored request for every report");
        answers.push(answer(response).await);
    }
    assert_eq!(answers[0].0, 202, "{}", answers[0].1);
    assert_eq!(answers[0], answers[1]);
    assert_eq!(answers[1], answers[2]);
    assert_refused(
        &answer(s.app.answer_only(report("123", CITIZEN_PASSWORD)).await).await,
        422,
        "nik-invalid",
    );

    // The worker mails one code, for the right password only.
    assert_eq!(account_mails(&s.app, &citizen.email), 0);
    s.app.run_mail_worker().await;
    assert_eq!(account_mails(&s.app, &citizen.email), 1);
    let code = account_code(&s.app, &citizen.email).expect("the code");

    let confirm = |nik: &str, code: &str| {
        json_request(
            "POST",
            "/api/lost-phone/confirm",
            &json!({"nik": nik, "code": code}),
            None,
        )
    };
    let wrong = if code == "00000000" {
        "11111111"
    } else {
        "00000000"
    };
    let for_unknown = answer(s.app.request(confirm(&unknown_nik, &code)).await).await;
    assert_refused(&for_unknown, 422, "lost-phone-code-invalid");
    let for_wrong = answer(s.app.request(confirm(&citizen.nik, wrong)).await).await;
    assert_eq!(for_wrong, for_unknown);
    // Nothing changed yet.
    assert_eq!(get(&s.app, "/api/account", Some(cookie)).await.0, 200);

    let (status, notice) = answer(s.app.request(confirm(&citizen.nik, &code)).await).await;
    assert_eq!(status, 200, "{notice}");
    // Single use.
    assert_refused(
        &answer(s.app.request(confirm(&citizen.nik, &code)).await).await,
        422,
        "lost-phone-code-invalid",
    );
    // The lost phone's session is over and its four credentials are on the signed list.
    assert_refused(
        &get(&s.app, "/api/account", Some(cookie)).await,
        401,
        "login-required",
    );
    let list = revocations(&s.app).await;
    let mut listed: Vec<String> = list
        .entries
        .iter()
        .map(|e| e.credential_id.clone())
        .collect();
    listed.sort();
    assert_eq!(listed, issued);
    assert!(list.entries.iter().all(|e| e.reason == "lost-phone"));

    // No device was activated: a new phone logs in without replacing one.
    let response = login(&s.app, &citizen.nik, CITIZEN_PASSWORD, NEW_DEVICE, false).await;
    assert_eq!(response.status(), 200);
    let new_session = cookie_from(&response, "__Host-ikd_sesi").expect("cookie");
    assert_eq!(body_json(response).await["replacedDevice"], false);
    let (_, overview) = get(&s.app, "/api/account", Some(&new_session)).await;
    let devices = overview["devices"].as_array().expect("devices");
    let lost = devices
        .iter()
        .find(|d| d["label"] == DEVICE[..8] && d["current"] == false)
        .expect("the lost phone listed");
    assert_eq!(lost["active"], false);
    assert_eq!(lost["revocationReason"], "lost-phone");
    let (_, log) = get(&s.app, "/api/activity", Some(&new_session)).await;
    assert!(has_activity(&log, "lost-phone-reported"), "{log}");
}

#[tokio::test]
async fn the_export_holds_the_account_its_grants_and_the_reads() {
    let s = scene(1).await;
    let (citizen, cookie) = &s.citizens[0];
    let (key, grant) = live_grant(&s.app, cookie, &citizen.nik).await;
    let read = institution_read(&s.app, &key, &grant).await;
    assert_eq!(read.0, 200, "{}", read.1);

    assert_refused(
        &get(&s.app, "/api/account/export", None).await,
        401,
        "login-required",
    );
    let response = s
        .app
        .request(get_request("/api/account/export", Some(cookie)))
        .await;
    assert_eq!(response.status(), 200);
    let disposition = response.headers()[header::CONTENT_DISPOSITION]
        .to_str()
        .expect("text")
        .to_owned();
    assert!(
        disposition.starts_with("attachment; filename=\"ikd-data-20")
            && disposition.ends_with(".json\""),
        "{disposition}"
    );
    assert!(
        response.headers()[header::CACHE_CONTROL]
            .to_str()
            .expect("text")
            .contains("no-store")
    );
    let export = body_json(response).await;
    assert_eq!(export["account"]["nik"], citizen.nik.as_str());
    assert_eq!(export["ktp"]["nik"], citizen.nik.as_str());
    assert!(export["kk"].is_object());
    let registrations = export["registrations"].as_array().expect("registrations");
    assert_eq!(registrations.len(), 1);
    assert!(registrations[0]["selfieBytes"].as_i64().expect("bytes") > 0);
    assert!(registrations[0]["decidedAt"].as_i64().is_some());
    let consents = export["consents"].as_array().expect("consents");
    assert!(
        consents
            .iter()
            .any(|c| c["status"] == "live" && c.to_string().contains(&grant)),
        "{export}"
    );
    let activity = &export["activity"];
    assert!(has_activity(activity, "institution-read"), "{activity}");
    assert!(has_activity(activity, "consent-granted"), "{activity}");
    assert!(has_activity(activity, "activated"), "{activity}");
    assert!(export["credentials"].is_array());
}

#[tokio::test]
async fn a_closed_account_refuses_login_with_its_own_code_and_the_nik_registers_again() {
    let s = scene(1).await;
    let (citizen, cookie) = &s.citizens[0];
    fetch_bundle(&s.app, cookie).await;
    let issued = credential_ids(&s.app, &citizen.nik).await;
    let (key, grant) = live_grant(&s.app, cookie, &citizen.nik).await;
    let audit_before = count(
        &s.app,
        "SELECT COUNT(*) FROM audit_trail WHERE subject <> $1",
        "",
    )
    .await;

    let close = |password: &str, cookie: Option<&str>| {
        json_request(
            "POST",
            "/api/account/close",
            &json!({"password": password}),
            cookie,
        )
    };
    assert_refused(
        &answer(s.app.request(close(CITIZEN_PASSWORD, None)).await).await,
        401,
        "login-required",
    );
    let wrong = answer(
        s.app
            .request(close("bukan-kata-sandinya-1", Some(cookie)))
            .await,
    )
    .await;
    assert_refused(&wrong, 422, "password-wrong");
    assert_eq!(get(&s.app, "/api/account", Some(cookie)).await.0, 200);

    let response = s.app.request(close(CITIZEN_PASSWORD, Some(cookie))).await;
    assert_eq!(response.status(), 200);
    assert!(
        response.headers()[header::SET_COOKIE]
            .to_str()
            .expect("cookie")
            .contains("Max-Age=0")
    );
    let notice = body_json(response).await;
    assert!(notice["message"].is_string() && notice["messageEn"].is_string());
    assert_refused(
        &get(&s.app, "/api/account", Some(cookie)).await,
        401,
        "login-required",
    );

    // Credentials revoked and on the list; personal data gone; the audit trail kept.
    let list = revocations(&s.app).await;
    let mut listed: Vec<String> = list
        .entries
        .iter()
        .map(|e| e.credential_id.clone())
        .collect();
    listed.sort();
    assert_eq!(listed, issued);
    assert!(list.entries.iter().all(|e| e.reason == "account-closed"));
    let (email, phone, hash): (String, String, Option<String>) =
        sqlx::query_as("SELECT email, phone, password_hash FROM accounts WHERE nik = $1")
            .bind(&citizen.nik)
            .fetch_one(s.app.db.pool())
            .await
            .expect("account row");
    assert_eq!((email.as_str(), phone.as_str(), hash), ("", "", None));
    assert_eq!(
        count(
            &s.app,
            "SELECT COUNT(*) FROM registrations WHERE nik = $1 AND LENGTH(selfie) > 0",
            &citizen.nik
        )
        .await,
        0
    );
    assert_eq!(
        count(
            &s.app,
            "SELECT COUNT(*) FROM registrations WHERE nik = $1",
            &citizen.nik
        )
        .await,
        1,
        "the registration stays as a tombstone"
    );
    assert_eq!(
        count(
            &s.app,
            "SELECT COUNT(*) FROM activity_log WHERE nik = $1",
            &citizen.nik
        )
        .await,
        0
    );
    // The live grant is revoked: the institution's next read is refused.
    assert_refused(
        &institution_read(&s.app, &key, &grant).await,
        403,
        "consent-revoked",
    );
    assert!(audit_before > 0, "the approval is in the audit trail");
    assert_eq!(
        count(
            &s.app,
            "SELECT COUNT(*) FROM audit_trail WHERE subject <> $1",
            ""
        )
        .await,
        audit_before,
        "the officers' audit trail is kept whole"
    );
    assert!(
        emails_to(&s.app, &citizen.email)
            .iter()
            .any(|m| m.contains("Akun IKD ditutup"))
    );

    // The owner's password is told what happened; anyone else gets the usual refusal.
    let device = format!("{DEVICE}-0");
    let closed = answer(login(&s.app, &citizen.nik, CITIZEN_PASSWORD, &device, false).await).await;
    assert_refused(&closed, 403, "account-closed");
    assert!(
        closed.1["message"]
            .as_str()
            .expect("message")
            .contains("loket Dukcapil")
    );
    let stranger = answer(
        login(
            &s.app,
            &citizen.nik,
            "bukan-kata-sandinya-1",
            &device,
            false,
        )
        .await,
    )
    .await;
    assert_refused(&stranger, 401, "login-failed");
    let unknown = answer(
        login(
            &s.app,
            "3276000000000000",
            "bukan-kata-sandinya-1",
            &device,
            false,
        )
        .await,
    )
    .await;
    assert_eq!(stranger, unknown);
    // The lost-phone report still answers as for anyone.
    let report = send(
        &s.app,
        "POST",
        "/api/lost-phone",
        json!({"nik": citizen.nik, "password": CITIZEN_PASSWORD}),
        None,
    )
    .await;
    assert_eq!(report.0, 202);

    // Registering anew at a desk works, and so does the new account.
    let cookie = active_citizen(&s.app, &s.officer, s.desk, citizen, NEW_DEVICE).await;
    let (status, overview) = get(&s.app, "/api/account", Some(&cookie)).await;
    assert_eq!(status, 200, "{overview}");
    assert_eq!(overview["email"], citizen.email.as_str());
    let response = login(&s.app, &citizen.nik, CITIZEN_PASSWORD, NEW_DEVICE, false).await;
    assert_eq!(response.status(), 200);
}
