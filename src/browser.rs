//! Small wrappers over browser APIs the app uses in many places: randomness (which refuses
//! rather than hand out zeros), the clock, localStorage, a sleep that lets the page repaint,
//! and the device id.

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::api::ApiProblem;

/// The browser clock (the phone's own, not corrected to the service's) and the sleep that
/// lets the page repaint, shared with the officer console.
pub use ikd_browser::clock::{now_secs, sleep_ms};

/// The browser gives no secure random source (`crypto.getRandomValues` is missing or fails):
/// nothing that needs one (a PIN seal's salt and nonce, the device id) may be made, because
/// predictable bytes there would quietly weaken it for good.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("tidak ada sumber angka acak yang aman (no secure random source)")]
pub struct NoSecureRandom;

impl NoSecureRandom {
    /// The stable code of this refusal, as if the service had sent it.
    pub const CODE: &'static str = "no-secure-random";

    pub fn message_id(self) -> &'static str {
        "Peramban ini tidak menyediakan angka acak yang aman; perbarui peramban atau buka \
         aplikasi di peramban lain (Chrome, Firefox, Safari) lalu coba lagi"
    }

    pub fn message_en(self) -> &'static str {
        "This browser offers no secure random numbers; update it or open the app in another \
         browser (Chrome, Firefox, Safari), then try again"
    }
}

impl From<NoSecureRandom> for ApiProblem {
    fn from(problem: NoSecureRandom) -> Self {
        ApiProblem::Refused(ikd_core::ApiErrorBody::new(
            NoSecureRandom::CODE,
            problem.message_id(),
            problem.message_en(),
        ))
    }
}

/// Bytes from the browser's CSPRNG (`crypto.getRandomValues`), or [`NoSecureRandom`].
pub fn random_bytes<const N: usize>() -> Result<[u8; N], NoSecureRandom> {
    let mut bytes = [0u8; N];
    let crypto = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .filter(|crypto| !crypto.is_undefined() && !crypto.is_null())
        .ok_or(NoSecureRandom)?;
    crypto
        .get_random_values_with_u8_array(&mut bytes)
        .map_err(|_| NoSecureRandom)?;
    checked_random(bytes)
}

/// Refuses what a missing or stubbed source leaves behind: all zeros, for 8 bytes or more
/// (a real source gives that once in 2^64 tries).
pub fn checked_random<const N: usize>(bytes: [u8; N]) -> Result<[u8; N], NoSecureRandom> {
    if N >= 8 && bytes.iter().all(|&b| b == 0) {
        Err(NoSecureRandom)
    } else {
        Ok(bytes)
    }
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

pub fn stored(key: &str) -> Option<String> {
    local_storage()?.get_item(key).ok().flatten()
}

pub fn store(key: &str, value: &str) {
    if let Some(storage) = local_storage() {
        let _ = storage.set_item(key, value);
    }
}

pub fn forget(key: &str) {
    if let Some(storage) = local_storage() {
        let _ = storage.remove_item(key);
    }
}

/// This browser's own random id for one person on it (`profile`, see
/// [`crate::vault_store::Profile`]), made once and kept: the service allows one active device
/// per account and names it by this id, so each person on a shared phone has their own and one
/// person's login never replaces another's device. It identifies nothing about the person.
/// Without a secure random source none is made (a guessable id would let another device pass
/// for this one), and activation and login stop with [`NoSecureRandom`]'s message.
pub fn device_id(profile: &str) -> Result<String, NoSecureRandom> {
    let key = format!("{DEVICE_KEY}:{profile}");
    if let Some(id) = stored(&key).filter(|id| id.len() >= 16) {
        return Ok(id);
    }
    let id = format!("web-{}", ikd_core::hex::encode(&random_bytes::<16>()?));
    store(&key, &id);
    Ok(id)
}

/// The one device id of a release before profiles becomes the moved copy's profile's.
pub fn adopt_legacy_device_id(profile: &str) {
    if let Some(id) = stored(DEVICE_KEY) {
        store(&format!("{DEVICE_KEY}:{profile}"), &id);
        forget(DEVICE_KEY);
    }
}

/// Gives profile `to` the device id `from` has (a login made with it for another person).
pub fn copy_device_id(from: &str, to: &str) {
    if let Some(id) = stored(&format!("{DEVICE_KEY}:{from}")) {
        store(&format!("{DEVICE_KEY}:{to}"), &id);
    }
}

/// Forgets the device id of a person removed from this browser.
pub fn forget_device_id(profile: &str) {
    forget(&format!("{DEVICE_KEY}:{profile}"));
}

/// Where [`device_id`] keeps the ids (localStorage), followed by `:` and the profile id.
pub const DEVICE_KEY: &str = "ikd-device";

/// A secret a mailed link carries after `#` (`/aktivasi#kode=…`, `/lupa-sandi#token=…`).
/// A fragment never leaves the browser, so the secret stays out of server and proxy logs;
/// once read it is wiped from the address bar and the history entry too.
pub fn take_link_secret(name: &str) -> Option<String> {
    let window = web_sys::window()?;
    let location = window.location();
    let hash = location.hash().ok()?;
    let value = hash
        .trim_start_matches('#')
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_owned())
        .filter(|value| !value.is_empty())?;
    if let (Ok(history), Ok(path)) = (window.history(), location.pathname()) {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&path));
    }
    Some(value)
}

pub fn is_online() -> bool {
    web_sys::window()
        .map(|w| w.navigator().on_line())
        .unwrap_or(true)
}

/// Asks the browser to keep the screen on while a QR is shown (Screen Wake Lock), where it
/// exists. Browsers offer no brightness control; the QR page uses a white, high-contrast
/// layout instead.
pub fn keep_screen_on() {
    let Some(navigator) = web_sys::window().map(|w| w.navigator()) else {
        return;
    };
    let Ok(wake_lock) = js_sys::Reflect::get(&navigator, &JsValue::from_str("wakeLock")) else {
        return;
    };
    if wake_lock.is_undefined() {
        return;
    }
    if let Ok(request) = js_sys::Reflect::get(&wake_lock, &JsValue::from_str("request"))
        && let Ok(request) = request.dyn_into::<js_sys::Function>()
        && let Ok(promise) = request.call1(&wake_lock, &JsValue::from_str("screen"))
        && let Ok(promise) = promise.dyn_into::<js_sys::Promise>()
    {
        wasm_bindgen_futures::spawn_local(async move {
            let _ = JsFuture::from(promise).await;
        });
    }
}

/// `Intl`-free date text: "17-08-1995" from "1995-08-17", as the KTP prints dates; also
/// from the compact "19950817" a Claim 169 QR carries.
pub fn ktp_date(iso: &str) -> String {
    if iso.len() == 8 && iso.bytes().all(|b| b.is_ascii_digit()) {
        return format!("{}-{}-{}", &iso[6..8], &iso[4..6], &iso[0..4]);
    }
    let parts: Vec<&str> = iso.split('-').collect();
    match parts.as_slice() {
        [y, m, d] => format!("{d}-{m}-{y}"),
        _ => iso.to_owned(),
    }
}

/// "22-11-2026 16:05" in the phone's local time, for the activity history.
pub fn local_time(unix_secs: i64) -> String {
    let date = js_sys::Date::new(&JsValue::from_f64(unix_secs as f64 * 1000.0));
    format!(
        "{:02}-{:02}-{} {:02}:{:02}",
        date.get_date(),
        date.get_month() + 1,
        date.get_full_year(),
        date.get_hours(),
        date.get_minutes()
    )
}

/// Saves `text` as a file named `name` through the browser's download (a Blob and a link
/// clicked in code); nothing is kept by the app.
pub fn save_text_file(name: &str, mime: &str, text: &str) -> Result<(), JsValue> {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(|| JsValue::from_str("no document"))?;
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let link: web_sys::HtmlAnchorElement = document.create_element("a")?.dyn_into()?;
    link.set_href(&url);
    link.set_download(name);
    link.set_attribute("hidden", "")?;
    if let Some(body) = document.body() {
        body.append_child(&link)?;
        link.click();
        let _ = body.remove_child(&link);
    }
    // Revoked a moment later: some browsers start the download after the click returns.
    let revoke = url.clone();
    leptos::prelude::set_timeout(
        move || {
            let _ = web_sys::Url::revoke_object_url(&revoke);
        },
        std::time::Duration::from_secs(30),
    );
    Ok(())
}

/// The browser's print dialog for the page as it is.
pub fn print_page() {
    if let Some(window) = web_sys::window() {
        let _ = window.print();
    }
}
