//! Institutions (banks, hospitals, telcos) that verify citizens' QRs online. Each has a
//! bearer key (stored hashed); online verifications are logged in the citizen's activity
//! history, so people can see who checked their identity. Each also has its own P-256
//! key-agreement key for the encrypted QR variant (`claim169::recipient`): phones encrypt to
//! its public half, found in the signed bundle; its private half is given to the institution
//! once and kept here only sealed.

use ikd_core::activity::ActivityKind;
use ikd_core::audit::AuditAction;
use ikd_core::claim169::{self, DecodeOptions, HolderBinding, InstitutionKey};
use ikd_core::offline_bundle::QrInstitution;
use ikd_core::trust_documents::TrustListDocument;
use p256::pkcs8::{EncodePrivateKey, LineEnding};
use serde::{Deserialize, Serialize};

use crate::journey::activity_log;
use crate::officer::audit;
use crate::platform::db::{Db, DbError, unix_now};
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

/// An institution's new QR key, as the operator hands it over once: its kid and the private
/// key as PKCS#8 PEM (only a sealed copy is kept).
#[derive(Debug, Clone)]
pub struct IssuedQrKey {
    pub kid: String,
    pub private_key_pem: String,
    pub public_key: String,
}

/// A new key-agreement key, with its sealed copy for the row of institution `id`.
fn new_qr_key(db: &Db, id: i64) -> Result<(IssuedQrKey, String), DbError> {
    let kek = db.key_encryption()?;
    let secret = p256::SecretKey::random(&mut rand_core::OsRng);
    let key = InstitutionKey::new(secret.clone());
    let kid = ikd_core::hex::encode(&key.kid);
    let pem = secret
        .to_pkcs8_pem(LineEnding::LF)
        .map_err(|e| DbError::Query(sqlx::Error::Encode(e.to_string().into())))?
        .to_string();
    let sealed = kek.seal(&qr_key_context(id, &kid), pem.as_bytes());
    Ok((
        IssuedQrKey {
            kid,
            private_key_pem: pem,
            public_key: ikd_core::hex::encode(&key.public_sec1()),
        },
        sealed,
    ))
}

/// The associated data of a sealed institution QR key: its row and its kid, so a sealed key
/// moved to another institution's row does not open.
fn qr_key_context(id: i64, kid: &str) -> String {
    format!("institutions/{id}/qr-key/{kid}")
}

/// Reads an institution's private QR key back from its PKCS#8 PEM (`ikd institution add`
/// prints it; `ikd qr verify --institution-key` reads it).
pub fn qr_key_from_pem(pem: &str) -> Option<InstitutionKey> {
    use p256::pkcs8::DecodePrivateKey;
    p256::SecretKey::from_pkcs8_pem(pem)
        .ok()
        .map(InstitutionKey::new)
}

/// Registers an institution; returns its bearer key (shown once) and its QR key.
pub async fn add(db: &Db, name: &str) -> Result<(String, IssuedQrKey), InstitutionError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(InstitutionError::Name);
    }
    let key = tokens::new_token();
    let mut tx = db.pool().begin().await?;
    let inserted = sqlx::query(
        "INSERT INTO institutions (name, api_key_hash, created_at) VALUES ($1, $2, $3)",
    )
    .bind(name)
    .bind(tokens::sha256_hex(&key))
    .bind(unix_now())
    .execute(&mut *tx)
    .await;
    match inserted {
        Ok(_) => {}
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
            return Err(InstitutionError::Duplicate(name.to_owned()));
        }
        Err(e) => return Err(InstitutionError::Database(e.into())),
    }
    let id: i64 = sqlx::query_scalar("SELECT id FROM institutions WHERE name = $1")
        .bind(name)
        .fetch_one(&mut *tx)
        .await?;
    let (qr_key, sealed) = new_qr_key(db, id)?;
    sqlx::query(
        "UPDATE institutions SET qr_kid = $1, qr_public_key = $2, qr_private_key_sealed = $3 \
         WHERE id = $4",
    )
    .bind(&qr_key.kid)
    .bind(&qr_key.public_key)
    .bind(&sealed)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok((key, qr_key))
}

/// The enabled institutions with a QR key, for the bundle: what a phone needs to encrypt a
/// QR to each, offline.
pub async fn for_bundle(db: &Db) -> Result<Vec<QrInstitution>, DbError> {
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT name, qr_kid, qr_public_key FROM institutions \
         WHERE disabled_at IS NULL AND qr_kid IS NOT NULL AND qr_public_key IS NOT NULL \
         ORDER BY name",
    )
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(name, kid, public_key)| QrInstitution {
            name,
            kid,
            public_key,
        })
        .collect())
}

/// The QR keys institution `id` opens with: its current one and, until the next rotation,
/// the one before it (QRs made by phones that had not refreshed yet).
async fn qr_keys(db: &Db, id: i64) -> Result<Vec<InstitutionKey>, DbError> {
    let kek = db.key_encryption()?;
    /// The current and the previous key: kid and sealed PEM of each, if any.
    type KeyColumns = (
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
    );
    let row: Option<KeyColumns> = sqlx::query_as(
        "SELECT qr_kid, qr_private_key_sealed, qr_previous_kid, \
             qr_previous_private_key_sealed FROM institutions WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(db.pool())
    .await?;
    let Some((kid, sealed, previous_kid, previous_sealed)) = row else {
        return Ok(Vec::new());
    };
    let mut keys = Vec::new();
    for (kid, sealed) in [(kid, sealed), (previous_kid, previous_sealed)] {
        if let (Some(kid), Some(sealed)) = (kid, sealed) {
            let pem = kek.open(&qr_key_context(id, &kid), &sealed)?;
            let key = std::str::from_utf8(&pem).ok().and_then(qr_key_from_pem);
            match key {
                Some(key) if ikd_core::hex::encode(&key.kid) == kid => keys.push(key),
                _ => tracing::warn!(id, kid, "institution QR key unreadable; not used"),
            }
        }
    }
    Ok(keys)
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
    let institution_keys = qr_keys(db, institution.id).await?;
    let decoded = claim169::decode(
        qr_text.trim(),
        &DecodeOptions {
            trust: Some(&trust),
            institution_keys: &institution_keys,
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
    /// The kid of its current QR key (hex); none for an institution added before QR keys
    /// were per institution, until its next `rotate-key`.
    pub qr_kid: Option<String>,
}

pub async fn list(db: &Db) -> Result<Vec<InstitutionSummary>, DbError> {
    Ok(sqlx::query_as(
        "SELECT id, name, created_at, disabled_at, key_rotated_at, qr_kid FROM institutions \
         ORDER BY id",
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
pub async fn audit_added(db: &Db, name: &str, qr_kid: &str) -> Result<(), OperatorError> {
    let mut tx = db.pool().begin().await?;
    let (id, _) = id_by_name(&mut tx, name).await?;
    audit::record_operator_in(
        &mut tx,
        AuditAction::InstitutionAdded,
        &id.to_string(),
        &format!("{name} (QR kid {qr_kid})"),
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

/// Gives an active institution a new bearer key (returned once; only its hash is kept) and a
/// new QR key. The old bearer key stops with the commit; phones encrypt to the new QR key from
/// their next bundle on, and the old QR key still opens QRs made with it until the next
/// rotation (a phone keeps its bundle for days offline).
pub async fn rotate_key(db: &Db, name: &str) -> Result<(String, IssuedQrKey), OperatorError> {
    let key = tokens::new_token();
    let mut tx = db.pool().begin().await?;
    let (id, disabled) = id_by_name(&mut tx, name).await?;
    if disabled {
        return Err(OperatorError::Disabled(name.trim().to_owned()));
    }
    let (qr_key, sealed) = new_qr_key(db, id)?;
    sqlx::query(
        "UPDATE institutions SET api_key_hash = $1, key_rotated_at = $2, \
         qr_previous_kid = qr_kid, qr_previous_private_key_sealed = qr_private_key_sealed, \
         qr_kid = $3, qr_public_key = $4, qr_private_key_sealed = $5 WHERE id = $6",
    )
    .bind(tokens::sha256_hex(&key))
    .bind(unix_now())
    .bind(&qr_key.kid)
    .bind(&qr_key.public_key)
    .bind(&sealed)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    audit::record_operator_in(
        &mut tx,
        AuditAction::InstitutionKeyRotated,
        &id.to_string(),
        &format!("ikd institution rotate-key (QR kid {})", qr_key.kid),
    )
    .await?;
    tx.commit().await?;
    Ok((key, qr_key))
}
