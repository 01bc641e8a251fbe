//! Reading a Claim 169 QR text back: every step bounded, every failure a `DecodeError`,
//! no panics on any input (the fuzz target `fuzz/fuzz_targets/decode.rs` holds us to it).

use super::cose::{self, Envelope, Plaintext};
use super::error::DecodeError;
use super::model::{Claim169, CwtMeta};
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
    /// Key for encrypted credentials (A256GCM).
    pub decrypt_key: Option<[u8; 32]>,
    /// The verifier's clock, unix seconds; core reads none.
    pub now: i64,
    /// Check `exp`, `nbf` and the trusted keys' validity windows against `now`.
    pub check_time: bool,
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
}

pub fn decode(text: &str, options: &DecodeOptions<'_>) -> Result<Decoded, DecodeError> {
    if text.is_empty() {
        return Err(DecodeError::Input);
    }
    if text.len() > MAX_TEXT_LEN {
        return Err(DecodeError::TooLarge);
    }
    let compressed = base45::decode(text).map_err(|_| DecodeError::Base45)?;
    let bytes =
        zlib::decompress_capped(&compressed, MAX_DECOMPRESSED_LEN).map_err(|e| match e {
            InflateError::TooLarge => DecodeError::TooLarge,
            InflateError::Invalid => DecodeError::Decompress,
        })?;

    let (content, encrypted) = match cose::envelope(cbor::parse(&bytes)?)? {
        Envelope::Sign1(sign1) => (Plaintext::Sign1(sign1), false),
        Envelope::Encrypt0(encrypt0) => {
            let plaintext = cose::decrypt(&encrypt0, options.decrypt_key.as_ref())?;
            (cose::plaintext(&plaintext)?, true)
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
    Ok(Decoded {
        claim169,
        meta,
        verified,
        kid,
        alg,
        encrypted,
    })
}
