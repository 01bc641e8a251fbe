//! An officer lifts the limits strangers ran up against a citizen's NIK: the person stands at
//! the counter with their KTP and cannot wait out a window. Every counter keyed by the NIK
//! starts afresh (login failures from unknown browsers by NIK and by the account's email,
//! wrong activation codes, activation and registration tries, the day's reset mails), and the
//! citizen's activity log names the officer.
//!
//! The answer is the same whether an account exists for the NIK: the counters exist for any
//! NIK a stranger typed, and an officer learns nothing here they could not see at the desk.

use axum::http::StatusCode;
use ikd_core::activity::ActivityKind;
use ikd_core::audit::AuditAction;
use ikd_core::nik::NIK_LEN;

use crate::journey::activation;
use crate::journey::activity_log;
use crate::journey::login::normalize_identifier;
use crate::journey::password_reset;
use crate::journey::registration;
use crate::officer::audit::{self, Actor};
use crate::platform::db::{Db, DbError};
use crate::platform::login_guard::{self, Door};
use crate::platform::rate_limit;
use crate::platform::refusal::Refusal;

#[derive(Debug, thiserror::Error)]
pub enum LockError {
    #[error("not a NIK")]
    Nik,
    #[error(transparent)]
    Database(#[from] DbError),
}

crate::database_fault!(LockError);

impl LockError {
    pub fn refusal(&self) -> Option<Refusal> {
        match self {
            LockError::Nik => Some(
                Refusal::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "nik-format",
                    "NIK harus 16 angka",
                    "A NIK has 16 digits",
                )
                .field("nik"),
            ),
            LockError::Database(_) => None,
        }
    }
}

/// The NIK is the audit row's subject: there is no registration to name, and an inspector
/// must find who touched a person (see migration 0011).
pub async fn lift(db: &Db, actor: &Actor<'_>, nik: &str) -> Result<(), LockError> {
    let officer = actor.officer;
    let nik = nik.trim();
    if nik.len() != NIK_LEN || !nik.bytes().all(|b| b.is_ascii_digit()) {
        return Err(LockError::Nik);
    }
    // Login failures are counted per identifier typed: the NIK's and the account's email's.
    let email: Option<String> = sqlx::query_scalar("SELECT email FROM accounts WHERE nik = $1")
        .bind(nik)
        .fetch_optional(db.pool())
        .await?;
    let mut tx = db.pool().begin().await?;
    login_guard::forget_failures_in(&mut tx, Door::Citizen, nik).await?;
    if let Some(email) = email {
        login_guard::forget_failures_in(&mut tx, Door::Citizen, &normalize_identifier(&email))
            .await?;
    }
    for bucket in [
        activation::failures_bucket(nik),
        activation::attempts_bucket(nik),
        registration::attempts_bucket(nik),
        // A stranger's reset requests can use up the day's reset mails; the person at the
        // counter gets theirs again.
        password_reset::mails_bucket(nik),
    ] {
        rate_limit::clear_in(&mut tx, &bucket).await?;
    }
    activity_log::record_in(
        &mut tx,
        nik,
        ActivityKind::LocksLifted,
        &activity_log::officer_actor(officer.id),
        "",
    )
    .await?;
    audit::record_in(&mut tx, actor, AuditAction::LocksLifted, nik, "").await?;
    tx.commit().await?;
    tracing::info!(officer = officer.id, "attempt locks lifted for a NIK");
    Ok(())
}
