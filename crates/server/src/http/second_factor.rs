//! The officer's second login step (issue 15): after the password, a passkey, a TOTP code or
//! a recovery code turns the login-step cookie into a session. Only the step cookie opens
//! these routes; a wrong code counts against the step and the officer, never the username.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, header};
use axum::response::{AppendHeaders, IntoResponse};
use ikd_core::ApiErrorBody;
use ikd_core::console_api::OfficerInfo;
use ikd_core::second_factor_api::{
    LoggedIn, LoginStep, PasskeyAnswer, PasskeyChallenge, SecondFactorCode, TotpEnrolment,
};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::auth::{LOGIN_STEP_COOKIE, OFFICER_COOKIE, clear_cookie, read_cookie, set_cookie};
use super::client_ip::ClientIp;
use super::json_body::ApiJson;
use super::{AppError, AppState};
use crate::journey::officer_login::{self, Completed, Step};
use crate::journey::sessions::{self, SubjectKind};
use crate::platform::login_guard::{self, DEVICE_TRUST_SECS, Door};

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(step_status))
        .routes(routes!(totp_enrolment))
        .routes(routes!(with_totp))
        .routes(routes!(with_recovery_code))
        .routes(routes!(passkey_challenge))
        .routes(routes!(with_passkey))
}

async fn step(state: &AppState, headers: &HeaderMap) -> Result<Step, AppError> {
    Ok(officer_login::find(
        &state.db,
        read_cookie(headers, LOGIN_STEP_COOKIE).as_deref(),
    )
    .await?)
}

/// Starts the session of a completed step: session cookie, this browser trusted for the
/// officer's future logins (`platform/login_guard.rs`), step cookie cleared.
async fn start_session(
    state: &AppState,
    headers: &HeaderMap,
    done: Completed,
) -> Result<impl IntoResponse + use<>, AppError> {
    let presented = read_cookie(headers, Door::Officer.cookie_name());
    let device_token = login_guard::remember_device(
        &state.db,
        Door::Officer,
        &done.officer.id.to_string(),
        presented.as_deref(),
    )
    .await?;
    let (token, _) = sessions::create(
        &state.db,
        SubjectKind::Officer,
        &done.officer.id.to_string(),
        None,
        state.config.officer_sessions,
    )
    .await?;
    Ok((
        // Appended: an array of header pairs would keep only the last Set-Cookie.
        AppendHeaders([
            (
                header::SET_COOKIE,
                set_cookie(
                    OFFICER_COOKIE,
                    &token,
                    state.config.officer_sessions.absolute_secs,
                ),
            ),
            (
                header::SET_COOKIE,
                set_cookie(
                    Door::Officer.cookie_name(),
                    &device_token,
                    DEVICE_TRUST_SECS,
                ),
            ),
            (header::SET_COOKIE, clear_cookie(LOGIN_STEP_COOKIE)),
        ]),
        Json(LoggedIn {
            officer: OfficerInfo::from(&done.officer),
            recovery_codes: done.recovery_codes,
        }),
    ))
}

/// Langkah masuk kedua: apa yang tersedia (what the login step offers).
#[utoipa::path(get, path = "/officer/second-factor", tag = "petugas",
    responses((status = 200, body = LoginStep), (status = 401, body = ApiErrorBody)))]
async fn step_status(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Json<LoginStep>, AppError> {
    let step = step(&state, &headers).await?;
    Ok(Json(
        officer_login::status(&state.db, state.relying_party().as_ref(), &step).await?,
    ))
}

/// Daftarkan aplikasi autentikator (a new TOTP secret, for an officer with no factor yet).
#[utoipa::path(post, path = "/officer/second-factor/totp-enrolment", tag = "petugas",
    responses((status = 200, body = TotpEnrolment), (status = 401, body = ApiErrorBody),
        (status = 409, body = ApiErrorBody)))]
async fn totp_enrolment(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Json<TotpEnrolment>, AppError> {
    let step = step(&state, &headers).await?;
    Ok(Json(officer_login::totp_enrolment(&state.db, &step).await?))
}

/// Masuk dengan kode aplikasi autentikator (TOTP; the first one confirms an enrolment).
#[utoipa::path(post, path = "/officer/second-factor/totp", tag = "petugas",
    request_body = SecondFactorCode,
    responses((status = 200, body = LoggedIn, description = "Sets the officer cookie"),
        (status = 401, body = ApiErrorBody), (status = 409, body = ApiErrorBody),
        (status = 422, body = ApiErrorBody), (status = 429, body = ApiErrorBody)))]
async fn with_totp(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    ApiJson(request): ApiJson<SecondFactorCode>,
) -> Result<impl IntoResponse, AppError> {
    let step = step(&state, &headers).await?;
    let limit = state.config.limits.second_factor_failures_officer;
    let done = officer_login::with_totp(&state.db, limit, &ip, &step, &request.code).await?;
    start_session(&state, &headers, done).await
}

/// Masuk dengan kode pemulihan (a recovery code, each good once).
#[utoipa::path(post, path = "/officer/second-factor/recovery", tag = "petugas",
    request_body = SecondFactorCode,
    responses((status = 200, body = LoggedIn, description = "Sets the officer cookie"),
        (status = 401, body = ApiErrorBody), (status = 422, body = ApiErrorBody),
        (status = 429, body = ApiErrorBody)))]
async fn with_recovery_code(
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiJson(request): ApiJson<SecondFactorCode>,
) -> Result<impl IntoResponse, AppError> {
    let step = step(&state, &headers).await?;
    let limit = state.config.limits.second_factor_failures_officer;
    let done = officer_login::with_recovery_code(&state.db, limit, &step, &request.code).await?;
    start_session(&state, &headers, done).await
}

/// Tantangan passkey (options for creating a passkey, or for logging in with one).
#[utoipa::path(post, path = "/officer/second-factor/passkey-challenge", tag = "petugas",
    responses((status = 200, body = PasskeyChallenge), (status = 401, body = ApiErrorBody),
        (status = 409, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
async fn passkey_challenge(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Json<PasskeyChallenge>, AppError> {
    let step = step(&state, &headers).await?;
    Ok(Json(
        officer_login::passkey_challenge(&state.db, state.relying_party().as_ref(), &step).await?,
    ))
}

/// Masuk dengan passkey (the browser's answer to the challenge; the first one enrols).
#[utoipa::path(post, path = "/officer/second-factor/passkey", tag = "petugas",
    request_body = PasskeyAnswer,
    responses((status = 200, body = LoggedIn, description = "Sets the officer cookie"),
        (status = 401, body = ApiErrorBody), (status = 409, body = ApiErrorBody),
        (status = 422, body = ApiErrorBody), (status = 429, body = ApiErrorBody)))]
async fn with_passkey(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    ApiJson(answer): ApiJson<PasskeyAnswer>,
) -> Result<impl IntoResponse, AppError> {
    let step = step(&state, &headers).await?;
    let limit = state.config.limits.second_factor_failures_officer;
    let rp = state.relying_party();
    let done =
        officer_login::with_passkey(&state.db, limit, rp.as_ref(), &ip, &step, &answer).await?;
    start_session(&state, &headers, done).await
}
