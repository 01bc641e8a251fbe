//! The frame of every screen: a title bar with the way back, the demo-data note, and the
//! banner for a waiting update.

use leptos::prelude::*;

use crate::i18n::use_i18n;
use crate::state::use_app;

#[component]
pub fn Page(
    title_id: &'static str,
    title_en: &'static str,
    /// Where the back arrow goes; none on the home screen.
    #[prop(optional)]
    back: Option<&'static str>,
    #[prop(optional)] class: &'static str,
    children: Children,
) -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    view! {
        <div class=format!("page {class}") class:demo-data=move || app.shows_demo_data()>
            <header class="topbar">
                {back.map(|href| view! {
                    <a class="back" href=href aria-label=move || i18n.t("Kembali", "Back")>"‹"</a>
                })}
                <h1>{move || i18n.t(title_id, title_en)}</h1>
            </header>
            <Show when=move || !app.online.get()>
                <p class="offline-banner" role="status" data-testid="offline">
                    <span aria-hidden="true" class="offline-dot"></span>
                    {move || i18n.t(
                        "Anda sedang offline. KTP, KK dan QR tetap bisa dibuka; hal lain menunggu koneksi.",
                        "You are offline. The KTP, KK and QR still open; everything else waits for a connection.",
                    )}
                </p>
            </Show>
            <Show when=move || app.update_ready.get()>
                <div class="update-banner" role="status">
                    <span>{move || i18n.t("Versi baru siap.", "A new version is ready.")}</span>
                    <button class="link" on:click=|_| crate::service_worker::apply_update()>
                        {move || i18n.t("Muat ulang", "Reload")}
                    </button>
                </div>
            </Show>
            <Show when=move || app.shows_demo_data()>
                // On paper only, above the card: a printed KTP or KK of synthetic data must
                // never pass for an official document.
                <p class="print-demo-mark" aria-hidden="true" data-testid="print-demo-mark">
                    "CONTOH DATA DEMO — BUKAN DOKUMEN RESMI · DEMO DATA — NOT AN OFFICIAL DOCUMENT"
                </p>
            </Show>
            <main>{children()}</main>
            <Show when=move || app.shows_demo_data()>
                // A landmark of its own: a screen reader finds it, and axe asks that all text be in one.
                <footer class="demo-note">
                    {move || i18n.t(
                        "Data kependudukan di layanan ini adalah data contoh (demo), bukan data SIAK asli.",
                        "Population data on this service is synthetic demo data, not the real SIAK.",
                    )}
                </footer>
            </Show>
        </div>
    }
}
