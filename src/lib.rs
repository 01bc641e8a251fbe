//! IKD Web, the citizen app: a Leptos (CSR) progressive web app that shows the digital KTP in
//! any browser, also offline. It ships as three bundles (see [`apps`]); each binary only calls
//! [`start`] with its root, and everything lives here so that browser tests can mount the same
//! components.

pub mod api;
pub mod apps;
pub mod browser;
pub mod camera;
pub mod clock_honesty;
pub mod components;
pub mod consent_words;
pub mod i18n;
pub mod pages;
pub mod passkey_unlock;
pub mod pending_registration;
pub mod phone_keys;
pub mod presentations;
pub mod qr_frame;
pub mod qr_svg;
pub mod record_fields;
pub mod relock;
pub mod service_worker;
pub mod split_point;
pub mod state;
pub mod sync;
pub mod vault_store;
pub mod verifier;

/// Boots one bundle: readable panics in the console, its root component once the browser has
/// painted the page's static shell, then the offline shell.
pub fn start<V: leptos::prelude::IntoView + 'static>(root: fn() -> V) {
    console_error_panic_hook::set_once();
    // Paint first, render second: when the wasm arrives before the first frame (a warm cache,
    // a fast network), rendering at once would hide the static shell before it was ever shown
    // and make one long task of start-up and first render. Two animation frames (the shell's
    // frame is then on screen), then a task of its own.
    leptos::prelude::request_animation_frame(move || {
        leptos::prelude::request_animation_frame(move || {
            leptos::prelude::set_timeout(move || mount(root), std::time::Duration::ZERO);
        });
    });
}

fn mount<V: leptos::prelude::IntoView + 'static>(root: fn() -> V) {
    leptos::mount::mount_to_body(root);
    // The static loading shell of the page has done its job.
    if let Some(body) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.body())
    {
        let _ = body.class_list().add_1("app-ready");
    }
    // Only now: the worker's install downloads the other bundles, which must not compete with
    // this page's own start on a weak signal.
    service_worker::register();
}
