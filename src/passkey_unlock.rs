//! Unlocking with the phone's screen lock: a platform passkey made on this phone for this
//! copy only (the service is not involved), asked for WebAuthn's PRF extension. Its PRF
//! output for a random salt gives the vault key (`ikd_core::vault::key_from_prf`); a copy
//! sealed under it no longer opens with the PIN. Where the browser has no PRF, the option is
//! not offered and the PIN stays. All through `js_sys::Reflect`, as the extension objects
//! have no web-sys types.

use js_sys::{Array, Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::vault_store::PasskeyLock;

/// Why no PRF output came.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasskeyFailure {
    /// No WebAuthn, no platform authenticator, or no PRF on this browser.
    Unsupported,
    /// The person cancelled, or the screen lock was not passed.
    Cancelled,
}

impl PasskeyFailure {
    pub fn message_id(self) -> &'static str {
        match self {
            PasskeyFailure::Unsupported => {
                "Peramban ini tidak dapat membuka KTP digital dengan kunci layar. PIN tetap dipakai."
            }
            PasskeyFailure::Cancelled => "Kunci layar dibatalkan atau tidak berhasil. Coba lagi.",
        }
    }

    pub fn message_en(self) -> &'static str {
        match self {
            PasskeyFailure::Unsupported => {
                "This browser cannot open the digital KTP with the screen lock. The PIN stays."
            }
            PasskeyFailure::Cancelled => "The screen lock was cancelled or failed. Try again.",
        }
    }
}

fn set(target: &Object, key: &str, value: &JsValue) {
    // Setting a property on a plain object cannot fail.
    let _ = Reflect::set(target, &JsValue::from_str(key), value);
}

fn get(target: &JsValue, key: &str) -> JsValue {
    Reflect::get(target, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

async fn call(target: &JsValue, method: &str, args: &Array) -> Result<JsValue, PasskeyFailure> {
    let function = get(target, method)
        .dyn_into::<js_sys::Function>()
        .map_err(|_| PasskeyFailure::Unsupported)?;
    let promise = Reflect::apply(&function, target, args)
        .map_err(|_| PasskeyFailure::Unsupported)?
        .dyn_into::<Promise>()
        .map_err(|_| PasskeyFailure::Unsupported)?;
    JsFuture::from(promise)
        .await
        .map_err(|_| PasskeyFailure::Cancelled)
}

fn public_key_credential() -> Option<JsValue> {
    let window = web_sys::window()?;
    let class = get(&window, "PublicKeyCredential");
    (!class.is_undefined()).then_some(class)
}

/// Whether to offer the screen lock: WebAuthn with a platform authenticator, and PRF where
/// the browser says which extensions it has (`getClientCapabilities`); creating the passkey
/// then confirms PRF.
pub async fn available() -> bool {
    let Some(class) = public_key_credential() else {
        return false;
    };
    // Where the browser says whether it has PRF, that decides; where it does not say, the
    // platform authenticator does, and creating the passkey confirms PRF.
    if get(&class, "getClientCapabilities").is_function()
        && let Ok(capabilities) = call(&class, "getClientCapabilities", &Array::new()).await
        && let Some(prf) = get(&capabilities, "extension:prf").as_bool()
    {
        return prf;
    }
    matches!(
        call(&class, "isUserVerifyingPlatformAuthenticatorAvailable", &Array::new()).await,
        Ok(yes) if yes.as_bool() == Some(true)
    )
}

fn prf_extension(salt: &[u8]) -> Object {
    let eval = Object::new();
    set(&eval, "first", &Uint8Array::from(salt).into());
    let prf = Object::new();
    set(&prf, "eval", &eval);
    let extensions = Object::new();
    set(&extensions, "prf", &prf);
    extensions
}

fn credentials() -> Result<JsValue, PasskeyFailure> {
    let window = web_sys::window().ok_or(PasskeyFailure::Unsupported)?;
    public_key_credential().ok_or(PasskeyFailure::Unsupported)?;
    Ok(get(&window.navigator(), "credentials"))
}

/// The PRF output of a credential answer, if the authenticator gave one.
fn prf_first(credential: &JsValue) -> Option<Vec<u8>> {
    let results = get(credential, "getClientExtensionResults")
        .dyn_into::<js_sys::Function>()
        .ok()?
        .call0(credential)
        .ok()?;
    let first = get(&get(&get(&results, "prf"), "results"), "first");
    if first.is_undefined() || first.is_null() {
        return None;
    }
    Some(Uint8Array::new(&first).to_vec()).filter(|bytes| bytes.len() >= 32)
}

/// The PRF output of the passkey `lock` names, after the screen lock.
pub async fn evaluate(lock: &PasskeyLock) -> Result<Vec<u8>, PasskeyFailure> {
    let id = ikd_core::hex::decode(&lock.credential_id).ok_or(PasskeyFailure::Unsupported)?;
    let salt = ikd_core::hex::decode(&lock.salt).ok_or(PasskeyFailure::Unsupported)?;
    let challenge =
        crate::browser::random_bytes::<32>().map_err(|_| PasskeyFailure::Unsupported)?;
    let allowed = Object::new();
    set(&allowed, "type", &"public-key".into());
    set(&allowed, "id", &Uint8Array::from(id.as_slice()).into());
    let public_key = Object::new();
    set(
        &public_key,
        "challenge",
        &Uint8Array::from(&challenge[..]).into(),
    );
    set(&public_key, "timeout", &JsValue::from_f64(120_000.0));
    set(&public_key, "userVerification", &"required".into());
    set(&public_key, "allowCredentials", &Array::of1(&allowed));
    set(&public_key, "extensions", &prf_extension(&salt));
    let options = Object::new();
    set(&options, "publicKey", &public_key);
    let credential = call(&credentials()?, "get", &Array::of1(&options)).await?;
    prf_first(&credential).ok_or(PasskeyFailure::Unsupported)
}

/// Makes a platform passkey for this copy (named by the masked name only) and returns which
/// one it is with its PRF output for a fresh salt.
pub async fn create(masked_name: &str) -> Result<(PasskeyLock, Vec<u8>), PasskeyFailure> {
    let random =
        |_: ()| crate::browser::random_bytes::<32>().map_err(|_| PasskeyFailure::Unsupported);
    let (challenge, salt, user_id) = (random(())?, random(())?, random(())?);
    let rp = Object::new();
    set(&rp, "name", &"IKD Web".into());
    let user = Object::new();
    set(&user, "id", &Uint8Array::from(&user_id[..16]).into());
    let label = if masked_name.is_empty() {
        "IKD"
    } else {
        masked_name
    };
    set(&user, "name", &label.into());
    set(&user, "displayName", &label.into());
    let params = Array::new();
    for alg in [-7.0, -257.0] {
        let param = Object::new();
        set(&param, "type", &"public-key".into());
        set(&param, "alg", &JsValue::from_f64(alg));
        params.push(&param);
    }
    let selection = Object::new();
    set(&selection, "authenticatorAttachment", &"platform".into());
    set(&selection, "residentKey", &"preferred".into());
    set(&selection, "userVerification", &"required".into());
    let public_key = Object::new();
    set(
        &public_key,
        "challenge",
        &Uint8Array::from(&challenge[..]).into(),
    );
    set(&public_key, "rp", &rp);
    set(&public_key, "user", &user);
    set(&public_key, "pubKeyCredParams", &params);
    set(&public_key, "authenticatorSelection", &selection);
    set(&public_key, "timeout", &JsValue::from_f64(120_000.0));
    set(&public_key, "attestation", &"none".into());
    set(&public_key, "extensions", &prf_extension(&salt));
    let options = Object::new();
    set(&options, "publicKey", &public_key);
    let credential = call(&credentials()?, "create", &Array::of1(&options)).await?;
    let raw_id = get(&credential, "rawId");
    if raw_id.is_undefined() {
        return Err(PasskeyFailure::Cancelled);
    }
    let lock = PasskeyLock {
        credential_id: ikd_core::hex::encode(&Uint8Array::new(&raw_id).to_vec()),
        salt: ikd_core::hex::encode(&salt),
    };
    // Some authenticators answer PRF at creation; others only say it is enabled, and the
    // output comes from a first use.
    if let Some(output) = prf_first(&credential) {
        return Ok((lock, output));
    }
    let output = evaluate(&lock).await?;
    Ok((lock, output))
}
