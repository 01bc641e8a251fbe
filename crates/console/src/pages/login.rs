//! Masuk: an officer logs in with username and password, then a second factor
//! ([`super::second_factor`]). Shown on any route while there is no session, so a 401
//! anywhere lands here and the same page returns after logging in. After repeated failures
//! for the username from browsers the service does not know, it asks for a solved captcha
//! (`captcha-required`): the console solves one and tries again.

use ikd_core::console_api::OfficerLogin;
use ikd_core::second_factor_api::{LoggedIn, LoginStep};
use leptos::prelude::*;

use super::second_factor::{RecoveryCodes, SecondFactorStep};

use crate::api::{self, ApiProblem};
use crate::components::frame::DemoFooter;
use crate::components::problem::ProblemText;
use crate::i18n::{LangSwitch, use_i18n};
use crate::state::use_session;

#[component]
pub fn LoginPage(
    /// Why the session could not be checked, if the service was unreachable.
    problem: Option<ApiProblem>,
) -> impl IntoView {
    let session = use_session();
    let i18n = use_i18n();
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let problem = RwSignal::new(problem);
    let step = RwSignal::new(None::<LoginStep>);
    let codes = RwSignal::new(None::<LoggedIn>);
    Effect::new(move |_| crate::browser::set_title(i18n.t("Masuk", "Log in")));
    // A reload between the password and the second factor resumes at the second step.
    leptos::task::spawn_local(async move {
        if let Ok(current) = api::login_step().await {
            step.set(Some(current));
        }
    });
    let on_done = Callback::new(move |done: LoggedIn| {
        if done.recovery_codes.is_empty() {
            session.officer.set(Some(done.officer));
        } else {
            codes.set(Some(done));
        }
    });
    let on_back = Callback::new(move |()| {
        step.set(None);
        password.set(String::new());
    });
    let on_saved = Callback::new(move |()| {
        if let Some(done) = codes.get_untracked() {
            session.officer.set(Some(done.officer));
        }
    });

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        problem.set(None);
        busy.set(true);
        let mut request = OfficerLogin {
            username: username.get_untracked().trim().to_owned(),
            password: password.get_untracked(),
            captcha: None,
        };
        leptos::task::spawn_local(async move {
            let result = match api::log_in(&request).await {
                Err(err) if err.code() == Some("captcha-required") => {
                    match ikd_browser::solved_captcha(|_| {}).await {
                        Ok(solution) => {
                            request.captcha = Some(solution);
                            api::log_in(&request).await
                        }
                        Err(err) => Err(err),
                    }
                }
                other => other,
            };
            busy.set(false);
            match result {
                Ok(next) => step.set(Some(next)),
                Err(failure) => problem.set(Some(failure)),
            }
        });
    };

    let password_form = move || {
        view! {
            <header class="topbar">
                <span class="brand">"IKD Petugas"<span class="brand-sub">{move || i18n.t("Konsol Dukcapil", "Dukcapil console")}</span></span>
                <LangSwitch />
            </header>
            <main id="main" class="main login">
                <h1>{move || i18n.t("Masuk petugas", "Officer login")}</h1>
                <p>{move || i18n.t(
                    "Konsol untuk memeriksa wajah pendaftar IKD, menyetujui pendaftaran, dan memantau capaian.",
                    "The console for checking the faces of IKD applicants, approving registrations and following progress.",
                )}</p>
                <form class="card form" on:submit=submit>
                    <label for="username">{move || i18n.t("Nama pengguna", "Username")}</label>
                    <input id="username" name="username" autocomplete="username" required=true bind:value=username />
                    <label for="password">{move || i18n.t("Kata sandi", "Password")}</label>
                    <input id="password" name="password" type="password" autocomplete="current-password" required=true bind:value=password />
                    {move || problem.get().map(|p| view! { <ProblemText problem=p /> })}
                    <button type="submit" class="primary" disabled=move || busy.get()>
                        {move || if busy.get() { i18n.t("Memeriksa…", "Checking…") } else { i18n.t("Masuk", "Log in") }}
                    </button>
                </form>
            </main>
        }
    };

    view! {
        {move || match (codes.get(), step.get()) {
            (Some(done), _) => view! { <RecoveryCodes codes=done.recovery_codes on_saved /> }.into_any(),
            (None, Some(current)) => view! { <SecondFactorStep step=current on_done on_back /> }.into_any(),
            (None, None) => password_form().into_any(),
        }}
        <DemoFooter />
    }
}
