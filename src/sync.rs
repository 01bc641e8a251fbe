//! Getting the offline bundle onto the phone: after activation or login, and whenever the app
//! is online past the bundle's `refreshAfter`. The trust list comes first, so the bundle is
//! checked against it before anything is kept. After a password step the phone makes four
//! fresh device keys and asks for credentials bound to them; a quiet refresh keeps the keys
//! in use.

use ikd_core::offline_bundle::{BundleRequest, OfflineBundle};
use leptos::prelude::*;

use crate::api::{self, ApiProblem};
use crate::phone_keys::{PhoneKeys, VaultContents};
use crate::state::AppState;
use crate::vault_store::{self, REVOCATIONS_KEY, TRUST_LIST_KEY};

#[derive(Debug, Clone, PartialEq)]
pub enum SyncOutcome {
    /// Sealed and shown (no longer the outcome of a password step, see [`fetch_bundle`]).
    Stored,
    /// Verified; waits for a new PIN before it is sealed (first login on this device).
    NeedsPin,
}

/// After a password step (activation, login, or resuming one): four fresh device keys, then
/// the copy waits for a PIN chosen by whoever logged in ([`SyncOutcome::NeedsPin`]). It is
/// never sealed under the PIN of a copy that happens to be open: that copy may be someone
/// else's (a second person logging in on the same phone), and their copy would end up under
/// the first person's PIN, over the first person's copy. The open copy is locked. The log
/// key is kept only when the new bundle is the open copy's own person (same NIK), so their
/// presentation log stays readable.
pub async fn fetch_bundle(app: AppState, profile: String) -> Result<SyncOutcome, ApiProblem> {
    let keys = PhoneKeys::generate(None)?;
    let (signed, bundle) = fetch_verified(&keys).await?;
    let same_person = app
        .bundle
        .with_untracked(|open| open.as_ref().map(|b| b.ktp.nik == bundle.ktp.nik))
        .unwrap_or(false);
    let kept_log_key = app
        .keys
        .with_value(|k| k.as_ref().map(PhoneKeys::log_key))
        .filter(|_| same_person);
    let keys = match kept_log_key {
        Some(log_key) => keys.with_log_key(log_key),
        None => keys,
    };
    // Someone else than the open person logged in for the open person's profile: their copy
    // gets a profile of its own (with the device id the login used), never the open one's.
    let open_profile = app.profile.get_value();
    let profile = if !same_person
        && app.bundle.with_untracked(Option::is_some)
        && open_profile.as_deref() == Some(profile.as_str())
    {
        let fresh = vault_store::new_profile_id()?;
        crate::browser::copy_device_id(&profile, &fresh);
        fresh
    } else {
        profile
    };
    let contents = VaultContents { signed, keys };
    app.pin.set_value(None);
    app.passkey.set_value(None);
    app.profile.set_value(Some(profile));
    app.relogin.set_value(None);
    app.keys.set_value(Some(contents.keys.clone()));
    app.pending.set_value(Some(contents));
    app.bundle.set(Some(bundle));
    Ok(SyncOutcome::NeedsPin)
}

/// Fetches trust list, revocation list and the bundle for `keys`, and verifies it.
async fn fetch_verified(keys: &PhoneKeys) -> Result<(String, OfflineBundle), ApiProblem> {
    let trust = api::trust_list_text().await?;
    let _ = vault_store::save_public(TRUST_LIST_KEY, &trust).await;
    if let Ok(revocations) = api::revocations_text().await {
        let _ = vault_store::save_public(REVOCATIONS_KEY, &revocations).await;
    }
    crate::clock_honesty::remember();
    let signed = api::bundle_text(&BundleRequest {
        device_keys: keys.public(),
    })
    .await?;
    let bundle = vault_store::verify_bundle(&signed, &trust).map_err(|_| ApiProblem::Unreadable)?;
    Ok((signed, bundle))
}

/// A quiet refresh of the open copy with the keys in use, sealed again as it was (under the
/// session's PIN, or its passkey's key), only when the service's answer is the open copy's
/// own person: the browser's session may belong to someone else who logged in on this phone
/// since.
async fn refresh_open_copy(app: AppState, keys: PhoneKeys) -> Result<(), ApiProblem> {
    let Some(profile) = app.profile.get_value() else {
        return Ok(());
    };
    let (pin, passkey) = (app.pin.get_value(), app.passkey.get_value());
    if pin.is_none() && passkey.is_none() {
        return Ok(());
    }
    let (signed, bundle) = fetch_verified(&keys).await?;
    let same_person = app
        .bundle
        .with_untracked(|open| open.as_ref().map(|b| b.ktp.nik == bundle.ktp.nik))
        .unwrap_or(false);
    if !same_person {
        return Err(ApiProblem::Unreadable);
    }
    let contents = VaultContents { signed, keys };
    let name = &bundle.ktp.full_name;
    let sealed = match (passkey, pin) {
        (Some(seal), _) => {
            vault_store::seal_with_passkey(&profile, name, &contents, &seal.key, seal.lock).await
        }
        (None, Some(pin)) => vault_store::seal_bundle(&profile, name, &contents, &pin).await,
        (None, None) => return Ok(()),
    };
    sealed.map_err(|err| match err {
        vault_store::StoreError::NoSecureRandom(no_random) => no_random.into(),
        _ => ApiProblem::Unreadable,
    })?;
    app.keys.set_value(Some(contents.keys));
    app.bundle.set(Some(bundle));
    Ok(())
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

/// Refreshes quietly when online, unlocked and past `refreshAfter`, with the device keys in
/// use; a refusal (session gone) leaves the local copy as it is.
pub async fn refresh_if_due(app: AppState) {
    // Online after unlocking: is the session still there? A 401 means it ended, or the
    // account was moved to another phone and this copy's QRs were revoked; the home screen
    // says so. (A session of another person on a shared phone is not this one's concern.)
    if crate::browser::is_online() {
        let answer = api::session().await;
        // The card moved to another phone by the emailed code: its QRs here are revoked, so
        // the copy goes, and the home screen says when it moved.
        if let Err(ApiProblem::Refused(body)) = &answer
            && body.code == "device-replaced"
        {
            app.moved_away
                .set(Some((body.message.clone(), body.message_en.clone())));
            app.session_ended.set(false);
            wipe_this_phone(app).await;
            return;
        }
        let ended = matches!(
            answer,
            Err(problem) if problem.code() == Some("login-required")
        );
        app.session_ended.set(ended);
        if ended {
            return;
        }
    }
    let due = app
        .bundle
        .with_untracked(|b| b.as_ref().map(|b| b.refresh_after))
        .is_some_and(|refresh_after| crate::browser::now_secs() >= refresh_after);
    let keys = app.keys.get_value();
    if due
        && crate::browser::is_online()
        && app.is_unlocked()
        && let Some(keys) = keys
    {
        let _ = refresh_open_copy(app, keys).await;
    }
}

/// Forgets the open person's copy on this phone and the open session's secrets: their
/// sealed copy, log and device id, the PIN and keys in memory, the unlocked bundle; the next
/// start needs the password (logging out, closing the account, removing the person). The
/// other people on this phone stay.
pub async fn wipe_this_phone(app: AppState) {
    if let Some(profile) = app.profile.get_value() {
        let _ = vault_store::wipe(&profile).await;
        crate::browser::forget_device_id(&profile);
    }
    require_login();
    app.lock();
    app.profile.set_value(None);
}
