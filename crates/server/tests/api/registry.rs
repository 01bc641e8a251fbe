//! The population registry in the database: seeding and CSV import, on both back-ends.

use ikd_server::registry::csv_import;
use ikd_server::registry::generator::default_as_of;
use ikd_server::registry::seed::{SyntheticSeed, seed_synthetic};
use ikd_server::registry::store;

use crate::support::TestApp;

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(app.db.pool())
        .await
        .expect("count")
}

#[tokio::test]
async fn a_synthetic_seed_stores_families_people_and_documents_consistently() {
    let app = TestApp::new().await;
    let report = seed_synthetic(
        &app.db,
        SyntheticSeed {
            seed: 42,
            persons: 3_000,
            as_of: default_as_of(),
        },
    )
    .await
    .expect("seed");
    assert!(report.written.persons >= 3_000);
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM registry_persons").await,
        report.written.persons as i64
    );
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM registry_families").await,
        report.written.families as i64
    );
    // Every family's head is one of its own members.
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM registry_families f JOIN registry_persons p \
             ON p.nik = f.head_nik AND p.kk_number = f.kk_number AND p.relationship = 'KEPALA KELUARGA'"
        )
        .await,
        report.written.families as i64
    );
    // Recorded-but-not-printed people hold a Suket, and only they do.
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM registry_persons WHERE ektp_recorded = 1 AND ektp_printed = 0"
        )
        .await,
        count(&app, "SELECT COUNT(*) FROM registry_sukets").await
    );
    assert!(count(&app, "SELECT COUNT(*) FROM registry_civil_servants").await > 0);
    assert!(count(&app, "SELECT COUNT(*) FROM registry_vaccinations").await > 0);
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM registry_seed_runs WHERE source = 'synthetic seed=42'"
        )
        .await,
        1
    );
}

#[tokio::test]
async fn seeding_the_same_seed_twice_gives_the_same_registry() {
    let app = TestApp::new().await;
    let plan = SyntheticSeed {
        seed: 9,
        persons: 500,
        as_of: default_as_of(),
    };
    seed_synthetic(&app.db, plan).await.expect("first");
    let first: Vec<(String, String, String)> =
        sqlx::query_as("SELECT nik, full_name, birth_date FROM registry_persons ORDER BY nik")
            .fetch_all(app.db.pool())
            .await
            .expect("read");
    store::clear(&app.db).await.expect("clear");
    assert_eq!(store::person_count(&app.db).await.expect("count"), 0);
    seed_synthetic(&app.db, plan).await.expect("second");
    let second: Vec<(String, String, String)> =
        sqlx::query_as("SELECT nik, full_name, birth_date FROM registry_persons ORDER BY nik")
            .fetch_all(app.db.pool())
            .await
            .expect("read");
    assert_eq!(first, second);
}

const HEADER: &str = "kk_number,nik,full_name,sex,place_of_birth,birth_date,religion,marital_status,occupation,education,blood_type,relationship,father_name,mother_name,street,rt,rw,village_code,ektp_recorded,ektp_printed,email,phone";

#[tokio::test]
async fn a_csv_import_stores_good_rows_and_reports_every_bad_row_with_its_line() {
    let app = TestApp::new().await;
    // Kota Depok, Pancoran Mas (32.76.01); a man born 5 July 1990 and a woman born 12 March 1992
    // (day + 40).
    let village = ikd_core::region::villages_of("32.76.01")[0].code;
    let rows = [
        format!(
            "3276011203150001,3276010507900001,Budi Santoso,L,Depok,1990-07-05,ISLAM,KAWIN,KARYAWAN SWASTA,SLTA/SEDERAJAT,O,KEPALA KELUARGA,Slamet,Sri,JL. MAWAR NO. 1,3,7,{village},1,1,budi@ikd-demo.test,081234567890"
        ),
        format!(
            // KTPs print belief in God (kepercayaan) since 2017 (issue 13, item 19).
            "3276011203150001,3276015203920002,Siti Aminah,P,Depok,1992-03-12,KEPERCAYAAN TERHADAP TUHAN YME,KAWIN,MENGURUS RUMAH TANGGA,SLTA/SEDERAJAT,A,ISTRI,Ahmad,Aminah,JL. MAWAR NO. 1,3,7,{village},1,0,,"
        ),
        // Bad: NIK says born 5 July 1990 but the row says 1991.
        format!(
            "3276011203150001,3276010507900003,Salah Tanggal,L,Depok,1991-07-05,ISLAM,BELUM KAWIN,WIRASWASTA,SLTA/SEDERAJAT,O,ANAK,Budi,Siti,JL. MAWAR NO. 1,3,7,{village},1,1,,"
        ),
        // Bad: no such religion.
        format!(
            "3276011203150001,3276010507900004,Agama Salah,L,Depok,1990-07-05,JEDI,BELUM KAWIN,WIRASWASTA,SLTA/SEDERAJAT,O,ANAK,Budi,Siti,JL. MAWAR NO. 1,3,7,{village},1,1,,"
        ),
        // Bad: NIK of a district that does not exist.
        format!(
            "3276011203150001,3299010507900005,Wilayah Salah,L,Depok,1990-07-05,ISLAM,BELUM KAWIN,WIRASWASTA,SLTA/SEDERAJAT,O,ANAK,Budi,Siti,JL. MAWAR NO. 1,3,7,{village},1,1,,"
        ),
    ];
    let text = format!("{HEADER}\n{}\n", rows.join("\n"));
    let reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let today = ikd_core::date::Date::new(2026, 11, 22).expect("date");
    let report = csv_import::import(&app.db, reader, "pilot.csv", &Default::default(), today)
        .await
        .expect("import");
    assert_eq!(report.persons, 2);
    assert_eq!(report.families, 1);
    let lines: Vec<u64> = report.rejected.iter().map(|r| r.line).collect();
    assert_eq!(lines, [4, 5, 6], "{:?}", report.rejected);
    assert!(
        report.rejected[0].reason.contains("tanggal lahir"),
        "{:?}",
        report.rejected[0]
    );
    assert!(
        report.rejected[1].reason.contains("agama"),
        "{:?}",
        report.rejected[1]
    );
    assert!(
        report.rejected[2].reason.starts_with("NIK"),
        "{:?}",
        report.rejected[2]
    );
    let (name, suket_pending, religion): (String, i32, String) = sqlx::query_as(
        "SELECT full_name, ektp_printed, religion FROM registry_persons WHERE nik = '3276015203920002'",
    )
    .fetch_one(app.db.pool())
    .await
    .expect("imported wife");
    assert_eq!(name, "SITI AMINAH");
    assert_eq!(religion, "KEPERCAYAAN TERHADAP TUHAN YME");
    assert_eq!(suket_pending, 0);
}

#[tokio::test]
async fn the_demo_label_follows_the_registry_origin_recorded_at_each_load() {
    let app = TestApp::new().await;
    // Nothing loaded yet: nothing real can be shown, so the service still says demo.
    assert_eq!(demo_data(&app).await, true);

    let village = ikd_core::region::villages_of("32.76.01")[0].code;
    let text = format!(
        "{HEADER}\n3276011203150001,3276010507900001,Budi Santoso,L,Depok,1990-07-05,ISLAM,KAWIN,KARYAWAN SWASTA,SLTA/SEDERAJAT,O,KEPALA KELUARGA,Slamet,Sri,JL. MAWAR NO. 1,3,7,{village},1,1,,\n"
    );
    let reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let today = ikd_core::date::Date::new(2026, 11, 22).expect("date");
    csv_import::import(&app.db, reader, "pilot.csv", &Default::default(), today)
        .await
        .expect("import");
    assert_eq!(
        demo_data(&app).await,
        false,
        "an imported extract is not demo data"
    );

    store::clear(&app.db).await.expect("clear");
    seed_synthetic(
        &app.db,
        SyntheticSeed {
            seed: 7,
            persons: 50,
            as_of: today,
        },
    )
    .await
    .expect("seed");
    assert_eq!(demo_data(&app).await, true, "a synthetic seed is demo data");
}

/// What `GET /api/health` says about labelling the registry's data as demo data.
async fn demo_data(app: &TestApp) -> serde_json::Value {
    crate::support::body_json(app.get("/api/health").await).await["demoData"].clone()
}
