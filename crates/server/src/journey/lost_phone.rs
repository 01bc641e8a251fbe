//! "Ponsel hilang": from any browser, with no session, the citizen gives their NIK and
//! password; a code goes to the account's email; the code revokes the active device's
//! credentials (they go on the signed revocation list in the same transaction) and ends every
//! session. No new device is activated: the next login on any phone does that.
//!
//! The report answers the same, with the same work, for an unknown NIK, a wrong password and
//! the right one: one Argon2id verification (against a dummy hash when there is no account),
//! the same reads, and one stored request row, which records whether both were right. The
//! mail worker later turns a right one into a code and a mail, within the account's daily
//! allowance, and drops the rest (as `password_reset.rs` does). Reports are limited per
//! address only: a per-NIK counter would let a stranger lock the person out, and since the
//! answer never says whether the password was right, guessing here learns nothing.
//!
//! The confirmation, like activation, answers an unknown NIK, no code and a wrong code alike,
//! after the same work; [`ATTEMPTS_PER_CODE`] wrong codes drop the code, and a new report
//! makes another.

use ikd_core::account_api::RevocationReason;
use ikd_core::account_api::{ACCOUNT_CODE_TTL_SECS, LostPhoneConfirm, LostPhoneRequest};
use ikd_core::activity::ActivityKind;

use crate::journey::account_care::{
    ATTEMPTS_PER_CODE, AccountError, CODE_LIFETIME_MINUTES, NO_CODE_HASH, code_key, mails_bucket,
    new_code, typed_code_hash,
};
use crate::journey::activity_log;
use crate::journey::devices;
use crate::journey::login::find_account;
use crate::platform::config::ServiceConfig;
use crate::platform::db::{Db, DbError, unix_now};
use crate::platform::login_guard::{self, Door};
use crate::platform::mail_queue;
use crate::platform::mailer::OutgoingMail;
use crate::platform::password;
use crate::platform::rate_limit;
use crate::platform::tokens;

/// Requests one worker pass handles; the rest wait for the next pass.
const REQUESTS_PER_PASS: i64 = 100;

fn well_formed_nik(typed: &str) -> Result<&str, AccountError> {
    let nik = typed.trim();
    if nik.len() == 16 && nik.bytes().all(|b| b.is_ascii_digit()) {
        Ok(nik)
    } else {
        Err(AccountError::Nik)
    }
}

/// `POST /api/lost-phone`: the same for every NIK and password (see the module comment).
pub async fn report(
    db: &Db,
    config: &ServiceConfig,
    client_ip: &str,
    request: &LostPhoneRequest,
) -> Result<(), AccountError> {
    rate_limit::hit(
        db,
        &format!("lost:ip:{client_ip}"),
        config.limits.lost_phone_ip,
    )
    .await?;
    let nik = well_formed_nik(&request.nik)?;
    // By NIK only: an email several accounts share finds none, as at login.
    let account = find_account(db, nik)
        .await?
        .filter(|(found, ..)| found == nik);
    let hash = account.map(|(_, _, hash, _)| hash);
    let known = hash.is_some();
    let password_ok =
        password::verify_or_dummy_blocking(&config.work, request.password.clone(), hash).await?;
    sqlx::query(
        "INSERT INTO lost_phone_requests (id, nik, verified, requested_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(tokens::new_id())
    .bind(nik)
    .bind(i64::from(known && password_ok))
    .bind(unix_now())
    .execute(db.pool())
    .await?;
    Ok(())
}

/// Turns verified reports into codes and queued mails (a mail worker step); each request is
/// handled in one transaction with its deletion, so replicas never handle one twice.
pub async fn mail_requested_codes(db: &Db, config: &ServiceConfig) -> Result<u32, DbError> {
    let pending: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT id, nik, verified FROM lost_phone_requests ORDER BY requested_at LIMIT $1",
    )
    .bind(REQUESTS_PER_PASS)
    .fetch_all(db.pool())
    .await?;
    if pending.is_empty() {
        return Ok(0);
    }
    let key = code_key(db).await?;
    let mut mailed = 0;
    for (id, nik, verified) in pending {
        let email: Option<String> = sqlx::query_scalar(
            "SELECT email FROM accounts WHERE nik = $1 AND password_hash IS NOT NULL",
        )
        .bind(&nik)
        .fetch_optional(db.pool())
        .await?;
        let allowance = mails_bucket(&nik);
        let used_up = rate_limit::used_up(db, &allowance, config.limits.account_mails)
            .await?
            .is_some();
        let mut tx = db.pool().begin().await?;
        let taken = sqlx::query("DELETE FROM lost_phone_requests WHERE id = $1")
            .bind(&id)
            .execute(&mut *tx)
            .await?;
        if taken.rows_affected() != 1 {
            continue; // another replica handled it
        }
        let Some(email) = email.filter(|_| verified == 1 && !used_up) else {
            tx.commit().await?;
            continue;
        };
        let code = new_code();
        let now = unix_now();
        sqlx::query("DELETE FROM lost_phone_codes WHERE nik = $1")
            .bind(&nik)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO lost_phone_codes (nik, code_hash, created_at, expires_at) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(&nik)
        .bind(tokens::hmac_hex(&key, &code))
        .bind(now)
        .bind(now + ACCOUNT_CODE_TTL_SECS)
        .execute(&mut *tx)
        .await?;
        rate_limit::charge_in(&mut tx, &allowance, config.limits.account_mails).await?;
        mail_queue::enqueue_in(&mut tx, &code_mail(&email, &code)).await?;
        tx.commit().await?;
        mailed += 1;
    }
    Ok(mailed)
}

fn code_mail(to: &str, code: &str) -> OutgoingMail {
    OutgoingMail {
        to: to.to_owned(),
        subject: "Kode ponsel hilang IKD / IKD lost phone code".to_owned(),
        body: format!(
            "Seseorang melaporkan ponsel KTP digital Anda hilang, dengan NIK dan kata sandi Anda.\n\
             Kode / code: {code}\n\
             Masukkan kode ini dalam {CODE_LIFETIME_MINUTES} menit untuk mencabut KTP digital di \
             ponsel itu. Jika bukan Anda, abaikan email ini dan segera ganti kata sandi: \
             seseorang mengetahuinya.\n\
             \n\
             ---\n\
             Someone reported the phone holding your digital KTP lost, with your NIK and \
             password. Enter the code above within {CODE_LIFETIME_MINUTES} minutes to revoke the \
             digital KTP on that phone. If it was not you, ignore this email and change your \
             password at once: someone knows it.\n"
        ),
    }
}

/// `POST /api/lost-phone/confirm`: the right code revokes the active device's credentials
/// (reason `lost-phone`) and ends every session, in one transaction.
pub async fn confirm(
    db: &Db,
    config: &ServiceConfig,
    client_ip: &str,
    request: &LostPhoneConfirm,
) -> Result<(), AccountError> {
    rate_limit::hit(
        db,
        &format!("lost:confirm:ip:{client_ip}"),
        config.limits.lost_phone_ip,
    )
    .await?;
    let nik = well_formed_nik(&request.nik)?;
    // From here to the comparison, every NIK takes the same steps.
    let key = code_key(db).await?;
    let row: Option<(String, i64, i64)> = sqlx::query_as(
        "SELECT code_hash, expires_at, attempts FROM lost_phone_codes WHERE nik = $1",
    )
    .bind(nik)
    .fetch_optional(db.pool())
    .await?;
    let (code_hash, expires_at, attempts) = row.unwrap_or_else(|| (NO_CODE_HASH.to_owned(), 0, 0));
    let typed = typed_code_hash(&key, &request.code);
    if !tokens::constant_time_eq(typed.as_bytes(), code_hash.as_bytes())
        || attempts >= ATTEMPTS_PER_CODE
    {
        // Match no row when there is no code.
        let mut tx = db.pool().begin().await?;
        sqlx::query("UPDATE lost_phone_codes SET attempts = attempts + 1 WHERE nik = $1")
            .bind(nik)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM lost_phone_codes WHERE nik = $1 AND attempts >= $2")
            .bind(nik)
            .bind(ATTEMPTS_PER_CODE)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        return Err(AccountError::LostPhoneCodeInvalid);
    }
    // Only the holder of the right code gets here.
    let now = unix_now();
    if now >= expires_at {
        return Err(AccountError::LostPhoneCodeExpired);
    }
    let mut tx = db.pool().begin().await?;
    let taken = sqlx::query("DELETE FROM lost_phone_codes WHERE nik = $1 AND code_hash = $2")
        .bind(nik)
        .bind(&code_hash)
        .execute(&mut *tx)
        .await?;
    if taken.rows_affected() != 1 {
        // Used a moment ago by a parallel request.
        return Err(AccountError::LostPhoneCodeInvalid);
    }
    let device: Option<String> =
        sqlx::query_scalar("SELECT active_device_id FROM accounts WHERE nik = $1")
            .bind(nik)
            .fetch_optional(&mut *tx)
            .await?
            .flatten();
    // Every live credential of the account (only the active device holds any), onto the
    // revocation list in this transaction (`bundle::batches_revoked_in`).
    devices::revoke_credentials_in(&mut tx, nik, None, RevocationReason::LostPhone).await?;
    sqlx::query("UPDATE accounts SET active_device_id = NULL WHERE nik = $1")
        .bind(nik)
        .execute(&mut *tx)
        .await?;
    devices::end_sessions_in(&mut tx, nik, now).await?;
    let label: String = device
        .map(|d| d.chars().take(8).collect())
        .unwrap_or_default();
    activity_log::record_in(
        &mut tx,
        nik,
        ActivityKind::LostPhoneReported,
        activity_log::CITIZEN,
        &label,
    )
    .await?;
    tx.commit().await?;
    // The lost phone's browser is trusted no more: failures there get a captcha.
    login_guard::forget_devices(db, Door::Citizen, nik).await?;
    Ok(())
}
