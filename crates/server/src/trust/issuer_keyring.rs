//! The issuer keys in the database: every replica signs with the same current key, and keys
//! rotate without breaking credentials already in citizens' phones. The newest unretired key
//! signs; a retired key stays in the published trust list until its `not_after`.
//!
//! The private keys are sealed under the key-encryption key (`platform/key_encryption.rs`),
//! the row's kid as associated data: a copy of the database without that key cannot sign.
//! Keys an older version stored as plain PEM are sealed when the database is first unlocked
//! (`platform/secrets.rs`); a plain PEM found later is refused, never used.

use std::path::Path;

use ikd_core::trust_documents::PublishedKey;

use crate::platform::db::{Db, DbError, unix_now};
use crate::platform::key_encryption;
use crate::trust::issuer_keys::{IssuerKey, IssuerKeyError};

#[derive(Debug, thiserror::Error)]
pub enum KeyringError {
    #[error(transparent)]
    Database(#[from] DbError),
    #[error(transparent)]
    File(#[from] IssuerKeyError),
    #[error("kunci penerbit di basis data rusak (issuer key in the database is corrupt): {0}")]
    Corrupt(String),
    #[error("belum ada kunci penerbit; jalankan `ikd serve` sekali (no issuer key yet)")]
    Missing,
}

crate::database_fault!(KeyringError);

/// Makes sure a current key exists. On first start it imports `dir/issuer.key.pem` when an
/// older installation left one, or generates a key. Two replicas starting at once may both
/// insert one; `current` then picks the same one for both (newest, then highest kid).
pub async fn ensure_current(db: &Db, import_dir: Option<&Path>) -> Result<IssuerKey, KeyringError> {
    if let Some(key) = current_opt(db).await? {
        return Ok(key);
    }
    let key = match import_dir {
        Some(dir) => IssuerKey::load_existing(dir)?.unwrap_or_else(IssuerKey::generate),
        None => IssuerKey::generate(),
    };
    insert(db, &key, unix_now()).await?;
    tracing::info!(kid = %key.kid(), "kunci penerbit dipasang (issuer key installed)");
    current_opt(db).await?.ok_or(KeyringError::Missing)
}

fn context(kid: &str) -> String {
    key_encryption::issuer_key_context(kid)
}

async fn insert(db: &Db, key: &IssuerKey, now: i64) -> Result<(), KeyringError> {
    let pem = key
        .to_pem()
        .ok_or_else(|| KeyringError::Corrupt("PEM".into()))?;
    let kek = db.key_encryption().map_err(DbError::from)?;
    let kid = key.kid();
    sqlx::query(
        "INSERT INTO issuer_keys (kid, private_key_sealed, public_key_hex, created_at, not_before) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (kid) DO NOTHING",
    )
    .bind(kid.as_str())
    .bind(kek.seal(&context(kid.as_str()), pem.as_bytes()))
    .bind(ikd_core::hex::encode(&key.public_key_sec1()))
    .bind(now)
    .bind(now)
    .execute(db.pool())
    .await?;
    Ok(())
}

async fn current_opt(db: &Db) -> Result<Option<IssuerKey>, KeyringError> {
    let row: Option<(String, String)> = sqlx::query_as(
        "SELECT kid, private_key_sealed FROM issuer_keys WHERE retired_at IS NULL \
         ORDER BY created_at DESC, kid DESC LIMIT 1",
    )
    .fetch_optional(db.pool())
    .await?;
    let Some((kid, sealed)) = row else {
        return Ok(None);
    };
    // A plain PEM here (written by hand, or by an older version after this start) is refused:
    // whoever can write the database must not be able to choose the signing key.
    let kek = db.key_encryption().map_err(DbError::from)?;
    let pem = kek.open(&context(&kid), &sealed).map_err(DbError::from)?;
    let key = std::str::from_utf8(&pem)
        .ok()
        .and_then(IssuerKey::from_pem)
        .ok_or_else(|| KeyringError::Corrupt("PEM".into()))?;
    if key.kid().as_str() != kid {
        return Err(KeyringError::Corrupt(format!("kid {kid}")));
    }
    Ok(Some(key))
}

/// The key that signs now.
pub async fn current(db: &Db) -> Result<IssuerKey, KeyringError> {
    current_opt(db).await?.ok_or(KeyringError::Missing)
}

/// The keys a verifier must trust now: the current one and retired ones still in grace.
pub async fn published(db: &Db, now: i64) -> Result<Vec<PublishedKey>, DbError> {
    let rows: Vec<(String, String, i64, Option<i64>)> = sqlx::query_as(
        "SELECT kid, public_key_hex, not_before, not_after FROM issuer_keys \
         WHERE not_after IS NULL OR not_after > $1 ORDER BY created_at, kid",
    )
    .bind(now)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(kid, public_key, not_before, not_after)| PublishedKey {
            kid,
            alg: "ES256".to_owned(),
            public_key,
            not_before,
            not_after,
        })
        .collect())
}

/// Makes a new current key. Older keys stop signing now and stay trusted for `grace_secs`,
/// which must cover the longest-lived credential they signed (the offline QR horizon).
pub async fn rotate(db: &Db, grace_secs: i64) -> Result<IssuerKey, KeyringError> {
    let now = unix_now();
    let key = IssuerKey::generate();
    let mut tx = db.pool().begin().await?;
    sqlx::query("UPDATE issuer_keys SET retired_at = $1, not_after = $2 WHERE retired_at IS NULL")
        .bind(now)
        .bind(now + grace_secs)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    insert(db, &key, now).await?;
    Ok(key)
}
