//! Talking to the issuing service: the citizen app's routes, on the fetch it shares with the
//! officer console ([`ikd_browser`]). Every failure becomes an [`ApiProblem`] whose message a
//! citizen can act on, in Bahasa Indonesia first and English second. Cookies (the session)
//! travel with every same-origin request; the service sets them HttpOnly.

pub use ikd_browser::ApiProblem;
use ikd_browser::{fetch_text, get, read_json, send};
use ikd_core::HealthReport;
use ikd_core::captcha::{Challenge, Solution};
use ikd_core::citizen_api::{
    ActivationRequest, LoginRequest, Notice, PasswordResetConfirm, PasswordResetRequest,
    RegistrationAccepted, RegistrationRequest, SessionInfo,
};
use ikd_core::signed::SignedJson;
use ikd_core::trust_documents::TrustListDocument;

pub async fn health() -> Result<HealthReport, ApiProblem> {
    get("/api/health").await
}

pub async fn captcha() -> Result<Challenge, ApiProblem> {
    send("POST", "/api/captcha", &serde_json::json!({})).await
}

pub async fn register(body: &RegistrationRequest) -> Result<RegistrationAccepted, ApiProblem> {
    send("POST", "/api/registrations", body).await
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
pub async fn bundle_text() -> Result<String, ApiProblem> {
    let text = fetch_text("GET", "/api/bundle", None).await?;
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
        ikd_browser::clock::sleep_ms(0).await;
    }
    Err(ApiProblem::Unreadable)
}
