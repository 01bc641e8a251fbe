//! The full QR encrypted to one institution (issue 17): each institution has its own P-256
//! key-agreement key, and the phone, offline, encrypts the holder-bound full credential (its
//! countersignature already inside) to the institution the citizen picks.
//!
//! ```text
//! COSE_Encrypt (tag 96) [
//!   protected   {1: 3 (A256GCM)},
//!   unprotected {5: IV (12 bytes)},
//!   ciphertext  A256GCM(CEK, IV, Enc_structure "Encrypt") of
//!               tag 61 (tag 18 COSE_Sign1 by the issuer, with the holder's label 11 proof),
//!   recipients  [[ protected   {1: -25 (ECDH-ES + HKDF-256)},
//!                  unprotected {-1: ephemeral COSE_Key {1: 2, -1: 1, -2: x, -3: y sign},
//!                               4: kid of the institution's key},
//!                  ciphertext  h'' ]]
//! ]
//! CEK = HKDF-SHA-256(salt: none, IKM: ECDH x-coordinate, info: COSE_KDF_Context
//!       [3, [nil, nil, nil], [nil, nil, nil], [256, recipient protected bstr]], L = 32)
//! ```
//!
//! This is RFC 9052 section 5.1 with RFC 9053 section 6.3.1's direct key agreement: a
//! standard COSE library opens it with the institution's private key alone, and nobody else
//! can, not even another institution nor the service. The ephemeral key is new for every QR,
//! so two encrypted QRs of one person share no byte an observer could link. Why COSE_Encrypt
//! with a recipient and not COSE_Encrypt0: Encrypt0 assumes a key both sides already share,
//! which is what issue 17 forbids; HPKE (RFC 9180 in COSE) is not yet an RFC for COSE.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use ciborium::Value;
use coset::iana;
use coset::{
    AsCborValue, CoseEncrypt, CoseEncryptBuilder, CoseRecipientBuilder, HeaderBuilder,
    RegisteredLabelWithPrivate, TaggedCborSerializable,
};
use hkdf::Hkdf;
use p256::elliptic_curve::sec1::ToEncodedPoint;
use p256::{PublicKey, SecretKey};
use sha2::{Digest, Sha256};

use super::cbor;
use super::cose::NONCE_LEN;
use super::error::{DecodeError, IssueError};
use super::holder;

/// COSE tag of COSE_Encrypt.
pub(crate) const TAG_ENCRYPT: u64 = 96;
/// Length of an institution key's kid: the first bytes of SHA-256 of its SEC1-compressed
/// public key. Eight bytes tell a few thousand institutions apart with room to spare.
pub const INSTITUTION_KID_LEN: usize = 8;
/// COSE header label of the ephemeral key (RFC 9053 section 6.3.1).
const EPHEMERAL_KEY: i64 = -1;

/// The kid of an institution's public key, SEC1 (compressed or not).
pub fn institution_kid(public: &PublicKey) -> Vec<u8> {
    let digest = Sha256::digest(public.to_encoded_point(true).as_bytes());
    digest[..INSTITUTION_KID_LEN].to_vec()
}

/// Whom a QR is encrypted to: an institution's public key, as the bundle carries it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipient {
    pub kid: Vec<u8>,
    public: PublicKey,
}

impl Recipient {
    /// From the SEC1 public key; the kid is derived, never taken on trust.
    pub fn from_sec1(sec1: &[u8]) -> Option<Recipient> {
        let public = PublicKey::from_sec1_bytes(sec1).ok()?;
        Some(Recipient {
            kid: institution_kid(&public),
            public,
        })
    }
}

/// An institution's private key-agreement key, to open QRs encrypted to it.
#[derive(Clone)]
pub struct InstitutionKey {
    pub kid: Vec<u8>,
    secret: SecretKey,
}

// Never print the secret.
impl std::fmt::Debug for InstitutionKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InstitutionKey")
            .field("kid", &crate::hex::encode(&self.kid))
            .finish_non_exhaustive()
    }
}

impl InstitutionKey {
    pub fn new(secret: SecretKey) -> InstitutionKey {
        InstitutionKey {
            kid: institution_kid(&secret.public_key()),
            secret,
        }
    }

    /// From the 32-byte scalar; `None` for zero or one at least the group order.
    pub fn from_bytes(bytes: &[u8]) -> Option<InstitutionKey> {
        SecretKey::from_slice(bytes).ok().map(InstitutionKey::new)
    }

    pub fn secret(&self) -> &SecretKey {
        &self.secret
    }

    /// The SEC1-compressed public key, as the bundle publishes it.
    pub fn public_sec1(&self) -> Vec<u8> {
        self.secret
            .public_key()
            .to_encoded_point(true)
            .as_bytes()
            .to_vec()
    }

    pub fn recipient(&self) -> Recipient {
        Recipient {
            kid: self.kid.clone(),
            public: self.secret.public_key(),
        }
    }
}

fn recipient_protected() -> coset::Header {
    HeaderBuilder::new()
        .algorithm(iana::Algorithm::ECDH_ES_HKDF_256)
        .build()
}

/// COSE_KDF_Context (RFC 9053 section 5.2) for A256GCM, no party info, written by hand so
/// the test that derives it with `coset`'s builder checks us independently.
fn kdf_context(recipient_protected: &[u8]) -> Option<Vec<u8>> {
    let nobody = || Value::Array(vec![Value::Null, Value::Null, Value::Null]);
    cbor::to_vec(&Value::Array(vec![
        Value::from(3),
        nobody(),
        nobody(),
        Value::Array(vec![
            Value::from(256),
            Value::Bytes(recipient_protected.to_vec()),
        ]),
    ]))
}

fn content_key(
    secret: &SecretKey,
    public: &PublicKey,
    recipient_protected: &[u8],
) -> Option<[u8; 32]> {
    let shared = p256::ecdh::diffie_hellman(secret.to_nonzero_scalar(), public.as_affine());
    let info = kdf_context(recipient_protected)?;
    let mut cek = [0u8; 32];
    Hkdf::<Sha256>::new(None, shared.raw_secret_bytes())
        .expand(&info, &mut cek)
        .ok()?;
    Some(cek)
}

/// Encrypts `plaintext` (a tagged COSE_Sign1) to `recipient`. `ephemeral` (32 random bytes)
/// and `iv` come from the caller's CSPRNG: core has none.
pub(crate) fn encrypt(
    plaintext: &[u8],
    recipient: &Recipient,
    ephemeral: [u8; 32],
    iv: [u8; NONCE_LEN],
) -> Result<Vec<u8>, IssueError> {
    let ephemeral = SecretKey::from_slice(&ephemeral).map_err(|_| IssueError::Encrypt)?;
    let protected = recipient_protected();
    let protected_bytes = protected
        .clone()
        .to_cbor_value()
        .ok()
        .and_then(|v| cbor::to_vec(&v))
        .ok_or(IssueError::Encode)?;
    let cek =
        content_key(&ephemeral, &recipient.public, &protected_bytes).ok_or(IssueError::Encrypt)?;
    let ephemeral_public =
        holder::cose_key_value(ephemeral.public_key().to_encoded_point(true).as_bytes())?;
    let recipient_entry = CoseRecipientBuilder::new()
        .protected(protected)
        .unprotected(
            HeaderBuilder::new()
                .value(EPHEMERAL_KEY, ephemeral_public)
                .key_id(recipient.kid.clone())
                .build(),
        )
        .ciphertext(Vec::new())
        .build();
    let cipher = Aes256Gcm::new(&Key::<Aes256Gcm>::from(cek));
    CoseEncryptBuilder::new()
        .protected(
            HeaderBuilder::new()
                .algorithm(iana::Algorithm::A256GCM)
                .build(),
        )
        .unprotected(HeaderBuilder::new().iv(iv.to_vec()).build())
        .try_create_ciphertext(plaintext, b"", |msg, aad| {
            cipher
                .encrypt(&Nonce::from(iv), Payload { msg, aad })
                .map_err(|_| IssueError::Encrypt)
        })?
        .add_recipient(recipient_entry)
        .build()
        .to_tagged_vec()
        .map_err(|_| IssueError::Encode)
}

pub(crate) fn parse(value: Value) -> Result<Box<CoseEncrypt>, DecodeError> {
    let encrypt = CoseEncrypt::from_cbor_value(value).map_err(|_| DecodeError::Cose)?;
    Ok(Box::new(encrypt))
}

/// The kid of the one recipient, refusing anything but one ECDH-ES + HKDF-256 recipient.
pub(crate) fn recipient_kid(encrypt: &CoseEncrypt) -> Result<&[u8], DecodeError> {
    let [recipient] = encrypt.recipients.as_slice() else {
        return Err(DecodeError::Cose);
    };
    if !recipient.recipients.is_empty() {
        return Err(DecodeError::Cose);
    }
    match (&recipient.protected.header.alg, &recipient.unprotected.alg) {
        (Some(RegisteredLabelWithPrivate::Assigned(iana::Algorithm::ECDH_ES_HKDF_256)), None) => {}
        _ => return Err(DecodeError::UnsupportedAlg),
    }
    if recipient.unprotected.key_id.is_empty() || !recipient.protected.header.key_id.is_empty() {
        return Err(DecodeError::Cose);
    }
    Ok(&recipient.unprotected.key_id)
}

/// Opens a COSE_Encrypt with whichever of `keys` its recipient names. No key with that kid
/// is `OtherInstitution`; a key that fits but does not open it (or a changed ciphertext) is
/// `Decrypt`.
pub(crate) fn open(encrypt: &CoseEncrypt, keys: &[InstitutionKey]) -> Result<Vec<u8>, DecodeError> {
    match (&encrypt.protected.header.alg, &encrypt.unprotected.alg) {
        (Some(RegisteredLabelWithPrivate::Assigned(iana::Algorithm::A256GCM)), None) => {}
        _ => return Err(DecodeError::UnsupportedAlg),
    }
    if !encrypt.protected.header.iv.is_empty()
        || !encrypt.protected.header.partial_iv.is_empty()
        || !encrypt.unprotected.partial_iv.is_empty()
    {
        return Err(DecodeError::Cose);
    }
    let iv: [u8; NONCE_LEN] = encrypt
        .unprotected
        .iv
        .as_slice()
        .try_into()
        .map_err(|_| DecodeError::Cose)?;
    let kid = recipient_kid(encrypt)?;
    let recipient = &encrypt.recipients[0];
    let ephemeral = recipient
        .unprotected
        .rest
        .iter()
        .find(|(label, _)| *label == coset::Label::Int(EPHEMERAL_KEY))
        .map(|(_, value)| value.clone())
        .ok_or(DecodeError::Cose)?;
    let ephemeral = holder::cose_key_sec1(ephemeral)?;
    let ephemeral = PublicKey::from_sec1_bytes(&ephemeral).map_err(|_| DecodeError::Cose)?;
    let protected_bytes = recipient
        .protected
        .original_data
        .as_deref()
        .unwrap_or_default();
    let key = keys
        .iter()
        .find(|key| key.kid == kid)
        .ok_or(DecodeError::OtherInstitution)?;
    let cek = content_key(&key.secret, &ephemeral, protected_bytes).ok_or(DecodeError::Decrypt)?;
    let cipher = Aes256Gcm::new(&Key::<Aes256Gcm>::from(cek));
    encrypt.decrypt_ciphertext(
        b"",
        || DecodeError::Cose,
        |msg, aad| {
            cipher
                .decrypt(&Nonce::from(iv), Payload { msg, aad })
                .map_err(|_| DecodeError::Decrypt)
        },
    )
}
