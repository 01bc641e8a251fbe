//! Where the key-encryption key (KEK) comes from, and the check that it is the key this
//! database was sealed under. In order: `IKD_KEK` (hex or base64; how replicas on one
//! PostgreSQL share it, by configuration), else the key file (`--kek-file`, by default
//! `kunci-enkripsi.key` in the data folder, mode 0600). A fresh database with neither gets a new
//! key file; a database already sealed gets none: without its key the service refuses to start
//! and says which key it needs and where it looked, rather than starting unable to sign.

use std::path::{Path, PathBuf};

use crate::platform::db::{Db, DbError};
use crate::platform::key_encryption::{KeyEncryptionKey, SealError};
use crate::platform::secrets;

/// The key file's name in the data folder.
pub const KEK_FILE: &str = "kunci-enkripsi.key";
/// The environment variable that holds the key itself (replicas, secret stores).
pub const KEK_ENV: &str = "IKD_KEK";

#[derive(Debug, thiserror::Error)]
pub enum KekError {
    #[error(
        "basis data ini disegel dengan kunci enkripsi kunci (KEK) {kek_id}, tetapi kunci itu tidak \
         ada di {path} dan {KEK_ENV} tidak diisi, jadi layanan tidak dapat menandatangani. Salin \
         berkas {KEK_FILE} dari folder data asal ke {path} (izin 0600) atau isi {KEK_ENV}. \
         (This database is sealed under key-encryption key {kek_id}, but that key is not at \
         {path} and {KEK_ENV} is not set, so the service cannot sign. Copy {KEK_FILE} from the \
         original data folder to {path} (mode 0600) or set {KEK_ENV}.)"
    )]
    Missing { path: String, kek_id: String },
    #[error(
        "kunci enkripsi kunci dari {origin} (id {ours}) bukan kunci yang menyegel basis data ini \
         (id {claimed}); pakai berkas {KEK_FILE} atau {KEK_ENV} yang asli. (The key-encryption \
         key from {origin} (id {ours}) is not the key this database is sealed under (id \
         {claimed}); use the original {KEK_FILE} or {KEK_ENV}.)"
    )]
    Wrong {
        origin: String,
        ours: String,
        claimed: String,
    },
    #[error(
        "kunci enkripsi kunci dari {origin} bukan 32 bita (64 digit heksadesimal atau base64) \
         (the key-encryption key from {origin} is not 32 bytes, as 64 hex digits or base64)"
    )]
    Invalid { origin: String },
    #[error(
        "berkas kunci enkripsi kunci {path} tidak dapat dibaca atau dibuat (the key-encryption \
         key file cannot be read or created): {source}"
    )]
    File {
        path: String,
        source: std::io::Error,
    },
    #[error(transparent)]
    Database(#[from] DbError),
}

/// Unlocks `db` with the configured key (see the module comment). `env_value` is `IKD_KEK`.
pub async fn unlock(db: Db, kek_file: &Path, env_value: Option<String>) -> Result<Db, KekError> {
    let (kek, origin, created) = match env_value.filter(|v| !v.trim().is_empty()) {
        Some(text) => (parse(&text, KEK_ENV)?, KEK_ENV.to_owned(), false),
        None if kek_file.exists() => (read_file(kek_file)?, shown(kek_file), false),
        None => {
            if let Some(kek_id) = secrets::claimed_key_id(&db).await? {
                return Err(KekError::Missing {
                    path: shown(kek_file),
                    kek_id,
                });
            }
            (create_file(kek_file)?, shown(kek_file), true)
        }
    };
    match db.unlock(kek.clone()).await {
        Ok(db) => Ok(db),
        Err(DbError::Sealing(SealError::WrongKey { found, .. })) => {
            if created {
                // Another start (a replica racing this one) claimed the database first; the
                // file this start just made sealed nothing, and leaving it would mislead.
                let _ = std::fs::remove_file(kek_file);
            }
            Err(KekError::Wrong {
                origin,
                ours: kek.id().to_owned(),
                claimed: found,
            })
        }
        Err(other) => Err(other.into()),
    }
}

fn shown(path: &Path) -> String {
    path.display().to_string()
}

fn parse(text: &str, origin: &str) -> Result<KeyEncryptionKey, KekError> {
    KeyEncryptionKey::parse_text(text).ok_or_else(|| KekError::Invalid {
        origin: origin.to_owned(),
    })
}

fn read_file(path: &Path) -> Result<KeyEncryptionKey, KekError> {
    let file_err = |source| KekError::File {
        path: shown(path),
        source,
    };
    let text = std::fs::read_to_string(path).map_err(file_err)?;
    restrict(path, 0o600);
    parse(&text, &shown(path))
}

/// A new key, written with mode 0600 from the start (never readable by others, not even for a
/// moment) and never over an existing file.
fn create_file(path: &Path) -> Result<KeyEncryptionKey, KekError> {
    let kek = KeyEncryptionKey::generate();
    write_new_private(path, format!("{}\n", kek.to_text()).as_bytes()).map_err(|source| {
        KekError::File {
            path: shown(path),
            source,
        }
    })?;
    tracing::warn!(
        path = %path.display(),
        kek_id = kek.id(),
        "kunci pembungkus kunci (KEK) baru dibuat; simpan salinannya terpisah dari cadangan basis data \
         (new key-encryption key created; back it up apart from the database backups)"
    );
    Ok(kek)
}

#[cfg(unix)]
fn write_new_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

#[cfg(not(unix))]
fn write_new_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// Sets `path`'s mode (unix). A failure is a warning, not a refusal: a folder on a mount the
/// service does not own may not allow it, and the operator then decides.
pub fn restrict(path: &Path, mode: u32) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if let Err(err) = std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)) {
            tracing::warn!(path = %path.display(), %err, "izin berkas tidak dapat dibatasi (cannot restrict permissions)");
        }
    }
    #[cfg(not(unix))]
    let _ = (path, mode);
}

/// The default key file for a data folder.
pub fn default_file(data_dir: &Path) -> PathBuf {
    data_dir.join(KEK_FILE)
}
