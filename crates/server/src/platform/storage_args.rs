//! Where the service keeps its data, as every `ikd` command that touches it is told: flags that
//! also read environment variables, shared through `#[command(flatten)]`.

use std::path::PathBuf;

use anyhow::Context;
use clap::Args;

use crate::platform::db::{DatabaseUrl, Db};
use crate::platform::key_encryption_source::{self, KEK_ENV, restrict};

#[derive(Debug, Clone, Args)]
pub struct StorageArgs {
    /// Folder data: kunci penerbit, basis data SQLite bawaan, kotak keluar email
    /// (data directory: issuer keys, default SQLite database, email outbox)
    #[arg(long, env = "IKD_DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,

    /// Alamat basis data, sqlite://… atau postgres://… (database URL; default: SQLite file
    /// `ikd.db` in the data directory)
    #[arg(long, env = "IKD_DATABASE_URL")]
    pub database_url: Option<String>,

    /// Berkas kunci enkripsi kunci (KEK) yang menyegel kunci penerbit dan rahasia layanan;
    /// diabaikan bila IKD_KEK diisi (key-encryption key file; default `kunci-enkripsi.key` in
    /// the data directory; IKD_KEK, the key itself, takes precedence)
    #[arg(long, env = "IKD_KEK_FILE")]
    pub kek_file: Option<PathBuf>,
}

impl StorageArgs {
    pub fn database_url(&self) -> anyhow::Result<DatabaseUrl> {
        match &self.database_url {
            Some(url) => Ok(url.parse()?),
            None => Ok(DatabaseUrl::sqlite_file(&self.data_dir.join("ikd.db"))),
        }
    }

    pub fn kek_file(&self) -> PathBuf {
        self.kek_file
            .clone()
            .unwrap_or_else(|| key_encryption_source::default_file(&self.data_dir))
    }

    /// Creates the data directory if needed (0700: it holds the database and the key file),
    /// connects, migrates and unlocks the sealed secrets with the key-encryption key (from
    /// `IKD_KEK` or the key file; `key_encryption_source.rs`). The default SQLite file and its
    /// journal are 0600.
    pub async fn connect(&self) -> anyhow::Result<Db> {
        std::fs::create_dir_all(&self.data_dir).with_context(|| {
            format!(
                "folder data {} tidak dapat dibuat (cannot create the data directory)",
                self.data_dir.display()
            )
        })?;
        restrict(&self.data_dir, 0o700);
        let db = Db::connect(&self.database_url()?).await?;
        if self.database_url.is_none() {
            // SQLite makes the file with the umask's mode (inside the 0700 folder, so no one
            // else could open it meanwhile) and its -wal and -shm with the database's mode.
            let file = self.data_dir.join("ikd.db");
            for suffix in ["", "-wal", "-shm"] {
                let path = PathBuf::from(format!("{}{suffix}", file.display()));
                if path.exists() {
                    restrict(&path, 0o600);
                }
            }
        }
        let env_kek = std::env::var(KEK_ENV).ok();
        Ok(key_encryption_source::unlock(db, &self.kek_file(), env_kek).await?)
    }
}
