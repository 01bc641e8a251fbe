//! Registers `/sw.js`, which keeps the app shell in Cache Storage so the app opens offline.

use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

/// Registers the service worker where the browser has one. Browsers without it (or pages on
/// plain HTTP, where it is withheld) still run the app, only without offline start.
pub fn register() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let navigator = window.navigator();
    let supported =
        js_sys::Reflect::has(&navigator, &JsValue::from_str("serviceWorker")).unwrap_or(false);
    if !supported {
        return;
    }
    let registration = navigator.service_worker().register("/sw.js");
    wasm_bindgen_futures::spawn_local(async move {
        if let Err(err) = JsFuture::from(registration).await {
            web_sys::console::warn_2(
                &JsValue::from_str("Service worker gagal didaftarkan (registration failed):"),
                &err,
            );
        }
    });
}
