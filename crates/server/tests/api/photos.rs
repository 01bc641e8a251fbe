//! Issue 13, items 13 and 18: the two photos the officer compares. The registry photo of an
//! imported extract is the person's own (from the CSV's photo column or a folder of NIK.jpg),
//! and a person imported without one has none: a typed 404 and a detail that says so, never a
//! drawing. The selfie carries what the phone's own check found, stored and shown as a hint.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use ikd_core::Sex;
use ikd_core::offline_bundle::OfflineBundle;
use ikd_core::signed::SignedJson;
use ikd_core::trust_documents::TrustListDocument;
use ikd_server::registry::csv_import;
use ikd_server::registry::portrait;
use serde_json::json;

use crate::fixtures::*;
use crate::support::{TestApp, body_bytes, body_json};

const HEADER: &str = "kk_number,nik,full_name,sex,place_of_birth,birth_date,religion,marital_status,occupation,education,blood_type,relationship,father_name,mother_name,street,rt,rw,village_code,ektp_recorded,ektp_printed,email,phone,foto";

/// Budi's photo comes from the `foto` column, Siti's from the folder, Andi has none, and
/// Rusak's file is not a JPEG.
struct Extract {
    _dir: tempfile::TempDir,
    budi: Citizen,
    siti: Citizen,
    andi: Citizen,
    budi_jpeg: Vec<u8>,
    siti_jpeg: Vec<u8>,
}

fn person(nik: &str, name: &str) -> Citizen {
    Citizen {
        nik: nik.to_owned(),
        email: format!("{}@ikd-demo.test", name.to_lowercase()),
        phone: format!("0812{}", &nik[8..16]),
    }
}

async fn imported_extract(app: &TestApp) -> Extract {
    let dir = tempfile::tempdir().expect("temp dir");
    let village = ikd_core::region::villages_of("32.76.01")[0].code;
    let budi = person("3276010507900001", "Budi");
    let siti = person("3276015203920002", "Siti");
    let andi = person("3276010101000003", "Andi");
    let rusak = person("3276010202000004", "Rusak");
    // Distinct JPEGs, so each answer can be traced to its file.
    let budi_jpeg = portrait::portrait_jpeg_sized(11, Sex::Male, 36, 120, 160, 80);
    let siti_jpeg = portrait::portrait_jpeg_sized(12, Sex::Female, 34, 120, 160, 80);
    std::fs::create_dir(dir.path().join("foto")).expect("foto dir");
    std::fs::write(dir.path().join("foto/budi.jpg"), &budi_jpeg).expect("budi");
    std::fs::write(dir.path().join("foto/rusak.jpg"), b"GIF89a not a jpeg").expect("rusak");
    let folder = dir.path().join("per-nik");
    std::fs::create_dir(&folder).expect("folder");
    std::fs::write(folder.join(format!("{}.jpg", siti.nik)), &siti_jpeg).expect("siti");
    let row = |c: &Citizen, name: &str, sex: &str, born: &str, rel: &str, photo: &str| {
        format!(
            "3276011203150001,{},{name},{sex},Depok,{born},ISLAM,KAWIN,KARYAWAN SWASTA,SLTA/SEDERAJAT,O,{rel},Slamet,Sri,JL. MAWAR NO. 1,3,7,{village},1,1,{},{},{photo}",
            c.nik, c.email, c.phone
        )
    };
    let text = [
        HEADER.to_owned(),
        row(
            &budi,
            "Budi Santoso",
            "L",
            "1990-07-05",
            "KEPALA KELUARGA",
            "foto/budi.jpg",
        ),
        row(&siti, "Siti Aminah", "P", "1992-03-12", "ISTRI", ""),
        row(&andi, "Andi Santoso", "L", "2000-01-01", "ANAK", ""),
        row(
            &rusak,
            "Rusak Santoso",
            "L",
            "2000-02-02",
            "ANAK",
            "foto/rusak.jpg",
        ),
    ]
    .join("\n");
    let csv = dir.path().join("pilot.csv");
    std::fs::write(&csv, text).expect("csv");
    let today = ikd_core::date::Date::new(2026, 11, 22).expect("date");
    let report = csv_import::import_file(&app.db, &csv, Some(&folder), today)
        .await
        .expect("import");
    assert_eq!(report.persons, 3, "{report:?}");
    assert_eq!(report.photos, 2, "{report:?}");
    assert_eq!(report.rejected.len(), 1, "{report:?}");
    assert_eq!(report.rejected[0].line, 5);
    assert!(
        report.rejected[0].reason.contains("bukan JPEG"),
        "{:?}",
        report.rejected[0]
    );
    Extract {
        _dir: dir,
        budi,
        siti,
        andi,
        budi_jpeg,
        siti_jpeg,
    }
}

async fn detail(app: &TestApp, officer: &str, id: &str) -> serde_json::Value {
    body_json(
        app.request(get_request(
            &format!("/api/officer/registrations/{id}"),
            Some(officer),
        ))
        .await,
    )
    .await
}

async fn registry_photo(app: &TestApp, officer: &str, id: &str) -> (u16, Vec<u8>) {
    let response = app
        .request(get_request(
            &format!("/api/officer/registrations/{id}/registry-photo"),
            Some(officer),
        ))
        .await;
    (response.status().as_u16(), body_bytes(response).await)
}

async fn bundle_of(app: &TestApp, session: &str) -> OfflineBundle {
    let response = app
        .bundle(session, &crate::support::PhoneKeys::random())
        .await;
    assert_eq!(response.status(), 200);
    let signed: SignedJson = serde_json::from_value(body_json(response).await).expect("signed");
    let trust_doc: TrustListDocument =
        serde_json::from_value(body_json(app.get("/api/trust-list").await).await).expect("trust");
    signed
        .verify(
            &trust_doc.to_trust_list().expect("keys"),
            Some(ikd_server::platform::clock::unix_now()),
        )
        .expect("valid signature")
}

#[tokio::test]
async fn an_extracts_registry_photos_are_the_imported_files_and_a_person_without_one_has_none() {
    let app = TestApp::new().await;
    let extract = imported_extract(&app).await;
    let (officer, desk) = open_desk(&app).await;

    // From the CSV's photo column and from the NIK.jpg folder: the very files.
    for (who, jpeg) in [
        (&extract.budi, &extract.budi_jpeg),
        (&extract.siti, &extract.siti_jpeg),
    ] {
        let id = registered(&app, &officer, desk, who).await;
        let shown = detail(&app, &officer, &id).await;
        assert_eq!(
            shown["registryPhotoUrl"],
            format!("/api/officer/registrations/{id}/registry-photo")
        );
        assert_eq!(
            registry_photo(&app, &officer, &id).await,
            (200, jpeg.clone())
        );
    }

    // Andi was imported without a photo: the detail says so and the photo is a typed 404.
    let id = registered(&app, &officer, desk, &extract.andi).await;
    let shown = detail(&app, &officer, &id).await;
    assert_eq!(shown["person"]["nik"], extract.andi.nik.as_str());
    assert!(shown["registryPhotoUrl"].is_null(), "{shown}");
    let (status, body) = registry_photo(&app, &officer, &id).await;
    assert_eq!(status, 404);
    let problem: serde_json::Value = serde_json::from_slice(&body).expect("json problem");
    assert_eq!(problem["code"], "no-registry-photo");
    assert!(
        problem["message"]
            .as_str()
            .expect("id")
            .contains("foto registri")
    );
    assert!(
        problem["messageEn"]
            .as_str()
            .expect("en")
            .contains("no photo")
    );
}

#[tokio::test]
async fn the_ktp_in_the_bundle_shows_the_registry_photo_or_none_never_a_drawing() {
    let app = TestApp::new().await;
    let extract = imported_extract(&app).await;
    let (officer, desk) = open_desk(&app).await;

    let session = active_citizen(&app, &officer, desk, &extract.budi, "device-budibudibudi").await;
    let bundle = bundle_of(&app, &session).await;
    assert!(!bundle.demo_data);
    assert_eq!(
        STANDARD.decode(&bundle.photo_jpeg).expect("b64"),
        extract.budi_jpeg
    );

    let session = active_citizen(&app, &officer, desk, &extract.andi, "device-andiandiandi").await;
    let bundle = bundle_of(&app, &session).await;
    assert_eq!(
        bundle.photo_jpeg, "",
        "no drawn portrait for an extract person"
    );
}

#[tokio::test]
async fn a_synthetic_registry_keeps_its_drawn_portraits() {
    let app = TestApp::new().await;
    seed_registry(&app).await;
    let (officer, desk) = open_desk(&app).await;
    let citizen = eligible_citizens(&app, 1).await.remove(0);
    let id = registered(&app, &officer, desk, &citizen).await;
    assert!(detail(&app, &officer, &id).await["registryPhotoUrl"].is_string());
    let (status, jpeg) = registry_photo(&app, &officer, &id).await;
    assert_eq!(status, 200);
    assert!(jpeg.starts_with(&[0xFF, 0xD8, 0xFF]));
}

#[tokio::test]
async fn the_phones_selfie_findings_reach_the_officer_as_sent_and_older_apps_send_none() {
    let app = TestApp::new().await;
    seed_registry(&app).await;
    let (officer, desk) = open_desk(&app).await;
    let citizens = eligible_citizens(&app, 3).await;

    let mut body = desk_registration_body(&app, &officer, desk, &citizens[0]).await;
    body["selfieFindings"] = json!(["blurry", "no-face", "no-face"]);
    let (status, answer) = register(&app, &body).await;
    assert_eq!(status, 202, "{answer}");
    let id = answer["registrationId"].as_str().expect("id");
    assert_eq!(
        detail(&app, &officer, id).await["selfieFindings"],
        json!(["no-face", "blurry"])
    );

    // An app from before the check sends no findings: accepted, and nothing to warn about.
    let id = registered(&app, &officer, desk, &citizens[1]).await;
    assert_eq!(
        detail(&app, &officer, &id).await["selfieFindings"],
        json!([])
    );

    // The list is closed: an unknown word is a malformed request, not stored text.
    let mut body = desk_registration_body(&app, &officer, desk, &citizens[2]).await;
    body["selfieFindings"] = json!(["<script>"]);
    let (status, _) = register(&app, &body).await;
    assert!((400..500).contains(&status), "{status}");
}
