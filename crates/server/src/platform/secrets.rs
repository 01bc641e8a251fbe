//! Secrets the service makes for itself (such as the captcha's HMAC key), kept in the
//! database so every replica uses the same one. The first replica to need a secret creates it;
//! a replica that loses that race reads the winner's.

use rand_core::RngCore;

use crate::platform::db::{Db, DbError, unix_now};

/// Returns the named 32-byte secret, creating it on first use. Reads first: after the first
/// request this is one indexed SELECT, with no write on the hot path.
pub async fn get_or_create(db: &Db, name: &str) -> Result<Vec<u8>, DbError> {
    if let Some(stored) = read(db, name).await? {
        return decode(name, &stored);
    }
    let mut fresh = [0u8; 32];
    rand_core::OsRng.fill_bytes(&mut fresh);
    sqlx::query(
        "INSERT INTO service_secrets (name, secret_hex, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT (name) DO NOTHING",
    )
    .bind(name)
    .bind(ikd_core::hex::encode(&fresh))
    .bind(unix_now())
    .execute(db.pool())
    .await?;
    let stored = read(db, name).await?.ok_or_else(|| {
        DbError::Query(sqlx::Error::Decode(
            format!("service secret {name:?} vanished").into(),
        ))
    })?;
    decode(name, &stored)
}

async fn read(db: &Db, name: &str) -> Result<Option<String>, DbError> {
    Ok(
        sqlx::query_scalar("SELECT secret_hex FROM service_secrets WHERE name = $1")
            .bind(name)
            .fetch_optional(db.pool())
            .await?,
    )
}

fn decode(name: &str, stored: &str) -> Result<Vec<u8>, DbError> {
    // Written by us as hex; a row edited by hand into something else is a decode error.
    ikd_core::hex::decode(stored).ok_or_else(|| {
        DbError::Query(sqlx::Error::Decode(
            format!("service secret {name:?} is not hex").into(),
        ))
    })
}
