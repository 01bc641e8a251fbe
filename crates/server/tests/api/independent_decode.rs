//! Issue 16's independent check: a QR the phone made (`Presentable::present`, with the RFC 9338
//! countersignature in the unprotected header) from a real bundle, decoded WITHOUT the
//! project's decoder: Base45 from RFC 9285 written here, zlib by `miniz_oxide`, COSE by
//! `coset`, ES256 by `p256` against the key from `/api/trust-list` read as plain JSON, the CWT
//! by `ciborium`. A plain COSE/Claim 169 verifier that knows nothing of holder proofs still
//! verifies the issuer's signature and finds the NIK. The countersignature is then checked
//! from RFC 9338's text too, against the `cnf` key as RFC 8747 and RFC 9053 spell it.

use ciborium::Value;
use coset::{CoseSign1, Label, TaggedCborSerializable, iana};
use ikd_core::offline_bundle::{OfflineBundle, QrProfile};
use ikd_core::signed::SignedJson;
use ikd_core::trust_documents::TrustListDocument;
use ikd_server::platform::clock::unix_now;
use p256::ecdsa::signature::Verifier;
use p256::ecdsa::{Signature, VerifyingKey};

use crate::fixtures::*;
use crate::support::{PhoneKeys, TestApp, body_json};

/// RFC 9285: each 3 characters c d e are c + 45·d + 45²·e, two bytes big-endian; 2 trailing
/// characters are one byte.
fn base45_decode(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8; 45] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
    let values: Vec<u32> = text
        .bytes()
        .map(|c| {
            ALPHABET
                .iter()
                .position(|a| *a == c)
                .expect("a Base45 character") as u32
        })
        .collect();
    let mut out = Vec::with_capacity(values.len() * 2 / 3);
    for chunk in values.chunks(3) {
        match *chunk {
            [c, d, e] => {
                let n = c + d * 45 + e * 45 * 45;
                assert!(n <= 0xffff, "Base45 triple out of range");
                out.extend_from_slice(&(n as u16).to_be_bytes());
            }
            [c, d] => {
                let n = c + d * 45;
                assert!(n <= 0xff, "Base45 pair out of range");
                out.push(n as u8);
            }
            _ => panic!("a lone trailing Base45 character"),
        }
    }
    out
}

fn hex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).expect("hex"))
        .collect()
}

/// The value under integer key `key` of a CBOR map.
fn entry(map: &Value, key: i64) -> Option<&Value> {
    map.as_map()?
        .iter()
        .find(|(k, _)| k.as_integer().and_then(|i| i64::try_from(i).ok()) == Some(key))
        .map(|(_, v)| v)
}

fn cbor(value: &Value) -> Vec<u8> {
    let mut out = Vec::new();
    ciborium::into_writer(value, &mut out).expect("CBOR");
    out
}

#[tokio::test]
async fn a_presented_qr_verifies_with_a_plain_cose_claim169_decoder() {
    let app = TestApp::new().await;
    seed_registry(&app).await;
    let (officer, desk) = open_desk(&app).await;
    let citizen = eligible_citizens(&app, 1).await.remove(0);
    let session = active_citizen(&app, &officer, desk, &citizen, "device-independent-1").await;
    let phone = PhoneKeys::random();
    let response = app.bundle(&session, &phone).await;
    assert_eq!(response.status(), 200);
    let signed: SignedJson = serde_json::from_value(body_json(response).await).expect("signed");
    let trust_json = body_json(app.get("/api/trust-list").await).await;
    let trust: TrustListDocument = serde_json::from_value(trust_json.clone()).expect("trust");
    let bundle: OfflineBundle = signed
        .verify(&trust.to_trust_list().expect("keys"), None)
        .expect("bundle");
    let now = unix_now();
    // What the phone shows: made by the project's own code, read below by none of it.
    let qr = phone.present(&bundle.credentials, QrProfile::Full, now);

    let compressed = base45_decode(&qr);
    let cose = miniz_oxide::inflate::decompress_to_vec_zlib(&compressed).expect("zlib");
    let sign1 = CoseSign1::from_tagged_slice(&cose).expect("a tagged COSE_Sign1");
    assert_eq!(
        sign1.protected.header.alg,
        Some(coset::Algorithm::Assigned(iana::Algorithm::ES256))
    );

    // The issuer's key, by kid, from the trust list as served.
    let kid = if sign1.protected.header.key_id.is_empty() {
        sign1.unprotected.key_id.clone()
    } else {
        sign1.protected.header.key_id.clone()
    };
    let published = trust_json["keys"]
        .as_array()
        .expect("keys")
        .iter()
        .find(|k| hex(k["kid"].as_str().expect("kid")) == kid)
        .expect("the signer is on the trust list");
    assert_eq!(published["alg"], "ES256");
    let issuer_key =
        VerifyingKey::from_sec1_bytes(&hex(published["publicKey"].as_str().expect("key")))
            .expect("a P-256 key");
    let signature = Signature::from_slice(&sign1.signature).expect("r||s");
    issuer_key
        .verify(&sign1.tbs_data(b""), &signature)
        .expect("the issuer's ES256 signature verifies");
    // The same through coset's own check.
    sign1
        .verify_signature(b"", |sig, data| {
            issuer_key
                .verify(data, &Signature::from_slice(sig).map_err(|_| ())?)
                .map_err(|_| ())
        })
        .expect("coset verifies too");

    // The CWT: iss, exp in the future, claim 169 with the NIK, and cnf.
    let payload = sign1.payload.as_deref().expect("payload");
    let claims: Value = ciborium::from_reader(payload).expect("CWT map");
    assert!(entry(&claims, 1).and_then(Value::as_text).is_some(), "iss");
    let exp = entry(&claims, 4)
        .and_then(Value::as_integer)
        .and_then(|i| i64::try_from(i).ok())
        .expect("exp");
    assert!(exp > now);
    let claim169 = entry(&claims, 169).expect("claim 169");
    assert_eq!(
        entry(claim169, 1).and_then(Value::as_text),
        Some(citizen.nik.as_str()),
        "claim 169 id is the NIK"
    );
    assert!(
        entry(claim169, 4).and_then(Value::as_text).is_some(),
        "fullName"
    );

    // The countersignature sits in the unprotected header, label 11, which a plain verifier
    // ignores: everything above passed with it there.
    let (_, countersignature) = sign1
        .unprotected
        .rest
        .iter()
        .find(|(label, _)| *label == Label::Int(11))
        .expect("a countersignature (label 11) in the unprotected header");

    // RFC 9338 by hand: [protected, unprotected, signature] over the Countersign_structure
    // ["CounterSignatureV2", body_protected, sign_protected, external_aad, payload,
    // [issuer signature]], with the time in its protected header (15: {6: iat}, RFC 9597).
    let parts = countersignature.as_array().expect("COSE_Countersignature");
    let [
        Value::Bytes(sign_protected),
        Value::Map(_),
        Value::Bytes(holder_signature),
    ] = parts.as_slice()
    else {
        panic!("COSE_Countersignature is [bstr, map, bstr]: {parts:?}");
    };
    let header: Value = ciborium::from_reader(sign_protected.as_slice()).expect("header");
    assert_eq!(
        entry(&header, 1).and_then(Value::as_integer),
        Some((-7).into()),
        "ES256"
    );
    let shown_at = entry(&header, 15)
        .and_then(|claims| entry(claims, 6))
        .and_then(Value::as_integer)
        .and_then(|i| i64::try_from(i).ok())
        .expect("the time the phone made it");
    assert_eq!(shown_at, now);
    let body_protected = sign1
        .protected
        .original_data
        .clone()
        .expect("the protected header's bytes as sent");
    let to_be_signed = cbor(&Value::Array(vec![
        Value::Text("CounterSignatureV2".into()),
        Value::Bytes(body_protected),
        Value::Bytes(sign_protected.clone()),
        Value::Bytes(Vec::new()),
        Value::Bytes(payload.to_vec()),
        Value::Array(vec![Value::Bytes(sign1.signature.clone())]),
    ]));
    // cnf (8): {1: COSE_Key {1 kty: 2 EC2, -1 crv: 1 P-256, -2 x, -3 y or its sign bit}}.
    let cose_key = entry(&claims, 8)
        .and_then(|cnf| entry(cnf, 1))
        .expect("cnf COSE_Key");
    assert_eq!(
        entry(cose_key, 1).and_then(Value::as_integer),
        Some(2.into())
    );
    assert_eq!(
        entry(cose_key, -1).and_then(Value::as_integer),
        Some(1.into())
    );
    let x = entry(cose_key, -2).and_then(Value::as_bytes).expect("x");
    let mut sec1 = match entry(cose_key, -3).expect("y") {
        Value::Bool(odd) => vec![if *odd { 0x03 } else { 0x02 }],
        Value::Bytes(y) => {
            let mut point = vec![0x04];
            point.extend_from_slice(x);
            point.extend_from_slice(y);
            point
        }
        other => panic!("y is {other:?}"),
    };
    if sec1.len() == 1 {
        sec1.extend_from_slice(x);
    }
    let holder_key = VerifyingKey::from_sec1_bytes(&sec1).expect("cnf is a P-256 key");
    assert_eq!(
        holder_key,
        *phone.key(QrProfile::Full).verifying_key(),
        "cnf names the phone's key for the full QR"
    );
    holder_key
        .verify(
            &to_be_signed,
            &Signature::from_slice(holder_signature).expect("r||s"),
        )
        .expect("the phone's countersignature verifies by RFC 9338");
}

/// Issue 17's independent check: the full QR the phone encrypted to one institution, opened
/// WITHOUT the project's decoder, with only that institution's private key (the PEM `ikd
/// institution add` hands over): a COSE_Encrypt (tag 96) read by `coset`, one recipient with
/// ECDH-ES + HKDF-256 (RFC 9053 6.3.1: the ephemeral key in header -1, the kid in 4), the
/// COSE_KDF_Context built by `coset`, HKDF by `hkdf`, A256GCM by `aes-gcm` over the
/// Enc_structure coset computes; inside, the issuer's COSE_Sign1 with the phone's proof.
#[tokio::test]
async fn an_encrypted_qr_opens_with_coset_and_only_the_institution_key() {
    use aes_gcm::aead::{Aead, KeyInit, Payload};
    use coset::{CborSerializable, CoseEncrypt, CoseKdfContextBuilder, SuppPubInfo};
    use p256::pkcs8::DecodePrivateKey;

    let app = TestApp::new().await;
    seed_registry(&app).await;
    let (_, qr_key) = ikd_server::journey::institutions::add(&app.db, "Bank Independen")
        .await
        .expect("institution");
    let (officer, desk) = open_desk(&app).await;
    let citizen = eligible_citizens(&app, 1).await.remove(0);
    let session = active_citizen(&app, &officer, desk, &citizen, "device-independent-2").await;
    let phone = PhoneKeys::random();
    let response = app.bundle(&session, &phone).await;
    assert_eq!(response.status(), 200);
    let signed: SignedJson = serde_json::from_value(body_json(response).await).expect("signed");
    let trust_json = body_json(app.get("/api/trust-list").await).await;
    let trust: TrustListDocument = serde_json::from_value(trust_json.clone()).expect("trust");
    let bundle: OfflineBundle = signed
        .verify(&trust.to_trust_list().expect("keys"), None)
        .expect("bundle");
    let now = unix_now();
    let qr = phone.present_to(&bundle.credentials, &bundle.institutions[0], now);

    let cose = miniz_oxide::inflate::decompress_to_vec_zlib(&base45_decode(&qr)).expect("zlib");
    assert!(
        CoseSign1::from_tagged_slice(&cose).is_err(),
        "not readable as a Sign1"
    );
    let encrypt = CoseEncrypt::from_tagged_slice(&cose).expect("a tagged COSE_Encrypt");
    assert_eq!(
        encrypt.protected.header.alg,
        Some(coset::Algorithm::Assigned(iana::Algorithm::A256GCM))
    );
    let [recipient] = encrypt.recipients.as_slice() else {
        panic!("one recipient");
    };
    assert_eq!(
        recipient.protected.header.alg,
        Some(coset::Algorithm::Assigned(
            iana::Algorithm::ECDH_ES_HKDF_256
        ))
    );
    assert_eq!(
        recipient.unprotected.key_id,
        hex(&qr_key.kid),
        "kid names the institution key"
    );
    assert_eq!(
        recipient.ciphertext.as_deref(),
        Some(&[][..]),
        "direct: no wrapped key"
    );
    let (_, ephemeral) = recipient
        .unprotected
        .rest
        .iter()
        .find(|(label, _)| *label == Label::Int(-1))
        .expect("the ephemeral key, header -1");
    let x = entry(ephemeral, -2).and_then(Value::as_bytes).expect("x");
    let Some(Value::Bool(odd)) = entry(ephemeral, -3) else {
        panic!("y as its sign bit");
    };
    let mut sec1 = vec![if *odd { 0x03 } else { 0x02 }];
    sec1.extend_from_slice(x);
    let ephemeral = p256::PublicKey::from_sec1_bytes(&sec1).expect("a P-256 point");

    let secret = p256::SecretKey::from_pkcs8_pem(&qr_key.private_key_pem).expect("PEM");
    let shared = p256::ecdh::diffie_hellman(secret.to_nonzero_scalar(), ephemeral.as_affine());
    let context = CoseKdfContextBuilder::new()
        .algorithm(iana::Algorithm::A256GCM)
        .supp_pub_info(SuppPubInfo {
            key_data_length: 256,
            protected: recipient.protected.clone(),
            other: None,
        })
        .build()
        .to_vec()
        .expect("COSE_KDF_Context");
    let mut cek = [0u8; 32];
    hkdf::Hkdf::<sha2::Sha256>::new(None, shared.raw_secret_bytes())
        .expand(&context, &mut cek)
        .expect("HKDF");
    let cipher = aes_gcm::Aes256Gcm::new(&cek.into());
    let iv: [u8; 12] = encrypt
        .unprotected
        .iv
        .as_slice()
        .try_into()
        .expect("12-byte IV");
    let plaintext = encrypt
        .decrypt_ciphertext(
            b"",
            || (),
            |msg, aad| {
                cipher
                    .decrypt(&iv.into(), Payload { msg, aad })
                    .map_err(|_| ())
            },
        )
        .expect("A256GCM opens with the derived key");

    // Inside: the issuer's COSE_Sign1, verifying with the published key, with the proof.
    let sign1 = CoseSign1::from_tagged_slice(&plaintext).expect("a tagged COSE_Sign1");
    let published = trust_json["keys"]
        .as_array()
        .expect("keys")
        .iter()
        .find(|k| hex(k["kid"].as_str().expect("kid")) == sign1.protected.header.key_id)
        .expect("the signer is on the trust list");
    let issuer_key =
        VerifyingKey::from_sec1_bytes(&hex(published["publicKey"].as_str().expect("key")))
            .expect("a P-256 key");
    sign1
        .verify_signature(b"", |sig, data| {
            issuer_key
                .verify(data, &Signature::from_slice(sig).map_err(|_| ())?)
                .map_err(|_| ())
        })
        .expect("the issuer's signature verifies");
    assert!(
        sign1
            .unprotected
            .rest
            .iter()
            .any(|(l, _)| *l == Label::Int(11)),
        "the holder's countersignature travels inside the encryption"
    );
    let claims: Value =
        ciborium::from_reader(sign1.payload.as_deref().expect("payload")).expect("CWT");
    assert_eq!(
        entry(entry(&claims, 169).expect("169"), 1).and_then(Value::as_text),
        Some(citizen.nik.as_str())
    );

    // Another institution's key derives another content key: nothing opens.
    let stranger = p256::SecretKey::from_slice(&[7; 32]).expect("key");
    let shared = p256::ecdh::diffie_hellman(stranger.to_nonzero_scalar(), ephemeral.as_affine());
    let mut wrong = [0u8; 32];
    hkdf::Hkdf::<sha2::Sha256>::new(None, shared.raw_secret_bytes())
        .expand(&context, &mut wrong)
        .expect("HKDF");
    let cipher = aes_gcm::Aes256Gcm::new(&wrong.into());
    assert!(
        encrypt
            .decrypt_ciphertext(
                b"",
                || (),
                |msg, aad| {
                    cipher
                        .decrypt(&iv.into(), Payload { msg, aad })
                        .map_err(|_| ())
                }
            )
            .is_err()
    );
}
