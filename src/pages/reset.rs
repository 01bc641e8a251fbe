//! Lupa kata sandi: ask for a reset link (same answer whether or not the account exists),
//! then, from the emailed link, set a new password.

use ikd_core::citizen_api::{PasswordResetConfirm, PasswordResetRequest};
use leptos::prelude::*;

use crate::api::{self, ApiProblem};
use crate::components::page::Page;
use crate::components::problem::ProblemText;
use crate::i18n::use_i18n;

#[component]
pub fn ResetPage() -> impl IntoView {
    let i18n = use_i18n();
    let token = crate::browser::take_link_secret("token");
    let identifier = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let notice = RwSignal::new(None::<(String, String)>);
    let problem = RwSignal::new(None::<ApiProblem>);
    let has_token = token.is_some();
    let token = StoredValue::new(token.unwrap_or_default());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        problem.set(None);
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = if has_token {
                api::confirm_reset(&PasswordResetConfirm {
                    token: token.get_value(),
                    new_password: password.get_untracked(),
                })
                .await
            } else {
                match api::solved_captcha(|_| {}).await {
                    Ok(captcha) => {
                        api::request_reset(&PasswordResetRequest {
                            identifier: identifier.get_untracked(),
                            captcha,
                        })
                        .await
                    }
                    Err(err) => Err(err),
                }
            };
            busy.set(false);
            match result {
                Ok(done) => notice.set(Some((done.message, done.message_en))),
                Err(err) => problem.set(Some(err)),
            }
        });
    };
    view! {
        <Page title_id="Lupa kata sandi" title_en="Forgot password" back="/masuk">
            <form class="card form" on:submit=submit>
                {if has_token {
                    view! {
                        <label for="new-password">{move || i18n.t("Kata sandi baru", "New password")}</label>
                        <input id="new-password" type="password" autocomplete="new-password" bind:value=password />
                    }.into_any()
                } else {
                    view! {
                        <label for="identifier">{move || i18n.t("NIK atau email", "NIK or email")}</label>
                        <input id="identifier" autocomplete="username" bind:value=identifier />
                    }.into_any()
                }}
                {move || notice.get().map(|(id, en)| view! { <p class="ok" role="status">{i18n.pick(id, en)}</p> })}
                {move || problem.get().map(|p| view! { <ProblemText problem=p /> })}
                <button type="submit" class="primary" disabled=move || busy.get()>{move || i18n.t("Kirim", "Send")}</button>
            </form>
        </Page>
    }
}
