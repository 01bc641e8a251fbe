//! Self-service account care (issue 17): what the citizen sees of their account (devices and
//! sessions), a new email address confirmed by a code sent to it, a new phone number, and
//! ending another session of one's own. The lost phone, the copy and the closing have their
//! own files (`lost_phone.rs`, `account_export.rs`, `account_closing.rs`) and share this
//! file's error and codes.
//!
//! `accounts.email` is not unique (a family may share one address), so an address another
//! account uses is accepted like any other: nothing here tells whether it is in use.

use std::collections::BTreeMap;

use axum::http::StatusCode;
use ikd_core::account_api::{
    ACCOUNT_CODE_TTL_SECS, AccountOverview, DeviceView, EmailChangeConfirm, EmailChangeRequest,
    PhoneChange, SessionView,
};
use ikd_core::activity::ActivityKind;
use ikd_core::contact::{self, ContactError};
use rand_core::RngCore;

use crate::journey::activity_log;
use crate::journey::sessions::{Session, SubjectKind};
use crate::platform::config::ServiceConfig;
use crate::platform::db::{Db, DbError, unix_now};
use crate::platform::mail_queue;
use crate::platform::mailer::OutgoingMail;
use crate::platform::password::PasswordError;
use crate::platform::rate_limit::{self, RateLimitError};
use crate::platform::refusal::Refusal;
use crate::platform::secrets;
use crate::platform::tokens;
use crate::platform::work_limits::Busy;

/// Characters of an emailed account code (Crockford base32, as activation codes).
pub const CODE_LEN: usize = 8;
/// Wrong codes before a pending email change or a lost-phone code is dropped.
pub const ATTEMPTS_PER_CODE: i64 = 5;
/// [`ACCOUNT_CODE_TTL_SECS`] as messages and mails say it.
pub const CODE_LIFETIME_MINUTES: i64 = ACCOUNT_CODE_TTL_SECS / 60;
const KEY_NAME: &str = "account-code-hmac";
/// Compared against when there is no live code: not hex, so no HMAC ever equals it, and as
/// long as one, so the comparison costs the same.
pub(crate) const NO_CODE_HASH: &str =
    "----------------------------------------------------------------";
const _: () = assert!(
    NO_CODE_HASH.len() == 64,
    "as long as an HMAC-SHA-256 in hex"
);
/// Characters of a device id shown as its label.
const DEVICE_LABEL_LEN: usize = 8;
/// Characters of a session's opaque id.
const SESSION_ID_LEN: usize = 32;

#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error("contact: {0}")]
    Contact(ContactError, &'static str),
    #[error("the new email is the current one")]
    EmailUnchanged,
    #[error("no email change waits for a code")]
    NoEmailChange,
    #[error("wrong email change code")]
    EmailCodeInvalid,
    #[error("no such session")]
    SessionNotFound,
    #[error("the session making the request")]
    SessionCurrent,
    #[error("invalid NIK")]
    Nik,
    /// Wrong code, no live code, or no account: one answer for all.
    #[error("wrong lost-phone code")]
    LostPhoneCodeInvalid,
    #[error("lost-phone code expired")]
    LostPhoneCodeExpired,
    #[error("wrong password")]
    PasswordWrong,
    #[error("no account or registry record")]
    NotFound,
    #[error(transparent)]
    RateLimited(#[from] RateLimitError),
    #[error(transparent)]
    Busy(#[from] Busy),
    #[error("internal: {0}")]
    Internal(String),
    #[error(transparent)]
    Database(#[from] DbError),
}

crate::database_fault!(AccountError);

impl From<PasswordError> for AccountError {
    fn from(err: PasswordError) -> Self {
        match err {
            PasswordError::Busy(busy) => AccountError::Busy(busy),
            PasswordError::Hash(_) => AccountError::Internal(err.to_string()),
        }
    }
}

impl AccountError {
    pub fn refusal(&self) -> Option<Refusal> {
        let unprocessable = StatusCode::UNPROCESSABLE_ENTITY;
        Some(match self {
            AccountError::Contact(err, field) => Refusal::new(
                unprocessable,
                err.code(),
                &err.message_id(),
                &err.message_en(),
            )
            .field(field),
            AccountError::EmailUnchanged => Refusal::new(
                unprocessable,
                "email-unchanged",
                "Alamat email ini sudah dipakai akun Anda",
                "Your account already uses this email address",
            )
            .field("newEmail"),
            AccountError::NoEmailChange => Refusal::new(
                StatusCode::CONFLICT,
                "email-change-missing",
                &format!(
                    "Tidak ada penggantian email yang menunggu kode, atau kodenya sudah \
                     kedaluwarsa ({CODE_LIFETIME_MINUTES} menit) atau {ATTEMPTS_PER_CODE} kali \
                     salah. Minta kode baru"
                ),
                &format!(
                    "No email change is waiting for a code, or its code expired \
                     ({CODE_LIFETIME_MINUTES} minutes) or was wrong {ATTEMPTS_PER_CODE} times. \
                     Ask for a new code"
                ),
            ),
            AccountError::EmailCodeInvalid => Refusal::new(
                unprocessable,
                "email-code-invalid",
                &format!(
                    "Kode salah. Periksa email yang dikirim ke alamat baru; setelah \
                     {ATTEMPTS_PER_CODE} kali salah, minta kode baru"
                ),
                &format!(
                    "Wrong code. Check the email sent to the new address; after \
                     {ATTEMPTS_PER_CODE} wrong codes, ask for a new one"
                ),
            )
            .field("code"),
            AccountError::SessionNotFound => Refusal::not_found("Sesi", "Session"),
            AccountError::SessionCurrent => Refusal::new(
                StatusCode::CONFLICT,
                "session-current",
                "Ini sesi yang sedang Anda pakai. Untuk mengakhirinya, pilih Keluar",
                "This is the session you are using. To end it, log out",
            ),
            AccountError::Nik => Refusal::new(
                unprocessable,
                "nik-invalid",
                "NIK harus terdiri dari 16 angka",
                "A NIK must consist of 16 digits",
            )
            .field("nik"),
            AccountError::LostPhoneCodeInvalid => Refusal::new(
                unprocessable,
                "lost-phone-code-invalid",
                &format!(
                    "Kode salah atau tidak berlaku lagi. Kode dari email berlaku \
                     {CODE_LIFETIME_MINUTES} menit untuk {ATTEMPTS_PER_CODE} kali percobaan; \
                     setelah itu laporkan lagi dengan NIK dan kata sandi"
                ),
                &format!(
                    "Wrong or no longer valid code. The emailed code lasts \
                     {CODE_LIFETIME_MINUTES} minutes and allows {ATTEMPTS_PER_CODE} tries; \
                     after that, report again with your NIK and password"
                ),
            )
            .field("code"),
            AccountError::LostPhoneCodeExpired => Refusal::new(
                unprocessable,
                "lost-phone-code-expired",
                &format!(
                    "Kode sudah kedaluwarsa (berlaku {CODE_LIFETIME_MINUTES} menit). Laporkan \
                     lagi dengan NIK dan kata sandi"
                ),
                &format!(
                    "The code has expired (it lasts {CODE_LIFETIME_MINUTES} minutes). Report \
                     again with your NIK and password"
                ),
            )
            .field("code"),
            AccountError::PasswordWrong => Refusal::new(
                unprocessable,
                "password-wrong",
                "Kata sandi salah",
                "The password is wrong",
            )
            .field("password"),
            AccountError::NotFound => Refusal::not_found("Akun", "Account"),
            AccountError::RateLimited(err) => return err.refusal(),
            AccountError::Busy(busy) => busy.refusal(),
            AccountError::Internal(_) | AccountError::Database(_) => return None,
        })
    }
}

// ---------------------------------------------------------------------------------------
// Codes, shared with the lost phone.

/// The key account codes are HMACed under; read before any transaction.
pub async fn code_key(db: &Db) -> Result<Vec<u8>, DbError> {
    secrets::get_or_create(db, KEY_NAME).await
}

/// A fresh code: [`CODE_LEN`] Crockford characters.
pub(crate) fn new_code() -> String {
    let mut bytes = [0u8; CODE_LEN];
    rand_core::OsRng.fill_bytes(&mut bytes);
    ikd_core::crockford::encode(&bytes, CODE_LEN)
}

/// The HMAC of what a person typed (spaces, dashes and case forgiven).
pub(crate) fn typed_code_hash(key: &[u8], typed: &str) -> String {
    let typed = ikd_core::crockford::normalize(typed).unwrap_or_default();
    tokens::hmac_hex(key, &typed)
}

/// The counter of codes mailed for `nik` today (email change and lost phone together).
pub(crate) fn mails_bucket(nik: &str) -> String {
    format!("account:mails:{nik}")
}

// ---------------------------------------------------------------------------------------
// The overview.

/// The opaque id of a session: a hash of the token's hash, so it opens nothing.
pub fn session_view_id(token_hash: &str) -> String {
    let mut id = tokens::sha256_hex(&format!("session-view:{token_hash}"));
    id.truncate(SESSION_ID_LEN);
    id
}

/// `GET /api/account`.
pub async fn overview(
    db: &Db,
    config: &ServiceConfig,
    session: &Session,
) -> Result<AccountOverview, AccountError> {
    let nik = &session.subject;
    let now = unix_now();
    let account: Option<(String, String, Option<i64>, Option<String>)> = sqlx::query_as(
        "SELECT email, phone, activated_at, active_device_id FROM accounts \
         WHERE nik = $1 AND password_hash IS NOT NULL",
    )
    .bind(nik)
    .fetch_optional(db.pool())
    .await?;
    let (email, phone, activated_at, active_device) = account.ok_or(AccountError::NotFound)?;
    let pending_email: Option<String> = sqlx::query_scalar(
        "SELECT new_email FROM email_changes WHERE nik = $1 AND expires_at > $2",
    )
    .bind(nik)
    .bind(now)
    .fetch_optional(db.pool())
    .await?;

    let idle = config.citizen_sessions.idle_secs;
    let live: Vec<(String, i64, i64)> = sqlx::query_as(
        "SELECT token_hash, created_at, last_seen_at FROM sessions \
         WHERE subject_kind = $1 AND subject = $2 AND revoked_at IS NULL \
         AND expires_at > $3 AND last_seen_at > $4 ORDER BY created_at DESC",
    )
    .bind(SubjectKind::Citizen.as_str())
    .bind(nik)
    .bind(now)
    .bind(now - idle)
    .fetch_all(db.pool())
    .await?;
    let sessions = live
        .into_iter()
        .map(|(token_hash, created_at, last_seen)| SessionView {
            id: session_view_id(&token_hash),
            created_at,
            last_seen,
            current: token_hash == session.token_hash,
        })
        .collect();

    // Every device the account was used on: from its sessions and its credentials.
    let mut devices: BTreeMap<String, DeviceView> = BTreeMap::new();
    let seen: Vec<(String, i64)> = sqlx::query_as(
        "SELECT device_id, MIN(created_at) FROM sessions \
         WHERE subject_kind = $1 AND subject = $2 AND device_id IS NOT NULL GROUP BY device_id",
    )
    .bind(SubjectKind::Citizen.as_str())
    .bind(nik)
    .fetch_all(db.pool())
    .await?;
    let credentials: Vec<(String, i64, Option<i64>, Option<String>)> = sqlx::query_as(
        "SELECT device_id, issued_at, revoked_at, revocation_reason FROM credentials \
         WHERE nik = $1 ORDER BY issued_at, id",
    )
    .bind(nik)
    .fetch_all(db.pool())
    .await?;
    let active = active_device.as_deref();
    let current = session.device_id.as_deref();
    for (id, at) in &seen {
        device_entry(&mut devices, id, *at, active, current);
    }
    for (id, issued_at, revoked_at, reason) in credentials {
        // The newest credential says whether the device's copy still stands.
        let view = device_entry(&mut devices, &id, issued_at, active, current);
        view.revoked_at = revoked_at;
        view.revocation_reason = reason;
    }
    let mut devices: Vec<DeviceView> = devices.into_values().collect();
    for view in &mut devices {
        if view.active {
            view.revoked_at = None;
            view.revocation_reason = None;
        }
    }
    devices.sort_by_key(|d| std::cmp::Reverse(d.first_seen));

    Ok(AccountOverview {
        nik: nik.clone(),
        email,
        phone,
        activated_at: activated_at.unwrap_or_default(),
        pending_email,
        devices,
        sessions,
    })
}

// ---------------------------------------------------------------------------------------
// Email and phone.

/// The view of device `id`, added when first met; `at` is a time it was seen.
fn device_entry<'a>(
    devices: &'a mut BTreeMap<String, DeviceView>,
    id: &str,
    at: i64,
    active: Option<&str>,
    current: Option<&str>,
) -> &'a mut DeviceView {
    let view = devices.entry(id.to_owned()).or_insert_with(|| DeviceView {
        label: id.chars().take(DEVICE_LABEL_LEN).collect(),
        first_seen: at,
        active: active == Some(id),
        current: current == Some(id),
        revoked_at: None,
        revocation_reason: None,
    });
    view.first_seen = view.first_seen.min(at);
    view
}

/// `POST /api/account/email`: a code to the new address, stored as an HMAC with the pending
/// change (a newer request replaces it). The mail is queued in the same transaction.
pub async fn request_email_change(
    db: &Db,
    config: &ServiceConfig,
    session: &Session,
    request: &EmailChangeRequest,
) -> Result<(), AccountError> {
    let nik = &session.subject;
    let new_email = contact::normalize_email(&request.new_email)
        .map_err(|e| AccountError::Contact(e, "newEmail"))?;
    let current: Option<String> = sqlx::query_scalar(
        "SELECT email FROM accounts WHERE nik = $1 AND password_hash IS NOT NULL",
    )
    .bind(nik)
    .fetch_optional(db.pool())
    .await?;
    let current = current.ok_or(AccountError::NotFound)?;
    if current == new_email {
        return Err(AccountError::EmailUnchanged);
    }
    rate_limit::hit(db, &mails_bucket(nik), config.limits.account_mails).await?;
    let key = code_key(db).await?;
    let code = new_code();
    let now = unix_now();
    let mut tx = db.pool().begin().await?;
    sqlx::query("DELETE FROM email_changes WHERE nik = $1")
        .bind(nik)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO email_changes (nik, new_email, code_hash, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(nik)
    .bind(&new_email)
    .bind(tokens::hmac_hex(&key, &code))
    .bind(now)
    .bind(now + ACCOUNT_CODE_TTL_SECS)
    .execute(&mut *tx)
    .await?;
    mail_queue::enqueue_in(&mut tx, &email_code_mail(&new_email, &code)).await?;
    tx.commit().await?;
    Ok(())
}

fn email_code_mail(to: &str, code: &str) -> OutgoingMail {
    OutgoingMail {
        to: to.to_owned(),
        subject: "Kode ganti email IKD / IKD email change code".to_owned(),
        body: format!(
            "Seseorang meminta alamat ini menjadi email akun KTP digital (IKD).\n\
             Kode / code: {code}\n\
             Masukkan kode ini di aplikasi dalam {CODE_LIFETIME_MINUTES} menit. Jika bukan Anda, \
             abaikan email ini.\n\
             \n\
             ---\n\
             Someone asked to make this address the email of a digital KTP (IKD) account.\n\
             Enter the code above in the app within {CODE_LIFETIME_MINUTES} minutes. If it was \
             not you, ignore this email.\n"
        ),
    }
}

fn email_changed_mail(to: &str) -> OutgoingMail {
    OutgoingMail {
        to: to.to_owned(),
        subject: "Email akun IKD diganti / IKD account email changed".to_owned(),
        body: "Email akun KTP digital Anda baru saja diganti; pesan berikutnya dikirim ke alamat \
               baru. Jika bukan Anda, segera datangi loket Dukcapil.\n\
               \n\
               ---\n\
               The email of your digital KTP account was just changed; further mail goes to \
               the new address. If it was not you, go to a Dukcapil desk at once.\n"
            .to_owned(),
    }
}

/// `POST /api/account/email/confirm`: the right code switches the address and tells the old
/// one; [`ATTEMPTS_PER_CODE`] wrong codes end the pending change.
pub async fn confirm_email_change(
    db: &Db,
    config: &ServiceConfig,
    session: &Session,
    request: &EmailChangeConfirm,
) -> Result<AccountOverview, AccountError> {
    let nik = &session.subject;
    let key = code_key(db).await?;
    let now = unix_now();
    let pending: Option<(String, String, i64, i64)> = sqlx::query_as(
        "SELECT new_email, code_hash, expires_at, attempts FROM email_changes WHERE nik = $1",
    )
    .bind(nik)
    .fetch_optional(db.pool())
    .await?;
    let Some((new_email, code_hash, expires_at, attempts)) = pending else {
        return Err(AccountError::NoEmailChange);
    };
    if now >= expires_at || attempts >= ATTEMPTS_PER_CODE {
        return Err(AccountError::NoEmailChange);
    }
    let typed = typed_code_hash(&key, &request.code);
    if !tokens::constant_time_eq(typed.as_bytes(), code_hash.as_bytes()) {
        let mut tx = db.pool().begin().await?;
        sqlx::query("UPDATE email_changes SET attempts = attempts + 1 WHERE nik = $1")
            .bind(nik)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM email_changes WHERE nik = $1 AND attempts >= $2")
            .bind(nik)
            .bind(ATTEMPTS_PER_CODE)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        return Err(AccountError::EmailCodeInvalid);
    }
    let mut tx = db.pool().begin().await?;
    let taken = sqlx::query("DELETE FROM email_changes WHERE nik = $1 AND code_hash = $2")
        .bind(nik)
        .bind(&code_hash)
        .execute(&mut *tx)
        .await?;
    if taken.rows_affected() != 1 {
        return Err(AccountError::NoEmailChange);
    }
    let old_email: String = sqlx::query_scalar("SELECT email FROM accounts WHERE nik = $1")
        .bind(nik)
        .fetch_one(&mut *tx)
        .await?;
    sqlx::query("UPDATE accounts SET email = $1 WHERE nik = $2")
        .bind(&new_email)
        .bind(nik)
        .execute(&mut *tx)
        .await?;
    activity_log::record_in(
        &mut tx,
        nik,
        ActivityKind::EmailChanged,
        activity_log::CITIZEN,
        "",
    )
    .await?;
    mail_queue::enqueue_in(&mut tx, &email_changed_mail(&old_email)).await?;
    tx.commit().await?;
    overview(db, config, session).await
}

/// `PUT /api/account/phone`.
pub async fn change_phone(
    db: &Db,
    config: &ServiceConfig,
    session: &Session,
    request: &PhoneChange,
) -> Result<AccountOverview, AccountError> {
    let nik = &session.subject;
    let phone =
        contact::normalize_phone(&request.phone).map_err(|e| AccountError::Contact(e, "phone"))?;
    let mut tx = db.pool().begin().await?;
    let changed = sqlx::query(
        "UPDATE accounts SET phone = $1 WHERE nik = $2 AND password_hash IS NOT NULL \
         AND phone <> $1",
    )
    .bind(&phone)
    .bind(nik)
    .execute(&mut *tx)
    .await?;
    if changed.rows_affected() == 1 {
        activity_log::record_in(
            &mut tx,
            nik,
            ActivityKind::PhoneChanged,
            activity_log::CITIZEN,
            "",
        )
        .await?;
    }
    tx.commit().await?;
    overview(db, config, session).await
}

// ---------------------------------------------------------------------------------------
// Sessions.

/// `POST /api/account/sessions/{id}/end`: ends another live session of the same citizen;
/// anyone else's id is not found, like a missing one.
pub async fn end_session(db: &Db, session: &Session, id: &str) -> Result<(), AccountError> {
    let nik = &session.subject;
    let now = unix_now();
    let open: Vec<(String,)> = sqlx::query_as(
        "SELECT token_hash FROM sessions WHERE subject_kind = $1 AND subject = $2 \
         AND revoked_at IS NULL AND expires_at > $3",
    )
    .bind(SubjectKind::Citizen.as_str())
    .bind(nik)
    .bind(now)
    .fetch_all(db.pool())
    .await?;
    let id = id.trim();
    let target = open
        .into_iter()
        .map(|(hash,)| hash)
        .find(|hash| tokens::constant_time_eq(session_view_id(hash).as_bytes(), id.as_bytes()))
        .ok_or(AccountError::SessionNotFound)?;
    if target == session.token_hash {
        return Err(AccountError::SessionCurrent);
    }
    let mut tx = db.pool().begin().await?;
    let ended = sqlx::query(
        "UPDATE sessions SET revoked_at = $1 WHERE token_hash = $2 AND revoked_at IS NULL",
    )
    .bind(now)
    .bind(&target)
    .execute(&mut *tx)
    .await?;
    if ended.rows_affected() != 1 {
        return Err(AccountError::SessionNotFound);
    }
    activity_log::record_in(
        &mut tx,
        nik,
        ActivityKind::SessionEnded,
        activity_log::CITIZEN,
        "",
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
