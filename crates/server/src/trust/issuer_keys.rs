//! The issuer's ES256 (P-256) signing key and its PEM files (`ikd keygen`, and the import of
//! a key file into the key ring, `issuer_keyring`).

use std::fs;
use std::path::Path;

use ikd_core::KeyId;
use p256::SecretKey;
use p256::pkcs8::{DecodePrivateKey, EncodePrivateKey, EncodePublicKey, LineEnding};

pub const PRIVATE_KEY_FILE: &str = "issuer.key.pem";
pub const PUBLIC_KEY_FILE: &str = "issuer.pub.pem";

#[derive(Debug, thiserror::Error)]
pub enum IssuerKeyError {
    #[error("kunci penerbit tidak dapat dibaca dari {path} (issuer key unreadable): {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error(
        "kunci penerbit di {path} bukan kunci P-256 PKCS#8 yang sah (not a valid P-256 PKCS#8 key)"
    )]
    Parse { path: String },
    #[error("kunci penerbit tidak dapat ditulis ke {path} (issuer key unwritable): {source}")]
    Write {
        path: String,
        source: std::io::Error,
    },
}

/// The issuer's private key. Its public half is what the trust list publishes.
#[derive(Clone)]
pub struct IssuerKey {
    secret: SecretKey,
}

impl std::fmt::Debug for IssuerKey {
    // Never print key material, even in debug logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IssuerKey")
            .field("kid", &self.kid())
            .finish()
    }
}

impl IssuerKey {
    pub fn generate() -> Self {
        IssuerKey {
            secret: SecretKey::random(&mut rand_core::OsRng),
        }
    }

    /// The uncompressed SEC1 point (65 bytes), the form trust lists and Claim 169 use.
    pub fn public_key_sec1(&self) -> Vec<u8> {
        use p256::elliptic_curve::sec1::ToEncodedPoint;
        self.secret
            .public_key()
            .to_encoded_point(false)
            .as_bytes()
            .to_vec()
    }

    pub fn kid(&self) -> KeyId {
        KeyId::from_public_key_bytes(&self.public_key_sec1())
    }

    /// The ECDSA key that signs credentials, bundles and revocation lists.
    pub fn signing_key(&self) -> p256::ecdsa::SigningKey {
        p256::ecdsa::SigningKey::from(&self.secret)
    }

    /// PKCS#8 PEM, the form the key ring stores.
    pub fn to_pem(&self) -> Option<String> {
        self.secret
            .to_pkcs8_pem(LineEnding::LF)
            .ok()
            .map(|pem| pem.to_string())
    }

    pub fn from_pem(pem: &str) -> Option<Self> {
        SecretKey::from_pkcs8_pem(pem)
            .ok()
            .map(|secret| IssuerKey { secret })
    }

    /// Reads the key file in `dir` if there is one (an older installation, or a key made
    /// with `ikd keygen` to be imported).
    pub fn load_existing(dir: &Path) -> Result<Option<Self>, IssuerKeyError> {
        if dir.join(PRIVATE_KEY_FILE).exists() {
            Self::load_or_create(dir).map(Some)
        } else {
            Ok(None)
        }
    }

    /// Loads the key from `dir`, or creates it there when there is none yet. An existing but
    /// unreadable key is an error, never silently replaced: credentials signed with it would
    /// stop verifying.
    pub fn load_or_create(dir: &Path) -> Result<Self, IssuerKeyError> {
        let path = dir.join(PRIVATE_KEY_FILE);
        if path.exists() {
            let pem = fs::read_to_string(&path).map_err(|source| IssuerKeyError::Read {
                path: path.display().to_string(),
                source,
            })?;
            let secret = SecretKey::from_pkcs8_pem(&pem).map_err(|_| IssuerKeyError::Parse {
                path: path.display().to_string(),
            })?;
            return Ok(IssuerKey { secret });
        }
        let key = IssuerKey::generate();
        key.write_pem_files(dir)?;
        tracing::info!(kid = %key.kid(), path = %path.display(), "kunci penerbit baru dibuat (new issuer key created)");
        Ok(key)
    }

    /// Writes `issuer.key.pem` (PKCS#8, readable by the owner only) and `issuer.pub.pem` (SPKI).
    pub fn write_pem_files(&self, dir: &Path) -> Result<(), IssuerKeyError> {
        let write_err = |path: &Path| {
            let path = path.display().to_string();
            move |source| IssuerKeyError::Write { path, source }
        };
        fs::create_dir_all(dir).map_err(write_err(dir))?;
        let private_pem =
            self.secret
                .to_pkcs8_pem(LineEnding::LF)
                .map_err(|_| IssuerKeyError::Parse {
                    path: dir.display().to_string(),
                })?;
        let public_pem = self
            .secret
            .public_key()
            .to_public_key_pem(LineEnding::LF)
            .map_err(|_| IssuerKeyError::Parse {
                path: dir.display().to_string(),
            })?;
        let private_path = dir.join(PRIVATE_KEY_FILE);
        write_private(&private_path, private_pem.as_bytes()).map_err(write_err(&private_path))?;
        let public_path = dir.join(PUBLIC_KEY_FILE);
        fs::write(&public_path, public_pem).map_err(write_err(&public_path))?;
        Ok(())
    }
}

#[cfg(unix)]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

#[cfg(not(unix))]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    fs::write(path, bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_created_key_is_loaded_back_unchanged() {
        let dir = tempfile::tempdir().expect("tempdir");
        let created = IssuerKey::load_or_create(dir.path()).expect("create");
        let loaded = IssuerKey::load_or_create(dir.path()).expect("load");
        assert_eq!(created.kid(), loaded.kid());
        assert_eq!(created.public_key_sec1().len(), 65);
        let public = fs::read_to_string(dir.path().join(PUBLIC_KEY_FILE)).expect("public pem");
        assert!(public.starts_with("-----BEGIN PUBLIC KEY-----"));
    }

    #[test]
    fn a_corrupt_key_is_an_error_not_a_silent_replacement() {
        let dir = tempfile::tempdir().expect("tempdir");
        fs::write(dir.path().join(PRIVATE_KEY_FILE), "not a key").expect("write");
        let err = IssuerKey::load_or_create(dir.path()).expect_err("must refuse");
        assert!(matches!(err, IssuerKeyError::Parse { .. }), "{err}");
        assert_eq!(
            fs::read_to_string(dir.path().join(PRIVATE_KEY_FILE)).expect("read"),
            "not a key"
        );
    }
}
