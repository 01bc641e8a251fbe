//! The audit trail (jejak audit, issue 15): one appended row per officer or operator action,
//! with who, when, from where, what and on what. Rows are written inside the action's own
//! transaction where it has one, so an action is recorded if and only if it happened. The
//! database refuses every UPDATE and DELETE on the table (migration 0011); this module only
//! appends and reads.
//!
//! Supervisors and admins read the rows of their region and the regions inside it; admins
//! also see service-wide rows from the command line (issuer key rotation). Plain officers
//! read nothing: the trail is for whoever oversees them.

use axum::http::StatusCode;
use ikd_core::Date;
use ikd_core::audit::{AuditAction, AuditEntry, AuditTrail, MAX_AUDIT_ROWS, OPERATOR_ACTOR};
use ikd_core::officer::OfficerRole;
use ikd_core::region;
use sqlx::AnyConnection;

use crate::officer::officers::Officer;
use crate::platform::csv_out::CsvOut;
use crate::platform::db::{Db, DbError, unix_now};
use crate::platform::refusal::Refusal;

/// The client address recorded for actions taken through the `ikd` command line.
pub const CLI_CLIENT: &str = "cli";

/// Who acts through the API: the signed-in officer and the address the request came from.
#[derive(Debug, Clone, Copy)]
pub struct Actor<'a> {
    pub officer: &'a Officer,
    pub client_ip: &'a str,
}

#[derive(Debug, thiserror::Error)]
pub enum AuditError {
    #[error("only supervisors and admins read the audit trail")]
    NotAllowed,
    #[error("day is not YYYY-MM-DD")]
    Day,
    #[error(transparent)]
    Database(#[from] DbError),
}

crate::database_fault!(AuditError);

impl AuditError {
    pub fn refusal(&self) -> Option<Refusal> {
        Some(match self {
            AuditError::NotAllowed => Refusal::new(
                StatusCode::FORBIDDEN,
                "audit-not-allowed",
                "Jejak audit hanya dapat dibaca pengawas dan admin",
                "Only supervisors and admins can read the audit trail",
            ),
            AuditError::Day => Refusal::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "audit-day",
                "Tanggal harus berbentuk TTTT-BB-HH, misalnya 2026-03-01",
                "The day must be YYYY-MM-DD, for example 2026-03-01",
            )
            .field("day"),
            AuditError::Database(_) => return None,
        })
    }
}

/// Appends one row for an officer's action, inside the caller's transaction.
pub async fn record_in(
    conn: &mut AnyConnection,
    actor: &Actor<'_>,
    action: AuditAction,
    subject: &str,
    detail: &str,
) -> Result<(), DbError> {
    append(
        conn,
        Some(actor.officer.id),
        &actor.officer.username,
        &actor.officer.region_code,
        actor.client_ip,
        action,
        subject,
        detail,
    )
    .await
}

/// Appends one row for an officer's action that has no transaction of its own.
pub async fn record(
    db: &Db,
    actor: &Actor<'_>,
    action: AuditAction,
    subject: &str,
    detail: &str,
) -> Result<(), DbError> {
    let mut conn = db.pool().acquire().await?;
    record_in(&mut conn, actor, action, subject, detail).await
}

/// Appends one service-wide row for an operator's command (`ikd issuer rotate`).
pub async fn record_operator(
    db: &Db,
    action: AuditAction,
    subject: &str,
    detail: &str,
) -> Result<(), DbError> {
    let mut conn = db.pool().acquire().await?;
    record_operator_in(&mut conn, action, subject, detail).await
}

/// The same inside the caller's transaction (`ikd institution disable|rotate-key`).
pub async fn record_operator_in(
    conn: &mut AnyConnection,
    action: AuditAction,
    subject: &str,
    detail: &str,
) -> Result<(), DbError> {
    append(
        conn,
        None,
        OPERATOR_ACTOR,
        "",
        CLI_CLIENT,
        action,
        subject,
        detail,
    )
    .await
}

#[allow(clippy::too_many_arguments)]
async fn append(
    conn: &mut AnyConnection,
    officer_id: Option<i64>,
    actor: &str,
    region_code: &str,
    client_ip: &str,
    action: AuditAction,
    subject: &str,
    detail: &str,
) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO audit_trail (at, officer_id, actor, region_code, client_ip, action, \
         subject, detail) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(unix_now())
    .bind(officer_id)
    .bind(actor)
    .bind(region_code)
    .bind(client_ip)
    .bind(action.as_str())
    .bind(subject)
    .bind(detail)
    .execute(conn)
    .await?;
    Ok(())
}

/// What a reader narrows the trail to.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub officer_id: Option<i64>,
    /// `YYYY-MM-DD`, a UTC day.
    pub day: Option<String>,
}

#[derive(sqlx::FromRow)]
struct AuditRow {
    id: i64,
    at: i64,
    officer_id: Option<i64>,
    actor: String,
    region_code: String,
    client_ip: String,
    action: String,
    subject: String,
    detail: String,
}

/// The rows the viewer may read that match the filter, newest first, at most
/// [`MAX_AUDIT_ROWS`].
pub async fn read(
    db: &Db,
    viewer: &Officer,
    filter: &AuditFilter,
) -> Result<AuditTrail, AuditError> {
    if viewer.role == OfficerRole::Officer {
        return Err(AuditError::NotAllowed);
    }
    let day_start = match filter
        .day
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty())
    {
        Some(day) => {
            let date: Date = day.parse().map_err(|_| AuditError::Day)?;
            Some(i64::from(date.to_days_since_epoch()) * 86_400)
        }
        None => None,
    };
    // The viewer's region and every region inside it, as a code range rather than LIKE;
    // admins also see the service-wide rows of the command line.
    let (below_from, below_to) = region::inside_range(&viewer.region_code);
    let mut sql = String::from(
        "SELECT id, at, officer_id, actor, region_code, client_ip, action, subject, detail \
         FROM audit_trail WHERE (region_code = $1 OR (region_code >= $2 AND region_code < $3) \
         OR region_code = $4)",
    );
    let service_wide = if viewer.role == OfficerRole::Admin {
        ""
    } else {
        viewer.region_code.as_str()
    };
    let mut next = 5;
    if filter.officer_id.is_some() {
        sql.push_str(&format!(" AND officer_id = ${next}"));
        next += 1;
    }
    if day_start.is_some() {
        sql.push_str(&format!(" AND at >= ${} AND at < ${}", next, next + 1));
        next += 2;
    }
    sql.push_str(&format!(" ORDER BY id DESC LIMIT ${next}"));
    let mut query = sqlx::query_as::<_, AuditRow>(&sql)
        .bind(&viewer.region_code)
        .bind(below_from)
        .bind(below_to)
        .bind(service_wide);
    if let Some(officer_id) = filter.officer_id {
        query = query.bind(officer_id);
    }
    if let Some(start) = day_start {
        query = query.bind(start).bind(start + 86_400);
    }
    let limit = i64::try_from(MAX_AUDIT_ROWS).unwrap_or(i64::MAX) + 1;
    let rows = query.bind(limit).fetch_all(db.pool()).await?;
    let truncated = rows.len() > MAX_AUDIT_ROWS;
    let entries = rows
        .into_iter()
        .take(MAX_AUDIT_ROWS)
        .filter_map(|row| {
            Some(AuditEntry {
                id: row.id,
                at: row.at,
                officer_id: row.officer_id,
                actor: row.actor,
                region_code: row.region_code,
                client_ip: row.client_ip,
                action: AuditAction::parse(&row.action)?,
                subject: row.subject,
                detail: row.detail,
            })
        })
        .collect();
    Ok(AuditTrail { entries, truncated })
}

/// The trail as CSV: one row per entry, times in UTC.
pub fn to_csv(trail: &AuditTrail) -> String {
    let mut out = CsvOut::new(&[
        "id",
        "waktu_utc",
        "petugas_id",
        "pelaku",
        "wilayah",
        "alamat_klien",
        "tindakan",
        "subjek",
        "rincian",
    ]);
    for entry in &trail.entries {
        let id = entry.id.to_string();
        let at = utc_text(entry.at);
        let officer = entry
            .officer_id
            .map(|id| id.to_string())
            .unwrap_or_default();
        out.row(&[
            &id,
            &at,
            &officer,
            &entry.actor,
            &entry.region_code,
            &entry.client_ip,
            entry.action.as_str(),
            &entry.subject,
            &entry.detail,
        ]);
    }
    out.finish()
}

/// `YYYY-MM-DD HH:MM:SS` in UTC.
fn utc_text(at: i64) -> String {
    let days = i32::try_from(at.div_euclid(86_400)).unwrap_or(0);
    let secs = at.rem_euclid(86_400);
    let date = Date::from_days_since_epoch(days).map_or_else(String::new, |d| d.to_string());
    format!(
        "{date} {:02}:{:02}:{:02}",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}
