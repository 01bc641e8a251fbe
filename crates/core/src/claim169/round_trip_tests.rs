//! Issue-then-decode tests across the whole pipeline, and what decoding does with credentials
//! that were changed, signed by strangers, or built to hurt the decoder.

use std::time::{Duration, Instant};

use p256::ecdsa::SigningKey;

use super::ktp::tests::siti;
use super::*;

const NOW: i64 = 1_750_000_000;
const ENCRYPTION_KEY: [u8; 32] = [0x42; 32];
const NONCE: [u8; 12] = [9; 12];

fn issuer_key(seed: u8) -> SigningKey {
    SigningKey::from_bytes(&[seed; 32].into()).unwrap()
}

fn trusted(key: &SigningKey) -> TrustedKey {
    TrustedKey::new(PublicKey::Es256(*key.verifying_key()))
}

fn meta() -> CwtMeta {
    CwtMeta {
        iss: Some("urn:ikd:test".into()),
        sub: None,
        iat: Some(NOW - 60),
        exp: Some(NOW + 3600),
        nbf: Some(NOW - 60),
        cti: None,
        cnf: None,
    }
}

fn issue_with(claim: &Claim169, key: &SigningKey, encrypt: bool) -> String {
    let kid = es256_kid(key.verifying_key());
    let encryption = encrypt.then_some((&ENCRYPTION_KEY, NONCE));
    issue(claim, &meta(), key, &kid, encryption).unwrap()
}

fn options(trust: Option<&TrustList>) -> DecodeOptions<'_> {
    DecodeOptions {
        trust,
        decrypt_key: Some(ENCRYPTION_KEY),
        now: NOW,
        check_time: true,
        ..DecodeOptions::default()
    }
}

/// Unpacks a QR text, lets `change` edit the COSE bytes, and packs it again.
fn tamper(text: &str, change: impl FnOnce(&mut Vec<u8>)) -> String {
    let compressed = encoding::base45_decode(text).unwrap();
    let mut bytes = encoding::decompress_capped(&compressed, MAX_DECOMPRESSED_LEN).unwrap();
    change(&mut bytes);
    encoding::base45_encode(&encoding::zlib_compress(&bytes))
}

fn pack(bytes: &[u8]) -> String {
    encoding::base45_encode(&encoding::zlib_compress(bytes))
}

fn profiles() -> Vec<Profile> {
    vec![
        Profile::Full,
        Profile::Basic,
        Profile::Age {
            today: "2025-06-15".parse().unwrap(),
        },
    ]
}

#[test]
fn every_profile_round_trips_signed_and_verified() {
    let key = issuer_key(0x11);
    let trust = TrustList::new().with(trusted(&key));
    for profile in profiles() {
        let claim = siti().profile(profile);
        let decoded = decode(&issue_with(&claim, &key, false), &options(Some(&trust))).unwrap();
        assert_eq!(decoded.claim169, claim, "{profile:?}");
        assert_eq!(decoded.meta, meta());
        assert!(decoded.verified);
        assert!(!decoded.encrypted);
        assert_eq!(decoded.alg, Some(SignatureAlgorithm::Es256));
        assert_eq!(decoded.kid, Some(es256_kid(key.verifying_key())));
    }
}

#[test]
fn every_profile_round_trips_encrypted() {
    let key = issuer_key(0x11);
    let trust = TrustList::new().with(trusted(&key));
    for profile in profiles() {
        let claim = siti().profile(profile);
        let text = issue_with(&claim, &key, true);
        let decoded = decode(&text, &options(Some(&trust))).unwrap();
        assert_eq!(decoded.claim169, claim, "{profile:?}");
        assert!(decoded.verified);
        assert!(decoded.encrypted);
    }
}

#[test]
fn decoding_without_a_trust_list_reports_unverified() {
    let key = issuer_key(0x11);
    let claim = siti().profile(Profile::Basic);
    let decoded = decode(&issue_with(&claim, &key, false), &options(None)).unwrap();
    assert_eq!(decoded.claim169, claim);
    assert!(!decoded.verified);
    assert_eq!(decoded.alg, Some(SignatureAlgorithm::Es256));
    assert_eq!(decoded.kid, Some(es256_kid(key.verifying_key())));
}

#[test]
fn a_changed_signature_is_refused() {
    let key = issuer_key(0x11);
    let trust = TrustList::new().with(trusted(&key));
    let text = issue_with(&siti().profile(Profile::Basic), &key, false);
    let forged = tamper(&text, |bytes| {
        if let Some(last) = bytes.last_mut() {
            *last ^= 0x01;
        }
    });
    assert_eq!(
        decode(&forged, &options(Some(&trust))),
        Err(DecodeError::Signature)
    );
}

#[test]
fn a_changed_name_is_refused() {
    let key = issuer_key(0x11);
    let trust = TrustList::new().with(trusted(&key));
    let text = issue_with(&siti().profile(Profile::Basic), &key, false);
    let forged = tamper(&text, |bytes| {
        let at = bytes
            .windows(5)
            .position(|w| w == b"SITI ")
            .expect("name in payload");
        bytes[at] = b'S' + 1;
    });
    assert_eq!(
        decode(&forged, &options(Some(&trust))),
        Err(DecodeError::Signature)
    );
}

#[test]
fn a_kid_missing_from_the_trust_list_is_an_unknown_key() {
    let key = issuer_key(0x11);
    let trust = TrustList::new().with(trusted(&key).with_kid(b"other-kid"));
    let text = issue_with(&siti().profile(Profile::Basic), &key, false);
    assert_eq!(
        decode(&text, &options(Some(&trust))),
        Err(DecodeError::UnknownKey)
    );
}

#[test]
fn a_stranger_key_under_our_kid_fails_the_signature() {
    let key = issuer_key(0x11);
    let impostor = issuer_key(0x22);
    let trust = TrustList::new().with(trusted(&impostor).with_kid(&es256_kid(key.verifying_key())));
    let text = issue_with(&siti().profile(Profile::Basic), &key, false);
    assert_eq!(
        decode(&text, &options(Some(&trust))),
        Err(DecodeError::Signature)
    );
}

#[test]
fn an_empty_trust_list_knows_no_key() {
    let key = issuer_key(0x11);
    let trust = TrustList::new();
    let text = issue_with(&siti().profile(Profile::Basic), &key, false);
    assert_eq!(
        decode(&text, &options(Some(&trust))),
        Err(DecodeError::UnknownKey)
    );
}

#[test]
fn rotated_keys_each_verify_their_own_credentials() {
    let old = issuer_key(0x11);
    let new = issuer_key(0x33);
    let trust = TrustList::new()
        .with(trusted(&old).with_validity(None, Some(NOW + 10)))
        .with(trusted(&new).with_validity(Some(NOW - 10), None));
    for key in [&old, &new] {
        let text = issue_with(&siti().profile(Profile::Basic), key, false);
        let decoded = decode(&text, &options(Some(&trust))).unwrap();
        assert_eq!(decoded.kid, Some(es256_kid(key.verifying_key())));
    }
}

#[test]
fn a_retired_key_no_longer_verifies() {
    let key = issuer_key(0x11);
    let trust = TrustList::new().with(trusted(&key).with_validity(None, Some(NOW)));
    let text = issue_with(&siti().profile(Profile::Basic), &key, false);
    assert_eq!(
        decode(&text, &options(Some(&trust))),
        Err(DecodeError::UnknownKey)
    );
    let unchecked = DecodeOptions {
        check_time: false,
        ..options(Some(&trust))
    };
    assert!(decode(&text, &unchecked).unwrap().verified);
}

#[test]
fn a_wrong_or_missing_decryption_key_fails_to_decrypt() {
    let key = issuer_key(0x11);
    let text = issue_with(&siti().profile(Profile::Basic), &key, true);
    let wrong = DecodeOptions {
        decrypt_key: Some([0x43; 32]),
        ..options(None)
    };
    assert_eq!(decode(&text, &wrong), Err(DecodeError::Decrypt));
    let missing = DecodeOptions {
        decrypt_key: None,
        ..options(None)
    };
    assert_eq!(decode(&text, &missing), Err(DecodeError::Decrypt));
}

#[test]
fn a_changed_ciphertext_fails_to_decrypt() {
    let key = issuer_key(0x11);
    let text = issue_with(&siti().profile(Profile::Basic), &key, true);
    let forged = tamper(&text, |bytes| {
        if let Some(last) = bytes.last_mut() {
            *last ^= 0x80;
        }
    });
    assert_eq!(decode(&forged, &options(None)), Err(DecodeError::Decrypt));
}

#[test]
fn time_checks_refuse_expired_and_early_credentials() {
    let key = issuer_key(0x11);
    let text = issue_with(&siti().profile(Profile::Basic), &key, false);
    let at = |now| DecodeOptions {
        now,
        ..options(None)
    };
    assert_eq!(decode(&text, &at(NOW + 3600)), Err(DecodeError::Expired));
    assert_eq!(decode(&text, &at(NOW - 61)), Err(DecodeError::NotYetValid));
    let unchecked = DecodeOptions {
        check_time: false,
        ..at(NOW + 10_000_000)
    };
    assert!(decode(&text, &unchecked).is_ok());
}

#[test]
fn unknown_keys_survive_issue_and_decode() {
    let key = issuer_key(0x11);
    let mut claim = siti().profile(Profile::Basic);
    claim.unknown.insert(30, RawCbor(vec![0x18, 0x2a]));
    claim.unknown.insert(99, RawCbor(vec![0x82, 0x01, 0x02]));
    let decoded = decode(&issue_with(&claim, &key, false), &options(None)).unwrap();
    assert_eq!(decoded.claim169.unknown, claim.unknown);
}

#[test]
fn a_zip_bomb_is_refused_quickly_as_too_large() {
    let bomb = pack(&vec![0u8; 5 * 1024 * 1024]);
    assert!(bomb.len() <= MAX_TEXT_LEN, "bomb must pass the text cap");
    let started = Instant::now();
    assert_eq!(decode(&bomb, &options(None)), Err(DecodeError::TooLarge));
    assert!(started.elapsed() < Duration::from_secs(1));
}

#[test]
fn deeply_nested_cbor_is_a_cbor_error_not_a_stack_overflow() {
    let mut nested = vec![0x81u8; 50_000];
    nested.push(0);
    assert_eq!(
        decode(&pack(&nested), &options(None)),
        Err(DecodeError::Cbor)
    );

    // The same inside an otherwise valid Sign1 payload.
    let mut claims = vec![0xa1, 0x18, 0xa9, 0xa1, 0x18, 0x1e];
    claims.extend(std::iter::repeat_n(0x81, 5_000));
    claims.push(0);
    let mut sign1 = vec![0xd2, 0x84, 0x43, 0xa1, 0x01, 0x27, 0xa0, 0x59];
    sign1.extend_from_slice(&u16::try_from(claims.len()).unwrap().to_be_bytes());
    sign1.extend_from_slice(&claims);
    sign1.push(0x40);
    assert_eq!(
        decode(&pack(&sign1), &options(None)),
        Err(DecodeError::Cbor)
    );
}

#[test]
fn bad_text_is_refused_before_any_work() {
    assert_eq!(decode("", &options(None)), Err(DecodeError::Input));
    let long = "A".repeat(MAX_TEXT_LEN + 3);
    assert_eq!(decode(&long, &options(None)), Err(DecodeError::TooLarge));
    assert_eq!(decode("6bf", &options(None)), Err(DecodeError::Base45));
    assert_eq!(decode("0000", &options(None)), Err(DecodeError::Base45));
}

#[test]
fn an_encrypted_bare_cwt_cannot_pass_as_verified() {
    let claim = siti().profile(Profile::Basic);
    let claims_set = cwt::encode(&claim, &meta()).unwrap();
    let encrypted = cose::encrypt_a256gcm(&claims_set, &ENCRYPTION_KEY, NONCE).unwrap();
    let text = pack(&encrypted);
    let key = issuer_key(0x11);
    let trust = TrustList::new().with(trusted(&key));
    assert_eq!(
        decode(&text, &options(Some(&trust))),
        Err(DecodeError::Unsigned)
    );
    let decoded = decode(&text, &options(None)).unwrap();
    assert_eq!(decoded.claim169, claim);
    assert!(!decoded.verified);
}

#[test]
fn encryption_inside_encryption_is_not_unwrapped() {
    let inner = cose::encrypt_a256gcm(b"\xa0", &ENCRYPTION_KEY, NONCE).unwrap();
    let outer = cose::encrypt_a256gcm(&inner, &ENCRYPTION_KEY, NONCE).unwrap();
    assert_eq!(
        decode(&pack(&outer), &options(None)),
        Err(DecodeError::Cose)
    );
}

#[test]
fn an_oversized_credential_is_not_issued() {
    // Noise does not compress, so 8 KiB of it cannot fit 8 KiB of Base45.
    let mut state = 0x2545_f491_u32;
    let noise: Vec<u8> = (0..8 * 1024)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            state.to_le_bytes()[0]
        })
        .collect();
    let claim = Claim169 {
        photo: Some(noise),
        ..Claim169::default()
    };
    let key = issuer_key(0x11);
    let result = issue(&claim, &meta(), &key, b"k", None);
    assert!(matches!(result, Err(IssueError::TooLarge { .. })));
}
