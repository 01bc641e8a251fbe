//! Officer accounts in the database, on both back-ends.

use ikd_core::officer::OfficerRole;
use ikd_server::officer::officers::{self, NewOfficer, OfficerError};
use ikd_server::platform::password;

use crate::support::TestApp;

fn depok_officer(username: &str) -> NewOfficer {
    NewOfficer {
        username: username.to_owned(),
        full_name: "Rina Wulandari".to_owned(),
        role: OfficerRole::Officer,
        region_code: "32.76".to_owned(),
        password: "loket-depok-2026".to_owned(),
    }
}

#[tokio::test]
async fn an_officer_is_stored_with_an_argon2id_hash_and_found_by_username() {
    let app = TestApp::new().await;
    let id = officers::add(&app.db, depok_officer("rina.w"))
        .await
        .expect("add");
    let officer = officers::find_active(&app.db, "rina.w")
        .await
        .expect("query")
        .expect("found");
    assert_eq!(officer.id, id);
    assert_eq!(officer.role, OfficerRole::Officer);
    assert_eq!(officer.region_code, "32.76");
    assert!(officer.password_hash.starts_with("$argon2id$"));
    assert!(!officer.password_hash.contains("loket-depok-2026"));
    assert!(password::verify("loket-depok-2026", &officer.password_hash));
    assert!(
        officers::find_active(&app.db, "nobody")
            .await
            .expect("query")
            .is_none()
    );
}

#[tokio::test]
async fn a_taken_username_is_refused_as_a_duplicate_not_a_server_error() {
    let app = TestApp::new().await;
    officers::add(&app.db, depok_officer("rina.w"))
        .await
        .expect("first");
    let err = officers::add(&app.db, depok_officer("rina.w"))
        .await
        .expect_err("second must be refused");
    assert!(matches!(err, OfficerError::Duplicate(_)), "{err}");
    assert_eq!(err.code(), "duplicate");
}

#[tokio::test]
async fn unknown_regions_short_passwords_and_odd_usernames_are_refused() {
    let app = TestApp::new().await;
    let mut officer = depok_officer("rina.w");
    officer.region_code = "32.99".to_owned();
    assert_eq!(
        officers::add(&app.db, officer)
            .await
            .expect_err("region")
            .code(),
        "region"
    );
    let mut officer = depok_officer("rina.w");
    officer.password = "pendek".to_owned();
    assert_eq!(
        officers::add(&app.db, officer)
            .await
            .expect_err("short")
            .code(),
        "password"
    );
    let officer = depok_officer("Rina W");
    assert_eq!(
        officers::add(&app.db, officer)
            .await
            .expect_err("name")
            .code(),
        "username"
    );
}
