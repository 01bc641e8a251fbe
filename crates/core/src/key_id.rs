//! Key ids (`kid`) for issuer keys. Keys rotate, so a trust list holds several; every
//! credential names the key that signed it by this id.

use std::fmt;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// A key id: the first 8 bytes of SHA-256 over the public key's encoded bytes, in lower-case
/// hex. Derived, never chosen, so issuer and verifier cannot disagree about it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct KeyId(String);

impl KeyId {
    /// Bytes of the key id kept: 8 bytes make collisions among a handful of rotating issuer
    /// keys practically impossible while keeping the id short enough for a QR header.
    const LEN: usize = 8;

    pub fn from_public_key_bytes(public_key: &[u8]) -> Self {
        let digest = Sha256::digest(public_key);
        let hex = crate::hex::encode(&digest[..Self::LEN]);
        KeyId(hex)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_id_is_the_first_eight_bytes_of_sha256_in_hex() {
        // SHA-256("abc") = ba7816bf8f01cfea 414140de5dae2223 ...
        assert_eq!(
            KeyId::from_public_key_bytes(b"abc").as_str(),
            "ba7816bf8f01cfea"
        );
    }

    #[test]
    fn different_keys_get_different_ids() {
        assert_ne!(
            KeyId::from_public_key_bytes(&[4; 65]),
            KeyId::from_public_key_bytes(&[5; 65])
        );
    }
}
