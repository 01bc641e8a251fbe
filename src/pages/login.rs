//! Masuk: NIK or email and password. If the account is active on another phone, the app says
//! what will happen and asks before moving here; moving then takes the code the service
//! emails to the account's address, and only that code revokes the old phone. When strangers have been guessing this
//! account's password, the service asks browsers it does not know for a solved captcha
//! (`captcha-required`); the app solves one and tries again, so the person only waits.

use ikd_core::captcha::Solution;
use ikd_core::citizen_api::{DeviceMoveStarted, LoginRequest};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::api::{self, ApiProblem, LoginAnswer};
use crate::components::captcha_progress::CaptchaProgress;
use crate::components::page::Page;
use crate::components::problem::ProblemText;
use crate::i18n::use_i18n;
use crate::state::use_app;
use crate::sync::{self, SyncOutcome};

#[component]
pub fn LoginPage() -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let navigate = use_navigate();
    let identifier = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let problem = RwSignal::new(None::<ApiProblem>);
    let confirm_replace = RwSignal::new(false);
    let progress = RwSignal::new(None::<u32>);
    // Moving from another phone: the service emailed a code (the step is an HttpOnly cookie).
    let move_started = RwSignal::new(None::<DeviceMoveStarted>);
    let move_code = RwSignal::new(String::new());
    let moving = move || move_started.with(Option::is_some);
    // The person this login is for: the one "Lupa PIN?" renews, otherwise a new one; kept
    // across a retry, so their device id stays the same.
    let target = StoredValue::new(None::<String>);

    let attempt = move |replace_device: bool| {
        let navigate = navigate.clone();
        problem.set(None);
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = async {
                let profile = match target.get_value() {
                    Some(profile) => profile,
                    None => {
                        let profile = app.login_profile()?;
                        target.set_value(Some(profile.clone()));
                        profile
                    }
                };
                let request = |captcha: Option<Solution>| -> Result<LoginRequest, ApiProblem> {
                    Ok(LoginRequest {
                        identifier: identifier.get_untracked().trim().to_owned(),
                        password: password.get_untracked(),
                        device_id: crate::browser::device_id(&profile)?,
                        replace_device,
                        captcha,
                    })
                };
                let answer = match api::login(&request(None)?).await {
                    Err(err) if err.code() == Some("captcha-required") => {
                        progress.set(Some(0));
                        let captcha = api::solved_captcha(|p| progress.set(Some(p))).await;
                        progress.set(None);
                        api::login(&request(Some(captcha?))?).await?
                    }
                    other => other?,
                };
                if let LoginAnswer::MoveCodeSent(started) = answer {
                    move_code.set(String::new());
                    move_started.set(Some(started));
                    return Ok(None);
                }
                sync::login_done();
                sync::fetch_bundle(app, profile.clone()).await.map(Some)
            }
            .await;
            busy.set(false);
            match result {
                Ok(None) => {}
                Ok(Some(SyncOutcome::NeedsPin)) => navigate("/pin/baru", Default::default()),
                Ok(Some(SyncOutcome::Stored)) => navigate("/", Default::default()),
                Err(err) if err.code() == Some("device-change-required") => {
                    confirm_replace.set(true)
                }
                Err(err) => problem.set(Some(err)),
            }
        });
    };
    let attempt_again = attempt.clone();
    let confirm_move = {
        let navigate = use_navigate();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let Some(profile) = target.get_value() else {
                return;
            };
            let navigate = navigate.clone();
            problem.set(None);
            busy.set(true);
            leptos::task::spawn_local(async move {
                let result = async {
                    let info = api::confirm_move(&move_code.get_untracked()).await?;
                    sync::login_done();
                    let outcome = sync::fetch_bundle(app, profile).await?;
                    Ok::<_, ApiProblem>((info.replaced_device, outcome))
                }
                .await;
                busy.set(false);
                match result {
                    Ok((replaced, outcome)) => {
                        app.old_phone_revoked.set(replaced);
                        move_started.set(None);
                        match outcome {
                            SyncOutcome::NeedsPin => navigate("/pin/baru", Default::default()),
                            SyncOutcome::Stored => navigate("/", Default::default()),
                        }
                    }
                    Err(err) => {
                        // A burnt or expired step: back to the password for a new code.
                        if err.code() == Some("device-move-ended") {
                            move_started.set(None);
                        }
                        problem.set(Some(err));
                    }
                }
            });
        }
    };

    view! {
        <Page title_id="Masuk" title_en="Log in" back="/">
            <Show when=move || app.relogin.with_value(Option::is_some)>
                <p class="card" role="status" data-testid="forgot-pin-login">{move || i18n.t(
                    "Lupa PIN: masuk lagi dengan kata sandi (perlu internet), lalu buat PIN baru. KTP digital Anda diunduh ulang dan QR lama di perangkat ini diganti.",
                    "Forgot PIN: log in again with your password (needs the internet), then create a new PIN. Your digital KTP is downloaded anew and this device's old QRs are replaced.",
                )}</p>
            </Show>
            <form class="card form" hidden=moving on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); attempt(false); } novalidate=true>
                <label for="identifier">{move || i18n.t("NIK atau email", "NIK or email")}</label>
                <input id="identifier" name="identifier" autocomplete="username" bind:value=identifier />
                <label for="password">{move || i18n.t("Kata sandi", "Password")}</label>
                <input id="password" name="password" type="password" autocomplete="current-password" bind:value=password />
                {move || problem.get().filter(|_| !moving()).map(|p| {
                    let closed = p.code() == Some("account-closed");
                    view! {
                        <ProblemText problem=p />
                        {closed.then(|| view! { <AccountClosedHelp /> })}
                    }
                })}
                <CaptchaProgress progress />
                <button type="submit" class="primary" disabled=move || busy.get()>{move || i18n.t("Masuk", "Log in")}</button>
                <a href="/lupa-sandi">{move || i18n.t("Lupa kata sandi?", "Forgot your password?")}</a>
                <a href="/ponsel-hilang">{move || i18n.t("Ponsel hilang?", "Lost your phone?")}</a>
            </form>
            <form class="card form" hidden=move || !moving() on:submit=confirm_move data-testid="move-code" novalidate=true>
                <h2>{move || i18n.t("Pindah ke ponsel ini", "Move to this phone")}</h2>
                <p role="status">{move || move_started.get().map(|started| i18n.pick(started.message, started.message_en))}</p>
                <label for="move-code">{move || i18n.t("Kode dari email", "Code from the email")}</label>
                <input id="move-code" name="move-code" autocomplete="one-time-code" autocapitalize="characters" spellcheck="false" bind:value=move_code />
                {move || problem.get().filter(|_| moving()).map(|p| view! { <ProblemText problem=p /> })}
                <button type="submit" class="primary" disabled=move || busy.get()>{move || i18n.t("Pindahkan ke ponsel ini", "Move to this phone")}</button>
                <button type="button" class="secondary" on:click=move |_| { move_started.set(None); problem.set(None); }>{move || i18n.t("Batal", "Cancel")}</button>
            </form>
            <Show when=move || confirm_replace.get()>
                <section class="card warning" role="alertdialog" aria-labelledby="replace-title">
                    <h2 id="replace-title">{move || i18n.t("Ganti perangkat?", "Replace your device?")}</h2>
                    <p>{move || i18n.t(
                        "Akun Anda aktif di perangkat lain. Jika lanjut, kode dikirim ke email akun Anda; setelah kode dimasukkan di sini, KTP digital dan QR di perangkat lama dicabut dan tidak berlaku lagi.",
                        "Your account is active on another device. If you continue, a code is sent to your account's email; once you enter it here, the digital KTP and QR on the old device are revoked.",
                    )}</p>
                    <button class="primary" on:click={
                        let attempt_again = attempt_again.clone();
                        move |_| { confirm_replace.set(false); attempt_again(true); }
                    }>{move || i18n.t("Ya, gunakan perangkat ini", "Yes, use this device")}</button>
                    <button class="secondary" on:click=move |_| confirm_replace.set(false)>{move || i18n.t("Batal", "Cancel")}</button>
                </section>
            </Show>
        </Page>
    }
}

/// Under a login refused with `account-closed`: what that means and how to start again.
#[component]
fn AccountClosedHelp() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="card warning" data-testid="account-closed-help">
            <p>{move || i18n.t(
                "Akun untuk NIK ini sudah ditutup atas permintaan pemiliknya: data akunnya dihapus dan QR-nya dicabut. Untuk memakai IKD lagi, daftar ulang di loket Dukcapil.",
                "The account for this NIK was closed at its owner's request: its data was deleted and its QRs revoked. To use IKD again, register again at a Dukcapil desk.",
            )}</p>
            <a class="button secondary" href="/daftar">{move || i18n.t("Daftar di loket Dukcapil", "Register at a Dukcapil desk")}</a>
        </div>
    }
}
