//! Moving to a new phone (issue 18): a login on a new browser while another device is active
//! takes the password (as any login, `login.rs`) and then a code mailed to the account's
//! email. Only the code makes the new browser the active device; then the old one's
//! credentials go onto the signed revocation list, its sessions end, and its next refresh is
//! told `device-replaced` with the date.
//!
//! What a stranger gets: an unknown NIK or a wrong password is the login's one refusal, as
//! before; with the password alone, a mail to the owner and nothing else. The step's token is
//! an HttpOnly cookie (stored as SHA-256), the code an account code (`account_care.rs`: HMAC
//! under the same secret); both end after [`DEVICE_MOVE_TTL_SECS`], and
//! [`ATTEMPTS_PER_CODE`] wrong codes burn the step. A fresh login makes a fresh step, so
//! burning one never locks the owner out.

use axum::http::StatusCode;
use ikd_core::activity::ActivityKind;
use ikd_core::citizen_api::{DEVICE_MOVE_TTL_SECS, DeviceMoveStarted};

use crate::journey::account_care::{ATTEMPTS_PER_CODE, code_key, new_code, typed_code_hash};
use crate::journey::activation::{Browser, NewSession};
use crate::journey::login::LoginError;
use crate::journey::sessions::SubjectKind;
use crate::platform::config::ServiceConfig;
use crate::platform::db::{Db, unix_now};
use crate::platform::mail_queue;
use crate::platform::mailer::OutgoingMail;
use crate::platform::rate_limit;
use crate::platform::refusal::Refusal;
use crate::platform::tokens;

/// [`DEVICE_MOVE_TTL_SECS`] as messages and mails say it.
pub const MOVE_LIFETIME_MINUTES: i64 = DEVICE_MOVE_TTL_SECS / 60;

/// A login step started: the token for the step cookie and what the app shows.
#[derive(Debug)]
pub struct MoveStep {
    pub token: String,
    pub started: DeviceMoveStarted,
}

/// The counter of move codes mailed for `nik` (its own, so that moving never spends the
/// allowance of email changes and lost-phone codes).
fn mails_bucket(nik: &str) -> String {
    format!("move:mails:{nik}")
}

/// `b***@contoh.id`: enough for the owner to know where to look.
pub fn mask_email(email: &str) -> String {
    match email.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        None => "***".to_owned(),
    }
}

/// After the password: a fresh code for moving `nik` to `device_id`, mailed to `email` in the
/// transaction that stores it (an earlier step of the account ends).
pub async fn start(
    db: &Db,
    config: &ServiceConfig,
    nik: &str,
    email: &str,
    device_id: &str,
) -> Result<MoveStep, LoginError> {
    rate_limit::hit(db, &mails_bucket(nik), config.limits.account_mails).await?;
    let key = code_key(db).await?;
    let code = new_code();
    let token = tokens::new_token();
    let now = unix_now();
    let expires_at = now + DEVICE_MOVE_TTL_SECS;
    let mut tx = db.pool().begin().await?;
    sqlx::query("DELETE FROM device_moves WHERE nik = $1")
        .bind(nik)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO device_moves (token_hash, nik, device_id, code_hash, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(tokens::sha256_hex(&token))
    .bind(nik)
    .bind(device_id)
    .bind(tokens::hmac_hex(&key, &code))
    .bind(now)
    .bind(expires_at)
    .execute(&mut *tx)
    .await?;
    mail_queue::enqueue_in(&mut tx, &move_code_mail(email, &code)).await?;
    tx.commit().await?;
    let email_hint = mask_email(email);
    Ok(MoveStep {
        token,
        started: DeviceMoveStarted {
            message: format!(
                "Kode pindah ponsel sudah dikirim ke {email_hint}. Masukkan kode itu dalam \
                 {MOVE_LIFETIME_MINUTES} menit; KTP digital di ponsel lama baru dicabut setelah itu"
            ),
            message_en: format!(
                "A code for moving phones was sent to {email_hint}. Enter it within \
                 {MOVE_LIFETIME_MINUTES} minutes; the digital KTP on the old phone is revoked \
                 only then"
            ),
            email_hint,
            expires_at,
        },
    })
}

fn move_code_mail(to: &str, code: &str) -> OutgoingMail {
    OutgoingMail {
        to: to.to_owned(),
        subject: "Kode pindah ponsel IKD / IKD code for moving phones".to_owned(),
        body: format!(
            "Seseorang masuk ke akun KTP digital (IKD) Anda di ponsel atau peramban baru.\n\
             Kode / code: {code}\n\
             Masukkan kode ini di ponsel baru dalam {MOVE_LIFETIME_MINUTES} menit: KTP digital \
             di ponsel lama lalu dicabut. Jika bukan Anda, jangan berikan kode ini kepada \
             siapa pun dan segera ganti kata sandi.\n\
             \n\
             ---\n\
             Someone logged in to your digital KTP (IKD) account on a new phone or browser.\n\
             Enter the code above on the new phone within {MOVE_LIFETIME_MINUTES} minutes: the \
             digital KTP on the old phone is then revoked. If it was not you, give this code \
             to nobody and change your password at once.\n"
        ),
    }
}

/// `device-move-code-invalid`: a wrong code; the step lives on until its last try.
pub fn code_invalid_refusal() -> Refusal {
    Refusal::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "device-move-code-invalid",
        &format!(
            "Kode salah. Periksa email terbaru dari IKD; setelah {ATTEMPTS_PER_CODE} kali \
             salah, masuk lagi untuk kode baru"
        ),
        &format!(
            "Wrong code. Check the newest email from IKD; after {ATTEMPTS_PER_CODE} wrong \
             codes, log in again for a new one"
        ),
    )
    .field("code")
}

/// `device-move-ended`: no step, an expired one, or one burnt by wrong codes.
pub fn ended_refusal() -> Refusal {
    Refusal::new(
        StatusCode::GONE,
        "device-move-ended",
        &format!(
            "Langkah pindah ponsel ini sudah berakhir (kode berlaku {MOVE_LIFETIME_MINUTES} \
             menit dan {ATTEMPTS_PER_CODE} kali coba). Masuk lagi untuk kode baru"
        ),
        &format!(
            "This move to a new phone has ended (the code lasts {MOVE_LIFETIME_MINUTES} \
             minutes and {ATTEMPTS_PER_CODE} tries). Log in again for a new code"
        ),
    )
}

/// `POST /api/session/move`: the step of `token` with the right `typed` code makes its
/// browser the active device (revoking the old one, as [`NewSession::start`] does for any
/// replacement); a wrong one counts against the step.
pub async fn confirm(
    db: &Db,
    config: &ServiceConfig,
    token: Option<&str>,
    presented_device_token: Option<&str>,
    typed: &str,
) -> Result<NewSession, LoginError> {
    let key = code_key(db).await?;
    let token_hash = tokens::sha256_hex(token.unwrap_or_default());
    let now = unix_now();
    let step: Option<(String, String, String, i64, i64)> = sqlx::query_as(
        "SELECT nik, device_id, code_hash, expires_at, attempts FROM device_moves \
         WHERE token_hash = $1",
    )
    .bind(&token_hash)
    .fetch_optional(db.pool())
    .await?;
    let Some((nik, device_id, code_hash, expires_at, attempts)) = step.filter(|_| token.is_some())
    else {
        return Err(LoginError::MoveEnded);
    };
    if now >= expires_at || attempts >= ATTEMPTS_PER_CODE {
        return Err(LoginError::MoveEnded);
    }
    let typed = typed_code_hash(&key, typed);
    if !tokens::constant_time_eq(typed.as_bytes(), code_hash.as_bytes()) {
        let mut tx = db.pool().begin().await?;
        sqlx::query("UPDATE device_moves SET attempts = attempts + 1 WHERE token_hash = $1")
            .bind(&token_hash)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM device_moves WHERE token_hash = $1 AND attempts >= $2")
            .bind(&token_hash)
            .bind(ATTEMPTS_PER_CODE)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        return Err(LoginError::MoveCodeInvalid);
    }
    let mut tx = db.pool().begin().await?;
    // Taken once, even by racing replicas.
    let taken = sqlx::query(
        "DELETE FROM device_moves WHERE token_hash = $1 AND attempts < $2 AND expires_at > $3",
    )
    .bind(&token_hash)
    .bind(ATTEMPTS_PER_CODE)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    if taken.rows_affected() != 1 {
        return Err(LoginError::MoveEnded);
    }
    let previous: Option<Option<String>> = sqlx::query_scalar(
        "SELECT active_device_id FROM accounts WHERE nik = $1 AND password_hash IS NOT NULL",
    )
    .bind(&nik)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(previous) = previous else {
        return Err(LoginError::MoveEnded);
    };
    Ok(NewSession::start(
        db,
        config,
        tx,
        &nik,
        previous.as_deref(),
        Browser {
            device_id: &device_id,
            device_token: presented_device_token,
        },
        ActivityKind::Login,
    )
    .await?)
}

/// When the device of the (ended) session `token` was replaced by another, if it was: the
/// refusal its refresh then gets instead of `login-required`.
pub async fn replaced_refusal(db: &Db, token: &str) -> Result<Option<Refusal>, LoginError> {
    let replaced_at: Option<i64> = sqlx::query_scalar(
        "SELECT r.replaced_at FROM sessions s JOIN replaced_devices r ON r.device_id = s.device_id \
         WHERE s.token_hash = $1 AND s.subject_kind = $2 AND s.subject = r.nik",
    )
    .bind(tokens::sha256_hex(token))
    .bind(SubjectKind::Citizen.as_str())
    .fetch_optional(db.pool())
    .await?;
    Ok(replaced_at.map(device_replaced_refusal))
}

/// `device-replaced` (401), with the day (WIB, UTC+7) the card moved.
pub fn device_replaced_refusal(replaced_at: i64) -> Refusal {
    let days = (replaced_at + 7 * 3600).div_euclid(86_400);
    let day = i32::try_from(days)
        .ok()
        .and_then(ikd_core::date::Date::from_days_since_epoch)
        .map(|d| d.to_string())
        .unwrap_or_default();
    Refusal::new(
        StatusCode::UNAUTHORIZED,
        "device-replaced",
        &format!(
            "Kartu ini sudah dipindahkan ke ponsel lain pada {day}. KTP digital di ponsel ini \
             tidak berlaku lagi"
        ),
        &format!(
            "This card was moved to another phone on {day}. The digital KTP on this phone is \
             no longer valid"
        ),
    )
}
