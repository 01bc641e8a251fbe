//! Holder binding: a credential names its holder's device key in the CWT confirmation claim
//! (`cnf`, RFC 8747), and the phone, offline, shows it with a fresh proof by that key.
//!
//! ```text
//! issuer:  COSE_Sign1 { CWT { ..., 8 cnf: {1: COSE_Key (P-256, compressed)}, 169 } }
//! phone:   the same COSE_Sign1 (or Encrypt0), plus in its *unprotected* header
//!          11 (countersignature v2, RFC 9338): [ protected {1: ES256, 15: {6: now}},
//!                                                 {}, signature by the device key ]
//! ```
//!
//! The countersignature covers the issuer's protected header, the payload and the issuer's
//! signature (RFC 9338 `Countersign_structure`, context `CounterSignatureV2`), and its own
//! protected header carries the time it was made as a CWT `iat` (header 15, RFC 9597). The
//! unprotected header is not covered by the issuer's signature, so a standard Claim 169
//! verifier still verifies the credential and ignores label 11; an IKD verifier checks the
//! proof against `cnf` and its time against its own clock. A screenshot therefore stops
//! verifying once its proof is older than the tolerance, and a copy of the credential alone
//! (without the device key) cannot make a new proof.

use ciborium::Value;
use p256::ecdsa::signature::{Signer, Verifier};
use p256::ecdsa::{Signature, SigningKey, VerifyingKey};

use super::base45;
use super::cbor;
use super::cose::{NONCE_LEN, TAG_CWT, TAG_ENCRYPT0, TAG_SIGN1};
use super::decode::{self, MAX_TEXT_LEN};
use super::error::{DecodeError, IssueError};
use super::recipient::{self, Recipient};
use super::zlib;

/// How far a proof's time may be from the verifier's clock, either way, in seconds. Two
/// clocks set by the network agree within seconds; 90 s also covers a QR read a minute after
/// it appeared. With a 30-second rotation a screenshot fails within two minutes.
pub const HOLDER_TOLERANCE_SECS: i64 = 90;
/// How often the phone makes a new QR while it is shown.
pub const PRESENT_EVERY_SECS: i64 = 30;
/// Length of a SEC1-compressed P-256 public key, as `cnf` and the bundle request carry it.
pub const DEVICE_KEY_LEN: usize = 33;

/// COSE header label of a version 2 countersignature (RFC 9338).
const COUNTERSIGNATURE_V2: i64 = 11;
/// COSE header label of CWT claims carried in a header (RFC 9597).
const CWT_CLAIMS_HEADER: i64 = 15;
const CONTEXT: &str = "CounterSignatureV2";
/// COSE labels: alg (1); ES256 is -7. COSE_Key: kty (1) = EC2 (2), crv (-1) = P-256 (1),
/// x (-2), y (-3).
const ALG: i64 = 1;
const ES256: i64 = -7;
const CWT_IAT: i64 = 6;

/// Whether and how a decoded credential was shown by its holder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HolderBinding {
    /// No `cnf`: a plain Claim 169 credential (other issuers, the conformance vectors).
    NotBound,
    /// A `cnf` credential without a proof: the credential itself, not something its
    /// holder's phone showed. Only decoding without verification reports this.
    Unproven,
    /// The holder's device key signed this presentation at `at` (unix seconds).
    Presented { at: i64 },
}

/// The device's P-256 key as `cnf` names it: the SEC1-compressed point.
pub fn device_public_key(key: &SigningKey) -> [u8; DEVICE_KEY_LEN] {
    let point = key.verifying_key().to_encoded_point(true);
    let mut out = [0u8; DEVICE_KEY_LEN];
    out.copy_from_slice(point.as_bytes());
    out
}

/// Reads a SEC1 P-256 public key (compressed or not), refusing anything off the curve.
pub fn parse_device_key(bytes: &[u8]) -> Option<VerifyingKey> {
    VerifyingKey::from_sec1_bytes(bytes).ok()
}

/// `{1: COSE_Key}` for `cnf`. The y coordinate goes as its sign bit (RFC 9053 allows it),
/// 32 bytes fewer in a QR that has none to spare.
pub(crate) fn cnf_value(sec1: &[u8]) -> Result<Value, IssueError> {
    Ok(Value::Map(vec![(Value::from(1), cose_key_value(sec1)?)]))
}

/// A P-256 public key as an EC2 COSE_Key, y as its sign bit.
pub(crate) fn cose_key_value(sec1: &[u8]) -> Result<Value, IssueError> {
    let key = parse_device_key(sec1).ok_or(IssueError::Encode)?;
    let point = key.to_encoded_point(true);
    let x = point.x().ok_or(IssueError::Encode)?.to_vec();
    let odd = point.as_bytes()[0] == 0x03;
    Ok(Value::Map(vec![
        (Value::from(1), Value::from(2)),
        (Value::from(-1), Value::from(1)),
        (Value::from(-2), Value::Bytes(x)),
        (Value::from(-3), Value::Bool(odd)),
    ]))
}

/// The holder key from `cnf`, SEC1 compressed. Only an EC2 P-256 COSE_Key is accepted; y
/// may be the coordinate or its sign bit.
pub(crate) fn cnf_from_value(value: Value) -> Result<Vec<u8>, DecodeError> {
    let entries = map_entries(value)?;
    let cose_key = entries
        .into_iter()
        .find(|(k, _)| *k == 1)
        .map(|(_, v)| v)
        .ok_or(DecodeError::Cbor)?;
    cose_key_sec1(cose_key)
}

/// An EC2 P-256 COSE_Key as a SEC1-compressed point, checked to be on the curve.
pub(crate) fn cose_key_sec1(cose_key: Value) -> Result<Vec<u8>, DecodeError> {
    let (mut kty, mut crv, mut x, mut y) = (None, None, None, None);
    for (k, v) in map_entries(cose_key)? {
        match k {
            1 => kty = cbor::as_i64(&v),
            -1 => crv = cbor::as_i64(&v),
            -2 => x = Some(v),
            -3 => y = Some(v),
            _ => {}
        }
    }
    if kty != Some(2) || crv != Some(1) {
        return Err(DecodeError::UnsupportedAlg);
    }
    let Some(Value::Bytes(x)) = x else {
        return Err(DecodeError::Cbor);
    };
    if x.len() != 32 {
        return Err(DecodeError::Cbor);
    }
    let mut sec1 = Vec::with_capacity(65);
    match y {
        Some(Value::Bool(odd)) => {
            sec1.push(if odd { 0x03 } else { 0x02 });
            sec1.extend_from_slice(&x);
        }
        Some(Value::Bytes(y)) if y.len() == 32 => {
            sec1.push(0x04);
            sec1.extend_from_slice(&x);
            sec1.extend_from_slice(&y);
        }
        _ => return Err(DecodeError::Cbor),
    }
    let key = parse_device_key(&sec1).ok_or(DecodeError::Cbor)?;
    Ok(key.to_encoded_point(true).as_bytes().to_vec())
}

/// The integer-keyed entries of a CBOR map; anything else is malformed.
fn map_entries(value: Value) -> Result<Vec<(i64, Value)>, DecodeError> {
    match value {
        Value::Map(entries) => cbor::int_keyed_entries(entries),
        _ => Err(DecodeError::Cbor),
    }
}

/// The parts of the outer COSE structure a countersignature covers.
pub(crate) struct Target<'a> {
    pub body_protected: &'a [u8],
    pub payload: &'a [u8],
    /// The issuer's signature for a COSE_Sign1; none for a COSE_Encrypt0, whose only byte
    /// strings are the protected header and the ciphertext (the payload here).
    pub signature: Option<&'a [u8]>,
}

fn to_be_signed(target: &Target<'_>, sign_protected: &[u8]) -> Result<Vec<u8>, DecodeError> {
    let mut items = vec![
        Value::Text(CONTEXT.into()),
        Value::Bytes(target.body_protected.to_vec()),
        Value::Bytes(sign_protected.to_vec()),
        Value::Bytes(Vec::new()),
        Value::Bytes(target.payload.to_vec()),
    ];
    if let Some(signature) = target.signature {
        items.push(Value::Array(vec![Value::Bytes(signature.to_vec())]));
    }
    cbor::to_vec(&Value::Array(items)).ok_or(DecodeError::Cbor)
}

/// A proof read from an unprotected header, not yet checked against any key.
#[derive(Debug, Clone)]
pub(crate) struct Proof {
    at: i64,
    signature: Vec<u8>,
    to_be_signed: Vec<u8>,
}

impl Proof {
    /// The countersignature under label 11 of `unprotected`, if there is one. A malformed
    /// one is an error, never silently ignored.
    pub(crate) fn read(
        unprotected: &[(coset::Label, Value)],
        target: &Target<'_>,
    ) -> Result<Option<Proof>, DecodeError> {
        let Some((_, value)) = unprotected
            .iter()
            .find(|(label, _)| *label == coset::Label::Int(COUNTERSIGNATURE_V2))
        else {
            return Ok(None);
        };
        let Value::Array(items) = value else {
            return Err(DecodeError::HolderProof);
        };
        let [
            Value::Bytes(protected),
            Value::Map(_),
            Value::Bytes(signature),
        ] = items.as_slice()
        else {
            return Err(DecodeError::HolderProof);
        };
        let mut alg = None;
        let mut at = None;
        for (k, v) in map_entries(cbor::parse(protected)?)? {
            match k {
                ALG => alg = cbor::as_i64(&v),
                CWT_CLAIMS_HEADER => {
                    for (claim, v) in map_entries(v)? {
                        if claim == CWT_IAT {
                            at = cbor::as_i64(&v);
                        }
                    }
                }
                _ => {}
            }
        }
        if alg != Some(ES256) {
            return Err(DecodeError::UnsupportedAlg);
        }
        let at = at.ok_or(DecodeError::HolderProof)?;
        Ok(Some(Proof {
            at,
            signature: signature.clone(),
            to_be_signed: to_be_signed(target, protected)?,
        }))
    }

    /// Checks the signature with the `cnf` key; returns when the proof was made.
    pub(crate) fn verify(&self, cnf: &[u8]) -> Result<i64, DecodeError> {
        let key = parse_device_key(cnf).ok_or(DecodeError::HolderProof)?;
        let signature =
            Signature::from_slice(&self.signature).map_err(|_| DecodeError::HolderProof)?;
        key.verify(&self.to_be_signed, &signature)
            .map_err(|_| DecodeError::HolderProof)?;
        Ok(self.at)
    }
}

/// Whether a proof made at `at` is fresh at `now`: within `tolerance` seconds either way.
pub fn check_freshness(at: i64, now: i64, tolerance: i64) -> Result<(), DecodeError> {
    if at > now.saturating_add(tolerance) {
        Err(DecodeError::ShownInFuture)
    } else if now > at.saturating_add(tolerance) {
        Err(DecodeError::Stale)
    } else {
        Ok(())
    }
}

/// A holder-bound credential read once, so that making each new QR is one signature, one
/// zlib run and Base45 (the phone does this every [`PRESENT_EVERY_SECS`]).
#[derive(Debug, Clone)]
pub struct Presentable {
    /// The outer COSE structure with its tags (61 and 18 or 16), as issued.
    envelope: Value,
}

impl Presentable {
    /// Reads an issued credential text (Base45 of zlib of COSE).
    pub fn parse(text: &str) -> Result<Presentable, DecodeError> {
        if text.len() > MAX_TEXT_LEN {
            return Err(DecodeError::TooLarge);
        }
        let envelope = cbor::parse(&decode::cose_bytes(text)?)?;
        // Check now that a proof can be made, so `present` fails only on encoding.
        let mut probe = envelope.clone();
        parts(&mut probe)?;
        Ok(Presentable { envelope })
    }

    /// The QR text with a proof by `key` made at `at` (unix seconds).
    pub fn present(&self, key: &SigningKey, at: i64) -> Result<String, IssueError> {
        qr_text(&self.presented(key, at)?)
    }

    /// The full QR for one institution (`recipient.rs`): the credential with its proof by
    /// `key` made at `at`, encrypted to `recipient` as a COSE_Encrypt. `ephemeral` (32
    /// bytes) and `iv` come from the caller's CSPRNG, fresh for every QR. Only an issuer-signed
    /// COSE_Sign1 is encrypted this way; anything else is `Encode`.
    pub fn present_encrypted(
        &self,
        key: &SigningKey,
        at: i64,
        recipient: &Recipient,
        ephemeral: [u8; 32],
        iv: [u8; NONCE_LEN],
    ) -> Result<String, IssueError> {
        let mut envelope = self.envelope.clone();
        if let Value::Tag(TAG_CWT, inner) = envelope {
            envelope = *inner;
        }
        if !matches!(envelope, Value::Tag(TAG_SIGN1, _)) {
            return Err(IssueError::Encode);
        }
        let signed = Presentable { envelope }.presented(key, at)?;
        qr_text(&recipient::encrypt(&signed, recipient, ephemeral, iv)?)
    }

    /// The COSE bytes with a proof by `key` made at `at`.
    fn presented(&self, key: &SigningKey, at: i64) -> Result<Vec<u8>, IssueError> {
        let mut envelope = self.envelope.clone();
        let (unprotected, target) = parts(&mut envelope).map_err(|_| IssueError::Encode)?;
        let sign_protected = cbor::to_vec(&Value::Map(vec![
            (Value::from(ALG), Value::from(ES256)),
            (
                Value::from(CWT_CLAIMS_HEADER),
                Value::Map(vec![(Value::from(CWT_IAT), Value::from(at))]),
            ),
        ]))
        .ok_or(IssueError::Encode)?;
        let tbs =
            to_be_signed(&target.borrowed(), &sign_protected).map_err(|_| IssueError::Encode)?;
        let signature: Signature = key.sign(&tbs);
        unprotected.retain(|(label, _)| cbor::as_i64(label) != Some(COUNTERSIGNATURE_V2));
        unprotected.push((
            Value::from(COUNTERSIGNATURE_V2),
            Value::Array(vec![
                Value::Bytes(sign_protected),
                Value::Map(Vec::new()),
                Value::Bytes(signature.to_bytes().to_vec()),
            ]),
        ));
        cbor::to_vec(&envelope).ok_or(IssueError::Encode)
    }
}

/// zlib and Base45 of COSE bytes, refusing a text no decoder would read.
fn qr_text(bytes: &[u8]) -> Result<String, IssueError> {
    let text = base45::encode(&zlib::compress(bytes));
    if text.len() > MAX_TEXT_LEN {
        return Err(IssueError::TooLarge {
            chars: text.len(),
            limit: MAX_TEXT_LEN,
        });
    }
    Ok(text)
}

/// A COSE header map as CBOR entries.
type HeaderMap = Vec<(Value, Value)>;

/// Owned copies of the covered byte strings (the unprotected map is borrowed mutably).
struct OwnedTarget {
    body_protected: Vec<u8>,
    payload: Vec<u8>,
    signature: Option<Vec<u8>>,
}

impl OwnedTarget {
    fn borrowed(&self) -> Target<'_> {
        Target {
            body_protected: &self.body_protected,
            payload: &self.payload,
            signature: self.signature.as_deref(),
        }
    }
}

/// The unprotected header map of a tagged Sign1 or Encrypt0 (inside an optional CWT tag),
/// and the byte strings a countersignature covers.
fn parts(envelope: &mut Value) -> Result<(&mut HeaderMap, OwnedTarget), DecodeError> {
    let mut value = envelope;
    if let Value::Tag(TAG_CWT, inner) = value {
        value = inner.as_mut();
    }
    let Value::Tag(tag @ (TAG_SIGN1 | TAG_ENCRYPT0), inner) = value else {
        return Err(DecodeError::Cose);
    };
    let sign1 = *tag == TAG_SIGN1;
    let Value::Array(items) = inner.as_mut() else {
        return Err(DecodeError::Cose);
    };
    let (head, rest) = items.split_at_mut(2);
    let [Value::Bytes(protected), Value::Map(unprotected)] = head else {
        return Err(DecodeError::Cose);
    };
    let target = match (sign1, rest) {
        (true, [Value::Bytes(payload), Value::Bytes(signature)]) => OwnedTarget {
            body_protected: protected.clone(),
            payload: payload.clone(),
            signature: Some(signature.clone()),
        },
        (false, [Value::Bytes(ciphertext)]) => OwnedTarget {
            body_protected: protected.clone(),
            payload: ciphertext.clone(),
            signature: None,
        },
        _ => return Err(DecodeError::Cose),
    };
    Ok((unprotected, target))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cnf_round_trips_both_parities() {
        for seed in 1u8..=8 {
            let key = SigningKey::from_slice(&[seed; 32]).unwrap();
            let sec1 = device_public_key(&key);
            let back = cnf_from_value(cnf_value(&sec1).unwrap()).unwrap();
            assert_eq!(back, sec1.to_vec());
        }
    }

    #[test]
    fn freshness_is_symmetric_around_the_tolerance() {
        assert_eq!(check_freshness(1000, 1090, 90), Ok(()));
        assert_eq!(check_freshness(1000, 1091, 90), Err(DecodeError::Stale));
        assert_eq!(check_freshness(1090, 1000, 90), Ok(()));
        assert_eq!(
            check_freshness(1091, 1000, 90),
            Err(DecodeError::ShownInFuture)
        );
    }

    #[test]
    fn a_cnf_with_another_curve_is_unsupported() {
        let value = Value::Map(vec![(
            Value::from(1),
            Value::Map(vec![
                (Value::from(1), Value::from(1)),
                (Value::from(-1), Value::from(6)),
                (Value::from(-2), Value::Bytes(vec![0; 32])),
            ]),
        )]);
        assert_eq!(cnf_from_value(value), Err(DecodeError::UnsupportedAlg));
    }
}
