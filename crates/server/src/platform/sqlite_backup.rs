//! Backups of a SQLite database that keep working while `ikd serve` writes to it, and their
//! restore. The copy is `VACUUM INTO`: it runs inside one read transaction, so with WAL it is
//! one consistent snapshot while writers carry on, and it leaves a single compact file (no
//! `-wal` to forget). What a backup cannot hold is the key-encryption key: the copy's secrets
//! stay sealed under it, and it travels apart (README, "Keys at rest and backups").
//!
//! These talk to SQLite directly, not through `Db`: a backup must not migrate the live
//! database, and an integrity check must read the file as it is, never create one.

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};
use sqlx::{ConnectOptions, Connection};

use crate::platform::db::DatabaseUrl;
use crate::platform::key_encryption_source::restrict;

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error(
        "berkas {0} sudah ada; cadangan tidak pernah menimpa berkas, pilih nama lain \
         (the file {0} already exists; a backup never overwrites one, choose another name)"
    )]
    OutExists(String),
    #[error(
        "basis data {0} sudah berisi data; hentikan layanan dan tambahkan --replace untuk \
         menimpanya, atau pulihkan ke folder data baru (the target database {0} already holds \
         data; stop the service and add --replace to overwrite it, or restore into a new data \
         folder)"
    )]
    TargetHasData(String),
    #[error("basis data {0} tidak ada (the database {0} does not exist)")]
    SourceMissing(String),
    #[error(
        "pemeriksaan integritas {path} gagal, berkas ini bukan cadangan yang utuh \
         (the integrity check of {path} failed, this is not a sound backup): {report}"
    )]
    Integrity { path: String, report: String },
    #[error(
        "berkas {path} tidak dapat ditulis atau dibaca (cannot write or read {path}): {source}"
    )]
    File {
        path: String,
        source: std::io::Error,
    },
    #[error("SQLite gagal pada {path} (SQLite failed on {path}): {source}")]
    Sqlite { path: String, source: sqlx::Error },
}

/// What a backup file holds, read from the file itself.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BackupContents {
    pub bytes: u64,
    /// `PRAGMA integrity_check` said "ok".
    pub integrity: &'static str,
    /// The issuer keys on record, oldest first; the last one not retired signs.
    pub issuer_kids: Vec<String>,
    pub current_issuer_kid: Option<String>,
    /// The key-encryption key the copy is sealed under (`None`: never sealed, an old version).
    pub kek_id: Option<String>,
    pub schema_version: i64,
}

/// The SQLite file a `sqlite:` URL names.
pub fn file_of(url: &DatabaseUrl) -> Result<PathBuf, BackupError> {
    let options =
        SqliteConnectOptions::from_str(url.as_str()).map_err(|source| BackupError::Sqlite {
            path: url.as_str().to_owned(),
            source,
        })?;
    Ok(options.get_filename().to_owned())
}

/// Copies the live database at `source` into the new file `out` (mode 0600), then checks the
/// copy. Refuses an existing `out`, and leaves no partial file behind on failure.
pub async fn back_up(source: &Path, out: &Path) -> Result<BackupContents, BackupError> {
    if !source.is_file() {
        return Err(BackupError::SourceMissing(shown(source)));
    }
    // Made empty with 0600 first, so the copy is never readable by others, and `create_new`
    // refuses an existing file atomically; VACUUM INTO accepts an empty file.
    create_private(out).map_err(|source| match source.kind() {
        std::io::ErrorKind::AlreadyExists => BackupError::OutExists(shown(out)),
        _ => BackupError::File {
            path: shown(out),
            source,
        },
    })?;
    let result = async {
        let mut live = SqliteConnectOptions::new()
            .filename(source)
            .create_if_missing(false)
            // The service may hold the write lock for a moment; wait as its own pool does.
            .busy_timeout(Duration::from_secs(30))
            .connect()
            .await
            .map_err(sqlite_err(source))?;
        sqlx::query("VACUUM INTO $1")
            .bind(out.to_string_lossy().into_owned())
            .execute(&mut live)
            .await
            .map_err(sqlite_err(source))?;
        let _ = live.close().await;
        inspect(out).await
    }
    .await;
    if result.is_err() {
        let _ = std::fs::remove_file(out);
    }
    result
}

/// Opens `file` read-only, runs `PRAGMA integrity_check` and reads which keys it needs.
pub async fn inspect(file: &Path) -> Result<BackupContents, BackupError> {
    let bytes = std::fs::metadata(file)
        .map_err(|source| BackupError::File {
            path: shown(file),
            source,
        })?
        .len();
    // Immutable: nothing else has this file open, and a read must not leave -wal/-shm files.
    let mut conn: SqliteConnection = SqliteConnectOptions::new()
        .filename(file)
        .read_only(true)
        .immutable(true)
        .connect()
        .await
        .map_err(sqlite_err(file))?;
    let report: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_all(&mut conn)
        .await
        .map_err(sqlite_err(file))?;
    if report != ["ok"] {
        return Err(BackupError::Integrity {
            path: shown(file),
            report: report.join("; "),
        });
    }
    let keys: Vec<(String, Option<i64>)> =
        sqlx::query_as("SELECT kid, retired_at FROM issuer_keys ORDER BY created_at, kid")
            .fetch_all(&mut conn)
            .await
            .map_err(sqlite_err(file))?;
    let kek_id: Option<String> =
        sqlx::query_scalar("SELECT kek_id FROM key_encryption_claim WHERE id = 1")
            .fetch_optional(&mut conn)
            .await
            .map_err(sqlite_err(file))?;
    let schema_version: i64 =
        sqlx::query_scalar("SELECT COALESCE(MAX(version), 0) FROM _sqlx_migrations WHERE success")
            .fetch_one(&mut conn)
            .await
            .map_err(sqlite_err(file))?;
    let _ = conn.close().await;
    Ok(BackupContents {
        bytes,
        integrity: "ok",
        current_issuer_kid: keys
            .iter()
            .rev()
            .find(|(_, retired)| retired.is_none())
            .map(|(kid, _)| kid.clone()),
        issuer_kids: keys.into_iter().map(|(kid, _)| kid).collect(),
        kek_id,
        schema_version,
    })
}

/// Puts the checked backup `from` in place as the database `target` (0600): through a
/// temporary file and a rename, so a cut-short restore leaves no half database under the real
/// name. A target holding data is refused unless `replace`; its stale `-wal`/`-shm` are removed
/// either way, as SQLite would otherwise replay an old WAL over the restored file.
pub async fn restore(from: &Path, target: &Path, replace: bool) -> Result<(), BackupError> {
    if !from.is_file() {
        return Err(BackupError::SourceMissing(shown(from)));
    }
    let siblings = [suffixed(target, "-wal"), suffixed(target, "-shm")];
    let has_data = [target, &siblings[0]]
        .iter()
        .any(|p| std::fs::metadata(p).is_ok_and(|m| m.len() > 0));
    if has_data && !replace {
        return Err(BackupError::TargetHasData(shown(target)));
    }
    if let Some(folder) = target.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(folder).map_err(file_err(folder))?;
        restrict(folder, 0o700);
    }
    let temporary = suffixed(target, ".pemulihan");
    let _ = std::fs::remove_file(&temporary);
    create_private(&temporary).map_err(file_err(&temporary))?;
    let copied = std::fs::copy(from, &temporary)
        .and_then(|_| std::fs::File::open(&temporary)?.sync_all())
        .map_err(file_err(&temporary));
    if let Err(err) = copied {
        let _ = std::fs::remove_file(&temporary);
        return Err(err);
    }
    for sibling in &siblings {
        match std::fs::remove_file(sibling) {
            Ok(()) => {}
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
            Err(err) => return Err(file_err(sibling)(err)),
        }
    }
    std::fs::rename(&temporary, target).map_err(file_err(target))?;
    restrict(target, 0o600);
    Ok(())
}

fn suffixed(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

#[cfg(unix)]
fn create_private(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .map(drop)
}

#[cfg(not(unix))]
fn create_private(path: &Path) -> std::io::Result<()> {
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map(drop)
}

fn shown(path: &Path) -> String {
    path.display().to_string()
}

fn sqlite_err(path: &Path) -> impl FnOnce(sqlx::Error) -> BackupError + '_ {
    move |source| BackupError::Sqlite {
        path: shown(path),
        source,
    }
}

fn file_err(path: &Path) -> impl FnOnce(std::io::Error) -> BackupError + '_ {
    move |source| BackupError::File {
        path: shown(path),
        source,
    }
}
