//! MOSIP Claim 169 credentials: the identity data behind IKD's verifiable QR.
//!
//! ```text
//! Claim169 ─▶ CBOR map (integer keys) ─▶ CWT {1 iss, 2 sub, 4 exp, 5 nbf, 6 iat, 169}
//!          ─▶ COSE_Sign1 (tag 18, ES256; EdDSA also accepted on decode)
//!          ─▶ [COSE_Encrypt0 (tag 16, A256GCM, a shared key: decoded, never made by IKD)]
//!          ─▶ [COSE_Encrypt (tag 96) to one institution: ECDH-ES + HKDF-256, A256GCM]
//!          ─▶ zlib ─▶ Base45 (RFC 9285) ─▶ QR
//! ```
//!
//! `issue` and `decode` are the whole interface; the rest of IKD sees only the types here,
//! never CBOR or COSE. Core does no IO: callers pass the clock (`DecodeOptions::now`) and
//! encryption nonces in.
//!
//! Decoding is built for hostile input: the text is capped at `MAX_TEXT_LEN`, inflation stops
//! at `MAX_DECOMPRESSED_LEN`, CBOR nesting at `MAX_DEPTH`, and no input makes it panic.
//!
//! # Private keys
//!
//! KTP fields that Claim 169 has no key for use keys from the range the specification leaves
//! unassigned "for any other data" (75-99), which it allows within a closed ecosystem whose
//! issuer and verifiers agree. We use the top of that range, farthest from the keys the
//! working group will assign next. Other verifiers keep them as unknown keys.
//!
//! | key | JSON name      | CBOR type | KTP field                                     |
//! |-----|----------------|-----------|-----------------------------------------------|
//! | 90  | `placeOfBirth` | tstr      | Tempat lahir                                  |
//! | 91  | `religion`     | tstr      | Agama                                         |
//! | 92  | `occupation`   | tstr      | Pekerjaan                                     |
//! | 93  | `bloodType`    | tstr      | Golongan darah                                |
//! | 94  | `rtRw`         | tstr      | RT/RW, e.g. `001/002`                         |
//! | 95  | `ageOver17`    | bool      | 17 or older on the day of issue (age profile) |
//!
//! # Holder binding (issue 16)
//!
//! IKD's credentials also carry the standard CWT confirmation claim `cnf` (8, RFC 8747) with
//! the holder's device key as a COSE_Key (EC2, P-256, y as its sign bit). The phone shows a
//! credential only with a countersignature (RFC 9338, header 11, context
//! `CounterSignatureV2`) in the unprotected header, whose protected header carries ES256 and
//! the time it was made (header 15, CWT claims, RFC 9597, with `iat`). What a third-party
//! Claim 169 verifier sees: an ordinary COSE_Sign1 (or Encrypt0) that verifies with the
//! issuer's key, an unknown claim 8 and an unknown unprotected header 11, both ignored; it
//! cannot tell a fresh QR from a screenshot. IKD's verifiers check both (`holder.rs`).
//!
//! # Encrypted for one institution (issue 17)
//!
//! IKD shares no decryption key among verifiers. Each institution has its own P-256
//! key-agreement key; the phone encrypts the full credential, its holder proof already inside
//! the COSE_Sign1, to the key of the institution the holder picks (`recipient.rs` has the
//! exact structure): a standard COSE_Encrypt with one ECDH-ES + HKDF-256 recipient (RFC 9052
//! 5.1, RFC 9053 6.3.1) that any COSE library opens with that institution's private key, and
//! nobody else can. Decoding picks the key by the recipient's kid
//! (`DecodeOptions::institution_keys`); without it the answer is `OtherInstitution`, and
//! `encrypted_for` tells a verifier which key the QR is for.
//!
//! # Why our own thin layer, not `claim169-core`
//!
//! We build on `coset` and `ciborium` with `p256` (ES256), `ed25519-dalek` (EdDSA verify),
//! `aes-gcm`, `hkdf` and `p256`'s ECDH (institution QRs), `miniz_oxide` and our own Base45.
//! `claim169-core` 0.3 reads `SystemTime::now()` inside decode (a panic on wasm32-unknown-unknown) and draws nonces from `thread_rng()`,
//! breaking core's no-IO rule; its hostile-input guards are weaker (CBOR depth checked after
//! parsing, non-zlib input accepted as raw COSE) and its API is alpha. Owning the layer lets
//! every byte string go through one bounded parser, and the fuzz target in `fuzz/` cover it all.

mod base45;
mod base64_serde;
mod cbor;
mod codes;
mod cose;
mod cwt;
mod decode;
mod error;
mod holder;
mod issue;
mod keys;
mod ktp;
mod map;
mod model;
mod recipient;
mod trust;
mod zlib;

#[cfg(test)]
mod holder_tests;
#[cfg(test)]
mod round_trip_tests;

pub use cbor::MAX_DEPTH;
pub use codes::{Gender, MaritalStatus, PhotoFormat};
pub use cose::NONCE_LEN;
pub use decode::{
    DecodeOptions, Decoded, MAX_DECOMPRESSED_LEN, MAX_TEXT_LEN, decode, encrypted_for,
};
pub use error::{DecodeError, IssueError};
pub use holder::{
    DEVICE_KEY_LEN, HOLDER_TOLERANCE_SECS, HolderBinding, PRESENT_EVERY_SECS, Presentable,
    check_freshness, device_public_key, parse_device_key,
};
pub use issue::issue;
pub use ktp::{KtpIdentity, Photo, Profile};
pub use model::{Biometric, Claim169, CwtMeta, RawCbor};
pub use recipient::{INSTITUTION_KID_LEN, InstitutionKey, Recipient, institution_kid};
pub use trust::{KeyError, PublicKey, SignatureAlgorithm, TrustList, TrustedKey, es256_kid};

/// Base45 and zlib on their own, for tools and tests that build or inspect QR texts.
pub mod encoding {
    pub use super::base45::{Base45Error, decode as base45_decode, encode as base45_encode};
    pub use super::zlib::{InflateError, compress as zlib_compress, decompress_capped};
}
