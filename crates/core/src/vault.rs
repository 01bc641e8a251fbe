//! The PIN-sealed local copy of the offline bundle. The PWA keeps the bundle in IndexedDB
//! only in this form: AES-256-GCM under a key derived from the 6-digit PIN with Argon2id, so
//! nothing on the phone shows the NIK or name in plain text.
//!
//! What a 6-digit PIN can and cannot do: it keeps the data unreadable to someone who copies
//! the browser's storage without the PIN *only as long as they cannot try all 1,000,000 PINs*.
//! Argon2id makes each try cost tens of milliseconds and 19 MiB, so a determined attacker with
//! the files and a computer needs hours, not years. The 5-try wipe stops guessing through the
//! app itself. So the PIN protects against a lost or borrowed phone and casual snooping; it
//! does not protect against a skilled attacker who extracts the storage. That is acceptable
//! because the copy is not the credential's only safeguard: logging out or activating another
//! device revokes its QRs, and the data is the holder's own KTP and KK.
//!
//! Where the browser offers WebAuthn's PRF extension, the copy can instead be sealed under a
//! key made from a platform passkey's PRF output ([`key_from_prf`], [`seal_with_key`]): 32
//! bytes only the phone's authenticator makes, after its screen lock. A copied storage then
//! gives nothing to guess; such a copy never also opens with a PIN.

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce};
use argon2::{Algorithm, Argon2, Params, Version};
use serde::{Deserialize, Serialize};

pub const PIN_LEN: usize = 6;
/// Wrong PINs in a row after which the local copy is wiped.
pub const MAX_PIN_FAILURES: u32 = 5;
pub const SALT_LEN: usize = 16;
pub const NONCE_LEN: usize = 12;

/// OWASP's Argon2id minimum (as for passwords on the service): m = 19 MiB, t = 2, p = 1.
const MEMORY_KIB: u32 = 19_456;
const ITERATIONS: u32 = 2;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Sealed {
    /// Hex.
    pub salt: String,
    /// Hex.
    pub nonce: String,
    /// Hex of the AES-GCM ciphertext with its tag.
    pub ciphertext: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum VaultError {
    #[error("PIN harus {PIN_LEN} angka (the PIN must be {PIN_LEN} digits)")]
    PinFormat,
    #[error("PIN terlalu mudah ditebak (the PIN is too easy to guess)")]
    PinWeak,
    #[error("PIN salah (wrong PIN)")]
    WrongPin,
    #[error("data tersimpan rusak (stored data is damaged)")]
    Damaged,
}

/// Six digits, and not one of the PINs everyone tries first (all the same digit, or a run
/// up or down such as 123456).
pub fn check_new_pin(pin: &str) -> Result<(), VaultError> {
    if pin.len() != PIN_LEN || !pin.bytes().all(|b| b.is_ascii_digit()) {
        return Err(VaultError::PinFormat);
    }
    let digits: Vec<i16> = pin.bytes().map(|b| i16::from(b - b'0')).collect();
    let steps: Vec<i16> = digits.windows(2).map(|w| w[1] - w[0]).collect();
    let constant_step = steps.iter().all(|&s| s == steps[0]) && steps[0].abs() <= 1;
    if constant_step {
        return Err(VaultError::PinWeak);
    }
    Ok(())
}

fn derive_key(pin: &str, salt: &[u8]) -> Result<[u8; 32], VaultError> {
    let params =
        Params::new(MEMORY_KIB, ITERATIONS, 1, Some(32)).map_err(|_| VaultError::Damaged)?;
    let mut key = [0u8; 32];
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(pin.as_bytes(), salt, &mut key)
        .map_err(|_| VaultError::Damaged)?;
    Ok(key)
}

/// Seals `plaintext` under `pin`. The caller draws `salt` and `nonce` from the platform's
/// CSPRNG (this crate has none on purpose) and never reuses a nonce.
pub fn seal(
    plaintext: &[u8],
    pin: &str,
    salt: [u8; SALT_LEN],
    nonce: [u8; NONCE_LEN],
) -> Result<Sealed, VaultError> {
    let key = derive_key(pin, &salt)?;
    let cipher = Aes256Gcm::new_from_slice(&key).map_err(|_| VaultError::Damaged)?;
    let ciphertext = cipher
        .encrypt(&Nonce::from(nonce), plaintext)
        .map_err(|_| VaultError::Damaged)?;
    Ok(Sealed {
        salt: crate::hex::encode(&salt),
        nonce: crate::hex::encode(&nonce),
        ciphertext: crate::hex::encode(&ciphertext),
    })
}

/// Opens a sealed copy; a wrong PIN fails the GCM tag check.
pub fn open(sealed: &Sealed, pin: &str) -> Result<Vec<u8>, VaultError> {
    let salt = crate::hex::decode(&sealed.salt).ok_or(VaultError::Damaged)?;
    let nonce = crate::hex::decode(&sealed.nonce).ok_or(VaultError::Damaged)?;
    let ciphertext = crate::hex::decode(&sealed.ciphertext).ok_or(VaultError::Damaged)?;
    let nonce: [u8; NONCE_LEN] = nonce.try_into().map_err(|_| VaultError::Damaged)?;
    let key = derive_key(pin, &salt)?;
    let cipher = Aes256Gcm::new_from_slice(&key).map_err(|_| VaultError::Damaged)?;
    cipher
        .decrypt(&Nonce::from(nonce), ciphertext.as_slice())
        .map_err(|_| VaultError::WrongPin)
}

/// What labels the vault key made from a passkey's PRF output.
const PRF_KEY_LABEL: &[u8] = b"ikd-web vault key v1";

/// The vault key from a passkey's WebAuthn PRF output: SHA-256 of a fixed label and the
/// output. The output is 32 bytes only the authenticator can make (after the screen lock),
/// so unlike a PIN it cannot be guessed offline from a copied storage.
pub fn key_from_prf(prf_output: &[u8]) -> [u8; 32] {
    use sha2::{Digest, Sha256};
    let mut hasher = Sha256::new();
    hasher.update(PRF_KEY_LABEL);
    hasher.update(prf_output);
    hasher.finalize().into()
}

/// Seals `plaintext` under a 32-byte key (no PIN, no salt: `salt` stays empty). The caller
/// draws `nonce` from the platform's CSPRNG and never reuses it with the same key.
pub fn seal_with_key(
    plaintext: &[u8],
    key: &[u8; 32],
    nonce: [u8; NONCE_LEN],
) -> Result<Sealed, VaultError> {
    let cipher = Aes256Gcm::new_from_slice(key).map_err(|_| VaultError::Damaged)?;
    let ciphertext = cipher
        .encrypt(&Nonce::from(nonce), plaintext)
        .map_err(|_| VaultError::Damaged)?;
    Ok(Sealed {
        salt: String::new(),
        nonce: crate::hex::encode(&nonce),
        ciphertext: crate::hex::encode(&ciphertext),
    })
}

/// Opens a copy sealed with [`seal_with_key`]; another key fails the GCM tag check.
pub fn open_with_key(sealed: &Sealed, key: &[u8; 32]) -> Result<Vec<u8>, VaultError> {
    let nonce = crate::hex::decode(&sealed.nonce).ok_or(VaultError::Damaged)?;
    let ciphertext = crate::hex::decode(&sealed.ciphertext).ok_or(VaultError::Damaged)?;
    let nonce: [u8; NONCE_LEN] = nonce.try_into().map_err(|_| VaultError::Damaged)?;
    let cipher = Aes256Gcm::new_from_slice(key).map_err(|_| VaultError::Damaged)?;
    cipher
        .decrypt(&Nonce::from(nonce), ciphertext.as_slice())
        .map_err(|_| VaultError::WrongPin)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_data_opens_with_its_pin_only_and_hides_the_text() {
        let sealed = seal(b"NIK 3276014101900001 BUDI", "482913", [1; 16], [2; 12]).expect("seal");
        assert!(
            !sealed
                .ciphertext
                .contains(&crate::hex::encode(b"3276014101900001"))
        );
        assert_eq!(
            open(&sealed, "482913").expect("open"),
            b"NIK 3276014101900001 BUDI"
        );
        assert_eq!(open(&sealed, "482914"), Err(VaultError::WrongPin));
    }

    #[test]
    fn a_copy_sealed_with_a_passkey_key_opens_with_that_key_only_never_a_pin() {
        let key = key_from_prf(&[5; 32]);
        assert_ne!(key, key_from_prf(&[6; 32]));
        let sealed = seal_with_key(b"NIK 3276014101900001", &key, [2; 12]).expect("seal");
        assert_eq!(
            open_with_key(&sealed, &key).expect("open"),
            b"NIK 3276014101900001"
        );
        assert_eq!(
            open_with_key(&sealed, &key_from_prf(&[6; 32])),
            Err(VaultError::WrongPin)
        );
        // No PIN opens it: there is no salt to derive a PIN key with, and any key is wrong.
        for pin in ["482913", "000000", "999999"] {
            assert!(open(&sealed, pin).is_err(), "{pin}");
        }
        // Not even the key the PIN made for the same copy before the switch (its old salt):
        // the PRF key does not come from the PIN at all.
        let before = seal(b"NIK 3276014101900001", "482913", [1; 16], [3; 12]).expect("seal");
        let salt = crate::hex::decode(&before.salt).expect("salt");
        for pin in ["482913", "000000", "999999"] {
            let pin_key = derive_key(pin, &salt).expect("key");
            assert_eq!(
                open_with_key(&sealed, &pin_key),
                Err(VaultError::WrongPin),
                "{pin}"
            );
        }
    }

    #[test]
    fn easy_pins_are_refused() {
        for pin in ["123456", "654321", "000000", "111111"] {
            assert_eq!(check_new_pin(pin), Err(VaultError::PinWeak), "{pin}");
        }
        for pin in ["12345", "12345a", "1234567"] {
            assert_eq!(check_new_pin(pin), Err(VaultError::PinFormat), "{pin}");
        }
        assert_eq!(check_new_pin("482913"), Ok(()));
        assert_eq!(
            VaultError::PinFormat.to_string(),
            "PIN harus 6 angka (the PIN must be 6 digits)"
        );
    }
}
