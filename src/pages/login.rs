//! Masuk: NIK or email and password. If the account is active on another phone, the app says
//! what will happen and asks before replacing it. When strangers have been guessing this
//! account's password, the service asks browsers it does not know for a solved captcha
//! (`captcha-required`); the app solves one and tries again, so the person only waits.

use ikd_core::captcha::Solution;
use ikd_core::citizen_api::LoginRequest;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::api::{self, ApiProblem};
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
                match api::login(&request(None)?).await {
                    Err(err) if err.code() == Some("captcha-required") => {
                        progress.set(Some(0));
                        let captcha = api::solved_captcha(|p| progress.set(Some(p))).await;
                        progress.set(None);
                        api::login(&request(Some(captcha?))?).await?;
                    }
                    other => {
                        other?;
                    }
                }
                sync::login_done();
                sync::fetch_bundle(app, profile.clone()).await
            }
            .await;
            busy.set(false);
            match result {
                Ok(SyncOutcome::NeedsPin) => navigate("/pin/baru", Default::default()),
                Ok(SyncOutcome::Stored) => navigate("/", Default::default()),
                Err(err) if err.code() == Some("device-change-required") => {
                    confirm_replace.set(true)
                }
                Err(err) => problem.set(Some(err)),
            }
        });
    };
    let attempt_again = attempt.clone();

    view! {
        <Page title_id="Masuk" title_en="Log in" back="/">
            <Show when=move || app.relogin.with_value(Option::is_some)>
                <p class="card" role="status" data-testid="forgot-pin-login">{move || i18n.t(
                    "Lupa PIN: masuk lagi dengan kata sandi (perlu internet), lalu buat PIN baru. KTP digital Anda diunduh ulang dan QR lama di perangkat ini diganti.",
                    "Forgot PIN: log in again with your password (needs the internet), then create a new PIN. Your digital KTP is downloaded anew and this device's old QRs are replaced.",
                )}</p>
            </Show>
            <form class="card form" on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); attempt(false); } novalidate=true>
                <label for="identifier">{move || i18n.t("NIK atau email", "NIK or email")}</label>
                <input id="identifier" name="identifier" autocomplete="username" bind:value=identifier />
                <label for="password">{move || i18n.t("Kata sandi", "Password")}</label>
                <input id="password" name="password" type="password" autocomplete="current-password" bind:value=password />
                {move || problem.get().map(|p| {
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
            <Show when=move || confirm_replace.get()>
                <section class="card warning" role="alertdialog" aria-labelledby="replace-title">
                    <h2 id="replace-title">{move || i18n.t("Ganti perangkat?", "Replace your device?")}</h2>
                    <p>{move || i18n.t(
                        "Akun Anda aktif di perangkat lain. Jika lanjut, KTP digital dan QR di perangkat lama dicabut dan tidak berlaku lagi.",
                        "Your account is active on another device. If you continue, the digital KTP and QR on the old device are revoked.",
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
