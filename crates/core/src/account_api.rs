//! Self-service account care (issue 17, UU 27/2022): what the citizen sees of their account,
//! changing email and phone, ending sessions, reporting a lost phone from any browser, a copy
//! of everything the service holds, and closing the account. Bodies shared by the service
//! and the PWA; every route is in the OpenAPI document.
//!
//! ```text
//! GET  /api/account                       AccountOverview        (citizen session)
//! POST /api/account/email                 EmailChangeRequest  -> Notice (code to the new address)
//! POST /api/account/email/confirm         EmailChangeConfirm  -> AccountOverview
//! PUT  /api/account/phone                 PhoneChange         -> AccountOverview
//! POST /api/account/sessions/{id}/end                         -> 204 (another session of one's own)
//! GET  /api/account/export                                    -> AccountExport (JSON, attachment)
//! POST /api/account/close                 AccountCloseRequest -> Notice (then no session)
//! POST /api/lost-phone                    LostPhoneRequest    -> Notice (no session; same answer for any NIK)
//! POST /api/lost-phone/confirm            LostPhoneConfirm    -> Notice (credentials revoked)
//! ```

use serde::{Deserialize, Serialize};

use crate::activity::ActivityEntry;

/// How long an emailed code for a new email address or a lost phone stays valid.
pub const ACCOUNT_CODE_TTL_SECS: i64 = 30 * 60;

/// Why a credential was revoked, as stored in `credentials.revocation_reason` and shown in
/// the signed revocation list and [`DeviceView::revocation_reason`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RevocationReason {
    /// The citizen logged out on that device.
    Logout,
    /// The citizen logged in on another device.
    DeviceReplaced,
    /// The citizen reported the phone lost (`POST /api/lost-phone/confirm`).
    LostPhone,
    /// The citizen closed the account.
    AccountClosed,
}

impl RevocationReason {
    pub const ALL: [RevocationReason; 4] = [
        RevocationReason::Logout,
        RevocationReason::DeviceReplaced,
        RevocationReason::LostPhone,
        RevocationReason::AccountClosed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RevocationReason::Logout => "logout",
            RevocationReason::DeviceReplaced => "device-replaced",
            RevocationReason::LostPhone => "lost-phone",
            RevocationReason::AccountClosed => "account-closed",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == text)
    }
}

/// `GET /api/account`: the account as its owner sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct AccountOverview {
    pub nik: String,
    pub email: String,
    pub phone: String,
    /// Unix seconds.
    pub activated_at: i64,
    /// An email change waiting for its code, if any: the new address.
    pub pending_email: Option<String>,
    /// Every device the account was used on, newest first; one is active.
    pub devices: Vec<DeviceView>,
    /// Live sessions, newest first.
    pub sessions: Vec<SessionView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct DeviceView {
    /// The device id's first 8 characters: enough to tell devices apart, not to use one.
    pub label: String,
    pub first_seen: i64,
    /// The one device whose credentials are live.
    pub active: bool,
    /// The device this request came from.
    pub current: bool,
    /// When its credentials were revoked and why ("logout", "device-replaced",
    /// "lost-phone", ...), if they were.
    pub revoked_at: Option<i64>,
    pub revocation_reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct SessionView {
    /// An opaque id for ending it (never the session token).
    pub id: String,
    pub created_at: i64,
    pub last_seen: i64,
    pub current: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct EmailChangeRequest {
    pub new_email: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct EmailChangeConfirm {
    pub code: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct PhoneChange {
    pub phone: String,
}

/// Closing needs the password again: a borrowed unlocked phone must not be enough.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct AccountCloseRequest {
    pub password: String,
}

/// From any browser, with no session: the NIK and the password; a code goes to the
/// account's email. The answer is the same whether or not the NIK has an account or the
/// password is right (the mail worker sends the code only when both are).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct LostPhoneRequest {
    pub nik: String,
    pub password: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct LostPhoneConfirm {
    pub nik: String,
    pub code: String,
}

/// `GET /api/account/export`: everything the service holds about the citizen, in one JSON
/// document (the PWA also prints it as a page).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct AccountExport {
    pub exported_at: i64,
    pub account: AccountOverview,
    /// The registry record as the KTP and KK show it.
    pub ktp: crate::offline_bundle::KtpCard,
    pub kk: crate::offline_bundle::FamilyCard,
    /// Each registration the citizen sent: when, where, its status and the officer's
    /// decision and reason (the selfie itself is not repeated here; its size is).
    pub registrations: Vec<RegistrationRecord>,
    /// Every consent request and grant, with its institution, scope, purpose and status.
    pub consents: Vec<crate::consent_api::ConsentItem>,
    /// The credentials issued to the citizen's devices (ids, times, revocation).
    pub credentials: Vec<CredentialRecord>,
    /// The whole activity history: sign-ins, refreshes, verifications, institution reads,
    /// officers opening the registration.
    pub activity: Vec<ActivityEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct RegistrationRecord {
    pub id: String,
    pub submitted_at: i64,
    pub status: String,
    pub decided_at: Option<i64>,
    pub reason: Option<String>,
    pub selfie_bytes: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct CredentialRecord {
    pub id: String,
    pub issued_at: i64,
    pub valid_until: i64,
    pub revoked_at: Option<i64>,
    pub revocation_reason: Option<String>,
}
