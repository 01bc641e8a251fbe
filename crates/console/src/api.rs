//! Talking to the officer API (`/api/...`, same origin). Every failure becomes an
//! [`ApiProblem`] whose message an officer can act on, in Bahasa Indonesia. The session
//! cookie (`ikd_petugas`, HttpOnly) travels with every request; a 401 anywhere except the login
//! itself means the session is over, and the app returns to the login form.

use std::cell::RefCell;

use ikd_core::ApiErrorBody;
use ikd_core::console_api::{
    BatchDecision, BatchDecisionOutcome, DecisionOutcome, DecisionRequest, Desk, DeskToken, Drive,
    DriveFigures, DriveProgress, NewDrive, NewOfficerRequest, OfficerInfo, OfficerLogin,
    OfficerSummary, OpenDesk, QueueItem, RegionDashboard, RegistrationDetail, RosterImportReport,
    SetTarget,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ApiProblem {
    /// No answer at all: offline, or the service is down.
    #[error("Tidak dapat menghubungi layanan. Periksa jaringan lalu coba lagi")]
    Unreachable,
    /// The service answered with an error body of its own.
    #[error("{}", .0.message)]
    Refused(ApiErrorBody),
    /// An HTTP error without our JSON body, e.g. from a proxy.
    #[error("Layanan menjawab dengan galat HTTP {0}. Coba lagi beberapa saat lagi")]
    Http(u16),
    /// A 2xx answer we cannot read: console and service versions disagree.
    #[error("Jawaban layanan tidak dapat dibaca. Muat ulang halaman untuk memperbarui konsol")]
    Unreadable,
}

impl ApiProblem {
    /// The stable code of a refusal (`login-failed`, `not-found`, …).
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

thread_local! {
    static ON_SIGNED_OUT: RefCell<Option<Box<dyn Fn()>>> = const { RefCell::new(None) };
}

/// What to do when the service says the session is over (the app shows the login form).
pub fn on_signed_out(action: impl Fn() + 'static) {
    ON_SIGNED_OUT.with(|slot| *slot.borrow_mut() = Some(Box::new(action)));
}

const SESSION: &str = "/api/officer/session";

pub async fn session() -> Result<OfficerInfo, ApiProblem> {
    get(SESSION).await
}

pub async fn log_in(body: &OfficerLogin) -> Result<OfficerInfo, ApiProblem> {
    send("POST", SESSION, body).await
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
    let text = fetch_text("POST", &path, None).await?;
    serde_json::from_str(&text).map_err(|_| ApiProblem::Unreadable)
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
    let text = fetch_text("POST", &path, Some(("text/csv", csv))).await?;
    serde_json::from_str(&text).map_err(|_| ApiProblem::Unreadable)
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

pub async fn disable_officer(id: i64) -> Result<(), ApiProblem> {
    fetch_text("POST", &format!("/api/officers/{id}/disable"), None)
        .await
        .map(drop)
}

fn encode(segment: &str) -> String {
    String::from(js_sys::encode_uri_component(segment))
}

async fn get<T: DeserializeOwned>(path: &str) -> Result<T, ApiProblem> {
    let text = fetch_text("GET", path, None).await?;
    serde_json::from_str(&text).map_err(|_| ApiProblem::Unreadable)
}

async fn send<B: Serialize, T: DeserializeOwned>(
    method: &str,
    path: &str,
    body: &B,
) -> Result<T, ApiProblem> {
    let body = serde_json::to_string(body).map_err(|_| ApiProblem::Unreadable)?;
    let text = fetch_text(method, path, Some(("application/json", body))).await?;
    serde_json::from_str(&text).map_err(|_| ApiProblem::Unreadable)
}

async fn fetch_text(
    method: &str,
    path: &str,
    body: Option<(&str, String)>,
) -> Result<String, ApiProblem> {
    let window = web_sys::window().ok_or(ApiProblem::Unreachable)?;
    let init = web_sys::RequestInit::new();
    init.set_method(method);
    init.set_credentials(web_sys::RequestCredentials::SameOrigin);
    let headers = web_sys::Headers::new().map_err(|_| ApiProblem::Unreachable)?;
    let _ = headers.set("Accept", "application/json");
    if let Some((content_type, body)) = &body {
        let _ = headers.set("Content-Type", content_type);
        init.set_body(&JsValue::from_str(body));
    }
    init.set_headers(&headers);
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str_and_init(path, &init))
        .await
        .map_err(|_| ApiProblem::Unreachable)?
        .dyn_into()
        .map_err(|_| ApiProblem::Unreachable)?;
    if let Ok(Some(date)) = response.headers().get("date") {
        crate::browser::observe_server_date(&date);
    }
    let text = match response.text() {
        Ok(promise) => JsFuture::from(promise)
            .await
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_default(),
        Err(_) => String::new(),
    };
    if !response.ok() {
        let logging_in = method == "POST" && path == SESSION;
        if response.status() == 401 && !logging_in {
            ON_SIGNED_OUT.with(|slot| {
                if let Some(action) = slot.borrow().as_ref() {
                    action();
                }
            });
        }
        return Err(match serde_json::from_str::<ApiErrorBody>(&text) {
            Ok(body) => ApiProblem::Refused(body),
            Err(_) => ApiProblem::Http(response.status()),
        });
    }
    Ok(text)
}
