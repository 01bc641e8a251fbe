//! The signed revocation list: credential batches revoked before their last QR expired
//! (device replaced, logout, …). Batches that have expired anyway are left out, which keeps
//! the list small enough for a verifier's phone.
//!
//! Anyone may fetch the list, so it is signed once per change and served from the database
//! (`signed_revocation_list`), never built and signed per request: every transaction that
//! revokes a batch calls [`changed_in`], which bumps `revocation_generation`, and [`signed`]
//! serves the kept list only while it was built at the current generation, by the current key,
//! and before its `stale_at`.

use ikd_core::signed::SignedJson;
use ikd_core::trust_documents::{Revocation, RevocationList};
use sqlx::AnyConnection;

use crate::platform::db::{Db, DbError, unix_now};
use crate::trust::issuer_keyring::{self, KeyringError};

/// A kept list is signed anew after this long even when nothing changed, so its `issuedAt`
/// stays recent. Verifiers never refuse a list for its age (the PWA's `src/verifier.rs` only
/// reports it as `revocations_as_of`), so this bounds only how old a list looks; five minutes
/// is the `max-age` the route lets verifiers cache it for, so a copy a verifier holds looks at
/// most about ten minutes old, for one signature per five minutes.
pub const REFRESH_SECS: i64 = 300;

/// The list as it stands now (built and unsigned; for online verification).
pub async fn current(db: &Db) -> Result<RevocationList, DbError> {
    Ok(built_at(db, unix_now()).await?.list)
}

/// Marks the list changed. Call it in every transaction that sets `credentials.revoked_at`,
/// so the change and the new generation commit together.
///
/// [`signed`] reads the generation before it reads the credentials it builds the list from, and
/// keeps the list under the generation it read. A revocation that commits after that read
/// either is in the list or not, but either way it bumped the generation past the one kept, so
/// the next request rebuilds. Reading the generation after the credentials could instead keep
/// a list that misses a revocation under the new generation, served until `stale_at`.
pub async fn changed_in(conn: &mut AnyConnection) -> Result<(), DbError> {
    sqlx::query("UPDATE revocation_generation SET generation = generation + 1 WHERE id = 1")
        .execute(conn)
        .await?;
    Ok(())
}

/// The signed list: the kept one while it is current, else built, signed and kept.
pub async fn signed(db: &Db) -> Result<SignedJson, KeyringError> {
    // First, before the credentials: see `changed_in` for why the order matters.
    let generation = generation(db).await?;
    let key = issuer_keyring::current(db).await?;
    let kid = key.kid();
    let now = unix_now();
    if let Some(kept) = kept(db, generation, kid.as_str(), now).await? {
        return Ok(kept);
    }
    let built = built_at(db, now).await?;
    let signed = SignedJson::sign(&built.list, &key.signing_key(), kid.as_str());
    keep(db, generation, &signed, built.stale_at()).await?;
    Ok(signed)
}

/// The list at `now`, and when its first entry expires.
struct Built {
    list: RevocationList,
    first_expiry: Option<i64>,
}

impl Built {
    /// When the signed list must be rebuilt even if nothing is revoked meanwhile: its first
    /// entry expires then (and must be dropped), or it is due to be re-signed.
    fn stale_at(&self) -> i64 {
        let refresh = self.list.issued_at + REFRESH_SECS;
        self.first_expiry
            .map_or(refresh, |expiry| expiry.min(refresh))
    }
}

async fn built_at(db: &Db, now: i64) -> Result<Built, DbError> {
    let rows: Vec<(String, i64, Option<String>, i64)> = sqlx::query_as(
        "SELECT id, revoked_at, revocation_reason, valid_until FROM credentials \
         WHERE revoked_at IS NOT NULL AND valid_until > $1 ORDER BY revoked_at, id",
    )
    .bind(now)
    .fetch_all(db.pool())
    .await?;
    let first_expiry = rows.iter().map(|row| row.3).min();
    Ok(Built {
        list: RevocationList {
            issued_at: now,
            entries: rows
                .into_iter()
                .map(|(credential_id, revoked_at, reason, _)| Revocation {
                    credential_id,
                    revoked_at,
                    reason: reason.unwrap_or_default(),
                })
                .collect(),
        },
        first_expiry,
    })
}

async fn generation(db: &Db) -> Result<i64, DbError> {
    Ok(
        sqlx::query_scalar("SELECT generation FROM revocation_generation WHERE id = 1")
            .fetch_one(db.pool())
            .await?,
    )
}

/// The kept list if it is still the right one to serve. One that no longer parses is simply
/// rebuilt (and replaced).
async fn kept(
    db: &Db,
    generation: i64,
    kid: &str,
    now: i64,
) -> Result<Option<SignedJson>, DbError> {
    let body: Option<String> = sqlx::query_scalar(
        "SELECT body FROM signed_revocation_list \
         WHERE id = 1 AND generation = $1 AND kid = $2 AND stale_at > $3",
    )
    .bind(generation)
    .bind(kid)
    .bind(now)
    .fetch_optional(db.pool())
    .await?;
    Ok(body.and_then(|body| serde_json::from_str(&body).ok()))
}

/// Keeps `signed`, unless a replica already kept one built at a newer generation.
async fn keep(db: &Db, generation: i64, signed: &SignedJson, stale_at: i64) -> Result<(), DbError> {
    // Serialising our own plain struct cannot fail; if it ever did, not keeping it only means
    // the next request signs again.
    let Ok(body) = serde_json::to_string(signed) else {
        return Ok(());
    };
    sqlx::query(
        "INSERT INTO signed_revocation_list (id, generation, kid, body, stale_at) \
         VALUES (1, $1, $2, $3, $4) \
         ON CONFLICT (id) DO UPDATE SET generation = excluded.generation, kid = excluded.kid, \
         body = excluded.body, stale_at = excluded.stale_at \
         WHERE signed_revocation_list.generation <= excluded.generation",
    )
    .bind(generation)
    .bind(&signed.kid)
    .bind(body)
    .bind(stale_at)
    .execute(db.pool())
    .await?;
    Ok(())
}
