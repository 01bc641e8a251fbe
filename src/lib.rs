//! IKD Web, the citizen app: a Leptos (CSR) progressive web app that shows the digital KTP in
//! any browser, also offline. `main.rs` only calls [`start`]; everything lives here so that
//! browser tests can mount the same components.

pub mod api;
pub mod app;
pub mod browser;
pub mod camera;
pub mod components;
pub mod i18n;
pub mod pages;
pub mod qr_svg;
pub mod service_worker;
pub mod state;
pub mod sync;
pub mod vault_store;
pub mod verifier;

pub use app::App;

/// Boots the app: readable panics in the console, the offline shell, then the UI.
pub fn start() {
    console_error_panic_hook::set_once();
    service_worker::register();
    leptos::mount::mount_to_body(App);
    // The static loading shell of index.html has done its job.
    if let Some(body) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.body())
    {
        let _ = body.class_list().add_1("app-ready");
    }
}
