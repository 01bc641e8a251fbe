//! The COSE envelopes: COSE_Sign1 (tag 18) for the signature, COSE_Encrypt0 (tag 16) with
//! A256GCM for the optional encryption. `coset` provides the structures and the exact bytes
//! that are signed (Sig_structure) or authenticated (Enc_structure); all CBOR it is handed
//! has first passed our bounded parser.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use ciborium::Value;
use coset::iana;
use coset::{
    AsCborValue, CoseEncrypt0, CoseEncrypt0Builder, CoseSign1, CoseSign1Builder, HeaderBuilder,
    RegisteredLabelWithPrivate, TaggedCborSerializable,
};
use p256::ecdsa::signature::{Signer, Verifier};

use super::cbor;
use super::error::{DecodeError, IssueError};
use super::recipient::{self, TAG_ENCRYPT};
use super::trust::{PublicKey, SignatureAlgorithm, TrustList};

pub(crate) const TAG_ENCRYPT0: u64 = 16;
pub(crate) const TAG_SIGN1: u64 = 18;
/// RFC 8392 lets a CWT carry its own tag around the COSE one.
pub(crate) const TAG_CWT: u64 = 61;
/// AES-GCM nonce length.
pub const NONCE_LEN: usize = 12;

// ---- issuing ----

/// Signs the CWT bytes with ES256. The kid goes in the protected header, so it is covered by
/// the signature and cannot be swapped to point a verifier at another key.
pub(crate) fn sign_es256(
    payload: Vec<u8>,
    key: &p256::ecdsa::SigningKey,
    kid: &[u8],
) -> Result<Vec<u8>, IssueError> {
    let protected = HeaderBuilder::new()
        .algorithm(iana::Algorithm::ES256)
        .key_id(kid.to_vec())
        .build();
    CoseSign1Builder::new()
        .protected(protected)
        .payload(payload)
        .create_signature(b"", |data| {
            let signature: p256::ecdsa::Signature = key.sign(data);
            signature.to_bytes().to_vec()
        })
        .build()
        .to_tagged_vec()
        .map_err(|_| IssueError::Encode)
}

pub(crate) fn encrypt_a256gcm(
    plaintext: &[u8],
    key: &[u8; 32],
    nonce: [u8; NONCE_LEN],
) -> Result<Vec<u8>, IssueError> {
    let cipher = Aes256Gcm::new(&Key::<Aes256Gcm>::from(*key));
    let protected = HeaderBuilder::new()
        .algorithm(iana::Algorithm::A256GCM)
        .build();
    let unprotected = HeaderBuilder::new().iv(nonce.to_vec()).build();
    CoseEncrypt0Builder::new()
        .protected(protected)
        .unprotected(unprotected)
        .try_create_ciphertext(plaintext, b"", |msg, aad| {
            cipher
                .encrypt(&Nonce::from(nonce), Payload { msg, aad })
                .map_err(|_| IssueError::Encrypt)
        })?
        .build()
        .to_tagged_vec()
        .map_err(|_| IssueError::Encode)
}

// ---- decoding ----

/// The outer structure of a credential.
pub(crate) enum Envelope {
    Sign1(Box<CoseSign1>),
    Encrypt0(Box<CoseEncrypt0>),
    /// Encrypted to one institution's key (`recipient.rs`).
    Encrypt(Box<coset::CoseEncrypt>),
}

/// What an Encrypt0 held: a signed credential, or (as some issuers write) a bare CWT.
pub(crate) enum Plaintext {
    Sign1(Box<CoseSign1>),
    BareCwt(Value),
}

pub(crate) fn envelope(value: Value) -> Result<Envelope, DecodeError> {
    let value = match value {
        Value::Tag(TAG_CWT, inner) => *inner,
        other => other,
    };
    match value {
        Value::Tag(TAG_SIGN1, inner) => sign1(*inner).map(Envelope::Sign1),
        Value::Tag(TAG_ENCRYPT0, inner) => encrypt0(*inner).map(Envelope::Encrypt0),
        Value::Tag(TAG_ENCRYPT, inner) => encrypt(*inner).map(Envelope::Encrypt),
        // Untagged forms, told apart by their length (Sign1 and Encrypt have 4 items, Encrypt0
        // 3) and by the last (Sign1's signature is bytes, Encrypt's recipients an array).
        Value::Array(ref items) if items.len() == 4 && matches!(items[3], Value::Array(_)) => {
            encrypt(value).map(Envelope::Encrypt)
        }
        Value::Array(ref items) if items.len() == 4 => sign1(value).map(Envelope::Sign1),
        Value::Array(ref items) if items.len() == 3 => encrypt0(value).map(Envelope::Encrypt0),
        _ => Err(DecodeError::Cose),
    }
}

/// Reads decrypted bytes. Only a Sign1 or a CWT map may be inside: encryption inside
/// encryption is refused rather than unwrapped again.
pub(crate) fn plaintext(bytes: &[u8]) -> Result<Plaintext, DecodeError> {
    match cbor::parse(bytes)? {
        map @ Value::Map(_) => Ok(Plaintext::BareCwt(map)),
        Value::Tag(TAG_SIGN1, inner) => sign1(*inner).map(Plaintext::Sign1),
        value @ Value::Array(_) => sign1(value).map(Plaintext::Sign1),
        _ => Err(DecodeError::Cose),
    }
}

fn sign1(value: Value) -> Result<Box<CoseSign1>, DecodeError> {
    check_protected_header(&value)?;
    let sign1 = CoseSign1::from_cbor_value(value).map_err(|_| DecodeError::Cose)?;
    if sign1.payload.is_none() {
        // Detached payloads are for other protocols: a QR must carry its data.
        return Err(DecodeError::Cose);
    }
    Ok(Box::new(sign1))
}

fn encrypt(value: Value) -> Result<Box<coset::CoseEncrypt>, DecodeError> {
    check_protected_header(&value)?;
    if let Value::Array(items) = &value
        && let Some(Value::Array(recipients)) = items.get(3)
    {
        for recipient in recipients {
            check_protected_header(recipient)?;
        }
    }
    recipient::parse(value)
}

fn encrypt0(value: Value) -> Result<Box<CoseEncrypt0>, DecodeError> {
    check_protected_header(&value)?;
    let encrypt0 = CoseEncrypt0::from_cbor_value(value).map_err(|_| DecodeError::Cose)?;
    Ok(Box::new(encrypt0))
}

/// `coset` parses the protected header's bytes itself, with a deeper nesting limit than
/// ours; running them through our parser first keeps `MAX_DEPTH` true for them too.
fn check_protected_header(value: &Value) -> Result<(), DecodeError> {
    if let Value::Array(items) = value
        && let Some(Value::Bytes(bytes)) = items.first()
        && !bytes.is_empty()
    {
        cbor::parse(bytes)?;
    }
    Ok(())
}

/// The one value of a header parameter that may sit in either bucket, refusing one that
/// sits in both (RFC 9052 section 3: a label must not occur in both).
fn one_of<'a, T>(
    protected: &'a Option<T>,
    unprotected: &'a Option<T>,
) -> Result<Option<&'a T>, DecodeError> {
    match (protected, unprotected) {
        (Some(_), Some(_)) => Err(DecodeError::Cose),
        (Some(value), None) | (None, Some(value)) => Ok(Some(value)),
        (None, None) => Ok(None),
    }
}

fn one_bytes<'a>(
    protected: &'a [u8],
    unprotected: &'a [u8],
) -> Result<Option<&'a [u8]>, DecodeError> {
    match (protected.is_empty(), unprotected.is_empty()) {
        (false, false) => Err(DecodeError::Cose),
        (false, true) => Ok(Some(protected)),
        (true, false) => Ok(Some(unprotected)),
        (true, true) => Ok(None),
    }
}

/// The signature algorithm named in the headers, if any, and whether IKD knows it.
pub(crate) fn signature_algorithm(
    sign1: &CoseSign1,
) -> Result<Option<Result<SignatureAlgorithm, DecodeError>>, DecodeError> {
    let alg = one_of(&sign1.protected.header.alg, &sign1.unprotected.alg)?;
    Ok(alg.map(|alg| match alg {
        RegisteredLabelWithPrivate::Assigned(iana::Algorithm::ES256) => {
            Ok(SignatureAlgorithm::Es256)
        }
        RegisteredLabelWithPrivate::Assigned(iana::Algorithm::EdDSA)
        | RegisteredLabelWithPrivate::Assigned(iana::Algorithm::Ed25519) => {
            Ok(SignatureAlgorithm::EdDsa)
        }
        _ => Err(DecodeError::UnsupportedAlg),
    }))
}

pub(crate) fn kid(sign1: &CoseSign1) -> Result<Option<&[u8]>, DecodeError> {
    one_bytes(&sign1.protected.header.key_id, &sign1.unprotected.key_id)
}

/// Checks the signature against the trusted keys that fit its algorithm and kid. Returns
/// the kid of the key that verified.
pub(crate) fn verify(
    sign1: &CoseSign1,
    alg: SignatureAlgorithm,
    trust: &TrustList,
    now: Option<i64>,
) -> Result<Vec<u8>, DecodeError> {
    let kid = kid(sign1)?;
    let tbs = sign1.tbs_data(b"");
    let mut candidates = trust.candidates(alg, kid, now).peekable();
    if candidates.peek().is_none() {
        return Err(DecodeError::UnknownKey);
    }
    for trusted in candidates {
        if verifies(&trusted.key, &tbs, &sign1.signature) {
            return Ok(trusted.kid.clone());
        }
    }
    Err(DecodeError::Signature)
}

fn verifies(key: &PublicKey, message: &[u8], signature: &[u8]) -> bool {
    match key {
        PublicKey::Es256(key) => p256::ecdsa::Signature::from_slice(signature)
            .is_ok_and(|signature| key.verify(message, &signature).is_ok()),
        // Strict verification refuses small-order keys and non-canonical signatures, which
        // plain verification lets through.
        PublicKey::EdDsa(key) => ed25519_dalek::Signature::from_slice(signature)
            .is_ok_and(|signature| key.verify_strict(message, &signature).is_ok()),
    }
}

/// Decrypts an A256GCM Encrypt0. A missing key, a wrong key and a changed ciphertext are
/// all `Decrypt`; malformed headers are `Cose`.
pub(crate) fn decrypt(
    encrypt0: &CoseEncrypt0,
    key: Option<&[u8; 32]>,
) -> Result<Vec<u8>, DecodeError> {
    let alg = one_of(&encrypt0.protected.header.alg, &encrypt0.unprotected.alg)?;
    match alg {
        Some(RegisteredLabelWithPrivate::Assigned(iana::Algorithm::A256GCM)) => {}
        Some(_) | None => return Err(DecodeError::UnsupportedAlg),
    }
    if !encrypt0.protected.header.partial_iv.is_empty()
        || !encrypt0.unprotected.partial_iv.is_empty()
    {
        return Err(DecodeError::Cose);
    }
    let iv = one_bytes(&encrypt0.protected.header.iv, &encrypt0.unprotected.iv)?
        .ok_or(DecodeError::Cose)?;
    let nonce: [u8; NONCE_LEN] = iv.try_into().map_err(|_| DecodeError::Cose)?;
    let key = key.ok_or(DecodeError::Decrypt)?;
    let cipher = Aes256Gcm::new(&Key::<Aes256Gcm>::from(*key));
    encrypt0.decrypt_ciphertext(
        b"",
        || DecodeError::Cose,
        |msg, aad| {
            cipher
                .decrypt(&Nonce::from(nonce), Payload { msg, aad })
                .map_err(|_| DecodeError::Decrypt)
        },
    )
}

/// Header labels as integers, for tests that build envelopes by hand.
#[cfg(test)]
pub(crate) fn alg_label(alg: iana::Algorithm) -> i64 {
    iana::EnumI64::to_i64(&alg)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header_value(entries: Vec<(i64, Value)>) -> Vec<u8> {
        let map = Value::Map(
            entries
                .into_iter()
                .map(|(k, v)| (Value::from(k), v))
                .collect(),
        );
        cbor::to_vec(&map).unwrap()
    }

    /// An untagged Sign1 array with these headers, an empty-map payload and no signature.
    fn untagged_sign1(protected: Vec<u8>, unprotected: Vec<(Value, Value)>) -> Value {
        Value::Array(vec![
            Value::Bytes(protected),
            Value::Map(unprotected),
            Value::Bytes(vec![0xa0]),
            Value::Bytes(vec![]),
        ])
    }

    fn sign1_of(value: Value) -> Box<CoseSign1> {
        let Ok(Envelope::Sign1(sign1)) = envelope(value) else {
            panic!("expected a Sign1");
        };
        sign1
    }

    #[test]
    fn an_array_of_the_wrong_length_is_not_cose() {
        let value = Value::Array(vec![Value::from("hello"), Value::from(42)]);
        assert!(matches!(envelope(value), Err(DecodeError::Cose)));
    }

    #[test]
    fn other_tags_are_not_cose() {
        let value = Value::Tag(98, Box::new(Value::Array(vec![])));
        assert!(matches!(envelope(value), Err(DecodeError::Cose)));
    }

    #[test]
    fn a_detached_payload_is_refused() {
        let protected = header_value(vec![(1, Value::from(alg_label(iana::Algorithm::ES256)))]);
        let value = Value::Tag(
            TAG_SIGN1,
            Box::new(Value::Array(vec![
                Value::Bytes(protected),
                Value::Map(vec![]),
                Value::Null,
                Value::Bytes(vec![0; 64]),
            ])),
        );
        assert!(matches!(envelope(value), Err(DecodeError::Cose)));
    }

    #[test]
    fn a_deeply_nested_protected_header_is_a_cbor_error() {
        let mut protected = vec![0x81; 200];
        protected.push(0);
        let value = untagged_sign1(protected, vec![]);
        assert!(matches!(envelope(value), Err(DecodeError::Cbor)));
    }

    #[test]
    fn an_algorithm_in_both_buckets_is_refused() {
        let es256 = Value::from(alg_label(iana::Algorithm::ES256));
        let sign1 = sign1_of(untagged_sign1(
            header_value(vec![(1, es256.clone())]),
            vec![(Value::from(1), es256)],
        ));
        assert!(matches!(
            signature_algorithm(&sign1),
            Err(DecodeError::Cose)
        ));
    }

    #[test]
    fn unknown_signature_algorithms_are_unsupported() {
        let es384 = Value::from(alg_label(iana::Algorithm::ES384));
        let sign1 = sign1_of(untagged_sign1(header_value(vec![(1, es384)]), vec![]));
        assert!(matches!(
            signature_algorithm(&sign1),
            Ok(Some(Err(DecodeError::UnsupportedAlg)))
        ));
    }

    #[test]
    fn encryption_round_trips_and_a_wrong_key_fails() {
        let key = [7u8; 32];
        let bytes = encrypt_a256gcm(b"\xa0", &key, [1; NONCE_LEN]).unwrap();
        let Ok(Envelope::Encrypt0(encrypt0)) = envelope(cbor::parse(&bytes).unwrap()) else {
            panic!("expected an Encrypt0");
        };
        assert_eq!(decrypt(&encrypt0, Some(&key)).unwrap(), b"\xa0");
        assert!(matches!(
            decrypt(&encrypt0, Some(&[8; 32])),
            Err(DecodeError::Decrypt)
        ));
        assert!(matches!(
            decrypt(&encrypt0, None),
            Err(DecodeError::Decrypt)
        ));
    }
}
