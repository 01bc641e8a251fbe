//! The signed revocation list: credential batches revoked before their last QR expired
//! (device replaced, logout, …). Batches that have expired anyway are left out, which keeps
//! the list small enough for a verifier's phone.

use ikd_core::signed::SignedJson;
use ikd_core::trust_documents::{Revocation, RevocationList};

use crate::platform::db::{Db, DbError, unix_now};
use crate::trust::issuer_keyring::{self, KeyringError};

pub async fn current(db: &Db) -> Result<RevocationList, DbError> {
    let now = unix_now();
    let rows: Vec<(String, i64, Option<String>)> = sqlx::query_as(
        "SELECT id, revoked_at, revocation_reason FROM credentials \
         WHERE revoked_at IS NOT NULL AND valid_until > $1 ORDER BY revoked_at, id",
    )
    .bind(now)
    .fetch_all(db.pool())
    .await?;
    Ok(RevocationList {
        issued_at: now,
        entries: rows
            .into_iter()
            .map(|(credential_id, revoked_at, reason)| Revocation {
                credential_id,
                revoked_at,
                reason: reason.unwrap_or_default(),
            })
            .collect(),
    })
}

pub async fn signed(db: &Db) -> Result<SignedJson, KeyringError> {
    let list = current(db).await?;
    let key = issuer_keyring::current(db).await?;
    Ok(SignedJson::sign(
        &list,
        &key.signing_key(),
        key.kid().as_str(),
    ))
}
