//! The database layer. One code path serves both back-ends through sqlx's `Any` driver:
//! SQLite (embedded default, one machine) and PostgreSQL (shared by replicas). Queries use
//! `$1`-style placeholders, which both accept. Each back-end has its own migration folder
//! because their DDL differs (identity columns, types), while the tables are the same.

use std::str::FromStr;
use std::sync::Arc;

use ikd_core::DatabaseKind;
use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::migrate::Migrator;
use sqlx::{AnyPool, Executor};

use crate::platform::key_encryption::{KeyEncryptionKey, SealError};

/// How long a query waits for a pool connection, opening one included, before it fails (503
/// `unavailable` with `Retry-After`). sqlx's default, 30 s, equals the request time-out
/// (`work_limits::REQUEST_TIMEOUT_SECS`), and while the database is away sqlx keeps retrying
/// the refused connection until then: the person got a 408 `timeout` at best. Now they hear
/// within seconds that the database is away, and to try again.
pub const ACQUIRE_TIMEOUT_SECS: u64 = 5;

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error(
        "alamat basis data tidak didukung: {0} (unsupported database URL; use sqlite://… or postgres://…)"
    )]
    UnsupportedUrl(String),
    #[error("tidak dapat terhubung ke basis data (cannot connect to the database): {0}")]
    Connect(#[source] sqlx::Error),
    #[error("migrasi basis data gagal (database migration failed): {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("kueri basis data gagal (database query failed): {0}")]
    Query(#[from] sqlx::Error),
    #[error(transparent)]
    Sealing(#[from] SealError),
}

/// A domain error that can carry a database fault. The HTTP layer answers every such fault
/// 503 `unavailable` with `Retry-After` (the person should simply try again), never 500.
pub trait DatabaseFault: Sized {
    /// The database fault inside, or the error itself when it is something else.
    fn into_database_fault(self) -> Result<DbError, Self>;
}

/// For an error enum with a `Database(DbError)` variant: `?` converts sqlx errors into it,
/// and [`DatabaseFault`] takes them out again.
#[macro_export]
macro_rules! database_fault {
    ($($error:ty),* $(,)?) => {$(
        impl From<sqlx::Error> for $error {
            fn from(err: sqlx::Error) -> Self {
                Self::Database($crate::platform::db::DbError::Query(err))
            }
        }
        impl $crate::platform::db::DatabaseFault for $error {
            fn into_database_fault(self) -> Result<$crate::platform::db::DbError, Self> {
                match self {
                    Self::Database(db) => Ok(db),
                    other => Err(other),
                }
            }
        }
    )*};
}

/// A database URL whose back-end is known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatabaseUrl {
    url: String,
    kind: DatabaseKind,
}

impl FromStr for DatabaseUrl {
    type Err = DbError;

    fn from_str(url: &str) -> Result<Self, Self::Err> {
        let kind = if url.starts_with("sqlite:") {
            DatabaseKind::Sqlite
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            DatabaseKind::Postgres
        } else {
            return Err(DbError::UnsupportedUrl(redact(url)));
        };
        Ok(DatabaseUrl {
            url: url.to_owned(),
            kind,
        })
    }
}

impl DatabaseUrl {
    pub fn kind(&self) -> DatabaseKind {
        self.kind
    }

    pub fn as_str(&self) -> &str {
        &self.url
    }

    /// A SQLite file URL that creates the file when it is missing.
    pub fn sqlite_file(path: &std::path::Path) -> Self {
        DatabaseUrl {
            url: format!("sqlite://{}?mode=rwc", path.display()),
            kind: DatabaseKind::Sqlite,
        }
    }
}

/// Drops a password from a URL before it reaches a log or an error message.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            format!("{}://…@{}", &url[..scheme_end], &url[at + 1..])
        }
        _ => url.to_owned(),
    }
}

/// A connection pool plus the back-end it talks to, and the key-encryption key that opens the
/// secrets sealed in it once [`Db::unlock`] has checked that key against the database.
#[derive(Debug, Clone)]
pub struct Db {
    pool: AnyPool,
    kind: DatabaseKind,
    kek: Option<Arc<KeyEncryptionKey>>,
}

impl Db {
    /// Connects and brings the schema up to date.
    pub async fn connect(url: &DatabaseUrl) -> Result<Self, DbError> {
        install_default_drivers();
        let kind = url.kind();
        let options = AnyPoolOptions::new()
            .max_connections(match kind {
                // SQLite has one writer at a time; a few readers beside it are plenty.
                DatabaseKind::Sqlite => 4,
                DatabaseKind::Postgres => 16,
            })
            .acquire_timeout(std::time::Duration::from_secs(ACQUIRE_TIMEOUT_SECS))
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if kind == DatabaseKind::Sqlite {
                        // WAL lets readers run beside the writer; FULL makes every committed
                        // identity record survive a power cut; foreign keys are off in SQLite
                        // unless asked for.
                        conn.execute(
                            "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
                             PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;",
                        )
                        .await?;
                    }
                    Ok(())
                })
            });
        let pool = options
            .connect(url.as_str())
            .await
            .map_err(DbError::Connect)?;
        let db = Db {
            pool,
            kind,
            kek: None,
        };
        db.migrate().await?;
        Ok(db)
    }

    async fn migrate(&self) -> Result<(), DbError> {
        let migrator = match self.kind {
            DatabaseKind::Sqlite => &SQLITE_MIGRATIONS,
            DatabaseKind::Postgres => &POSTGRES_MIGRATIONS,
        };
        migrator.run(&self.pool).await?;
        Ok(())
    }

    pub fn kind(&self) -> DatabaseKind {
        self.kind
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Checks `kek` against the key this database is sealed under (claiming it on a fresh
    /// database) and seals any secret still stored in the clear; see `platform/secrets.rs`.
    pub async fn unlock(self, kek: KeyEncryptionKey) -> Result<Db, DbError> {
        crate::platform::secrets::unlock(&self, &kek).await?;
        Ok(Db {
            kek: Some(Arc::new(kek)),
            ..self
        })
    }

    /// The key that seals and opens secrets; an error on a database never unlocked (only
    /// read-only tools such as the benchmarks' registry queries connect without it).
    pub fn key_encryption(&self) -> Result<&KeyEncryptionKey, SealError> {
        self.kek.as_deref().ok_or(SealError::Locked)
    }

    /// The newest migration applied, read from the database itself.
    pub async fn schema_version(&self) -> Result<i64, DbError> {
        let version: i64 = sqlx::query_scalar(
            "SELECT CAST(COALESCE(MAX(version), 0) AS BIGINT) FROM _sqlx_migrations WHERE success",
        )
        .fetch_one(&self.pool)
        .await?;
        Ok(version)
    }

    /// Records that a service process started against this database.
    pub async fn record_start(&self, version: &str, listen_addr: &str) -> Result<(), DbError> {
        sqlx::query(
            "INSERT INTO service_starts (started_at, version, listen_addr) VALUES ($1, $2, $3)",
        )
        .bind(unix_now())
        .bind(version)
        .bind(listen_addr)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The most recent service starts, newest first.
    pub async fn recent_starts(&self, limit: i64) -> Result<Vec<ServiceStart>, DbError> {
        let rows: Vec<(i64, String, String)> = sqlx::query_as(
            "SELECT started_at, version, listen_addr FROM service_starts ORDER BY id DESC LIMIT $1",
        )
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(started_at, version, listen_addr)| ServiceStart {
                started_at,
                version,
                listen_addr,
            })
            .collect())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceStart {
    pub started_at: i64,
    pub version: String,
    pub listen_addr: String,
}

pub use crate::platform::clock::unix_now;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_url_knows_its_back_end() {
        let sqlite: DatabaseUrl = "sqlite://data/ikd.db".parse().expect("sqlite");
        assert_eq!(sqlite.kind(), DatabaseKind::Sqlite);
        let pg: DatabaseUrl = "postgres://u:p@127.0.0.1:5432/ikd".parse().expect("pg");
        assert_eq!(pg.kind(), DatabaseKind::Postgres);
    }

    #[test]
    fn an_unsupported_url_is_refused_without_leaking_its_password() {
        let err = "mysql://root:hunter2@db/ikd"
            .parse::<DatabaseUrl>()
            .expect_err("mysql is not supported");
        let message = err.to_string();
        assert!(message.contains("mysql://…@db/ikd"), "{message}");
        assert!(!message.contains("hunter2"), "{message}");
    }
}
