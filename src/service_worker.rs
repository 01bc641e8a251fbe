//! Registers `/sw.js`, which keeps the app shell in Cache Storage so the app opens offline,
//! and tells the person when a new release is waiting.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

fn container() -> Option<web_sys::ServiceWorkerContainer> {
    let navigator = web_sys::window()?.navigator();
    let supported =
        js_sys::Reflect::has(&navigator, &JsValue::from_str("serviceWorker")).unwrap_or(false);
    supported.then(|| navigator.service_worker())
}

/// Registers the service worker where the browser has one. Browsers without it (or pages on
/// plain HTTP, where it is withheld) still run the app, only without offline start.
pub fn register() {
    let Some(container) = container() else {
        return;
    };
    // A worker has its own `navigator.connection`, which browsers and their emulation do not
    // always keep in step with the page's: the page says it in the address.
    let script = if saves_data() {
        "/sw.js?save-data"
    } else {
        "/sw.js"
    };
    let registration = container.register(script);
    wasm_bindgen_futures::spawn_local(async move {
        if let Err(err) = JsFuture::from(registration).await {
            web_sys::console::warn_2(
                &JsValue::from_str("Service worker gagal didaftarkan (registration failed):"),
                &err,
            );
        }
    });
}

/// Whether the person asked the browser to save data (`navigator.connection.saveData`): then
/// the worker caches the other bundles only when they are first opened.
fn saves_data() -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    js_sys::Reflect::get(&window.navigator(), &JsValue::from_str("connection"))
        .ok()
        .filter(|connection| connection.is_object())
        .and_then(|connection| {
            js_sys::Reflect::get(&connection, &JsValue::from_str("saveData")).ok()
        })
        .and_then(|save_data| save_data.as_bool())
        .unwrap_or(false)
}

/// Sets `update_ready` when a new worker is installed and waiting behind the running one.
pub fn watch_for_updates(update_ready: RwSignal<bool>) {
    let Some(container) = container() else {
        return;
    };
    wasm_bindgen_futures::spawn_local(async move {
        let Ok(ready) = container.ready() else {
            return;
        };
        let Ok(registration) = JsFuture::from(ready).await else {
            return;
        };
        let Ok(registration) = registration.dyn_into::<web_sys::ServiceWorkerRegistration>() else {
            return;
        };
        if registration.waiting().is_some() {
            update_ready.set(true);
        }
        let watched = registration.clone();
        let on_update = Closure::<dyn Fn()>::new(move || {
            let Some(installing) = watched.installing() else {
                return;
            };
            let worker = installing.clone();
            let on_state = Closure::<dyn Fn()>::new(move || {
                let has_controller = container_controller();
                if worker.state() == web_sys::ServiceWorkerState::Installed && has_controller {
                    update_ready.set(true);
                }
            });
            installing.set_onstatechange(Some(on_state.as_ref().unchecked_ref()));
            on_state.forget();
        });
        registration.set_onupdatefound(Some(on_update.as_ref().unchecked_ref()));
        on_update.forget();
    });
}

fn container_controller() -> bool {
    container().and_then(|c| c.controller()).is_some()
}

/// Lets the waiting worker take over, then reloads into the new release.
pub fn apply_update() {
    let Some(container) = container() else {
        return;
    };
    wasm_bindgen_futures::spawn_local(async move {
        if let Ok(ready) = container.ready()
            && let Ok(registration) = JsFuture::from(ready).await
            && let Ok(registration) = registration.dyn_into::<web_sys::ServiceWorkerRegistration>()
            && let Some(waiting) = registration.waiting()
        {
            let _ = waiting.post_message(&JsValue::from_str("skip-waiting"));
        }
        crate::browser::sleep_ms(300).await;
        if let Some(window) = web_sys::window() {
            let _ = window.location().reload();
        }
    });
}
