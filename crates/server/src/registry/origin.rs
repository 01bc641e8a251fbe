//! The registry's origin as recorded by the newest load (`ikd seed` or `ikd seed --csv`).
//! The bundle and the health answer report it, so demo labels follow the data.

use ikd_core::registry_origin::RegistryOrigin;

use crate::platform::db::{Db, DbError};

/// The origin of what the registry holds now; `None` before anything was loaded.
pub async fn current(db: &Db) -> Result<Option<RegistryOrigin>, DbError> {
    let stored: Option<String> =
        sqlx::query_scalar("SELECT origin FROM registry_seed_runs ORDER BY id DESC LIMIT 1")
            .fetch_optional(db.pool())
            .await?;
    stored
        .map(|word| {
            RegistryOrigin::parse(&word).ok_or_else(|| {
                DbError::Query(sqlx::Error::Decode(
                    format!("unknown registry origin {word:?}").into(),
                ))
            })
        })
        .transpose()
}

/// Whether screens must label the registry's data as demo data.
pub async fn is_demo(db: &Db) -> Result<bool, DbError> {
    Ok(RegistryOrigin::is_demo(current(db).await?))
}
