//! Aktivasi: the code from the email (or its link, which fills it in), a new password with a
//! strength hint, the captcha; then the bundle comes down and the PIN is set.

use ikd_core::citizen_api::ActivationRequest;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::api::{self, ApiProblem};
use crate::components::captcha_progress::CaptchaProgress;
use crate::components::page::Page;
use crate::components::problem::{ProblemText, field_message};
use crate::i18n::{I18n, use_i18n};
use crate::state::use_app;
use crate::sync::{self, SyncOutcome};

/// A hint while typing a password; the service has the final word (common-password list).
pub fn strength_hint(password: &str, i18n: I18n) -> Option<(&'static str, String)> {
    if password.is_empty() {
        return None;
    }
    if let Err(err) = ikd_core::citizen_password::check(password, "") {
        return Some(("weak", i18n.pick(err.message_id(), err.message_en())));
    }
    let kinds = [
        password.chars().any(|c| c.is_lowercase()),
        password.chars().any(|c| c.is_uppercase()),
        password.chars().any(|c| c.is_ascii_digit()),
        password.chars().any(|c| !c.is_alphanumeric()),
    ]
    .iter()
    .filter(|k| **k)
    .count();
    let length = password.chars().count();
    let (strength, hint) = if length >= 16 || (length >= 12 && kinds >= 3) {
        ("strong", i18n.t("Kuat", "Strong"))
    } else if length >= 10 && kinds >= 2 {
        (
            "fair",
            i18n.t("Cukup. Lebih panjang lebih baik", "Fair. Longer is better"),
        )
    } else {
        (
            "weak",
            i18n.t(
                "Lemah. Gunakan beberapa kata sekaligus",
                "Weak. Use several words together",
            ),
        )
    };
    Some((strength, hint.to_owned()))
}

fn focus_password() {
    use wasm_bindgen::JsCast;
    if let Some(input) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("password"))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = input.focus();
    }
}

#[component]
pub fn ActivatePage() -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let navigate = use_navigate();
    // The NIK of the registration sent from this phone, if one is waiting.
    let nik = RwSignal::new(
        crate::pending_registration::PendingRegistration::nik_for_activation().unwrap_or_default(),
    );
    let code = RwSignal::new(crate::browser::take_link_secret("kode").unwrap_or_default());
    let password = RwSignal::new(String::new());
    let confirm = RwSignal::new(String::new());
    let progress = RwSignal::new(None::<u32>);
    let problem = RwSignal::new(None::<ApiProblem>);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        problem.set(None);
        // The rules the service applies first: a password it would refuse is not sent (nor
        // is a captcha solved for it). The hint under the field already says why.
        if let Err(err) =
            ikd_core::citizen_password::check(&password.get_untracked(), nik.get_untracked().trim())
        {
            problem.set(Some(ApiProblem::Refused(
                ikd_core::ApiErrorBody::new(err.code(), &err.message_id(), &err.message_en())
                    .for_field("password"),
            )));
            focus_password();
            return;
        }
        if password.get_untracked() != confirm.get_untracked() {
            problem.set(Some(ApiProblem::Refused(
                ikd_core::ApiErrorBody::new(
                    "password-mismatch",
                    "Kedua kata sandi tidak sama",
                    "The two passwords differ",
                )
                .for_field("confirm"),
            )));
            return;
        }
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            progress.set(Some(0));
            let result = async {
                // Before the proof of work: without a device id there is no point to it.
                let profile = crate::vault_store::new_profile_id()?;
                let device_id = crate::browser::device_id(&profile)?;
                let captcha = api::solved_captcha(|p| progress.set(Some(p))).await?;
                api::activate(&ActivationRequest {
                    nik: nik.get_untracked().trim().to_owned(),
                    code: code.get_untracked(),
                    password: password.get_untracked(),
                    device_id,
                    captcha,
                })
                .await?;
                sync::login_done();
                sync::fetch_bundle(app, profile).await
            }
            .await;
            progress.set(None);
            if result.is_ok() {
                crate::pending_registration::PendingRegistration::activated(
                    nik.get_untracked().trim(),
                );
            }
            match result {
                Ok(SyncOutcome::NeedsPin) => navigate("/pin/baru", Default::default()),
                Ok(SyncOutcome::Stored) => navigate("/", Default::default()),
                Err(err) => problem.set(Some(err)),
            }
        });
    };
    let field_error = move |field: &'static str| move || field_message(problem.get(), field, i18n);
    // The password's rule problem is already the hint under the field: said once, not twice.
    let password_error = move || {
        field_message(problem.get(), "password", i18n).filter(|message| {
            strength_hint(&password.get(), i18n).map(|h| h.1).as_ref() != Some(message)
        })
    };

    view! {
        <Page title_id="Aktivasi akun" title_en="Activate your account" back="/">
            <form class="card form" on:submit=submit novalidate=true>
                <label for="nik">"NIK"</label>
                <input id="nik" name="nik" inputmode="numeric" maxlength="16" autocomplete="off" bind:value=nik />
                <p class="field-error" aria-live="polite">{field_error("nik")}</p>
                <label for="code">{move || i18n.t("Kode aktivasi (dari email)", "Activation code (from the email)")}</label>
                <input id="code" name="code" autocomplete="one-time-code" maxlength="9" class="code" bind:value=code />
                <p class="field-error" aria-live="polite">{field_error("code")}</p>
                <label for="password">{move || i18n.t("Kata sandi baru", "New password")}</label>
                <input id="password" name="password" type="password" autocomplete="new-password" bind:value=password aria-describedby="strength"
                    aria-invalid=move || problem.with(|p| p.as_ref().and_then(ApiProblem::field) == Some("password")).then_some("true") />
                <p id="strength" aria-live="polite" class=move || format!("strength {}", strength_hint(&password.get(), i18n).map(|h| h.0).unwrap_or(""))>
                    {move || strength_hint(&password.get(), i18n).map(|h| h.1)}
                </p>
                <p class="field-error" aria-live="polite">{password_error}</p>
                <label for="confirm">{move || i18n.t("Ulangi kata sandi", "Repeat the password")}</label>
                <input id="confirm" name="confirm" type="password" autocomplete="new-password" bind:value=confirm />
                <p class="field-error" aria-live="polite">{field_error("confirm")}</p>
                <CaptchaProgress progress />
                <p class="field-error" aria-live="polite">{field_error("captcha")}</p>
                {move || problem.get().filter(|p| p.field().is_none()).map(|p| view! { <ProblemText problem=p /> })}
                <button type="submit" class="primary" disabled=move || progress.get().is_some()>
                    {move || i18n.t("Aktifkan", "Activate")}
                </button>
            </form>
        </Page>
    }
}
