//! The progress bar shown while the device solves the proof-of-work captcha.

use leptos::prelude::*;

use crate::i18n::use_i18n;

/// Visible while `progress` (0–100) is `Some`.
#[component]
pub fn CaptchaProgress(progress: RwSignal<Option<u32>>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Show when=move || progress.get().is_some()>
            <label for="captcha-progress">{move || i18n.t("Memeriksa bahwa Anda bukan robot…", "Checking you are not a robot…")}</label>
            <progress id="captcha-progress" max="100" value=move || progress.get().unwrap_or(0).to_string()></progress>
        </Show>
    }
}
