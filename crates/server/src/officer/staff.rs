//! Supervisors manage the officers of their region: list them with today's decisions, add
//! officers, switch accounts off. Admins may also add supervisors. Nobody manages accounts
//! outside their own region, and nobody switches themselves off.

use axum::http::StatusCode;
use ikd_core::audit::AuditAction;
use ikd_core::console_api::{NewOfficerRequest, OfficerSummary};
use ikd_core::officer::{DECISIONS_WINDOW_HOURS, OfficerRole};
use ikd_core::region;

use crate::officer::audit::{self, Actor};
use crate::officer::officers::{self, NewOfficer, Officer, OfficerError};
use crate::officer::second_factor;
use crate::platform::db::{Db, DbError, unix_now};
use crate::platform::refusal::Refusal;

/// The longest full name of an officer, in characters (after trimming).
const MAX_FULL_NAME_CHARS: usize = 100;

#[derive(Debug, thiserror::Error)]
pub enum StaffError {
    #[error("not allowed")]
    NotAllowed,
    #[error("officer not found")]
    NotFound,
    #[error("cannot disable yourself")]
    SelfDisable,
    #[error("only admins reset a second factor")]
    ResetNotAdmin,
    #[error("full name missing or too long")]
    FullName,
    #[error(transparent)]
    Officer(#[from] OfficerError),
    #[error(transparent)]
    Database(#[from] DbError),
}

crate::database_fault!(StaffError);

impl StaffError {
    pub fn refusal(&self) -> Option<Refusal> {
        Some(match self {
            StaffError::NotAllowed => Refusal::new(
                StatusCode::FORBIDDEN,
                "staff-not-allowed",
                "Anda hanya dapat mengelola petugas di wilayah Anda, dengan peran di bawah peran Anda",
                "You can only manage officers in your region, with a role below yours",
            ),
            StaffError::NotFound => Refusal::not_found("Petugas", "Officer"),
            StaffError::SelfDisable => Refusal::new(
                StatusCode::CONFLICT,
                "staff-self",
                "Anda tidak dapat menonaktifkan akun Anda sendiri",
                "You cannot switch off your own account",
            ),
            StaffError::ResetNotAdmin => Refusal::new(
                StatusCode::FORBIDDEN,
                "staff-reset-admin-only",
                "Hanya admin wilayah yang dapat mengatur ulang faktor kedua petugas",
                "Only an admin of the region can reset an officer's second factor",
            ),
            StaffError::FullName => Refusal::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "staff-invalid",
                &format!("Nama lengkap wajib diisi (1–{MAX_FULL_NAME_CHARS} karakter)"),
                &format!("The full name is required (1–{MAX_FULL_NAME_CHARS} characters)"),
            )
            .field("fullName"),
            StaffError::Officer(err) => return err.refusal(),
            StaffError::Database(_) => return None,
        })
    }
}

/// Whether `manager` may manage an account with this role in this region.
fn may_manage(manager: &Officer, role: OfficerRole, region: &str) -> bool {
    let role_below = match manager.role {
        OfficerRole::Officer => false,
        OfficerRole::Supervisor => role == OfficerRole::Officer,
        OfficerRole::Admin => role != OfficerRole::Admin,
    };
    role_below && region::within(region, &manager.region_code)
}

/// Officers in the viewer's region (supervisors and admins only), by username.
pub async fn list(db: &Db, viewer: &Officer) -> Result<Vec<OfficerSummary>, StaffError> {
    if viewer.role == OfficerRole::Officer {
        return Err(StaffError::NotAllowed);
    }
    let since = unix_now() - DECISIONS_WINDOW_HOURS * 3600;
    // The viewer's region and every region inside it, as a code range rather than LIKE.
    let (below_from, below_to) = region::inside_range(&viewer.region_code);
    let rows: Vec<StaffRow> = sqlx::query_as(
        "SELECT o.id, o.username, o.full_name, o.role, o.region_code, o.disabled_at, \
         (SELECT COUNT(*) FROM registrations r WHERE r.decided_by = o.id AND r.decided_at >= $4) \
         AS decisions FROM officers o \
         WHERE o.region_code = $1 OR (o.region_code >= $2 AND o.region_code < $3) \
         ORDER BY o.username",
    )
    .bind(&viewer.region_code)
    .bind(below_from)
    .bind(below_to)
    .bind(since)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|row| {
            Some(OfficerSummary {
                id: row.id,
                username: row.username,
                full_name: row.full_name,
                role: row.role.parse().ok()?,
                region_name: region::display_name(&row.region_code),
                region_code: row.region_code,
                disabled: row.disabled_at.is_some(),
                decisions_today: row.decisions.max(0) as u64,
            })
        })
        .collect())
}

#[derive(sqlx::FromRow)]
struct StaffRow {
    id: i64,
    username: String,
    full_name: String,
    role: String,
    region_code: String,
    disabled_at: Option<i64>,
    decisions: i64,
}

pub async fn add(
    db: &Db,
    actor: &Actor<'_>,
    request: &NewOfficerRequest,
) -> Result<OfficerSummary, StaffError> {
    let manager = actor.officer;
    let region = request.region_code.trim();
    if !may_manage(manager, request.role, region) {
        return Err(StaffError::NotAllowed);
    }
    let full_name = request.full_name.trim();
    if full_name.is_empty() || full_name.chars().count() > MAX_FULL_NAME_CHARS {
        return Err(StaffError::FullName);
    }
    let id = officers::add(
        db,
        NewOfficer {
            username: request.username.trim().to_owned(),
            full_name: full_name.to_owned(),
            role: request.role,
            region_code: region.to_owned(),
            password: request.password.clone(),
        },
    )
    .await?;
    let detail = format!(
        "{} ({}, {region})",
        request.username.trim(),
        request.role.as_str()
    );
    audit::record(
        db,
        actor,
        AuditAction::OfficerAdded,
        &id.to_string(),
        &detail,
    )
    .await?;
    Ok(OfficerSummary {
        id,
        username: request.username.trim().to_owned(),
        full_name: full_name.to_owned(),
        role: request.role,
        region_code: region.to_owned(),
        region_name: region::display_name(region),
        disabled: false,
        decisions_today: 0,
    })
}

/// Refuses unless `manager` may manage account `id`.
async fn check_manages(db: &Db, manager: &Officer, id: i64) -> Result<(), StaffError> {
    let row: Option<(String, String)> =
        sqlx::query_as("SELECT role, region_code FROM officers WHERE id = $1")
            .bind(id)
            .fetch_optional(db.pool())
            .await?;
    let (role, region) = row.ok_or(StaffError::NotFound)?;
    let role: OfficerRole = role.parse().map_err(|_| StaffError::NotFound)?;
    if !may_manage(manager, role, &region) {
        return Err(StaffError::NotAllowed);
    }
    Ok(())
}

/// Switches a disabled account back on (a mistaken or temporary disabling); the officer logs
/// in again with their own password.
pub async fn enable(db: &Db, actor: &Actor<'_>, id: i64) -> Result<(), StaffError> {
    check_manages(db, actor.officer, id).await?;
    let mut tx = db.pool().begin().await?;
    sqlx::query("UPDATE officers SET disabled_at = NULL WHERE id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    audit::record_in(
        &mut tx,
        actor,
        AuditAction::OfficerEnabled,
        &id.to_string(),
        "",
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Switches an account off and ends its sessions at once.
pub async fn disable(db: &Db, actor: &Actor<'_>, id: i64) -> Result<(), StaffError> {
    if id == actor.officer.id {
        return Err(StaffError::SelfDisable);
    }
    check_manages(db, actor.officer, id).await?;
    let now = unix_now();
    let mut tx = db.pool().begin().await?;
    sqlx::query("UPDATE officers SET disabled_at = $1 WHERE id = $2 AND disabled_at IS NULL")
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "UPDATE sessions SET revoked_at = $1 WHERE subject_kind = 'officer' AND subject = $2 \
         AND revoked_at IS NULL",
    )
    .bind(now)
    .bind(id.to_string())
    .execute(&mut *tx)
    .await?;
    audit::record_in(
        &mut tx,
        actor,
        AuditAction::OfficerDisabled,
        &id.to_string(),
        "",
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// An admin removes an officer's passkeys, authenticator app and recovery codes (a lost or
/// replaced phone): the officer's sessions end and their next login enrols again. Audited.
pub async fn reset_second_factor(db: &Db, actor: &Actor<'_>, id: i64) -> Result<(), StaffError> {
    if actor.officer.role != OfficerRole::Admin {
        return Err(StaffError::ResetNotAdmin);
    }
    check_manages(db, actor.officer, id).await?;
    second_factor::reset(db, actor, id).await?;
    Ok(())
}
