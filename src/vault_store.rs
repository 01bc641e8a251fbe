//! The app's IndexedDB (via rexie). Several people may use one browser, each a *profile* with
//! a random id: store `vault` holds, per profile, the PIN-sealed copy (`ikd_core::vault`) of
//! the signed bundle and the phone's keys ([`VaultContents`]) with its own count of wrong PINs
//! (`profile:<id>`), and its presentation log sealed with its log key
//! ([`crate::presentations`], `presentations:<id>`); store `public` holds what anyone may
//! read: the trust list and revocation list a verifier checks against, and the index of
//! profiles ([`Profile`]: the id and a masked name such as "S*** A***", never the NIK).
//! Nothing here shows a NIK, a full name or a key in plain text. One person's PIN never opens
//! another's copy: each is sealed under its own PIN with its own salt.

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
/// The single copy of releases before profiles; moved into a first profile at first open.
const LEGACY_BUNDLE_KEY: &str = "bundle";
const LEGACY_PRESENTATIONS_KEY: &str = "presentations";
/// The index of profiles in the `public` store.
const PROFILES_KEY: &str = "profiles";
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
    /// The copy is sealed under the phone's screen lock (a passkey): no PIN opens it.
    #[error(
        "salinan ini dibuka dengan kunci layar, bukan PIN (this copy opens with the screen \
         lock, not a PIN)"
    )]
    PasskeyOnly,
    /// No secure random source for the seal's salt and nonce: nothing is sealed.
    #[error("{}", .0.message_id())]
    NoSecureRandom(#[from] crate::browser::NoSecureRandom),
}

/// One person on this browser, as anyone may see it on "Siapa yang memakai?".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Profile {
    pub id: String,
    /// "S*** A***" ([`mask_name`]); empty for a copy moved from an earlier release until it
    /// is first opened.
    pub masked_name: String,
}

/// Each word's first letter and three stars: "SITI AMINAH" → "S*** A***".
pub fn mask_name(full_name: &str) -> String {
    full_name
        .split_whitespace()
        .filter_map(|word| word.chars().next())
        .map(|first| format!("{first}***"))
        .collect::<Vec<_>>()
        .join(" ")
}

fn copy_key(profile: &str) -> String {
    format!("profile:{profile}")
}

/// The presentation log's record of `profile` in the `vault` store.
pub(crate) fn log_record_key(profile: &str) -> String {
    format!("presentations:{profile}")
}

/// A fresh random profile id (hex of 8 bytes).
pub fn new_profile_id() -> Result<String, crate::browser::NoSecureRandom> {
    Ok(ikd_core::hex::encode(&crate::browser::random_bytes::<8>()?))
}

async fn save_profiles(list: &[Profile]) -> Result<(), StoreError> {
    let text = serde_json::to_string(list).map_err(|_| StoreError::Unavailable)?;
    put_text(PUBLIC, PROFILES_KEY, &text).await
}

async fn stored_profiles() -> Vec<Profile> {
    get_text(PUBLIC, PROFILES_KEY)
        .await
        .ok()
        .flatten()
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default()
}

/// The people on this browser, in the order they were added. The single copy of an earlier
/// release (and its log) becomes the first profile; this browser's device id becomes its.
pub async fn profiles() -> Vec<Profile> {
    if let Ok(Some(legacy)) = get_text(VAULT, LEGACY_BUNDLE_KEY).await
        && let Ok(id) = new_profile_id()
    {
        let mut list = stored_profiles().await;
        let moved = async {
            put_text(VAULT, &copy_key(&id), &legacy).await?;
            if let Some(log) = get_text(VAULT, LEGACY_PRESENTATIONS_KEY).await? {
                put_text(VAULT, &log_record_key(&id), &log).await?;
            }
            list.push(Profile {
                id: id.clone(),
                masked_name: String::new(),
            });
            save_profiles(&list).await?;
            delete(&[LEGACY_BUNDLE_KEY, LEGACY_PRESENTATIONS_KEY]).await
        }
        .await;
        if moved.is_ok() {
            crate::browser::adopt_legacy_device_id(&id);
        }
    }
    stored_profiles().await
}

async fn set_masked_name(profile: &str, masked_name: &str) -> Result<(), StoreError> {
    let mut list = stored_profiles().await;
    match list.iter_mut().find(|p| p.id == profile) {
        Some(entry) if entry.masked_name == masked_name => return Ok(()),
        Some(entry) => entry.masked_name = masked_name.to_owned(),
        None => list.push(Profile {
            id: profile.to_owned(),
            masked_name: masked_name.to_owned(),
        }),
    }
    save_profiles(&list).await
}

async fn delete(keys: &[&str]) -> Result<(), StoreError> {
    let db = open_db().await?;
    let tx = db
        .transaction(&[VAULT], TransactionMode::ReadWrite)
        .map_err(|_| StoreError::Unavailable)?;
    let store = tx.store(VAULT).map_err(|_| StoreError::Unavailable)?;
    for key in keys {
        store
            .delete(JsValue::from_str(key))
            .await
            .map_err(|_| StoreError::Unavailable)?;
    }
    tx.done().await.map_err(|_| StoreError::Unavailable)?;
    Ok(())
}

/// What the vault keeps per profile: the sealed signed bundle, and the wrong-PIN count; for
/// a copy sealed under a passkey ([`crate::passkey_unlock`]) instead of a PIN, which
/// passkey and PRF salt.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct VaultRecord {
    sealed: Sealed,
    failures: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    passkey: Option<PasskeyLock>,
}

/// Which platform passkey seals a copy: its credential id and the PRF salt (both hex, not
/// secret: the PRF output needs the phone's authenticator and its screen lock).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PasskeyLock {
    pub credential_id: String,
    pub salt: String,
}

async fn record_of(profile: &str) -> Result<VaultRecord, StoreError> {
    let text = get_text(VAULT, &copy_key(profile))
        .await?
        .ok_or(StoreError::Empty)?;
    serde_json::from_str(&text).map_err(|_| StoreError::Tampered)
}

/// The passkey that seals `profile`'s copy, if a passkey does (otherwise its PIN does).
pub async fn passkey_lock(profile: &str) -> Option<PasskeyLock> {
    record_of(profile).await.ok()?.passkey
}

/// Seals `profile`'s copy under `key` (from the passkey's PRF output,
/// `ikd_core::vault::key_from_prf`) in place of its PIN-sealed copy, which is gone: from
/// now on no PIN opens it.
pub async fn seal_with_passkey(
    profile: &str,
    full_name: &str,
    contents: &VaultContents,
    key: &[u8; 32],
    lock: PasskeyLock,
) -> Result<(), StoreError> {
    let sealed = vault::seal_with_key(
        contents.to_json().as_bytes(),
        key,
        crate::browser::random_bytes()?,
    )
    .map_err(StoreError::Pin)?;
    let record = VaultRecord {
        sealed,
        failures: 0,
        passkey: Some(lock),
    };
    let text = serde_json::to_string(&record).map_err(|_| StoreError::Unavailable)?;
    put_text(VAULT, &copy_key(profile), &text).await?;
    set_masked_name(profile, &mask_name(full_name)).await
}

/// Opens and verifies a passkey-sealed copy with the key from the passkey's PRF output.
pub async fn unlock_with_key(
    profile: &str,
    key: &[u8; 32],
) -> Result<(OfflineBundle, VaultContents), StoreError> {
    let record = record_of(profile).await?;
    if record.passkey.is_none() {
        return Err(StoreError::Tampered);
    }
    let plain = vault::open_with_key(&record.sealed, key).map_err(|_| StoreError::Tampered)?;
    let contents = VaultContents::from_json(&plain).ok_or(StoreError::Tampered)?;
    let trust_text = load_public(TRUST_LIST_KEY)
        .await
        .ok_or(StoreError::Tampered)?;
    let bundle = verify_bundle(&contents.signed, &trust_text).map_err(|_| StoreError::Tampered)?;
    Ok((bundle, contents))
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

/// Whether a sealed copy exists (the app then asks who is using it, and their PIN).
pub async fn has_vault() -> bool {
    !profiles().await.is_empty()
}

/// Seals the signed bundle text and the phone's keys of `profile` under `pin` and stores
/// them, resetting its wrong-PIN count; `full_name` gives the index its masked name. Other
/// profiles are not touched.
pub async fn seal_bundle(
    profile: &str,
    full_name: &str,
    contents: &VaultContents,
    pin: &str,
) -> Result<(), StoreError> {
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
        passkey: None,
    };
    let text = serde_json::to_string(&record).map_err(|_| StoreError::Unavailable)?;
    put_text(VAULT, &copy_key(profile), &text).await?;
    set_masked_name(profile, &mask_name(full_name)).await
}

/// Opens the sealed copy with `pin`. A wrong PIN is counted; the fifth in a row wipes the
/// copy (logging in online restores it). A copy from an earlier release (the bare signed
/// text) is removed and reported as [`StoreError::Outdated`].
pub async fn unlock(profile: &str, pin: &str) -> Result<VaultContents, StoreError> {
    let key = copy_key(profile);
    let text = get_text(VAULT, &key).await?.ok_or(StoreError::Empty)?;
    let mut record: VaultRecord = serde_json::from_str(&text).map_err(|_| StoreError::Tampered)?;
    if record.passkey.is_some() {
        return Err(StoreError::PasskeyOnly);
    }
    match vault::open(&record.sealed, pin) {
        Ok(plain) => {
            if record.failures != 0 {
                record.failures = 0;
                let text = serde_json::to_string(&record).map_err(|_| StoreError::Unavailable)?;
                put_text(VAULT, &key, &text).await?;
            }
            if let Some(contents) = VaultContents::from_json(&plain) {
                return Ok(contents);
            }
            if serde_json::from_slice::<SignedJson>(&plain).is_ok() {
                wipe(profile).await?;
                return Err(StoreError::Outdated);
            }
            Err(StoreError::Tampered)
        }
        Err(VaultError::WrongPin) => {
            record.failures += 1;
            if record.failures >= MAX_PIN_FAILURES {
                wipe(profile).await?;
                return Err(StoreError::Wiped);
            }
            let text = serde_json::to_string(&record).map_err(|_| StoreError::Unavailable)?;
            put_text(VAULT, &key, &text).await?;
            Err(StoreError::WrongPin {
                remaining: MAX_PIN_FAILURES - record.failures,
            })
        }
        Err(_) => Err(StoreError::Tampered),
    }
}

/// Removes one person from this browser: their sealed copy, their presentation log and
/// their line in the index (logout, removing them, or five wrong PINs). The others stay.
pub async fn wipe(profile: &str) -> Result<(), StoreError> {
    delete(&[&copy_key(profile), &log_record_key(profile)]).await?;
    let mut list = stored_profiles().await;
    list.retain(|p| p.id != profile);
    save_profiles(&list).await
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
pub async fn unlock_verified(
    profile: &str,
    pin: &str,
) -> Result<(OfflineBundle, VaultContents), StoreError> {
    let contents = unlock(profile, pin).await?;
    let trust_text = load_public(TRUST_LIST_KEY)
        .await
        .ok_or(StoreError::Tampered)?;
    let bundle = verify_bundle(&contents.signed, &trust_text).map_err(|_| StoreError::Tampered)?;
    // A copy moved from an earlier release gets its masked name once opened.
    let _ = set_masked_name(profile, &mask_name(&bundle.ktp.full_name)).await;
    Ok((bundle, contents))
}
