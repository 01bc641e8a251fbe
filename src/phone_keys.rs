//! The phone's own secrets: one P-256 device key per QR profile (the issuer binds each
//! profile's credential to its key with `cnf`; the phone signs a fresh holder proof with it
//! every time it shows a QR) and the AES-256 key of the presentation log. All are made here
//! at activation and at every login, from the browser's CSPRNG, and kept only inside the
//! PIN-sealed vault ([`VaultContents`]) and, while the app is unlocked, in memory.

use ikd_core::claim169::device_public_key;
use ikd_core::offline_bundle::{DeviceKeys, QrProfile};
use p256::ecdsa::SigningKey;
use serde::{Deserialize, Serialize};

use crate::browser::{NoSecureRandom, random_bytes};

/// The four device keys and the log key, unlocked.
#[derive(Clone)]
pub struct PhoneKeys {
    full: SigningKey,
    basic: SigningKey,
    age: SigningKey,
    full_encrypted: SigningKey,
    log_key: [u8; 32],
}

// Secrets are never printed.
impl std::fmt::Debug for PhoneKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PhoneKeys").finish_non_exhaustive()
    }
}

/// A P-256 key from 32 random bytes, drawn again in the rare case they are not a valid
/// scalar (zero or at least the group order: about 1 in 2^32).
fn fresh_signing_key() -> Result<SigningKey, NoSecureRandom> {
    for _ in 0..8 {
        if let Ok(key) = SigningKey::from_slice(&random_bytes::<32>()?) {
            return Ok(key);
        }
    }
    Err(NoSecureRandom)
}

impl PhoneKeys {
    /// Four fresh device keys. The log key is kept when one is given (the log already
    /// written stays readable), otherwise fresh too.
    pub fn generate(log_key: Option<[u8; 32]>) -> Result<PhoneKeys, NoSecureRandom> {
        let log_key = match log_key {
            Some(key) => key,
            None => random_bytes::<32>()?,
        };
        Ok(PhoneKeys {
            full: fresh_signing_key()?,
            basic: fresh_signing_key()?,
            age: fresh_signing_key()?,
            full_encrypted: fresh_signing_key()?,
            log_key,
        })
    }

    /// The same device keys with `log_key` in place of their own (the presentation log of
    /// the same person's earlier copy stays readable).
    pub fn with_log_key(self, log_key: [u8; 32]) -> PhoneKeys {
        PhoneKeys { log_key, ..self }
    }

    pub fn get(&self, profile: QrProfile) -> &SigningKey {
        match profile {
            QrProfile::Full => &self.full,
            QrProfile::Basic => &self.basic,
            QrProfile::Age => &self.age,
            QrProfile::FullEncrypted => &self.full_encrypted,
        }
    }

    pub fn log_key(&self) -> [u8; 32] {
        self.log_key
    }

    /// What the bundle request sends: the public keys, hex of the compressed points.
    pub fn public(&self) -> DeviceKeys {
        let hex = |profile| ikd_core::hex::encode(&device_public_key(self.get(profile)));
        DeviceKeys {
            full: hex(QrProfile::Full),
            basic: hex(QrProfile::Basic),
            age: hex(QrProfile::Age),
            full_encrypted: hex(QrProfile::FullEncrypted),
        }
    }
}

/// What the PIN seals: the signed bundle text exactly as served, and the phone's keys.
#[derive(Clone)]
pub struct VaultContents {
    pub signed: String,
    pub keys: PhoneKeys,
}

impl std::fmt::Debug for VaultContents {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VaultContents")
            .field("signed_len", &self.signed.len())
            .finish_non_exhaustive()
    }
}

/// The sealed JSON: `{"signed": "...", "deviceKeys": {"full": hex, ...}, "logKey": hex}`,
/// each secret 32 bytes.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ContentsJson {
    signed: String,
    device_keys: SecretsJson,
    log_key: String,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct SecretsJson {
    full: String,
    basic: String,
    age: String,
    full_encrypted: String,
}

fn secret_hex(key: &SigningKey) -> String {
    ikd_core::hex::encode(&key.to_bytes())
}

fn signing_key(hex: &str) -> Option<SigningKey> {
    let bytes = ikd_core::hex::decode(hex).filter(|b| b.len() == 32)?;
    SigningKey::from_slice(&bytes).ok()
}

impl VaultContents {
    pub fn to_json(&self) -> String {
        let keys = &self.keys;
        let json = ContentsJson {
            signed: self.signed.clone(),
            device_keys: SecretsJson {
                full: secret_hex(&keys.full),
                basic: secret_hex(&keys.basic),
                age: secret_hex(&keys.age),
                full_encrypted: secret_hex(&keys.full_encrypted),
            },
            log_key: ikd_core::hex::encode(&keys.log_key),
        };
        // Plain strings only: serialising cannot fail.
        serde_json::to_string(&json).unwrap_or_default()
    }

    /// Reads the sealed JSON; `None` for anything else (a copy from an earlier release held
    /// the bare signed bundle text, see [`crate::vault_store::StoreError::Outdated`]).
    pub fn from_json(bytes: &[u8]) -> Option<VaultContents> {
        let json: ContentsJson = serde_json::from_slice(bytes).ok()?;
        let log_key = ikd_core::hex::decode(&json.log_key)?.try_into().ok()?;
        Some(VaultContents {
            signed: json.signed,
            keys: PhoneKeys {
                full: signing_key(&json.device_keys.full)?,
                basic: signing_key(&json.device_keys.basic)?,
                age: signing_key(&json.device_keys.age)?,
                full_encrypted: signing_key(&json.device_keys.full_encrypted)?,
                log_key,
            },
        })
    }
}
