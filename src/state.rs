//! App-wide state, provided as context: the unlocked bundle (memory only), the PIN and the
//! phone's keys while the app is open (to re-seal a refreshed bundle, to make QRs), and
//! signals the shell shows.

use ikd_core::offline_bundle::OfflineBundle;

use crate::phone_keys::{PhoneKeys, VaultContents};
use leptos::prelude::*;

/// The passkey that seals the open copy and the vault key from its PRF output.
#[derive(Clone)]
pub struct PasskeySeal {
    pub lock: crate::vault_store::PasskeyLock,
    pub key: [u8; 32],
}

// Secrets are never printed.
impl std::fmt::Debug for PasskeySeal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PasskeySeal").finish_non_exhaustive()
    }
}

#[derive(Debug, Clone, Copy)]
pub struct AppState {
    /// The verified bundle after unlocking; `None` while locked or before activation.
    pub bundle: RwSignal<Option<OfflineBundle>>,
    /// The PIN of this open session, kept in memory only.
    pub pin: StoredValue<Option<String>>,
    /// The device keys and the log key of this open session, unlocked with the PIN (memory
    /// only; stored only inside the PIN-sealed vault).
    pub keys: StoredValue<Option<PhoneKeys>>,
    /// When the open copy is sealed under the phone's screen lock: which passkey, and the
    /// vault key from its PRF output (memory only), to seal a refreshed bundle again.
    pub passkey: StoredValue<Option<PasskeySeal>>,
    /// A verified signed bundle and its keys waiting for a PIN (memory only).
    pub pending: StoredValue<Option<VaultContents>>,
    /// The person (profile id, [`crate::vault_store::Profile`]) whose copy is open, pending,
    /// or chosen on "Siapa yang memakai?" to be unlocked.
    pub profile: StoredValue<Option<String>>,
    /// Set by "Lupa PIN?": the profile the next login renews (otherwise a login adds a new
    /// person).
    pub relogin: StoredValue<Option<String>>,
    /// The open person's online session is gone (401 when checked after unlocking online):
    /// it ended, or their account is now on another phone and this copy's QRs are revoked.
    pub session_ended: RwSignal<bool>,
    /// The open person's card moved to another phone (`device-replaced`): the service's
    /// message, Indonesian and English, with the day; their copy here was removed.
    pub moved_away: RwSignal<Option<(String, String)>>,
    /// This phone just became the account's device by the emailed code: the old one's
    /// credentials were revoked.
    pub old_phone_revoked: RwSignal<bool>,
    /// A new release is waiting (the service worker found one).
    pub update_ready: RwSignal<bool>,
    /// `beforeinstallprompt` arrived: the install button can be shown.
    pub install_prompt: StoredValue<Option<wasm_bindgen::JsValue>, LocalStorage>,
    pub can_install: RwSignal<bool>,
    /// What the service's health answer said of its registry (demo data until it says
    /// otherwise); an open bundle's own `demo_data` takes precedence.
    pub service_demo_data: RwSignal<bool>,
    /// What the browser says of the network (`navigator.onLine`, kept by its `online` and
    /// `offline` events): the frame of every screen says so when it is off.
    pub online: RwSignal<bool>,
}

impl AppState {
    pub fn new() -> Self {
        AppState {
            bundle: RwSignal::new(None),
            pin: StoredValue::new(None),
            keys: StoredValue::new(None),
            pending: StoredValue::new(None),
            passkey: StoredValue::new(None),
            profile: StoredValue::new(None),
            relogin: StoredValue::new(None),
            session_ended: RwSignal::new(false),
            moved_away: RwSignal::new(None),
            old_phone_revoked: RwSignal::new(false),
            update_ready: RwSignal::new(false),
            install_prompt: StoredValue::new_local(None),
            can_install: RwSignal::new(false),
            service_demo_data: RwSignal::new(true),
            online: RwSignal::new(crate::browser::is_online()),
        }
    }
}

impl AppState {
    /// Locks the open copy: the bundle, the PIN and the keys leave memory. The chosen person
    /// stays chosen (the PIN screen asks for theirs).
    pub fn lock(&self) {
        self.bundle.set(None);
        self.pin.set_value(None);
        self.passkey.set_value(None);
        self.keys.set_value(None);
        self.pending.set_value(None);
    }

    /// Whether a sealed copy is open (by PIN or by screen lock).
    pub fn is_unlocked(&self) -> bool {
        self.pending.with_value(Option::is_none)
            && self.bundle.with_untracked(Option::is_some)
            && (self.pin.with_value(Option::is_some) || self.passkey.with_value(Option::is_some))
    }

    /// The profile a login or activation is for: the one "Lupa PIN?" renews, or the open
    /// person's (logging in again while unlocked), otherwise a new person (a fresh id).
    /// Should someone else log in while a copy is open, [`crate::sync::fetch_bundle`] moves
    /// their copy to a new profile.
    pub fn login_profile(&self) -> Result<String, crate::browser::NoSecureRandom> {
        let open = self
            .profile
            .get_value()
            .filter(|_| self.bundle.with_untracked(Option::is_some));
        match self.relogin.get_value().or(open) {
            Some(profile) => Ok(profile),
            None => crate::vault_store::new_profile_id(),
        }
    }

    /// Whether the screens must say the population data is demo data: the open bundle
    /// says so for its own data; otherwise the service's last health answer does.
    pub fn shows_demo_data(&self) -> bool {
        self.bundle
            .with(|bundle| bundle.as_ref().map(|b| b.demo_data))
            .unwrap_or_else(|| self.service_demo_data.get())
    }
}

impl Default for AppState {
    fn default() -> Self {
        Self::new()
    }
}

pub fn use_app() -> AppState {
    expect_context::<AppState>()
}
