//! The one JSON shape every refusal of the service takes, so the PWA can show the person a
//! message in their language and program against a code that never changes.

use serde::{Deserialize, Serialize};

/// Body of every non-2xx API answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ApiErrorBody {
    /// Stable, machine-readable code such as `not-found`; clients branch on this.
    pub code: String,
    /// What happened and what to do, in Bahasa Indonesia (shown first).
    pub message: String,
    /// The same message in English (the second language of the UI).
    pub message_en: String,
    /// The form field the refusal concerns (`nik`, `email`, `password`, …), so the app can
    /// show the message next to it; absent when it concerns the whole request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

impl ApiErrorBody {
    pub fn new(code: &str, message: &str, message_en: &str) -> Self {
        Self {
            code: code.to_owned(),
            message: message.to_owned(),
            message_en: message_en.to_owned(),
            field: None,
        }
    }

    pub fn for_field(mut self, field: &str) -> Self {
        self.field = Some(field.to_owned());
        self
    }
}
