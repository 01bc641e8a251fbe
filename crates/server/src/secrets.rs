//! Secrets the service makes for itself (such as the captcha's HMAC key), kept in the
//! database so every replica uses the same one. The first replica to need a secret creates it;
//! a replica that loses that race reads the winner's.

use rand_core::RngCore;

use crate::db::{Db, DbError, unix_now};

/// Returns the named 32-byte secret, creating it on first use.
pub async fn get_or_create(db: &Db, name: &str) -> Result<Vec<u8>, DbError> {
    let mut fresh = [0u8; 32];
    rand_core::OsRng.fill_bytes(&mut fresh);
    sqlx::query(
        "INSERT INTO service_secrets (name, secret_hex, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT (name) DO NOTHING",
    )
    .bind(name)
    .bind(hex(&fresh))
    .bind(unix_now())
    .execute(db.pool())
    .await?;
    let stored: String =
        sqlx::query_scalar("SELECT secret_hex FROM service_secrets WHERE name = $1")
            .bind(name)
            .fetch_one(db.pool())
            .await?;
    Ok(unhex(&stored))
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Vec<u8> {
    (0..text.len() / 2)
        .filter_map(|i| u8::from_str_radix(text.get(2 * i..2 * i + 2)?, 16).ok())
        .collect()
}
