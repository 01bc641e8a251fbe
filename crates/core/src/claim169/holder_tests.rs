//! Holder-bound credentials end to end: the issuer binds a device key with `cnf`, the phone
//! adds a countersignature, and decoding checks it, its key and its time.

use p256::ecdsa::SigningKey;

use super::ktp::tests::siti;
use super::*;

const NOW: i64 = 1_750_000_000;
const ENCRYPTION_KEY: [u8; 32] = [0x42; 32];

fn key(seed: u8) -> SigningKey {
    SigningKey::from_bytes(&[seed; 32].into()).unwrap()
}

fn bound_credential(issuer: &SigningKey, device: &SigningKey, encrypt: bool) -> String {
    bound_credential_with_cti(issuer, device, encrypt, 5)
}

fn bound_credential_with_cti(
    issuer: &SigningKey,
    device: &SigningKey,
    encrypt: bool,
    cti: u8,
) -> String {
    let meta = CwtMeta {
        iss: Some("urn:ikd:test".into()),
        iat: Some(NOW - 3600),
        exp: Some(NOW + 7 * 86_400),
        cti: Some(vec![cti; 16]),
        cnf: Some(device_public_key(device).to_vec()),
        ..CwtMeta::default()
    };
    let kid = es256_kid(issuer.verifying_key());
    issue(
        &siti().profile(Profile::Full),
        &meta,
        issuer,
        &kid,
        encrypt.then_some((&ENCRYPTION_KEY, [3; 12])),
    )
    .unwrap()
}

fn verifying(trust: &TrustList, now: i64) -> DecodeOptions<'_> {
    DecodeOptions {
        trust: Some(trust),
        decrypt_key: Some(ENCRYPTION_KEY),
        now,
        check_time: true,
        ..DecodeOptions::default()
    }
}

#[test]
fn a_presented_credential_verifies_with_its_time() {
    let (issuer, device) = (key(1), key(2));
    let trust = TrustList::new().with(TrustedKey::new(PublicKey::Es256(*issuer.verifying_key())));
    for encrypt in [false, true] {
        let credential = Presentable::parse(&bound_credential(&issuer, &device, encrypt)).unwrap();
        let qr = credential.present(&device, NOW - 20).unwrap();
        let decoded = decode(&qr, &verifying(&trust, NOW)).unwrap();
        assert_eq!(decoded.holder, HolderBinding::Presented { at: NOW - 20 });
        assert_eq!(decoded.encrypted, encrypt);
        assert_eq!(decoded.meta.cnf, Some(device_public_key(&device).to_vec()));
    }
}

#[test]
fn each_presentation_is_a_new_qr() {
    let (issuer, device) = (key(1), key(2));
    let credential = Presentable::parse(&bound_credential(&issuer, &device, false)).unwrap();
    let first = credential.present(&device, NOW).unwrap();
    let next = credential
        .present(&device, NOW + PRESENT_EVERY_SECS)
        .unwrap();
    assert_ne!(first, next);
}

#[test]
fn the_credential_alone_is_not_a_presentation() {
    let (issuer, device) = (key(1), key(2));
    let trust = TrustList::new().with(TrustedKey::new(PublicKey::Es256(*issuer.verifying_key())));
    let credential = bound_credential(&issuer, &device, false);
    assert_eq!(
        decode(&credential, &verifying(&trust, NOW)),
        Err(DecodeError::NotPresented)
    );
    // Tools that only read it are told it is unproven.
    let read = decode(&credential, &DecodeOptions::default()).unwrap();
    assert_eq!(read.holder, HolderBinding::Unproven);
}

#[test]
fn a_proof_by_another_key_is_refused() {
    let (issuer, device, thief) = (key(1), key(2), key(3));
    let trust = TrustList::new().with(TrustedKey::new(PublicKey::Es256(*issuer.verifying_key())));
    let credential = Presentable::parse(&bound_credential(&issuer, &device, false)).unwrap();
    let qr = credential.present(&thief, NOW).unwrap();
    assert_eq!(
        decode(&qr, &verifying(&trust, NOW)),
        Err(DecodeError::HolderProof)
    );
}

#[test]
fn a_screenshot_stops_verifying_after_the_tolerance() {
    let (issuer, device) = (key(1), key(2));
    let trust = TrustList::new().with(TrustedKey::new(PublicKey::Es256(*issuer.verifying_key())));
    let credential = Presentable::parse(&bound_credential(&issuer, &device, false)).unwrap();
    let qr = credential.present(&device, NOW).unwrap();
    assert!(decode(&qr, &verifying(&trust, NOW + HOLDER_TOLERANCE_SECS)).is_ok());
    assert_eq!(
        decode(&qr, &verifying(&trust, NOW + HOLDER_TOLERANCE_SECS + 1)),
        Err(DecodeError::Stale)
    );
    assert_eq!(
        decode(&qr, &verifying(&trust, NOW - HOLDER_TOLERANCE_SECS - 1)),
        Err(DecodeError::ShownInFuture)
    );
}

#[test]
fn moving_a_proof_onto_another_credential_fails() {
    let (issuer, device) = (key(1), key(2));
    let trust = TrustList::new().with(TrustedKey::new(PublicKey::Es256(*issuer.verifying_key())));
    // Two credentials bound to the same device key: a proof made for one, moved onto the
    // other, must not verify (it covers the issuer's signature and payload).
    let first = Presentable::parse(&bound_credential(&issuer, &device, false)).unwrap();
    let second_text = bound_credential_with_cti(&issuer, &device, false, 6);
    let first_qr = first.present(&device, NOW).unwrap();
    let second = Presentable::parse(&second_text).unwrap();
    let second_qr = second.present(&device, NOW).unwrap();
    assert!(decode(&first_qr, &verifying(&trust, NOW)).is_ok());
    assert!(decode(&second_qr, &verifying(&trust, NOW)).is_ok());
    let swapped = swap_proof(&first_qr, &second_qr);
    assert_eq!(
        decode(&swapped, &verifying(&trust, NOW)),
        Err(DecodeError::HolderProof)
    );
}

/// `target` with the countersignature of `donor`.
fn swap_proof(donor: &str, target: &str) -> String {
    use ciborium::Value;
    fn open(text: &str) -> Value {
        let bytes = zlib::decompress_capped(&base45::decode(text).unwrap(), 1 << 16).unwrap();
        cbor::parse(&bytes).unwrap()
    }
    fn unprotected(value: &mut Value) -> &mut Vec<(Value, Value)> {
        let Value::Tag(_, inner) = value else {
            panic!("tagged")
        };
        let Value::Array(items) = inner.as_mut() else {
            panic!("array")
        };
        let Value::Map(map) = &mut items[1] else {
            panic!("map")
        };
        map
    }
    let mut donor = open(donor);
    let mut target = open(target);
    *unprotected(&mut target) = unprotected(&mut donor).clone();
    base45::encode(&zlib::compress(&cbor::to_vec(&target).unwrap()))
}

#[test]
fn a_plain_credential_is_not_bound() {
    let issuer = key(1);
    let trust = TrustList::new().with(TrustedKey::new(PublicKey::Es256(*issuer.verifying_key())));
    let meta = CwtMeta {
        iat: Some(NOW),
        ..CwtMeta::default()
    };
    let kid = es256_kid(issuer.verifying_key());
    let text = issue(&siti().profile(Profile::Basic), &meta, &issuer, &kid, None).unwrap();
    assert_eq!(
        decode(&text, &verifying(&trust, NOW)).unwrap().holder,
        HolderBinding::NotBound
    );
}
