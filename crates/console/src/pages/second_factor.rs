//! Langkah kedua (the second login step, issue 15): after the password, a passkey, a code from
//! an authenticator app or a recovery code. An officer with no factor yet enrols one here and
//! is then shown ten recovery codes, once.

use ikd_core::second_factor_api::{LoggedIn, LoginStep, TotpEnrolment};
use leptos::prelude::*;

use crate::api::{self, ApiProblem};
use crate::components::desk_qr::qr_svg;
use crate::components::problem::ProblemText;
use crate::i18n::{LangSwitch, use_i18n};
use crate::passkey;

#[component]
pub fn SecondFactorStep(
    step: LoginStep,
    /// The session has started.
    on_done: Callback<LoggedIn>,
    /// Back to the password (the step expired, or the officer chose to).
    on_back: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let busy = RwSignal::new(false);
    let problem = RwSignal::new(None::<ApiProblem>);
    let local_problem = RwSignal::new(None::<passkey::PasskeyFailure>);
    let enrolment = RwSignal::new(None::<TotpEnrolment>);
    let code = RwSignal::new(String::new());
    let recovery = RwSignal::new(String::new());
    let here = passkey::page_origin();
    let passkey_here = step.passkey_origin.as_deref() == Some(here.as_str());
    let passkey_elsewhere = step.passkey_origin.clone().filter(|o| *o != here);
    let must_enrol = step.must_enrol;
    let offer_passkey = passkey_here && (must_enrol || step.passkeys > 0);
    let offer_totp = step.totp;
    let codes_left = step.recovery_codes_left;

    let finish = move |result: Result<LoggedIn, ApiProblem>| {
        busy.set(false);
        match result {
            Ok(done) => on_done.run(done),
            Err(err) if err.code() == Some("login-step-required") => on_back.run(()),
            Err(err) => problem.set(Some(err)),
        }
    };
    let start = move || {
        if busy.get_untracked() {
            return false;
        }
        problem.set(None);
        local_problem.set(None);
        busy.set(true);
        true
    };

    let use_passkey = move |_| {
        if !start() {
            return;
        }
        leptos::task::spawn_local(async move {
            let challenge = match api::passkey_challenge().await {
                Ok(challenge) => challenge,
                Err(err) => return finish(Err(err)),
            };
            match passkey::answer(&challenge).await {
                Ok(answer) => finish(api::with_passkey(&answer).await),
                Err(failure) => {
                    busy.set(false);
                    local_problem.set(Some(failure));
                }
            }
        });
    };
    let start_totp = move |_| {
        if !start() {
            return;
        }
        leptos::task::spawn_local(async move {
            let result = api::totp_enrolment().await;
            busy.set(false);
            match result {
                Ok(secret) => enrolment.set(Some(secret)),
                Err(err) => problem.set(Some(err)),
            }
        });
    };
    let submit_code = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !start() {
            return;
        }
        let typed = code.get_untracked();
        leptos::task::spawn_local(async move { finish(api::with_totp(&typed).await) });
    };
    let submit_recovery = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !start() {
            return;
        }
        let typed = recovery.get_untracked();
        leptos::task::spawn_local(async move { finish(api::with_recovery_code(&typed).await) });
    };

    let code_form = move || {
        view! {
            <form class="card form" on:submit=submit_code>
                <label for="totp-code">{move || i18n.t("Kode 6 angka dari aplikasi autentikator", "6-digit code from the authenticator app")}</label>
                <input id="totp-code" name="one-time-code" inputmode="numeric" autocomplete="one-time-code"
                    pattern="[0-9]{6}" maxlength="6" required=true bind:value=code />
                <button type="submit" class="primary" disabled=move || busy.get()>
                    {move || if must_enrol { i18n.t("Konfirmasi dan masuk", "Confirm and log in") } else { i18n.t("Lanjut", "Continue") }}
                </button>
            </form>
        }
    };

    view! {
        <header class="topbar">
            <span class="brand">"IKD Petugas"<span class="brand-sub">{move || i18n.t("Konsol Dukcapil", "Dukcapil console")}</span></span>
            <LangSwitch />
        </header>
        <main id="main" class="main login">
            <h1>{move || i18n.t("Langkah kedua", "Second step")}</h1>
            {if must_enrol {
                view! {
                    <p>{move || i18n.t(
                        "Akun petugas wajib memakai faktor kedua. Daftarkan passkey di perangkat ini, atau aplikasi autentikator di ponsel Anda.",
                        "Officer accounts need a second factor. Enrol a passkey on this device, or an authenticator app on your phone.",
                    )}</p>
                }.into_any()
            } else {
                view! { <p>{move || i18n.t("Buktikan bahwa ini Anda dengan faktor kedua.", "Confirm it is you with your second factor.")}</p> }.into_any()
            }}
            {offer_passkey.then(|| view! {
                <button type="button" class="primary" on:click=use_passkey disabled=move || busy.get()>
                    {move || if must_enrol { i18n.t("Daftarkan passkey", "Enrol a passkey") } else { i18n.t("Masuk dengan passkey", "Log in with a passkey") }}
                </button>
            })}
            {passkey_elsewhere.map(|origin| view! {
                <p class="hint">{move || i18n.t("Passkey hanya dapat dipakai di ", "Passkeys work only at ")}<a href=format!("{origin}/petugas/")>{origin.clone()}</a>"."</p>
            })}
            {(!passkey_here && step.passkey_origin.is_none()).then(|| view! {
                <p class="hint">{move || i18n.t(
                    "Alamat layanan ini berupa alamat IP, jadi passkey tidak tersedia: pakai aplikasi autentikator.",
                    "This service is reached by an IP address, so passkeys are not available: use an authenticator app.",
                )}</p>
            })}
            {must_enrol.then(|| view! {
                {move || match enrolment.get() {
                    None => view! {
                        <button type="button" on:click=start_totp disabled=move || busy.get()>
                            {move || i18n.t("Pakai aplikasi autentikator", "Use an authenticator app")}
                        </button>
                    }.into_any(),
                    Some(secret) => {
                        let qr = qr_svg(&secret.otpauth_uri).unwrap_or_default();
                        view! {
                            <section class="card" aria-labelledby="totp-title">
                                <h2 id="totp-title">{move || i18n.t("Aplikasi autentikator", "Authenticator app")}</h2>
                                <p>{move || i18n.t(
                                    "Pindai kode QR ini dengan aplikasi autentikator (Google Authenticator, Aegis, FreeOTP…), lalu ketik kode 6 angkanya.",
                                    "Scan this QR code with an authenticator app (Google Authenticator, Aegis, FreeOTP…), then type its 6-digit code.",
                                )}</p>
                                <div class="totp-qr" role="img" aria-label=move || i18n.t("Kode QR aplikasi autentikator", "Authenticator app QR code") inner_html=qr></div>
                                <p>{move || i18n.t("Atau ketik kunci ini di aplikasi: ", "Or enter this key in the app: ")}
                                    <code data-testid="totp-secret">{secret.secret.clone()}</code></p>
                            </section>
                            {code_form()}
                        }.into_any()
                    }
                }}
            })}
            {(!must_enrol && offer_totp).then(code_form)}
            {move || local_problem.get().map(|failure| view! { <p class="problem" role="alert">{move || failure.message(i18n.en())}</p> })}
            {move || problem.get().map(|p| view! { <ProblemText problem=p /> })}
            {(!must_enrol && step.recovery_codes_left > 0).then(|| view! {
                <details class="card">
                    <summary>{move || i18n.t("Pakai kode pemulihan", "Use a recovery code")}</summary>
                    <form class="form" on:submit=submit_recovery>
                        <label for="recovery-code">{move || i18n.t("Kode pemulihan", "Recovery code")}</label>
                        <input id="recovery-code" autocomplete="off" autocapitalize="characters" required=true bind:value=recovery />
                        <button type="submit" disabled=move || busy.get()>{move || i18n.t("Masuk dengan kode pemulihan", "Log in with a recovery code")}</button>
                    </form>
                    <p class="hint">{move || if i18n.en() {
                        format!("{codes_left} codes left. Lost them all? Ask your region's admin to reset your second factor.")
                    } else {
                        format!("Tersisa {codes_left} kode. Kehilangan semuanya? Minta admin wilayah mengatur ulang faktor kedua Anda.")
                    }}</p>
                </details>
            })}
            <button type="button" class="link" on:click=move |_| on_back.run(())>{move || i18n.t("Kembali ke kata sandi", "Back to the password")}</button>
        </main>
    }
}

/// The recovery codes of a first enrolment, shown once.
#[component]
pub fn RecoveryCodes(codes: Vec<String>, on_saved: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <header class="topbar">
            <span class="brand">"IKD Petugas"<span class="brand-sub">{move || i18n.t("Konsol Dukcapil", "Dukcapil console")}</span></span>
            <LangSwitch />
        </header>
        <main id="main" class="main login">
            <h1>{move || i18n.t("Simpan kode pemulihan", "Save your recovery codes")}</h1>
            <p>{move || i18n.t(
                "Jika ponsel atau passkey Anda hilang, masuk dengan salah satu kode ini. Setiap kode berlaku sekali, dan kode ini tidak akan ditampilkan lagi: cetak atau salin ke tempat aman.",
                "If you lose your phone or passkey, log in with one of these codes. Each code works once, and they will not be shown again: print or copy them somewhere safe.",
            )}</p>
            <ol class="card recovery-codes" data-testid="recovery-codes">
                {codes.into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}
            </ol>
            <button type="button" class="primary" on:click=move |_| on_saved.run(())>
                {move || i18n.t("Saya sudah menyimpan kode ini", "I have saved these codes")}
            </button>
        </main>
    }
}
