//! Pengaturan: language, PIN, the account (email, phone, password, devices, sessions, a copy
//! of the data, closing: [`super::account`]), consents, and logout, which also wipes the
//! local copy.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::components::page::Page;
use crate::i18n::{Lang, use_i18n};
use crate::state::use_app;

#[component]
pub fn SettingsPage() -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let navigate = use_navigate();
    let busy = RwSignal::new(false);
    // Wiping the copy cannot be undone offline: the first tap only asks.
    let confirming = RwSignal::new(false);
    let logout = move |_| {
        let navigate = navigate.clone();
        busy.set(true);
        leptos::task::spawn_local(async move {
            // Revoke online when possible; wipe locally in any case.
            let _ = crate::api::logout().await;
            crate::sync::wipe_this_phone(app).await;
            busy.set(false);
            navigate("/", Default::default());
        });
    };
    let change_pin = {
        let navigate = use_navigate();
        move |_| {
            // Re-seal the copy under a new PIN: the PIN screen seals what is pending.
            leptos::task::spawn_local({
                let navigate = navigate.clone();
                async move {
                    if let Some(pin) = app.pin.get_value()
                        && let Ok(contents) = crate::vault_store::unlock(&pin).await
                    {
                        app.pending.set_value(Some(contents));
                        navigate("/pin/baru", Default::default());
                    }
                }
            });
        }
    };
    view! {
        <Page title_id="Pengaturan" title_en="Settings" back="/">
            <section class="card">
                <h2>{move || i18n.t("Bahasa", "Language")}</h2>
                <div class="segmented" role="group" aria-label=move || i18n.t("Bahasa", "Language")>
                    <button aria-pressed=move || (i18n.0.get() == Lang::Id).to_string() on:click=move |_| i18n.set(Lang::Id)>"Bahasa Indonesia"</button>
                    <button aria-pressed=move || (i18n.0.get() == Lang::En).to_string() on:click=move |_| i18n.set(Lang::En)>"English"</button>
                </div>
            </section>
            <section class="card">
                <h2>{move || i18n.t("Akun", "Account")}</h2>
                <p>{move || i18n.t(
                    "Email, nomor HP, kata sandi, perangkat dan sesi; unduh data Anda atau tutup akun.",
                    "Email, phone, password, devices and sessions; download your data or close the account.",
                )}</p>
                <div class="actions">
                    <a class="button secondary" href="/akun">{move || i18n.t("Akun", "Account")}</a>
                    <a class="button secondary" href="/persetujuan">{move || i18n.t("Persetujuan akses data", "Data access consents")}</a>
                </div>
            </section>
            <section class="card">
                <h2>"PIN"</h2>
                <button class="secondary" on:click=change_pin>{move || i18n.t("Ganti PIN", "Change PIN")}</button>
            </section>
            <section class="card">
                <h2>{move || i18n.t("Keluar", "Log out")}</h2>
                <p>{move || i18n.t(
                    "Keluar menghapus KTP digital dari perangkat ini dan mencabut QR-nya. Masuk kembali untuk memulihkannya.",
                    "Logging out removes the digital KTP from this device and revokes its QRs. Log in again to restore it.",
                )}</p>
                <Show when=move || confirming.get() fallback=move || view! {
                    <button class="danger" on:click=move |_| confirming.set(true)>{move || i18n.t("Keluar dan hapus data", "Log out and wipe data")}</button>
                }>
                    <div class="confirm" role="alertdialog" aria-labelledby="confirm-logout" data-testid="confirm-logout">
                        <p id="confirm-logout"><strong>{move || i18n.t(
                            "Yakin keluar? KTP digital di perangkat ini dihapus dan QR-nya dicabut. Anda perlu internet dan kata sandi untuk masuk kembali.",
                            "Log out for sure? The digital KTP on this device is wiped and its QRs revoked. You need the internet and your password to log in again.",
                        )}</strong></p>
                        <button class="danger" on:click=logout.clone() disabled=move || busy.get()>{move || i18n.t("Ya, keluar dan hapus", "Yes, log out and wipe")}</button>
                        <button class="secondary" on:click=move |_| confirming.set(false)>{move || i18n.t("Batal", "Cancel")}</button>
                    </div>
                </Show>
            </section>
        </Page>
    }
}
