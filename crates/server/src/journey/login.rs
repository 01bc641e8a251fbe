//! Citizen login, logout, change of password and "lupa kata sandi". A login names the
//! device; logging in on another device than the active one must be confirmed, and then
//! revokes the old device (one device per account).

use axum::http::StatusCode;
use ikd_core::activity::ActivityKind;
use ikd_core::citizen_api::{
    ChangePasswordRequest, LoginRequest, PasswordResetConfirm, PasswordResetRequest,
};
use ikd_core::citizen_password::PasswordRuleError;

use crate::journey::activation::NewSession;
use crate::journey::activity_log;
use crate::journey::devices;
use crate::journey::sessions::{self, Session, SubjectKind};
use crate::platform::captcha::{self, CaptchaRefusal};
use crate::platform::citizen_passwords;
use crate::platform::config::ServiceConfig;
use crate::platform::db::{Db, DbError, unix_now};
use crate::platform::mailer::OutgoingMail;
use crate::platform::password::{self, PasswordError};
use crate::platform::rate_limit::{self, RateLimitError};
use crate::platform::refusal::Refusal;
use crate::platform::tokens;
use crate::platform::work_limits::{Busy, WorkLimits};

pub const RESET_LIFETIME_SECS: i64 = 30 * 60;
/// [`RESET_LIFETIME_SECS`] as the reset mail says it.
const RESET_LIFETIME_MINUTES: i64 = RESET_LIFETIME_SECS / 60;

#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    #[error("wrong identifier or password")]
    Failed,
    #[error("another device is active")]
    DeviceChangeRequired,
    #[error("invalid device id")]
    Device,
    #[error("wrong current password")]
    WrongCurrentPassword,
    #[error("reset link invalid or expired")]
    ResetInvalid,
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

impl From<PasswordError> for LoginError {
    fn from(err: PasswordError) -> Self {
        match err {
            PasswordError::Busy(busy) => LoginError::Busy(busy),
            PasswordError::Hash(_) => LoginError::Internal(err.to_string()),
        }
    }
}

crate::database_fault!(LoginError);

impl LoginError {
    pub fn refusal(&self) -> Option<Refusal> {
        Some(match self {
            LoginError::Failed => Refusal::new(
                StatusCode::UNAUTHORIZED,
                "login-failed",
                "NIK/email atau kata sandi salah, atau akun belum diaktifkan. Jika satu email \
                 dipakai bersama keluarga, masuk dengan NIK",
                "Wrong NIK/email or password, or the account is not activated yet. If your \
                 family shares one email, log in with your NIK",
            ),
            LoginError::DeviceChangeRequired => Refusal::new(
                StatusCode::CONFLICT,
                "device-change-required",
                "Akun Anda aktif di perangkat lain. Jika Anda lanjut masuk di sini, KTP digital di \
                 perangkat lama akan dicabut",
                "Your account is active on another device. If you log in here, the digital KTP on \
                 the old device will be revoked",
            ),
            LoginError::Device => devices::invalid_device_refusal(),
            LoginError::WrongCurrentPassword => Refusal::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "current-password-wrong",
                "Kata sandi saat ini salah",
                "The current password is wrong",
            )
            .field("currentPassword"),
            LoginError::ResetInvalid => Refusal::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "reset-invalid",
                "Tautan atur ulang kata sandi tidak berlaku atau sudah kedaluwarsa. Minta tautan baru",
                "The password reset link is invalid or has expired. Ask for a new one",
            ),
            LoginError::Password(err) => citizen_passwords::refusal(*err, "newPassword"),
            LoginError::Captcha(err) => return captcha::refusal(err),
            LoginError::RateLimited(err) => return err.refusal(),
            LoginError::Busy(busy) => busy.refusal(),
            LoginError::Internal(_) | LoginError::Database(_) => return None,
        })
    }
}

/// (nik, email, password hash, active device) of the one activated account found by NIK or
/// email. `accounts.email` is not unique (a family may share one address, and existing data
/// must keep loading), so an email that several activated accounts share finds none: login
/// and reset then answer as for an unknown account rather than act on an arbitrary one, and
/// the person uses their NIK, which is unique.
async fn find_account(
    db: &Db,
    identifier: &str,
) -> Result<Option<(String, String, String, Option<String>)>, DbError> {
    let identifier = identifier.trim().to_lowercase();
    let mut rows: Vec<(String, String, String, Option<String>)> = sqlx::query_as(
        "SELECT nik, email, password_hash, active_device_id FROM accounts \
         WHERE (nik = $1 OR email = $1) AND password_hash IS NOT NULL LIMIT 2",
    )
    .bind(&identifier)
    .fetch_all(db.pool())
    .await?;
    Ok(match rows.len() {
        1 => rows.pop(),
        _ => None,
    })
}

pub async fn login(
    db: &Db,
    config: &ServiceConfig,
    client_ip: &str,
    request: &LoginRequest,
) -> Result<NewSession, LoginError> {
    rate_limit::hit(db, &format!("login:ip:{client_ip}"), config.limits.login_ip).await?;
    if !devices::valid_device_id(&request.device_id) {
        return Err(LoginError::Device);
    }
    let identifier = request.identifier.trim().to_lowercase();
    rate_limit::hit(
        db,
        &format!("login:acct:{identifier}"),
        config.limits.login_account,
    )
    .await?;
    let account = find_account(db, &identifier).await?;
    // An unknown NIK or email, or an email several accounts share, costs the same Argon2id
    // work as a wrong password and gets the same answer.
    let (nik, previous_device, hash) = match account {
        Some((nik, _email, hash, device)) => (Some(nik), device, Some(hash)),
        None => (None, None, None),
    };
    let password_ok =
        password::verify_or_dummy_blocking(&config.work, request.password.clone(), hash).await?;
    let Some(nik) = nik.filter(|_| password_ok) else {
        return Err(LoginError::Failed);
    };
    let switching = previous_device
        .as_deref()
        .is_some_and(|old| old != request.device_id);
    if switching && !request.replace_device {
        return Err(LoginError::DeviceChangeRequired);
    }
    let tx = db.pool().begin().await?;
    Ok(NewSession::start(
        db,
        config,
        tx,
        &nik,
        previous_device.as_deref(),
        &request.device_id,
        ActivityKind::Login,
    )
    .await?)
}

/// Ends the session. The device's credentials are revoked too: the app wipes its local copy
/// on logout, and a copy someone kept must not stay valid.
pub async fn logout(db: &Db, session: &Session) -> Result<(), LoginError> {
    let mut tx = db.pool().begin().await?;
    if let Some(device) = &session.device_id {
        sqlx::query(
            "UPDATE credentials SET revoked_at = $1, revocation_reason = 'logout' \
             WHERE nik = $2 AND device_id = $3 AND revoked_at IS NULL AND valid_until > $1",
        )
        .bind(unix_now())
        .bind(&session.subject)
        .bind(device)
        .execute(&mut *tx)
        .await?;
        crate::journey::bundle::batches_revoked_in(&mut tx, &session.subject).await?;
    }
    activity_log::record_in(
        &mut tx,
        &session.subject,
        ActivityKind::Logout,
        activity_log::CITIZEN,
        "",
    )
    .await?;
    tx.commit().await?;
    sessions::revoke(db, &session.token_hash).await?;
    Ok(())
}

pub async fn change_password(
    db: &Db,
    work: &WorkLimits,
    session: &Session,
    request: &ChangePasswordRequest,
) -> Result<(), LoginError> {
    let hash: Option<String> =
        sqlx::query_scalar("SELECT password_hash FROM accounts WHERE nik = $1")
            .bind(&session.subject)
            .fetch_optional(db.pool())
            .await?
            .flatten();
    let hash = hash.ok_or(LoginError::WrongCurrentPassword)?;
    if !password::verify_blocking(work, request.current_password.clone(), hash).await? {
        return Err(LoginError::WrongCurrentPassword);
    }
    citizen_passwords::check(&request.new_password, &session.subject)
        .map_err(LoginError::Password)?;
    let new_hash = password::hash_bounded(work, request.new_password.clone()).await?;
    set_password(
        db,
        &session.subject,
        new_hash,
        ActivityKind::PasswordChanged,
    )
    .await?;
    // Other sessions end; the one that made the change stays.
    sessions::revoke_all(
        db,
        SubjectKind::Citizen,
        &session.subject,
        Some(&session.token_hash),
    )
    .await?;
    Ok(())
}

/// Stores a new password's Argon2id `hash`, made by the caller before anything is spent (a
/// reset link, say), so that a busy refusal costs the person nothing.
async fn set_password(
    db: &Db,
    nik: &str,
    hash: String,
    kind: ActivityKind,
) -> Result<(), LoginError> {
    let mut tx = db.pool().begin().await?;
    sqlx::query("UPDATE accounts SET password_hash = $1, password_changed_at = $2 WHERE nik = $3")
        .bind(hash)
        .bind(unix_now())
        .bind(nik)
        .execute(&mut *tx)
        .await?;
    activity_log::record_in(&mut tx, nik, kind, activity_log::CITIZEN, "").await?;
    tx.commit().await?;
    Ok(())
}

/// Emails a reset link when exactly one activated account matches (an email a family shares
/// matches none; the NIK does); answers the same either way.
pub async fn request_reset(
    db: &Db,
    config: &ServiceConfig,
    client_ip: &str,
    request: &PasswordResetRequest,
) -> Result<(), LoginError> {
    rate_limit::hit(db, &format!("reset:ip:{client_ip}"), config.limits.reset_ip).await?;
    captcha::consume(db, &request.captcha)
        .await
        .map_err(LoginError::Captcha)?;
    let Some((nik, email, _, _)) = find_account(db, &request.identifier).await? else {
        return Ok(());
    };
    let token = tokens::new_token();
    let now = unix_now();
    sqlx::query(
        "INSERT INTO password_resets (token_hash, nik, created_at, expires_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(tokens::sha256_hex(&token))
    .bind(&nik)
    .bind(now)
    .bind(now + RESET_LIFETIME_SECS)
    .execute(db.pool())
    .await?;
    let mail = OutgoingMail {
        to: email,
        subject: "Atur ulang kata sandi IKD / Reset your IKD password".to_owned(),
        body: format!(
            "Seseorang meminta atur ulang kata sandi KTP digital Anda.\n\
             Buka tautan ini dalam {RESET_LIFETIME_MINUTES} menit untuk membuat kata sandi baru:\n\
             {url}/lupa-sandi?token={token}\n\
             \n\
             Jika bukan Anda, abaikan email ini; kata sandi Anda tidak berubah.\n\
             \n\
             ---\n\
             Someone asked to reset your digital KTP password. Open the link above within\n\
             {RESET_LIFETIME_MINUTES} minutes to choose a new one. If it was not you, ignore this email.\n",
            url = config.public_url,
        ),
    };
    if let Err(err) = config.mailer.send(&config.mail_from, &mail).await {
        // The answer stays the same, or it would tell who has an account.
        tracing::error!(%err, "reset email not sent");
    }
    Ok(())
}

pub async fn confirm_reset(
    db: &Db,
    work: &WorkLimits,
    request: &PasswordResetConfirm,
) -> Result<(), LoginError> {
    let token_hash = tokens::sha256_hex(request.token.trim());
    let row: Option<(String, i64, Option<i64>)> = sqlx::query_as(
        "SELECT nik, expires_at, used_at FROM password_resets WHERE token_hash = $1",
    )
    .bind(&token_hash)
    .fetch_optional(db.pool())
    .await?;
    let Some((nik, expires_at, None)) = row else {
        return Err(LoginError::ResetInvalid);
    };
    if unix_now() >= expires_at {
        return Err(LoginError::ResetInvalid);
    }
    citizen_passwords::check(&request.new_password, &nik).map_err(LoginError::Password)?;
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
        return Err(LoginError::ResetInvalid);
    }
    set_password(db, &nik, new_hash, ActivityKind::PasswordReset).await?;
    sessions::revoke_all(db, SubjectKind::Citizen, &nik, None).await?;
    Ok(())
}
