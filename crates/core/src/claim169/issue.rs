//! Making a Claim 169 QR text: CWT, COSE_Sign1 (ES256), optional COSE_Encrypt0 (A256GCM),
//! zlib, Base45.

use super::cose::{self, NONCE_LEN};
use super::decode::{MAX_DECOMPRESSED_LEN, MAX_TEXT_LEN};
use super::error::IssueError;
use super::model::{Claim169, CwtMeta};
use super::{base45, cwt, zlib};

/// Signs `claim` with the issuer's ES256 key and returns the Base45 text for the QR.
///
/// `kid` names the key (IKD uses `es256_kid`). With `encrypt`, the signed credential is
/// encrypted with A256GCM under the given key and nonce; a nonce must never be used twice
/// with one key, so callers draw it from a CSPRNG (core has none on purpose).
///
/// A credential our own decoder would refuse as too large is an error here, not a QR that
/// no verifier can read.
pub fn issue(
    claim: &Claim169,
    meta: &CwtMeta,
    key: &p256::ecdsa::SigningKey,
    kid: &[u8],
    encrypt: Option<(&[u8; 32], [u8; NONCE_LEN])>,
) -> Result<String, IssueError> {
    let cwt = cwt::encode(claim, meta)?;
    let mut envelope = cose::sign_es256(cwt, key, kid)?;
    if let Some((encryption_key, nonce)) = encrypt {
        envelope = cose::encrypt_a256gcm(&envelope, encryption_key, nonce)?;
    }
    if envelope.len() > MAX_DECOMPRESSED_LEN {
        return Err(IssueError::TooLarge {
            chars: envelope.len(),
            limit: MAX_DECOMPRESSED_LEN,
        });
    }
    let text = base45::encode(&zlib::compress(&envelope));
    if text.len() > MAX_TEXT_LEN {
        return Err(IssueError::TooLarge {
            chars: text.len(),
            limit: MAX_TEXT_LEN,
        });
    }
    Ok(text)
}
