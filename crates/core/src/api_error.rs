//! The one JSON shape every refusal of the service takes, so the PWA can show the person a
//! message in their language and program against a code that never changes.

use serde::{Deserialize, Serialize};

/// Body of every non-2xx API answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiErrorBody {
    /// Stable, machine-readable code such as `not-found`; clients branch on this.
    pub code: String,
    /// What happened and what to do, in Bahasa Indonesia (shown first).
    pub message: String,
    /// The same message in English (the second language of the UI).
    pub message_en: String,
}

impl ApiErrorBody {
    pub fn new(code: &str, message: &str, message_en: &str) -> Self {
        Self {
            code: code.to_owned(),
            message: message.to_owned(),
            message_en: message_en.to_owned(),
        }
    }
}
