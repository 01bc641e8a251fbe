//! "Lupa kata sandi": a reset link by email, then a new password.
//!
//! The request answers the same, with the same work, for every identifier: it checks the
//! captcha and stores the request as typed, nothing else. The mail worker
//! (`journey/mail_worker.rs`) later looks the identifier up; for exactly one activated account
//! it makes a link and queues the mail, within the account's daily allowance, and it drops
//! the rest. So neither the answer nor its timing tells whether an account exists, no answer
//! waits on SMTP, and a stranger cannot flood a mailbox.

use axum::http::StatusCode;
use ikd_core::activity::ActivityKind;
use ikd_core::citizen_api::{PasswordResetConfirm, PasswordResetRequest};
use ikd_core::citizen_password::PasswordRuleError;

use crate::journey::login::{self, find_account, normalize_identifier};
use crate::journey::sessions::{self, SubjectKind};
use crate::platform::captcha::{self, CaptchaRefusal};
use crate::platform::citizen_passwords;
use crate::platform::config::ServiceConfig;
use crate::platform::db::{Db, DbError, unix_now};
use crate::platform::login_guard::{self, Door};
use crate::platform::mail_queue;
use crate::platform::mailer::OutgoingMail;
use crate::platform::password::{self, PasswordError};
use crate::platform::rate_limit::{self, RateLimitError};
use crate::platform::refusal::Refusal;
use crate::platform::tokens;
use crate::platform::work_limits::{Busy, WorkLimits};

pub const RESET_LIFETIME_SECS: i64 = 30 * 60;
/// [`RESET_LIFETIME_SECS`] as the reset mail says it.
const RESET_LIFETIME_MINUTES: i64 = RESET_LIFETIME_SECS / 60;
/// Requests one worker pass turns into mail; the rest wait for the next pass.
const REQUESTS_PER_PASS: i64 = 100;

#[derive(Debug, thiserror::Error)]
pub enum ResetError {
    #[error("reset link invalid or expired")]
    Invalid,
    #[error("password rule: {0}")]
    Password(PasswordRuleError),
    #[error(transparent)]
    Captcha(CaptchaRefusal),
    #[error(transparent)]
    RateLimited(#[from] RateLimitError),
    #[error(transparent)]
    Busy(#[from] Busy),
    #[error("internal: {0}")]
    Internal(String),
    #[error(transparent)]
    Database(#[from] DbError),
}

impl From<PasswordError> for ResetError {
    fn from(err: PasswordError) -> Self {
        match err {
            PasswordError::Busy(busy) => ResetError::Busy(busy),
            PasswordError::Hash(_) => ResetError::Internal(err.to_string()),
        }
    }
}

crate::database_fault!(ResetError);

impl ResetError {
    pub fn refusal(&self) -> Option<Refusal> {
        Some(match self {
            ResetError::Invalid => Refusal::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "reset-invalid",
                "Tautan atur ulang kata sandi tidak berlaku atau sudah kedaluwarsa. Minta tautan baru",
                "The password reset link is invalid or has expired. Ask for a new one",
            ),
            ResetError::Password(err) => citizen_passwords::refusal(*err, "newPassword"),
            ResetError::Captcha(err) => return captcha::refusal(err),
            ResetError::RateLimited(err) => return err.refusal(),
            ResetError::Busy(busy) => busy.refusal(),
            ResetError::Internal(_) | ResetError::Database(_) => return None,
        })
    }
}

/// Stores the request for the mail worker; the same for known and unknown identifiers.
pub async fn request_reset(
    db: &Db,
    config: &ServiceConfig,
    client_ip: &str,
    request: &PasswordResetRequest,
) -> Result<(), ResetError> {
    rate_limit::hit(db, &format!("reset:ip:{client_ip}"), config.limits.reset_ip).await?;
    captcha::consume(db, &request.captcha)
        .await
        .map_err(ResetError::Captcha)?;
    sqlx::query(
        "INSERT INTO password_reset_requests (id, identifier, requested_at) VALUES ($1, $2, $3)",
    )
    .bind(tokens::new_id())
    .bind(normalize_identifier(&request.identifier))
    .bind(unix_now())
    .execute(db.pool())
    .await?;
    Ok(())
}

/// What one pass of [`mail_requested_links`] did with the stored requests.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct RequestsHandled {
    /// Reset mails queued.
    pub mailed: u32,
    /// Requests for no account, for an email several accounts share, or past the account's
    /// daily allowance.
    pub dropped: u32,
}

/// Turns stored requests into queued reset mails (the mail worker's first step). Each request
/// is handled in one transaction with its deletion, so replicas never handle one twice and a
/// crash leaves it to the next pass.
pub async fn mail_requested_links(
    db: &Db,
    config: &ServiceConfig,
) -> Result<RequestsHandled, DbError> {
    let pending: Vec<(String, String)> = sqlx::query_as(
        "SELECT id, identifier FROM password_reset_requests ORDER BY requested_at LIMIT $1",
    )
    .bind(REQUESTS_PER_PASS)
    .fetch_all(db.pool())
    .await?;
    let mut handled = RequestsHandled::default();
    for (id, identifier) in pending {
        let account = find_account(db, &identifier).await?;
        let mut tx = db.pool().begin().await?;
        let taken = sqlx::query("DELETE FROM password_reset_requests WHERE id = $1")
            .bind(&id)
            .execute(&mut *tx)
            .await?;
        if taken.rows_affected() != 1 {
            continue; // another replica handled it
        }
        let Some((nik, email, _, _)) = account else {
            tx.commit().await?;
            handled.dropped += 1;
            continue;
        };
        let allowance = mails_bucket(&nik);
        if rate_limit::used_up(db, &allowance, config.limits.reset_mails_account)
            .await?
            .is_some()
        {
            tracing::warn!("password reset mail withheld: the account's daily allowance is used");
            tx.commit().await?;
            handled.dropped += 1;
            continue;
        }
        let token = tokens::new_token();
        let now = unix_now();
        sqlx::query(
            "INSERT INTO password_resets (token_hash, nik, created_at, expires_at) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(tokens::sha256_hex(&token))
        .bind(&nik)
        .bind(now)
        .bind(now + RESET_LIFETIME_SECS)
        .execute(&mut *tx)
        .await?;
        rate_limit::charge_in(&mut tx, &allowance, config.limits.reset_mails_account).await?;
        mail_queue::enqueue_in(&mut tx, &reset_mail(config, &email, &token)).await?;
        tx.commit().await?;
        handled.mailed += 1;
    }
    Ok(handled)
}

/// The counter of reset mails sent for `nik` today.
pub(crate) fn mails_bucket(nik: &str) -> String {
    format!("reset:mails:{nik}")
}

/// The link carries the token after `#`: a fragment never reaches a server, so it stays out
/// of access logs and proxies; the app reads it and sends it in the body.
fn reset_mail(config: &ServiceConfig, to: &str, token: &str) -> OutgoingMail {
    OutgoingMail {
        to: to.to_owned(),
        subject: "Atur ulang kata sandi IKD / Reset your IKD password".to_owned(),
        body: format!(
            "Seseorang meminta atur ulang kata sandi KTP digital Anda.\n\
             Buka tautan ini dalam {RESET_LIFETIME_MINUTES} menit untuk membuat kata sandi baru:\n\
             {url}/lupa-sandi#token={token}\n\
             \n\
             Jika bukan Anda, abaikan email ini; kata sandi Anda tidak berubah.\n\
             \n\
             ---\n\
             Someone asked to reset your digital KTP password. Open the link above within\n\
             {RESET_LIFETIME_MINUTES} minutes to choose a new one. If it was not you, ignore this email.\n",
            url = config.public_url,
        ),
    }
}

pub async fn confirm_reset(
    db: &Db,
    work: &WorkLimits,
    request: &PasswordResetConfirm,
) -> Result<(), ResetError> {
    let token_hash = tokens::sha256_hex(request.token.trim());
    let row: Option<(String, i64, Option<i64>)> = sqlx::query_as(
        "SELECT nik, expires_at, used_at FROM password_resets WHERE token_hash = $1",
    )
    .bind(&token_hash)
    .fetch_optional(db.pool())
    .await?;
    let Some((nik, expires_at, None)) = row else {
        return Err(ResetError::Invalid);
    };
    if unix_now() >= expires_at {
        return Err(ResetError::Invalid);
    }
    citizen_passwords::check(&request.new_password, &nik).map_err(ResetError::Password)?;
    // Hashed before the link is used up: a busy refusal leaves the link working.
    let new_hash = password::hash_bounded(work, request.new_password.clone()).await?;
    let used = sqlx::query(
        "UPDATE password_resets SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL",
    )
    .bind(unix_now())
    .bind(&token_hash)
    .execute(db.pool())
    .await?;
    if used.rows_affected() != 1 {
        return Err(ResetError::Invalid);
    }
    login::set_password(db, &nik, new_hash, ActivityKind::PasswordReset).await?;
    sessions::revoke_all(db, SubjectKind::Citizen, &nik, None).await?;
    // A browser that knew the old password earns trust again with the new one.
    login_guard::forget_devices(db, Door::Citizen, &nik).await?;
    Ok(())
}
