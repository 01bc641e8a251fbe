//! Consent (issue 17): an institution asks, the citizen approves, declines or revokes, and the
//! institution reads exactly the granted scope while the grant is live; every read is in the
//! citizen's history. Institutions switched off or with a rotated key are refused at once.

use axum::body::Body;
use axum::http::{Request, header};
use ikd_core::consent_api::MAX_WAITING_PER_NIK;
use ikd_server::journey::institutions;
use ikd_server::platform::clock::unix_now;
use ikd_server::platform::rate_limit::Limit;
use serde_json::{Value, json};

use crate::fixtures::*;
use crate::support::{TestApp, body_json};

const PURPOSE: &str = "Pembukaan rekening tabungan";

fn with_bearer(mut request: Request<Body>, key: &str) -> Request<Body> {
    request.headers_mut().insert(
        header::AUTHORIZATION,
        format!("Bearer {key}").parse().expect("header"),
    );
    request
}

async fn answer_of(app: &TestApp, request: Request<Body>) -> (u16, Value) {
    let response = app.request(request).await;
    let status = response.status().as_u16();
    (status, body_json(response).await)
}

/// The institution asks for `scope` of `nik` for 30 days.
async fn ask(app: &TestApp, key: &str, nik: &str, scope: &str) -> (u16, Value) {
    let body = json!({"nik": nik, "scope": scope, "purpose": PURPOSE, "periodDays": 30});
    answer_of(
        app,
        with_bearer(
            json_request("POST", "/api/institution/consent-requests", &body, None),
            key,
        ),
    )
    .await
}

async fn asked_id(app: &TestApp, key: &str, nik: &str, scope: &str) -> String {
    let (status, answer) = ask(app, key, nik, scope).await;
    assert_eq!(status, 202, "{answer}");
    answer["requestId"].as_str().expect("id").to_owned()
}

async fn read(app: &TestApp, key: &str, id: &str, scope: Option<&str>) -> (u16, Value) {
    let path = match scope {
        Some(scope) => format!("/api/institution/grants/{id}/data?scope={scope}"),
        None => format!("/api/institution/grants/{id}/data"),
    };
    answer_of(app, with_bearer(get_request(&path, None), key)).await
}

async fn citizen_answer(app: &TestApp, cookie: &str, id: &str, approve: bool) -> (u16, Value) {
    answer_of(
        app,
        json_request(
            "POST",
            &format!("/api/consents/{id}/answer"),
            &json!({"approve": approve}),
            Some(cookie),
        ),
    )
    .await
}

async fn citizen_revoke(app: &TestApp, cookie: &str, id: &str) -> (u16, Value) {
    answer_of(
        app,
        json_request(
            "POST",
            &format!("/api/consents/{id}/revoke"),
            &json!({}),
            Some(cookie),
        ),
    )
    .await
}

async fn citizen_get(app: &TestApp, cookie: &str, path: &str) -> (u16, Value) {
    answer_of(app, get_request(path, Some(cookie))).await
}

fn assert_refused(status: u16, answer: &Value, expected_status: u16, code: &str) {
    assert_eq!(status, expected_status, "{answer}");
    assert_eq!(answer["code"], code, "{answer}");
    let id = answer["message"].as_str().expect("message");
    let en = answer["messageEn"].as_str().expect("messageEn");
    assert!(!id.is_empty() && !en.is_empty() && id != en, "{answer}");
}

/// A seeded registry, a desk, `citizens` activated citizens (cookies) and an institution.
struct Scene {
    app: TestApp,
    citizens: Vec<(Citizen, String)>,
    key: String,
}

async fn scene_with(app: TestApp, citizens: usize) -> Scene {
    seed_registry(&app).await;
    let (officer, desk) = open_desk(&app).await;
    let mut active = Vec::new();
    for (i, citizen) in eligible_citizens(&app, citizens as i64)
        .await
        .into_iter()
        .enumerate()
    {
        let device = format!("device-{i:0>12}");
        let cookie = active_citizen(&app, &officer, desk, &citizen, &device).await;
        active.push((citizen, cookie));
    }
    let (key, _) = institutions::add(&app.db, "Bank Contoh")
        .await
        .expect("institution");
    Scene {
        app,
        citizens: active,
        key,
    }
}

async fn scene(citizens: usize) -> Scene {
    scene_with(TestApp::new().await, citizens).await
}

/// Asks, and the citizen approves: the grant's id.
async fn live_grant(s: &Scene, citizen: usize, scope: &str) -> String {
    let (who, cookie) = &s.citizens[citizen];
    let id = asked_id(&s.app, &s.key, &who.nik, scope).await;
    let (status, item) = citizen_answer(&s.app, cookie, &id, true).await;
    assert_eq!(status, 200, "{item}");
    assert_eq!(item["status"], "live");
    id
}

#[tokio::test]
async fn a_grant_is_asked_approved_read_seen_in_history_and_revoked() {
    let s = scene(1).await;
    let (citizen, cookie) = &s.citizens[0];
    let (status, asked) = ask(&s.app, &s.key, &citizen.nik, "basic").await;
    assert_eq!(status, 202, "{asked}");
    let id = asked["requestId"].as_str().expect("id").to_owned();
    let code = asked["shortCode"].as_str().expect("code").to_owned();
    assert_eq!(code.len(), 8);
    assert!(
        asked["link"]
            .as_str()
            .expect("link")
            .starts_with("https://ikd.test/")
    );

    // Before the answer the institution reads nothing.
    let (status, refused) = read(&s.app, &s.key, &id, None).await;
    assert_refused(status, &refused, 403, "consent-waiting");

    // The citizen sees who asks, for what and how long; also by the counter's short code.
    let (status, overview) = citizen_get(&s.app, cookie, "/api/consents").await;
    assert_eq!(status, 200, "{overview}");
    let waiting = overview["waiting"].as_array().expect("waiting");
    assert_eq!(waiting.len(), 1, "{overview}");
    assert_eq!(waiting[0]["institutionName"], "Bank Contoh");
    assert_eq!(waiting[0]["scope"], "basic");
    assert_eq!(waiting[0]["purpose"], PURPOSE);
    assert_eq!(waiting[0]["periodDays"], 30);
    assert_eq!(waiting[0]["status"], "waiting");
    assert_eq!(overview["grants"].as_array().expect("grants").len(), 0);
    let (status, by_code) = citizen_get(
        &s.app,
        cookie,
        &format!("/api/consents/{}", code.to_lowercase()),
    )
    .await;
    assert_eq!(status, 200, "{by_code}");
    assert_eq!(by_code["id"], id.as_str());

    let (status, item) = citizen_answer(&s.app, cookie, &id, true).await;
    assert_eq!(status, 200, "{item}");
    assert_eq!(item["status"], "live");
    let expires = item["expiresAt"].as_i64().expect("expires");
    assert!((expires - unix_now() - 30 * 86_400).abs() < 60, "{item}");
    // Answered once.
    let (status, again) = citizen_answer(&s.app, cookie, &id, false).await;
    assert_refused(status, &again, 409, "consent-not-waiting");

    // The institution sees the grant, then reads exactly the basic identity.
    let (status, view) = answer_of(
        &s.app,
        with_bearer(
            get_request(&format!("/api/institution/consent-requests/{id}"), None),
            &s.key,
        ),
    )
    .await;
    assert_eq!(status, 200, "{view}");
    assert_eq!(view["status"], "live");
    let (status, data) = read(&s.app, &s.key, &id, Some("basic")).await;
    assert_eq!(status, 200, "{data}");
    let mut keys: Vec<&str> = data
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(keys, ["basic", "expiresAt", "grantId", "readAt", "scope"]);
    let mut basic: Vec<&str> = data["basic"]
        .as_object()
        .expect("basic")
        .keys()
        .map(String::as_str)
        .collect();
    basic.sort_unstable();
    assert_eq!(basic, ["birthDate", "fullName", "nik", "sex"]);
    assert_eq!(data["basic"]["nik"], citizen.nik.as_str());

    // The citizen's history names the institution, the scope and the grant.
    let (status, history) = citizen_get(&s.app, cookie, "/api/activity").await;
    assert_eq!(status, 200);
    let newest = &history.as_array().expect("history")[0];
    assert_eq!(newest["kind"], "institution-read", "{history}");
    assert_eq!(newest["actor"], "Bank Contoh");
    assert_eq!(newest["detail"], format!("basic:{id}"));
    let (_, overview) = citizen_get(&s.app, cookie, "/api/consents").await;
    let grant = &overview["grants"][0];
    assert_eq!(grant["reads"], 1, "{overview}");
    assert!(grant["lastReadAt"].is_i64());
    assert_eq!(
        grant["fields"],
        json!(["nik", "fullName", "birthDate", "sex"])
    );

    // One call revokes; the next read is refused, and so is a second revocation.
    let (status, revoked) = citizen_revoke(&s.app, cookie, &id).await;
    assert_eq!(status, 200, "{revoked}");
    assert_eq!(revoked["status"], "revoked");
    let (status, refused) = read(&s.app, &s.key, &id, None).await;
    assert_refused(status, &refused, 403, "consent-revoked");
    let (status, again) = citizen_revoke(&s.app, cookie, &id).await;
    assert_refused(status, &again, 409, "consent-not-live");
    let (_, history) = citizen_get(&s.app, cookie, "/api/activity").await;
    let kinds: Vec<&str> = history
        .as_array()
        .expect("history")
        .iter()
        .filter_map(|e| e["kind"].as_str())
        .collect();
    assert_eq!(
        &kinds[..3],
        ["consent-revoked", "institution-read", "consent-granted"],
        "{history}"
    );
    // The refused read was not logged.
    let reads = kinds.iter().filter(|k| **k == "institution-read").count();
    assert_eq!(reads, 1);
}

#[tokio::test]
async fn each_scope_reads_only_its_fields_and_another_scope_is_refused() {
    let s = scene(1).await;
    let age = live_grant(&s, 0, "age-17").await;
    let (status, refused) = read(&s.app, &s.key, &age, Some("full")).await;
    assert_refused(status, &refused, 403, "consent-out-of-scope");
    let (status, refused) = read(&s.app, &s.key, &age, Some("everything")).await;
    assert_refused(status, &refused, 422, "consent-scope");
    let (status, data) = read(&s.app, &s.key, &age, None).await;
    assert_eq!(status, 200, "{data}");
    assert_eq!(data["ageOver17"], true);
    for absent in ["ktp", "basic", "familyCard"] {
        assert!(data.get(absent).is_none(), "{data}");
    }
    assert!(!data.to_string().contains(&s.citizens[0].0.nik), "{data}");

    let full = live_grant(&s, 0, "full").await;
    let (status, data) = read(&s.app, &s.key, &full, Some("full")).await;
    assert_eq!(status, 200, "{data}");
    assert_eq!(data["ktp"]["nik"], s.citizens[0].0.nik.as_str());
    assert!(data["ktp"]["religion"].is_string());
    assert!(data.get("familyCard").is_none() && data.get("basic").is_none());

    let kk = live_grant(&s, 0, "kk").await;
    let (status, data) = read(&s.app, &s.key, &kk, Some("kk")).await;
    assert_eq!(status, 200, "{data}");
    let members = data["familyCard"]["members"].as_array().expect("members");
    assert!(
        members
            .iter()
            .any(|m| m["nik"] == s.citizens[0].0.nik.as_str())
    );
    assert!(data.get("ktp").is_none());
    // Only the successful reads are in the history: three.
    let (_, history) = citizen_get(&s.app, &s.citizens[0].1, "/api/activity").await;
    let reads = history
        .as_array()
        .expect("history")
        .iter()
        .filter(|e| e["kind"] == "institution-read")
        .count();
    assert_eq!(reads, 3, "{history}");
}

#[tokio::test]
async fn a_disabled_institution_is_refused_at_once_and_a_rotated_key_stops() {
    let s = scene(1).await;
    let id = live_grant(&s, 0, "basic").await;
    let (status, _) = read(&s.app, &s.key, &id, None).await;
    assert_eq!(status, 200);

    // A new key: the old one stops at once, the new one reads the same grant.
    let (new_key, _) = institutions::rotate_key(&s.app.db, "Bank Contoh")
        .await
        .expect("rotate");
    let (status, refused) = read(&s.app, &s.key, &id, None).await;
    assert_refused(status, &refused, 401, "institution-key");
    let (status, _) = read(&s.app, &new_key, &id, None).await;
    assert_eq!(status, 200);

    institutions::disable(&s.app.db, "Bank Contoh")
        .await
        .expect("disable");
    let (status, refused) = read(&s.app, &new_key, &id, None).await;
    assert_refused(status, &refused, 403, "institution-disabled");
    let (status, refused) = ask(&s.app, &new_key, &s.citizens[0].0.nik, "basic").await;
    assert_refused(status, &refused, 403, "institution-disabled");
    let (status, refused) = answer_of(
        &s.app,
        with_bearer(
            json_request("POST", "/api/verifications", &json!({"qr": "NCF"}), None),
            &new_key,
        ),
    )
    .await;
    assert_refused(status, &refused, 403, "institution-disabled");
    let (status, overview) = citizen_get(&s.app, &s.citizens[0].1, "/api/consents").await;
    assert_eq!(status, 200);
    assert_eq!(overview["grants"][0]["institutionActive"], false);
    assert!(
        institutions::rotate_key(&s.app.db, "Bank Contoh")
            .await
            .is_err(),
        "a switched-off institution gets no new key"
    );
    assert!(
        institutions::disable(&s.app.db, "Bank Contoh")
            .await
            .is_err()
    );
    // Both operator actions are in the audit trail.
    let actions: Vec<(String, String)> = sqlx::query_as(
        "SELECT action, actor FROM audit_trail WHERE action LIKE 'institution-%' ORDER BY id",
    )
    .fetch_all(s.app.db.pool())
    .await
    .expect("audit");
    assert_eq!(
        actions,
        [
            ("institution-key-rotated".to_owned(), "operator".to_owned()),
            ("institution-disabled".to_owned(), "operator".to_owned()),
        ]
    );
    // A missing or foreign bearer is refused the same way as a rotated one.
    let (status, refused) = answer_of(
        &s.app,
        get_request(&format!("/api/institution/grants/{id}/data"), None),
    )
    .await;
    assert_refused(status, &refused, 401, "institution-key");
}

#[tokio::test]
async fn an_expired_grant_and_a_lapsed_request_are_refused() {
    let s = scene(1).await;
    let cookie = &s.citizens[0].1;
    let id = live_grant(&s, 0, "basic").await;
    // The grant's period ends (the clock moved on).
    sqlx::query("UPDATE consents SET expires_at = $1 WHERE id = $2")
        .bind(unix_now() - 1)
        .bind(&id)
        .execute(s.app.db.pool())
        .await
        .expect("expire");
    let (status, refused) = read(&s.app, &s.key, &id, None).await;
    assert_refused(status, &refused, 403, "consent-expired");
    let (status, item) = citizen_get(&s.app, cookie, &format!("/api/consents/{id}")).await;
    assert_eq!(status, 200);
    assert_eq!(item["status"], "expired");
    let (status, refused) = citizen_revoke(&s.app, cookie, &id).await;
    assert_refused(status, &refused, 409, "consent-not-live");

    // A request nobody answered in time lapses: no late approval, no read.
    let late = asked_id(&s.app, &s.key, &s.citizens[0].0.nik, "kk").await;
    sqlx::query("UPDATE consents SET answer_by = $1 WHERE id = $2")
        .bind(unix_now() - 1)
        .bind(&late)
        .execute(s.app.db.pool())
        .await
        .expect("lapse");
    let (status, refused) = citizen_answer(&s.app, cookie, &late, true).await;
    assert_refused(status, &refused, 409, "consent-not-waiting");
    let (status, refused) = read(&s.app, &s.key, &late, None).await;
    assert_refused(status, &refused, 403, "consent-lapsed");

    // A declined request reads nothing either.
    let declined = asked_id(&s.app, &s.key, &s.citizens[0].0.nik, "full").await;
    let (status, item) = citizen_answer(&s.app, cookie, &declined, false).await;
    assert_eq!(status, 200);
    assert_eq!(item["status"], "declined");
    let (status, refused) = read(&s.app, &s.key, &declined, None).await;
    assert_refused(status, &refused, 403, "consent-declined");
}

#[tokio::test]
async fn another_citizens_request_or_grant_is_not_found() {
    let s = scene(2).await;
    let (a, cookie_a) = &s.citizens[0];
    let cookie_b = &s.citizens[1].1;
    let waiting = asked_id(&s.app, &s.key, &a.nik, "basic").await;
    let (status, refused) = citizen_answer(&s.app, cookie_b, &waiting, true).await;
    assert_refused(status, &refused, 404, "consent-not-found");
    let live = live_grant(&s, 0, "full").await;
    let (status, refused) = citizen_revoke(&s.app, cookie_b, &live).await;
    assert_refused(status, &refused, 404, "consent-not-found");
    let (status, refused) = citizen_get(&s.app, cookie_b, &format!("/api/consents/{live}")).await;
    assert_refused(status, &refused, 404, "consent-not-found");
    let (status, overview) = citizen_get(&s.app, cookie_b, "/api/consents").await;
    assert_eq!(status, 200);
    assert_eq!(overview, json!({"waiting": [], "grants": []}));
    // A's grant is untouched and A's request still waits.
    let (_, overview) = citizen_get(&s.app, cookie_a, "/api/consents").await;
    assert_eq!(overview["waiting"][0]["id"], waiting.as_str());
    assert_eq!(overview["grants"][0]["status"], "live");
    // Without a session: login first.
    let (status, refused) = answer_of(&s.app, get_request("/api/consents", None)).await;
    assert_refused(status, &refused, 401, "login-required");
}

#[tokio::test]
async fn another_institutions_grant_is_not_found() {
    let s = scene(1).await;
    let id = live_grant(&s, 0, "basic").await;
    let (other, _) = institutions::add(&s.app.db, "Telko Lain")
        .await
        .expect("institution");
    let (status, refused) = read(&s.app, &other, &id, None).await;
    assert_refused(status, &refused, 404, "consent-not-found");
    let (status, refused) = answer_of(
        &s.app,
        with_bearer(
            get_request(&format!("/api/institution/consent-requests/{id}"), None),
            &other,
        ),
    )
    .await;
    assert_refused(status, &refused, 404, "consent-not-found");
    let (status, missing) = read(&s.app, &other, "00000000000000000000000000000000", None).await;
    assert_eq!((status, &missing["code"]), (404, &refused["code"]));
    // Nothing was logged for the refused reads.
    let (_, history) = citizen_get(&s.app, &s.citizens[0].1, "/api/activity").await;
    assert!(
        !history
            .as_array()
            .expect("history")
            .iter()
            .any(|e| e["kind"] == "institution-read")
    );
}

/// The keys of an answer and the values that must not differ between NIKs.
fn shape(answer: &Value) -> (Vec<String>, Value, Value, usize) {
    let mut keys: Vec<String> = answer
        .as_object()
        .expect("object")
        .keys()
        .cloned()
        .collect();
    keys.sort();
    (
        keys,
        answer["message"].clone(),
        answer["messageEn"].clone(),
        answer["shortCode"].as_str().map_or(0, str::len),
    )
}

#[tokio::test]
async fn an_unknown_nik_gets_the_same_answer_and_bounds_as_a_known_one() {
    let s = scene(1).await;
    let active = s.citizens[0].0.nik.clone();
    // In the registry, never registered.
    let registry_only: String = sqlx::query_scalar(
        "SELECT nik FROM registry_persons WHERE nik <> $1 AND nik NOT IN \
         (SELECT nik FROM registrations) ORDER BY nik LIMIT 1",
    )
    .bind(&active)
    .fetch_one(s.app.db.pool())
    .await
    .expect("a registry person");
    // Well-formed, in nobody's registry.
    let unknown = "3276010101990001".to_owned();
    let mut shapes = Vec::new();
    for nik in [&active, &registry_only, &unknown] {
        for _ in 0..MAX_WAITING_PER_NIK {
            let (status, answer) = ask(&s.app, &s.key, nik, "basic").await;
            assert_eq!(status, 202, "{nik}: {answer}");
            shapes.push(shape(&answer));
        }
        // The waiting bound holds for every NIK alike.
        let (status, refused) = ask(&s.app, &s.key, nik, "basic").await;
        assert_refused(status, &refused, 429, "consent-waiting-limit");
    }
    assert!(shapes.windows(2).all(|w| w[0] == w[1]), "{shapes:#?}");
    // A malformed NIK is the only thing refused up front.
    let (status, refused) = ask(&s.app, &s.key, "12345", "basic").await;
    assert_refused(status, &refused, 422, "nik-format");
}

#[tokio::test]
async fn an_institution_asks_and_reads_at_most_so_many_times_an_hour_and_within_bounds() {
    let app = TestApp::with_config(|config| {
        config.limits.consent_requests_institution = Limit {
            max: 3,
            window_secs: 3600,
        };
        config.limits.consent_reads_grant = Limit {
            max: 2,
            window_secs: 3600,
        };
    })
    .await;
    let s = scene_with(app, 1).await;
    // Reads under one grant are bounded too; a refused read is not in the history.
    let id = live_grant(&s, 0, "age-17").await;
    for _ in 0..2 {
        assert_eq!(read(&s.app, &s.key, &id, None).await.0, 200);
    }
    let (status, refused) = read(&s.app, &s.key, &id, None).await;
    assert_refused(status, &refused, 429, "rate-limited");
    let (_, history) = citizen_get(&s.app, &s.citizens[0].1, "/api/activity").await;
    let reads = history
        .as_array()
        .expect("history")
        .iter()
        .filter(|e| e["kind"] == "institution-read")
        .count();
    assert_eq!(reads, 2);

    let niks = ["3276010101990001", "3276010101990002", "3276010101990003"];
    for nik in &niks[..2] {
        let (status, answer) = ask(&s.app, &s.key, nik, "age-17").await;
        assert_eq!(status, 202, "{answer}");
    }
    let response = s
        .app
        .request(with_bearer(
            json_request(
                "POST",
                "/api/institution/consent-requests",
                &json!({"nik": niks[2], "scope": "basic", "purpose": PURPOSE, "periodDays": 1}),
                None,
            ),
            &s.key,
        ))
        .await;
    assert_eq!(response.status(), 429);
    assert!(response.headers().contains_key(header::RETRY_AFTER));
    assert_eq!(body_json(response).await["code"], "rate-limited");

    // Bounds on what is asked (checked before the hourly count).
    let body = |purpose: &str, days: i64| json!({"nik": niks[0], "scope": "basic", "purpose": purpose, "periodDays": days});
    for (request, code) in [
        (body("ok", 30), "consent-purpose"),
        (body(&"x".repeat(201), 30), "consent-purpose"),
        (body(PURPOSE, 0), "consent-period"),
        (body(PURPOSE, 366), "consent-period"),
    ] {
        let (status, refused) = answer_of(
            &s.app,
            with_bearer(
                json_request("POST", "/api/institution/consent-requests", &request, None),
                &s.key,
            ),
        )
        .await;
        assert_refused(status, &refused, 422, code);
    }
    let (status, refused) = ask(&s.app, &s.key, niks[0], "everything").await;
    assert_eq!(status, 422, "{refused}");
    assert_eq!(refused["code"], "json-fields");
}

#[tokio::test]
async fn an_officer_opening_the_selfie_or_registry_photo_is_in_the_citizens_history() {
    let app = TestApp::new().await;
    seed_registry(&app).await;
    let (officer, desk) = open_desk(&app).await;
    let citizen = eligible_citizens(&app, 1).await.remove(0);
    let id = registered(&app, &officer, desk, &citizen).await;
    for _ in 0..2 {
        let response = app
            .request(get_request(
                &format!("/api/officer/registrations/{id}/selfie"),
                Some(&officer),
            ))
            .await;
        assert_eq!(response.status(), 200);
    }
    let response = app
        .request(get_request(
            &format!("/api/officer/registrations/{id}/registry-photo"),
            Some(&officer),
        ))
        .await;
    assert_eq!(response.status(), 200);
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT kind, actor, detail FROM activity_log WHERE nik = $1 AND kind <> $2 ORDER BY id",
    )
    .bind(&citizen.nik)
    .bind("registered")
    .fetch_all(app.db.pool())
    .await
    .expect("log");
    let officer_id: i64 = sqlx::query_scalar("SELECT id FROM officers WHERE username = 'rina'")
        .fetch_one(app.db.pool())
        .await
        .expect("officer");
    let actor = format!("petugas:{officer_id}");
    // The console loads the selfie again as it redraws: one line for the two opens.
    assert_eq!(
        rows,
        [
            ("selfie-viewed".to_owned(), actor.clone(), id.clone()),
            ("registry-photo-viewed".to_owned(), actor, id),
        ]
    );
}
