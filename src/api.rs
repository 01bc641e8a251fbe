//! Talking to the issuing service: the citizen app's routes, on the fetch it shares with the
//! officer console ([`ikd_browser`]). Every failure becomes an [`ApiProblem`] whose message a
//! citizen can act on, in Bahasa Indonesia first and English second. Cookies (the session)
//! travel with every same-origin request; the service sets them HttpOnly.

pub use ikd_browser::ApiProblem;
use ikd_browser::{fetch_text, get, read_json, send};
use ikd_core::HealthReport;
use ikd_core::citizen_api::{
    ActivationRequest, LoginRequest, Notice, PasswordResetConfirm, PasswordResetRequest,
    RegistrationAccepted, RegistrationProgress, RegistrationRequest, SessionInfo,
};
use ikd_core::offline_bundle::BundleRequest;
use ikd_core::signed::SignedJson;
use ikd_core::trust_documents::TrustListDocument;

pub async fn health() -> Result<HealthReport, ApiProblem> {
    get("/api/health").await
}

pub async fn register(body: &RegistrationRequest) -> Result<RegistrationAccepted, ApiProblem> {
    send("POST", "/api/registrations", body).await
}

/// Where one's own registration stands, by the random id its submission answered.
pub async fn registration_status(id: &str) -> Result<RegistrationProgress, ApiProblem> {
    get(&format!("/api/registrations/{id}/status")).await
}

/// Who is logged in on this browser (401 when nobody is).
pub async fn session() -> Result<SessionInfo, ApiProblem> {
    get("/api/session").await
}

pub async fn activate(body: &ActivationRequest) -> Result<SessionInfo, ApiProblem> {
    send("POST", "/api/activation", body).await
}

pub async fn login(body: &LoginRequest) -> Result<SessionInfo, ApiProblem> {
    send("POST", "/api/session", body).await
}

pub async fn logout() -> Result<(), ApiProblem> {
    fetch_text("DELETE", "/api/session", None).await.map(|_| ())
}

pub async fn request_reset(body: &PasswordResetRequest) -> Result<Notice, ApiProblem> {
    send("POST", "/api/password-reset", body).await
}

pub async fn confirm_reset(body: &PasswordResetConfirm) -> Result<Notice, ApiProblem> {
    send("POST", "/api/password-reset/confirm", body).await
}

/// The signed bundle as the exact text served, so it can be sealed and re-verified later.
/// The request names the phone's public device keys, which the credentials are bound to.
pub async fn bundle_text(request: &BundleRequest) -> Result<String, ApiProblem> {
    let body = serde_json::to_string(request).map_err(|_| ApiProblem::Unreadable)?;
    let text = fetch_text("POST", "/api/bundle", Some(("application/json", body))).await?;
    read_json::<SignedJson>(&text)?;
    Ok(text)
}

pub async fn trust_list_text() -> Result<String, ApiProblem> {
    let text = fetch_text("GET", "/api/trust-list", None).await?;
    read_json::<TrustListDocument>(&text)?;
    Ok(text)
}

pub async fn revocations_text() -> Result<String, ApiProblem> {
    let text = fetch_text("GET", "/api/revocations", None).await?;
    read_json::<SignedJson>(&text)?;
    Ok(text)
}

pub use ikd_browser::solved_captcha;
