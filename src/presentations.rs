//! The presentation log: every QR this phone showed (when, which profile), so Riwayat can
//! list them beside the service's history. It lives in its own record of the `vault` store,
//! sealed with AES-256-GCM under the log key the PIN vault keeps ([`crate::phone_keys`]), a
//! fresh random nonce for every write; one log per person on the browser. Only the last
//! [`KEEP`] are kept. Wiping a person's copy removes their log too
//! ([`crate::vault_store::wipe`]).

use std::cell::{Cell, RefCell};

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use ikd_core::offline_bundle::QrProfile;
use serde::{Deserialize, Serialize};

use crate::vault_store::{self, StoreError};

/// How many presentations are kept (the oldest go first).
pub const KEEP: usize = 500;
/// Binds the ciphertext to its purpose: the log key never opens anything else.
const AAD: &[u8] = b"ikd-web presentation log v1";

/// One QR shown on this phone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Presentation {
    /// Unix seconds on the phone's clock, as the QR's proof carries it.
    pub at: i64,
    pub profile: QrProfile,
    /// For an encrypted QR: the name of the institution it was encrypted to.
    pub institution: Option<String>,
}

impl Presentation {
    /// "QR ditampilkan (Lengkap)", "QR ditampilkan (Lengkap, terenkripsi untuk Bank X)".
    pub fn label_id(&self) -> String {
        match &self.institution {
            Some(name) => format!("QR ditampilkan ({} untuk {name})", profile_id(self.profile)),
            None => format!("QR ditampilkan ({})", profile_id(self.profile)),
        }
    }

    /// "QR shown (Full)", "QR shown (Full, encrypted for Bank X)".
    pub fn label_en(&self) -> String {
        match &self.institution {
            Some(name) => format!("QR shown ({} for {name})", profile_en(self.profile)),
            None => format!("QR shown ({})", profile_en(self.profile)),
        }
    }
}

fn profile_id(profile: QrProfile) -> &'static str {
    match profile {
        QrProfile::Full => "Lengkap",
        QrProfile::Basic => "Dasar",
        QrProfile::Age => "17+",
        QrProfile::FullEncrypted => "Lengkap, terenkripsi",
    }
}

fn profile_en(profile: QrProfile) -> &'static str {
    match profile {
        QrProfile::Full => "Full",
        QrProfile::Basic => "Basic",
        QrProfile::Age => "17+",
        QrProfile::FullEncrypted => "Full, encrypted",
    }
}

#[derive(Serialize, Deserialize)]
struct Entry {
    at: i64,
    profile: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    institution: Option<String>,
}

/// The stored record: hex of the nonce and of the ciphertext with its tag.
#[derive(Serialize, Deserialize)]
struct SealedLog {
    nonce: String,
    ciphertext: String,
}

fn cipher(log_key: &[u8; 32]) -> Option<Aes256Gcm> {
    Aes256Gcm::new_from_slice(log_key).ok()
}

/// Seals `entries` under `log_key` with `nonce` (fresh for every write).
fn seal(entries: &[Presentation], log_key: &[u8; 32], nonce: [u8; 12]) -> Option<String> {
    let entries: Vec<Entry> = entries
        .iter()
        .map(|p| Entry {
            at: p.at,
            profile: p.profile.as_str().to_owned(),
            institution: p.institution.clone(),
        })
        .collect();
    let plain = serde_json::to_vec(&entries).ok()?;
    let ciphertext = cipher(log_key)?
        .encrypt(
            &Nonce::from(nonce),
            Payload {
                msg: &plain,
                aad: AAD,
            },
        )
        .ok()?;
    serde_json::to_string(&SealedLog {
        nonce: ikd_core::hex::encode(&nonce),
        ciphertext: ikd_core::hex::encode(&ciphertext),
    })
    .ok()
}

/// Opens a stored record; `None` when it does not open with this key (a log of an earlier
/// login, whose key is gone, or an altered one).
fn open(text: &str, log_key: &[u8; 32]) -> Option<Vec<Presentation>> {
    let sealed: SealedLog = serde_json::from_str(text).ok()?;
    let nonce: [u8; 12] = ikd_core::hex::decode(&sealed.nonce)?.try_into().ok()?;
    let ciphertext = ikd_core::hex::decode(&sealed.ciphertext)?;
    let plain = cipher(log_key)?
        .decrypt(
            &Nonce::from(nonce),
            Payload {
                msg: &ciphertext,
                aad: AAD,
            },
        )
        .ok()?;
    let entries: Vec<Entry> = serde_json::from_slice(&plain).ok()?;
    Some(
        entries
            .into_iter()
            .filter_map(|e| {
                Some(Presentation {
                    at: e.at,
                    profile: QrProfile::parse(&e.profile)?,
                    institution: e.institution,
                })
            })
            .collect(),
    )
}

/// The log, oldest first; empty when there is none or it does not open with `log_key`.
pub async fn load(profile: &str, log_key: &[u8; 32]) -> Vec<Presentation> {
    match vault_store::get_text(vault_store::VAULT, &vault_store::log_record_key(profile)).await {
        Ok(Some(text)) => open(&text, log_key).unwrap_or_default(),
        _ => Vec::new(),
    }
}

/// Appends presentations and re-seals the log with a fresh nonce. A log that does not open
/// with this key (left by an earlier login) is replaced, not merged.
pub async fn append(
    profile: &str,
    log_key: &[u8; 32],
    presentations: &[Presentation],
) -> Result<(), StoreError> {
    let mut entries = load(profile, log_key).await;
    entries.extend_from_slice(presentations);
    if entries.len() > KEEP {
        entries.drain(..entries.len() - KEEP);
    }
    let nonce = crate::browser::random_bytes::<12>()?;
    let text = seal(&entries, log_key, nonce).ok_or(StoreError::Unavailable)?;
    vault_store::put_text(
        vault_store::VAULT,
        &vault_store::log_record_key(profile),
        &text,
    )
    .await
}

thread_local! {
    /// Presentations waiting to be written, and whether a writer is at work: one writer at a
    /// time, so two QRs shown in quick succession cannot overwrite each other's entry.
    static QUEUE: RefCell<Vec<Presentation>> = const { RefCell::new(Vec::new()) };
    static WRITING: Cell<bool> = const { Cell::new(false) };
}

/// Logs a QR shown, in the background (the QR page does not wait for IndexedDB).
pub fn record(profile: String, log_key: [u8; 32], presentation: Presentation) {
    QUEUE.with(|queue| queue.borrow_mut().push(presentation));
    if WRITING.with(|writing| writing.replace(true)) {
        return;
    }
    wasm_bindgen_futures::spawn_local(async move {
        loop {
            let batch = QUEUE.with(|queue| std::mem::take(&mut *queue.borrow_mut()));
            if batch.is_empty() {
                break;
            }
            let _ = append(&profile, &log_key, &batch).await;
        }
        WRITING.with(|writing| writing.set(false));
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_log_opens_with_its_key_only() {
        let entries = [
            Presentation {
                at: 1_790_000_000,
                profile: QrProfile::Age,
                institution: None,
            },
            Presentation {
                at: 1_790_000_030,
                profile: QrProfile::FullEncrypted,
                institution: Some("Bank Contoh".into()),
            },
        ];
        let text = seal(&entries, &[7; 32], [1; 12]).expect("seal");
        assert_eq!(open(&text, &[7; 32]).expect("open"), entries.to_vec());
        assert_eq!(open(&text, &[8; 32]), None);
        assert!(!text.contains("age"));
    }
}
