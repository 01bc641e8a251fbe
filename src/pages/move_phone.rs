//! Pindah ke ponsel baru: what moving to a new phone takes and what it does to the old one,
//! step by step. Nothing is sent from here: the steps happen on the new phone's login, which
//! revokes the old phone's QRs (one active device per account).

use leptos::prelude::*;

use crate::components::page::Page;
use crate::i18n::use_i18n;

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
                        "Aplikasi bertanya \"Ganti perangkat?\". Pilih \"Ya, gunakan perangkat ini\": KTP digital dan QR di ponsel lama langsung dicabut dan masuk daftar pencabutan yang diperiksa verifikator.",
                        "The app asks \"Replace your device?\". Choose \"Yes, use this device\": the digital KTP and QRs on the old phone are revoked at once and put on the revocation list verifiers check.",
                    )}</li>
                    <li>{move || i18n.t(
                        "Buat PIN baru di ponsel baru. KTP digital diunduh ulang dengan kunci perangkat baru.",
                        "Create a new PIN on the new phone. The digital KTP is downloaded anew with new device keys.",
                    )}</li>
                    <li>{move || i18n.t(
                        "Ponsel lama, saat online lagi, memberi tahu bahwa sesinya berakhir dan QR-nya dicabut. Hapus orang ini dari ponsel lama di Pengaturan.",
                        "The old phone, when next online, says its session ended and its QRs were revoked. Remove this person from the old phone in Settings.",
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
