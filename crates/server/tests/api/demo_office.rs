//! The demo office (`registry/demo_office.rs`) on either back-end: a top-up to the number
//! asked for, nothing on a second run, counts that equal a recount, and nothing on an extract.

use ikd_core::date::Date;
use ikd_server::registry::demo_office::{self, Office, Outcome};
use ikd_server::registry::generator::default_as_of;
use ikd_server::registry::seed::{SyntheticSeed, seed_synthetic};

use crate::support::TestApp;

fn depok() -> Office<'static> {
    Office {
        regency_code: "32.76",
        agency: "PEMERINTAH KOTA DEPOK",
        wanted: 60,
        adults_born_before: Date::new(2008, 1, 1).expect("date"),
    }
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(app.db.pool())
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

#[tokio::test]
async fn a_synthetic_registry_is_topped_up_once_and_its_counts_follow() {
    let app = TestApp::new().await;
    seed_synthetic(
        &app.db,
        SyntheticSeed {
            seed: 42,
            persons: 1_000,
            as_of: default_as_of(),
        },
    )
    .await
    .expect("seed");
    let added = demo_office::ensure(&app.db, depok()).await.expect("office");
    let Outcome::Added { registrable, .. } = added else {
        panic!("{added:?}");
    };
    assert!(registrable >= 60, "{registrable}");
    let persons = count(&app, "SELECT COUNT(*) FROM registry_persons").await;
    assert_eq!(
        demo_office::ensure(&app.db, depok()).await.expect("again"),
        Outcome::Enough { registrable }
    );
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM registry_persons").await,
        persons
    );
    // The kept population counts equal a recount.
    assert_eq!(
        count(
            &app,
            "SELECT CAST(SUM(recorded) AS BIGINT) FROM registry_population WHERE level = 1"
        )
        .await,
        count(
            &app,
            "SELECT COUNT(*) FROM registry_persons WHERE ektp_recorded = 1"
        )
        .await
    );
    assert_eq!(
        count(
            &app,
            "SELECT CAST(SUM(recorded) AS BIGINT) FROM registry_population \
             WHERE level = 2 AND region_code >= '32.76.' AND region_code < '32.76/'"
        )
        .await,
        count(
            &app,
            "SELECT COUNT(*) FROM registry_persons WHERE ektp_recorded = 1 \
             AND regency_code = '32.76'"
        )
        .await
    );
}

#[tokio::test]
async fn an_empty_registry_gets_no_demo_office() {
    let app = TestApp::new().await;
    assert_eq!(
        demo_office::ensure(&app.db, depok()).await.expect("office"),
        Outcome::NotSynthetic
    );
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM registry_persons").await,
        0
    );
}
