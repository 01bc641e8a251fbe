//! The officer's side of a registration: the desk queue, the face check (selfie beside the
//! registry photo, with the biodata), and the decision. Approval creates the account and
//! emails an activation code; every decision is logged with the officer's id.

use axum::http::StatusCode;
use ikd_core::activity::ActivityKind;
use ikd_core::audit::AuditAction;
use ikd_core::registration_status::RegistrationStatus;

use crate::journey::activation;
use crate::journey::activity_log;
use crate::journey::desks::{self, Desk, DeskError};
use crate::officer::adoption;
use crate::officer::audit::{self, Actor};
use crate::officer::officers::Officer;
use crate::platform::clock::today_utc;
use crate::platform::config::ServiceConfig;
use crate::platform::db::{Db, DbError, unix_now};
use crate::platform::mail_queue;
use crate::platform::refusal::Refusal;
use crate::registry::lookup;
use crate::registry::photos::{self, RegistryPhoto};

use ikd_core::console_api::{
    BatchDecision, BatchDecisionOutcome, BatchItemOutcome, MAX_BATCH_DECISIONS,
};
pub use ikd_core::console_api::{DecisionOutcome, DecisionRequest, QueueItem, RegistrationDetail};

/// The longest rejection reason, in characters (after trimming); it goes into the mail.
const MAX_REASON_CHARS: usize = 300;

#[derive(Debug, thiserror::Error)]
pub enum ReviewError {
    #[error("registration not found")]
    NotFound,
    #[error("the registry holds no photo of this person")]
    NoRegistryPhoto,
    #[error("already decided")]
    AlreadyDecided,
    #[error("reason required")]
    ReasonRequired,
    #[error("registration is not waiting for activation")]
    NotAwaitingActivation,
    #[error("batch of 0 or more than MAX_BATCH_DECISIONS")]
    BatchSize,
    #[error("the NIK already has an activated account")]
    AccountActive,
    #[error(transparent)]
    Desk(#[from] DeskError),
    #[error(transparent)]
    Database(#[from] DbError),
}

crate::database_fault!(ReviewError);

impl ReviewError {
    pub fn refusal(&self) -> Option<Refusal> {
        Some(match self {
            ReviewError::NotFound => Refusal::not_found("Pendaftaran", "Registration"),
            ReviewError::NoRegistryPhoto => Refusal::new(
                StatusCode::NOT_FOUND,
                "no-registry-photo",
                "Tidak ada foto registri untuk orang ini: cocokkan wajah dengan dokumen lain",
                "The registry holds no photo of this person: check the face against another document",
            ),
            ReviewError::AlreadyDecided => Refusal::new(
                StatusCode::CONFLICT,
                "already-decided",
                "Pendaftaran ini sudah diputuskan",
                "This registration has already been decided",
            ),
            ReviewError::ReasonRequired => Refusal::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "reason-required",
                &format!("Penolakan wajib disertai alasan (1–{MAX_REASON_CHARS} karakter)"),
                &format!("A rejection needs a reason (1–{MAX_REASON_CHARS} characters)"),
            )
            .field("reason"),
            ReviewError::NotAwaitingActivation => Refusal::new(
                StatusCode::CONFLICT,
                "not-awaiting-activation",
                "Kode baru hanya untuk pendaftaran yang disetujui dan belum diaktifkan",
                "A new code is only for a registration that is approved and not yet activated",
            ),
            ReviewError::BatchSize => Refusal::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "batch-size",
                &format!(
                    "Pilih 1 sampai {MAX_BATCH_DECISIONS} pendaftar untuk satu keputusan bersama"
                ),
                &format!("Choose 1 to {MAX_BATCH_DECISIONS} registrations for one batch decision"),
            )
            .field("registrationIds"),
            ReviewError::AccountActive => Refusal::new(
                StatusCode::CONFLICT,
                "account-active",
                "NIK ini sudah punya akun aktif, jadi pendaftaran ini tidak bisa disetujui. Tolak \
                 dengan alasan, dan arahkan warga untuk masuk dengan NIK-nya atau memakai Lupa \
                 kata sandi",
                "This NIK already has an active account, so this registration cannot be approved. \
                 Reject it with a reason, and point the citizen to logging in with their NIK or \
                 to Forgot password",
            ),
            ReviewError::Desk(err) => return err.refusal(),
            ReviewError::Database(_) => return None,
        })
    }
}

/// Pending registrations at a desk, oldest first.
pub async fn queue(db: &Db, desk: &Desk) -> Result<Vec<QueueItem>, DbError> {
    let rows: Vec<(String, String, Option<String>, i64)> = sqlx::query_as(
        "SELECT r.id, r.nik, p.full_name, r.created_at FROM registrations r \
         LEFT JOIN registry_persons p ON p.nik = r.nik \
         WHERE r.desk_id = $1 AND r.status = $2 ORDER BY r.created_at, r.id",
    )
    .bind(desk.id)
    .bind(RegistrationStatus::Pending.as_str())
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(registration_id, nik, full_name, created_at)| QueueItem {
            registration_id,
            nik,
            full_name: full_name.unwrap_or_default(),
            created_at,
            nip: None,
            unit: None,
        })
        .collect())
}

#[derive(sqlx::FromRow)]
struct Row {
    nik: String,
    email: String,
    phone: String,
    desk_id: i64,
    #[sqlx(try_from = "String")]
    status: RegistrationStatus,
    reason: Option<String>,
    created_at: i64,
    selfie_findings: String,
}

/// A registration the officer may see: one at a desk they run or oversee. Anyone else's is
/// answered as not found, so an officer cannot learn which registration ids exist elsewhere.
async fn load_for(db: &Db, officer: &Officer, id: &str) -> Result<Row, ReviewError> {
    let row: Option<Row> = sqlx::query_as(
        "SELECT nik, email, phone, desk_id, status, reason, created_at, selfie_findings \
         FROM registrations WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(db.pool())
    .await?;
    let row = row.ok_or(ReviewError::NotFound)?;
    match desks::find_for(db, officer, row.desk_id).await {
        Ok(_) => Ok(row),
        Err(DeskError::NotYours | DeskError::NotFound) => Err(ReviewError::NotFound),
        Err(err) => Err(err.into()),
    }
}

pub async fn detail(
    db: &Db,
    officer: &Officer,
    id: &str,
) -> Result<RegistrationDetail, ReviewError> {
    let row = load_for(db, officer, id).await?;
    let person = lookup::person(db, &row.nik)
        .await?
        .ok_or(ReviewError::NotFound)?;
    let has_photo = photos::of(db, &row.nik).await? != RegistryPhoto::Missing;
    Ok(RegistrationDetail {
        registration_id: id.to_owned(),
        status: row.status,
        reason: row.reason,
        desk_id: row.desk_id,
        email: row.email,
        phone: row.phone,
        created_at: row.created_at,
        person: person.card,
        selfie_url: format!("/api/officer/registrations/{id}/selfie"),
        selfie_findings: ikd_core::selfie_quality::from_stored(&row.selfie_findings),
        registry_photo_url: has_photo
            .then(|| format!("/api/officer/registrations/{id}/registry-photo")),
    })
}

pub async fn selfie(db: &Db, officer: &Officer, id: &str) -> Result<Vec<u8>, ReviewError> {
    let row = load_for(db, officer, id).await?;
    let selfie: Vec<u8> = sqlx::query_scalar("SELECT selfie FROM registrations WHERE id = $1")
        .bind(id)
        .fetch_one(db.pool())
        .await?;
    log_photo_view(db, officer, &row.nik, ActivityKind::SelfieViewed, id).await?;
    Ok(selfie)
}

/// How long one officer's repeated opening of the same photo counts as one view in the
/// citizen's history (the console loads it again as the officer moves through the queue).
const PHOTO_VIEW_ONCE_SECS: i64 = 600;

/// The citizen's history says which officer opened their selfie or registry photo (issue 17).
async fn log_photo_view(
    db: &Db,
    officer: &Officer,
    nik: &str,
    kind: ActivityKind,
    registration_id: &str,
) -> Result<(), DbError> {
    activity_log::record_unless_recent(
        db,
        nik,
        kind,
        &activity_log::officer_actor(officer.id),
        registration_id,
        PHOTO_VIEW_ONCE_SECS,
    )
    .await
}

/// The photo recorded at e-KTP perekaman: the extract's real photo, or a synthetic person's
/// drawn portrait; `NoRegistryPhoto` (404) for an extract person without one.
pub async fn registry_photo(db: &Db, officer: &Officer, id: &str) -> Result<Vec<u8>, ReviewError> {
    let row = load_for(db, officer, id).await?;
    let person = lookup::person(db, &row.nik)
        .await?
        .ok_or(ReviewError::NotFound)?;
    let photo = photos::of(db, &row.nik)
        .await?
        .large(&person, person.birth_date.age_on(today_utc()))
        .ok_or(ReviewError::NoRegistryPhoto)?;
    log_photo_view(db, officer, &row.nik, ActivityKind::RegistryPhotoViewed, id).await?;
    Ok(photo)
}

pub async fn decide(
    db: &Db,
    config: &ServiceConfig,
    actor: &Actor<'_>,
    id: &str,
    decision: &DecisionRequest,
) -> Result<DecisionOutcome, ReviewError> {
    decide_one(db, config, actor, id, decision, false).await
}

/// One decision; `in_batch` says so in the audit trail.
async fn decide_one(
    db: &Db,
    config: &ServiceConfig,
    actor: &Actor<'_>,
    id: &str,
    decision: &DecisionRequest,
    in_batch: bool,
) -> Result<DecisionOutcome, ReviewError> {
    let officer = actor.officer;
    let row = load_for(db, officer, id).await?;
    if !row.status.is_pending() {
        return Err(ReviewError::AlreadyDecided);
    }
    let reason = decision
        .reason
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty());
    if !decision.approve && reason.is_none_or(|r| r.chars().count() > MAX_REASON_CHARS) {
        return Err(ReviewError::ReasonRequired);
    }
    // Read before the transaction: on SQLite a second connection cannot write while it runs.
    let code_key = activation::code_key(db).await?;
    let now = unix_now();
    let status = RegistrationStatus::decided(decision.approve);
    let mut tx = db.pool().begin().await?;
    let updated = sqlx::query(
        "UPDATE registrations SET status = $1, reason = $2, decided_by = $3, decided_at = $4 \
         WHERE id = $5 AND status = $6",
    )
    .bind(status.as_str())
    .bind(reason)
    .bind(officer.id)
    .bind(now)
    .bind(id)
    .bind(RegistrationStatus::Pending.as_str())
    .execute(&mut *tx)
    .await?;
    if updated.rows_affected() == 0 {
        // Another officer (or replica) decided it a moment ago.
        return Err(ReviewError::AlreadyDecided);
    }
    let log_actor = activity_log::officer_actor(officer.id);
    let code = if decision.approve {
        // One account per NIK: an account not yet activated takes the newer contact details;
        // an activated one is never overwritten (registration refuses such a NIK too, but a
        // registration sent before the activation may still be waiting). Dropping `tx` on the
        // refusal rolls the status change back, so the officer can still reject it.
        let created = sqlx::query(
            "INSERT INTO accounts (nik, email, phone, created_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (nik) DO UPDATE SET email = excluded.email, phone = excluded.phone, \
             closed_at = NULL, closed_password_hash = NULL \
             WHERE accounts.activated_at IS NULL",
        )
        .bind(&row.nik)
        .bind(&row.email)
        .bind(&row.phone)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        if created.rows_affected() == 0 {
            return Err(ReviewError::AccountActive);
        }
        adoption::approved_in(&mut tx, &row.nik, now).await?;
        activity_log::record_in(&mut tx, &row.nik, ActivityKind::Approved, &log_actor, "").await?;
        Some(activation::create_code_in(&mut tx, &code_key, id, &row.nik).await?)
    } else {
        activity_log::record_in(
            &mut tx,
            &row.nik,
            ActivityKind::Rejected,
            &log_actor,
            reason.unwrap_or_default(),
        )
        .await?;
        None
    };
    // Queued in the decision's transaction: the code and its mail commit together, and the
    // officer's answer never waits on SMTP (the mail worker sends it).
    let mail = match &code {
        Some(code) => activation::code_mail(config, &row.email, code),
        None => activation::rejection_mail(&row.email, reason.unwrap_or_default()),
    };
    mail_queue::enqueue_in(&mut tx, &mail).await?;
    let action = if decision.approve {
        AuditAction::DecisionApproved
    } else {
        AuditAction::DecisionRejected
    };
    let detail = match (in_batch, reason.filter(|_| !decision.approve)) {
        (true, Some(reason)) => format!("keputusan bersama: {reason}"),
        (true, None) => "keputusan bersama".to_owned(),
        (false, reason) => reason.unwrap_or_default().to_owned(),
    };
    audit::record_in(&mut tx, actor, action, id, &detail).await?;
    tx.commit().await?;
    let email_sent = true;
    Ok(DecisionOutcome { status, email_sent })
}

/// A new activation code for an approved registration not yet activated: for a code that
/// expired, was used up, or whose email never arrived. Earlier codes stop working.
pub async fn resend_code(
    db: &Db,
    config: &ServiceConfig,
    actor: &Actor<'_>,
    id: &str,
) -> Result<DecisionOutcome, ReviewError> {
    let row = load_for(db, actor.officer, id).await?;
    if row.status != RegistrationStatus::Approved {
        return Err(ReviewError::NotAwaitingActivation);
    }
    let code_key = activation::code_key(db).await?;
    let mut tx = db.pool().begin().await?;
    sqlx::query("DELETE FROM activation_codes WHERE registration_id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let code = activation::create_code_in(&mut tx, &code_key, id, &row.nik).await?;
    mail_queue::enqueue_in(&mut tx, &activation::code_mail(config, &row.email, &code)).await?;
    audit::record_in(&mut tx, actor, AuditAction::CodeResent, id, "").await?;
    tx.commit().await?;
    Ok(DecisionOutcome {
        status: row.status,
        email_sent: true,
    })
}

/// One decision for several people (a drive's batch approval after per-person face checks).
/// Each registration is decided in its own transaction, so one refused does not undo the rest.
pub async fn decide_many(
    db: &Db,
    config: &ServiceConfig,
    actor: &Actor<'_>,
    batch: &BatchDecision,
) -> Result<BatchDecisionOutcome, ReviewError> {
    if batch.registration_ids.is_empty() || batch.registration_ids.len() > MAX_BATCH_DECISIONS {
        return Err(ReviewError::BatchSize);
    }
    let decision = DecisionRequest {
        approve: batch.approve,
        reason: batch.reason.clone(),
    };
    let mut outcome = BatchDecisionOutcome {
        decided: 0,
        refused: 0,
        results: Vec::with_capacity(batch.registration_ids.len()),
    };
    for id in &batch.registration_ids {
        let result = match decide_one(db, config, actor, id, &decision, true).await {
            Ok(decided) => {
                outcome.decided += 1;
                BatchItemOutcome {
                    registration_id: id.clone(),
                    status: Some(decided.status),
                    email_sent: decided.email_sent,
                    problem: None,
                }
            }
            Err(ReviewError::Database(err)) => return Err(ReviewError::Database(err)),
            Err(err) => {
                outcome.refused += 1;
                BatchItemOutcome {
                    registration_id: id.clone(),
                    status: None,
                    email_sent: false,
                    problem: Some(
                        err.refusal()
                            .map_or_else(|| err.to_string(), |r| r.body().message),
                    ),
                }
            }
        };
        outcome.results.push(result);
    }
    Ok(outcome)
}
