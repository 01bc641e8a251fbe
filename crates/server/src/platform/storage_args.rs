//! Where the service keeps its data, as every `ikd` command that touches it is told: flags that
//! also read environment variables, shared through `#[command(flatten)]`.

use std::path::PathBuf;

use anyhow::Context;
use clap::Args;

use crate::platform::db::{DatabaseUrl, Db};

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
}

impl StorageArgs {
    pub fn database_url(&self) -> anyhow::Result<DatabaseUrl> {
        match &self.database_url {
            Some(url) => Ok(url.parse()?),
            None => Ok(DatabaseUrl::sqlite_file(&self.data_dir.join("ikd.db"))),
        }
    }

    /// Creates the data directory if needed, connects and migrates.
    pub async fn connect(&self) -> anyhow::Result<Db> {
        std::fs::create_dir_all(&self.data_dir).with_context(|| {
            format!(
                "folder data {} tidak dapat dibuat (cannot create the data directory)",
                self.data_dir.display()
            )
        })?;
        Ok(Db::connect(&self.database_url()?).await?)
    }
}
