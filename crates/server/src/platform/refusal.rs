//! A refusal the person can act on: HTTP status, stable code, a message in Bahasa Indonesia
//! and English, and the form field it concerns. Domain errors turn into one of these; the
//! HTTP layer sends it as `ApiErrorBody`.

use axum::http::StatusCode;
use ikd_core::ApiErrorBody;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub status: StatusCode,
    pub code: &'static str,
    pub message_id: String,
    pub message_en: String,
    pub field: Option<&'static str>,
    /// Seconds, for 429 answers (`Retry-After`).
    pub retry_after: Option<i64>,
}

impl Refusal {
    pub fn new(status: StatusCode, code: &'static str, message_id: &str, message_en: &str) -> Self {
        Refusal {
            status,
            code,
            message_id: message_id.to_owned(),
            message_en: message_en.to_owned(),
            field: None,
            retry_after: None,
        }
    }

    pub fn field(mut self, field: &'static str) -> Self {
        self.field = Some(field);
        self
    }

    pub fn body(&self) -> ApiErrorBody {
        let body = ApiErrorBody::new(self.code, &self.message_id, &self.message_en);
        match self.field {
            Some(field) => body.for_field(field),
            None => body,
        }
    }

    pub fn login_required() -> Self {
        Refusal::new(
            StatusCode::UNAUTHORIZED,
            "login-required",
            "Silakan masuk terlebih dahulu",
            "Please log in first",
        )
    }

    pub fn forbidden() -> Self {
        Refusal::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "Anda tidak berwenang untuk tindakan ini",
            "You are not allowed to do this",
        )
    }

    pub fn not_found(what_id: &str, what_en: &str) -> Self {
        Refusal::new(
            StatusCode::NOT_FOUND,
            "not-found",
            &format!("{what_id} tidak ditemukan"),
            &format!("{what_en} not found"),
        )
    }
}
