//! The registration this phone sent and is waiting on: its random id (to ask
//! `GET /api/registrations/{id}/status`), the NIK (to fill in at activation) and the last
//! status seen (to show the same state when `/daftar` is reopened offline).
//!
//! Kept in localStorage, unsealed, which the rest of the app never does with personal data
//! (ARCHITECTURE: "personal data only PIN-sealed"). The exception is deliberate and bounded:
//! before activation there is no PIN to seal under, and the person needs the NIK again at
//! the activation step, typically on another day. Only the NIK is kept, never the email, the
//! phone number, the selfie or the officer's reason; a NIK alone opens nothing (activation
//! needs the emailed code, login the password). The entry is removed as soon as it has done
//! its job: after activation on this phone, when the service says the account is active or
//! the registration was replaced, and when the person starts over or discards it.

use ikd_core::registration_status::RegistrationStatus;

const KEY: &str = "ikd-registration";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingRegistration {
    pub id: String,
    pub nik: String,
    pub status: RegistrationStatus,
}

impl PendingRegistration {
    /// The stored entry, if any and well formed.
    pub fn load() -> Option<Self> {
        let text = crate::browser::stored(KEY)?;
        let mut parts = text.split('|');
        let (Some("1"), Some(id), Some(nik), Some(status)) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return None;
        };
        let id_ok = !id.is_empty()
            && id.len() <= 64
            && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
        let nik_ok = nik.len() == 16 && nik.chars().all(|c| c.is_ascii_digit());
        let status = RegistrationStatus::ALL
            .into_iter()
            .find(|s| s.as_str() == status)?;
        (id_ok && nik_ok).then(|| PendingRegistration {
            id: id.to_owned(),
            nik: nik.to_owned(),
            status,
        })
    }

    pub fn save(&self) {
        crate::browser::store(
            KEY,
            &format!("1|{}|{}|{}", self.id, self.nik, self.status.as_str()),
        );
    }

    pub fn clear() {
        crate::browser::forget(KEY);
    }

    /// The NIK to fill in at activation, while a registration is waiting on this phone.
    pub fn nik_for_activation() -> Option<String> {
        Self::load().map(|p| p.nik)
    }

    /// After activating `nik` on this phone: the entry has done its job.
    pub fn activated(nik: &str) {
        if Self::load().is_some_and(|p| p.nik == nik) {
            Self::clear();
        }
    }
}
