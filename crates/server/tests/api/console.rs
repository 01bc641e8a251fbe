//! The officer console's API: drives with roster import, batch decisions and progress; the
//! regional dashboard against targets; supervisors managing officers.

use axum::body::Body;
use axum::http::{Request, header};
use ikd_core::officer::OfficerRole;
use ikd_server::platform::clock::today_utc;
use serde_json::{Value, json};

use crate::fixtures::{
    Citizen, activate, activation_code, add_officer, desk_token, eligible_citizens, get_request,
    json_request, officer_login, register, registration_body, seed_registry,
};
use crate::support::{TestApp, body_bytes, body_json};

/// Makes the first `count` eligible citizens civil servants of PEMERINTAH KOTA DEPOK in the
/// registry's BKN data, with NIPs that agree with their birth date and sex, living in Depok
/// (32.76.01) where these tests' drives are, since a roster admits only people of the drive's
/// region (issue 15): (citizen, NIP).
pub(crate) async fn civil_servants(app: &TestApp, count: i64) -> Vec<(Citizen, String)> {
    let mut out = Vec::new();
    for (i, citizen) in eligible_citizens(app, count).await.into_iter().enumerate() {
        let (birth, sex): (String, String) =
            sqlx::query_as("SELECT birth_date, sex FROM registry_persons WHERE nik = $1")
                .bind(&citizen.nik)
                .fetch_one(app.db.pool())
                .await
                .expect("person");
        let born: i32 = birth[..4].parse().expect("year");
        let nip = format!(
            "{}{}03{}{:03}",
            birth.replace('-', ""),
            born + 25,
            if sex == "L" { 1 } else { 2 },
            i + 1
        );
        sqlx::query("DELETE FROM registry_civil_servants WHERE nik = $1")
            .bind(&citizen.nik)
            .execute(app.db.pool())
            .await
            .expect("clear");
        sqlx::query(
            "INSERT INTO registry_civil_servants (nip, nik, agency, unit, position, rank, status, \
             appointed_on) VALUES ($1, $2, 'PEMERINTAH KOTA DEPOK', 'DINAS A', 'ANALIS', 'III/a', \
             'PNS', '2015-03-01')",
        )
        .bind(&nip)
        .bind(&citizen.nik)
        .execute(app.db.pool())
        .await
        .expect("civil servant");
        live_in(app, &citizen.nik, "32.76.01").await;
        out.push((citizen, nip));
    }
    out
}

/// Records that the person `nik` lives in `district` (people move; their NIK stays).
pub(crate) async fn live_in(app: &TestApp, nik: &str, district: &str) {
    sqlx::query(
        "UPDATE registry_persons SET province_code = $1, regency_code = $2, district_code = $3 \
         WHERE nik = $4",
    )
    .bind(&district[..2])
    .bind(&district[..5])
    .bind(district)
    .bind(nik)
    .execute(app.db.pool())
    .await
    .expect("move");
}

async fn create_drive(app: &TestApp, cookie: &str, officers: &[&str]) -> Value {
    let response = app
        .request(json_request(
            "POST",
            "/api/drives",
            &json!({
                "name": "Jemput bola IKD Balai Kota Depok",
                "agency": "PEMERINTAH KOTA DEPOK",
                "units": ["Dinas A", " dinas  b "],
                "place": "Aula Balai Kota Depok",
                "startsOn": "2026-11-23",
                "endsOn": "2026-11-24",
                "officers": officers,
            }),
            Some(cookie),
        ))
        .await;
    assert_eq!(response.status(), 201, "create drive");
    body_json(response).await
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

async fn get_json(app: &TestApp, path: &str, cookie: &str) -> Value {
    let response = app.request(get_request(path, Some(cookie))).await;
    assert_eq!(response.status(), 200, "GET {path}");
    body_json(response).await
}

/// A NIK of a real person with the serial changed: well-formed, but nobody has it.
async fn unknown_nik(app: &TestApp) -> String {
    let some: String = sqlx::query_scalar("SELECT nik FROM registry_persons ORDER BY nik LIMIT 1")
        .fetch_one(app.db.pool())
        .await
        .expect("a nik");
    format!("{}9999", &some[..12])
}

#[tokio::test]
async fn a_roster_import_reports_every_bad_row_and_imports_the_rest() {
    let app = TestApp::new().await;
    seed_registry(&app).await;
    let asn = civil_servants(&app, 5).await;
    add_officer(&app, "rina", OfficerRole::Officer, "32.76").await;
    let cookie = officer_login(&app, "rina").await;
    let drive = create_drive(&app, &cookie, &[]).await;
    let id = drive["id"].as_i64().expect("id");
    assert_eq!(drive["units"], json!(["DINAS A", "DINAS B"]));

    // Someone in the registry who is not a civil servant, with a well-formed NIP.
    let not_asn = eligible_citizens(&app, 6).await.pop().expect("one more");
    let mut csv = String::from("nip,nik,nama,unit\n");
    for (i, (citizen, nip)) in asn.iter().enumerate() {
        let unit = if i % 2 == 0 { "Dinas A" } else { "DINAS B" };
        csv.push_str(&format!("{nip},{},Pegawai {i},{unit}\n", citizen.nik));
    }
    let (first_nik, first_nip) = (&asn[0].0.nik, &asn[0].1);
    csv.push_str(&format!("{first_nip},{first_nik},Ganda,Dinas A\n")); // line 7
    csv.push_str("199001012015031001,32760112,NIK pendek,Dinas A\n"); // line 8
    csv.push_str(&format!(
        "199001012015031002,{},Tak ada,Dinas A\n",
        unknown_nik(&app).await
    )); // 9
    csv.push_str(&format!(
        "199001012015031003,{},Bukan ASN,Dinas A\n",
        not_asn.nik
    )); // 10
    csv.push_str(&format!(
        "{}9,{},Unit lain,Dinas C\n",
        &asn[1].1[..17],
        not_asn.nik
    )); // 11

    let (status, report) = import(&app, &cookie, id, &csv).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["rows"], 10);
    assert_eq!(report["imported"], 5);
    let bad: Vec<(i64, &str)> = report["badRows"]
        .as_array()
        .expect("bad rows")
        .iter()
        .map(|row| {
            (
                row["line"].as_i64().expect("line"),
                row["problem"].as_str().expect("problem"),
            )
        })
        .collect();
    assert_eq!(
        bad,
        vec![
            (7, "duplicate"),
            (8, "bad-nik"),
            // An unknown NIK and a NIP of someone else get one answer: a roster cannot ask
            // the registry who exists (issue 15).
            (9, "not-on-record"),
            (10, "not-on-record"),
            (11, "unknown-unit"),
        ]
    );
    assert!(
        report["badRows"][0]["message"]
            .as_str()
            .expect("message")
            .contains("Ganda")
    );

    // Importing the same file again adds nobody: every good row is now a duplicate.
    let (_, again) = import(&app, &cookie, id, &csv).await;
    assert_eq!(again["imported"], 0);
    assert_eq!(again["badRows"].as_array().expect("bad").len(), 10);

    let progress = get_json(&app, &format!("/api/drives/{id}/progress"), &cookie).await;
    assert_eq!(progress["total"]["onRoster"], 5);
    assert_eq!(progress["units"][0]["unit"], "DINAS A");
    assert_eq!(progress["units"][0]["onRoster"], 3);
    assert_eq!(progress["units"][1]["onRoster"], 2);

    let (status, refused) = import(&app, &cookie, id, "\n\n").await;
    assert_eq!(
        (status, refused["code"].as_str()),
        (422, Some("roster-empty"))
    );
}

#[tokio::test]
async fn drive_officers_work_the_drive_desk_and_batch_decisions_show_in_progress() {
    let app = TestApp::new().await;
    seed_registry(&app).await;
    let asn = civil_servants(&app, 3).await;
    add_officer(&app, "rina", OfficerRole::Officer, "32.76").await;
    add_officer(&app, "budi", OfficerRole::Officer, "32.76.01").await;
    add_officer(&app, "joko", OfficerRole::Officer, "33.01").await;
    let rina = officer_login(&app, "rina").await;
    let budi = officer_login(&app, "budi").await;
    let joko = officer_login(&app, "joko").await;
    let drive = create_drive(&app, &rina, &["budi"]).await;
    let (id, desk) = (
        drive["id"].as_i64().expect("id"),
        drive["deskId"].as_i64().expect("desk"),
    );
    let csv: String = asn
        .iter()
        .map(|(c, nip)| format!("{nip},{},Pegawai,Dinas A\n", c.nik))
        .collect();
    let (status, report) = import(&app, &rina, id, &csv).await;
    assert_eq!((status, report["imported"].as_i64()), (200, Some(3)));

    // Budi works the drive: he shows the projector QR; people register with it.
    let token = desk_token(&app, &budi, desk).await;
    let mut ids = Vec::new();
    for (citizen, _) in &asn {
        let body = registration_body(&app, citizen, token["qrText"].as_str().expect("qr")).await;
        let (status, answer) = register(&app, &body).await;
        assert_eq!(status, 202, "{answer}");
        ids.push(answer["registrationId"].as_str().expect("id").to_owned());
    }
    let queue = get_json(&app, &format!("/api/drives/{id}/queue"), &budi).await;
    assert_eq!(queue.as_array().expect("queue").len(), 3);
    // Each person waiting shows with the NIP and unit of the roster (same-second arrivals are
    // in no particular order).
    for (citizen, nip) in &asn {
        let item = queue
            .as_array()
            .expect("queue")
            .iter()
            .find(|item| item["nik"] == json!(citizen.nik))
            .expect("in the queue");
        assert_eq!(item["nip"], json!(nip));
        assert_eq!(item["unit"], "DINAS A");
    }

    // Joko, from another region, sees none of it.
    for path in [
        format!("/api/drives/{id}"),
        format!("/api/drives/{id}/queue"),
        format!("/api/desks/{desk}/token"),
    ] {
        let response = app.request(get_request(&path, Some(&joko))).await;
        assert_eq!(response.status(), 403, "{path}");
    }

    let mut batch = ids.clone();
    batch.push("0000".to_owned());
    let response = app
        .request(json_request(
            "POST",
            "/api/officer/decisions",
            &json!({"registrationIds": batch, "approve": true}),
            Some(&budi),
        ))
        .await;
    assert_eq!(response.status(), 200);
    let outcome = body_json(response).await;
    assert_eq!(
        (outcome["decided"].as_i64(), outcome["refused"].as_i64()),
        (Some(3), Some(1))
    );
    assert_eq!(outcome["results"][0]["status"], "approved");
    assert!(outcome["results"][3]["problem"].is_string());

    let code = activation_code(&app, &asn[0].0.email);
    let response = activate(&app, &asn[0].0, &code, "perangkat-aaaaaaaaaaaa").await;
    assert_eq!(response.status(), 200);

    let progress = get_json(&app, &format!("/api/drives/{id}/progress"), &rina).await;
    assert_eq!(
        progress["total"],
        json!({"unit": "JUMLAH", "onRoster": 3, "registered": 3, "approved": 3, "activated": 1})
    );
    let response = app
        .request(get_request(
            &format!("/api/drives/{id}/progress?format=csv"),
            Some(&rina),
        ))
        .await;
    assert_eq!(
        response.headers()[header::CONTENT_TYPE],
        "text/csv; charset=utf-8"
    );
    let csv = String::from_utf8(body_bytes(response).await).expect("utf-8");
    assert!(csv.contains("kegiatan,unit,di_daftar,mendaftar,disetujui,aktif\r\n"));
    assert!(csv.contains(",JUMLAH,3,3,3,1\r\n"), "{csv}");

    // The drive dashboard counts the same.
    let drives = get_json(&app, "/api/dashboard/drives", &rina).await;
    assert_eq!(drives[0]["approved"], 3);
    assert_eq!(drives[0]["activated"], 1);
}

#[tokio::test]
async fn the_dashboard_counts_match_the_registry_and_adoption() {
    let app = TestApp::new().await;
    seed_registry(&app).await;
    let (cookie, desk) = crate::fixtures::open_desk(&app).await;
    let citizens = eligible_citizens(&app, 2).await;
    let session = crate::fixtures::active_citizen(
        &app,
        &cookie,
        desk,
        &citizens[0],
        "perangkat-bbbbbbbbbbbb",
    )
    .await;
    assert!(!session.is_empty());
    let token = desk_token(&app, &cookie, desk).await;
    let body = registration_body(&app, &citizens[1], token["qrText"].as_str().expect("qr")).await;
    assert_eq!(register(&app, &body).await.0, 202);

    let today = today_utc();
    let cutoff = format!(
        "{:04}-{:02}-{:02}",
        today.year() - 17,
        today.month(),
        today.day()
    );
    let must_hold: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM registry_persons WHERE ektp_recorded = 1 AND birth_date <= $1",
    )
    .bind(&cutoff)
    .fetch_one(app.db.pool())
    .await
    .expect("count");

    let country = get_json(&app, "/api/dashboard/regions", &cookie).await;
    assert_eq!(country["region"]["eligible"], must_hold);
    assert_eq!(country["region"]["registered"], 2);
    assert_eq!(country["region"]["activated"], 1);
    assert_eq!(country["region"]["targetPercent"], 70.0);
    assert_eq!(country["children"].as_array().expect("provinces").len(), 38);
    let trend = country["trend"].as_array().expect("trend");
    assert_eq!(trend.len(), 30);
    assert_eq!(trend[29]["registered"], 2);
    assert_eq!(trend[29]["activated"], 1);

    // Drill down to the first citizen's province, then regency: the same counts.
    let regency: String =
        sqlx::query_scalar("SELECT regency_code FROM registry_persons WHERE nik = $1")
            .bind(&citizens[0].nik)
            .fetch_one(app.db.pool())
            .await
            .expect("regency");
    let in_regency: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM registry_persons WHERE ektp_recorded = 1 AND birth_date <= $1 \
         AND regency_code = $2",
    )
    .bind(&cutoff)
    .bind(&regency)
    .fetch_one(app.db.pool())
    .await
    .expect("count");
    let province = get_json(
        &app,
        &format!("/api/dashboard/regions?parent={}", &regency[..2]),
        &cookie,
    )
    .await;
    let row = province["children"]
        .as_array()
        .expect("regencies")
        .iter()
        .find(|c| c["code"] == json!(regency))
        .expect("the regency")
        .clone();
    assert_eq!(row["eligible"], in_regency);
    assert!(row["activated"].as_i64() >= Some(1));
    let districts = get_json(
        &app,
        &format!("/api/dashboard/regions?parent={regency}"),
        &cookie,
    )
    .await;
    assert_eq!(districts["region"]["eligible"], in_regency);
    assert_eq!(districts["ancestors"][0]["name"], "INDONESIA");
    assert_eq!(districts["ancestors"][1]["code"], json!(&regency[..2]));
    assert_eq!(districts["region"]["activated"], row["activated"]);

    let response = app
        .request(get_request(
            "/api/dashboard/regions?format=csv",
            Some(&cookie),
        ))
        .await;
    let csv = String::from_utf8(body_bytes(response).await).expect("utf-8");
    assert!(
        csv.contains(&format!(",INDONESIA,{must_hold},2,1,70.00,")),
        "{csv}"
    );
    assert_eq!(csv.lines().count(), 1 + 1 + 38);

    let response = app
        .request(get_request(
            "/api/dashboard/regions?parent=99.99",
            Some(&cookie),
        ))
        .await;
    assert_eq!(response.status(), 404);
}

#[tokio::test]
async fn admins_set_targets_within_their_region_and_regions_inherit_them() {
    let app = TestApp::new().await;
    seed_registry(&app).await;
    add_officer(&app, "agus", OfficerRole::Admin, "32").await;
    add_officer(&app, "rina", OfficerRole::Officer, "32.76").await;
    let admin = officer_login(&app, "agus").await;
    let officer = officer_login(&app, "rina").await;
    let put = |cookie: String, region: &str, percent: f64| {
        json_request(
            "PUT",
            &format!("/api/targets/{region}"),
            &json!({"percent": percent}),
            Some(&cookie),
        )
    };
    assert_eq!(
        app.request(put(admin.clone(), "32.76", 25.0))
            .await
            .status(),
        204
    );
    assert_eq!(
        app.request(put(officer.clone(), "32.76", 30.0))
            .await
            .status(),
        403
    );
    assert_eq!(
        app.request(put(admin.clone(), "33", 30.0)).await.status(),
        403
    );
    assert_eq!(
        app.request(put(admin.clone(), "id", 80.0)).await.status(),
        403
    );
    assert_eq!(
        app.request(put(admin.clone(), "32", 100.5)).await.status(),
        422
    );

    let view = get_json(&app, "/api/dashboard/regions?parent=32", &admin).await;
    assert_eq!(view["canSetTargets"], true);
    let child = |code: &str| {
        view["children"]
            .as_array()
            .expect("children")
            .iter()
            .find(|c| c["code"] == json!(code))
            .expect("child")
            .clone()
    };
    assert_eq!(child("32.76")["targetPercent"], 25.0);
    assert_eq!(child("32.76")["targetSetAt"], "32.76");
    assert_eq!(child("32.01")["targetPercent"], 70.0);
    assert_eq!(child("32.01")["targetSetAt"], "");
    let depok = child("32.76");
    let eligible = depok["eligible"].as_u64().expect("eligible");
    assert_eq!(depok["targetCount"], eligible.div_ceil(4));

    let view = get_json(&app, "/api/dashboard/regions?parent=32", &officer).await;
    assert_eq!(view["canSetTargets"], false);
}

#[tokio::test]
async fn supervisors_manage_the_officers_of_their_region() {
    let app = TestApp::new().await;
    add_officer(&app, "sari", OfficerRole::Supervisor, "32.76").await;
    add_officer(&app, "rina", OfficerRole::Officer, "32.76").await;
    add_officer(&app, "joko", OfficerRole::Officer, "33.01").await;
    let sari = officer_login(&app, "sari").await;
    let rina = officer_login(&app, "rina").await;

    let listed = get_json(&app, "/api/officers", &sari).await;
    let names: Vec<&str> = listed
        .as_array()
        .expect("list")
        .iter()
        .map(|o| o["username"].as_str().expect("username"))
        .collect();
    assert_eq!(names, vec!["rina", "sari"]);
    assert_eq!(
        app.request(get_request("/api/officers", Some(&rina)))
            .await
            .status(),
        403
    );

    let new = |role: &str, region: &str, username: &str| {
        json_request(
            "POST",
            "/api/officers",
            &json!({"username": username, "fullName": "Dewi Lestari", "role": role,
                    "regionCode": region, "password": "loket-baru-2026"}),
            Some(&sari),
        )
    };
    let response = app.request(new("officer", "32.76.01", "dewi")).await;
    assert_eq!(response.status(), 201);
    let dewi = body_json(response).await["id"].as_i64().expect("id");
    assert_eq!(
        app.request(new("officer", "32.76.01", "dewi"))
            .await
            .status(),
        409
    );
    assert_eq!(
        app.request(new("supervisor", "32.76", "tono"))
            .await
            .status(),
        403
    );
    assert_eq!(
        app.request(new("officer", "33.01", "tini")).await.status(),
        403
    );

    // Switching Rina off ends her session at once.
    let rina_id = listed[0]["id"].as_i64().expect("id");
    let response = app
        .request(json_request(
            "POST",
            &format!("/api/officers/{rina_id}/disable"),
            &json!({}),
            Some(&sari),
        ))
        .await;
    assert_eq!(response.status(), 204);
    assert_eq!(
        app.request(get_request("/api/officer/session", Some(&rina)))
            .await
            .status(),
        401
    );
    // Rina is told why once her password is right (issue 13, item 14); a wrong password
    // still gets the answer anyone gets.
    let rina_login = |password: &str| {
        json_request(
            "POST",
            "/api/officer/session",
            &json!({"username": "rina", "password": password}),
            None,
        )
    };
    let response = app
        .request(rina_login(crate::fixtures::OFFICER_PASSWORD))
        .await;
    assert_eq!(response.status(), 403);
    assert_eq!(body_json(response).await["code"], "officer-disabled");
    let response = app.request(rina_login("bukan-sandinya-99")).await;
    assert_eq!(response.status(), 401);
    assert_eq!(body_json(response).await["code"], "login-failed");
    // Sari switches her back on (item 12): Rina logs in again.
    let response = app
        .request(json_request(
            "POST",
            &format!("/api/officers/{rina_id}/enable"),
            &json!({}),
            Some(&sari),
        ))
        .await;
    assert_eq!(response.status(), 204);
    assert_eq!(
        app.request(rina_login(crate::fixtures::OFFICER_PASSWORD))
            .await
            .status(),
        200
    );
    assert_eq!(listed[0]["regionName"], "Kota Depok");
    assert!(dewi > 0);
    let response = app
        .request(json_request(
            "POST",
            "/api/officers/999/disable",
            &json!({}),
            Some(&sari),
        ))
        .await;
    assert_eq!(response.status(), 404);
}

#[tokio::test]
async fn a_roster_imported_after_people_registered_counts_them_and_later_steps_count_once() {
    let app = TestApp::new().await;
    seed_registry(&app).await;
    let asn = civil_servants(&app, 2).await;
    let (officer, desk) = crate::fixtures::open_desk(&app).await;
    // The first civil servant was approved at a counter before the drive existed.
    crate::fixtures::registered_and_approved(&app, &officer, desk, &asn[0].0).await;

    let drive = create_drive(&app, &officer, &[]).await;
    let id = drive["id"].as_i64().expect("id");
    let csv: String = asn
        .iter()
        .map(|(c, nip)| format!("{nip},{},Pegawai,Dinas B\n", c.nik))
        .collect();
    assert_eq!(import(&app, &officer, id, &csv).await.0, 200);
    let total = |progress: Value| progress["total"].clone();
    let progress = get_json(&app, &format!("/api/drives/{id}/progress"), &officer).await;
    assert_eq!(
        total(progress),
        json!({"unit": "JUMLAH", "onRoster": 2, "registered": 1, "approved": 1, "activated": 0})
    );

    // Registering again (a retake) is not a second registration.
    let token = desk_token(&app, &officer, desk).await;
    for (citizen, _) in &asn {
        let body = registration_body(&app, citizen, token["qrText"].as_str().expect("qr")).await;
        assert_eq!(register(&app, &body).await.0, 202);
    }
    let progress = get_json(&app, &format!("/api/drives/{id}/progress"), &officer).await;
    assert_eq!(total(progress)["registered"], 2);
    let country = get_json(&app, "/api/dashboard/regions", &officer).await;
    assert_eq!(country["region"]["registered"], 2);
}

/// Issue 13, item 16: an officer sees their own work of the day on the home page.
#[tokio::test]
async fn an_officer_sees_their_own_decisions_and_queue_of_the_day() {
    let app = TestApp::new().await;
    seed_registry(&app).await;
    let (officer, desk) = crate::fixtures::open_desk(&app).await;
    let people = eligible_citizens(&app, 3).await;
    let mut ids = Vec::new();
    for person in &people {
        ids.push(crate::fixtures::registered(&app, &officer, desk, person).await);
    }
    use crate::fixtures::decide;
    let approve = decide(&app, &officer, &ids[0], json!({"approve": true})).await;
    assert_eq!(approve.status(), 200);
    let reject = json!({"approve": false, "reason": "Wajah tidak sesuai"});
    assert_eq!(decide(&app, &officer, &ids[1], reject).await.status(), 200);
    let midnight = ikd_server::platform::clock::unix_now() - 3600;
    let day = get_json(
        &app,
        &format!("/api/officer/today?since={midnight}"),
        &officer,
    )
    .await;
    assert_eq!(day, json!({"approved": 1, "rejected": 1, "waiting": 1}));
    // Another officer's day is their own.
    add_officer(&app, "budi", OfficerRole::Officer, "32.76").await;
    let budi = officer_login(&app, "budi").await;
    let day = get_json(&app, &format!("/api/officer/today?since={midnight}"), &budi).await;
    assert_eq!(day, json!({"approved": 0, "rejected": 0, "waiting": 0}));
    let response = app
        .request(get_request(
            &format!("/api/officer/today?since={midnight}"),
            None,
        ))
        .await;
    assert_eq!(response.status(), 401);
}

/// Issue 15: an officer's account cannot be used to sweep the registry through rosters.
#[tokio::test]
async fn roster_imports_are_rate_limited_per_officer() {
    let app = TestApp::with_config(|config| config.limits.roster_imports_officer.max = 2).await;
    seed_registry(&app).await;
    let (officer, _) = crate::fixtures::open_desk(&app).await;
    let drive = create_drive(&app, &officer, &[]).await;
    let id = drive["id"].as_i64().expect("id");
    let csv = "199001012015031003,3276014101900999,TIDAK ADA,DINAS B\n";
    for _ in 0..2 {
        assert_eq!(import(&app, &officer, id, csv).await.0, 200);
    }
    let (status, refusal) = import(&app, &officer, id, csv).await;
    assert_eq!(status, 429, "{refusal}");
    assert_eq!(refusal["code"], "rate-limited");
}
