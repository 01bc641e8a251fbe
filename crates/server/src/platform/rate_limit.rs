//! Fixed-window request counters in the database, so every replica counts the same hits.
//! Each bucket names what is limited and for whom (`login:ip:1.2.3.4`, `login:acct:<nik>`).

use axum::http::StatusCode;

use crate::platform::db::{Db, DbError, unix_now};
use crate::platform::refusal::Refusal;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub max: i64,
    pub window_secs: i64,
}

const TEN_MINUTES: i64 = 600;

/// The allowances per window. A drive registers a whole office from one Wi-Fi address, so
/// per-address limits are generous; per-account ones are tight.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimits {
    pub register_ip: Limit,
    pub register_nik: Limit,
    pub activate_ip: Limit,
    pub activate_nik: Limit,
    pub login_ip: Limit,
    pub login_account: Limit,
    pub reset_ip: Limit,
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
            login_ip: per_ten_minutes(120),
            login_account: per_ten_minutes(10),
            reset_ip: per_ten_minutes(20),
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

/// Counts one hit in `bucket`; refuses when the window's allowance is used up.
pub async fn hit(db: &Db, bucket: &str, limit: Limit) -> Result<(), RateLimitError> {
    let now = unix_now();
    let window = limit.window_secs.max(1);
    let window_start = now - now.rem_euclid(window);
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

/// Drops counters of windows long gone.
async fn forget_old(db: &Db) -> Result<(), DbError> {
    sqlx::query("DELETE FROM rate_limits WHERE window_start < $1")
        .bind(unix_now() - 86_400)
        .execute(db.pool())
        .await?;
    Ok(())
}
