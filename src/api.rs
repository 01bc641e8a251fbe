//! Talking to the issuing service: the citizen app's routes, on the fetch it shares with the
//! officer console ([`ikd_browser`]). Every failure becomes an [`ApiProblem`] whose message a
//! citizen can act on, in Bahasa Indonesia first and English second. Cookies (the session)
//! travel with every same-origin request; the service sets them HttpOnly.

pub use ikd_browser::ApiProblem;
use ikd_browser::{fetch_text, get, read_json, send};
use ikd_core::HealthReport;
use ikd_core::account_api::{
    AccountCloseRequest, AccountExport, AccountOverview, EmailChangeConfirm, EmailChangeRequest,
    LostPhoneConfirm, LostPhoneRequest, PhoneChange,
};
use ikd_core::activity::ActivityEntry;
use ikd_core::citizen_api::{
    ActivationRequest, ChangePasswordRequest, DeviceMoveConfirm, DeviceMoveStarted, LoginRequest,
    Notice, PasswordResetConfirm, PasswordResetRequest, RegistrationAccepted, RegistrationProgress,
    RegistrationRequest, SessionInfo,
};
use ikd_core::consent_api::{ConsentAnswer, ConsentItem, ConsentOverview};
use ikd_core::offline_bundle::BundleRequest;
use ikd_core::signed::SignedJson;
use ikd_core::trust_documents::TrustListDocument;

thread_local! {
    /// The NIK of the copy open in the app, if one is (kept by [`set_open_person`]).
    static OPEN_PERSON: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// Who the app is open for. Several people may use one browser, but the browser holds one
/// session: the last to log in. The routes that act on the account check the session is the
/// open person's own ([`own_session`]).
pub fn set_open_person(nik: Option<String>) {
    OPEN_PERSON.with(|open| *open.borrow_mut() = nik);
}

/// Refuses, before anything is sent, to act on an account with a session that belongs to
/// someone else than the person whose copy is open (another person on this phone logged in
/// since): that person's account, consents and history are not shown or changed.
async fn own_session() -> Result<(), ApiProblem> {
    let Some(open) = OPEN_PERSON.with(|open| open.borrow().clone()) else {
        return Ok(());
    };
    let session = session().await?;
    if session.nik == open {
        return Ok(());
    }
    Err(ApiProblem::Refused(ikd_core::ApiErrorBody {
        code: "other-person-session".into(),
        message: "Sesi online di perangkat ini milik orang lain yang memakai ponsel ini. Masuk \
                  lagi dengan kata sandi Anda untuk memakai fitur online."
            .into(),
        message_en: "The online session on this device belongs to another person using this \
                     phone. Log in again with your password to use the online features."
            .into(),
        field: None,
    }))
}

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

/// What a login with the right password answers.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(untagged)]
pub enum LoginAnswer {
    /// Logged in on this browser.
    Session(SessionInfo),
    /// Moving from another phone: a code went to the account's email (202).
    MoveCodeSent(DeviceMoveStarted),
}

pub async fn login(body: &LoginRequest) -> Result<LoginAnswer, ApiProblem> {
    send("POST", "/api/session", body).await
}

/// The emailed code that finishes moving to this browser (after [`LoginAnswer::MoveCodeSent`]).
pub async fn confirm_move(code: &str) -> Result<SessionInfo, ApiProblem> {
    send(
        "POST",
        "/api/session/move",
        &DeviceMoveConfirm {
            code: code.trim().to_owned(),
        },
    )
    .await
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

/// `POST /api/account/password`: other sessions end.
pub async fn change_password(body: &ChangePasswordRequest) -> Result<Notice, ApiProblem> {
    own_session().await?;
    send("POST", "/api/account/password", body).await
}

/// The activity history as the service has it now (the bundle's copy is as of its refresh).
pub async fn activity() -> Result<Vec<ActivityEntry>, ApiProblem> {
    own_session().await?;
    get("/api/activity").await
}

// Consent (otorisasi): requests institutions sent, grants live and past.

pub async fn consents() -> Result<ConsentOverview, ApiProblem> {
    own_session().await?;
    get("/api/consents").await
}

/// One request or grant of one's own, by id or by the short code shown at the counter.
pub async fn consent(id_or_code: &str) -> Result<ConsentItem, ApiProblem> {
    own_session().await?;
    get(&format!("/api/consents/{}", path_part(id_or_code))).await
}

pub async fn answer_consent(id: &str, approve: bool) -> Result<ConsentItem, ApiProblem> {
    own_session().await?;
    send(
        "POST",
        &format!("/api/consents/{}/answer", path_part(id)),
        &ConsentAnswer { approve },
    )
    .await
}

pub async fn revoke_consent(id: &str) -> Result<ConsentItem, ApiProblem> {
    own_session().await?;
    read_json(
        &fetch_text(
            "POST",
            &format!("/api/consents/{}/revoke", path_part(id)),
            None,
        )
        .await?,
    )
}

// Account care (`ikd_core::account_api`).

pub async fn account() -> Result<AccountOverview, ApiProblem> {
    own_session().await?;
    get("/api/account").await
}

/// Sends a code to the new address; the change waits for it.
pub async fn request_email_change(new_email: &str) -> Result<Notice, ApiProblem> {
    own_session().await?;
    send(
        "POST",
        "/api/account/email",
        &EmailChangeRequest {
            new_email: new_email.to_owned(),
        },
    )
    .await
}

pub async fn confirm_email_change(code: &str) -> Result<AccountOverview, ApiProblem> {
    own_session().await?;
    send(
        "POST",
        "/api/account/email/confirm",
        &EmailChangeConfirm {
            code: code.to_owned(),
        },
    )
    .await
}

pub async fn change_phone(phone: &str) -> Result<AccountOverview, ApiProblem> {
    own_session().await?;
    send(
        "PUT",
        "/api/account/phone",
        &PhoneChange {
            phone: phone.to_owned(),
        },
    )
    .await
}

/// Ends another session of one's own (204).
pub async fn end_session(id: &str) -> Result<(), ApiProblem> {
    own_session().await?;
    fetch_text(
        "POST",
        &format!("/api/account/sessions/{}/end", path_part(id)),
        None,
    )
    .await
    .map(|_| ())
}

/// Everything the service holds about the citizen, as the exact JSON text served (saved as a
/// file as it is), checked to be an [`AccountExport`].
pub async fn export_text() -> Result<(String, AccountExport), ApiProblem> {
    own_session().await?;
    let text = fetch_text("GET", "/api/account/export", None).await?;
    let export = read_json::<AccountExport>(&text)?;
    Ok((text, export))
}

pub async fn close_account(password: &str) -> Result<Notice, ApiProblem> {
    own_session().await?;
    send(
        "POST",
        "/api/account/close",
        &AccountCloseRequest {
            password: password.to_owned(),
        },
    )
    .await
}

/// From any browser, no session: a code goes to the account's email (same answer for any NIK).
pub async fn report_lost_phone(body: &LostPhoneRequest) -> Result<Notice, ApiProblem> {
    send("POST", "/api/lost-phone", body).await
}

pub async fn confirm_lost_phone(body: &LostPhoneConfirm) -> Result<Notice, ApiProblem> {
    send("POST", "/api/lost-phone/confirm", body).await
}

/// An id or code as one path segment: only letters, digits and `-` pass, so a pasted link
/// or stray slash cannot reach another route.
pub fn path_part(id: &str) -> String {
    id.trim()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect()
}
