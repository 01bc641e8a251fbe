//! Secrets the service makes for itself (such as the captcha's HMAC key), kept in the
//! database so every replica uses the same one. The first replica to need a secret creates it;
//! a replica that loses that race reads the winner's.
//!
//! Each is sealed under the key-encryption key (`key_encryption.rs`), with its row's name as
//! associated data, so the database alone never holds a usable secret. A row in the clear is
//! refused when read, never trusted: someone able to write the database must not be able to
//! plant a captcha or desk key of their choosing. Rows written before sealing existed are
//! sealed by [`unlock`] when the database is first claimed by a key, before anything reads them.

use rand_core::RngCore;

use crate::platform::db::{Db, DbError, unix_now};
use crate::platform::key_encryption::{self, KeyEncryptionKey, SealError, is_sealed};

/// Returns the named 32-byte secret, creating it on first use. Reads first: after the first
/// request this is one indexed SELECT, with no write on the hot path.
pub async fn get_or_create(db: &Db, name: &str) -> Result<Vec<u8>, DbError> {
    let kek = db.key_encryption()?;
    let context = context(name);
    if let Some(stored) = read(db, name).await? {
        return Ok(kek.open(&context, &stored)?);
    }
    let mut fresh = [0u8; 32];
    rand_core::OsRng.fill_bytes(&mut fresh);
    sqlx::query(
        "INSERT INTO service_secrets (name, secret_sealed, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT (name) DO NOTHING",
    )
    .bind(name)
    .bind(kek.seal(&context, &fresh))
    .bind(unix_now())
    .execute(db.pool())
    .await?;
    let stored = read(db, name).await?.ok_or_else(|| {
        DbError::Query(sqlx::Error::Decode(
            format!("service secret {name:?} vanished").into(),
        ))
    })?;
    Ok(kek.open(&context, &stored)?)
}

/// The id of the key-encryption key this database is sealed under, if any start claimed one.
pub async fn claimed_key_id(db: &Db) -> Result<Option<String>, DbError> {
    Ok(
        sqlx::query_scalar("SELECT kek_id FROM key_encryption_claim WHERE id = 1")
            .fetch_optional(db.pool())
            .await?,
    )
}

/// Claims the database for `kek` when no key has claimed it yet, and refuses any other key.
///
/// The claim also seals what an older version stored in the clear (service secrets as hex,
/// issuer keys as PEM), in the claim's own transaction: it happens exactly once, and a start
/// cut short leaves neither claim nor half-sealed rows. After the claim a plaintext row is
/// never sealed, only refused when read, so whoever can write the database cannot plant a key
/// and wait for a restart to have it adopted. Two replicas claiming at once: PostgreSQL makes
/// the second `INSERT … ON CONFLICT` wait for the first to commit, SQLite has one writer.
pub(crate) async fn unlock(db: &Db, kek: &KeyEncryptionKey) -> Result<(), DbError> {
    let mut tx = db.pool().begin().await?;
    let claimed_now = sqlx::query(
        "INSERT INTO key_encryption_claim (id, kek_id, created_at) VALUES (1, $1, $2) \
         ON CONFLICT (id) DO NOTHING",
    )
    .bind(kek.id())
    .bind(unix_now())
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    if claimed_now {
        seal_plaintext_rows(&mut tx, kek).await?;
    }
    let claimed: String =
        sqlx::query_scalar("SELECT kek_id FROM key_encryption_claim WHERE id = 1")
            .fetch_one(&mut *tx)
            .await?;
    tx.commit().await?;
    if claimed != kek.id() {
        return Err(SealError::WrongKey {
            context: "basis data/database".to_owned(),
            found: claimed,
            expected: kek.id().to_owned(),
        }
        .into());
    }
    Ok(())
}

async fn seal_plaintext_rows(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    kek: &KeyEncryptionKey,
) -> Result<(), DbError> {
    let secrets: Vec<(String, String)> =
        sqlx::query_as("SELECT name, secret_sealed FROM service_secrets")
            .fetch_all(&mut **tx)
            .await?;
    for (name, stored) in secrets.into_iter().filter(|(_, s)| !is_sealed(s)) {
        // Written by an older version as hex; a row edited into something else stays as it is
        // and is refused when read.
        let Some(plain) = ikd_core::hex::decode(&stored) else {
            continue;
        };
        sqlx::query("UPDATE service_secrets SET secret_sealed = $1 WHERE name = $2")
            .bind(kek.seal(&context(&name), &plain))
            .bind(&name)
            .execute(&mut **tx)
            .await?;
        tracing::info!(name, "rahasia layanan disegel (service secret sealed)");
    }
    let issuer_keys: Vec<(String, String)> =
        sqlx::query_as("SELECT kid, private_key_sealed FROM issuer_keys")
            .fetch_all(&mut **tx)
            .await?;
    for (kid, pem) in issuer_keys.into_iter().filter(|(_, s)| !is_sealed(s)) {
        let sealed = kek.seal(&key_encryption::issuer_key_context(&kid), pem.as_bytes());
        sqlx::query("UPDATE issuer_keys SET private_key_sealed = $1 WHERE kid = $2")
            .bind(sealed)
            .bind(&kid)
            .execute(&mut **tx)
            .await?;
        tracing::info!(kid, "kunci penerbit disegel (issuer key sealed)");
    }
    Ok(())
}

fn context(name: &str) -> String {
    format!("service_secrets/{name}")
}

async fn read(db: &Db, name: &str) -> Result<Option<String>, DbError> {
    Ok(
        sqlx::query_scalar("SELECT secret_sealed FROM service_secrets WHERE name = $1")
            .bind(name)
            .fetch_optional(db.pool())
            .await?,
    )
}
