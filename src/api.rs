//! Talking to the issuing service. Every failure becomes an [`ApiProblem`] whose message a
//! citizen can act on, in Bahasa Indonesia first and English second. Cookies (the session)
//! travel with every same-origin request; the service sets them HttpOnly.

use ikd_core::captcha::{Challenge, Solution};
use ikd_core::citizen_api::{
    ActivationRequest, ChangePasswordRequest, LoginRequest, Notice, PasswordResetConfirm,
    PasswordResetRequest, RegistrationAccepted, RegistrationRequest, SessionInfo,
};
use ikd_core::signed::SignedJson;
use ikd_core::trust_documents::TrustListDocument;
use ikd_core::{ApiErrorBody, HealthReport};
use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::{JsCast, JsValue};
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

    /// The stable code of a refusal (`data-mismatch`, `device-change-required`, …).
    pub fn code(&self) -> Option<&str> {
        match self {
            ApiProblem::Refused(body) => Some(&body.code),
            _ => None,
        }
    }

    /// The form field the refusal concerns, if the service named one.
    pub fn field(&self) -> Option<&str> {
        match self {
            ApiProblem::Refused(body) => body.field.as_deref(),
            _ => None,
        }
    }
}

pub async fn health() -> Result<HealthReport, ApiProblem> {
    request("GET", "/api/health", None::<&()>).await
}

pub async fn captcha() -> Result<Challenge, ApiProblem> {
    request("POST", "/api/captcha", Some(&serde_json::json!({}))).await
}

pub async fn register(body: &RegistrationRequest) -> Result<RegistrationAccepted, ApiProblem> {
    request("POST", "/api/registrations", Some(body)).await
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct RegistrationStatus {
    pub status: String,
    pub reason: Option<String>,
}

pub async fn registration_status(id: &str) -> Result<RegistrationStatus, ApiProblem> {
    request(
        "GET",
        &format!("/api/registrations/{id}/status"),
        None::<&()>,
    )
    .await
}

pub async fn activate(body: &ActivationRequest) -> Result<SessionInfo, ApiProblem> {
    request("POST", "/api/activation", Some(body)).await
}

pub async fn login(body: &LoginRequest) -> Result<SessionInfo, ApiProblem> {
    request("POST", "/api/session", Some(body)).await
}

pub async fn logout() -> Result<(), ApiProblem> {
    fetch_text("DELETE", "/api/session", None).await.map(|_| ())
}

pub async fn change_password(body: &ChangePasswordRequest) -> Result<Notice, ApiProblem> {
    request("POST", "/api/account/password", Some(body)).await
}

pub async fn request_reset(body: &PasswordResetRequest) -> Result<Notice, ApiProblem> {
    request("POST", "/api/password-reset", Some(body)).await
}

pub async fn confirm_reset(body: &PasswordResetConfirm) -> Result<Notice, ApiProblem> {
    request("POST", "/api/password-reset/confirm", Some(body)).await
}

/// The signed bundle as the exact text served, so it can be sealed and re-verified later.
pub async fn bundle_text() -> Result<String, ApiProblem> {
    let text = fetch_text("GET", "/api/bundle", None).await?;
    serde_json::from_str::<SignedJson>(&text).map_err(|_| ApiProblem::Unreadable)?;
    Ok(text)
}

pub async fn trust_list_text() -> Result<String, ApiProblem> {
    let text = fetch_text("GET", "/api/trust-list", None).await?;
    serde_json::from_str::<TrustListDocument>(&text).map_err(|_| ApiProblem::Unreadable)?;
    Ok(text)
}

pub async fn revocations_text() -> Result<String, ApiProblem> {
    let text = fetch_text("GET", "/api/revocations", None).await?;
    serde_json::from_str::<SignedJson>(&text).map_err(|_| ApiProblem::Unreadable)?;
    Ok(text)
}

/// A proof-of-work solution for a fresh challenge, solved in chunks so `progress` (0–100) can
/// be shown and the page stays responsive.
pub async fn solved_captcha(progress: impl Fn(u32)) -> Result<Solution, ApiProblem> {
    let challenge = captcha().await?;
    const CHUNK: u64 = 10_000;
    let mut from = 0;
    while from <= challenge.max_number {
        let to = (from + CHUNK - 1).min(challenge.max_number);
        if let Some(solution) = ikd_core::captcha::solve_range(&challenge, from, to) {
            progress(100);
            return Ok(solution);
        }
        from = to + 1;
        progress(((from * 100) / (challenge.max_number + 1)) as u32);
        crate::browser::sleep_ms(0).await;
    }
    Err(ApiProblem::Unreadable)
}

async fn request<B: Serialize, T: DeserializeOwned>(
    method: &str,
    path: &str,
    body: Option<&B>,
) -> Result<T, ApiProblem> {
    let body = match body {
        Some(body) => Some(serde_json::to_string(body).map_err(|_| ApiProblem::Unreadable)?),
        None => None,
    };
    let text = fetch_text(method, path, body).await?;
    serde_json::from_str(&text).map_err(|_| ApiProblem::Unreadable)
}

async fn fetch_text(method: &str, path: &str, body: Option<String>) -> Result<String, ApiProblem> {
    let window = web_sys::window().ok_or(ApiProblem::Unreachable)?;
    let init = web_sys::RequestInit::new();
    init.set_method(method);
    init.set_credentials(web_sys::RequestCredentials::SameOrigin);
    let headers = web_sys::Headers::new().map_err(|_| ApiProblem::Unreachable)?;
    if let Some(body) = &body {
        let _ = headers.set("Content-Type", "application/json");
        init.set_body(&JsValue::from_str(body));
    }
    init.set_headers(&headers);
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str_and_init(path, &init))
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
    Ok(text)
}
