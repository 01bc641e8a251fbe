//! Slowing down password guessing without locking out the real person (OWASP's device
//! cookies, ASVS 5.0 V6.3): citizens' NIKs and officers' usernames are public, so a limit per
//! account alone would let any stranger lock its owner out.
//!
//! A browser that has logged in to an account before carries a device cookie; its failures
//! are counted for that browser alone, so strangers' failures never touch it. Everyone else's
//! failures are counted per account (per identifier when there is no account, which answers
//! the same); once those reach the allowance, each further try from an unknown browser must
//! carry a freshly solved proof-of-work captcha: more work for a guesser, a few seconds for
//! the person, and never a lock. Only failures count, so the person's own successes never
//! use up anything; an officer can forget the count (`forget_failures`).

use axum::http::StatusCode;
use ikd_core::captcha::Solution;

use crate::platform::captcha::{self, CaptchaRefusal};
use crate::platform::db::{Db, DbError, unix_now};
use crate::platform::rate_limit::{self, Limit, RateLimitError};
use crate::platform::refusal::Refusal;
use crate::platform::tokens;

/// A device cookie unused this long no longer counts, and its row is dropped.
pub const DEVICE_TRUST_SECS: i64 = 365 * 86_400;

/// Who is logging in: citizens and officers have separate cookies and counters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Door {
    Citizen,
    Officer,
}

impl Door {
    fn as_str(self) -> &'static str {
        match self {
            Door::Citizen => "citizen",
            Door::Officer => "officer",
        }
    }

    /// The device cookie's name. `__Host-` makes the browser refuse it unless it is Secure,
    /// has no Domain and has Path=/, so no other site or subdomain can plant or read it.
    pub fn cookie_name(self) -> &'static str {
        match self {
            Door::Citizen => "__Host-ikd_perangkat",
            Door::Officer => "__Host-ikd_perangkat_petugas",
        }
    }
}

/// The allowances the guard applies (from `RateLimits`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GuardLimits {
    /// Failures from browsers without the account's device cookie before each try needs a
    /// solved captcha.
    pub untrusted_failures: Limit,
    /// Failures from one trusted browser before it must wait (only that browser waits).
    pub device_failures: Limit,
}

#[derive(Debug, thiserror::Error)]
pub enum GuardRefusal {
    #[error("captcha required after repeated failures")]
    CaptchaRequired,
    #[error(transparent)]
    Captcha(CaptchaRefusal),
    #[error(transparent)]
    RateLimited(#[from] RateLimitError),
    #[error(transparent)]
    Database(#[from] DbError),
}

crate::database_fault!(GuardRefusal);

impl GuardRefusal {
    /// The refusal for the person; `None` when the database failed.
    pub fn refusal(&self) -> Option<Refusal> {
        match self {
            GuardRefusal::CaptchaRequired => Some(
                Refusal::new(
                    StatusCode::TOO_MANY_REQUESTS,
                    "captcha-required",
                    "Terlalu banyak percobaan masuk yang gagal untuk akun ini dari perangkat yang \
                     belum dikenal. Selesaikan captcha lalu coba lagi",
                    "Too many failed logins to this account from unrecognised devices. Solve \
                     the captcha and try again",
                )
                .field("captcha"),
            ),
            GuardRefusal::Captcha(err) => captcha::refusal(err),
            GuardRefusal::RateLimited(err) => err.refusal(),
            GuardRefusal::Database(_) => None,
        }
    }
}

/// What [`admit`] decided for one login try: which counter a failure is charged to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Admission {
    failure_bucket: String,
    failure_limit: Limit,
}

fn untrusted_bucket(door: Door, key: &str) -> String {
    format!("login:untrusted:{}:{key}", door.as_str())
}

/// Lets a login try go ahead, before the password is checked. `identifier` is what was typed
/// (normalised); `account` is the subject it names (NIK or officer id), `None` for an unknown
/// one. Both cases make the same queries.
pub async fn admit(
    db: &Db,
    limits: GuardLimits,
    door: Door,
    identifier: &str,
    account: Option<&str>,
    device_token: Option<&str>,
    captcha_solution: Option<&Solution>,
) -> Result<Admission, GuardRefusal> {
    let token_hash = device_token.map(tokens::sha256_hex).unwrap_or_default();
    let trusted_for: Vec<String> = sqlx::query_scalar(
        "SELECT subject FROM trusted_devices WHERE token_hash = $1 AND subject_kind = $2 \
         AND last_used_at > $3",
    )
    .bind(&token_hash)
    .bind(door.as_str())
    .bind(unix_now() - DEVICE_TRUST_SECS)
    .fetch_all(db.pool())
    .await?;
    let trusted = account.is_some_and(|subject| trusted_for.iter().any(|s| s == subject));
    if trusted {
        let bucket = format!("login:device:{token_hash}");
        if let Some(retry_after) = rate_limit::used_up(db, &bucket, limits.device_failures).await? {
            return Err(RateLimitError::Limited { retry_after }.into());
        }
        return Ok(Admission {
            failure_bucket: bucket,
            failure_limit: limits.device_failures,
        });
    }
    // Keyed by the identifier as typed, never by the account it names: were a NIK and an
    // email of one account to share a counter, filling it through one and probing through
    // the other would tell a stranger that they belong together.
    let bucket = untrusted_bucket(door, identifier);
    let under_attack = rate_limit::used_up(db, &bucket, limits.untrusted_failures)
        .await?
        .is_some();
    if under_attack {
        let solution = captcha_solution.ok_or(GuardRefusal::CaptchaRequired)?;
        captcha::consume(db, solution)
            .await
            .map_err(GuardRefusal::Captcha)?;
    }
    Ok(Admission {
        failure_bucket: bucket,
        failure_limit: limits.untrusted_failures,
    })
}

/// Counts a wrong password against the counter [`admit`] chose.
pub async fn failed(db: &Db, admission: &Admission) -> Result<(), DbError> {
    let mut conn = db.pool().acquire().await?;
    rate_limit::charge_in(
        &mut conn,
        &admission.failure_bucket,
        admission.failure_limit,
    )
    .await
}

/// After a correct password (or activation code): trusts this browser for `subject` from
/// now on. Returns the token for the cookie: the presented one when the database knows it
/// (one token serves a family's phone), else a fresh one.
pub async fn remember_device(
    db: &Db,
    door: Door,
    subject: &str,
    presented: Option<&str>,
) -> Result<String, DbError> {
    let now = unix_now();
    let known =
        match presented {
            Some(token) => sqlx::query_scalar::<_, i64>(
                "SELECT COUNT(*) FROM trusted_devices WHERE token_hash = $1 AND subject_kind = $2 \
             AND last_used_at > $3",
            )
            .bind(tokens::sha256_hex(token))
            .bind(door.as_str())
            .bind(now - DEVICE_TRUST_SECS)
            .fetch_one(db.pool())
            .await?
                > 0,
            None => false,
        };
    let token = match presented {
        Some(token) if known => token.to_owned(),
        _ => tokens::new_token(),
    };
    sqlx::query(
        "INSERT INTO trusted_devices (token_hash, subject_kind, subject, created_at, last_used_at) \
         VALUES ($1, $2, $3, $4, $4) \
         ON CONFLICT (token_hash, subject_kind, subject) DO UPDATE SET last_used_at = $4",
    )
    .bind(tokens::sha256_hex(&token))
    .bind(door.as_str())
    .bind(subject)
    .bind(now)
    .execute(db.pool())
    .await?;
    // Drop long-unused trust now and then (one success in 64): the service has no timer.
    if rand_core::RngCore::next_u32(&mut rand_core::OsRng).is_multiple_of(64) {
        sqlx::query("DELETE FROM trusted_devices WHERE last_used_at < $1")
            .bind(now - DEVICE_TRUST_SECS)
            .execute(db.pool())
            .await?;
    }
    Ok(token)
}

/// Forgets the failures strangers ran up against `identifier` (as typed at login, normalised),
/// inside the caller's transaction (an officer lifting a lock).
pub async fn forget_failures_in(
    conn: &mut sqlx::AnyConnection,
    door: Door,
    identifier: &str,
) -> Result<(), DbError> {
    rate_limit::clear_in(conn, &untrusted_bucket(door, identifier)).await
}

/// Stops trusting every browser for `subject`: after a password reset, a browser that knew
/// the old password must earn trust again.
pub async fn forget_devices(db: &Db, door: Door, subject: &str) -> Result<(), DbError> {
    sqlx::query("DELETE FROM trusted_devices WHERE subject_kind = $1 AND subject = $2")
        .bind(door.as_str())
        .bind(subject)
        .execute(db.pool())
        .await?;
    Ok(())
}
