//! Talking to the officer API (`/api/...`, same origin): the console's routes, on the fetch
//! it shares with the citizen app ([`ikd_browser`]). Every failure becomes an [`ApiProblem`]
//! whose message an officer can act on, in Bahasa Indonesia. The session cookie
//! (`__Host-ikd_petugas`, HttpOnly) travels with every request; a 401 anywhere except the login
//! itself means the session is over, and the app returns to the login form. Every answer's
//! `Date` header keeps the service clock ([`ikd_browser::clock`]) that desk tokens rotate on.

use ikd_core::console_api::{
    BatchDecision, BatchDecisionOutcome, DecisionOutcome, DecisionRequest, Desk, DeskToken, Drive,
    DriveFigures, DriveProgress, NewDrive, NewOfficerRequest, OfficerDay, OfficerInfo,
    OfficerLogin, OfficerSummary, OpenDesk, QueueItem, RegionDashboard, RegistrationDetail,
    RosterImportReport, SetTarget, UnlockRequest,
};

use ikd_core::second_factor_api::{
    LoggedIn, LoginStep, PasskeyAnswer, PasskeyChallenge, SecondFactorCode, TotpEnrolment,
};

pub use ikd_browser::ApiProblem;
use ikd_browser::{fetch_text, get, read_json, send};

/// What to do when the service says the session is over (the app shows the login form).
pub fn on_signed_out(action: impl Fn() + 'static) {
    ikd_browser::on_signed_out(SESSION, action);
}

const SESSION: &str = "/api/officer/session";

/// The service's health, which also says whether its registry is demo data.
pub async fn health() -> Result<ikd_core::HealthReport, ApiProblem> {
    get("/api/health").await
}

pub async fn session() -> Result<OfficerInfo, ApiProblem> {
    get(SESSION).await
}

/// The password: opens the login step for the second factor.
pub async fn log_in(body: &OfficerLogin) -> Result<LoginStep, ApiProblem> {
    send("POST", SESSION, body).await
}

pub async fn login_step() -> Result<LoginStep, ApiProblem> {
    get("/api/officer/second-factor").await
}

pub async fn totp_enrolment() -> Result<TotpEnrolment, ApiProblem> {
    send(
        "POST",
        "/api/officer/second-factor/totp-enrolment",
        &serde_json::json!({}),
    )
    .await
}

pub async fn with_totp(code: &str) -> Result<LoggedIn, ApiProblem> {
    let body = SecondFactorCode {
        code: code.trim().to_owned(),
    };
    send("POST", "/api/officer/second-factor/totp", &body).await
}

pub async fn with_recovery_code(code: &str) -> Result<LoggedIn, ApiProblem> {
    let body = SecondFactorCode {
        code: code.trim().to_owned(),
    };
    send("POST", "/api/officer/second-factor/recovery", &body).await
}

pub async fn passkey_challenge() -> Result<PasskeyChallenge, ApiProblem> {
    send(
        "POST",
        "/api/officer/second-factor/passkey-challenge",
        &serde_json::json!({}),
    )
    .await
}

pub async fn with_passkey(answer: &PasskeyAnswer) -> Result<LoggedIn, ApiProblem> {
    send("POST", "/api/officer/second-factor/passkey", answer).await
}

/// An admin removes an officer's second factors (lost phone).
pub async fn reset_second_factor(id: i64) -> Result<(), ApiProblem> {
    fetch_text(
        "POST",
        &format!("/api/officers/{id}/second-factor-reset"),
        None,
    )
    .await
    .map(drop)
}

pub async fn log_out() -> Result<(), ApiProblem> {
    fetch_text("DELETE", SESSION, None).await.map(drop)
}

pub async fn desks() -> Result<Vec<Desk>, ApiProblem> {
    get("/api/desks").await
}

pub async fn open_desk(body: &OpenDesk) -> Result<Desk, ApiProblem> {
    send("POST", "/api/desks", body).await
}

pub async fn close_desk(id: i64) -> Result<(), ApiProblem> {
    fetch_text("POST", &format!("/api/desks/{id}/close"), None)
        .await
        .map(drop)
}

pub async fn desk_token(id: i64) -> Result<DeskToken, ApiProblem> {
    get(&format!("/api/desks/{id}/token")).await
}

pub async fn desk_queue(id: i64) -> Result<Vec<QueueItem>, ApiProblem> {
    get(&format!("/api/desks/{id}/queue")).await
}

pub async fn registration(id: &str) -> Result<RegistrationDetail, ApiProblem> {
    get(&format!("/api/officer/registrations/{}", encode(id))).await
}

pub async fn decide(id: &str, body: &DecisionRequest) -> Result<DecisionOutcome, ApiProblem> {
    let path = format!("/api/officer/registrations/{}/decision", encode(id));
    send("POST", &path, body).await
}

pub async fn resend_code(id: &str) -> Result<DecisionOutcome, ApiProblem> {
    let path = format!("/api/officer/registrations/{}/resend-code", encode(id));
    read_json(&fetch_text("POST", &path, None).await?)
}

pub async fn decide_batch(body: &BatchDecision) -> Result<BatchDecisionOutcome, ApiProblem> {
    send("POST", "/api/officer/decisions", body).await
}

pub async fn drives() -> Result<Vec<Drive>, ApiProblem> {
    get("/api/drives").await
}

pub async fn create_drive(body: &NewDrive) -> Result<Drive, ApiProblem> {
    send("POST", "/api/drives", body).await
}

pub async fn drive(id: i64) -> Result<Drive, ApiProblem> {
    get(&format!("/api/drives/{id}")).await
}

/// Sends the roster file as it is; the service parses it and reports every bad row.
pub async fn import_roster(id: i64, csv: String) -> Result<RosterImportReport, ApiProblem> {
    let path = format!("/api/drives/{id}/roster");
    read_json(&fetch_text("POST", &path, Some(("text/csv", csv))).await?)
}

pub async fn drive_progress(id: i64) -> Result<DriveProgress, ApiProblem> {
    get(&format!("/api/drives/{id}/progress")).await
}

pub async fn drive_queue(id: i64) -> Result<Vec<QueueItem>, ApiProblem> {
    get(&format!("/api/drives/{id}/queue")).await
}

/// The address of the region dashboard; `csv` asks for the download.
pub fn region_dashboard_url(parent: &str, csv: bool) -> String {
    let format = if csv { "&format=csv" } else { "" };
    format!("/api/dashboard/regions?parent={}{format}", encode(parent))
}

pub async fn region_dashboard(parent: &str) -> Result<RegionDashboard, ApiProblem> {
    get(&region_dashboard_url(parent, false)).await
}

pub async fn drive_dashboard() -> Result<Vec<DriveFigures>, ApiProblem> {
    get("/api/dashboard/drives").await
}

/// `segment` is a region code, or "id" for Indonesia.
pub async fn set_target(segment: &str, body: &SetTarget) -> Result<(), ApiProblem> {
    let body = serde_json::to_string(body).map_err(|_| ApiProblem::Unreadable)?;
    let path = format!("/api/targets/{}", encode(segment));
    fetch_text("PUT", &path, Some(("application/json", body)))
        .await
        .map(drop)
}

pub async fn officers() -> Result<Vec<OfficerSummary>, ApiProblem> {
    get("/api/officers").await
}

pub async fn add_officer(body: &NewOfficerRequest) -> Result<(), ApiProblem> {
    let body = serde_json::to_string(body).map_err(|_| ApiProblem::Unreadable)?;
    fetch_text("POST", "/api/officers", Some(("application/json", body)))
        .await
        .map(drop)
}

/// The address of the audit trail, narrowed to an officer and a day (`YYYY-MM-DD`, "" for
/// every day); `csv` asks for the download.
pub fn audit_trail_url(officer: Option<i64>, day: &str, csv: bool) -> String {
    let mut query = Vec::new();
    if let Some(officer) = officer {
        query.push(format!("officer={officer}"));
    }
    let day = day.trim();
    if !day.is_empty() {
        query.push(format!("day={day}"));
    }
    if csv {
        query.push("format=csv".to_owned());
    }
    if query.is_empty() {
        "/api/audit".to_owned()
    } else {
        format!("/api/audit?{}", query.join("&"))
    }
}

pub async fn audit_trail(
    officer: Option<i64>,
    day: &str,
) -> Result<ikd_core::audit::AuditTrail, ApiProblem> {
    get(&audit_trail_url(officer, day, false)).await
}

pub async fn disable_officer(id: i64) -> Result<(), ApiProblem> {
    fetch_text("POST", &format!("/api/officers/{id}/disable"), None)
        .await
        .map(drop)
}

/// Lifts the attempt limits strangers ran up against a citizen's NIK (`POST /api/officer/unlock`).
pub async fn lift_locks(body: &UnlockRequest) -> Result<(), ApiProblem> {
    let body = serde_json::to_string(body).map_err(|_| ApiProblem::Unreadable)?;
    fetch_text(
        "POST",
        "/api/officer/unlock",
        Some(("application/json", body)),
    )
    .await
    .map(drop)
}

/// The officer's own work since `since` (unix seconds of local midnight).
pub async fn my_day(since: i64) -> Result<OfficerDay, ApiProblem> {
    get(&format!("/api/officer/today?since={since}")).await
}

pub async fn enable_officer(id: i64) -> Result<(), ApiProblem> {
    fetch_text("POST", &format!("/api/officers/{id}/enable"), None)
        .await
        .map(drop)
}

fn encode(segment: &str) -> String {
    String::from(js_sys::encode_uri_component(segment))
}
