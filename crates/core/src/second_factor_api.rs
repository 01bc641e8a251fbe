//! The officers' second factor (issue 15), the bodies service and console share. A right
//! password opens a login step (`POST /officer/session` answers [`LoginStep`] and sets a
//! short-lived step cookie); the session comes only after one of:
//! - a passkey: `POST /officer/second-factor/passkey-challenge` then `…/passkey`;
//! - a TOTP code from an authenticator app: `…/totp-enrolment` (first time), then `…/totp`;
//! - a recovery code, each good once: `…/recovery`.
//!
//! An officer with no factor yet (first login, or after an admin's reset) enrols one in the
//! same step and is shown their recovery codes once ([`LoggedIn::recovery_codes`]).

use serde::{Deserialize, Serialize};

use crate::console_api::OfficerInfo;

/// Where the login stands after the password (`POST /officer/session`,
/// `GET /officer/second-factor`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct LoginStep {
    /// No second factor yet: one must be enrolled now.
    pub must_enrol: bool,
    /// Passkeys enrolled.
    pub passkeys: u32,
    /// An authenticator app (TOTP) enrolled.
    pub totp: bool,
    /// Unused recovery codes.
    pub recovery_codes_left: u32,
    /// The address passkeys work on (`http://localhost:8080`, `https://ikd.example.go.id`),
    /// or none when the service's public address is an IP address, where browsers refuse them.
    pub passkey_origin: Option<String>,
}

/// A TOTP secret to enrol (`POST /officer/second-factor/totp-enrolment`): shown as a QR code
/// of `otpauth_uri` and as text for apps without a camera.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct TotpEnrolment {
    /// Base32, as apps take it ("enter a setup key").
    pub secret: String,
    pub otpauth_uri: String,
}

/// A six-digit TOTP code, or a recovery code (`XXXXX-XXXXX`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct SecondFactorCode {
    pub code: String,
}

/// What the browser needs for `navigator.credentials.create()` (`creating`) or `.get()`.
/// Byte strings are base64url without padding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct PasskeyChallenge {
    pub creating: bool,
    pub challenge: String,
    pub rp_id: String,
    pub rp_name: String,
    /// The officer's WebAuthn user handle (creating only).
    pub user_id: String,
    pub user_name: String,
    pub user_display_name: String,
    /// Credentials already enrolled: the ones to log in with, or to exclude when creating.
    pub credential_ids: Vec<String>,
}

/// The browser's answer to [`PasskeyChallenge`]; byte strings base64url without padding.
/// `attestation_object` when creating, `authenticator_data` and `signature` when logging in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct PasskeyAnswer {
    pub credential_id: String,
    pub client_data_json: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attestation_object: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authenticator_data: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<String>,
}

/// The session has started.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct LoggedIn {
    pub officer: OfficerInfo,
    /// Fresh recovery codes, shown this once: after a first enrolment only, else empty.
    #[serde(default)]
    pub recovery_codes: Vec<String>,
}
