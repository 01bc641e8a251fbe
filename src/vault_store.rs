//! The app's IndexedDB (via rexie). Store `vault` holds the PIN-sealed copy
//! (`ikd_core::vault`) of the signed bundle and the phone's keys ([`VaultContents`]), the
//! count of wrong PINs, and, under its own record, the presentation log sealed with the log
//! key ([`crate::presentations`]); store `public` holds what anyone may read: the trust list
//! and revocation list a verifier checks against. Nothing here shows a NIK, a name or a key
//! in plain text.

pub use crate::phone_keys::VaultContents;
use ikd_core::offline_bundle::OfflineBundle;
use ikd_core::signed::{SignedError, SignedJson};
use ikd_core::trust_documents::TrustListDocument;
use ikd_core::vault::{self, MAX_PIN_FAILURES, Sealed, VaultError};
use rexie::{ObjectStore, Rexie, TransactionMode};
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsValue;

const DB_NAME: &str = "ikd-web";
pub(crate) const VAULT: &str = "vault";
const PUBLIC: &str = "public";
const BUNDLE_KEY: &str = "bundle";
/// The presentation log's record in the `vault` store.
pub(crate) const PRESENTATIONS_KEY: &str = "presentations";
pub const TRUST_LIST_KEY: &str = "trust-list";
pub const REVOCATIONS_KEY: &str = "revocations";

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    #[error("penyimpanan peramban tidak tersedia (browser storage unavailable)")]
    Unavailable,
    #[error("PIN salah, sisa {remaining} percobaan (wrong PIN, {remaining} tries left)")]
    WrongPin { remaining: u32 },
    #[error(
        "{MAX_PIN_FAILURES} kali PIN salah: data di perangkat ini dihapus \
         ({MAX_PIN_FAILURES} wrong PINs: local data wiped)"
    )]
    Wiped,
    #[error("belum ada data tersimpan (nothing stored yet)")]
    Empty,
    #[error("data tersimpan telah diubah dan ditolak (stored data was altered and is refused)")]
    Tampered,
    /// The PIN opened a copy made by an earlier release of the app (the bare signed bundle,
    /// without the device keys QRs are now made with). It is removed; logging in again
    /// fetches a new one.
    #[error(
        "salinan di perangkat ini dibuat oleh versi aplikasi sebelumnya; masuk kembali saat \
         online untuk memperbaruinya (the copy on this device was made by an earlier version \
         of the app; log in again while online to renew it)"
    )]
    Outdated,
    #[error("PIN tidak sah (invalid PIN)")]
    Pin(VaultError),
    /// No secure random source for the seal's salt and nonce: nothing is sealed.
    #[error("{}", .0.message_id())]
    NoSecureRandom(#[from] crate::browser::NoSecureRandom),
}

/// What the vault keeps: the sealed signed bundle, and the wrong-PIN count.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct VaultRecord {
    sealed: Sealed,
    failures: u32,
}

async fn open_db() -> Result<Rexie, StoreError> {
    Rexie::builder(DB_NAME)
        .version(1)
        .add_object_store(ObjectStore::new(VAULT))
        .add_object_store(ObjectStore::new(PUBLIC))
        .build()
        .await
        .map_err(|_| StoreError::Unavailable)
}

pub(crate) async fn get_text(store_name: &str, key: &str) -> Result<Option<String>, StoreError> {
    let db = open_db().await?;
    let tx = db
        .transaction(&[store_name], TransactionMode::ReadOnly)
        .map_err(|_| StoreError::Unavailable)?;
    let store = tx.store(store_name).map_err(|_| StoreError::Unavailable)?;
    let value = store
        .get(JsValue::from_str(key))
        .await
        .map_err(|_| StoreError::Unavailable)?;
    let _ = tx.done().await;
    Ok(value.and_then(|v| v.as_string()))
}

pub(crate) async fn put_text(store_name: &str, key: &str, text: &str) -> Result<(), StoreError> {
    let db = open_db().await?;
    let tx = db
        .transaction(&[store_name], TransactionMode::ReadWrite)
        .map_err(|_| StoreError::Unavailable)?;
    let store = tx.store(store_name).map_err(|_| StoreError::Unavailable)?;
    store
        .put(&JsValue::from_str(text), Some(&JsValue::from_str(key)))
        .await
        .map_err(|_| StoreError::Unavailable)?;
    tx.done().await.map_err(|_| StoreError::Unavailable)?;
    Ok(())
}

/// Whether a sealed copy exists (the app then asks for the PIN at open).
pub async fn has_vault() -> bool {
    matches!(get_text(VAULT, BUNDLE_KEY).await, Ok(Some(_)))
}

/// Seals the signed bundle text and the phone's keys under `pin` and stores them, resetting
/// the wrong-PIN count.
pub async fn seal_bundle(contents: &VaultContents, pin: &str) -> Result<(), StoreError> {
    vault::check_new_pin(pin).map_err(StoreError::Pin)?;
    let sealed = vault::seal(
        contents.to_json().as_bytes(),
        pin,
        crate::browser::random_bytes()?,
        crate::browser::random_bytes()?,
    )
    .map_err(StoreError::Pin)?;
    let record = VaultRecord {
        sealed,
        failures: 0,
    };
    let text = serde_json::to_string(&record).map_err(|_| StoreError::Unavailable)?;
    put_text(VAULT, BUNDLE_KEY, &text).await
}

/// Opens the sealed copy with `pin`. A wrong PIN is counted; the fifth in a row wipes the
/// copy (logging in online restores it). A copy from an earlier release (the bare signed
/// text) is removed and reported as [`StoreError::Outdated`].
pub async fn unlock(pin: &str) -> Result<VaultContents, StoreError> {
    let text = get_text(VAULT, BUNDLE_KEY)
        .await?
        .ok_or(StoreError::Empty)?;
    let mut record: VaultRecord = serde_json::from_str(&text).map_err(|_| StoreError::Tampered)?;
    match vault::open(&record.sealed, pin) {
        Ok(plain) => {
            if record.failures != 0 {
                record.failures = 0;
                let text = serde_json::to_string(&record).map_err(|_| StoreError::Unavailable)?;
                put_text(VAULT, BUNDLE_KEY, &text).await?;
            }
            if let Some(contents) = VaultContents::from_json(&plain) {
                return Ok(contents);
            }
            if serde_json::from_slice::<SignedJson>(&plain).is_ok() {
                wipe().await?;
                return Err(StoreError::Outdated);
            }
            Err(StoreError::Tampered)
        }
        Err(VaultError::WrongPin) => {
            record.failures += 1;
            if record.failures >= MAX_PIN_FAILURES {
                wipe().await?;
                return Err(StoreError::Wiped);
            }
            let text = serde_json::to_string(&record).map_err(|_| StoreError::Unavailable)?;
            put_text(VAULT, BUNDLE_KEY, &text).await?;
            Err(StoreError::WrongPin {
                remaining: MAX_PIN_FAILURES - record.failures,
            })
        }
        Err(_) => Err(StoreError::Tampered),
    }
}

/// Removes the sealed copy and the presentation log (logout, or five wrong PINs).
pub async fn wipe() -> Result<(), StoreError> {
    let db = open_db().await?;
    let tx = db
        .transaction(&[VAULT], TransactionMode::ReadWrite)
        .map_err(|_| StoreError::Unavailable)?;
    let store = tx.store(VAULT).map_err(|_| StoreError::Unavailable)?;
    for key in [BUNDLE_KEY, PRESENTATIONS_KEY] {
        store
            .delete(JsValue::from_str(key))
            .await
            .map_err(|_| StoreError::Unavailable)?;
    }
    tx.done().await.map_err(|_| StoreError::Unavailable)?;
    Ok(())
}

pub async fn save_public(key: &str, text: &str) -> Result<(), StoreError> {
    put_text(PUBLIC, key, text).await
}

pub async fn load_public(key: &str) -> Option<String> {
    get_text(PUBLIC, key).await.ok().flatten()
}

/// Checks the issuer's signature on a signed bundle text against the stored trust list and
/// returns the bundle; a changed byte anywhere is refused.
pub fn verify_bundle(signed_text: &str, trust_text: &str) -> Result<OfflineBundle, SignedError> {
    let signed: SignedJson =
        serde_json::from_str(signed_text).map_err(|_| SignedError::Malformed)?;
    let trust: TrustListDocument =
        serde_json::from_str(trust_text).map_err(|_| SignedError::Malformed)?;
    let trust = trust.to_trust_list().map_err(|_| SignedError::UnknownKey)?;
    signed.verify(&trust, None)
}

/// Opens and verifies the local copy: what the app does at every start.
pub async fn unlock_verified(pin: &str) -> Result<(OfflineBundle, VaultContents), StoreError> {
    let contents = unlock(pin).await?;
    let trust_text = load_public(TRUST_LIST_KEY)
        .await
        .ok_or(StoreError::Tampered)?;
    let bundle = verify_bundle(&contents.signed, &trust_text).map_err(|_| StoreError::Tampered)?;
    Ok((bundle, contents))
}
