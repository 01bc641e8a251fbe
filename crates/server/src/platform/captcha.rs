//! The service's side of the proof-of-work captcha (`ikd_core::captcha`): issuing challenges
//! and accepting each solution once. The HMAC key lives in the database (shared by replicas);
//! used challenges are remembered there until they expire.

use ikd_core::captcha::{self, CaptchaError, Challenge, DEFAULT_MAX_NUMBER, Solution};
use rand_core::RngCore;

use crate::platform::db::{Db, DbError, unix_now};
use crate::platform::secrets;

/// How long a device has to solve a challenge and submit its form.
pub const CHALLENGE_LIFETIME_SECS: i64 = 10 * 60;
const KEY_NAME: &str = "captcha-hmac";

#[derive(Debug, thiserror::Error)]
pub enum CaptchaRefusal {
    #[error(transparent)]
    Invalid(#[from] CaptchaError),
    #[error("captcha ini sudah dipakai; muat ulang untuk captcha baru (captcha already used)")]
    Replayed,
    #[error(transparent)]
    Database(#[from] DbError),
}

crate::database_fault!(CaptchaRefusal);

impl CaptchaRefusal {
    pub fn code(&self) -> &'static str {
        match self {
            CaptchaRefusal::Invalid(err) => err.code(),
            CaptchaRefusal::Replayed => "captcha-used",
            CaptchaRefusal::Database(_) => "unavailable",
        }
    }
}

/// The refusal for the person; `None` when the database failed.
pub fn refusal(err: &CaptchaRefusal) -> Option<crate::platform::refusal::Refusal> {
    use axum::http::StatusCode;
    let (message_id, message_en) = match err {
        CaptchaRefusal::Invalid(inner) => (inner.message_id(), inner.message_en()),
        CaptchaRefusal::Replayed => (
            "Captcha ini sudah dipakai. Muat ulang untuk captcha baru",
            "This captcha was already used. Reload for a new one",
        ),
        CaptchaRefusal::Database(_) => return None,
    };
    Some(
        crate::platform::refusal::Refusal::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            err.code(),
            message_id,
            message_en,
        )
        .field("captcha"),
    )
}

/// A fresh challenge, valid for `CHALLENGE_LIFETIME_SECS`.
pub async fn issue(db: &Db) -> Result<Challenge, DbError> {
    let key = secrets::get_or_create(db, KEY_NAME).await?;
    let mut salt = [0u8; 16];
    rand_core::OsRng.fill_bytes(&mut salt);
    let secret = rand_core::OsRng.next_u64() % (DEFAULT_MAX_NUMBER + 1);
    Ok(captcha::create(
        &key,
        &ikd_core::hex::encode(&salt),
        secret,
        DEFAULT_MAX_NUMBER,
        unix_now() + CHALLENGE_LIFETIME_SECS,
    ))
}

/// Accepts a solution once: valid, unexpired, and not used before on any replica.
pub async fn consume(db: &Db, solution: &Solution) -> Result<(), CaptchaRefusal> {
    let key = secrets::get_or_create(db, KEY_NAME).await?;
    let now = unix_now();
    // The limit `issue` signs with: an answer above it is refused (issue 14).
    captcha::verify(solution, &key, DEFAULT_MAX_NUMBER, now)?;
    let expires_at = captcha::expires_at(&solution.salt).unwrap_or(now);
    let inserted = sqlx::query(
        "INSERT INTO captcha_uses (signature, expires_at) VALUES ($1, $2) \
         ON CONFLICT (signature) DO NOTHING",
    )
    .bind(&solution.signature)
    .bind(expires_at)
    .execute(db.pool())
    .await?;
    if inserted.rows_affected() == 0 {
        return Err(CaptchaRefusal::Replayed);
    }
    // Forget challenges that can no longer be replayed anyway: on one request in 64, so the
    // hot path stays one write; the table never holds more than ten minutes of solutions
    // plus a little.
    if rand_core::OsRng.next_u32().is_multiple_of(64) {
        sqlx::query("DELETE FROM captcha_uses WHERE expires_at < $1")
            .bind(now)
            .execute(db.pool())
            .await?;
    }
    Ok(())
}
