//! Ponsel hilang (from any browser, no session): NIK and password, then the code the service
//! emails to the account's address; confirming revokes the lost phone's credentials (its
//! QRs go on the revocation list). It does not log in nor activate this browser.

use ikd_core::account_api::{LostPhoneConfirm, LostPhoneRequest};
use leptos::prelude::*;

use crate::api::{self, ApiProblem};
use crate::components::page::Page;
use crate::components::problem::ProblemText;
use crate::i18n::use_i18n;

#[component]
pub fn LostPhonePage() -> impl IntoView {
    let i18n = use_i18n();
    let nik = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let asked = RwSignal::new(None::<(String, String)>);
    let done = RwSignal::new(None::<(String, String)>);
    let busy = RwSignal::new(false);
    let problem = RwSignal::new(None::<ApiProblem>);
    let ask = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        problem.set(None);
        leptos::task::spawn_local(async move {
            let request = LostPhoneRequest {
                nik: nik.get_untracked().trim().to_owned(),
                password: password.get_untracked(),
            };
            match api::report_lost_phone(&request).await {
                Ok(notice) => {
                    password.try_set(String::new());
                    asked.try_set(Some((notice.message, notice.message_en)));
                }
                Err(err) => {
                    problem.try_set(Some(err));
                }
            }
            busy.try_set(false);
        });
    };
    let confirm = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        problem.set(None);
        leptos::task::spawn_local(async move {
            let request = LostPhoneConfirm {
                nik: nik.get_untracked().trim().to_owned(),
                code: code.get_untracked().trim().to_owned(),
            };
            match api::confirm_lost_phone(&request).await {
                Ok(notice) => {
                    done.try_set(Some((notice.message, notice.message_en)));
                }
                Err(err) => {
                    problem.try_set(Some(err));
                }
            }
            busy.try_set(false);
        });
    };
    view! {
        <Page title_id="Ponsel hilang" title_en="Lost phone" back="/masuk">
            <section class="card warning">
                <p>{move || i18n.t(
                    "Laporkan ponsel yang hilang atau dicuri dari peramban mana pun. KTP digital dan semua QR di ponsel itu dicabut dan tidak lagi diterima pemeriksa.",
                    "Report a lost or stolen phone from any browser. The digital KTP and every QR on that phone are revoked and no longer accepted by verifiers.",
                )}</p>
                <p><strong>{move || i18n.t(
                    "Ini tidak mengaktifkan peramban ini. Untuk memakai KTP digital di ponsel baru, masuk di ponsel baru itu.",
                    "This does not activate this browser. To use the digital KTP on a new phone, log in on that phone.",
                )}</strong></p>
            </section>
            {move || match (asked.get(), done.get()) {
                (_, Some((id, en))) => view! {
                    <section class="card success" role="status" data-testid="lost-phone-done">
                        <h2>{move || i18n.t("Ponsel lama dicabut", "The lost phone is revoked")}</h2>
                        <p>{i18n.pick(id, en)}</p>
                        <a class="button secondary" href="/">{move || i18n.t("Ke beranda", "Go home")}</a>
                    </section>
                }.into_any(),
                (Some((id, en)), None) => view! {
                    <form class="card form" on:submit=confirm novalidate=true>
                        <p role="status">{i18n.pick(id, en)}</p>
                        <label for="lost-code">{move || i18n.t("Kode dari email", "Code from the email")}</label>
                        <input id="lost-code" class="code" autocomplete="one-time-code" autocapitalize="characters" bind:value=code />
                        {move || problem.get().map(|p| view! { <ProblemText problem=p /> })}
                        <button type="submit" class="danger" disabled=move || busy.get()>{move || i18n.t("Cabut ponsel yang hilang", "Revoke the lost phone")}</button>
                    </form>
                }.into_any(),
                (None, None) => view! {
                    <form class="card form" on:submit=ask novalidate=true>
                        <label for="lost-nik">"NIK"</label>
                        <input id="lost-nik" inputmode="numeric" autocomplete="username" maxlength="16" bind:value=nik />
                        <label for="lost-password">{move || i18n.t("Kata sandi", "Password")}</label>
                        <input id="lost-password" type="password" autocomplete="current-password" bind:value=password />
                        <p class="muted">{move || i18n.t(
                            "Kode dikirim ke email akun Anda.",
                            "A code is sent to your account's email.",
                        )}</p>
                        {move || problem.get().map(|p| view! { <ProblemText problem=p /> })}
                        <button type="submit" class="primary" disabled=move || busy.get()>{move || i18n.t("Kirim kode", "Send the code")}</button>
                    </form>
                }.into_any(),
            }}
        </Page>
    }
}
