//! Fixed-window request counters in the database, so every replica counts the same hits.
//! Each bucket names what is limited and for whom (`login:ip:1.2.3.4`, `login:acct:<nik>`).

use axum::http::StatusCode;

use sqlx::AnyConnection;

use crate::platform::db::{Db, DbError, unix_now};
use crate::platform::login_guard::GuardLimits;
use crate::platform::refusal::Refusal;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub max: i64,
    pub window_secs: i64,
}

const TEN_MINUTES: i64 = 600;
/// The longest window: [`forget_old`] drops windows that started a day ago.
const ONE_DAY: i64 = 86_400;

/// The allowances per window. A drive registers a whole office from one Wi-Fi address, so
/// per-address limits are generous; per-account ones are tight.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimits {
    pub register_ip: Limit,
    pub register_nik: Limit,
    pub activate_ip: Limit,
    pub activate_nik: Limit,
    /// Wrong activation codes per NIK (known or not) before activation is locked until the
    /// window ends; an officer's fresh code or a successful activation clears it.
    pub activate_failures_nik: Limit,
    pub login_ip: Limit,
    /// Wrong passwords for one account from browsers without its device cookie, before each
    /// further try needs a solved captcha (`platform/login_guard.rs`); never a lock.
    pub login_untrusted_failures: Limit,
    /// Wrong passwords from one browser the account trusts, before that browser waits.
    pub login_device_failures: Limit,
    pub reset_ip: Limit,
    /// Reset links mailed per account per day, however many requests name it: a stranger
    /// cannot flood the person's mailbox.
    pub reset_mails_account: Limit,
    /// Roster imports per officer: each may look up tens of thousands of NIKs in the registry,
    /// so an officer's account cannot be used to sweep it (issue 15).
    pub roster_imports_officer: Limit,
    /// Wrong second-factor codes per officer. Only someone who has the officer's password gets
    /// this far, so after these the officer's logins wait for the window (and the trail of
    /// failures is the officer's sign that their password is known).
    pub second_factor_failures_officer: Limit,
    /// Consent requests per institution (issue 17): each reaches a citizen's app, so one
    /// institution cannot flood people with requests or sweep NIKs at scale.
    pub consent_requests_institution: Limit,
    /// Reads under one grant: each reads the registry and writes the citizen's history, so a
    /// live grant is not a pipe to poll.
    pub consent_reads_grant: Limit,
    /// Lost-phone reports and confirmations per address: each report costs an Argon2id
    /// verification. There is no per-NIK limit on reports, which a stranger could fill: the
    /// answer is the same whatever the password, so guessing learns nothing.
    pub lost_phone_ip: Limit,
    /// Codes mailed per account per day (a new email address, a lost phone), however many
    /// requests ask for one.
    pub account_mails: Limit,
    /// Password checks per account when closing it: only someone with the session gets
    /// there, and a borrowed unlocked phone must not become a password-guessing machine.
    pub account_password_tries: Limit,
    /// Fresh credentials per account (issue 16): new device keys get four newly signed
    /// credentials, each a row a logout puts on the public revocation list, so an account
    /// cannot order them by the request. A phone makes new keys only at activation and login.
    pub fresh_credentials_account: Limit,
}

impl Default for RateLimits {
    fn default() -> Self {
        let per_ten_minutes = |max| Limit {
            max,
            window_secs: TEN_MINUTES,
        };
        RateLimits {
            register_ip: per_ten_minutes(300),
            register_nik: per_ten_minutes(5),
            activate_ip: per_ten_minutes(60),
            activate_nik: per_ten_minutes(10),
            activate_failures_nik: Limit {
                max: 100,
                window_secs: ONE_DAY,
            },
            login_ip: per_ten_minutes(120),
            login_untrusted_failures: per_ten_minutes(10),
            login_device_failures: per_ten_minutes(10),
            reset_ip: per_ten_minutes(20),
            reset_mails_account: Limit {
                max: 3,
                window_secs: ONE_DAY,
            },
            roster_imports_officer: Limit {
                max: 30,
                window_secs: 3600,
            },
            second_factor_failures_officer: Limit {
                max: 20,
                window_secs: 3600,
            },
            consent_requests_institution: Limit {
                max: 600,
                window_secs: 3600,
            },
            consent_reads_grant: Limit {
                max: 60,
                window_secs: 3600,
            },
            lost_phone_ip: per_ten_minutes(20),
            account_mails: Limit {
                max: 5,
                window_secs: ONE_DAY,
            },
            account_password_tries: per_ten_minutes(5),
            fresh_credentials_account: Limit {
                max: 24,
                window_secs: ONE_DAY,
            },
        }
    }
}

impl RateLimits {
    pub fn login_guard(&self) -> GuardLimits {
        GuardLimits {
            untrusted_failures: self.login_untrusted_failures,
            device_failures: self.login_device_failures,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum RateLimitError {
    #[error("terlalu banyak permintaan (too many requests); retry after {retry_after} s")]
    Limited { retry_after: i64 },
    #[error(transparent)]
    Database(#[from] DbError),
}

crate::database_fault!(RateLimitError);

impl RateLimitError {
    /// The 429 for the person; `None` when the database failed.
    pub fn refusal(&self) -> Option<Refusal> {
        match self {
            RateLimitError::Limited { retry_after } => Some(Self::refusal_after(*retry_after)),
            RateLimitError::Database(_) => None,
        }
    }

    fn refusal_after(retry_after: i64) -> Refusal {
        let minutes = (retry_after + 59) / 60;
        Refusal {
            retry_after: Some(retry_after),
            ..Refusal::new(
                StatusCode::TOO_MANY_REQUESTS,
                "rate-limited",
                &format!("Terlalu banyak percobaan. Coba lagi dalam {minutes} menit"),
                &format!("Too many attempts. Try again in {minutes} minutes"),
            )
        }
    }
}

/// `(now, window length, start of the current window)` of `limit`.
fn current_window(limit: Limit) -> (i64, i64, i64) {
    let now = unix_now();
    let window = limit.window_secs.clamp(1, ONE_DAY);
    (now, window, now - now.rem_euclid(window))
}

/// Counts one hit in `bucket`; refuses when the window's allowance is used up.
pub async fn hit(db: &Db, bucket: &str, limit: Limit) -> Result<(), RateLimitError> {
    let (now, window, window_start) = current_window(limit);
    let hits: i64 = sqlx::query_scalar(
        "INSERT INTO rate_limits (bucket, window_start, hits) VALUES ($1, $2, 1) \
         ON CONFLICT (bucket, window_start) DO UPDATE SET hits = rate_limits.hits + 1 \
         RETURNING hits",
    )
    .bind(bucket)
    .bind(window_start)
    .fetch_one(db.pool())
    .await?;
    // Drop long-gone windows now and then (one hit in 64): the service has no timer.
    if rand_core::RngCore::next_u32(&mut rand_core::OsRng).is_multiple_of(64) {
        forget_old(db).await?;
    }
    if hits > limit.max {
        return Err(RateLimitError::Limited {
            retry_after: (window_start + window - now).max(1),
        });
    }
    Ok(())
}

/// Counts one event in `bucket` inside the caller's transaction without refusing: for
/// counters of failures, which [`used_up`] reads before the next try.
pub async fn charge_in(
    conn: &mut AnyConnection,
    bucket: &str,
    limit: Limit,
) -> Result<(), DbError> {
    let (_, _, window_start) = current_window(limit);
    sqlx::query(
        "INSERT INTO rate_limits (bucket, window_start, hits) VALUES ($1, $2, 1) \
         ON CONFLICT (bucket, window_start) DO UPDATE SET hits = rate_limits.hits + 1",
    )
    .bind(bucket)
    .bind(window_start)
    .execute(conn)
    .await?;
    Ok(())
}

/// Whether `bucket` has used up the current window's allowance: then the seconds until the
/// window ends. Reads only.
pub async fn used_up(db: &Db, bucket: &str, limit: Limit) -> Result<Option<i64>, DbError> {
    let (now, window, window_start) = current_window(limit);
    let hits: Option<i64> =
        sqlx::query_scalar("SELECT hits FROM rate_limits WHERE bucket = $1 AND window_start = $2")
            .bind(bucket)
            .bind(window_start)
            .fetch_optional(db.pool())
            .await?;
    Ok((hits.unwrap_or(0) >= limit.max).then(|| (window_start + window - now).max(1)))
}

/// Forgets every window of `bucket`, inside the caller's transaction.
pub async fn clear_in(conn: &mut AnyConnection, bucket: &str) -> Result<(), DbError> {
    sqlx::query("DELETE FROM rate_limits WHERE bucket = $1")
        .bind(bucket)
        .execute(conn)
        .await?;
    Ok(())
}

/// Drops counters of windows long gone.
async fn forget_old(db: &Db) -> Result<(), DbError> {
    sqlx::query("DELETE FROM rate_limits WHERE window_start < $1")
        .bind(unix_now() - ONE_DAY)
        .execute(db.pool())
        .await?;
    Ok(())
}
