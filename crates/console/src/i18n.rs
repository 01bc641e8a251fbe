//! Bahasa Indonesia first, English by a switch on the login page and in the top bar (kept in
//! localStorage under its own key, apart from the citizen app's). Texts live next to the code
//! that shows them, as `t("…", "…")` pairs, as in the citizen app.

use ikd_core::officer::OfficerRole;
use leptos::prelude::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Id,
    En,
}

const KEY: &str = "ikd-console-lang";

#[derive(Debug, Clone, Copy)]
pub struct I18n(pub RwSignal<Lang>);

impl I18n {
    pub fn from_storage() -> Self {
        let lang = match stored().as_deref() {
            Some("en") => Lang::En,
            _ => Lang::Id,
        };
        // The page is served as `lang="id"`; a reload in English must say so again.
        set_document_lang(lang);
        I18n(RwSignal::new(lang))
    }

    /// The text in the current language (tracks the language signal).
    pub fn t(self, id: &'static str, en: &'static str) -> &'static str {
        if self.en() { en } else { id }
    }

    /// For texts built at run time.
    pub fn pick(self, id: String, en: String) -> String {
        if self.en() { en } else { id }
    }

    /// A page title that follows the language.
    pub fn title(self, id: &'static str, en: &'static str) -> Signal<String> {
        Signal::derive(move || self.t(id, en).to_owned())
    }

    /// Whether English is chosen (tracks the language signal).
    pub fn en(self) -> bool {
        self.0.get() == Lang::En
    }

    pub fn set(self, lang: Lang) {
        self.0.set(lang);
        store(lang.code());
        set_document_lang(lang);
    }

    /// An officer's role as the officer reads it.
    pub fn role(self, role: OfficerRole) -> &'static str {
        match role {
            OfficerRole::Officer => self.t("Petugas", "Officer"),
            OfficerRole::Supervisor => "Supervisor",
            OfficerRole::Admin => self.t("Administrator", "Administrator"),
        }
    }
}

impl Lang {
    /// The BCP 47 tag for `<html lang>` and the stored choice.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Id => "id",
            Lang::En => "en",
        }
    }
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn stored() -> Option<String> {
    local_storage()?.get_item(KEY).ok().flatten()
}

fn store(value: &str) {
    if let Some(storage) = local_storage() {
        let _ = storage.set_item(KEY, value);
    }
}

fn set_document_lang(lang: Lang) {
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.set_attribute("lang", lang.code());
    }
}

pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
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
