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

// ---- the full QR encrypted to one institution (recipient.rs) ----

fn institution(seed: u8) -> InstitutionKey {
    InstitutionKey::from_bytes(&[seed; 32]).unwrap()
}

fn for_institution<'a>(keys: &'a [InstitutionKey], trust: &'a TrustList) -> DecodeOptions<'a> {
    DecodeOptions {
        trust: Some(trust),
        institution_keys: keys,
        now: NOW,
        check_time: true,
        ..DecodeOptions::default()
    }
}

fn shown_to(recipient: &Recipient, device: &SigningKey, issuer: &SigningKey) -> String {
    Presentable::parse(&bound_credential(issuer, device, false))
        .unwrap()
        .present_encrypted(device, NOW - 5, recipient, [9; 32], [4; NONCE_LEN])
        .unwrap()
}

#[test]
fn a_qr_encrypted_to_an_institution_opens_with_its_key_only() {
    let (issuer, device) = (key(1), key(2));
    let trust = TrustList::new().with(TrustedKey::new(PublicKey::Es256(*issuer.verifying_key())));
    let (bank, clinic) = (institution(7), institution(8));
    let qr = shown_to(&bank.recipient(), &device, &issuer);
    assert_eq!(encrypted_for(&qr), Some(bank.kid.clone()));

    let decoded = decode(&qr, &for_institution(std::slice::from_ref(&bank), &trust)).unwrap();
    assert!(decoded.encrypted && decoded.verified);
    assert_eq!(decoded.holder, HolderBinding::Presented { at: NOW - 5 });
    assert_eq!(
        decoded.claim169.full_name.as_deref(),
        siti().profile(Profile::Full).full_name.as_deref()
    );
    // Another institution's key, or none, does not open it and says why.
    assert_eq!(
        decode(&qr, &for_institution(std::slice::from_ref(&clinic), &trust)),
        Err(DecodeError::OtherInstitution)
    );
    assert_eq!(
        decode(&qr, &for_institution(&[], &trust)),
        Err(DecodeError::OtherInstitution)
    );
    // A stranger's key relabelled with the bank's kid fails to decrypt.
    let mut impostor = institution(9);
    impostor.kid = bank.kid.clone();
    assert_eq!(
        decode(&qr, &for_institution(&[impostor], &trust)),
        Err(DecodeError::Decrypt)
    );
    // Both keys held (current and previous): the kid picks the right one.
    let both = [clinic, bank];
    assert!(decode(&qr, &for_institution(&both, &trust)).is_ok());
}

#[test]
fn a_changed_encrypted_qr_is_refused() {
    let (issuer, device, bank) = (key(1), key(2), institution(7));
    let trust = TrustList::new().with(TrustedKey::new(PublicKey::Es256(*issuer.verifying_key())));
    let qr = shown_to(&bank.recipient(), &device, &issuer);
    let bytes = decode::cose_bytes(&qr).unwrap();
    let keys = [bank];
    // Flip one byte at a time across the whole structure: never accepted.
    for at in (0..bytes.len()).step_by(7) {
        let mut changed = bytes.clone();
        changed[at] ^= 0x01;
        let text = base45::encode(&zlib::compress(&changed));
        assert!(
            decode(&text, &for_institution(&keys, &trust)).is_err(),
            "byte {at}"
        );
    }
}

#[test]
fn an_encrypted_qr_still_needs_a_fresh_holder_proof_and_the_issuer() {
    let (issuer, device, bank) = (key(1), key(2), institution(7));
    let trust = TrustList::new().with(TrustedKey::new(PublicKey::Es256(*issuer.verifying_key())));
    let qr = shown_to(&bank.recipient(), &device, &issuer);
    let keys = [bank];
    let late = DecodeOptions {
        now: NOW + 200,
        ..for_institution(&keys, &trust)
    };
    assert_eq!(decode(&qr, &late), Err(DecodeError::Stale));
    let stranger =
        TrustList::new().with(TrustedKey::new(PublicKey::Es256(*key(3).verifying_key())));
    assert!(decode(&qr, &for_institution(&keys, &stranger)).is_err());
    // Two showings to the same institution share no bytes beyond the structure's own.
    let credential = Presentable::parse(&bound_credential(&issuer, &device, false)).unwrap();
    let recipient = keys[0].recipient();
    let other = credential
        .present_encrypted(&device, NOW - 5, &recipient, [10; 32], [5; NONCE_LEN])
        .unwrap();
    assert_ne!(qr, other);
}

#[test]
fn only_a_signed_credential_is_encrypted_to_an_institution() {
    let (issuer, device, bank) = (key(1), key(2), institution(7));
    let old = Presentable::parse(&bound_credential(&issuer, &device, true)).unwrap();
    assert_eq!(
        old.present_encrypted(&device, NOW, &bank.recipient(), [9; 32], [4; NONCE_LEN]),
        Err(IssueError::Encode)
    );
}
