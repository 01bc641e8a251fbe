//! A phone's four device keys (issue 16): the public halves go with `POST /api/bundle`, the
//! private ones present the holder-bound credentials as the PWA does (`Presentable::present`).
//! Shared by the router tests, the tests that drive `ikd serve` and the benchmarks; included
//! with `#[path]`.

// Each crate that includes this uses a part of it.
#![allow(dead_code)]

use ikd_core::claim169::{Presentable, device_public_key};
use ikd_core::offline_bundle::{BundleRequest, DeviceKeys, HolderCredentials, QrProfile};
use p256::ecdsa::SigningKey;

/// One P-256 key per QR profile, in `QrProfile::ALL` order.
pub struct PhoneKeys {
    keys: [SigningKey; 4],
}

impl PhoneKeys {
    /// Four fresh random keys, as the phone makes at activation and at every login.
    pub fn random() -> Self {
        PhoneKeys {
            keys: std::array::from_fn(|_| SigningKey::random(&mut rand_core::OsRng)),
        }
    }

    /// Four keys derived from `seed`, the same for the same seed (distinct per profile).
    pub fn from_seed(seed: u8) -> Self {
        PhoneKeys {
            keys: std::array::from_fn(|i| {
                let mut scalar = [0x11u8; 32];
                scalar[0] = 0x01;
                scalar[30] = seed;
                scalar[31] = i as u8 + 1;
                SigningKey::from_slice(&scalar).expect("a valid scalar")
            }),
        }
    }

    pub fn key(&self, profile: QrProfile) -> &SigningKey {
        let index = QrProfile::ALL
            .iter()
            .position(|p| *p == profile)
            .expect("a profile");
        &self.keys[index]
    }

    /// The profile's public key as the bundle request and `cnf` carry it: SEC1 compressed.
    pub fn public(&self, profile: QrProfile) -> Vec<u8> {
        device_public_key(self.key(profile)).to_vec()
    }

    pub fn request(&self) -> BundleRequest {
        let hex = |p| ikd_core::hex::encode(&self.public(p));
        BundleRequest {
            device_keys: DeviceKeys {
                full: hex(QrProfile::Full),
                basic: hex(QrProfile::Basic),
                age: hex(QrProfile::Age),
                full_encrypted: hex(QrProfile::FullEncrypted),
            },
        }
    }

    /// The JSON body of `POST /api/bundle`.
    pub fn body(&self) -> serde_json::Value {
        serde_json::to_value(self.request()).expect("json")
    }

    /// The QR text the phone shows for `profile` at `at` (unix seconds): the credential with
    /// a fresh countersignature by that profile's device key.
    pub fn present(&self, credentials: &HolderCredentials, profile: QrProfile, at: i64) -> String {
        Presentable::parse(credentials.get(profile))
            .expect("an issued credential")
            .present(self.key(profile), at)
            .expect("presented")
    }

    /// The full-encrypted credential shown to one institution of the bundle's list, as the
    /// phone does it: encrypted to that institution's key (fresh ephemeral key and IV).
    pub fn present_to(
        &self,
        credentials: &HolderCredentials,
        institution: &ikd_core::offline_bundle::QrInstitution,
        at: i64,
    ) -> String {
        use rand_core::RngCore;
        let mut ephemeral = [0u8; 32];
        let mut iv = [0u8; 12];
        rand_core::OsRng.fill_bytes(&mut ephemeral);
        rand_core::OsRng.fill_bytes(&mut iv);
        Presentable::parse(credentials.get(QrProfile::FullEncrypted))
            .expect("an issued credential")
            .present_encrypted(
                self.key(QrProfile::FullEncrypted),
                at,
                &institution.recipient().expect("the institution's key"),
                ephemeral,
                iv,
            )
            .expect("presented")
    }
}
