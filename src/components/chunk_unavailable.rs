//! What a page shows when its wasm chunk cannot be fetched (`crate::split_point`): offline
//! before the service worker kept it, or the signal dropped. Trying again reloads the page,
//! which fetches the chunk anew.

use leptos::prelude::*;

use crate::components::page::Page;
use crate::i18n::use_i18n;

/// The words, in a card with a way to try again.
#[component]
pub fn ChunkUnavailableNote() -> impl IntoView {
    let i18n = use_i18n();
    let retry = |_| {
        if let Some(window) = web_sys::window() {
            let _ = window.location().reload();
        }
    };
    view! {
        <section class="card warning" role="alert" data-testid="chunk-unavailable">
            <p>{move || i18n.t(
                "Bagian aplikasi ini belum tersimpan di perangkat ini dan tidak dapat diunduh sekarang. Periksa koneksi internet, lalu coba lagi.",
                "This part of the app is not stored on this device yet and cannot be downloaded now. Check the internet connection, then try again.",
            )}</p>
            <button class="primary" on:click=retry>{move || i18n.t("Coba lagi", "Try again")}</button>
        </section>
    }
}

/// A whole page of it, for a page whose chunk did not come.
#[component]
pub fn ChunkUnavailablePage() -> impl IntoView {
    view! {
        <Page title_id="Belum tersedia" title_en="Not available yet" back="/">
            <ChunkUnavailableNote />
        </Page>
    }
}
