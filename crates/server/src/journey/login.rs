//! Citizen login, logout and change of password ("lupa kata sandi" is `password_reset.rs`).
//! A login names the device; logging in on another device than the active one must be
//! confirmed, and then revokes the old device (one device per account). Guessing is slowed by
//! the login guard (`platform/login_guard.rs`), which never locks the person out.

use axum::http::StatusCode;
use ikd_core::account_api::RevocationReason;
use ikd_core::activity::ActivityKind;
use ikd_core::citizen_api::{ChangePasswordRequest, LoginRequest};
use ikd_core::citizen_password::PasswordRuleError;

use crate::journey::activation::{Browser, NewSession};
use crate::journey::activity_log;
use crate::journey::device_move::{self, MoveStep};
use crate::journey::devices;
use crate::journey::sessions::{self, Session, SubjectKind};
use crate::platform::citizen_passwords;
use crate::platform::config::ServiceConfig;
use crate::platform::db::{Db, DbError, unix_now};
use crate::platform::login_guard::{self, Door, GuardRefusal};
use crate::platform::password::{self, PasswordError};
use crate::platform::rate_limit::{self, RateLimitError};
use crate::platform::refusal::Refusal;
use crate::platform::work_limits::{Busy, WorkLimits};

#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    #[error("wrong identifier or password")]
    Failed,
    #[error("another device is active")]
    DeviceChangeRequired,
    #[error("wrong code for moving phones")]
    MoveCodeInvalid,
    #[error("no live step for moving phones")]
    MoveEnded,
    /// The owner closed the account; told only to whoever types its last password.
    #[error("the account was closed")]
    AccountClosed,
    #[error("invalid device id")]
    Device,
    #[error("wrong current password")]
    WrongCurrentPassword,
    #[error("password rule: {0}")]
    Password(PasswordRuleError),
    #[error(transparent)]
    Guard(#[from] GuardRefusal),
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
                "Akun Anda aktif di perangkat lain. Jika Anda lanjut, kode dikirim ke email Anda; \
                 setelah kode dimasukkan, KTP digital di perangkat lama dicabut",
                "Your account is active on another device. If you go on, a code is sent to your \
                 email; once it is entered, the digital KTP on the old device is revoked",
            ),
            LoginError::MoveCodeInvalid => device_move::code_invalid_refusal(),
            LoginError::MoveEnded => device_move::ended_refusal(),
            LoginError::AccountClosed => Refusal::new(
                StatusCode::FORBIDDEN,
                "account-closed",
                "Akun IKD ini sudah ditutup atas permintaan pemiliknya, dan data pribadinya sudah \
                 dihapus. Untuk memakai KTP digital lagi, daftar ulang di loket Dukcapil",
                "This IKD account was closed at its owner's request and its personal data was \
                 deleted. To use the digital KTP again, register anew at a Dukcapil desk",
            ),
            LoginError::Device => devices::invalid_device_refusal(),
            LoginError::WrongCurrentPassword => Refusal::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "current-password-wrong",
                "Kata sandi saat ini salah",
                "The current password is wrong",
            )
            .field("currentPassword"),
            LoginError::Password(err) => citizen_passwords::refusal(*err, "newPassword"),
            LoginError::Guard(err) => return err.refusal(),
            LoginError::RateLimited(err) => return err.refusal(),
            LoginError::Busy(busy) => busy.refusal(),
            LoginError::Internal(_) | LoginError::Database(_) => return None,
        })
    }
}

/// (nik, email, password hash, active device) of the one activated account found by NIK or
/// email (`identifier` trimmed and lower-cased). `accounts.email` is not unique (a family may share one address, and existing data
/// must keep loading), so an email that several activated accounts share finds none: login
/// and reset then answer as for an unknown account rather than act on an arbitrary one, and
/// the person uses their NIK, which is unique.
pub(crate) async fn find_account(
    db: &Db,
    identifier: &str,
) -> Result<Option<(String, String, String, Option<String>)>, DbError> {
    let mut rows: Vec<(String, String, String, Option<String>)> = sqlx::query_as(
        "SELECT nik, email, password_hash, active_device_id FROM accounts \
         WHERE (nik = $1 OR email = $1) AND password_hash IS NOT NULL LIMIT 2",
    )
    .bind(identifier)
    .fetch_all(db.pool())
    .await?;
    Ok(match rows.len() {
        1 => rows.pop(),
        _ => None,
    })
}

/// The form an identifier is looked up and counted in.
pub(crate) fn normalize_identifier(typed: &str) -> String {
    typed.trim().to_lowercase()
}

/// What a right password leads to.
#[derive(Debug)]
pub enum LoginOutcome {
    /// This browser is (now) the account's device.
    Session(NewSession),
    /// Another device is active and the person chose to move: a code went by email.
    MoveCodeSent(MoveStep),
}

/// `presented_device_token` is the browser's device cookie, if it sent one.
pub async fn login(
    db: &Db,
    config: &ServiceConfig,
    client_ip: &str,
    presented_device_token: Option<&str>,
    request: &LoginRequest,
) -> Result<LoginOutcome, LoginError> {
    rate_limit::hit(db, &format!("login:ip:{client_ip}"), config.limits.login_ip).await?;
    if !devices::valid_device_id(&request.device_id) {
        return Err(LoginError::Device);
    }
    let identifier = normalize_identifier(&request.identifier);
    let account = find_account(db, &identifier).await?;
    // An unknown NIK or email, or an email several accounts share, takes the same steps as a
    // wrong password: the guard's queries, the same Argon2id work, and the same answer.
    // A closed account keeps only its last password's Argon2id hash, so that its owner, and
    // nobody else, learns at login that it was closed. Asked for every login, so every
    // identifier takes the same queries.
    let closed_hash: Option<String> = sqlx::query_scalar(
        "SELECT closed_password_hash FROM accounts WHERE nik = $1 AND closed_at IS NOT NULL",
    )
    .bind(&identifier)
    .fetch_optional(db.pool())
    .await?
    .flatten();
    let (nik, email, previous_device, hash) = match account {
        Some((nik, email, hash, device)) => (Some(nik), email, device, Some(hash)),
        None => (None, String::new(), None, closed_hash.clone()),
    };
    let admission = login_guard::admit(
        db,
        config.limits.login_guard(),
        Door::Citizen,
        &identifier,
        nik.as_deref(),
        presented_device_token,
        request.captcha.as_ref(),
    )
    .await?;
    let password_ok =
        password::verify_or_dummy_blocking(&config.work, request.password.clone(), hash).await?;
    if nik.is_none() && closed_hash.is_some() && password_ok {
        return Err(LoginError::AccountClosed);
    }
    let Some(nik) = nik.filter(|_| password_ok) else {
        login_guard::failed(db, &admission).await?;
        return Err(LoginError::Failed);
    };
    let switching = previous_device
        .as_deref()
        .is_some_and(|old| old != request.device_id);
    if switching && !request.replace_device {
        return Err(LoginError::DeviceChangeRequired);
    }
    if switching {
        // The password alone does not move the card: the emailed code must follow.
        let step = device_move::start(db, config, &nik, &email, &request.device_id).await?;
        return Ok(LoginOutcome::MoveCodeSent(step));
    }
    let tx = db.pool().begin().await?;
    Ok(LoginOutcome::Session(
        NewSession::start(
            db,
            config,
            tx,
            &nik,
            previous_device.as_deref(),
            Browser {
                device_id: &request.device_id,
                device_token: presented_device_token,
            },
            ActivityKind::Login,
        )
        .await?,
    ))
}

/// Ends the session. The device's credentials are revoked too: the app wipes its local copy
/// on logout, and a copy someone kept must not stay valid.
pub async fn logout(db: &Db, session: &Session) -> Result<(), LoginError> {
    let mut tx = db.pool().begin().await?;
    if let Some(device) = &session.device_id {
        sqlx::query(
            "UPDATE credentials SET revoked_at = $1, revocation_reason = $4 \
             WHERE nik = $2 AND device_id = $3 AND revoked_at IS NULL AND valid_until > $1",
        )
        .bind(unix_now())
        .bind(&session.subject)
        .bind(device)
        .bind(RevocationReason::Logout.as_str())
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
pub(crate) async fn set_password(
    db: &Db,
    nik: &str,
    hash: String,
    kind: ActivityKind,
) -> Result<(), DbError> {
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
