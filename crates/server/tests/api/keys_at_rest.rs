//! Keys at rest (issue 15) on either back-end: what the database holds is sealed under the
//! key-encryption key, another key is refused, and a value moved or planted in the clear is
//! refused rather than used. The CLI side (key file, copies, permissions, old data folders) is
//! in `tests/cli_keys_at_rest.rs`.

use ikd_server::platform::db::DbError;
use ikd_server::platform::key_encryption::{KeyEncryptionKey, SealError};
use ikd_server::platform::secrets;
use ikd_server::trust::issuer_keyring;

use crate::support::TestApp;

#[tokio::test]
async fn issuer_keys_and_service_secrets_are_stored_sealed_only() {
    let app = TestApp::new().await;
    let secret = secrets::get_or_create(&app.db, "uji-rahasia")
        .await
        .expect("secret");
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT name, secret_sealed FROM service_secrets")
            .fetch_all(app.db.pool())
            .await
            .expect("secrets");
    let (_, stored) = rows
        .iter()
        .find(|(name, _)| name == "uji-rahasia")
        .expect("row");
    assert!(stored.starts_with("sealed:v1:"), "{stored}");
    assert!(
        !stored.contains(&ikd_core::hex::encode(&secret)),
        "{stored}"
    );

    let keys: Vec<(String, String)> =
        sqlx::query_as("SELECT kid, private_key_sealed FROM issuer_keys")
            .fetch_all(app.db.pool())
            .await
            .expect("keys");
    assert_eq!(keys[0].0, app.issuer_key.kid().as_str());
    assert!(keys[0].1.starts_with("sealed:v1:"), "{}", keys[0].1);
    assert!(!keys[0].1.contains("PRIVATE KEY"));
}

#[tokio::test]
async fn another_key_encryption_key_is_refused_by_the_database() {
    let app = TestApp::new().await;
    let other = KeyEncryptionKey::generate();
    let refused = app.db.clone().unlock(other.clone()).await;
    match refused {
        Err(DbError::Sealing(SealError::WrongKey {
            found, expected, ..
        })) => {
            assert_eq!(expected, other.id());
            assert_ne!(found, other.id());
        }
        other => panic!("expected a wrong-key refusal, got {other:?}"),
    }
    // The right key (the one the app holds) still signs.
    issuer_keyring::current(&app.db).await.expect("signs");
}

#[tokio::test]
async fn a_sealed_value_moved_to_another_row_or_planted_in_the_clear_is_refused() {
    let app = TestApp::new().await;
    secrets::get_or_create(&app.db, "uji-a").await.expect("a");
    secrets::get_or_create(&app.db, "uji-b").await.expect("b");
    sqlx::query(
        "UPDATE service_secrets SET secret_sealed = \
         (SELECT secret_sealed FROM service_secrets WHERE name = 'uji-b') WHERE name = 'uji-a'",
    )
    .execute(app.db.pool())
    .await
    .expect("move");
    let moved = secrets::get_or_create(&app.db, "uji-a").await;
    assert!(
        matches!(moved, Err(DbError::Sealing(SealError::Tampered { .. }))),
        "{moved:?}"
    );

    // A key chosen by whoever can write the database, in the clear: refused now, and not
    // adopted by a later start either (only the first claim seals plaintext rows).
    let planted = ikd_core::hex::encode(&[9u8; 32]);
    sqlx::query("UPDATE service_secrets SET secret_sealed = $1 WHERE name = 'uji-b'")
        .bind(&planted)
        .execute(app.db.pool())
        .await
        .expect("plant");
    let kek = app.db.key_encryption().expect("unlocked").clone();
    let restarted = app.db.clone().unlock(kek).await.expect("same key");
    let read = secrets::get_or_create(&restarted, "uji-b").await;
    assert!(
        matches!(read, Err(DbError::Sealing(SealError::Tampered { .. }))),
        "{read:?}"
    );
}
