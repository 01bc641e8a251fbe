//! Activation: the code emailed on approval, entered with a captcha, sets the password and
//! makes this device the account's one device. The code is 8 Crockford characters, valid 10
//! minutes, single use, stored as an HMAC; it allows 5 tries, and a NIK allows 100 wrong
//! codes a day (`RateLimits::activate_failures_nik`), counted afresh after a successful
//! activation or an officer's new code.
//!
//! A stranger who knows a NIK must not learn from this route whether it has an account. So
//! until the right code is typed, a NIK with no account, no live code, an expired, used-up or
//! locked code, and one with a live code all get the same refusal after the same work: one
//! HMAC of the typed code, the same reads, and the same transaction of writes (the code's try
//! count, which matches no row when there is no code, and the NIK's failure counter, kept for
//! unknown NIKs as for real ones). Only whoever holds the right code learns that it expired,
//! was used up, or that the NIK is locked.

use axum::http::StatusCode;
use ikd_core::activity::ActivityKind;
use ikd_core::citizen_api::ActivationRequest;
use ikd_core::citizen_password::PasswordRuleError;
use ikd_core::registration_status::RegistrationStatus;
use rand_core::RngCore;
use sqlx::{Any, AnyConnection, Transaction};

use crate::journey::activity_log;
use crate::journey::devices;
use crate::journey::sessions::{self, SubjectKind};
use crate::officer::adoption;
use crate::platform::captcha::{self, CaptchaRefusal};
use crate::platform::citizen_passwords;
use crate::platform::config::ServiceConfig;
use crate::platform::db::{Db, DbError, unix_now};
use crate::platform::login_guard::{self, Door};
use crate::platform::mailer::OutgoingMail;
use crate::platform::password::{self, PasswordError};
use crate::platform::rate_limit::{self, RateLimitError};
use crate::platform::refusal::Refusal;
use crate::platform::secrets;
use crate::platform::tokens;
use crate::platform::work_limits::Busy;

pub const CODE_LEN: usize = 8;
pub const CODE_LIFETIME_SECS: i64 = 10 * 60;
/// [`CODE_LIFETIME_SECS`] as the refusal and the mail say it.
const CODE_LIFETIME_MINUTES: i64 = CODE_LIFETIME_SECS / 60;
pub const ATTEMPTS_PER_CODE: i64 = 5;
const KEY_NAME: &str = "activation-code-hmac";
/// Compared against when the NIK has no live code: not hex, so no HMAC ever equals it, and as
/// long as one, so the comparison costs the same.
const NO_CODE_HASH: &str = "----------------------------------------------------------------";
const _: () = assert!(
    NO_CODE_HASH.len() == 64,
    "as long as an HMAC-SHA-256 in hex"
);

#[derive(Debug, thiserror::Error)]
pub enum ActivationError {
    #[error("invalid NIK")]
    Nik,
    #[error("invalid device id")]
    Device,
    /// Wrong code, or no live code for this NIK, or no account: one answer for all, without
    /// the tries left, which a stranger could compare between NIKs.
    #[error("wrong code")]
    CodeInvalid,
    #[error("code expired")]
    CodeExpired,
    #[error("code tries used up")]
    CodeExhausted,
    #[error("activation locked after too many wrong codes, for {retry_after} s")]
    Locked { retry_after: i64 },
    #[error("password rule: {0}")]
    Password(PasswordRuleError),
    #[error(transparent)]
    Captcha(CaptchaRefusal),
    #[error(transparent)]
    RateLimited(#[from] RateLimitError),
    #[error("password hashing failed: {0}")]
    Hash(String),
    #[error(transparent)]
    Busy(#[from] Busy),
    #[error(transparent)]
    Database(#[from] DbError),
}

crate::database_fault!(ActivationError);

impl ActivationError {
    pub fn refusal(&self) -> Option<Refusal> {
        let unprocessable = StatusCode::UNPROCESSABLE_ENTITY;
        Some(match self {
            ActivationError::Nik => Refusal::new(
                unprocessable,
                "nik-invalid",
                "NIK harus terdiri dari 16 angka",
                "A NIK must consist of 16 digits",
            )
            .field("nik"),
            ActivationError::Device => devices::invalid_device_refusal(),
            ActivationError::CodeInvalid => Refusal::new(
                unprocessable,
                "code-invalid",
                &format!(
                    "Kode aktivasi salah atau tidak berlaku lagi. Sebuah kode berlaku \
                     {CODE_LIFETIME_MINUTES} menit untuk {ATTEMPTS_PER_CODE} kali percobaan; \
                     setelah itu minta kode baru kepada petugas"
                ),
                &format!(
                    "Wrong or no longer valid activation code. A code lasts \
                     {CODE_LIFETIME_MINUTES} minutes and allows {ATTEMPTS_PER_CODE} tries; \
                     after that, ask the officer for a new one"
                ),
            )
            .field("code"),
            ActivationError::CodeExpired => Refusal::new(
                unprocessable,
                "code-expired",
                &format!(
                    "Kode aktivasi sudah kedaluwarsa (berlaku {CODE_LIFETIME_MINUTES} menit). \
                     Minta kode baru kepada petugas"
                ),
                &format!(
                    "The activation code has expired (it lasts {CODE_LIFETIME_MINUTES} minutes). \
                     Ask the officer for a new one"
                ),
            )
            .field("code"),
            ActivationError::CodeExhausted => Refusal::new(
                unprocessable,
                "code-attempts-exhausted",
                &format!(
                    "Kode aktivasi sudah {ATTEMPTS_PER_CODE} kali salah dan tidak berlaku lagi. \
                     Minta kode baru kepada petugas"
                ),
                &format!(
                    "The activation code was wrong {ATTEMPTS_PER_CODE} times and no longer works. \
                     Ask the officer for a new one"
                ),
            )
            .field("code"),
            ActivationError::Locked { retry_after } => {
                let hours = (retry_after + 3599) / 3600;
                Refusal::new(
                    StatusCode::FORBIDDEN,
                    "activation-locked",
                    &format!(
                        "Aktivasi akun ini dikunci sementara karena terlalu banyak kode salah. \
                         Coba lagi dalam {hours} jam, atau minta kode baru kepada petugas Dukcapil"
                    ),
                    &format!(
                        "Activation of this account is locked for now after too many wrong \
                         codes. Try again in {hours} hours, or ask a Dukcapil officer for a new code"
                    ),
                )
            }
            ActivationError::Password(err) => citizen_passwords::refusal(*err, "password"),
            ActivationError::Captcha(err) => return captcha::refusal(err),
            ActivationError::RateLimited(err) => return err.refusal(),
            ActivationError::Busy(busy) => busy.refusal(),
            ActivationError::Hash(_) | ActivationError::Database(_) => return None,
        })
    }
}

/// The browser a login or activation comes from: the app's device id (the account's one
/// active device) and the device cookie it sent, if any (`platform/login_guard.rs`).
#[derive(Debug, Clone, Copy)]
pub struct Browser<'a> {
    pub device_id: &'a str,
    pub device_token: Option<&'a str>,
}

/// A logged-in citizen after activation or login.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSession {
    pub nik: String,
    pub device_id: String,
    pub token: String,
    pub expires_at: i64,
    pub replaced_device: bool,
    /// The device cookie's token: this browser is trusted for the account from now on
    /// (`platform/login_guard.rs`).
    pub trusted_device_token: String,
}

impl NewSession {
    /// The last steps of both activation and login: makes `device_id` the account's one
    /// device and records `kind` inside `tx`, commits, then opens the citizen session.
    pub(crate) async fn start(
        db: &Db,
        config: &ServiceConfig,
        mut tx: Transaction<'_, Any>,
        nik: &str,
        previous_device: Option<&str>,
        browser: Browser<'_>,
        kind: ActivityKind,
    ) -> Result<NewSession, DbError> {
        let device_id = browser.device_id;
        let replaced = devices::make_active_in(&mut tx, nik, previous_device, device_id).await?;
        activity_log::record_in(&mut tx, nik, kind, activity_log::CITIZEN, "").await?;
        tx.commit().await?;
        let (token, expires_at) = sessions::create(
            db,
            SubjectKind::Citizen,
            nik,
            Some(device_id),
            config.citizen_sessions,
        )
        .await?;
        let trusted_device_token =
            login_guard::remember_device(db, Door::Citizen, nik, browser.device_token).await?;
        Ok(NewSession {
            nik: nik.to_owned(),
            device_id: device_id.to_owned(),
            token,
            expires_at,
            replaced_device: replaced,
            trusted_device_token,
        })
    }
}

pub async fn code_key(db: &Db) -> Result<Vec<u8>, DbError> {
    secrets::get_or_create(db, KEY_NAME).await
}

/// The counter of activation tries for `nik` that passed the captcha.
pub(crate) fn attempts_bucket(nik: &str) -> String {
    format!("activate:nik:{nik}")
}

/// The counter of wrong activation codes typed for `nik`, known or not.
pub(crate) fn failures_bucket(nik: &str) -> String {
    format!("activate:failures:{nik}")
}

/// Makes a fresh code for an approved registration (earlier unused codes of the NIK stop
/// working) inside the approval's transaction; returns the code to email. An officer's new
/// code (approval or `review::resend_code`) also lifts a lock: the NIK's count of wrong codes
/// starts afresh.
pub async fn create_code_in(
    conn: &mut AnyConnection,
    key: &[u8],
    registration_id: &str,
    nik: &str,
) -> Result<String, DbError> {
    let mut bytes = [0u8; CODE_LEN];
    rand_core::OsRng.fill_bytes(&mut bytes);
    let code = ikd_core::crockford::encode(&bytes, CODE_LEN);
    let now = unix_now();
    sqlx::query("UPDATE activation_codes SET used_at = $1 WHERE nik = $2 AND used_at IS NULL")
        .bind(now)
        .bind(nik)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO activation_codes (registration_id, nik, code_hash, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(registration_id)
    .bind(nik)
    .bind(tokens::hmac_hex(key, &code))
    .bind(now)
    .bind(now + CODE_LIFETIME_SECS)
    .execute(&mut *conn)
    .await?;
    rate_limit::clear_in(conn, &failures_bucket(nik)).await?;
    Ok(code)
}

/// The code shown grouped in fours (`ABCD-EFGH`), which the form accepts too.
pub fn display_code(code: &str) -> String {
    match (code.get(..4), code.get(4..)) {
        (Some(a), Some(b)) => format!("{a}-{b}"),
        _ => code.to_owned(),
    }
}

pub fn code_mail(config: &ServiceConfig, to: &str, code: &str) -> OutgoingMail {
    let shown = display_code(code);
    OutgoingMail {
        to: to.to_owned(),
        subject: "Kode aktivasi IKD / IKD activation code".to_owned(),
        body: format!(
            "Pendaftaran KTP digital Anda telah disetujui petugas Dukcapil.\n\
             \n\
             Kode aktivasi: {shown}\n\
             \n\
             Masukkan kode ini di aplikasi dalam {CODE_LIFETIME_MINUTES} menit, atau buka tautan berikut:\n\
             {url}/aktivasi#kode={code}\n\
             \n\
             Jangan berikan kode ini kepada siapa pun, termasuk petugas.\n\
             \n\
             ---\n\
             Your digital KTP registration was approved. Activation code: {shown}\n\
             Enter it in the app within {CODE_LIFETIME_MINUTES} minutes. Never share this code with anyone.\n",
            url = config.public_url,
        ),
    }
}

/// The mail to a rejected applicant. A standard reason is written in both languages; an
/// officer's own words as they were written.
pub fn rejection_mail(to: &str, reason: &str) -> OutgoingMail {
    let reason_en = ikd_core::console_api::rejection_reason_en(reason).unwrap_or(reason);
    OutgoingMail {
        to: to.to_owned(),
        subject: "Pendaftaran IKD ditolak / IKD registration rejected".to_owned(),
        body: format!(
            "Pendaftaran KTP digital Anda ditolak petugas Dukcapil.\n\
             Alasan: {reason}\n\
             \n\
             Anda dapat mendaftar ulang di loket Dukcapil.\n\
             \n\
             ---\n\
             Your digital KTP registration was rejected. Reason: {reason_en}\n\
             You may register again at a Dukcapil counter.\n"
        ),
    }
}

pub async fn activate(
    db: &Db,
    config: &ServiceConfig,
    client_ip: &str,
    presented_device_token: Option<&str>,
    request: &ActivationRequest,
) -> Result<NewSession, ActivationError> {
    rate_limit::hit(
        db,
        &format!("activate:ip:{client_ip}"),
        config.limits.activate_ip,
    )
    .await?;
    let nik = request.nik.trim();
    if nik.len() != 16 || !nik.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ActivationError::Nik);
    }
    if !devices::valid_device_id(&request.device_id) {
        return Err(ActivationError::Device);
    }
    captcha::consume(db, &request.captcha)
        .await
        .map_err(ActivationError::Captcha)?;
    // Charged only once the captcha passed: requests with a bad captcha, which cost nothing
    // to make, must not use up the NIK's allowance and lock its owner out.
    rate_limit::hit(db, &attempts_bucket(nik), config.limits.activate_nik).await?;
    citizen_passwords::check(&request.password, nik).map_err(ActivationError::Password)?;

    // From here to the comparison, every NIK takes the same steps (see the module comment).
    let key = code_key(db).await?;
    let account: Option<(Option<String>,)> =
        sqlx::query_as("SELECT active_device_id FROM accounts WHERE nik = $1")
            .bind(nik)
            .fetch_optional(db.pool())
            .await?;
    let code_row: Option<(String, String, i64, i64)> = sqlx::query_as(
        "SELECT registration_id, code_hash, expires_at, attempts FROM activation_codes \
         WHERE nik = $1 AND used_at IS NULL ORDER BY created_at DESC LIMIT 1",
    )
    .bind(nik)
    .fetch_optional(db.pool())
    .await?;
    let failures = failures_bucket(nik);
    let failure_limit = config.limits.activate_failures_nik;
    let locked = rate_limit::used_up(db, &failures, failure_limit).await?;
    let (registration_id, code_hash, expires_at, attempts) =
        code_row.unwrap_or_else(|| (String::new(), NO_CODE_HASH.to_owned(), 0, 0));
    let typed = ikd_core::crockford::normalize(&request.code).unwrap_or_default();
    let typed_hash = tokens::hmac_hex(&key, &typed);
    if !tokens::constant_time_eq(typed_hash.as_bytes(), code_hash.as_bytes()) {
        // The tries left are not shown, and the failures are counted per NIK rather than per
        // account: both would otherwise differ between a real NIK and an unknown one. The
        // code's own count matches no row when there is no live code.
        let mut tx = db.pool().begin().await?;
        sqlx::query(
            "UPDATE activation_codes SET attempts = attempts + 1 WHERE registration_id = $1",
        )
        .bind(&registration_id)
        .execute(&mut *tx)
        .await?;
        rate_limit::charge_in(&mut tx, &failures, failure_limit).await?;
        tx.commit().await?;
        return Err(ActivationError::CodeInvalid);
    }
    // Only the holder of the right code gets here, and may learn why it no longer works.
    let Some((previous_device,)) = account else {
        return Err(ActivationError::CodeInvalid);
    };
    if let Some(retry_after) = locked {
        return Err(ActivationError::Locked { retry_after });
    }
    if unix_now() >= expires_at {
        return Err(ActivationError::CodeExpired);
    }
    if attempts >= ATTEMPTS_PER_CODE {
        return Err(ActivationError::CodeExhausted);
    }

    // Before the code is used up: a busy refusal leaves the code working.
    let password_hash = password::hash_bounded(&config.work, request.password.clone())
        .await
        .map_err(|e| match e {
            PasswordError::Busy(busy) => ActivationError::Busy(busy),
            PasswordError::Hash(_) => ActivationError::Hash(e.to_string()),
        })?;
    let now = unix_now();
    let mut tx = db.pool().begin().await?;
    let used = sqlx::query(
        "UPDATE activation_codes SET used_at = $1 WHERE registration_id = $2 AND used_at IS NULL",
    )
    .bind(now)
    .bind(&registration_id)
    .execute(&mut *tx)
    .await?;
    if used.rows_affected() != 1 {
        // Used a moment ago by a parallel request: single use means single use.
        return Err(ActivationError::CodeInvalid);
    }
    // A success forgets the wrong codes typed before it.
    rate_limit::clear_in(&mut tx, &failures).await?;
    sqlx::query("UPDATE registrations SET status = $2 WHERE id = $1")
        .bind(&registration_id)
        .bind(RegistrationStatus::Activated.as_str())
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "UPDATE accounts SET password_hash = $1, activated_at = $2, password_changed_at = $2 \
         WHERE nik = $3",
    )
    .bind(&password_hash)
    .bind(now)
    .bind(nik)
    .execute(&mut *tx)
    .await?;
    adoption::activated_in(&mut tx, nik, now).await?;
    Ok(NewSession::start(
        db,
        config,
        tx,
        nik,
        previous_device.as_deref(),
        Browser {
            device_id: &request.device_id,
            device_token: presented_device_token,
        },
        ActivityKind::Activated,
    )
    .await?)
}
