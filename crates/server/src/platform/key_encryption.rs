//! The key-encryption key (KEK) that seals the issuer keys and the service secrets at rest.
//! The KEK itself never enters the database (where it comes from: `key_encryption_source.rs`),
//! so a copy of the database alone cannot sign nor mint desk tokens, captchas or QR keys.
//!
//! A sealed value is text: `sealed:v1:<kek id>:<nonce hex>:<ciphertext hex>`, AES-256-GCM
//! (the crate core already uses for the encrypted QR and the vault). The KEK id says which
//! key sealed it, so a wrong key is told apart from tampering, and a later KEK rotation or a
//! KMS/HSM (another variant of [`KeyEncryptionKey`], same `seal`/`open`) can coexist with rows
//! sealed under the old key. The associated data names the row ("service_secrets/captcha"),
//! so a sealed value moved into another row does not open.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use base64::Engine;
use rand_core::RngCore;
use sha2::{Digest, Sha256};

const PREFIX: &str = "sealed:v1:";
const NONCE_LEN: usize = 12;

#[derive(Debug, thiserror::Error)]
pub enum SealError {
    #[error(
        "basis data belum dibuka dengan kunci enkripsi kunci (KEK); rahasia tersegel tidak dapat \
         dibaca (the database was opened without its key-encryption key; sealed secrets cannot \
         be read)"
    )]
    Locked,
    #[error(
        "{context} disegel dengan KEK {found}, bukan KEK yang dipakai sekarang ({expected}) \
         ({context} was sealed under KEK {found}, not the one in use, {expected})"
    )]
    WrongKey {
        context: String,
        found: String,
        expected: String,
    },
    #[error(
        "{context} tidak dapat dibuka: isi tersegel rusak atau dipindah dari baris lain \
         ({context} does not open: the sealed value is damaged or was moved from another row)"
    )]
    Tampered { context: String },
}

/// Where secrets are sealed. Only a local AES key today; a KMS or HSM would be another
/// variant whose `seal`/`open` call out, and whose id prefixes its rows the same way.
#[derive(Clone)]
pub enum KeyEncryptionKey {
    Local { key: [u8; 32], id: String },
}

impl std::fmt::Debug for KeyEncryptionKey {
    // Never print key material, even in debug logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyEncryptionKey")
            .field("id", &self.id())
            .finish()
    }
}

impl KeyEncryptionKey {
    pub fn from_bytes(key: [u8; 32]) -> Self {
        // The id is a hash of a label and the key: it names the key without revealing it.
        let digest = Sha256::new()
            .chain_update(b"ikd-kek-id-v1")
            .chain_update(key)
            .finalize();
        KeyEncryptionKey::Local {
            key,
            id: ikd_core::hex::encode(&digest[..8]),
        }
    }

    /// A fresh random key (a new data folder, or a test's in-memory key).
    pub fn generate() -> Self {
        let mut key = [0u8; 32];
        rand_core::OsRng.fill_bytes(&mut key);
        Self::from_bytes(key)
    }

    /// 64 hex digits or the base64 of 32 bytes, surrounding whitespace ignored: the key file's
    /// form and `IKD_KEK`'s.
    pub fn parse_text(text: &str) -> Option<Self> {
        let text = text.trim();
        let bytes = ikd_core::hex::decode(text)
            .or_else(|| base64::engine::general_purpose::STANDARD.decode(text).ok())?;
        Some(Self::from_bytes(bytes.try_into().ok()?))
    }

    /// The key as 64 hex digits: what the key file holds, short enough to print and type back.
    pub fn to_text(&self) -> String {
        match self {
            KeyEncryptionKey::Local { key, .. } => ikd_core::hex::encode(key),
        }
    }

    pub fn id(&self) -> &str {
        match self {
            KeyEncryptionKey::Local { id, .. } => id,
        }
    }

    /// Seals `plaintext` for the row named `context` (e.g. `issuer_keys/<kid>`).
    pub fn seal(&self, context: &str, plaintext: &[u8]) -> String {
        let KeyEncryptionKey::Local { key, id } = self;
        let mut nonce = [0u8; NONCE_LEN];
        rand_core::OsRng.fill_bytes(&mut nonce);
        let cipher = Aes256Gcm::new(&Key::<Aes256Gcm>::from(*key));
        let aad = associated_data(id, context);
        let sealed = cipher
            .encrypt(
                &Nonce::from(nonce),
                Payload {
                    msg: plaintext,
                    aad: aad.as_bytes(),
                },
            )
            // AES-GCM fails only past 64 GiB of plaintext; ours are a few hundred bytes.
            .unwrap_or_default();
        format!(
            "{PREFIX}{id}:{}:{}",
            ikd_core::hex::encode(&nonce),
            ikd_core::hex::encode(&sealed)
        )
    }

    /// Opens what [`seal`](Self::seal) made for the same `context`.
    pub fn open(&self, context: &str, stored: &str) -> Result<Vec<u8>, SealError> {
        let KeyEncryptionKey::Local { key, id } = self;
        let tampered = || SealError::Tampered {
            context: context.to_owned(),
        };
        let (found, nonce, sealed) = split(stored).ok_or_else(tampered)?;
        let nonce: [u8; NONCE_LEN] = nonce.try_into().map_err(|_| tampered())?;
        if found != id {
            return Err(SealError::WrongKey {
                context: context.to_owned(),
                found: found.to_owned(),
                expected: id.clone(),
            });
        }
        let cipher = Aes256Gcm::new(&Key::<Aes256Gcm>::from(*key));
        let aad = associated_data(id, context);
        cipher
            .decrypt(
                &Nonce::from(nonce),
                Payload {
                    msg: &sealed,
                    aad: aad.as_bytes(),
                },
            )
            .map_err(|_| tampered())
    }
}

/// Whether a stored value is sealed; anything else is a row written before sealing existed
/// (hex or PEM, neither of which can start with the prefix).
pub fn is_sealed(stored: &str) -> bool {
    stored.starts_with(PREFIX)
}

/// The associated data of an issuer key's row: both the key ring (trust) and the first unlock,
/// which seals rows an older version left in the clear (platform), must name it alike.
pub fn issuer_key_context(kid: &str) -> String {
    format!("issuer_keys/{kid}")
}

fn associated_data(kek_id: &str, context: &str) -> String {
    format!("{PREFIX}{kek_id}:{context}")
}

fn split(stored: &str) -> Option<(&str, Vec<u8>, Vec<u8>)> {
    let mut parts = stored.strip_prefix(PREFIX)?.split(':');
    let id = parts.next()?;
    let nonce = ikd_core::hex::decode(parts.next()?)?;
    let sealed = ikd_core::hex::decode(parts.next()?)?;
    (parts.next().is_none() && nonce.len() == NONCE_LEN).then_some((id, nonce, sealed))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_value_opens_with_its_key_and_row_only() {
        let kek = KeyEncryptionKey::generate();
        let sealed = kek.seal("service_secrets/captcha", b"secret bytes");
        assert!(is_sealed(&sealed));
        assert!(!sealed.contains(&ikd_core::hex::encode(b"secret bytes")));
        assert_eq!(
            kek.open("service_secrets/captcha", &sealed).expect("opens"),
            b"secret bytes"
        );
        let moved = kek.open("service_secrets/desk", &sealed);
        assert!(
            matches!(moved, Err(SealError::Tampered { .. })),
            "{moved:?}"
        );
        let other = KeyEncryptionKey::generate().open("service_secrets/captcha", &sealed);
        assert!(
            matches!(other, Err(SealError::WrongKey { .. })),
            "{other:?}"
        );
    }

    #[test]
    fn the_key_reads_back_from_hex_and_base64_with_the_same_id() {
        let kek = KeyEncryptionKey::generate();
        let hex = KeyEncryptionKey::parse_text(&format!("{}\n", kek.to_text())).expect("hex");
        assert_eq!(hex.id(), kek.id());
        let KeyEncryptionKey::Local { key, .. } = &kek;
        let b64 = base64::engine::general_purpose::STANDARD.encode(key);
        assert_eq!(
            KeyEncryptionKey::parse_text(&b64).expect("base64").id(),
            kek.id()
        );
        assert!(KeyEncryptionKey::parse_text("abcd").is_none());
        assert!(!format!("{kek:?}").contains(&kek.to_text()));
    }
}
