//! Langkah kedua (the second login step, issue 15): after the password, a passkey, a code from
//! an authenticator app or a recovery code. An officer with no factor yet enrols one here and
//! is then shown ten recovery codes, once.

use ikd_core::second_factor_api::{LoggedIn, LoginStep, TotpEnrolment};
use leptos::prelude::*;

use crate::api::{self, ApiProblem};
use crate::components::desk_qr::qr_svg;
use crate::components::problem::ProblemText;
use crate::passkey;

#[component]
pub fn SecondFactorStep(
    step: LoginStep,
    /// The session has started.
    on_done: Callback<LoggedIn>,
    /// Back to the password (the step expired, or the officer chose to).
    on_back: Callback<()>,
) -> impl IntoView {
    let busy = RwSignal::new(false);
    let problem = RwSignal::new(None::<ApiProblem>);
    let local_problem = RwSignal::new(None::<&'static str>);
    let enrolment = RwSignal::new(None::<TotpEnrolment>);
    let code = RwSignal::new(String::new());
    let recovery = RwSignal::new(String::new());
    let here = passkey::page_origin();
    let passkey_here = step.passkey_origin.as_deref() == Some(here.as_str());
    let passkey_elsewhere = step.passkey_origin.clone().filter(|o| *o != here);
    let must_enrol = step.must_enrol;
    let offer_passkey = passkey_here && (must_enrol || step.passkeys > 0);
    let offer_totp = step.totp;

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
                    local_problem.set(Some(failure.message()));
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
                <label for="totp-code">"Kode 6 angka dari aplikasi autentikator (6-digit code)"</label>
                <input id="totp-code" name="one-time-code" inputmode="numeric" autocomplete="one-time-code"
                    pattern="[0-9]{6}" maxlength="6" required=true bind:value=code />
                <button type="submit" class="primary" disabled=move || busy.get()>
                    {if must_enrol { "Konfirmasi dan masuk" } else { "Lanjut" }}
                </button>
            </form>
        }
    };

    view! {
        <header class="topbar">
            <span class="brand">"IKD Petugas"<span class="brand-sub">"Konsol Dukcapil"</span></span>
        </header>
        <main id="main" class="main login">
            <h1>"Langkah kedua"</h1>
            {if must_enrol {
                view! {
                    <p>"Akun petugas wajib memakai faktor kedua. Daftarkan passkey di perangkat ini, atau aplikasi autentikator di ponsel Anda. (Officer accounts need a second factor: enrol a passkey or an authenticator app.)"</p>
                }.into_any()
            } else {
                view! { <p>"Buktikan bahwa ini Anda dengan faktor kedua. (Confirm it is you with your second factor.)"</p> }.into_any()
            }}
            {offer_passkey.then(|| view! {
                <button type="button" class="primary" on:click=use_passkey disabled=move || busy.get()>
                    {if must_enrol { "Daftarkan passkey" } else { "Masuk dengan passkey" }}
                </button>
            })}
            {passkey_elsewhere.map(|origin| view! {
                <p class="hint">"Passkey hanya dapat dipakai di "<a href=format!("{origin}/petugas/")>{origin.clone()}</a>" (passkeys work only at that address)."</p>
            })}
            {(!passkey_here && step.passkey_origin.is_none()).then(|| view! {
                <p class="hint">"Alamat layanan ini berupa alamat IP, jadi passkey tidak tersedia: pakai aplikasi autentikator. (No passkeys on an IP address.)"</p>
            })}
            {must_enrol.then(|| view! {
                {move || match enrolment.get() {
                    None => view! {
                        <button type="button" on:click=start_totp disabled=move || busy.get()>
                            "Pakai aplikasi autentikator"
                        </button>
                    }.into_any(),
                    Some(secret) => {
                        let qr = qr_svg(&secret.otpauth_uri).unwrap_or_default();
                        view! {
                            <section class="card" aria-labelledby="totp-title">
                                <h2 id="totp-title">"Aplikasi autentikator"</h2>
                                <p>"Pindai kode QR ini dengan aplikasi autentikator (Google Authenticator, Aegis, FreeOTP…), lalu ketik kode 6 angkanya. (Scan this with your authenticator app, then type its 6-digit code.)"</p>
                                <div class="totp-qr" role="img" aria-label="Kode QR aplikasi autentikator" inner_html=qr></div>
                                <p>"Atau ketik kunci ini di aplikasi (or enter this key): "
                                    <code data-testid="totp-secret">{secret.secret.clone()}</code></p>
                            </section>
                            {code_form()}
                        }.into_any()
                    }
                }}
            })}
            {(!must_enrol && offer_totp).then(code_form)}
            {move || local_problem.get().map(|text| view! { <p class="problem" role="alert">{text}</p> })}
            {move || problem.get().map(|p| view! { <ProblemText problem=p /> })}
            {(!must_enrol && step.recovery_codes_left > 0).then(|| view! {
                <details class="card">
                    <summary>"Pakai kode pemulihan (use a recovery code)"</summary>
                    <form class="form" on:submit=submit_recovery>
                        <label for="recovery-code">"Kode pemulihan"</label>
                        <input id="recovery-code" autocomplete="off" autocapitalize="characters" required=true bind:value=recovery />
                        <button type="submit" disabled=move || busy.get()>"Masuk dengan kode pemulihan"</button>
                    </form>
                    <p class="hint">{format!("Tersisa {} kode. Kehilangan semuanya? Minta admin wilayah mengatur ulang faktor kedua Anda.", step.recovery_codes_left)}</p>
                </details>
            })}
            <button type="button" class="link" on:click=move |_| on_back.run(())>"Kembali ke kata sandi"</button>
        </main>
    }
}

/// The recovery codes of a first enrolment, shown once.
#[component]
pub fn RecoveryCodes(codes: Vec<String>, on_saved: Callback<()>) -> impl IntoView {
    view! {
        <header class="topbar">
            <span class="brand">"IKD Petugas"<span class="brand-sub">"Konsol Dukcapil"</span></span>
        </header>
        <main id="main" class="main login">
            <h1>"Simpan kode pemulihan"</h1>
            <p>"Jika ponsel atau passkey Anda hilang, masuk dengan salah satu kode ini. Setiap kode berlaku sekali, dan kode ini tidak akan ditampilkan lagi: cetak atau salin ke tempat aman. (Each code works once and is shown only now: print or copy them somewhere safe.)"</p>
            <ol class="card recovery-codes" data-testid="recovery-codes">
                {codes.into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}
            </ol>
            <button type="button" class="primary" on:click=move |_| on_saved.run(())>
                "Saya sudah menyimpan kode ini"
            </button>
        </main>
    }
}
