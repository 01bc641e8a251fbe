//! A passkey in software, for the service's own tests and benchmarks: it answers the two
//! ceremonies the way a browser and an authenticator do (client data, authenticator data,
//! `none` attestation, ES256 signature), so the checks in the parent module are exercised
//! with real bytes. The browser journeys use Chromium's own virtual authenticator instead.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ciborium::value::Value;
use p256::ecdsa::signature::Signer;
use p256::ecdsa::{Signature, SigningKey};
use rand_core::RngCore;
use sha2::{Digest, Sha256};

use super::{ES256, RelyingParty};

#[derive(Debug)]
pub struct SoftwareAuthenticator {
    key: SigningKey,
    credential_id: Vec<u8>,
    counter: u32,
}

/// What `navigator.credentials.create()` hands the page.
#[derive(Debug)]
pub struct Created {
    pub client_data_json: Vec<u8>,
    pub attestation_object: Vec<u8>,
}

/// What `navigator.credentials.get()` hands the page.
#[derive(Debug)]
pub struct Asserted {
    pub credential_id: String,
    pub client_data_json: Vec<u8>,
    pub authenticator_data: Vec<u8>,
    pub signature: Vec<u8>,
}

impl Default for SoftwareAuthenticator {
    fn default() -> Self {
        Self::new()
    }
}

impl SoftwareAuthenticator {
    pub fn new() -> Self {
        let mut credential_id = vec![0u8; 16];
        rand_core::OsRng.fill_bytes(&mut credential_id);
        SoftwareAuthenticator {
            key: SigningKey::random(&mut rand_core::OsRng),
            credential_id,
            counter: 0,
        }
    }

    pub fn credential_id(&self) -> String {
        URL_SAFE_NO_PAD.encode(&self.credential_id)
    }

    fn client_data(kind: &str, rp: &RelyingParty, challenge: &str) -> Vec<u8> {
        serde_json::json!({"type": kind, "challenge": challenge, "origin": rp.origin, "crossOrigin": false})
            .to_string()
            .into_bytes()
    }

    fn auth_data(&mut self, rp: &RelyingParty, flags: u8) -> Vec<u8> {
        self.counter += 1;
        let mut data = Sha256::digest(rp.id.as_bytes()).to_vec();
        data.push(flags);
        data.extend_from_slice(&self.counter.to_be_bytes());
        data
    }

    pub fn create(&mut self, rp: &RelyingParty, challenge: &str) -> Created {
        // User present and verified, attested credential data follows.
        let mut auth_data = self.auth_data(rp, 0x01 | 0x04 | 0x40);
        auth_data.extend_from_slice(&[0u8; 16]);
        let id_len = u16::try_from(self.credential_id.len()).expect("a short id");
        auth_data.extend_from_slice(&id_len.to_be_bytes());
        auth_data.extend_from_slice(&self.credential_id);
        let point = self.key.verifying_key().to_encoded_point(false);
        let int = |n: i64| Value::Integer(n.into());
        let cose_key = Value::Map(vec![
            (int(1), int(2)),
            (int(3), int(ES256)),
            (int(-1), int(1)),
            (
                int(-2),
                Value::Bytes(point.x().expect("uncompressed").to_vec()),
            ),
            (
                int(-3),
                Value::Bytes(point.y().expect("uncompressed").to_vec()),
            ),
        ]);
        ciborium::ser::into_writer(&cose_key, &mut auth_data).expect("CBOR into a Vec");
        let object = Value::Map(vec![
            (Value::Text("fmt".into()), Value::Text("none".into())),
            (Value::Text("attStmt".into()), Value::Map(vec![])),
            (Value::Text("authData".into()), Value::Bytes(auth_data)),
        ]);
        let mut attestation_object = Vec::new();
        ciborium::ser::into_writer(&object, &mut attestation_object).expect("CBOR into a Vec");
        Created {
            client_data_json: Self::client_data("webauthn.create", rp, challenge),
            attestation_object,
        }
    }

    pub fn get(&mut self, rp: &RelyingParty, challenge: &str) -> Asserted {
        let authenticator_data = self.auth_data(rp, 0x01 | 0x04);
        let client_data_json = Self::client_data("webauthn.get", rp, challenge);
        let mut signed = authenticator_data.clone();
        signed.extend_from_slice(&Sha256::digest(&client_data_json));
        let signature: Signature = self.key.sign(&signed);
        Asserted {
            credential_id: self.credential_id(),
            client_data_json,
            authenticator_data,
            signature: signature.to_der().as_bytes().to_vec(),
        }
    }
}
