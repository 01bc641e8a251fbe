//! Institutions (banks, hospitals, telcos) that verify citizens' QRs online. Each has a
//! bearer key (stored hashed); online verifications are logged in the citizen's activity
//! history, so people can see who checked their identity. Authorised institutions also hold
//! the AES key of the encrypted QR variant.

use ikd_core::activity::ActivityKind;
use ikd_core::audit::AuditAction;
use ikd_core::claim169::{self, DecodeOptions, HolderBinding};
use ikd_core::trust_documents::TrustListDocument;
use serde::{Deserialize, Serialize};

use crate::journey::activity_log;
use crate::journey::bundle::INSTITUTION_QR_KEY;
use crate::officer::audit;
use crate::platform::db::{Db, DbError, unix_now};
use crate::platform::secrets;
use crate::platform::tokens;
use crate::trust::issuer_keyring;
use crate::trust::revocations;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Institution {
    pub id: i64,
    pub name: String,
}

#[derive(Debug, thiserror::Error)]
pub enum InstitutionError {
    #[error("nama instansi {0:?} sudah terdaftar (institution already exists)")]
    Duplicate(String),
    #[error("nama instansi wajib diisi (institution name required)")]
    Name,
    #[error(transparent)]
    Database(#[from] DbError),
}

crate::database_fault!(InstitutionError);

/// Registers an institution; returns its bearer key (shown once) and the QR decryption key.
pub async fn add(db: &Db, name: &str) -> Result<(String, String), InstitutionError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(InstitutionError::Name);
    }
    let key = tokens::new_token();
    let inserted = sqlx::query(
        "INSERT INTO institutions (name, api_key_hash, created_at) VALUES ($1, $2, $3)",
    )
    .bind(name)
    .bind(tokens::sha256_hex(&key))
    .bind(unix_now())
    .execute(db.pool())
    .await;
    match inserted {
        Ok(_) => {}
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
            return Err(InstitutionError::Duplicate(name.to_owned()));
        }
        Err(e) => return Err(InstitutionError::Database(e.into())),
    }
    let qr_key = secrets::get_or_create(db, INSTITUTION_QR_KEY).await?;
    Ok((key, ikd_core::hex::encode(&qr_key)))
}

pub async fn by_key(db: &Db, bearer: &str) -> Result<Option<Institution>, DbError> {
    let row: Option<(i64, String)> = sqlx::query_as(
        "SELECT id, name FROM institutions WHERE api_key_hash = $1 AND disabled_at IS NULL",
    )
    .bind(tokens::sha256_hex(bearer))
    .fetch_optional(db.pool())
    .await?;
    Ok(row.map(|(id, name)| Institution { id, name }))
}

/// The verdict of an online verification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Verdict {
    pub valid: bool,
    /// `ok`, a Claim 169 decode code (`expired`, `bad-signature`, …) or `revoked`.
    pub code: String,
    pub message: String,
    pub message_en: String,
    pub nik: Option<String>,
    pub full_name: Option<String>,
    pub age_over_17: Option<bool>,
    pub encrypted: bool,
    /// For a QR bound to its holder's phone: how many seconds ago the phone made it (the
    /// service refuses one older than `HOLDER_TOLERANCE_SECS`). None for a plain Claim 169 QR.
    pub shown_seconds_ago: Option<i64>,
}

pub async fn verify(db: &Db, institution: &Institution, qr_text: &str) -> Result<Verdict, DbError> {
    let now = unix_now();
    let published = issuer_keyring::published(db, now).await?;
    let document = TrustListDocument {
        issuer: String::new(),
        issued_at: now,
        keys: published,
    };
    let trust = document.to_trust_list().unwrap_or_default();
    let qr_key = secrets::get_or_create(db, INSTITUTION_QR_KEY).await?;
    let decrypt_key: Option<[u8; 32]> = qr_key.try_into().ok();
    let decoded = claim169::decode(
        qr_text.trim(),
        &DecodeOptions {
            trust: Some(&trust),
            decrypt_key,
            now,
            check_time: true,
            ..DecodeOptions::default()
        },
    );
    let decoded = match decoded {
        Ok(decoded) => decoded,
        Err(err) => {
            return Ok(Verdict {
                valid: false,
                code: err.code().to_owned(),
                message: err.message_id().to_owned(),
                message_en: err.message_en().to_owned(),
                nik: None,
                full_name: None,
                age_over_17: None,
                encrypted: false,
                shown_seconds_ago: None,
            });
        }
    };
    let revoked = match &decoded.meta.cti {
        Some(cti) => revocations::current(db).await?.revokes(cti),
        None => false,
    };
    let nik = decoded.claim169.id.clone();
    if let Some(nik) = &nik {
        activity_log::record(
            db,
            nik,
            ActivityKind::Verified,
            &institution.name,
            if revoked { "dicabut" } else { "sah" },
        )
        .await?;
    }
    let (code, message, message_en) = if revoked {
        (
            "revoked",
            "QR ini sudah dicabut (perangkat pemilik diganti atau keluar)",
            "This QR has been revoked (its holder changed device or logged out)",
        )
    } else {
        (
            "ok",
            "QR sah dan ditandatangani Dukcapil",
            "The QR is valid and signed by Dukcapil",
        )
    };
    Ok(Verdict {
        valid: !revoked,
        code: code.to_owned(),
        message: message.to_owned(),
        message_en: message_en.to_owned(),
        nik,
        full_name: decoded.claim169.full_name.clone(),
        age_over_17: decoded.claim169.age_over_17,
        encrypted: decoded.encrypted,
        shown_seconds_ago: match decoded.holder {
            HolderBinding::Presented { at } => Some(now - at),
            _ => None,
        },
    })
}

// ---------------------------------------------------------------------------------------
// Institutions as parties of their own (issue 17): who calls, listing, switching off, and a
// new bearer key. Operator actions are audited in their own transaction.

/// What a bearer key opens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Caller {
    Active(Institution),
    /// The key is this institution's, but the operator switched it off: refused at once.
    Disabled,
}

/// Who holds `bearer`: an active institution, a switched-off one, or nobody (`None`).
pub async fn caller(db: &Db, bearer: &str) -> Result<Option<Caller>, DbError> {
    let row: Option<(i64, String, Option<i64>)> =
        sqlx::query_as("SELECT id, name, disabled_at FROM institutions WHERE api_key_hash = $1")
            .bind(tokens::sha256_hex(bearer))
            .fetch_optional(db.pool())
            .await?;
    Ok(row.map(|(id, name, disabled_at)| match disabled_at {
        Some(_) => Caller::Disabled,
        None => Caller::Active(Institution { id, name }),
    }))
}

/// One institution as `ikd institution list` prints it (never its key).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
#[serde(rename_all = "camelCase")]
pub struct InstitutionSummary {
    pub id: i64,
    pub name: String,
    pub created_at: i64,
    pub disabled_at: Option<i64>,
    pub key_rotated_at: Option<i64>,
}

pub async fn list(db: &Db) -> Result<Vec<InstitutionSummary>, DbError> {
    Ok(sqlx::query_as(
        "SELECT id, name, created_at, disabled_at, key_rotated_at FROM institutions ORDER BY id",
    )
    .fetch_all(db.pool())
    .await?)
}

/// Why an operator's change to an institution was refused.
#[derive(Debug, thiserror::Error)]
pub enum OperatorError {
    #[error("instansi {0:?} tidak ditemukan (no such institution)")]
    Unknown(String),
    #[error("instansi {0:?} sudah dinonaktifkan (institution already switched off)")]
    Disabled(String),
    #[error(transparent)]
    Database(#[from] DbError),
}

crate::database_fault!(OperatorError);

async fn id_by_name(
    conn: &mut sqlx::AnyConnection,
    name: &str,
) -> Result<(i64, bool), OperatorError> {
    let row: Option<(i64, Option<i64>)> =
        sqlx::query_as("SELECT id, disabled_at FROM institutions WHERE name = $1")
            .bind(name.trim())
            .fetch_optional(&mut *conn)
            .await?;
    let (id, disabled_at) = row.ok_or_else(|| OperatorError::Unknown(name.trim().to_owned()))?;
    Ok((id, disabled_at.is_some()))
}

/// Records `ikd institution add` in the audit trail, once the institution is stored.
pub async fn audit_added(db: &Db, name: &str) -> Result<(), OperatorError> {
    let mut tx = db.pool().begin().await?;
    let (id, _) = id_by_name(&mut tx, name).await?;
    audit::record_operator_in(
        &mut tx,
        AuditAction::InstitutionAdded,
        &id.to_string(),
        name,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Switches an institution off: from this commit on, every call with its key is refused
/// (`institution-disabled`) and its grants answer nothing. Returns its id.
pub async fn disable(db: &Db, name: &str) -> Result<i64, OperatorError> {
    let mut tx = db.pool().begin().await?;
    let (id, disabled) = id_by_name(&mut tx, name).await?;
    if disabled {
        return Err(OperatorError::Disabled(name.trim().to_owned()));
    }
    sqlx::query("UPDATE institutions SET disabled_at = $1 WHERE id = $2 AND disabled_at IS NULL")
        .bind(unix_now())
        .bind(id)
        .execute(&mut *tx)
        .await?;
    audit::record_operator_in(
        &mut tx,
        AuditAction::InstitutionDisabled,
        &id.to_string(),
        "ikd institution disable",
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Gives an active institution a new bearer key (returned once; only its hash is kept). The
/// old key stops with the commit.
pub async fn rotate_key(db: &Db, name: &str) -> Result<String, OperatorError> {
    let key = tokens::new_token();
    let mut tx = db.pool().begin().await?;
    let (id, disabled) = id_by_name(&mut tx, name).await?;
    if disabled {
        return Err(OperatorError::Disabled(name.trim().to_owned()));
    }
    sqlx::query("UPDATE institutions SET api_key_hash = $1, key_rotated_at = $2 WHERE id = $3")
        .bind(tokens::sha256_hex(&key))
        .bind(unix_now())
        .bind(id)
        .execute(&mut *tx)
        .await?;
    audit::record_operator_in(
        &mut tx,
        AuditAction::InstitutionKeyRotated,
        &id.to_string(),
        "ikd institution rotate-key",
    )
    .await?;
    tx.commit().await?;
    Ok(key)
}
