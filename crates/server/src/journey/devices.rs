//! One active device per account, as in the official app. Making a new device the active one
//! revokes what the old one holds: its credential batches (which then appear in the signed
//! revocation list) and every open session.

use ikd_core::account_api::RevocationReason;
use ikd_core::activity::ActivityKind;
use sqlx::AnyConnection;

use axum::http::StatusCode;

use crate::journey::sessions::SubjectKind;
use crate::journey::{activity_log, bundle};
use crate::platform::db::{DbError, unix_now};
use crate::platform::refusal::Refusal;

/// A device id is made by the browser for itself; keep it to a sane alphabet and length.
pub fn valid_device_id(id: &str) -> bool {
    (16..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The refusal for a device id `valid_device_id` rejects.
pub fn invalid_device_refusal() -> Refusal {
    Refusal::new(
        StatusCode::BAD_REQUEST,
        "device-invalid",
        "Identitas perangkat tidak sah. Muat ulang aplikasi",
        "Invalid device id. Reload the app",
    )
}

/// Sets `new_device` active for `nik` inside the caller's transaction. Returns whether
/// another device was replaced.
pub async fn make_active_in(
    conn: &mut AnyConnection,
    nik: &str,
    previous: Option<&str>,
    new_device: &str,
) -> Result<bool, DbError> {
    let now = unix_now();
    let replaced = previous.is_some_and(|old| old != new_device);
    sqlx::query("UPDATE accounts SET active_device_id = $1 WHERE nik = $2")
        .bind(new_device)
        .bind(nik)
        .execute(&mut *conn)
        .await?;
    if let Some(old) = previous.filter(|_| replaced) {
        // Its next refresh is told the card moved, and when.
        sqlx::query("DELETE FROM replaced_devices WHERE device_id = $1 OR device_id = $2")
            .bind(old)
            .bind(new_device)
            .execute(&mut *conn)
            .await?;
        sqlx::query(
            "INSERT INTO replaced_devices (device_id, nik, replaced_at) VALUES ($1, $2, $3)",
        )
        .bind(old)
        .bind(nik)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    }
    if replaced {
        revoke_credentials_in(
            conn,
            nik,
            Some(new_device),
            RevocationReason::DeviceReplaced,
        )
        .await?;
        end_sessions_in(conn, nik, now).await?;
        activity_log::record_in(
            conn,
            nik,
            ActivityKind::DeviceChanged,
            activity_log::CITIZEN,
            "",
        )
        .await?;
    }
    Ok(replaced)
}

/// Revokes the unexpired credential batches of `nik`, except those of `keep_device`.
pub async fn revoke_credentials_in(
    conn: &mut AnyConnection,
    nik: &str,
    keep_device: Option<&str>,
    reason: RevocationReason,
) -> Result<u64, DbError> {
    let now = unix_now();
    let done = sqlx::query(
        "UPDATE credentials SET revoked_at = $1, revocation_reason = $2 \
         WHERE nik = $3 AND revoked_at IS NULL AND valid_until > $1 AND device_id <> $4",
    )
    .bind(now)
    .bind(reason.as_str())
    .bind(nik)
    .bind(keep_device.unwrap_or(""))
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() > 0 {
        bundle::batches_revoked_in(conn, nik).await?;
    }
    Ok(done.rows_affected())
}

/// Ends every open session of citizen `nik` inside the caller's transaction.
pub async fn end_sessions_in(conn: &mut AnyConnection, nik: &str, now: i64) -> Result<(), DbError> {
    sqlx::query(
        "UPDATE sessions SET revoked_at = $1 WHERE subject_kind = $2 AND subject = $3 \
         AND revoked_at IS NULL",
    )
    .bind(now)
    .bind(SubjectKind::Citizen.as_str())
    .bind(nik)
    .execute(&mut *conn)
    .await?;
    Ok(())
}
