//! The audit trail (issue 15): every officer action leaves exactly one row naming who, from
//! where, what and on what; supervisors read their region's rows (JSON or CSV), plain
//! officers are refused, and the database itself refuses to change or remove a row.

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, header};
use ikd_core::DatabaseKind;
use ikd_core::audit::AuditAction;
use ikd_core::officer::OfficerRole;
use ikd_server::officer::audit;
use ikd_server::platform::clock::today_utc;
use serde_json::{Value, json};

use crate::fixtures::{
    add_officer, decide, eligible_citizens, get_request, json_request, officer_login, open_desk_as,
    registered, seed_registry,
};
use crate::support::{TestApp, body_bytes, body_json, requested_backend};

/// The request as if it came from `10.20.30.<last>`.
fn from(last: u8, mut request: Request<Body>) -> Request<Body> {
    request
        .extensions_mut()
        .insert(ConnectInfo(SocketAddr::from(([10, 20, 30, last], 50000))));
    request
}

fn post(path: &str, body: Value, cookie: &str, last: u8) -> Request<Body> {
    from(last, json_request("POST", path, &body, Some(cookie)))
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
struct Row {
    officer_id: Option<i64>,
    actor: String,
    region_code: String,
    client_ip: String,
    action: String,
    subject: String,
    detail: String,
}

async fn rows(app: &TestApp) -> Vec<Row> {
    sqlx::query_as(
        "SELECT officer_id, actor, region_code, client_ip, action, subject, detail \
         FROM audit_trail ORDER BY id",
    )
    .fetch_all(app.db.pool())
    .await
    .expect("audit rows")
}

/// The one row of `action`: there must be exactly one.
fn only(rows: &[Row], action: AuditAction) -> Row {
    let found: Vec<&Row> = rows
        .iter()
        .filter(|r| r.action == action.as_str())
        .collect();
    assert_eq!(found.len(), 1, "{action:?} rows: {found:?}");
    found[0].clone()
}

fn assert_row(row: &Row, officer: i64, actor: &str, ip: &str, subject: &str) {
    assert_eq!(row.officer_id, Some(officer), "{row:?}");
    assert_eq!(row.actor, actor, "{row:?}");
    assert_eq!(row.client_ip, ip, "{row:?}");
    assert_eq!(row.subject, subject, "{row:?}");
}

#[tokio::test]
async fn every_officer_action_leaves_exactly_one_row_with_actor_address_and_subject() {
    let app = TestApp::new().await;
    seed_registry(&app).await;
    let rina_id = add_officer(&app, "rina", OfficerRole::Officer, "32.76").await;
    let sari_id = add_officer(&app, "sari", OfficerRole::Supervisor, "32.76").await;
    let rina = officer_login(&app, "rina").await;
    let sari = officer_login(&app, "sari").await;
    // Logging in is no audited action.
    assert!(rows(&app).await.is_empty());

    // Desk opened from .1.
    let response = app
        .request(post(
            "/api/desks",
            json!({"kind": "desk", "label": "Loket 1"}),
            &rina,
            1,
        ))
        .await;
    assert_eq!(response.status(), 201);
    let desk = body_json(response).await["id"].as_i64().expect("desk");
    let row = only(&rows(&app).await, AuditAction::DeskOpened);
    assert_row(&row, rina_id, "rina", "10.20.30.1", &desk.to_string());
    assert_eq!(row.region_code, "32.76");

    // Decisions from .2 (approve) and .3 (reject, with the reason as detail).
    let citizens = eligible_citizens(&app, 4).await;
    let approved = registered(&app, &rina, desk, &citizens[0]).await;
    let rejected = registered(&app, &rina, desk, &citizens[1]).await;
    let response = app
        .request(post(
            &format!("/api/officer/registrations/{approved}/decision"),
            json!({"approve": true}),
            &rina,
            2,
        ))
        .await;
    assert_eq!(response.status(), 200);
    let response = app
        .request(post(
            &format!("/api/officer/registrations/{rejected}/decision"),
            json!({"approve": false, "reason": "Wajah tidak cocok"}),
            &rina,
            3,
        ))
        .await;
    assert_eq!(response.status(), 200);
    let all = rows(&app).await;
    assert_row(
        &only(&all, AuditAction::DecisionApproved),
        rina_id,
        "rina",
        "10.20.30.2",
        &approved,
    );
    let row = only(&all, AuditAction::DecisionRejected);
    assert_row(&row, rina_id, "rina", "10.20.30.3", &rejected);
    assert_eq!(row.detail, "Wajah tidak cocok");

    // A refused decision (already decided) leaves no row.
    let response = decide(&app, &rina, &approved, json!({"approve": true})).await;
    assert_eq!(response.status(), 409);
    assert_eq!(rows(&app).await.len(), 3);

    // A new code from .4.
    let response = app
        .request(post(
            &format!("/api/officer/registrations/{approved}/resend-code"),
            json!({}),
            &rina,
            4,
        ))
        .await;
    assert_eq!(response.status(), 200);
    assert_row(
        &only(&rows(&app).await, AuditAction::CodeResent),
        rina_id,
        "rina",
        "10.20.30.4",
        &approved,
    );

    // A batch decision from .5: one row per registration, marked as a batch.
    let batch: Vec<String> = vec![
        registered(&app, &rina, desk, &citizens[2]).await,
        registered(&app, &rina, desk, &citizens[3]).await,
    ];
    let response = app
        .request(post(
            "/api/officer/decisions",
            json!({"registrationIds": batch, "approve": true}),
            &rina,
            5,
        ))
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(body_json(response).await["decided"], 2);
    let all = rows(&app).await;
    let batch_rows: Vec<&Row> = all
        .iter()
        .filter(|r| {
            r.action == AuditAction::DecisionApproved.as_str() && r.client_ip.ends_with(".5")
        })
        .collect();
    assert_eq!(batch_rows.len(), 2);
    for (row, id) in batch_rows.iter().zip(&batch) {
        assert_row(row, rina_id, "rina", "10.20.30.5", id);
        assert_eq!(row.detail, "keputusan bersama");
    }

    // Locks lifted from .6: the subject is the NIK.
    let response = app
        .request(post(
            "/api/officer/unlock",
            json!({"nik": citizens[1].nik}),
            &rina,
            6,
        ))
        .await;
    assert_eq!(response.status(), 204);
    assert_row(
        &only(&rows(&app).await, AuditAction::LocksLifted),
        rina_id,
        "rina",
        "10.20.30.6",
        &citizens[1].nik,
    );

    // Desk closed from .7; closing it again changes nothing and adds no row.
    for _ in 0..2 {
        let response = app
            .request(post(
                &format!("/api/desks/{desk}/close"),
                json!({}),
                &rina,
                7,
            ))
            .await;
        assert_eq!(response.status(), 200);
    }
    assert_row(
        &only(&rows(&app).await, AuditAction::DeskClosed),
        rina_id,
        "rina",
        "10.20.30.7",
        &desk.to_string(),
    );

    // A drive created from .8, its roster imported from .9.
    let response = app
        .request(post(
            "/api/drives",
            json!({
                "name": "Jemput bola Balai Kota",
                "agency": "PEMERINTAH KOTA DEPOK",
                "units": [],
                "place": "Aula",
                "startsOn": "2026-11-23",
                "endsOn": "2026-11-24",
                "officers": [],
            }),
            &rina,
            8,
        ))
        .await;
    assert_eq!(response.status(), 201);
    let drive = body_json(response).await["id"].as_i64().expect("drive");
    assert_row(
        &only(&rows(&app).await, AuditAction::DriveCreated),
        rina_id,
        "rina",
        "10.20.30.8",
        &drive.to_string(),
    );
    let request = Request::post(format!("/api/drives/{drive}/roster"))
        .header(header::CONTENT_TYPE, "text/csv")
        .header(header::COOKIE, &rina)
        .body(Body::from("NIP,NIK,Nama,Unit\n1,2,Tanpa NIK,Dinas A\n"))
        .expect("request");
    let response = app.request(from(9, request)).await;
    assert_eq!(response.status(), 200);
    let row = only(&rows(&app).await, AuditAction::RosterImported);
    assert_row(&row, rina_id, "rina", "10.20.30.9", &drive.to_string());
    assert_eq!(row.detail, "0 dari 1 baris diimpor, 1 ditolak");

    // The supervisor adds an officer from .10 and switches her off from .11.
    let response = app
        .request(post(
            "/api/officers",
            json!({"username": "dewi", "fullName": "Dewi Lestari", "role": "officer",
                   "regionCode": "32.76.01", "password": "loket-baru-2026"}),
            &sari,
            10,
        ))
        .await;
    assert_eq!(response.status(), 201);
    let dewi = body_json(response).await["id"].as_i64().expect("id");
    let row = only(&rows(&app).await, AuditAction::OfficerAdded);
    assert_row(&row, sari_id, "sari", "10.20.30.10", &dewi.to_string());
    assert_eq!(row.detail, "dewi (officer, 32.76.01)");
    let response = app
        .request(post(
            &format!("/api/officers/{dewi}/disable"),
            json!({}),
            &sari,
            11,
        ))
        .await;
    assert_eq!(response.status(), 204);
    assert_row(
        &only(&rows(&app).await, AuditAction::OfficerDisabled),
        sari_id,
        "sari",
        "10.20.30.11",
        &dewi.to_string(),
    );

    let response = app
        .request(post(
            &format!("/api/officers/{dewi}/enable"),
            json!({}),
            &sari,
            12,
        ))
        .await;
    assert_eq!(response.status(), 204);
    assert_row(
        &only(&rows(&app).await, AuditAction::OfficerEnabled),
        sari_id,
        "sari",
        "10.20.30.12",
        &dewi.to_string(),
    );

    // Nothing else was recorded: 13 actions, 13 rows.
    assert_eq!(rows(&app).await.len(), 13);
}

/// Opens a desk as `username` (an officer in `region`) and returns their officer id.
async fn officer_with_desk(app: &TestApp, username: &str, region: &str) -> i64 {
    let id = add_officer(app, username, OfficerRole::Officer, region).await;
    let cookie = officer_login(app, username).await;
    open_desk_as(app, &cookie, "desk", &format!("Loket {username}")).await;
    id
}

async fn trail(app: &TestApp, query: &str, cookie: &str) -> (u16, Value) {
    let response = app
        .request(get_request(&format!("/api/audit{query}"), Some(cookie)))
        .await;
    let status = response.status().as_u16();
    (status, body_json(response).await)
}

fn actors(trail: &Value) -> Vec<String> {
    trail["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| e["actor"].as_str().expect("actor").to_owned())
        .collect()
}

#[tokio::test]
async fn a_supervisor_reads_their_regions_trail_by_officer_and_day_and_not_another_regions() {
    let app = TestApp::new().await;
    let rina = officer_with_desk(&app, "rina", "32.76").await;
    officer_with_desk(&app, "budi", "32.76.01").await;
    officer_with_desk(&app, "joko", "33.01").await;
    add_officer(&app, "sari", OfficerRole::Supervisor, "32.76").await;
    add_officer(&app, "ani", OfficerRole::Admin, "32").await;
    let sari = officer_login(&app, "sari").await;
    let ani = officer_login(&app, "ani").await;
    audit::record_operator(&app.db, AuditAction::IssuerKeyRotated, "kid-1", "uji")
        .await
        .expect("operator row");

    // Newest first; Depok and the district inside it, not Central Java, not the CLI's row.
    let (status, body) = trail(&app, "", &sari).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(actors(&body), vec!["budi", "rina"]);
    assert_eq!(body["truncated"], false);
    let entry = &body["entries"][1];
    assert_eq!(entry["action"], "desk-opened");
    assert_eq!(entry["officerId"], rina);
    assert_eq!(entry["regionCode"], "32.76");
    assert_eq!(entry["clientIp"], "10.0.0.1");

    // By officer, and by day (UTC).
    let (_, body) = trail(&app, &format!("?officer={rina}"), &sari).await;
    assert_eq!(actors(&body), vec!["rina"]);
    let today = today_utc();
    let (_, body) = trail(&app, &format!("?day={today}"), &sari).await;
    assert_eq!(actors(&body).len(), 2);
    let yesterday =
        ikd_core::Date::from_days_since_epoch(today.to_days_since_epoch() - 1).expect("yesterday");
    let (_, body) = trail(&app, &format!("?day={yesterday}&officer={rina}"), &sari).await;
    assert!(actors(&body).is_empty());
    let (status, body) = trail(&app, "?day=kemarin", &sari).await;
    assert_eq!((status, body["code"].as_str()), (422, Some("audit-day")));

    // An admin of the province also sees the service-wide row of the command line.
    let (_, body) = trail(&app, "", &ani).await;
    assert_eq!(actors(&body), vec!["operator", "budi", "rina"]);
    assert_eq!(body["entries"][0]["officerId"], Value::Null);
    assert_eq!(body["entries"][0]["clientIp"], "cli");
}

#[tokio::test]
async fn a_plain_officer_is_refused_the_audit_trail() {
    let app = TestApp::new().await;
    officer_with_desk(&app, "rina", "32.76").await;
    let rina = officer_login(&app, "rina").await;
    let (status, body) = trail(&app, "", &rina).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (403, Some("audit-not-allowed"))
    );
    assert!(body["messageEn"].as_str().is_some_and(|m| !m.is_empty()));
    let response = app.request(get_request("/api/audit", None)).await;
    assert_eq!(response.status(), 401);
}

#[tokio::test]
async fn the_audit_trail_exports_as_csv() {
    let app = TestApp::new().await;
    let rina = officer_with_desk(&app, "rina", "32.76").await;
    add_officer(&app, "sari", OfficerRole::Supervisor, "32.76").await;
    let sari = officer_login(&app, "sari").await;
    let today = today_utc();
    let response = app
        .request(get_request(
            &format!("/api/audit?officer={rina}&day={today}&format=csv"),
            Some(&sari),
        ))
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()[header::CONTENT_TYPE],
        "text/csv; charset=utf-8"
    );
    let disposition = response.headers()[header::CONTENT_DISPOSITION]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert!(
        disposition.contains(&format!("jejak-audit-{today}-petugas-{rina}.csv")),
        "{disposition}"
    );
    let text = String::from_utf8(body_bytes(response).await).expect("utf-8");
    let lines: Vec<&str> = text.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(
        lines[0],
        "id,waktu_utc,petugas_id,pelaku,wilayah,alamat_klien,tindakan,subjek,rincian"
    );
    assert_eq!(lines.len(), 2, "{text}");
    let cells: Vec<&str> = lines[1].split(',').collect();
    assert!(cells[1].starts_with(&today.to_string()), "{}", lines[1]);
    let rina = rina.to_string();
    assert_eq!(
        &cells[2..7],
        &[rina.as_str(), "rina", "32.76", "10.0.0.1", "desk-opened"]
    );
    assert_eq!(cells[8], "desk: Loket rina");
}

#[tokio::test]
async fn the_database_refuses_to_update_or_delete_an_audit_row() {
    let app = TestApp::new().await;
    officer_with_desk(&app, "rina", "32.76").await;
    let before = rows(&app).await;
    assert_eq!(before.len(), 1);

    let updated = sqlx::query("UPDATE audit_trail SET actor = $1, client_ip = $2")
        .bind("seseorang")
        .bind("0.0.0.0")
        .execute(app.db.pool())
        .await;
    assert!(updated.is_err(), "UPDATE must fail: {updated:?}");
    let deleted = sqlx::query("DELETE FROM audit_trail")
        .execute(app.db.pool())
        .await;
    assert!(deleted.is_err(), "DELETE must fail: {deleted:?}");
    let message = deleted.expect_err("refused").to_string();
    assert!(message.contains("append-only"), "{message}");
    if requested_backend() == DatabaseKind::Postgres {
        let truncated = sqlx::query("TRUNCATE audit_trail")
            .execute(app.db.pool())
            .await;
        assert!(truncated.is_err(), "TRUNCATE must fail: {truncated:?}");
    }
    // Inside a transaction too: the refusal is the database's, not a code path's.
    let mut tx = app.db.pool().begin().await.expect("begin");
    let deleted = sqlx::query("DELETE FROM audit_trail WHERE id > $1")
        .bind(0_i64)
        .execute(&mut *tx)
        .await;
    assert!(deleted.is_err());
    drop(tx);
    assert_eq!(rows(&app).await, before);

    // Appending still works.
    audit::record_operator(&app.db, AuditAction::IssuerKeyRotated, "kid-1", "")
        .await
        .expect("append");
    assert_eq!(rows(&app).await.len(), 2);
}
