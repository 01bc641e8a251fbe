//! Login sessions in the database (citizens and officers alike), so any replica can serve
//! any request. A new token on every login; idle and absolute timeouts; revocation.

use crate::platform::config::SessionPolicy;
use crate::platform::db::{Db, DbError, unix_now};
use crate::platform::tokens;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubjectKind {
    Citizen,
    Officer,
}

impl SubjectKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SubjectKind::Citizen => "citizen",
            SubjectKind::Officer => "officer",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub token_hash: String,
    /// NIK or officer id.
    pub subject: String,
    pub device_id: Option<String>,
    pub expires_at: i64,
}

/// Starts a session; returns the token for the cookie and when the session ends at the latest.
pub async fn create(
    db: &Db,
    kind: SubjectKind,
    subject: &str,
    device_id: Option<&str>,
    policy: SessionPolicy,
) -> Result<(String, i64), DbError> {
    let token = tokens::new_token();
    let now = unix_now();
    let expires_at = now + policy.absolute_secs;
    sqlx::query(
        "INSERT INTO sessions (token_hash, subject_kind, subject, device_id, created_at, last_seen_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $5, $6)",
    )
    .bind(tokens::sha256_hex(&token))
    .bind(kind.as_str())
    .bind(subject)
    .bind(device_id)
    .bind(now)
    .bind(expires_at)
    .execute(db.pool())
    .await?;
    Ok((token, expires_at))
}

/// The live session of `token`, if any. A session used after its idle timeout is revoked.
pub async fn resolve(
    db: &Db,
    kind: SubjectKind,
    token: &str,
    policy: SessionPolicy,
) -> Result<Option<Session>, DbError> {
    let token_hash = tokens::sha256_hex(token);
    let row: Option<(String, Option<String>, i64, i64)> = sqlx::query_as(
        "SELECT subject, device_id, last_seen_at, expires_at FROM sessions \
         WHERE token_hash = $1 AND subject_kind = $2 AND revoked_at IS NULL",
    )
    .bind(&token_hash)
    .bind(kind.as_str())
    .fetch_optional(db.pool())
    .await?;
    let Some((subject, device_id, last_seen_at, expires_at)) = row else {
        return Ok(None);
    };
    let now = unix_now();
    if now >= expires_at || now - last_seen_at >= policy.idle_secs {
        revoke(db, &token_hash).await?;
        return Ok(None);
    }
    // One write a minute at most per session, not one per request.
    if now - last_seen_at >= 60 {
        sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
            .bind(now)
            .bind(&token_hash)
            .execute(db.pool())
            .await?;
    }
    Ok(Some(Session {
        token_hash,
        subject,
        device_id,
        expires_at: expires_at.min(now + policy.idle_secs),
    }))
}

pub async fn revoke(db: &Db, token_hash: &str) -> Result<(), DbError> {
    sqlx::query("UPDATE sessions SET revoked_at = $1 WHERE token_hash = $2 AND revoked_at IS NULL")
        .bind(unix_now())
        .bind(token_hash)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// Ends every session of a subject except, optionally, the one making the change.
pub async fn revoke_all(
    db: &Db,
    kind: SubjectKind,
    subject: &str,
    except_token_hash: Option<&str>,
) -> Result<(), DbError> {
    sqlx::query(
        "UPDATE sessions SET revoked_at = $1 WHERE subject_kind = $2 AND subject = $3 \
         AND revoked_at IS NULL AND token_hash <> $4",
    )
    .bind(unix_now())
    .bind(kind.as_str())
    .bind(subject)
    .bind(except_token_hash.unwrap_or(""))
    .execute(db.pool())
    .await?;
    Ok(())
}
