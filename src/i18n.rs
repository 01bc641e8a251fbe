//! Bahasa Indonesia first, English by a switch in Pengaturan (kept in localStorage). Texts
//! live next to the code that shows them, as `t("…", "…")` pairs.

use leptos::prelude::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Id,
    En,
}

const KEY: &str = "ikd-lang";

#[derive(Debug, Clone, Copy)]
pub struct I18n(pub RwSignal<Lang>);

impl I18n {
    pub fn from_storage() -> Self {
        let lang = match crate::browser::stored(KEY).as_deref() {
            Some("en") => Lang::En,
            _ => Lang::Id,
        };
        // The page is served as `lang="id"`; a reload in English must say so again to screen
        // readers and the browser's translation offer.
        set_document_lang(lang);
        I18n(RwSignal::new(lang))
    }

    /// The text in the current language (tracks the language signal).
    pub fn t(self, id: &'static str, en: &'static str) -> &'static str {
        if self.0.get() == Lang::En { en } else { id }
    }

    /// For texts built at run time (messages from the service).
    pub fn pick(self, id: String, en: String) -> String {
        if self.0.get() == Lang::En { en } else { id }
    }

    pub fn set(self, lang: Lang) {
        self.0.set(lang);
        crate::browser::store(KEY, lang.code());
        set_document_lang(lang);
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
