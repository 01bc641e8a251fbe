//! Masuk: an officer logs in with username and password. Shown on any route while there is no
//! session, so a 401 anywhere lands here and the same page returns after logging in. After
//! repeated failures for the username from browsers the service does not know, it asks for a
//! solved captcha (`captcha-required`): the console solves one and tries again.

use ikd_core::console_api::OfficerLogin;
use leptos::prelude::*;

use crate::api::{self, ApiProblem};
use crate::components::frame::DemoFooter;
use crate::components::problem::ProblemText;
use crate::state::use_session;

#[component]
pub fn LoginPage(
    /// Why the session could not be checked, if the service was unreachable.
    problem: Option<ApiProblem>,
) -> impl IntoView {
    let session = use_session();
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let problem = RwSignal::new(problem);
    crate::browser::set_title("Masuk");

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
                Ok(officer) => session.officer.set(Some(officer)),
                Err(failure) => problem.set(Some(failure)),
            }
        });
    };

    view! {
        <header class="topbar">
            <span class="brand">"IKD Petugas"<span class="brand-sub">"Konsol Dukcapil"</span></span>
        </header>
        <main id="main" class="main login">
            <h1>"Masuk petugas"</h1>
            <p>"Konsol untuk memeriksa wajah pendaftar IKD, menyetujui pendaftaran, dan memantau capaian."</p>
            <form class="card form" on:submit=submit>
                <label for="username">"Nama pengguna"</label>
                <input id="username" name="username" autocomplete="username" required=true bind:value=username />
                <label for="password">"Kata sandi"</label>
                <input id="password" name="password" type="password" autocomplete="current-password" required=true bind:value=password />
                {move || problem.get().map(|p| view! { <ProblemText problem=p /> })}
                <button type="submit" class="primary" disabled=move || busy.get()>
                    {move || if busy.get() { "Memeriksa…" } else { "Masuk" }}
                </button>
            </form>
        </main>
        <DemoFooter />
    }
}
