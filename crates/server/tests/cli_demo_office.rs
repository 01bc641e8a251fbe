//! `ikd demo`'s demo office: on a synthetic registry it tops Depok up to 60 civil servants of
//! Pemerintah Kota Depok who can register (once, however often it runs), and its sample roster
//! is one a drive of `petugas.depok` accepts whole; on an extract it adds nobody.

use std::process::{Command, Output};

use ikd_core::console_api::NewDrive;
use ikd_server::officer::audit::Actor;
use ikd_server::officer::drives::{self, roster};
use ikd_server::officer::officers;
use ikd_server::platform::db::{DatabaseUrl, Db};

fn ikd(data_dir: &std::path::Path, args: &[&str]) -> Output {
    let output = Command::new(env!("CARGO_BIN_EXE_ikd"))
        .args(args)
        .arg("--data-dir")
        .arg(data_dir)
        .env_remove("IKD_DATABASE_URL")
        .output()
        .expect("run ikd");
    assert!(
        output.status.success(),
        "ikd {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

async fn open(dir: &std::path::Path) -> Db {
    Db::connect(&DatabaseUrl::sqlite_file(&dir.join("ikd.db")))
        .await
        .expect("open")
}

async fn count(db: &Db, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(db.pool())
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// The console end-to-end test's question (e2e/console.spec.ts, `civilServants`).
fn registrable_sql() -> String {
    let adult = format!(
        "{}-01-01",
        ikd_server::platform::clock::today_utc().year() - 18
    );
    format!(
        "SELECT COUNT(*) FROM registry_civil_servants c JOIN registry_persons p ON p.nik = c.nik \
         WHERE p.ektp_recorded = 1 AND p.email IS NOT NULL AND p.phone IS NOT NULL \
         AND p.birth_date < '{adult}' AND p.regency_code = '32.76' \
         AND UPPER(c.agency) = 'PEMERINTAH KOTA DEPOK' \
         AND c.nik NOT IN (SELECT nik FROM registrations)"
    )
}

/// Rows of `registry_population` that differ from a recount of `registry_persons`.
async fn population_mismatches(db: &Db) -> i64 {
    let mut mismatches = 0;
    for (level, column) in [(1, "regency_code"), (2, "district_code")] {
        mismatches += count(
            db,
            &format!(
                "SELECT COUNT(*) FROM (SELECT {column} AS code, \
                 CAST(substr(birth_date, 1, 4) AS INTEGER) AS year, COUNT(*) AS n \
                 FROM registry_persons WHERE ektp_recorded = 1 \
                 GROUP BY {column}, CAST(substr(birth_date, 1, 4) AS INTEGER)) r \
                 FULL OUTER JOIN (SELECT region_code, birth_year, recorded \
                 FROM registry_population WHERE level = {level}) k \
                 ON k.region_code = r.code AND k.birth_year = r.year \
                 WHERE r.n IS NULL OR k.recorded IS NULL OR r.n <> k.recorded"
            ),
        )
        .await;
    }
    mismatches
}

#[tokio::test]
async fn the_demo_office_gives_depok_60_civil_servants_once_and_a_roster_a_drive_accepts() {
    let dir = tempfile::tempdir().expect("temp dir");
    ikd(dir.path(), &["seed", "--count", "2000"]);
    let first = ikd(dir.path(), &["demo", "--citizens", "1"]);
    let text = String::from_utf8_lossy(&first.stdout);
    assert!(
        text.lines()
            .any(|l| l.starts_with("Kantor demo:") && l.contains("data demo")),
        "{text}"
    );

    let db = open(dir.path()).await;
    let registrable = count(&db, &registrable_sql()).await;
    assert!(registrable >= 60, "{registrable}");
    let persons = count(&db, "SELECT COUNT(*) FROM registry_persons").await;
    assert!(persons > 2000, "{persons}");
    assert_eq!(population_mismatches(&db).await, 0);
    // Every household is whole: each person on a card that exists, one head per card.
    assert_eq!(
        count(
            &db,
            "SELECT COUNT(*) FROM registry_persons p WHERE NOT EXISTS \
             (SELECT 1 FROM registry_families f WHERE f.kk_number = p.kk_number)"
        )
        .await,
        0
    );
    assert_eq!(
        count(
            &db,
            "SELECT COUNT(*) FROM registry_families f WHERE NOT EXISTS \
             (SELECT 1 FROM registry_persons p WHERE p.nik = f.head_nik \
             AND p.kk_number = f.kk_number)"
        )
        .await,
        0
    );
    db.pool().close().await;

    // Again: enough already, nobody added.
    let second = ikd(dir.path(), &["demo", "--citizens", "1"]);
    let text = String::from_utf8_lossy(&second.stdout);
    assert!(text.contains("Kantor demo:"), "{text}");
    let db = open(dir.path()).await;
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM registry_persons").await,
        persons
    );
    assert_eq!(count(&db, &registrable_sql()).await, registrable);
    assert_eq!(
        count(
            &db,
            "SELECT COUNT(*) FROM registry_seed_runs WHERE substr(source, 1, 12) = 'demo office '"
        )
        .await,
        1
    );

    // The sample roster: 50 rows, every one accepted by a drive petugas.depok creates for
    // Pemerintah Kota Depok.
    let csv = std::fs::read(dir.path().join("demo").join("daftar-asn.csv")).expect("roster");
    let lines = String::from_utf8_lossy(&csv).lines().count();
    assert_eq!(lines, 51, "header and 50 rows");
    let officer = officers::find_active(&db, "petugas.depok")
        .await
        .expect("read")
        .expect("the demo officer");
    let today = ikd_server::platform::clock::today_utc();
    let drive = drives::create(
        &db,
        &Actor {
            officer: &officer,
            client_ip: "127.0.0.1",
        },
        &NewDrive {
            name: "Jemput bola IKD Balai Kota Depok".into(),
            agency: "PEMERINTAH KOTA DEPOK".into(),
            units: Vec::new(),
            place: "Aula Balai Kota Depok".into(),
            starts_on: today.to_string(),
            ends_on: today.to_string(),
            officers: Vec::new(),
        },
    )
    .await
    .expect("drive");
    let report = roster::import(&db, &drive, &csv, today)
        .await
        .expect("import");
    assert_eq!(report.rows, 50);
    assert_eq!(report.imported, 50, "{:?}", report.bad_rows);
}

#[tokio::test]
async fn the_demo_adds_nobody_to_an_imported_extract() {
    let dir = tempfile::tempdir().expect("temp dir");
    let village = ikd_core::region::villages_of("32.76.01")[0].code;
    let extract = format!(
        "kk_number,nik,full_name,sex,place_of_birth,birth_date,religion,marital_status,\
         occupation,education,blood_type,relationship,father_name,mother_name,street,rt,rw,\
         village_code,ektp_recorded,ektp_printed,email,phone\n\
         3276011203150001,3276010507900001,Budi Santoso,L,Depok,1990-07-05,ISLAM,KAWIN,\
         KARYAWAN SWASTA,SLTA/SEDERAJAT,O,KEPALA KELUARGA,Slamet,Sri,JL. MAWAR NO. 1,3,7,\
         {village},1,1,budi@ikd-demo.test,081234567890\n"
    );
    let path = dir.path().join("extract.csv");
    std::fs::write(&path, extract).expect("write extract");
    ikd(
        dir.path(),
        &["seed", "--csv", path.to_str().expect("utf-8 path")],
    );
    let demo = ikd(dir.path(), &["demo", "--citizens", "1"]);
    let text = String::from_utf8_lossy(&demo.stdout);
    assert!(text.contains("Kantor demo tidak dibuat"), "{text}");
    let db = open(dir.path()).await;
    assert_eq!(count(&db, "SELECT COUNT(*) FROM registry_persons").await, 1);
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM registry_civil_servants").await,
        0
    );
}
