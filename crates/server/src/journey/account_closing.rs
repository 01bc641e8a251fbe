//! `POST /api/account/close`: the citizen closes their account (UU 27/2022's right to
//! erasure). The password is asked again (a borrowed unlocked phone must not be enough), then
//! one transaction:
//!
//! - revokes every live credential (reason `account-closed`; they go on the signed revocation
//!   list at once), ends every session, revokes live consent grants and declines waiting
//!   requests;
//! - deletes what the service holds only for the account: the email, the phone, the
//!   password, pending codes and requests, the activity log, and from each registration the
//!   selfie, its findings and the contact details;
//! - keeps what the law requires or the service needs to stay honest: the officers' audit
//!   trail (append-only by trigger), each registration as a tombstone (id, desk, status,
//!   decision, officer, times), the credential rows (the revocation list names them until
//!   they expire), consent rows as the institutions' record of what they were granted, and
//!   the kept counts;
//! - marks the account closed and keeps its last password's Argon2id hash, and nothing else
//!   about it, so that a later login with the right password is told `account-closed` (and
//!   how to start again), while a stranger typing the NIK still gets `login-failed`, as for
//!   any NIK. Registering anew at a desk clears the mark.
//!
//! A last mail tells the old address that the account was closed, queued before the address
//! is deleted.

use ikd_core::account_api::{AccountCloseRequest, RevocationReason};
use ikd_core::consent_api::ConsentStatus;

use crate::journey::account_care::{AccountError, mails_bucket};
use crate::journey::devices;
use crate::journey::sessions::Session;
use crate::platform::config::ServiceConfig;
use crate::platform::db::{Db, unix_now};
use crate::platform::login_guard::{self, Door};
use crate::platform::mail_queue;
use crate::platform::mailer::OutgoingMail;
use crate::platform::password;
use crate::platform::rate_limit;

pub async fn close(
    db: &Db,
    config: &ServiceConfig,
    session: &Session,
    request: &AccountCloseRequest,
) -> Result<(), AccountError> {
    let nik = &session.subject;
    let account: Option<(String, Option<String>)> = sqlx::query_as(
        "SELECT email, password_hash FROM accounts WHERE nik = $1 AND password_hash IS NOT NULL",
    )
    .bind(nik)
    .fetch_optional(db.pool())
    .await?;
    let Some((email, Some(hash))) = account else {
        return Err(AccountError::NotFound);
    };
    rate_limit::hit(
        db,
        &format!("close:nik:{nik}"),
        config.limits.account_password_tries,
    )
    .await?;
    if !password::verify_blocking(&config.work, request.password.clone(), hash.clone()).await? {
        return Err(AccountError::PasswordWrong);
    }

    let now = unix_now();
    let mut tx = db.pool().begin().await?;
    devices::revoke_credentials_in(&mut tx, nik, None, RevocationReason::AccountClosed).await?;
    devices::end_sessions_in(&mut tx, nik, now).await?;
    sqlx::query("UPDATE consents SET status = $1, revoked_at = $2 WHERE nik = $3 AND status = $4")
        .bind(ConsentStatus::Revoked.as_str())
        .bind(now)
        .bind(nik)
        .bind(ConsentStatus::Live.as_str())
        .execute(&mut *tx)
        .await?;
    sqlx::query("UPDATE consents SET status = $1, answered_at = $2 WHERE nik = $3 AND status = $4")
        .bind(ConsentStatus::Declined.as_str())
        .bind(now)
        .bind(nik)
        .bind(ConsentStatus::Waiting.as_str())
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "UPDATE registrations SET email = '', phone = '', selfie = $1, selfie_findings = '' \
         WHERE nik = $2",
    )
    .bind(Vec::<u8>::new())
    .bind(nik)
    .execute(&mut *tx)
    .await?;
    for table in [
        "activation_codes",
        "password_resets",
        "email_changes",
        "lost_phone_codes",
        "lost_phone_requests",
        "activity_log",
    ] {
        sqlx::query(&format!("DELETE FROM {table} WHERE nik = $1"))
            .bind(nik)
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query("DELETE FROM password_reset_requests WHERE identifier = $1 OR identifier = $2")
        .bind(nik)
        .bind(&email)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM rate_limits WHERE bucket = $1")
        .bind(mails_bucket(nik))
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "UPDATE accounts SET email = '', phone = '', password_hash = NULL, \
         closed_password_hash = $1, active_device_id = NULL, activated_at = NULL, \
         password_changed_at = NULL, closed_at = $2 WHERE nik = $3",
    )
    .bind(&hash)
    .bind(now)
    .bind(nik)
    .execute(&mut *tx)
    .await?;
    mail_queue::enqueue_in(&mut tx, &closed_mail(&email)).await?;
    tx.commit().await?;
    login_guard::forget_devices(db, Door::Citizen, nik).await?;
    Ok(())
}

fn closed_mail(to: &str) -> OutgoingMail {
    OutgoingMail {
        to: to.to_owned(),
        subject: "Akun IKD ditutup / IKD account closed".to_owned(),
        body: "Akun KTP digital (IKD) Anda ditutup atas permintaan Anda. KTP digital di ponsel \
               Anda dicabut, dan email, nomor HP, kata sandi, swafoto, dan riwayat aktivitas \
               Anda dihapus. Jejak keputusan petugas atas pendaftaran Anda disimpan sesuai \
               ketentuan. Untuk memakai KTP digital lagi, daftar ulang di loket Dukcapil.\n\
               \n\
               ---\n\
               Your digital KTP (IKD) account was closed at your request. The digital KTP on \
               your phone was revoked, and your email, phone number, password, selfie and \
               activity history were deleted. The trail of officers' decisions on your \
               registration is kept as the law requires. To use the digital KTP again, \
               register anew at a Dukcapil desk.\n"
            .to_owned(),
    }
}
