//! Desk and drive sessions. An officer opens one; its screen (or a projector, for a drive)
//! shows a QR that rotates every 30 seconds plus a 6-character short code for phones whose
//! camera fails. Neither is stored: both are HMACs of (desk, window) under a service secret,
//! so any replica checks them, and a token from a closed desk or an old window is refused.

use axum::http::StatusCode;
use ikd_core::audit::AuditAction;
use ikd_core::console_api::{DESK_SHORT_CODE_LEN, MAX_DESK_LABEL_CHARS};

use crate::officer::audit::{self, Actor};
use crate::officer::officers::Officer;
use crate::platform::db::{Db, DbError, unix_now};
use crate::platform::refusal::Refusal;
use crate::platform::secrets;
use crate::platform::tokens;

/// The QR and short code change every window; a token is accepted in its own window and the
/// next one, so a citizen who scanned just before the change is not refused (30–60 s).
pub const WINDOW_SECS: i64 = 30;
const KEY_NAME: &str = "desk-token-hmac";
const QR_PREFIX: &str = "IKD-MEJA";

pub use ikd_core::console_api::{Desk, DeskKind, DeskToken};

#[derive(Debug, thiserror::Error)]
pub enum DeskError {
    #[error("desk token invalid or expired")]
    InvalidToken,
    #[error("desk not found")]
    NotFound,
    #[error("desk closed")]
    Closed,
    #[error("not your desk")]
    NotYours,
    #[error("label missing")]
    Label,
    #[error(transparent)]
    Database(#[from] DbError),
}

crate::database_fault!(DeskError);

impl DeskError {
    pub fn refusal(&self) -> Option<Refusal> {
        Some(match self {
            DeskError::InvalidToken => Refusal::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "desk-token-invalid",
                "Kode QR atau kode loket tidak berlaku lagi. Pindai ulang QR di layar petugas",
                "The desk QR or short code is no longer valid. Scan the QR on the officer's screen again",
            )
            .field("deskToken"),
            DeskError::NotFound => Refusal::not_found("Loket", "Desk"),
            DeskError::Closed => Refusal::new(
                StatusCode::CONFLICT,
                "desk-closed",
                "Loket ini sudah ditutup",
                "This desk is closed",
            ),
            DeskError::NotYours => Refusal::forbidden(),
            DeskError::Label => Refusal::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "desk-label",
                &format!("Nama loket wajib diisi (1–{MAX_DESK_LABEL_CHARS} karakter)"),
                &format!("The desk needs a name (1–{MAX_DESK_LABEL_CHARS} characters)"),
            )
            .field("label"),
            DeskError::Database(_) => return None,
        })
    }
}

pub async fn open(
    db: &Db,
    actor: &Actor<'_>,
    kind: DeskKind,
    label: &str,
) -> Result<Desk, DeskError> {
    let officer = actor.officer;
    let label = label.trim();
    if label.is_empty() || label.chars().count() > MAX_DESK_LABEL_CHARS {
        return Err(DeskError::Label);
    }
    let now = unix_now();
    let mut tx = db.pool().begin().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO desks (officer_id, kind, label, region_code, opened_at) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(officer.id)
    .bind(kind.as_str())
    .bind(label)
    .bind(&officer.region_code)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    let detail = format!("{}: {label}", kind.as_str());
    audit::record_in(
        &mut tx,
        actor,
        AuditAction::DeskOpened,
        &id.to_string(),
        &detail,
    )
    .await?;
    tx.commit().await?;
    Ok(Desk {
        id,
        officer_id: officer.id,
        kind,
        label: label.to_owned(),
        region_code: officer.region_code.clone(),
        opened_at: now,
        closed_at: None,
    })
}

#[derive(sqlx::FromRow)]
struct DeskRow {
    id: i64,
    officer_id: i64,
    kind: String,
    label: String,
    region_code: String,
    opened_at: i64,
    closed_at: Option<i64>,
}

const SELECT_DESK: &str =
    "SELECT id, officer_id, kind, label, region_code, opened_at, closed_at FROM desks";

impl DeskRow {
    fn into_desk(self) -> Result<Desk, DeskError> {
        Ok(Desk {
            id: self.id,
            officer_id: self.officer_id,
            kind: DeskKind::parse(&self.kind).ok_or(DeskError::NotFound)?,
            label: self.label,
            region_code: self.region_code,
            opened_at: self.opened_at,
            closed_at: self.closed_at,
        })
    }
}

pub async fn find(db: &Db, id: i64) -> Result<Desk, DeskError> {
    let row: Option<DeskRow> = sqlx::query_as(&format!("{SELECT_DESK} WHERE id = $1"))
        .bind(id)
        .fetch_optional(db.pool())
        .await?;
    row.ok_or(DeskError::NotFound)?.into_desk()
}

/// The officer's own open desks, newest first.
pub async fn open_desks_of(db: &Db, officer_id: i64) -> Result<Vec<Desk>, DeskError> {
    let rows: Vec<DeskRow> = sqlx::query_as(&format!(
        "{SELECT_DESK} WHERE officer_id = $1 AND closed_at IS NULL ORDER BY id DESC"
    ))
    .bind(officer_id)
    .fetch_all(db.pool())
    .await?;
    rows.into_iter().map(DeskRow::into_desk).collect()
}

/// A desk the officer may run: their own, a drive's they work, or any in the region of a
/// supervisor or admin.
pub async fn find_for(db: &Db, officer: &Officer, id: i64) -> Result<Desk, DeskError> {
    let desk = find(db, id).await?;
    let allowed = desk.officer_id == officer.id
        || officer.oversees(&desk.region_code)
        || (desk.kind == DeskKind::Drive
            && crate::officer::drives::works_drive_of_desk(db, officer.id, desk.id).await?);
    if allowed {
        Ok(desk)
    } else {
        Err(DeskError::NotYours)
    }
}

/// Closes the desk; closing a closed desk changes nothing and is not recorded again.
pub async fn close(db: &Db, actor: &Actor<'_>, id: i64) -> Result<Desk, DeskError> {
    let mut desk = find_for(db, actor.officer, id).await?;
    if desk.closed_at.is_none() {
        let now = unix_now();
        let mut tx = db.pool().begin().await?;
        let closed =
            sqlx::query("UPDATE desks SET closed_at = $1 WHERE id = $2 AND closed_at IS NULL")
                .bind(now)
                .bind(id)
                .execute(&mut *tx)
                .await?;
        if closed.rows_affected() == 1 {
            let id = id.to_string();
            audit::record_in(&mut tx, actor, AuditAction::DeskClosed, &id, &desk.label).await?;
        }
        tx.commit().await?;
        desk.closed_at = Some(now);
    }
    Ok(desk)
}

fn window_of(now: i64) -> i64 {
    now.div_euclid(WINDOW_SECS)
}

fn qr_mac(key: &[u8], desk_id: i64, window: i64) -> String {
    let mac = tokens::hmac_hex(key, &format!("qr|{desk_id}|{window}"));
    mac[..20].to_owned()
}

fn short_code(key: &[u8], desk_id: i64, window: i64) -> String {
    let mac = tokens::hmac_bytes(key, format!("code|{desk_id}|{window}").as_bytes());
    ikd_core::crockford::encode(&mac, DESK_SHORT_CODE_LEN)
}

/// The token an open desk shows now.
pub async fn current_token(db: &Db, desk: &Desk) -> Result<DeskToken, DeskError> {
    if desk.closed_at.is_some() {
        return Err(DeskError::Closed);
    }
    let key = secrets::get_or_create(db, KEY_NAME).await?;
    let now = unix_now();
    let window = window_of(now);
    Ok(DeskToken {
        qr_text: format!(
            "{QR_PREFIX}:{}:{window}:{}",
            desk.id,
            qr_mac(&key, desk.id, window)
        ),
        short_code: short_code(&key, desk.id, window),
        rotates_at: (window + 1) * WINDOW_SECS,
        expires_at: (window + 2) * WINDOW_SECS,
    })
}

/// The open desk a scanned QR text or typed short code belongs to.
pub async fn resolve_token(db: &Db, text: &str) -> Result<Desk, DeskError> {
    let key = secrets::get_or_create(db, KEY_NAME).await?;
    let window = window_of(unix_now());
    let fresh = |w: i64| w == window || w == window - 1;
    let text = text.trim();
    let desk_id = if let Some(rest) = text
        .strip_prefix(QR_PREFIX)
        .and_then(|r| r.strip_prefix(':'))
    {
        let mut parts = rest.split(':');
        let (Some(id), Some(w), Some(mac), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(DeskError::InvalidToken);
        };
        let (Ok(id), Ok(w)) = (id.parse::<i64>(), w.parse::<i64>()) else {
            return Err(DeskError::InvalidToken);
        };
        if !fresh(w) || !tokens::constant_time_eq(qr_mac(&key, id, w).as_bytes(), mac.as_bytes()) {
            return Err(DeskError::InvalidToken);
        }
        id
    } else {
        let code = ikd_core::crockford::normalize(text).ok_or(DeskError::InvalidToken)?;
        if code.len() != DESK_SHORT_CODE_LEN {
            return Err(DeskError::InvalidToken);
        }
        // Short codes name no desk, so try each open one; there are at most a few thousand
        // and an HMAC takes about a microsecond.
        let open: Vec<i64> = sqlx::query_scalar("SELECT id FROM desks WHERE closed_at IS NULL")
            .fetch_all(db.pool())
            .await?;
        open.into_iter()
            .find(|&id| {
                [window, window - 1].into_iter().any(|w| {
                    tokens::constant_time_eq(short_code(&key, id, w).as_bytes(), code.as_bytes())
                })
            })
            .ok_or(DeskError::InvalidToken)?
    };
    let desk = find(db, desk_id).await.map_err(|e| match e {
        DeskError::NotFound => DeskError::InvalidToken,
        other => other,
    })?;
    if desk.closed_at.is_some() {
        return Err(DeskError::InvalidToken);
    }
    Ok(desk)
}
