//! Each officer's second factors (issue 15): TOTP secrets sealed under the key-encryption key,
//! passkeys' public keys, recovery codes as SHA-256. Every "use" is one conditional UPDATE, so
//! two replicas racing with the same code or signature accept it once. The login step that
//! asks for a factor is `journey/officer_login.rs`.

use ikd_core::audit::AuditAction;
use rand_core::RngCore;
use sqlx::AnyConnection;

use crate::officer::audit::{self, Actor};
use crate::platform::db::{Db, DbError, unix_now};
use crate::platform::webauthn::NewPasskey;
use crate::platform::{tokens, totp};

/// Recovery codes handed out per enrolment.
pub const RECOVERY_CODES: usize = 10;

/// What an officer has enrolled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Factors {
    pub passkeys: u32,
    pub totp: bool,
    pub recovery_codes_left: u32,
}

impl Factors {
    pub fn any(&self) -> bool {
        self.passkeys > 0 || self.totp
    }
}

/// A stored passkey.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StoredPasskey {
    pub credential_id: String,
    pub public_key: String,
    pub sign_count: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FactorKind {
    Passkey,
    Totp,
}

impl FactorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FactorKind::Passkey => "passkey",
            FactorKind::Totp => "totp",
        }
    }
}

pub async fn factors(db: &Db, officer_id: i64) -> Result<Factors, DbError> {
    let (passkeys, totp, recovery): (i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM officer_passkeys WHERE officer_id = $1), \
         (SELECT COUNT(*) FROM officer_totp WHERE officer_id = $1), \
         (SELECT COUNT(*) FROM officer_recovery_codes WHERE officer_id = $1 AND used_at IS NULL)",
    )
    .bind(officer_id)
    .fetch_one(db.pool())
    .await?;
    Ok(Factors {
        passkeys: u32::try_from(passkeys).unwrap_or(u32::MAX),
        totp: totp > 0,
        recovery_codes_left: u32::try_from(recovery).unwrap_or(u32::MAX),
    })
}

fn totp_context(officer_id: i64) -> String {
    format!("officer_totp/{officer_id}")
}

/// Seals a TOTP secret for storage (the pending one in a login step, or the enrolled one).
pub fn seal_totp(db: &Db, officer_id: i64, secret: &[u8]) -> Result<String, DbError> {
    Ok(db.key_encryption()?.seal(&totp_context(officer_id), secret))
}

pub fn open_totp(db: &Db, officer_id: i64, sealed: &str) -> Result<Vec<u8>, DbError> {
    Ok(db
        .key_encryption()?
        .open(&totp_context(officer_id), sealed)?)
}

/// Stores an enrolled TOTP secret whose code for `step` was just shown (so it is used).
pub async fn enrol_totp_in(
    conn: &mut AnyConnection,
    sealed: &str,
    officer_id: i64,
    step: i64,
) -> Result<(), DbError> {
    sqlx::query("DELETE FROM officer_totp WHERE officer_id = $1")
        .bind(officer_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO officer_totp (officer_id, secret, last_step, enrolled_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(officer_id)
    .bind(sealed)
    .bind(step)
    .bind(unix_now())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Enrols a TOTP secret outside a login (`ikd demo`'s officers, whose secret it prints).
pub async fn enrol_totp(db: &Db, officer_id: i64, secret: &[u8]) -> Result<(), DbError> {
    let sealed = seal_totp(db, officer_id, secret)?;
    let mut conn = db.pool().acquire().await?;
    enrol_totp_in(&mut conn, &sealed, officer_id, 0).await
}

/// The officer's enrolled TOTP secret, opened (for `ikd demo` to print again).
pub async fn totp_secret(db: &Db, officer_id: i64) -> Result<Option<Vec<u8>>, DbError> {
    Ok(enrolled_totp(db, officer_id)
        .await?
        .map(|(secret, _)| secret))
}

/// The officer's enrolled TOTP secret, opened, and the last time step accepted.
async fn enrolled_totp(db: &Db, officer_id: i64) -> Result<Option<(Vec<u8>, i64)>, DbError> {
    let row: Option<(String, i64)> =
        sqlx::query_as("SELECT secret, last_step FROM officer_totp WHERE officer_id = $1")
            .bind(officer_id)
            .fetch_optional(db.pool())
            .await?;
    row.map(|(sealed, last_step)| Ok((open_totp(db, officer_id, &sealed)?, last_step)))
        .transpose()
}

/// Whether `code` is the officer's TOTP code now, never accepted twice for one time step.
pub async fn use_totp(db: &Db, officer_id: i64, code: &str) -> Result<bool, DbError> {
    let Some((secret, last_step)) = enrolled_totp(db, officer_id).await? else {
        return Ok(false);
    };
    let Some(step) = totp::matching_step(&secret, code, unix_now(), last_step) else {
        return Ok(false);
    };
    let taken = sqlx::query(
        "UPDATE officer_totp SET last_step = $1 WHERE officer_id = $2 AND last_step < $1",
    )
    .bind(step)
    .bind(officer_id)
    .execute(db.pool())
    .await?;
    Ok(taken.rows_affected() == 1)
}

/// The code a demo authenticator would show for the officer's next login: the current time
/// step's, or the next one's when the current one was just used (both are accepted now), with
/// how many seconds to wait first when even that one is used. `None`: no TOTP enrolled.
pub async fn demo_code(db: &Db, officer_id: i64) -> Result<Option<(String, i64)>, DbError> {
    let Some((secret, last_step)) = enrolled_totp(db, officer_id).await? else {
        return Ok(None);
    };
    let now = unix_now();
    let current = totp::step_of(now);
    let step = current.max(last_step + 1);
    let wait = if step > current + totp::SKEW_STEPS {
        (step - totp::SKEW_STEPS) * totp::STEP_SECS - now
    } else {
        0
    };
    Ok(Some((totp::code_at_step(&secret, step), wait)))
}

pub async fn passkeys(db: &Db, officer_id: i64) -> Result<Vec<StoredPasskey>, DbError> {
    Ok(sqlx::query_as(
        "SELECT credential_id, public_key, sign_count FROM officer_passkeys WHERE officer_id = $1 \
         ORDER BY created_at",
    )
    .bind(officer_id)
    .fetch_all(db.pool())
    .await?)
}

pub async fn add_passkey_in(
    conn: &mut AnyConnection,
    officer_id: i64,
    passkey: &NewPasskey,
) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO officer_passkeys (credential_id, officer_id, public_key, sign_count, created_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&passkey.credential_id)
    .bind(officer_id)
    .bind(ikd_core::hex::encode(&passkey.public_key))
    .bind(i64::from(passkey.sign_count))
    .bind(unix_now())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Records a login with a passkey; false when another login with the same counter won.
pub async fn passkey_used(
    db: &Db,
    stored: &StoredPasskey,
    new_count: u32,
) -> Result<bool, DbError> {
    let done = sqlx::query(
        "UPDATE officer_passkeys SET sign_count = $1, last_used_at = $2 \
         WHERE credential_id = $3 AND sign_count = $4",
    )
    .bind(i64::from(new_count))
    .bind(unix_now())
    .bind(&stored.credential_id)
    .bind(stored.sign_count)
    .execute(db.pool())
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Replaces the officer's recovery codes with fresh ones and gives them, to show once:
/// ten groups of Crockford base32 (50 bits each), easy to read aloud and type.
pub async fn new_recovery_codes_in(
    conn: &mut AnyConnection,
    officer_id: i64,
) -> Result<Vec<String>, DbError> {
    sqlx::query("DELETE FROM officer_recovery_codes WHERE officer_id = $1")
        .bind(officer_id)
        .execute(&mut *conn)
        .await?;
    let now = unix_now();
    let mut codes = Vec::with_capacity(RECOVERY_CODES);
    for _ in 0..RECOVERY_CODES {
        let code = recovery_code();
        sqlx::query(
            "INSERT INTO officer_recovery_codes (code_hash, officer_id, created_at) VALUES ($1, $2, $3)",
        )
        .bind(recovery_hash(officer_id, &code))
        .bind(officer_id)
        .bind(now)
        .execute(&mut *conn)
        .await?;
        codes.push(code);
    }
    Ok(codes)
}

fn recovery_code() -> String {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let mut bytes = [0u8; 10];
    rand_core::OsRng.fill_bytes(&mut bytes);
    let text: String = bytes
        .iter()
        .map(|b| char::from(ALPHABET[usize::from(b % 32)]))
        .collect();
    format!("{}-{}", &text[..5], &text[5..])
}

/// Typed codes differ in case, spaces and dashes; the hash is of the canonical form, bound to
/// the officer so equal codes of two officers are different rows.
fn recovery_hash(officer_id: i64, code: &str) -> String {
    let canonical: String = code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    tokens::sha256_hex(&format!("{officer_id}:{canonical}"))
}

/// Uses a recovery code: true once per code.
pub async fn use_recovery_code(db: &Db, officer_id: i64, code: &str) -> Result<bool, DbError> {
    let done = sqlx::query(
        "UPDATE officer_recovery_codes SET used_at = $1 \
         WHERE code_hash = $2 AND officer_id = $3 AND used_at IS NULL",
    )
    .bind(unix_now())
    .bind(recovery_hash(officer_id, code))
    .bind(officer_id)
    .execute(db.pool())
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Removes every factor and recovery code of an officer and ends their sessions: their next
/// login enrols again. The caller has checked the actor may manage them.
pub async fn reset(db: &Db, actor: &Actor<'_>, officer_id: i64) -> Result<(), DbError> {
    let mut tx = db.pool().begin().await?;
    remove_factors_in(&mut tx, officer_id).await?;
    audit::record_in(
        &mut tx,
        actor,
        AuditAction::SecondFactorReset,
        &officer_id.to_string(),
        "",
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The same from the command line (`ikd officer reset-second-factor`), audited as the operator.
pub async fn reset_by_operator(db: &Db, officer_id: i64) -> Result<(), DbError> {
    let mut tx = db.pool().begin().await?;
    remove_factors_in(&mut tx, officer_id).await?;
    tx.commit().await?;
    audit::record_operator(
        db,
        AuditAction::SecondFactorReset,
        &officer_id.to_string(),
        "ikd officer reset-second-factor",
    )
    .await
}

async fn remove_factors_in(tx: &mut AnyConnection, officer_id: i64) -> Result<(), DbError> {
    for table in [
        "officer_passkeys",
        "officer_totp",
        "officer_recovery_codes",
        "officer_login_steps",
    ] {
        sqlx::query(&format!("DELETE FROM {table} WHERE officer_id = $1"))
            .bind(officer_id)
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query(
        "UPDATE sessions SET revoked_at = $1 WHERE subject_kind = 'officer' AND subject = $2 \
         AND revoked_at IS NULL",
    )
    .bind(unix_now())
    .bind(officer_id.to_string())
    .execute(&mut *tx)
    .await?;
    Ok(())
}
