//! Session cookies and the extractors that require a logged-in citizen or officer. Cookies
//! are HttpOnly (no script reads them), Secure (HTTPS only; browsers treat localhost as
//! secure), SameSite=Strict (never sent from another site's page) and named `__Host-`: the
//! browser then refuses them unless Secure, without Domain and with Path=/, so a sibling
//! subdomain or a plain-http page cannot plant or overwrite one (session fixation).

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, header};

use super::{AppError, AppState};
use crate::journey::consent;
use crate::journey::device_move;
use crate::journey::institutions::{self, Caller, Institution};
use crate::journey::sessions::{self, Session, SubjectKind};
use crate::officer::officers::{self, Officer};
use crate::platform::refusal::Refusal;

pub const CITIZEN_COOKIE: &str = "__Host-ikd_sesi";
pub const OFFICER_COOKIE: &str = "__Host-ikd_petugas";
/// A citizen's login step on a new phone, between the password and the emailed code.
pub const MOVE_STEP_COOKIE: &str = "__Host-ikd_pindah";
/// An officer's login step between the password and the second factor (ten minutes).
pub const LOGIN_STEP_COOKIE: &str = "__Host-ikd_petugas_langkah";

pub fn set_cookie(name: &str, token: &str, max_age_secs: i64) -> HeaderValue {
    HeaderValue::from_str(&format!(
        "{name}={token}; Path=/; Max-Age={max_age_secs}; HttpOnly; Secure; SameSite=Strict"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static(""))
}

pub fn clear_cookie(name: &str) -> HeaderValue {
    HeaderValue::from_str(&format!(
        "{name}=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Strict"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static(""))
}

pub fn read_cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_owned())
}

/// A logged-in citizen.
#[derive(Debug, Clone)]
pub struct CitizenAuth(pub Session);

impl FromRequestParts<AppState> for CitizenAuth {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let token = read_cookie(&parts.headers, CITIZEN_COOKIE).ok_or(Refusal::login_required())?;
        let session = sessions::resolve(
            &state.db,
            SubjectKind::Citizen,
            &token,
            state.config.citizen_sessions,
        )
        .await?;
        match session {
            Some(session) => Ok(CitizenAuth(session)),
            // A session ended because the card moved to another phone says so, and when.
            None => Err(device_move::replaced_refusal(&state.db, &token)
                .await?
                .unwrap_or_else(Refusal::login_required)
                .into()),
        }
    }
}

/// A logged-in officer whose account is still enabled.
#[derive(Debug, Clone)]
pub struct OfficerAuth {
    pub session: Session,
    pub officer: Officer,
}

impl FromRequestParts<AppState> for OfficerAuth {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let token = read_cookie(&parts.headers, OFFICER_COOKIE).ok_or(Refusal::login_required())?;
        let session = sessions::resolve(
            &state.db,
            SubjectKind::Officer,
            &token,
            state.config.officer_sessions,
        )
        .await?
        .ok_or(Refusal::login_required())?;
        let id: i64 = session
            .subject
            .parse()
            .map_err(|_| Refusal::login_required())?;
        let officer = officers::find_active_by_id(&state.db, id)
            .await?
            .ok_or(Refusal::login_required())?;
        Ok(OfficerAuth { session, officer })
    }
}

/// An institution calling with its bearer key (`Authorization: Bearer <key>`). A missing or
/// unknown key is 401 `institution-key`; the key of a switched-off institution is 403
/// `institution-disabled`, from the moment the operator's command committed.
#[derive(Debug, Clone)]
pub struct InstitutionAuth(pub Institution);

pub fn institution_key_refusal() -> Refusal {
    Refusal::new(
        axum::http::StatusCode::UNAUTHORIZED,
        "institution-key",
        "Kunci instansi tidak sah. Gunakan header Authorization: Bearer <kunci>",
        "Invalid institution key. Send Authorization: Bearer <key>",
    )
}

impl FromRequestParts<AppState> for InstitutionAuth {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let bearer = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .ok_or_else(institution_key_refusal)?;
        match institutions::caller(&state.db, bearer).await? {
            Some(Caller::Active(institution)) => Ok(InstitutionAuth(institution)),
            Some(Caller::Disabled) => Err(consent::institution_disabled().into()),
            None => Err(institution_key_refusal().into()),
        }
    }
}
