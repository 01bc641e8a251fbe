//! Pengaturan: language, PIN, the account (email, phone, password, devices, sessions, a copy
//! of the data, closing: [`super::account`]), consents, logout, which also wipes the local
//! copy, and removing this person from a shared phone (the others stay).

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
            // Revoke online when possible, but only the open person's own session: on a
            // shared phone the browser's session may be another person's. Wipe locally in
            // any case.
            let open_nik = app
                .bundle
                .with_untracked(|b| b.as_ref().map(|b| b.ktp.nik.clone()));
            if let Ok(session) = crate::api::session().await
                && Some(session.nik) == open_nik
            {
                let _ = crate::api::logout().await;
            }
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
                        && let Some(profile) = app.profile.get_value()
                        && let Ok(contents) = crate::vault_store::unlock(&profile, &pin).await
                    {
                        app.pending.set_value(Some(contents));
                        navigate("/pin/baru", Default::default());
                    }
                }
            });
        }
    };
    let removing = RwSignal::new(false);
    let relock_minutes = RwSignal::new(crate::relock::minutes());
    // Which method protects the open copy (a signal: `app.passkey` is a StoredValue, which
    // no view tracks, so the switch below sets both), and whether the screen lock can.
    let sealed_by_passkey = RwSignal::new(app.passkey.with_value(Option::is_some));
    let by_passkey = move || sealed_by_passkey.get();
    let can_passkey = LocalResource::new(crate::passkey_unlock::available);
    let passkey_message = RwSignal::new(None::<String>);
    let switch_to_passkey = move |_| {
        let (Some(profile), Some(pin)) = (app.profile.get_value(), app.pin.get_value()) else {
            return;
        };
        let Some((nik_name, masked)) = app.bundle.with_untracked(|b| {
            b.as_ref().map(|b| {
                (
                    b.ktp.full_name.clone(),
                    crate::vault_store::mask_name(&b.ktp.full_name),
                )
            })
        }) else {
            return;
        };
        busy.set(true);
        passkey_message.set(None);
        leptos::task::spawn_local(async move {
            let result = async {
                let contents = crate::vault_store::unlock(&profile, &pin)
                    .await
                    .map_err(|_| None)?;
                let (lock, output) = crate::passkey_unlock::create(&masked).await.map_err(Some)?;
                let key = ikd_core::vault::key_from_prf(&output);
                crate::vault_store::seal_with_passkey(
                    &profile,
                    &nik_name,
                    &contents,
                    &key,
                    lock.clone(),
                )
                .await
                .map_err(|_| None)?;
                Ok::<_, Option<crate::passkey_unlock::PasskeyFailure>>(crate::state::PasskeySeal {
                    lock,
                    key,
                })
            }
            .await;
            match result {
                Ok(seal) => {
                    app.pin.set_value(None);
                    app.passkey.set_value(Some(seal));
                    sealed_by_passkey.set(true);
                    passkey_message.set(Some(i18n.t(
                        "Selesai: KTP digital ini kini dibuka dengan kunci layar ponsel. PIN tidak lagi membukanya.",
                        "Done: this digital KTP now opens with the phone's screen lock. The PIN no longer opens it.",
                    ).to_owned()));
                }
                Err(Some(failure)) => passkey_message.set(Some(
                    i18n.t(failure.message_id(), failure.message_en())
                        .to_owned(),
                )),
                Err(None) => passkey_message.set(Some(
                    i18n.t(
                        "Penyimpanan peramban tidak tersedia. PIN tetap dipakai.",
                        "Browser storage is unavailable. The PIN stays.",
                    )
                    .to_owned(),
                )),
            }
            busy.set(false);
        });
    };
    let remove_person = {
        let navigate = use_navigate();
        move |_| {
            let navigate = navigate.clone();
            busy.set(true);
            leptos::task::spawn_local(async move {
                crate::sync::wipe_this_phone(app).await;
                busy.set(false);
                navigate("/", Default::default());
            });
        }
    };
    view! {
        <Page title_id="Pengaturan" title_en="Settings" back="/">
            <section class="card">
                <h2>{move || i18n.t("Bahasa", "Language")}</h2>
                <div class="segmented" role="group" aria-label=move || i18n.t("Bahasa", "Language")>
                    <button aria-pressed=move || (!i18n.en()).to_string() on:click=move |_| i18n.set(Lang::Id)>"Bahasa Indonesia"</button>
                    <button aria-pressed=move || i18n.en().to_string() on:click=move |_| i18n.set(Lang::En)>"English"</button>
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
            <section class="card" data-testid="unlock-method">
                <h2>{move || i18n.t("Cara membuka", "How it opens")}</h2>
                <p data-testid="unlock-method-now" data-method=move || if by_passkey() { "passkey" } else { "pin" }>{move || if by_passkey() {
                    i18n.t(
                        "KTP digital di perangkat ini dilindungi kunci layar ponsel (passkey). PIN tidak membukanya; jika kunci layar hilang atau diganti, masuk lagi dengan kata sandi saat online.",
                        "The digital KTP on this device is protected by the phone's screen lock (a passkey). No PIN opens it; if the screen lock is lost or changed, log in again with your password while online.",
                    )
                } else {
                    i18n.t(
                        "KTP digital di perangkat ini dilindungi PIN 6 angka.",
                        "The digital KTP on this device is protected by a 6-digit PIN.",
                    )
                }}</p>
                <Show when=move || !by_passkey()>
                    <button class="secondary" on:click=change_pin.clone()>{move || i18n.t("Ganti PIN", "Change PIN")}</button>
                </Show>
                <Show when=move || !by_passkey() && can_passkey.get() == Some(true)>
                    <p>{move || i18n.t(
                        "Kunci layar (sidik jari, wajah, pola) lebih kuat dari PIN: salinan data yang dicuri dari peramban tidak dapat ditebak. Setelah beralih, PIN tidak lagi membuka KTP digital ini.",
                        "The screen lock (fingerprint, face, pattern) is stronger than a PIN: a copy stolen from the browser cannot be guessed. After switching, the PIN no longer opens this digital KTP.",
                    )}</p>
                    <button class="primary" data-testid="use-passkey" on:click=switch_to_passkey disabled=move || busy.get()>{move || i18n.t("Buka dengan kunci layar", "Unlock with screen lock")}</button>
                </Show>
                <p role="status">{move || passkey_message.get()}</p>
            </section>
            <section class="card">
                <h2 id="relock-title">{move || i18n.t("Kunci otomatis", "Lock automatically")}</h2>
                <p>{move || i18n.t(
                    "KTP digital terkunci lagi jika aplikasi tidak disentuh atau berada di latar belakang selama:",
                    "The digital KTP locks again when the app is not touched or is in the background for:",
                )}</p>
                <div class="segmented" role="group" aria-labelledby="relock-title" data-testid="relock">
                    {crate::relock::CHOICES.into_iter().map(|minutes| view! {
                        <button aria-pressed=move || (relock_minutes.get() == minutes).to_string()
                            on:click=move |_| { crate::relock::set_minutes(minutes); relock_minutes.set(minutes); }>
                            {move || i18n.pick(format!("{minutes} menit"), format!("{minutes} min"))}
                        </button>
                    }).collect_view()}
                </div>
            </section>
            <section class="card">
                <h2>{move || i18n.t("Pindah ke ponsel baru", "Moving to a new phone")}</h2>
                <a class="button secondary" href="/pindah-ponsel">{move || i18n.t("Langkah pindah ponsel", "Steps to move phones")}</a>
            </section>
            <section class="card">
                <h2>{move || i18n.t("Hapus orang ini dari perangkat", "Remove this person from this phone")}</h2>
                <p>{move || i18n.t(
                    "Untuk ponsel bersama: KTP digital orang ini, PIN-nya dan riwayat QR-nya dihapus dari perangkat ini; orang lain di perangkat ini tidak terpengaruh. Masuk kembali untuk memulihkannya.",
                    "For a shared phone: this person's digital KTP, PIN and QR history are removed from this phone; the other people on it are not affected. Log in again to restore it.",
                )}</p>
                <Show when=move || removing.get() fallback=move || view! {
                    <button class="danger" data-testid="remove-person" on:click=move |_| removing.set(true)>{move || i18n.t("Hapus orang ini", "Remove this person")}</button>
                }>
                    <div class="confirm" role="alertdialog" aria-labelledby="confirm-remove" data-testid="confirm-remove">
                        <p id="confirm-remove"><strong>{move || i18n.t(
                            "Yakin menghapus orang ini dari perangkat? Anda perlu internet dan kata sandi untuk menambahkannya lagi.",
                            "Remove this person from the phone for sure? You need the internet and the password to add them again.",
                        )}</strong></p>
                        <button class="danger" on:click=remove_person.clone() disabled=move || busy.get()>{move || i18n.t("Ya, hapus", "Yes, remove")}</button>
                        <button class="secondary" on:click=move |_| removing.set(false)>{move || i18n.t("Batal", "Cancel")}</button>
                    </div>
                </Show>
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
