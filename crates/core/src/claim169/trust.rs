//! The keys a verifier trusts. Issuer keys rotate, so a trust list holds several, each with
//! its kid and an optional window in which it is accepted.

use serde::{Deserialize, Serialize};

use crate::KeyId;

/// Signature algorithms accepted on decode. Issuing uses ES256 only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SignatureAlgorithm {
    /// ECDSA on P-256 with SHA-256 (COSE -7).
    #[serde(rename = "ES256")]
    Es256,
    /// Ed25519 (COSE -8).
    #[serde(rename = "EdDSA")]
    EdDsa,
}

impl SignatureAlgorithm {
    pub fn as_str(self) -> &'static str {
        match self {
            SignatureAlgorithm::Es256 => "ES256",
            SignatureAlgorithm::EdDsa => "EdDSA",
        }
    }
}

/// A public key of one of the accepted algorithms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PublicKey {
    Es256(p256::ecdsa::VerifyingKey),
    EdDsa(ed25519_dalek::VerifyingKey),
}

impl PublicKey {
    pub fn algorithm(&self) -> SignatureAlgorithm {
        match self {
            PublicKey::Es256(_) => SignatureAlgorithm::Es256,
            PublicKey::EdDsa(_) => SignatureAlgorithm::EdDsa,
        }
    }

    /// The key's bytes as trust lists publish them: the 65-byte uncompressed P-256 point, or
    /// the 32-byte Ed25519 key.
    pub fn to_bytes(&self) -> Vec<u8> {
        match self {
            PublicKey::Es256(key) => key.to_encoded_point(false).as_bytes().to_vec(),
            PublicKey::EdDsa(key) => key.to_bytes().to_vec(),
        }
    }

    /// Reads a published key, telling the algorithm by length: 65 bytes (uncompressed point,
    /// `04 || x || y`) is ES256, 32 bytes is Ed25519.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, KeyError> {
        match bytes.len() {
            65 => p256::ecdsa::VerifyingKey::from_sec1_bytes(bytes)
                .map(PublicKey::Es256)
                .map_err(|_| KeyError::InvalidEs256),
            32 => {
                let array: [u8; 32] = bytes.try_into().map_err(|_| KeyError::InvalidEd25519)?;
                ed25519_dalek::VerifyingKey::from_bytes(&array)
                    .map(PublicKey::EdDsa)
                    .map_err(|_| KeyError::InvalidEd25519)
            }
            length => Err(KeyError::Length { length }),
        }
    }

    /// IKD's kid for this key: the first 8 bytes of SHA-256 over `to_bytes()` (see `KeyId`).
    pub fn derived_kid(&self) -> Vec<u8> {
        kid_bytes(&KeyId::from_public_key_bytes(&self.to_bytes()))
    }
}

/// The kid of an ES256 issuer key, as `issue` expects it.
pub fn es256_kid(key: &p256::ecdsa::VerifyingKey) -> Vec<u8> {
    PublicKey::Es256(*key).derived_kid()
}

/// A `KeyId`'s bytes (it is lower-case hex of whole bytes, so this cannot fail in practice;
/// a malformed pair would be skipped rather than panic).
fn kid_bytes(id: &KeyId) -> Vec<u8> {
    id.as_str()
        .as_bytes()
        .chunks(2)
        .filter_map(|pair| {
            let text = std::str::from_utf8(pair).ok()?;
            u8::from_str_radix(text, 16).ok()
        })
        .collect()
}

/// Why bytes are not a usable public key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    #[error(
        "kunci publik harus 65 bita (P-256) atau 32 bita (Ed25519), bukan {length} (public key must be 65 or 32 bytes, not {length})"
    )]
    Length { length: usize },
    #[error("bukan titik P-256 yang sah (not a valid P-256 point)")]
    InvalidEs256,
    #[error("bukan kunci Ed25519 yang sah (not a valid Ed25519 key)")]
    InvalidEd25519,
}

/// One trusted issuer key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustedKey {
    pub kid: Vec<u8>,
    pub key: PublicKey,
    /// Unix seconds from which signatures by this key are accepted.
    pub not_before: Option<i64>,
    /// Unix seconds from which signatures by this key are no longer accepted.
    pub not_after: Option<i64>,
}

impl TrustedKey {
    /// A key with IKD's derived kid and no validity window.
    pub fn new(key: PublicKey) -> Self {
        TrustedKey {
            kid: key.derived_kid(),
            key,
            not_before: None,
            not_after: None,
        }
    }

    pub fn with_kid(mut self, kid: &[u8]) -> Self {
        self.kid = kid.to_vec();
        self
    }

    pub fn with_validity(mut self, not_before: Option<i64>, not_after: Option<i64>) -> Self {
        self.not_before = not_before;
        self.not_after = not_after;
        self
    }

    /// Whether the key may be used at `now`. The window is checked against the time of
    /// verification, not the credential's `iat`: a retired key that leaks must not be able to
    /// sign backdated credentials.
    pub fn valid_at(&self, now: i64) -> bool {
        self.not_before.is_none_or(|start| now >= start)
            && self.not_after.is_none_or(|end| now < end)
    }
}

/// The keys a verifier trusts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustList {
    keys: Vec<TrustedKey>,
}

impl TrustList {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, key: TrustedKey) {
        self.keys.push(key);
    }

    pub fn with(mut self, key: TrustedKey) -> Self {
        self.add(key);
        self
    }

    pub fn keys(&self) -> &[TrustedKey] {
        &self.keys
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The keys that may have made a signature with `alg` and, when the credential names
    /// one, `kid`. With a kid there is no fallback to other keys: a credential that names a
    /// key we do not have is from an issuer we do not know.
    pub(crate) fn candidates<'a>(
        &'a self,
        alg: SignatureAlgorithm,
        kid: Option<&'a [u8]>,
        now: Option<i64>,
    ) -> impl Iterator<Item = &'a TrustedKey> + 'a {
        self.keys.iter().filter(move |trusted| {
            trusted.key.algorithm() == alg
                && kid.is_none_or(|kid| trusted.kid == kid)
                && now.is_none_or(|now| trusted.valid_at(now))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ES256_POINT: &str = "042cfe5f8eb00f1b5a68295ed1af4355d86a9139294dbcc794294a69624e09535b3fc71f33f3b7b1372bd4ce7f2f28d7d1bd01d25777281fa51be3febf9be75fb9";
    const ED25519_KEY: &str = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";

    fn unhex(text: &str) -> Vec<u8> {
        (0..text.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
            .collect()
    }

    #[test]
    fn the_length_tells_the_algorithm() {
        let es = PublicKey::from_bytes(&unhex(ES256_POINT)).unwrap();
        let ed = PublicKey::from_bytes(&unhex(ED25519_KEY)).unwrap();
        assert_eq!(es.algorithm(), SignatureAlgorithm::Es256);
        assert_eq!(ed.algorithm(), SignatureAlgorithm::EdDsa);
        assert_eq!(es.to_bytes(), unhex(ES256_POINT));
    }

    #[test]
    fn other_lengths_and_off_curve_points_are_refused() {
        assert_eq!(
            PublicKey::from_bytes(&[4; 33]),
            Err(KeyError::Length { length: 33 })
        );
        let mut point = unhex(ES256_POINT);
        point[64] ^= 1;
        assert_eq!(PublicKey::from_bytes(&point), Err(KeyError::InvalidEs256));
    }

    #[test]
    fn derived_kid_matches_key_id() {
        let key = PublicKey::from_bytes(&unhex(ES256_POINT)).unwrap();
        let hex: String = key
            .derived_kid()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(
            hex,
            KeyId::from_public_key_bytes(&unhex(ES256_POINT)).as_str()
        );
        assert_eq!(key.derived_kid().len(), 8);
    }

    #[test]
    fn validity_window_is_start_inclusive_end_exclusive() {
        let key = TrustedKey::new(PublicKey::from_bytes(&unhex(ED25519_KEY)).unwrap())
            .with_validity(Some(100), Some(200));
        assert!(!key.valid_at(99));
        assert!(key.valid_at(100));
        assert!(key.valid_at(199));
        assert!(!key.valid_at(200));
    }

    #[test]
    fn candidates_filter_by_algorithm_kid_and_time() {
        let ed = TrustedKey::new(PublicKey::from_bytes(&unhex(ED25519_KEY)).unwrap());
        let es = TrustedKey::new(PublicKey::from_bytes(&unhex(ES256_POINT)).unwrap())
            .with_validity(None, Some(10));
        let list = TrustList::new().with(ed.clone()).with(es.clone());
        let count = |alg, kid: Option<&[u8]>, now| list.candidates(alg, kid, now).count();
        assert_eq!(count(SignatureAlgorithm::EdDsa, None, None), 1);
        assert_eq!(count(SignatureAlgorithm::EdDsa, Some(b"nope"), None), 0);
        assert_eq!(count(SignatureAlgorithm::EdDsa, Some(&ed.kid), None), 1);
        assert_eq!(count(SignatureAlgorithm::Es256, None, Some(5)), 1);
        assert_eq!(count(SignatureAlgorithm::Es256, None, Some(10)), 0);
    }
}
