//! Talking to the issuing service. Every failure becomes an [`ApiProblem`] whose message a
//! citizen can act on, in Bahasa Indonesia first and English second.

use ikd_core::{ApiErrorBody, HealthReport};
use serde::de::DeserializeOwned;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ApiProblem {
    /// No answer at all: offline, DNS, or the service is down.
    #[error("Tidak dapat menghubungi layanan. Periksa koneksi internet Anda lalu coba lagi")]
    Unreachable,
    /// The service answered with an error body of its own.
    #[error("{}", .0.message)]
    Refused(ApiErrorBody),
    /// An HTTP error without our JSON body, e.g. from a proxy.
    #[error("Layanan menjawab dengan galat HTTP {0}. Coba lagi beberapa saat lagi")]
    Http(u16),
    /// A 2xx answer we cannot read: app and service versions disagree.
    #[error("Jawaban layanan tidak dapat dibaca. Muat ulang aplikasi untuk memperbaruinya")]
    Unreadable,
}

impl ApiProblem {
    /// The same message in English, shown under the Indonesian one.
    pub fn message_en(&self) -> String {
        match self {
            ApiProblem::Unreachable => {
                "Cannot reach the service. Check your internet connection and try again".into()
            }
            ApiProblem::Refused(body) => body.message_en.clone(),
            ApiProblem::Http(status) => {
                format!("The service answered with HTTP error {status}. Try again shortly")
            }
            ApiProblem::Unreadable => {
                "The service's answer cannot be read. Reload the app to update it".into()
            }
        }
    }
}

pub async fn health() -> Result<HealthReport, ApiProblem> {
    get_json("/api/health").await
}

async fn get_json<T: DeserializeOwned>(path: &str) -> Result<T, ApiProblem> {
    let window = web_sys::window().ok_or(ApiProblem::Unreachable)?;
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str(path))
        .await
        .map_err(|_| ApiProblem::Unreachable)?
        .dyn_into()
        .map_err(|_| ApiProblem::Unreachable)?;
    let text = match response.text() {
        Ok(promise) => JsFuture::from(promise)
            .await
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_default(),
        Err(_) => String::new(),
    };
    if !response.ok() {
        return Err(match serde_json::from_str::<ApiErrorBody>(&text) {
            Ok(body) => ApiProblem::Refused(body),
            Err(_) => ApiProblem::Http(response.status()),
        });
    }
    serde_json::from_str(&text).map_err(|_| ApiProblem::Unreadable)
}
