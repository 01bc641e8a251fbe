//! Pindah ke ponsel baru: what moving to a new phone takes and what it does to the old one,
//! step by step. Nothing is sent from here: the steps happen on the new phone's login, where
//! a code emailed to the account's address moves the card and revokes the old phone's QRs
//! (one active device per account).

use leptos::prelude::*;

use crate::components::page::Page;
use crate::i18n::use_i18n;

/// How long the emailed code lasts, as the steps say it.
const MINUTES: i64 = ikd_core::citizen_api::DEVICE_MOVE_TTL_SECS / 60;

#[component]
pub fn MovePhonePage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Page title_id="Pindah ke ponsel baru" title_en="Moving to a new phone" back="/pengaturan">
            <section class="card">
                <ol class="steps" data-testid="move-steps">
                    <li>{move || i18n.t(
                        "Di ponsel baru, buka IKD Web saat online dan pilih Masuk. Masuk dengan NIK atau email dan kata sandi Anda.",
                        "On the new phone, open IKD Web while online and choose Log in. Log in with your NIK or email and your password.",
                    )}</li>
                    <li>{move || i18n.t(
                        "Aplikasi bertanya \"Ganti perangkat?\". Pilih \"Ya, gunakan perangkat ini\": kode dikirim ke email akun Anda.",
                        "The app asks \"Replace your device?\". Choose \"Yes, use this device\": a code is sent to your account's email.",
                    )}</li>
                    <li>{move || i18n.pick(
                        format!("Masukkan kode dari email di ponsel baru (berlaku {MINUTES} menit). Baru saat itu KTP digital dan QR di ponsel lama dicabut dan masuk daftar pencabutan yang diperiksa verifikator; aplikasi menyatakan \"Ponsel lama sudah dicabut\"."),
                        format!("Enter the code from the email on the new phone (it lasts {MINUTES} minutes). Only then are the digital KTP and QRs on the old phone revoked and put on the revocation list verifiers check; the app says \"Your old phone has been revoked\"."),
                    )}</li>
                    <li>{move || i18n.t(
                        "Buat PIN baru di ponsel baru. KTP digital diunduh ulang dengan kunci perangkat baru.",
                        "Create a new PIN on the new phone. The digital KTP is downloaded anew with new device keys.",
                    )}</li>
                    <li>{move || i18n.t(
                        "Ponsel lama, saat dibuka online lagi, menyatakan kartu sudah dipindahkan ke ponsel lain dan tanggalnya, lalu menghapus salinannya.",
                        "The old phone, when next opened online, says the card was moved to another phone and when, and removes its copy.",
                    )}</li>
                </ol>
                <p>{move || i18n.t(
                    "Ponsel lama hilang atau dicuri? Cabut dari sini tanpa ponsel baru:",
                    "Old phone lost or stolen? Revoke it from here without a new phone:",
                )}</p>
                <a class="button secondary" href="/ponsel-hilang">{move || i18n.t("Ponsel hilang?", "Lost your phone?")}</a>
            </section>
        </Page>
    }
}
