//! Bahasa Indonesia first, English by a switch that is remembered: the language signal both
//! browser apps share. Each app keeps its choice under its own localStorage key and shows texts
//! next to the code that uses them, as `t("…", "…")` pairs.

use leptos::prelude::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Id,
    En,
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

#[derive(Debug, Clone, Copy)]
pub struct I18n {
    lang: RwSignal<Lang>,
    /// Where this app remembers the choice.
    storage_key: &'static str,
}

impl I18n {
    /// The remembered language (Bahasa Indonesia when none), also set on `<html lang>`: the
    /// page is served as `lang="id"`, and a reload in English must say so again to screen
    /// readers and the browser's translation offer.
    pub fn from_storage(storage_key: &'static str) -> Self {
        let lang = match local_storage()
            .and_then(|s| s.get_item(storage_key).ok().flatten())
            .as_deref()
        {
            Some("en") => Lang::En,
            _ => Lang::Id,
        };
        set_document_lang(lang);
        I18n {
            lang: RwSignal::new(lang),
            storage_key,
        }
    }

    /// The chosen language (tracks the language signal).
    pub fn lang(self) -> Lang {
        self.lang.get()
    }

    /// Whether English is chosen (tracks the language signal).
    pub fn en(self) -> bool {
        self.lang() == Lang::En
    }

    /// Whether English is chosen, read once (for texts written by an event handler).
    pub fn en_untracked(self) -> bool {
        self.lang.get_untracked() == Lang::En
    }

    /// The text in the current language (tracks the language signal).
    pub fn t(self, id: &'static str, en: &'static str) -> &'static str {
        if self.en() { en } else { id }
    }

    /// For texts built at run time (messages from the service).
    pub fn pick(self, id: String, en: String) -> String {
        if self.en() { en } else { id }
    }

    /// A page title that follows the language.
    pub fn title(self, id: &'static str, en: &'static str) -> Signal<String> {
        Signal::derive(move || self.t(id, en).to_owned())
    }

    pub fn set(self, lang: Lang) {
        self.lang.set(lang);
        if let Some(storage) = local_storage() {
            let _ = storage.set_item(self.storage_key, lang.code());
        }
        set_document_lang(lang);
    }
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
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
