//! Reading a Claim 169 QR text back: every step bounded, every failure a `DecodeError`,
//! no panics on any input (the fuzz target `fuzz/fuzz_targets/decode.rs` holds us to it).

use super::cose::{self, Envelope, Plaintext};
use super::error::DecodeError;
use super::holder::{self, HolderBinding, Proof, Target};
use super::model::{Claim169, CwtMeta};
use super::recipient::{self, InstitutionKey};
use super::trust::{SignatureAlgorithm, TrustList};
use super::zlib::InflateError;
use super::{base45, cbor, cwt, zlib};

/// Longest QR text accepted. A version 40 QR holds at most 4,296 alphanumeric characters, so
/// anything longer did not come from a QR.
pub const MAX_TEXT_LEN: usize = 8 * 1024;

/// Most bytes decompression may produce. Real credentials with a photo are a few kilobytes;
/// the cap stops zip bombs while inflating, not after.
pub const MAX_DECOMPRESSED_LEN: usize = 64 * 1024;

/// How to decode.
#[derive(Debug, Clone, Copy)]
pub struct DecodeOptions<'a> {
    /// Keys to verify against; `None` decodes without verifying (`verified` is false).
    pub trust: Option<&'a TrustList>,
    /// Key for credentials encrypted with a shared key (COSE_Encrypt0, A256GCM), as other
    /// Claim 169 issuers make them; IKD makes none.
    pub decrypt_key: Option<[u8; 32]>,
    /// The institution keys this verifier holds, for QRs encrypted to one institution
    /// (COSE_Encrypt, `recipient.rs`); the recipient's kid picks the key.
    pub institution_keys: &'a [InstitutionKey],
    /// The verifier's clock, unix seconds; core reads none.
    pub now: i64,
    /// Check `exp`, `nbf`, the trusted keys' validity windows and the holder's proof
    /// against `now`.
    pub check_time: bool,
    /// How far a holder's proof may be from `now`, either way (`holder::HOLDER_TOLERANCE_SECS`
    /// unless the verifier states another).
    pub holder_tolerance_secs: i64,
}

impl Default for DecodeOptions<'_> {
    /// Decoding without verification, at time 0, with the standard holder tolerance.
    fn default() -> Self {
        DecodeOptions {
            trust: None,
            decrypt_key: None,
            institution_keys: &[],
            now: 0,
            check_time: false,
            holder_tolerance_secs: holder::HOLDER_TOLERANCE_SECS,
        }
    }
}

/// A decoded credential.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded {
    pub claim169: Claim169,
    pub meta: CwtMeta,
    /// True only when a trusted key's signature verified.
    pub verified: bool,
    /// The verifying key's kid; unverified, the kid the credential names, if any.
    pub kid: Option<Vec<u8>>,
    /// The signature algorithm, when signed with one IKD knows.
    pub alg: Option<SignatureAlgorithm>,
    /// Whether the credential was encrypted.
    pub encrypted: bool,
    /// Whether the credential is bound to a holder key, and when its holder showed it.
    pub holder: HolderBinding,
}

/// The COSE bytes of a QR text: Base45, then zlib, inflation capped. The text's length is the
/// caller's to check first.
pub(crate) fn cose_bytes(text: &str) -> Result<Vec<u8>, DecodeError> {
    let compressed = base45::decode(text).map_err(|_| DecodeError::Base45)?;
    zlib::decompress_capped(&compressed, MAX_DECOMPRESSED_LEN).map_err(|e| match e {
        InflateError::TooLarge => DecodeError::TooLarge,
        InflateError::Invalid => DecodeError::Decompress,
    })
}

pub fn decode(text: &str, options: &DecodeOptions<'_>) -> Result<Decoded, DecodeError> {
    if text.is_empty() {
        return Err(DecodeError::Input);
    }
    if text.len() > MAX_TEXT_LEN {
        return Err(DecodeError::TooLarge);
    }
    let bytes = cose_bytes(text)?;

    // A holder's proof sits in the outer structure's unprotected header (`holder.rs`).
    let (content, encrypted, proof) = match cose::envelope(cbor::parse(&bytes)?)? {
        Envelope::Sign1(sign1) => {
            let proof = sign1_proof(&sign1)?;
            (Plaintext::Sign1(sign1), false, proof)
        }
        // Encrypted to an institution: the holder's proof is inside, on the Sign1.
        Envelope::Encrypt(encrypt) => {
            let plaintext = recipient::open(&encrypt, options.institution_keys)?;
            match cose::plaintext(&plaintext)? {
                Plaintext::Sign1(sign1) => {
                    let proof = sign1_proof(&sign1)?;
                    (Plaintext::Sign1(sign1), true, proof)
                }
                bare @ Plaintext::BareCwt(_) => (bare, true, None),
            }
        }
        Envelope::Encrypt0(encrypt0) => {
            let target = Target {
                body_protected: encrypt0
                    .protected
                    .original_data
                    .as_deref()
                    .unwrap_or_default(),
                payload: encrypt0.ciphertext.as_deref().unwrap_or_default(),
                signature: None,
            };
            let proof = Proof::read(&encrypt0.unprotected.rest, &target)?;
            let plaintext = cose::decrypt(&encrypt0, options.decrypt_key.as_ref())?;
            (cose::plaintext(&plaintext)?, true, proof)
        }
    };

    let key_time = options.check_time.then_some(options.now);
    let (claims_set, verified, kid, alg) = match content {
        Plaintext::Sign1(sign1) => {
            let alg = cose::signature_algorithm(&sign1)?;
            let (verified, kid, alg) = match options.trust {
                Some(trust) => {
                    // A credential that does not say how it was signed cannot be verified.
                    let alg = alg.ok_or(DecodeError::UnsupportedAlg)??;
                    let kid = cose::verify(&sign1, alg, trust, key_time)?;
                    (true, Some(kid), Some(alg))
                }
                None => {
                    let kid = cose::kid(&sign1)?.map(<[u8]>::to_vec);
                    (false, kid, alg.and_then(Result::ok))
                }
            };
            let payload = sign1.payload.as_deref().ok_or(DecodeError::Cose)?;
            (cbor::parse(payload)?, verified, kid, alg)
        }
        Plaintext::BareCwt(claims_set) => {
            if options.trust.is_some() {
                return Err(DecodeError::Unsigned);
            }
            (claims_set, false, None, None)
        }
    };

    let (claim169, meta) = cwt::decode(claims_set)?;
    if options.check_time {
        cwt::check_time(&meta, options.now)?;
    }
    let holder = holder_binding(&meta, proof, options)?;
    Ok(Decoded {
        claim169,
        meta,
        verified,
        kid,
        alg,
        encrypted,
        holder,
    })
}

/// The holder's proof in a Sign1's unprotected header, if any.
fn sign1_proof(sign1: &coset::CoseSign1) -> Result<Option<Proof>, DecodeError> {
    let target = Target {
        body_protected: sign1.protected.original_data.as_deref().unwrap_or_default(),
        payload: sign1.payload.as_deref().unwrap_or_default(),
        signature: Some(&sign1.signature),
    };
    Proof::read(&sign1.unprotected.rest, &target)
}

/// The kid of the institution key a QR is encrypted to, read without opening it; `None` for
/// a QR that is not encrypted to an institution (or not a QR). Lets a verifier without that
/// key say for whom the QR is meant instead of a bare failure.
pub fn encrypted_for(text: &str) -> Option<Vec<u8>> {
    if text.is_empty() || text.len() > MAX_TEXT_LEN {
        return None;
    }
    let bytes = cose_bytes(text).ok()?;
    match cose::envelope(cbor::parse(&bytes).ok()?).ok()? {
        Envelope::Encrypt(encrypt) => recipient::recipient_kid(&encrypt).ok().map(<[u8]>::to_vec),
        _ => None,
    }
}

/// A credential with `cnf` verifies only with a valid proof by that key, made within the
/// tolerance of `now`. Without verification (no trust list) a missing proof is reported, not
/// refused, so tools can still show what an issued credential holds.
fn holder_binding(
    meta: &CwtMeta,
    proof: Option<Proof>,
    options: &DecodeOptions<'_>,
) -> Result<HolderBinding, DecodeError> {
    let Some(cnf) = &meta.cnf else {
        return Ok(HolderBinding::NotBound);
    };
    let Some(proof) = proof else {
        return if options.trust.is_some() {
            Err(DecodeError::NotPresented)
        } else {
            Ok(HolderBinding::Unproven)
        };
    };
    let at = proof.verify(cnf)?;
    if options.check_time {
        holder::check_freshness(at, options.now, options.holder_tolerance_secs)?;
    }
    Ok(HolderBinding::Presented { at })
}
