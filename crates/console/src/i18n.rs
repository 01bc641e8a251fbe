//! The console's language: Bahasa Indonesia first, English by a switch on the login page and in
//! the top bar, remembered under its own key, apart from the citizen app's (the shared signal
//! is `ikd_browser::i18n`).

use ikd_core::officer::OfficerRole;
use leptos::prelude::*;

pub use ikd_browser::i18n::{I18n, Lang, use_i18n};

/// Where the console remembers the choice.
pub const STORAGE_KEY: &str = "ikd-console-lang";

/// An officer's role as the officer reads it.
pub fn role_name(i18n: I18n, role: OfficerRole) -> &'static str {
    match role {
        OfficerRole::Officer => i18n.t("Petugas", "Officer"),
        OfficerRole::Supervisor => "Supervisor",
        OfficerRole::Admin => i18n.t("Administrator", "Administrator"),
    }
}

/// The two buttons that choose the language, each saying its language in that language.
#[component]
pub fn LangSwitch() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="segmented lang-switch" role="group" aria-label=move || i18n.t("Bahasa", "Language")>
            <button type="button" lang="id" aria-pressed=move || (!i18n.en()).to_string() on:click=move |_| i18n.set(Lang::Id)>"Bahasa Indonesia"</button>
            <button type="button" lang="en" aria-pressed=move || i18n.en().to_string() on:click=move |_| i18n.set(Lang::En)>"English"</button>
        </div>
    }
}
