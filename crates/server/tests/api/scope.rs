//! Officer power scoped to the job (issue 15): a roster admits only civil servants of the
//! drive's agency who live in the drive's region, and answers everyone else exactly as an
//! unknown NIK; a drive is always in its creator's region, worked only by officers inside it;
//! the face check of a registration at someone else's desk or drive answers as not found.
//! Every action that went through leaves its row in the audit trail, every refusal none.

use axum::body::Body;
use axum::http::{Request, header};
use ikd_core::audit::AuditAction;
use ikd_core::officer::OfficerRole;
use serde_json::{Value, json};

use crate::console::{civil_servants, live_in};
use crate::fixtures::{
    Citizen, add_officer, eligible_citizens, get_request, json_request, officer_login,
    open_desk_as, registered, seed_registry,
};
use crate::support::{TestApp, body_bytes, body_json};

const AGENCY: &str = "PEMERINTAH KOTA DEPOK";

fn drive_body(officers: &[&str]) -> Value {
    json!({
        "name": "Jemput bola IKD Balai Kota Depok",
        // The agency as someone types it: case and spacing are not BKN's.
        "agency": "Pemerintah  Kota Depok",
        "units": [],
        "place": "Aula Balai Kota Depok",
        "startsOn": "2026-11-23",
        "endsOn": "2026-11-24",
        "officers": officers,
    })
}

async fn post_drive(app: &TestApp, cookie: &str, body: &Value) -> (u16, Value) {
    let response = app
        .request(json_request("POST", "/api/drives", body, Some(cookie)))
        .await;
    let status = response.status().as_u16();
    (status, body_json(response).await)
}

async fn import(app: &TestApp, cookie: &str, drive: i64, csv: &str) -> (u16, Value) {
    let mut request = Request::post(format!("/api/drives/{drive}/roster"))
        .header(header::CONTENT_TYPE, "text/csv")
        .header(header::COOKIE, cookie)
        .body(Body::from(csv.to_owned()))
        .expect("request");
    request
        .extensions_mut()
        .insert(axum::extract::ConnectInfo(std::net::SocketAddr::from((
            [10, 0, 0, 1],
            40000,
        ))));
    let response = app.request(request).await;
    let status = response.status().as_u16();
    (status, body_json(response).await)
}

/// The audit rows of `action`: (actor, subject, detail), oldest first.
async fn audit_rows(app: &TestApp, action: AuditAction) -> Vec<(String, String, String)> {
    sqlx::query_as("SELECT actor, subject, detail FROM audit_trail WHERE action = $1 ORDER BY id")
        .bind(action.as_str())
        .fetch_all(app.db.pool())
        .await
        .expect("audit rows")
}

/// A NIP for `nik`'s person, as BKN would give it (birth date, appointment, sex, serial).
async fn nip_for(app: &TestApp, nik: &str, serial: u32) -> String {
    let (birth, sex): (String, String) =
        sqlx::query_as("SELECT birth_date, sex FROM registry_persons WHERE nik = $1")
            .bind(nik)
            .fetch_one(app.db.pool())
            .await
            .expect("person");
    let born: i32 = birth[..4].parse().expect("year");
    format!(
        "{}{}03{}{serial:03}",
        birth.replace('-', ""),
        born + 25,
        if sex == "L" { 1 } else { 2 }
    )
}

/// Makes `citizen` a civil servant of `agency` in BKN's data, wherever they live.
async fn make_civil_servant(app: &TestApp, citizen: &Citizen, agency: &str, serial: u32) -> String {
    let nip = nip_for(app, &citizen.nik, serial).await;
    sqlx::query("DELETE FROM registry_civil_servants WHERE nik = $1")
        .bind(&citizen.nik)
        .execute(app.db.pool())
        .await
        .expect("clear");
    sqlx::query(
        "INSERT INTO registry_civil_servants (nip, nik, agency, unit, position, rank, status, \
         appointed_on) VALUES ($1, $2, $3, 'DINAS A', 'ANALIS', 'III/a', 'PNS', '2015-03-01')",
    )
    .bind(&nip)
    .bind(&citizen.nik)
    .bind(agency)
    .execute(app.db.pool())
    .await
    .expect("civil servant");
    nip
}

async fn district_of(app: &TestApp, nik: &str) -> String {
    sqlx::query_scalar("SELECT district_code FROM registry_persons WHERE nik = $1")
        .bind(nik)
        .fetch_one(app.db.pool())
        .await
        .expect("district")
}

/// A bad row without what identifies it (line, NIP, NIK, name): what the report says of it.
fn verdict(row: &Value) -> Value {
    let mut row = row.clone();
    for key in ["line", "nip", "nik", "name"] {
        row.as_object_mut().expect("a row").remove(key);
    }
    row
}

#[tokio::test]
async fn a_roster_admits_only_the_drive_agencys_civil_servants_living_in_its_region() {
    let app = TestApp::new().await;
    seed_registry(&app).await;
    // Three civil servants of Depok's government who live in Depok.
    let depok = civil_servants(&app, 3).await;
    let others = eligible_citizens(&app, 6).await.split_off(3);
    // A civil servant of the same agency who lives outside Depok (their NIK is unchanged).
    let away = &others[0];
    live_in(&app, &away.nik, "31.71.01").await;
    let away_nip = make_civil_servant(&app, away, AGENCY, 101).await;
    // A civil servant living in Depok who works for another agency.
    let bogor = &others[1];
    live_in(&app, &bogor.nik, "32.76.02").await;
    let bogor_nip = make_civil_servant(&app, bogor, "PEMERINTAH KOTA BOGOR", 102).await;
    // A well-formed NIK nobody has: the answer every other refusal must look like.
    let unknown = format!("{}9999", &others[2].nik[..12]);
    assert_eq!(district_of(&app, &away.nik).await, "31.71.01");

    add_officer(&app, "rina", OfficerRole::Officer, "32.76").await;
    let rina = officer_login(&app, "rina").await;
    let (status, drive) = post_drive(&app, &rina, &drive_body(&[])).await;
    assert_eq!(status, 201, "{drive}");
    assert_eq!(drive["regionCode"], "32.76");
    let id = drive["id"].as_i64().expect("id");

    let mut csv = String::from("nip,nik,nama,unit\n");
    for (i, (citizen, nip)) in depok.iter().enumerate() {
        csv.push_str(&format!("{nip},{},Pegawai {i},Dinas A\n", citizen.nik));
    }
    csv.push_str(&format!(
        "{away_nip},{},Tinggal di luar,Dinas A\n",
        away.nik
    )); // line 5
    csv.push_str(&format!(
        "{bogor_nip},{},Instansi lain,Dinas A\n",
        bogor.nik
    )); // line 6
    csv.push_str(&format!("199001012015031002,{unknown},Tak ada,Dinas A\n")); // line 7
    let (status, report) = import(&app, &rina, id, &csv).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(
        (report["rows"].as_i64(), report["imported"].as_i64()),
        (Some(6), Some(3))
    );
    let bad = report["badRows"].as_array().expect("bad rows");
    let lines: Vec<i64> = bad
        .iter()
        .map(|r| r["line"].as_i64().expect("line"))
        .collect();
    assert_eq!(lines, vec![5, 6, 7]);
    // Outside the region, another agency and nobody at all: one answer, word for word.
    assert_eq!(bad[0]["problem"], "not-on-record");
    for row in bad {
        assert_eq!(verdict(row), verdict(&bad[2]), "{row}");
    }
    // Only the three are on the roster.
    let on_roster: Vec<String> =
        sqlx::query_scalar("SELECT nik FROM drive_roster WHERE drive_id = $1 ORDER BY nik")
            .bind(id)
            .fetch_all(app.db.pool())
            .await
            .expect("roster");
    let mut expected: Vec<String> = depok.iter().map(|(c, _)| c.nik.clone()).collect();
    expected.sort();
    assert_eq!(on_roster, expected);

    // One audit row for the drive and one for the import, naming the drive.
    assert_eq!(
        audit_rows(&app, AuditAction::DriveCreated).await,
        vec![(
            "rina".to_owned(),
            id.to_string(),
            format!(
                "Jemput bola IKD Balai Kota Depok (Pemerintah  Kota Depok), loket {}",
                drive["deskId"]
            )
        )]
    );
    assert_eq!(
        audit_rows(&app, AuditAction::RosterImported).await,
        vec![(
            "rina".to_owned(),
            id.to_string(),
            "3 dari 6 baris diimpor, 3 ditolak".to_owned()
        )]
    );
}

#[tokio::test]
async fn a_supervisors_drive_covers_the_districts_of_their_region_and_nothing_else() {
    let app = TestApp::new().await;
    seed_registry(&app).await;
    let people = eligible_citizens(&app, 2).await;
    // Both work for Depok's government; one lives in the district, one elsewhere in Depok.
    live_in(&app, &people[0].nik, "32.76.01").await;
    live_in(&app, &people[1].nik, "32.76.02").await;
    let inside = make_civil_servant(&app, &people[0], AGENCY, 201).await;
    let beside = make_civil_servant(&app, &people[1], AGENCY, 202).await;
    add_officer(&app, "sari", OfficerRole::Supervisor, "32.76.01").await;
    let sari = officer_login(&app, "sari").await;
    let (status, drive) = post_drive(&app, &sari, &drive_body(&[])).await;
    assert_eq!(status, 201, "{drive}");
    assert_eq!(drive["regionCode"], "32.76.01");
    let id = drive["id"].as_i64().expect("id");
    let csv = format!(
        "{inside},{},Di kecamatan,Dinas A\n{beside},{},Di kecamatan lain,Dinas A\n",
        people[0].nik, people[1].nik
    );
    let (status, report) = import(&app, &sari, id, &csv).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["imported"], 1);
    assert_eq!(report["badRows"][0]["line"], 2);
    assert_eq!(report["badRows"][0]["problem"], "not-on-record");
}

#[tokio::test]
async fn a_plain_officers_drive_stays_in_their_region_with_officers_from_inside_it() {
    let app = TestApp::new().await;
    add_officer(&app, "rina", OfficerRole::Officer, "32.76").await;
    add_officer(&app, "dewi", OfficerRole::Officer, "32.76.01").await;
    add_officer(&app, "joko", OfficerRole::Officer, "31.71").await;
    add_officer(&app, "agus", OfficerRole::Admin, "32").await;
    let rina = officer_login(&app, "rina").await;

    // A region of her choosing is not part of a drive: the body is refused as a whole.
    let mut elsewhere = drive_body(&[]);
    elsewhere["regionCode"] = json!("31.71");
    let (status, refused) = post_drive(&app, &rina, &elsewhere).await;
    assert_eq!(status, 422, "{refused}");
    assert!(refused["message"].is_string() && refused["messageEn"].is_string());

    // Nor can she bring in officers from outside Depok, even an admin above it: working a
    // drive opens its face checks.
    for outsider in ["joko", "agus"] {
        let (status, refused) = post_drive(&app, &rina, &drive_body(&[outsider])).await;
        assert_eq!(status, 422, "{outsider}: {refused}");
        assert_eq!(refused["code"], "drive-officer-unknown");
        assert_eq!(refused["field"], "officers");
    }
    let drives: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM drives")
        .fetch_one(app.db.pool())
        .await
        .expect("count");
    assert_eq!(drives, 0);
    assert!(audit_rows(&app, AuditAction::DriveCreated).await.is_empty());

    // Her drive is in her region, with a colleague from a district inside it.
    let (status, drive) = post_drive(&app, &rina, &drive_body(&["dewi"])).await;
    assert_eq!(status, 201, "{drive}");
    assert_eq!(drive["regionCode"], "32.76");
    let listed: Vec<&str> = drive["officers"]
        .as_array()
        .expect("officers")
        .iter()
        .map(|o| o["username"].as_str().expect("username"))
        .collect();
    assert_eq!(listed, vec!["dewi", "rina"]);
    let rows = audit_rows(&app, AuditAction::DriveCreated).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].1, drive["id"].as_i64().expect("id").to_string());
}

/// The status and body of `GET path` as `cookie`.
async fn answer(app: &TestApp, path: &str, cookie: &str) -> (u16, Vec<u8>) {
    let response = app.request(get_request(path, Some(cookie))).await;
    (response.status().as_u16(), body_bytes(response).await)
}

#[tokio::test]
async fn the_face_check_outside_ones_desks_and_drives_answers_as_not_found() {
    let app = TestApp::new().await;
    seed_registry(&app).await;
    add_officer(&app, "rina", OfficerRole::Officer, "32.76").await;
    add_officer(&app, "budi", OfficerRole::Officer, "32.76").await;
    add_officer(&app, "dewi", OfficerRole::Officer, "32.76").await;
    add_officer(&app, "sari", OfficerRole::Supervisor, "32.76").await;
    add_officer(&app, "joko", OfficerRole::Supervisor, "31.71").await;
    let [rina, budi, dewi, sari, joko] = [
        officer_login(&app, "rina").await,
        officer_login(&app, "budi").await,
        officer_login(&app, "dewi").await,
        officer_login(&app, "sari").await,
        officer_login(&app, "joko").await,
    ];
    let people = eligible_citizens(&app, 2).await;
    // One registers at Rina's counter, one at the desk of her drive, which Budi works too.
    let counter = open_desk_as(&app, &rina, "desk", "Loket 1").await;
    let at_counter = registered(&app, &rina, counter, &people[0]).await;
    let (status, drive) = post_drive(&app, &rina, &drive_body(&["budi"])).await;
    assert_eq!(status, 201, "{drive}");
    let drive_desk = drive["deskId"].as_i64().expect("desk");
    let at_drive = registered(&app, &rina, drive_desk, &people[1]).await;

    let routes = |id: &str| {
        [
            format!("/api/officer/registrations/{id}"),
            format!("/api/officer/registrations/{id}/selfie"),
            format!("/api/officer/registrations/{id}/registry-photo"),
        ]
    };
    // What an id that does not exist gets: the only answer an outsider may see.
    let (status, missing) = answer(&app, &routes("tidak-ada")[0], &dewi).await;
    assert_eq!(status, 404);
    assert_eq!(
        serde_json::from_slice::<Value>(&missing).expect("json")["code"],
        "not-found"
    );

    let may = |cookie: &str, id: &str| (cookie.to_owned(), id.to_owned());
    let allowed = [
        may(&rina, &at_counter),
        may(&rina, &at_drive),
        // Budi works the drive, not the counter; Sari oversees Depok.
        may(&budi, &at_drive),
        may(&sari, &at_counter),
        may(&sari, &at_drive),
    ];
    for (cookie, id) in &allowed {
        for path in routes(id) {
            assert_eq!(answer(&app, &path, cookie).await.0, 200, "{path}");
        }
    }
    let refused = [
        may(&budi, &at_counter),
        may(&dewi, &at_counter),
        may(&dewi, &at_drive),
        may(&joko, &at_counter),
        may(&joko, &at_drive),
    ];
    for (cookie, id) in &refused {
        for path in routes(id) {
            let (status, body) = answer(&app, &path, cookie).await;
            assert_eq!((status, &body), (404, &missing), "{path}");
        }
        // Deciding is refused the same way, and decides nothing.
        let response = app
            .request(json_request(
                "POST",
                &format!("/api/officer/registrations/{id}/decision"),
                &json!({"approve": true}),
                Some(cookie),
            ))
            .await;
        assert_eq!(response.status(), 404);
    }
    let pending: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM registrations WHERE status = $1")
        .bind(ikd_core::registration_status::RegistrationStatus::Pending.as_str())
        .fetch_one(app.db.pool())
        .await
        .expect("count");
    assert_eq!(pending, 2);
    assert!(
        audit_rows(&app, AuditAction::DecisionApproved)
            .await
            .is_empty()
    );
}
