//! The citizen app's language: Bahasa Indonesia first, English by a switch in Pengaturan and on
//! the home screen, remembered under its own key (the shared signal is `ikd_browser::i18n`).

pub use ikd_browser::i18n::{I18n, Lang, use_i18n};

/// Where the citizen app remembers the choice (the console has its own).
pub const STORAGE_KEY: &str = "ikd-lang";
