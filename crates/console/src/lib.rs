//! IKD Petugas, the officer console of Dukcapil: a Leptos (CSR) app served under `/petugas/`,
//! built by Trunk apart from the citizen PWA. Officers check faces at a desk (loket) or a
//! registration drive (jemput bola), follow adoption on the dashboard and manage staff.
//! `main.rs` only calls [`start`].
//!
//! `charts`, `format` and `keys` are pure functions of their input and are tested natively
//! (`cargo test -p ikd-console`); everything else runs in the browser.

pub mod api;
pub mod app;
pub mod browser;
pub mod charts;
pub mod components;
pub mod format;
pub mod i18n;
pub mod keys;
pub mod pages;
pub mod passkey;
pub mod state;

pub use app::App;

/// Boots the console: readable panics in the browser console, then the UI.
pub fn start() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(App);
}
