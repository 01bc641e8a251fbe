//! Tutup akun: first what closing deletes and what the law keeps, in plain words, then the
//! password (a borrowed unlocked phone must not be enough); on success this phone's copy is
//! wiped and the screen says the account is closed and how to start again.

use leptos::prelude::*;

use crate::api::{self, ApiProblem};
use crate::components::page::Page;
use crate::components::problem::ProblemText;
use crate::i18n::use_i18n;
use crate::state::use_app;

/// What closing deletes, and what is kept and why: (Bahasa Indonesia, English).
pub const DELETED: [(&str, &str); 6] = [
    ("Email dan nomor HP Anda", "Your email and phone number"),
    ("Kata sandi Anda", "Your password"),
    ("Swafoto pendaftaran Anda", "Your registration selfie"),
    (
        "Semua sesi masuk: Anda keluar di semua perangkat",
        "Every session: you are logged out everywhere",
    ),
    (
        "Semua kredensial dan QR dicabut dan masuk daftar pencabutan",
        "Every credential and QR is revoked and put on the revocation list",
    ),
    (
        "Semua izin akses data dicabut: tidak ada instansi yang dapat membaca data Anda lagi",
        "Every consent is revoked: no institution can read your data any more",
    ),
];

pub const KEPT: [(&str, &str); 2] = [
    (
        "Jejak audit keputusan petugas atas pendaftaran Anda (siapa menyetujui atau menolak, kapan, dan alasannya) tetap disimpan, karena diwajibkan oleh hukum.",
        "The audit trail of officers' decisions on your registration (who approved or rejected it, when and why) is kept, because the law requires it.",
    ),
    (
        "Data kependudukan Anda di SIAK (KTP, KK) bukan milik aplikasi ini melainkan catatan negara; menutup akun tidak mengubahnya. Untuk perubahan data itu, datangi Dukcapil.",
        "Your population record in SIAK (KTP, KK) is the state's record, not this app's; closing the account does not change it. To change that record, visit Dukcapil.",
    ),
];

#[component]
pub fn AccountClosePage() -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let password = RwSignal::new(String::new());
    let understood = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let problem = RwSignal::new(None::<ApiProblem>);
    let closed = RwSignal::new(None::<(String, String)>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !understood.get_untracked() {
            return;
        }
        busy.set(true);
        problem.set(None);
        leptos::task::spawn_local(async move {
            match api::close_account(&password.get_untracked()).await {
                Ok(notice) => {
                    crate::sync::wipe_this_phone(app).await;
                    crate::pending_registration::PendingRegistration::clear();
                    password.try_set(String::new());
                    closed.try_set(Some((notice.message, notice.message_en)));
                }
                Err(err) => {
                    problem.try_set(Some(err));
                }
            }
            busy.try_set(false);
        });
    };
    view! {
        <Page title_id="Tutup akun" title_en="Close account" back="/akun">
            <Show when=move || closed.get().is_none() fallback=move || view! {
                <section class="card success" role="status" data-testid="account-closed">
                    <h2>{move || i18n.t("Akun ditutup", "Account closed")}</h2>
                    {move || closed.get().map(|(id, en)| view! { <p>{i18n.pick(id, en)}</p> })}
                    <p>{move || i18n.t(
                        "KTP digital sudah dihapus dari perangkat ini. Untuk memakai IKD lagi, daftar ulang di loket Dukcapil.",
                        "The digital KTP has been wiped from this device. To use IKD again, register again at a Dukcapil desk.",
                    )}</p>
                    <a class="button primary" href="/">{move || i18n.t("Ke beranda", "Go home")}</a>
                </section>
            }>
                <section class="card warning" aria-labelledby="close-deleted">
                    <h2 id="close-deleted">{move || i18n.t("Yang dihapus", "What is deleted")}</h2>
                    <ul class="deleted">
                        {DELETED.iter().map(|(id, en)| view! { <li>{move || i18n.t(id, en)}</li> }).collect_view()}
                    </ul>
                    <h2>{move || i18n.t("Yang tetap disimpan, dan alasannya", "What is kept, and why")}</h2>
                    <ul class="kept">
                        {KEPT.iter().map(|(id, en)| view! { <li>{move || i18n.t(id, en)}</li> }).collect_view()}
                    </ul>
                    <p>{move || i18n.t(
                        "Sebelum menutup, Anda dapat mengunduh salinan data Anda di halaman Akun.",
                        "Before closing, you can download a copy of your data on the Account page.",
                    )}</p>
                </section>
                <form class="card form" on:submit=submit novalidate=true>
                    <label class="check">
                        <input type="checkbox" prop:checked=move || understood.get() on:change=move |ev| understood.set(event_target_checked(&ev)) />
                        <span>{move || i18n.t("Saya mengerti bahwa ini tidak dapat dibatalkan.", "I understand this cannot be undone.")}</span>
                    </label>
                    <label for="close-password">{move || i18n.t("Kata sandi", "Password")}</label>
                    <input id="close-password" type="password" autocomplete="current-password" bind:value=password />
                    {move || problem.get().map(|p| view! { <ProblemText problem=p /> })}
                    <button type="submit" class="danger" disabled=move || busy.get() || !understood.get()>{move || i18n.t("Tutup akun saya", "Close my account")}</button>
                </form>
            </Show>
        </Page>
    }
}
