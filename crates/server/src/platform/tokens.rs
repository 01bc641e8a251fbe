//! Random secrets handed to people (session tokens, reset links, ids) and how they are
//! stored: only a SHA-256 of a token reaches the database, so reading the database does not
//! give anyone a working session. Codes short enough to guess offline (activation codes) are
//! stored keyed (HMAC) instead.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use rand_core::RngCore;
use sha2::{Digest, Sha256};

/// 256 random bits, base64url: session cookies and reset links.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand_core::OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// 128 random bits in hex: registration ids and credential batch ids.
pub fn new_id() -> String {
    let mut bytes = [0u8; 16];
    rand_core::OsRng.fill_bytes(&mut bytes);
    ikd_core::hex::encode(&bytes)
}

pub fn sha256_hex(text: &str) -> String {
    ikd_core::hex::encode(&Sha256::digest(text.as_bytes()))
}

pub fn hmac_hex(key: &[u8], text: &str) -> String {
    ikd_core::hex::encode(&hmac_bytes(key, text.as_bytes()))
}

pub fn hmac_bytes(key: &[u8], message: &[u8]) -> [u8; 32] {
    // HMAC accepts keys of any length, so this cannot fail.
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).unwrap_or_else(|_| {
        <Hmac<Sha256> as Mac>::new_from_slice(&[0u8; 32]).expect("a 32-byte key is valid")
    });
    mac.update(message);
    mac.finalize().into_bytes().into()
}

/// Compares secrets in time that does not depend on where they differ.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_and_unique() {
        let a = new_token();
        assert_eq!(a.len(), 43);
        assert_ne!(a, new_token());
        assert_eq!(new_id().len(), 32);
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
    }
}
