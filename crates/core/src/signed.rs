//! Issuer-signed JSON documents: the offline bundle and the revocation list. The payload is
//! the exact JSON bytes that were signed (base64url), so verifying never depends on how a
//! JSON library orders or spaces fields. The signature is ES256 (P-256, SHA-256) in the raw
//! `r || s` form, as COSE and JOSE use it; `kid` names the trust-list key that made it.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use p256::ecdsa::signature::{Signer, Verifier};
use p256::ecdsa::{Signature, SigningKey};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::claim169::{PublicKey, TrustList};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct SignedJson {
    /// Always "ES256".
    pub alg: String,
    /// Hex key id of the signing key, as the trust list names it.
    pub kid: String,
    /// base64url (no padding) of the signed JSON bytes.
    pub payload: String,
    /// base64url (no padding) of the 64-byte `r || s` signature over the payload bytes.
    pub signature: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignedError {
    #[error("dokumen tidak dapat dibaca (document is malformed)")]
    Malformed,
    #[error(
        "kunci penanda tangan tidak ada di daftar kunci tepercaya (signing key is not trusted)"
    )]
    UnknownKey,
    #[error(
        "tanda tangan tidak sah: dokumen telah diubah (signature invalid: document was altered)"
    )]
    BadSignature,
    #[error("isi dokumen tidak sesuai format (payload does not match its format)")]
    Payload,
}

impl SignedError {
    pub fn code(&self) -> &'static str {
        match self {
            SignedError::Malformed => "signed-malformed",
            SignedError::UnknownKey => "signed-unknown-key",
            SignedError::BadSignature => "signed-bad-signature",
            SignedError::Payload => "signed-payload",
        }
    }
}

impl SignedJson {
    /// Serialises `value` and signs the bytes.
    pub fn sign<T: Serialize>(value: &T, key: &SigningKey, kid: &str) -> Self {
        // Serialising our own plain data types cannot fail; an empty object would then fail
        // every verification loudly rather than panic here.
        let payload = serde_json::to_vec(value).unwrap_or_else(|_| b"{}".to_vec());
        let signature: Signature = key.sign(&payload);
        SignedJson {
            alg: "ES256".to_owned(),
            kid: kid.to_owned(),
            payload: URL_SAFE_NO_PAD.encode(&payload),
            signature: URL_SAFE_NO_PAD.encode(signature.to_bytes()),
        }
    }

    /// Checks the signature against the trust list's key named `kid` (ES256 only) at `now`
    /// (`None` skips the key's validity window, for documents whose own time fields the
    /// caller checks), then parses the payload.
    pub fn verify<T: DeserializeOwned>(
        &self,
        trust: &TrustList,
        now: Option<i64>,
    ) -> Result<T, SignedError> {
        if self.alg != "ES256" {
            return Err(SignedError::Malformed);
        }
        let kid = crate::hex::decode(&self.kid).ok_or(SignedError::Malformed)?;
        let payload = URL_SAFE_NO_PAD
            .decode(&self.payload)
            .map_err(|_| SignedError::Malformed)?;
        let signature_bytes = URL_SAFE_NO_PAD
            .decode(&self.signature)
            .map_err(|_| SignedError::Malformed)?;
        let signature =
            Signature::from_slice(&signature_bytes).map_err(|_| SignedError::Malformed)?;
        let key = trust
            .keys()
            .iter()
            .filter(|k| k.kid == kid && now.is_none_or(|now| k.valid_at(now)))
            .find_map(|k| match &k.key {
                PublicKey::Es256(key) => Some(*key),
                PublicKey::EdDsa(_) => None,
            })
            .ok_or(SignedError::UnknownKey)?;
        key.verify(&payload, &signature)
            .map_err(|_| SignedError::BadSignature)?;
        serde_json::from_slice(&payload).map_err(|_| SignedError::Payload)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::claim169::{TrustedKey, es256_kid};

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Doc {
        nik: String,
    }

    fn key() -> SigningKey {
        SigningKey::from_slice(&[7u8; 32]).expect("a valid scalar")
    }

    fn trust() -> TrustList {
        TrustList::new().with(TrustedKey::new(PublicKey::Es256(*key().verifying_key())))
    }

    fn kid() -> String {
        crate::hex::encode(&es256_kid(key().verifying_key()))
    }

    #[test]
    fn a_signed_document_verifies_and_parses() {
        let doc = Doc {
            nik: "3276010101900001".into(),
        };
        let signed = SignedJson::sign(&doc, &key(), &kid());
        assert_eq!(signed.verify::<Doc>(&trust(), Some(0)), Ok(doc));
    }

    #[test]
    fn a_changed_payload_is_refused() {
        let mut signed = SignedJson::sign(&Doc { nik: "1".into() }, &key(), &kid());
        signed.payload = URL_SAFE_NO_PAD.encode(br#"{"nik":"2"}"#);
        assert_eq!(
            signed.verify::<Doc>(&trust(), None),
            Err(SignedError::BadSignature)
        );
    }

    #[test]
    fn an_unknown_or_expired_key_is_refused() {
        let signed = SignedJson::sign(&Doc { nik: "1".into() }, &key(), "00112233");
        assert_eq!(
            signed.verify::<Doc>(&trust(), None),
            Err(SignedError::UnknownKey)
        );
        let expired = TrustList::new().with(
            TrustedKey::new(PublicKey::Es256(*key().verifying_key())).with_validity(None, Some(10)),
        );
        let signed = SignedJson::sign(&Doc { nik: "1".into() }, &key(), &kid());
        assert_eq!(
            signed.verify::<Doc>(&expired, Some(20)),
            Err(SignedError::UnknownKey)
        );
    }
}
