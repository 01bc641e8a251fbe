//! What the service publishes for verifiers: the trust list of issuer keys (with rotation
//! windows) and the revocation list of credential batches. Verifiers cache both and check
//! QRs offline against them.

use serde::{Deserialize, Serialize};

use crate::claim169::{KeyError, PublicKey, TrustList, TrustedKey};

/// `GET /api/trust-list`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct TrustListDocument {
    pub issuer: String,
    pub issued_at: i64,
    pub keys: Vec<PublishedKey>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct PublishedKey {
    /// Hex key id (first 8 bytes of SHA-256 of the public key).
    pub kid: String,
    /// Always "ES256".
    pub alg: String,
    /// Hex of the 65-byte uncompressed P-256 point.
    pub public_key: String,
    /// Unix seconds from which the key signs.
    pub not_before: i64,
    /// Unix seconds from which its signatures are no longer accepted (rotation); none while
    /// it is the current key.
    pub not_after: Option<i64>,
}

impl TrustListDocument {
    /// The keys as a verifier uses them.
    pub fn to_trust_list(&self) -> Result<TrustList, KeyError> {
        let mut list = TrustList::new();
        for published in &self.keys {
            let bytes = crate::hex::decode(&published.public_key).ok_or(KeyError::InvalidEs256)?;
            let key = PublicKey::from_bytes(&bytes)?;
            let kid = crate::hex::decode(&published.kid).ok_or(KeyError::InvalidEs256)?;
            list.add(
                TrustedKey::new(key)
                    .with_kid(&kid)
                    .with_validity(Some(published.not_before), published.not_after),
            );
        }
        Ok(list)
    }
}

/// The payload of `GET /api/revocations` (a `SignedJson`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct RevocationList {
    pub issued_at: i64,
    /// Revoked credential batches whose credentials have not all expired yet.
    pub entries: Vec<Revocation>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Revocation {
    /// Hex of a revoked credential's 16-byte CWT `cti` (the first 16 bytes of the `cti`:
    /// earlier releases wrote a batch id there and an index after it).
    pub credential_id: String,
    pub revoked_at: i64,
    /// "device-replaced" | "logout" | "password-reset" | "officer".
    pub reason: String,
}

impl RevocationList {
    /// Whether the credential whose CWT `cti` is `cti` is revoked.
    pub fn revokes(&self, cti: &[u8]) -> bool {
        let Some(batch) = cti.get(..16) else {
            return false;
        };
        let batch = crate::hex::encode(batch);
        self.entries.iter().any(|e| e.credential_id == batch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_revoked_batch_revokes_each_of_its_qrs() {
        let list = RevocationList {
            issued_at: 0,
            entries: vec![Revocation {
                credential_id: crate::hex::encode(&[9u8; 16]),
                revoked_at: 0,
                reason: "device-replaced".into(),
            }],
        };
        let mut cti = vec![9u8; 16];
        cti.extend_from_slice(&[0, 3]);
        assert!(list.revokes(&cti));
        assert!(!list.revokes(&[8u8; 18]));
        assert!(!list.revokes(&[9u8; 4]));
    }
}
