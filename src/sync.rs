//! Getting the offline bundle onto the phone: after activation or login, and whenever the app
//! is online past the bundle's `refreshAfter`. The trust list comes first, so the bundle is
//! checked against it before anything is kept.

use leptos::prelude::*;

use crate::api::{self, ApiProblem};
use crate::state::AppState;
use crate::vault_store::{self, REVOCATIONS_KEY, TRUST_LIST_KEY};

#[derive(Debug, Clone, PartialEq)]
pub enum SyncOutcome {
    /// Sealed under the PIN in use and shown.
    Stored,
    /// Verified; waits for a new PIN before it is sealed (first login on this device).
    NeedsPin,
}

/// Fetches trust list, revocation list and bundle; verifies; seals with the session's PIN if
/// the app is unlocked, otherwise hands the bundle to the PIN screen.
pub async fn fetch_bundle(app: AppState) -> Result<SyncOutcome, ApiProblem> {
    let trust = api::trust_list_text().await?;
    let _ = vault_store::save_public(TRUST_LIST_KEY, &trust).await;
    if let Ok(revocations) = api::revocations_text().await {
        let _ = vault_store::save_public(REVOCATIONS_KEY, &revocations).await;
    }
    let signed = api::bundle_text().await?;
    let bundle = vault_store::verify_bundle(&signed, &trust).map_err(|_| ApiProblem::Unreadable)?;
    match app.pin.get_value() {
        Some(pin) => {
            vault_store::seal_bundle(&signed, &pin)
                .await
                .map_err(|err| match err {
                    vault_store::StoreError::NoSecureRandom(no_random) => no_random.into(),
                    _ => ApiProblem::Unreadable,
                })?;
            app.bundle.set(Some(bundle));
            Ok(SyncOutcome::Stored)
        }
        None => {
            app.pending_signed.set_value(Some(signed));
            app.bundle.set(Some(bundle));
            Ok(SyncOutcome::NeedsPin)
        }
    }
}

/// Set when this phone's copy was wiped for a reason that must cost the password: five wrong
/// PINs, or logging out. Until the next login or activation, a session cookie that is still
/// valid does not bring the copy back by itself (see [`may_resume`]): whoever guessed the PIN
/// wrong five times must not get a fresh copy under a PIN of their own.
const NEEDS_LOGIN_KEY: &str = "ikd-needs-login";

pub fn require_login() {
    crate::browser::store(NEEDS_LOGIN_KEY, "1");
}

/// After a login or an activation with the password.
pub fn login_done() {
    crate::browser::forget(NEEDS_LOGIN_KEY);
}

/// Whether a valid session with no sealed copy may lead straight to the PIN step (activation
/// or login ended before the PIN was set), rather than to the login form.
pub fn may_resume() -> bool {
    crate::browser::stored(NEEDS_LOGIN_KEY).is_none()
}

/// Refreshes quietly when online, unlocked and past `refreshAfter`; a refusal (session gone)
/// leaves the local copy as it is.
pub async fn refresh_if_due(app: AppState) {
    let due = app
        .bundle
        .get_untracked()
        .is_some_and(|b| crate::browser::now_secs() >= b.refresh_after);
    if due && crate::browser::is_online() && app.pin.get_value().is_some() {
        let _ = fetch_bundle(app).await;
    }
}
