//! `ikd restore --from FILE`: puts a backup made by `ikd backup` in place as a data folder's
//! database, brings its schema up to date (a newer binary restoring an older backup) and checks
//! the key-encryption key it needs. The KEK travels apart from the backup: with the right one
//! present the restore reports the issuer key that will sign; without it, or with another, it
//! says which key it needs and how to supply it. It never makes a new KEK for a sealed copy:
//! that would leave a database nothing can open.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;
use ikd_core::DatabaseKind;

use crate::platform::db::Db;
use crate::platform::key_encryption_source::{self, KEK_ENV, KekError, restrict};
use crate::platform::secrets;
use crate::platform::sqlite_backup;
use crate::platform::storage_args::StorageArgs;
use crate::trust::issuer_keyring;

#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// Berkas cadangan dari `ikd backup` (the backup file made by `ikd backup`)
    #[arg(long)]
    pub from: PathBuf,

    /// Timpa basis data tujuan yang sudah berisi data; hentikan layanannya dulu (overwrite a
    /// target database that holds data; stop its service first)
    #[arg(long)]
    pub replace: bool,

    #[command(flatten)]
    pub storage: StorageArgs,
}

/// Whether the restored database can be opened with the key-encryption key at hand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
enum KekStatus {
    /// The right key is present; the service can start and sign.
    Ok,
    /// Neither `IKD_KEK` nor the key file: supply the key the answer names.
    Missing,
    /// A key is present, but another one sealed this database.
    Wrong,
    /// A backup from before sealing existed: the first start seals it under a new key.
    NotSealed,
}

pub fn run(args: RestoreArgs) -> ExitCode {
    super::block_on(async {
        match restore(args).await {
            Ok(KekStatus::Missing | KekStatus::Wrong) => ExitCode::FAILURE,
            Ok(_) => ExitCode::SUCCESS,
            Err(err) => super::exit_code(Err(err)),
        }
    })
}

async fn restore(args: RestoreArgs) -> anyhow::Result<KekStatus> {
    let url = args.storage.database_url()?;
    anyhow::ensure!(
        url.kind() == DatabaseKind::Sqlite,
        super::backup::POSTGRES_RECIPE
    );
    let target = sqlite_backup::file_of(&url)?;
    // The backup is checked before anything in the target is touched.
    let contents = sqlite_backup::inspect(&args.from).await?;
    std::fs::create_dir_all(&args.storage.data_dir)?;
    restrict(&args.storage.data_dir, 0o700);
    sqlite_backup::restore(&args.from, &target, args.replace).await?;

    let db = Db::connect(&url).await?;
    for suffix in ["-wal", "-shm"] {
        let sibling = PathBuf::from(format!("{}{suffix}", target.display()));
        if sibling.exists() {
            restrict(&sibling, 0o600);
        }
    }
    let schema_version = db.schema_version().await?;
    let (status, issuer_kid, problem) = check_kek(db, &args.storage).await?;
    super::print_json_line(&serde_json::json!({
        "restored": target,
        "from": args.from,
        "bytes": contents.bytes,
        "integrity": contents.integrity,
        "backupSchemaVersion": contents.schema_version,
        "schemaVersion": schema_version,
        "kek": status,
        "kekId": contents.kek_id,
        "issuerKid": issuer_kid,
        "message": problem.as_ref().map(ToString::to_string),
    }));
    if let Some(problem) = problem {
        eprintln!(
            "ikd: basis data dipulihkan ke {0}, tetapi belum dapat dipakai (the database was \
             restored to {0}, but cannot be used yet): {problem}",
            target.display()
        );
    }
    Ok(status)
}

/// Opens the restored database with the configured key, never creating one; the issuer key
/// that signs when it opens, the refusal (which key, and how to supply it) when it does not.
async fn check_kek(
    db: Db,
    storage: &StorageArgs,
) -> anyhow::Result<(KekStatus, Option<String>, Option<KekError>)> {
    let Some(kek_id) = secrets::claimed_key_id(&db).await? else {
        return Ok((KekStatus::NotSealed, None, None));
    };
    let env_kek = std::env::var(KEK_ENV).ok().filter(|v| !v.trim().is_empty());
    let kek_file = storage.kek_file();
    if env_kek.is_none() && !kek_file.exists() {
        let missing = KekError::Missing {
            path: shown(&kek_file),
            kek_id,
        };
        return Ok((KekStatus::Missing, None, Some(missing)));
    }
    match key_encryption_source::unlock(db, &kek_file, env_kek).await {
        Ok(db) => {
            let key = issuer_keyring::current(&db).await?;
            Ok((KekStatus::Ok, Some(key.kid().as_str().to_owned()), None))
        }
        Err(wrong @ KekError::Wrong { .. }) => Ok((KekStatus::Wrong, None, Some(wrong))),
        Err(other) => Err(other.into()),
    }
}

fn shown(path: &Path) -> String {
    path.display().to_string()
}
