//! `ikd backup --out FILE`: a consistent copy of the SQLite database while `ikd serve` keeps
//! running (`platform/sqlite_backup.rs`), checked before it is reported. It needs no key: the
//! copy's secrets stay sealed, and the answer names the key-encryption key the copy needs, which
//! is never in it and must be kept apart. PostgreSQL has its own tools; the README's recipe.

use clap::Args;
use ikd_core::DatabaseKind;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::platform::clock;
use crate::platform::sqlite_backup;
use crate::platform::storage_args::StorageArgs;

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// Berkas cadangan baru; berkas yang sudah ada tidak pernah ditimpa (the new backup file;
    /// an existing file is never overwritten)
    #[arg(long)]
    pub out: PathBuf,

    #[command(flatten)]
    pub storage: StorageArgs,
}

/// Why a PostgreSQL database is not backed up by this command, and where the recipe is.
pub(super) const POSTGRES_RECIPE: &str = "basis data PostgreSQL dicadangkan dengan alat PostgreSQL sendiri: `pg_dump -Fc` dan \
     `pg_restore`, atau PITR dengan pengarsipan WAL; resepnya ada di README bagian \"Keys at \
     rest and backups\" (a PostgreSQL database is backed up with PostgreSQL's own tools: \
     `pg_dump -Fc` and `pg_restore`, or PITR with WAL archiving; the recipe is in the README, \
     \"Keys at rest and backups\")";

pub fn run(args: BackupArgs) -> ExitCode {
    super::block_on(async { super::exit_code(backup(args).await) })
}

async fn backup(args: BackupArgs) -> anyhow::Result<()> {
    let url = args.storage.database_url()?;
    anyhow::ensure!(url.kind() == DatabaseKind::Sqlite, POSTGRES_RECIPE);
    let source = sqlite_backup::file_of(&url)?;
    let started = clock::stopwatch();
    let contents = sqlite_backup::back_up(&source, &args.out).await?;
    let kek = contents.kek_id.clone().unwrap_or_else(|| "-".to_owned());
    // One flat object: the file, then what it holds (bytes, integrity, issuer keys, KEK id).
    let mut answer = serde_json::json!({
        "file": args.out,
        "seconds": started.elapsed().as_secs_f64(),
        "peringatan": format!(
            "Kunci enkripsi kunci (KEK {kek}) TIDAK ada di cadangan ini. Simpan berkas \
             kunci-enkripsi.key atau nilai IKD_KEK terpisah dari cadangan; tanpa kunci itu \
             cadangan ini tidak dapat menandatangani."
        ),
        "warning": format!(
            "The key-encryption key (KEK {kek}) is NOT in this backup. Keep the \
             kunci-enkripsi.key file or the IKD_KEK value apart from the backups; without it \
             this backup cannot sign."
        ),
    });
    if let (Some(answer), serde_json::Value::Object(held)) =
        (answer.as_object_mut(), serde_json::to_value(&contents)?)
    {
        answer.extend(held);
    }
    super::print_json_line(&answer);
    Ok(())
}
