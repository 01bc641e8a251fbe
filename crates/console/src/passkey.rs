//! Passkeys in the browser (WebAuthn): `navigator.credentials.create()` to enrol and `.get()`
//! to log in, with the service's challenge; byte strings go both ways as base64url. The
//! service checks everything that matters (`platform/webauthn.rs`); this only carries bytes.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ikd_core::second_factor_api::{PasskeyAnswer, PasskeyChallenge};
use js_sys::{Array, ArrayBuffer, Object, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    AuthenticatorAssertionResponse, AuthenticatorAttestationResponse, CredentialCreationOptions,
    CredentialRequestOptions, PublicKeyCredential,
};

/// Why the browser gave no passkey.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasskeyFailure {
    /// No WebAuthn here (an old browser, or a page that is not a secure context).
    Unsupported,
    /// The person cancelled, or the prompt timed out, or no passkey of theirs is on this device.
    Cancelled,
    /// The service sent something the browser cannot use.
    Malformed,
}

impl PasskeyFailure {
    /// What went wrong, in Bahasa Indonesia or (`english`) in English.
    pub fn message(&self, english: bool) -> &'static str {
        match (self, english) {
            (PasskeyFailure::Unsupported, false) => {
                "Peramban ini tidak mendukung passkey. Pakai aplikasi autentikator."
            }
            (PasskeyFailure::Unsupported, true) => {
                "This browser does not support passkeys. Use an authenticator app."
            }
            (PasskeyFailure::Cancelled, false) => {
                "Passkey dibatalkan atau tidak ditemukan di perangkat ini. Coba lagi, atau pakai cara lain."
            }
            (PasskeyFailure::Cancelled, true) => {
                "The passkey was cancelled or is not on this device. Try again, or use another way."
            }
            (PasskeyFailure::Malformed, false) => {
                "Tantangan passkey tidak terbaca. Muat ulang halaman."
            }
            (PasskeyFailure::Malformed, true) => {
                "The passkey challenge is unreadable. Reload the page."
            }
        }
    }
}

fn bytes(text: &str) -> Result<Uint8Array, PasskeyFailure> {
    let raw = URL_SAFE_NO_PAD
        .decode(text)
        .map_err(|_| PasskeyFailure::Malformed)?;
    Ok(Uint8Array::from(raw.as_slice()))
}

fn text(buffer: &ArrayBuffer) -> String {
    URL_SAFE_NO_PAD.encode(Uint8Array::new(buffer).to_vec())
}

fn set(target: &Object, key: &str, value: &JsValue) {
    // Setting a property on a plain object cannot fail.
    let _ = Reflect::set(target, &JsValue::from_str(key), value);
}

fn descriptors(ids: &[String]) -> Result<Array, PasskeyFailure> {
    let list = Array::new();
    for id in ids {
        let entry = Object::new();
        set(&entry, "type", &"public-key".into());
        set(&entry, "id", &bytes(id)?.into());
        list.push(&entry);
    }
    Ok(list)
}

fn container() -> Result<web_sys::CredentialsContainer, PasskeyFailure> {
    let window = web_sys::window().ok_or(PasskeyFailure::Unsupported)?;
    if Reflect::get(&window, &"PublicKeyCredential".into())
        .map(|v| v.is_undefined())
        .unwrap_or(true)
    {
        return Err(PasskeyFailure::Unsupported);
    }
    Ok(window.navigator().credentials())
}

/// Asks the browser for a new passkey (`creating`) or a login with one.
pub async fn answer(challenge: &PasskeyChallenge) -> Result<PasskeyAnswer, PasskeyFailure> {
    let credentials = container()?;
    let public_key = Object::new();
    set(
        &public_key,
        "challenge",
        &bytes(&challenge.challenge)?.into(),
    );
    set(&public_key, "timeout", &JsValue::from_f64(120_000.0));
    set(&public_key, "userVerification", &"preferred".into());
    let promise = if challenge.creating {
        let rp = Object::new();
        set(&rp, "id", &challenge.rp_id.as_str().into());
        set(&rp, "name", &challenge.rp_name.as_str().into());
        let user = Object::new();
        set(&user, "id", &bytes(&challenge.user_id)?.into());
        set(&user, "name", &challenge.user_name.as_str().into());
        set(
            &user,
            "displayName",
            &challenge.user_display_name.as_str().into(),
        );
        let es256 = Object::new();
        set(&es256, "type", &"public-key".into());
        set(&es256, "alg", &JsValue::from_f64(-7.0));
        let selection = Object::new();
        set(&selection, "residentKey", &"preferred".into());
        set(&selection, "userVerification", &"preferred".into());
        set(&public_key, "rp", &rp);
        set(&public_key, "user", &user);
        set(&public_key, "pubKeyCredParams", &Array::of1(&es256));
        set(&public_key, "authenticatorSelection", &selection);
        set(&public_key, "attestation", &"none".into());
        set(
            &public_key,
            "excludeCredentials",
            &descriptors(&challenge.credential_ids)?.into(),
        );
        let options = Object::new();
        set(&options, "publicKey", &public_key);
        credentials.create_with_options(options.unchecked_ref::<CredentialCreationOptions>())
    } else {
        set(&public_key, "rpId", &challenge.rp_id.as_str().into());
        set(
            &public_key,
            "allowCredentials",
            &descriptors(&challenge.credential_ids)?.into(),
        );
        let options = Object::new();
        set(&options, "publicKey", &public_key);
        credentials.get_with_options(options.unchecked_ref::<CredentialRequestOptions>())
    }
    .map_err(|_| PasskeyFailure::Unsupported)?;
    let credential = JsFuture::from(promise)
        .await
        .map_err(|_| PasskeyFailure::Cancelled)?
        .dyn_into::<PublicKeyCredential>()
        .map_err(|_| PasskeyFailure::Cancelled)?;
    let response = credential.response();
    let client_data_json = text(&response.client_data_json());
    let credential_id = text(&credential.raw_id());
    if challenge.creating {
        let created = response
            .dyn_into::<AuthenticatorAttestationResponse>()
            .map_err(|_| PasskeyFailure::Cancelled)?;
        Ok(PasskeyAnswer {
            credential_id,
            client_data_json,
            attestation_object: Some(text(&created.attestation_object())),
            authenticator_data: None,
            signature: None,
        })
    } else {
        let asserted = response
            .dyn_into::<AuthenticatorAssertionResponse>()
            .map_err(|_| PasskeyFailure::Cancelled)?;
        Ok(PasskeyAnswer {
            credential_id,
            client_data_json,
            attestation_object: None,
            authenticator_data: Some(text(&asserted.authenticator_data())),
            signature: Some(text(&asserted.signature())),
        })
    }
}

/// This page's origin (`http://localhost:8080`), to compare with where passkeys work.
pub fn page_origin() -> String {
    web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default()
}
