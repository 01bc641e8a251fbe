//! The whole Claim 169 decode path on arbitrary input: it must return an error or a value,
//! never panic, overflow the stack or run away with memory.
//!
//! The first input byte picks the options (verify or not, decrypt key or not, time checks,
//! an institution key or not),
//! the rest is the QR text. Raw bytes rarely make valid Base45, so half the time the rest is
//! instead wrapped as zlib + Base45 to reach the CBOR and COSE layers.

#![no_main]

use ikd_core::claim169::{
    DecodeOptions, InstitutionKey, PublicKey, TrustList, TrustedKey, decode, encoding,
};
use libfuzzer_sys::fuzz_target;

/// The ES256 key of the public conformance vector `ecdsa-p256-signed`, and the Ed25519 key
/// of `ed25519-signed`, so that seeds from those vectors verify.
const ES256_POINT: [u8; 65] = [
    0x04, 0x2c, 0xfe, 0x5f, 0x8e, 0xb0, 0x0f, 0x1b, 0x5a, 0x68, 0x29, 0x5e, 0xd1, 0xaf, 0x43,
    0x55, 0xd8, 0x6a, 0x91, 0x39, 0x29, 0x4d, 0xbc, 0xc7, 0x94, 0x29, 0x4a, 0x69, 0x62, 0x4e,
    0x09, 0x53, 0x5b, 0x3f, 0xc7, 0x1f, 0x33, 0xf3, 0xb7, 0xb1, 0x37, 0x2b, 0xd4, 0xce, 0x7f,
    0x2f, 0x28, 0xd7, 0xd1, 0xbd, 0x01, 0xd2, 0x57, 0x77, 0x28, 0x1f, 0xa5, 0x1b, 0xe3, 0xfe,
    0xbf, 0x9b, 0xe7, 0x5f, 0xb9,
];
const ED25519_KEY: [u8; 32] = [
    0xd7, 0x5a, 0x98, 0x01, 0x82, 0xb1, 0x0a, 0xb7, 0xd5, 0x4b, 0xfe, 0xd3, 0xc9, 0x64, 0x07,
    0x3a, 0x0e, 0xe1, 0x72, 0xf3, 0xda, 0xa6, 0x23, 0x25, 0xaf, 0x02, 0x1a, 0x68, 0xf7, 0x07,
    0x51, 0x1a,
];
const AES_KEY: [u8; 32] = [
    0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e,
    0x0f, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d,
    0x1e, 0x1f,
];

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let mut trust = TrustList::new();
    for key in [&ES256_POINT[..], &ED25519_KEY[..]] {
        if let Ok(key) = PublicKey::from_bytes(key) {
            trust.add(TrustedKey::new(key));
        }
    }
    // An institution's key for QRs encrypted to it (COSE_Encrypt, ECDH-ES + HKDF-256).
    let institution = InstitutionKey::from_bytes(&[7; 32]).into_iter().collect::<Vec<_>>();
    let options = DecodeOptions {
        trust: (selector & 1 == 1).then_some(&trust),
        decrypt_key: (selector & 2 == 2).then_some(AES_KEY),
        institution_keys: if selector & 16 == 16 { &institution } else { &[] },
        now: 1_750_000_000,
        check_time: selector & 4 == 4,
        // The standard ±90 s for a holder's proof, or none at all.
        holder_tolerance_secs: if selector & 32 == 32 {
            0
        } else {
            DecodeOptions::default().holder_tolerance_secs
        },
    };
    let text = if selector & 8 == 8 {
        encoding::base45_encode(&encoding::zlib_compress(rest))
    } else {
        String::from_utf8_lossy(rest).into_owned()
    };
    let _ = decode(&text, &options);
});
