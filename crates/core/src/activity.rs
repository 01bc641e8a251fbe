//! The kinds of event in a citizen's activity log (riwayat aktivitas). The service records
//! them; the PWA shows them with these labels.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum ActivityKind {
    Registered,
    Approved,
    Rejected,
    Activated,
    Login,
    Logout,
    DeviceChanged,
    PasswordChanged,
    PasswordReset,
    BundleRefreshed,
    Verified,
    /// An officer forgot the failures strangers ran up against the account (issue 14).
    LocksLifted,
    /// The citizen approved an institution's consent request; actor: the institution's name
    /// (whom the citizen let in), detail: `<scope>:<grant id>`.
    ConsentGranted,
    /// The citizen declined a consent request; actor: the institution's name, detail:
    /// `<scope>:<request id>`.
    ConsentDeclined,
    /// The citizen revoked a live grant; actor: the institution's name, detail:
    /// `<scope>:<grant id>`.
    ConsentRevoked,
    /// An institution read the citizen's data under a grant; actor: the institution's name,
    /// detail: `<scope>:<grant id>` ([`crate::consent_api::read_detail`]).
    InstitutionRead,
    /// An officer opened the citizen's registration selfie; actor `petugas:<id>`, detail:
    /// the registration id.
    SelfieViewed,
    /// An officer opened the citizen's registry photo; actor `petugas:<id>`, detail: the
    /// registration id.
    RegistryPhotoViewed,
    /// The citizen confirmed a new email address with the code sent to it.
    EmailChanged,
    /// The citizen changed their phone number.
    PhoneChanged,
    /// The citizen ended another of their sessions.
    SessionEnded,
    /// The citizen reported their phone lost: its credentials were revoked.
    LostPhoneReported,
}

impl ActivityKind {
    pub const ALL: [ActivityKind; 22] = [
        ActivityKind::Registered,
        ActivityKind::Approved,
        ActivityKind::Rejected,
        ActivityKind::Activated,
        ActivityKind::Login,
        ActivityKind::Logout,
        ActivityKind::DeviceChanged,
        ActivityKind::PasswordChanged,
        ActivityKind::PasswordReset,
        ActivityKind::BundleRefreshed,
        ActivityKind::Verified,
        ActivityKind::LocksLifted,
        ActivityKind::ConsentGranted,
        ActivityKind::ConsentDeclined,
        ActivityKind::ConsentRevoked,
        ActivityKind::InstitutionRead,
        ActivityKind::SelfieViewed,
        ActivityKind::RegistryPhotoViewed,
        ActivityKind::EmailChanged,
        ActivityKind::PhoneChanged,
        ActivityKind::SessionEnded,
        ActivityKind::LostPhoneReported,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ActivityKind::Registered => "registered",
            ActivityKind::Approved => "approved",
            ActivityKind::Rejected => "rejected",
            ActivityKind::Activated => "activated",
            ActivityKind::Login => "login",
            ActivityKind::Logout => "logout",
            ActivityKind::DeviceChanged => "device-changed",
            ActivityKind::PasswordChanged => "password-changed",
            ActivityKind::PasswordReset => "password-reset",
            ActivityKind::BundleRefreshed => "bundle-refreshed",
            ActivityKind::Verified => "verified",
            ActivityKind::LocksLifted => "locks-lifted",
            ActivityKind::ConsentGranted => "consent-granted",
            ActivityKind::ConsentDeclined => "consent-declined",
            ActivityKind::ConsentRevoked => "consent-revoked",
            ActivityKind::InstitutionRead => "institution-read",
            ActivityKind::SelfieViewed => "selfie-viewed",
            ActivityKind::RegistryPhotoViewed => "registry-photo-viewed",
            ActivityKind::EmailChanged => "email-changed",
            ActivityKind::PhoneChanged => "phone-changed",
            ActivityKind::SessionEnded => "session-ended",
            ActivityKind::LostPhoneReported => "lost-phone-reported",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == text)
    }

    pub fn label_id(self) -> &'static str {
        match self {
            ActivityKind::Registered => "Pendaftaran dikirim",
            ActivityKind::Approved => "Pendaftaran disetujui petugas",
            ActivityKind::Rejected => "Pendaftaran ditolak petugas",
            ActivityKind::Activated => "Akun diaktifkan",
            ActivityKind::Login => "Masuk",
            ActivityKind::Logout => "Keluar",
            ActivityKind::DeviceChanged => "Perangkat diganti",
            ActivityKind::PasswordChanged => "Kata sandi diubah",
            ActivityKind::PasswordReset => "Kata sandi diatur ulang",
            ActivityKind::BundleRefreshed => "Data luring diperbarui",
            ActivityKind::Verified => "Diverifikasi oleh instansi",
            ActivityKind::LocksLifted => "Kunci percobaan dibuka petugas",
            ActivityKind::ConsentGranted => "Izin akses data diberikan",
            ActivityKind::ConsentDeclined => "Permintaan akses data ditolak",
            ActivityKind::ConsentRevoked => "Izin akses data dicabut",
            ActivityKind::InstitutionRead => "Data dibaca oleh instansi",
            ActivityKind::SelfieViewed => "Swafoto pendaftaran dibuka petugas",
            ActivityKind::RegistryPhotoViewed => "Foto registri dibuka petugas",
            ActivityKind::EmailChanged => "Email diganti",
            ActivityKind::PhoneChanged => "Nomor HP diganti",
            ActivityKind::SessionEnded => "Sesi lain diakhiri",
            ActivityKind::LostPhoneReported => "Ponsel dilaporkan hilang",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            ActivityKind::Registered => "Registration submitted",
            ActivityKind::Approved => "Registration approved by an officer",
            ActivityKind::Rejected => "Registration rejected by an officer",
            ActivityKind::Activated => "Account activated",
            ActivityKind::Login => "Logged in",
            ActivityKind::Logout => "Logged out",
            ActivityKind::DeviceChanged => "Device replaced",
            ActivityKind::PasswordChanged => "Password changed",
            ActivityKind::PasswordReset => "Password reset",
            ActivityKind::BundleRefreshed => "Offline data refreshed",
            ActivityKind::Verified => "Verified by an institution",
            ActivityKind::LocksLifted => "Attempt locks lifted by an officer",
            ActivityKind::ConsentGranted => "Data access granted",
            ActivityKind::ConsentDeclined => "Data access request declined",
            ActivityKind::ConsentRevoked => "Data access revoked",
            ActivityKind::InstitutionRead => "Data read by an institution",
            ActivityKind::SelfieViewed => "Registration selfie opened by an officer",
            ActivityKind::RegistryPhotoViewed => "Registry photo opened by an officer",
            ActivityKind::EmailChanged => "Email changed",
            ActivityKind::PhoneChanged => "Phone number changed",
            ActivityKind::SessionEnded => "Another session ended",
            ActivityKind::LostPhoneReported => "Phone reported lost",
        }
    }
}

/// One line of the log as the citizen sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ActivityEntry {
    /// Unix seconds.
    pub at: i64,
    pub kind: ActivityKind,
    /// Who acted: "warga" (the citizen), "petugas:<id>", or an institution's name.
    pub actor: String,
    /// Extra detail such as a rejection reason; may be empty.
    pub detail: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_round_trips_through_its_name() {
        for kind in ActivityKind::ALL {
            assert_eq!(ActivityKind::parse(kind.as_str()), Some(kind));
        }
    }
}
