//! Request and answer bodies of the citizen API, shared by the service (which parses them)
//! and the PWA (which sends them), so both sides cannot drift apart.

use serde::{Deserialize, Serialize};

use crate::captcha::Solution;
use crate::registration_status::RegistrationStatus;
use crate::selfie_quality::SelfieFinding;

/// `POST /api/registrations`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RegistrationRequest {
    pub nik: String,
    pub email: String,
    pub phone: String,
    /// The selfie, JPEG, base64 (standard alphabet). At most `MAX_SELFIE_BYTES` decoded.
    pub selfie_jpeg: String,
    /// The desk QR's text, or the 6-character short code shown under it.
    pub desk_token: String,
    pub captcha: Solution,
    /// What the phone's own check found in the selfie (no face, too dark, ...): a hint shown
    /// to the officer beside the photo, never a refusal. Older apps send none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub selfie_findings: Vec<SelfieFinding>,
}

/// A selfie larger than this is refused; the PWA shrinks photos well below it.
pub const MAX_SELFIE_BYTES: usize = 200 * 1024;

/// Answer to an accepted registration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct RegistrationAccepted {
    /// Random id the device keeps to ask about its registration.
    pub registration_id: String,
    pub status: RegistrationStatus,
    pub message: String,
    pub message_en: String,
}

/// `GET /api/registrations/{id}/status`: what the phone may learn about its own registration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct RegistrationProgress {
    pub status: RegistrationStatus,
    /// The officer's reason, when rejected.
    pub reason: Option<String>,
}

/// `POST /api/activation`: the emailed code, the new password, the device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ActivationRequest {
    pub nik: String,
    pub code: String,
    pub password: String,
    /// A random id the browser made for itself and keeps; one device per account.
    pub device_id: String,
    pub captcha: Solution,
}

/// `POST /api/session`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LoginRequest {
    /// NIK or email.
    pub identifier: String,
    pub password: String,
    pub device_id: String,
    /// Must be true to log in on a device other than the active one. Without it such a login
    /// is refused with `device-change-required`, so the app can ask first; with it the answer
    /// is `202` [`DeviceMoveStarted`]: a code goes to the account's email, and only
    /// `POST /api/session/move` with that code makes this device the active one and revokes
    /// the old one's credentials.
    #[serde(default)]
    pub replace_device: bool,
    /// A solved captcha, needed only after `captcha-required`: repeated failures for this
    /// account from browsers it does not know (the service's `platform/login_guard.rs`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub captcha: Option<Solution>,
}

/// How long the code mailed for moving to a new phone, and the login step it belongs to,
/// stay valid.
pub const DEVICE_MOVE_TTL_SECS: i64 = 15 * 60;

/// `202` to `POST /api/session` with `replaceDevice` while another device is active: the
/// password was right, a code went to the account's email, and the login step's token is in
/// an HttpOnly cookie. Nothing is revoked until `POST /api/session/move` takes the code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct DeviceMoveStarted {
    /// The account's email, masked (`b***@contoh.id`).
    pub email_hint: String,
    /// Unix seconds; the code and the step end then.
    pub expires_at: i64,
    pub message: String,
    pub message_en: String,
}

/// `POST /api/session/move`: the code from the email (with the login step's cookie).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DeviceMoveConfirm {
    pub code: String,
}

/// Who is logged in (`GET /api/session`, and the answer to a login or an activation).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct SessionInfo {
    pub nik: String,
    pub full_name: String,
    pub device_id: String,
    /// Unix seconds; the session ends at the earlier of this and the idle timeout.
    pub expires_at: i64,
    /// True when this login replaced another device.
    pub replaced_device: bool,
}

/// `POST /api/account/password`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ChangePasswordRequest {
    pub current_password: String,
    pub new_password: String,
}

/// `POST /api/password-reset`: always answered the same way, whether the account exists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PasswordResetRequest {
    /// NIK or email.
    pub identifier: String,
    pub captcha: Solution,
}

/// `POST /api/password-reset/confirm`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PasswordResetConfirm {
    /// The token from the emailed link.
    pub token: String,
    pub new_password: String,
}

/// A plain acknowledgement with a message for the person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Notice {
    pub message: String,
    pub message_en: String,
}

impl Notice {
    pub fn new(message: &str, message_en: &str) -> Self {
        Notice {
            message: message.to_owned(),
            message_en: message_en.to_owned(),
        }
    }
}
