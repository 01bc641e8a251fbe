//! The citizen API: register at a desk, follow the registration, activate, log in and out,
//! change or reset the password, fetch the signed offline bundle and the activity history.

use axum::Json;
use axum::extract::State;

use super::url_parts::Path;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{AppendHeaders, IntoResponse, Response};
use ikd_core::ApiErrorBody;
use ikd_core::activity::ActivityEntry;
use ikd_core::citizen_api::{
    ActivationRequest, ChangePasswordRequest, DEVICE_MOVE_TTL_SECS, DeviceMoveConfirm,
    DeviceMoveStarted, LoginRequest, Notice, PasswordResetConfirm, PasswordResetRequest,
    RegistrationAccepted, RegistrationProgress, RegistrationRequest, SessionInfo,
};
use ikd_core::offline_bundle::BundleRequest;
use ikd_core::signed::SignedJson;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::auth::{
    CITIZEN_COOKIE, CitizenAuth, MOVE_STEP_COOKIE, clear_cookie, read_cookie, set_cookie,
};
use super::client_ip::ClientIp;
use super::json_body::ApiJson;
use super::{AppError, AppState};
use crate::journey::activation;
use crate::journey::activation::NewSession;
use crate::journey::activity_log;
use crate::journey::bundle;
use crate::journey::device_move;
use crate::journey::login::{self, LoginOutcome};
use crate::journey::password_reset;
use crate::journey::registration;
use crate::platform::login_guard::{DEVICE_TRUST_SECS, Door};
use crate::platform::refusal::Refusal;
use crate::registry::lookup;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(register))
        .routes(routes!(registration_status))
        .routes(routes!(activate))
        .routes(routes!(log_in, current_session, log_out))
        .routes(routes!(confirm_device_move))
        .routes(routes!(change_password))
        .routes(routes!(request_password_reset))
        .routes(routes!(confirm_password_reset))
        .routes(routes!(offline_bundle))
        .routes(routes!(activity))
}

/// Kirim pendaftaran (submit a registration at a desk or drive).
#[utoipa::path(post, path = "/registrations", tag = "warga",
    request_body = RegistrationRequest,
    responses(
        (status = 202, body = RegistrationAccepted), (status = 409, body = ApiErrorBody),
        (status = 413, body = ApiErrorBody), (status = 415, body = ApiErrorBody),
        (status = 422, body = ApiErrorBody), (status = 429, body = ApiErrorBody)))]
async fn register(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    ApiJson(request): ApiJson<RegistrationRequest>,
) -> Result<(StatusCode, Json<RegistrationAccepted>), AppError> {
    let accepted = registration::submit(&state.db, &state.config, &ip, &request).await?;
    Ok((StatusCode::ACCEPTED, Json(accepted)))
}

/// Status pendaftaran (the state of one's own registration, by its random id).
#[utoipa::path(get, path = "/registrations/{id}/status", tag = "warga",
    params(("id" = String, Path, description = "registrationId from the submission")),
    responses((status = 200, body = RegistrationProgress), (status = 404, body = ApiErrorBody)))]
async fn registration_status(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<RegistrationProgress>, AppError> {
    let progress = registration::progress(&state.db, &id)
        .await?
        .ok_or(Refusal::not_found("Pendaftaran", "Registration"))?;
    Ok(Json(progress))
}

async fn session_answer(state: &AppState, session: NewSession) -> Result<Response, AppError> {
    let full_name = lookup::person(&state.db, &session.nik)
        .await?
        .map(|p| p.card.full_name)
        .unwrap_or_default();
    let cookie = set_cookie(
        CITIZEN_COOKIE,
        &session.token,
        state.config.citizen_sessions.absolute_secs,
    );
    let device_cookie = set_cookie(
        Door::Citizen.cookie_name(),
        &session.trusted_device_token,
        DEVICE_TRUST_SECS,
    );
    Ok((
        // Appended: an array of header pairs would keep only the last Set-Cookie.
        AppendHeaders([
            (header::SET_COOKIE, cookie),
            (header::SET_COOKIE, device_cookie),
        ]),
        Json(SessionInfo {
            nik: session.nik,
            full_name,
            device_id: session.device_id,
            expires_at: session.expires_at,
            replaced_device: session.replaced_device,
        }),
    )
        .into_response())
}

/// Aktivasi dengan kode dari email (activate with the emailed code and set a password).
#[utoipa::path(post, path = "/activation", tag = "warga",
    request_body = ActivationRequest,
    responses((status = 200, body = SessionInfo, description = "Sets the session cookie"),
        (status = 403, body = ApiErrorBody), (status = 422, body = ApiErrorBody),
        (status = 429, body = ApiErrorBody)))]
async fn activate(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    ApiJson(request): ApiJson<ActivationRequest>,
) -> Result<Response, AppError> {
    let device = read_cookie(&headers, Door::Citizen.cookie_name());
    let session =
        activation::activate(&state.db, &state.config, &ip, device.as_deref(), &request).await?;
    session_answer(&state, session).await
}

/// Masuk (log in with NIK or email and password). On a new browser while another device is
/// active, `replaceDevice: true` answers 202: a code went to the account's email, and
/// `POST /session/move` with it finishes the move.
#[utoipa::path(post, path = "/session", tag = "warga",
    request_body = LoginRequest,
    responses((status = 200, body = SessionInfo, description = "Sets the session cookie"),
        (status = 202, body = DeviceMoveStarted,
            description = "Moving to this browser: a code was emailed; sets the step cookie"),
        (status = 401, body = ApiErrorBody), (status = 409, body = ApiErrorBody),
        (status = 429, body = ApiErrorBody)))]
async fn log_in(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    ApiJson(request): ApiJson<LoginRequest>,
) -> Result<Response, AppError> {
    let device = read_cookie(&headers, Door::Citizen.cookie_name());
    match login::login(&state.db, &state.config, &ip, device.as_deref(), &request).await? {
        LoginOutcome::Session(session) => session_answer(&state, session).await,
        LoginOutcome::MoveCodeSent(step) => Ok((
            StatusCode::ACCEPTED,
            AppendHeaders([(
                header::SET_COOKIE,
                set_cookie(MOVE_STEP_COOKIE, &step.token, DEVICE_MOVE_TTL_SECS),
            )]),
            Json(step.started),
        )
            .into_response()),
    }
}

/// Pindah ponsel: the emailed code after a 202 login (needs the step cookie). Makes this
/// browser the account's device; the old one's credentials are revoked onto the signed list
/// and its next refresh is refused with `device-replaced`. Five wrong codes end the step
/// (`device-move-ended`); a new login starts a new one.
#[utoipa::path(post, path = "/session/move", tag = "warga",
    request_body = DeviceMoveConfirm,
    responses((status = 200, body = SessionInfo,
            description = "Sets the session cookie; replacedDevice is true"),
        (status = 410, body = ApiErrorBody), (status = 422, body = ApiErrorBody),
        (status = 429, body = ApiErrorBody)))]
async fn confirm_device_move(
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiJson(request): ApiJson<DeviceMoveConfirm>,
) -> Result<Response, AppError> {
    let step = read_cookie(&headers, MOVE_STEP_COOKIE);
    let device = read_cookie(&headers, Door::Citizen.cookie_name());
    let session = device_move::confirm(
        &state.db,
        &state.config,
        step.as_deref(),
        device.as_deref(),
        &request.code,
    )
    .await?;
    let mut answer = session_answer(&state, session).await?;
    answer
        .headers_mut()
        .append(header::SET_COOKIE, clear_cookie(MOVE_STEP_COOKIE));
    Ok(answer)
}

/// Sesi saat ini (who is logged in).
#[utoipa::path(get, path = "/session", tag = "warga",
    responses((status = 200, body = SessionInfo), (status = 401, body = ApiErrorBody)))]
async fn current_session(
    State(state): State<AppState>,
    CitizenAuth(session): CitizenAuth,
) -> Result<Json<SessionInfo>, AppError> {
    let full_name = lookup::person(&state.db, &session.subject)
        .await?
        .map(|p| p.card.full_name)
        .unwrap_or_default();
    Ok(Json(SessionInfo {
        nik: session.subject,
        full_name,
        device_id: session.device_id.unwrap_or_default(),
        expires_at: session.expires_at,
        replaced_device: false,
    }))
}

/// Keluar (log out; this device's credentials are revoked).
#[utoipa::path(delete, path = "/session", tag = "warga",
    responses((status = 204), (status = 401, body = ApiErrorBody)))]
async fn log_out(
    State(state): State<AppState>,
    CitizenAuth(session): CitizenAuth,
) -> Result<impl IntoResponse, AppError> {
    login::logout(&state.db, &session).await?;
    Ok((
        StatusCode::NO_CONTENT,
        [(header::SET_COOKIE, clear_cookie(CITIZEN_COOKIE))],
    ))
}

/// Ubah kata sandi (change password; other sessions end).
#[utoipa::path(post, path = "/account/password", tag = "warga",
    request_body = ChangePasswordRequest,
    responses((status = 200, body = Notice), (status = 401, body = ApiErrorBody),
        (status = 422, body = ApiErrorBody)))]
async fn change_password(
    State(state): State<AppState>,
    CitizenAuth(session): CitizenAuth,
    ApiJson(request): ApiJson<ChangePasswordRequest>,
) -> Result<Json<Notice>, AppError> {
    login::change_password(&state.db, &state.config.work, &session, &request).await?;
    Ok(Json(Notice::new(
        "Kata sandi berhasil diubah",
        "Password changed",
    )))
}

/// Lupa kata sandi (email a reset link; the answer, and the work behind it, is the same
/// whether the account exists; the mail worker sends the link a moment later).
#[utoipa::path(post, path = "/password-reset", tag = "warga",
    request_body = PasswordResetRequest,
    responses((status = 202, body = Notice), (status = 422, body = ApiErrorBody),
        (status = 429, body = ApiErrorBody)))]
async fn request_password_reset(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    ApiJson(request): ApiJson<PasswordResetRequest>,
) -> Result<(StatusCode, Json<Notice>), AppError> {
    password_reset::request_reset(&state.db, &state.config, &ip, &request).await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(Notice::new(
            "Jika akun dengan data itu ada, tautan atur ulang kata sandi telah dikirim ke \
             emailnya. Jika satu email dipakai bersama keluarga, minta dengan NIK",
            "If an account with those details exists, a reset link has been sent to its email. \
             If your family shares one email, ask with your NIK",
        )),
    ))
}

/// Atur kata sandi baru dari tautan email (set a new password from the emailed link).
#[utoipa::path(post, path = "/password-reset/confirm", tag = "warga",
    request_body = PasswordResetConfirm,
    responses((status = 200, body = Notice), (status = 422, body = ApiErrorBody)))]
async fn confirm_password_reset(
    State(state): State<AppState>,
    ApiJson(request): ApiJson<PasswordResetConfirm>,
) -> Result<Json<Notice>, AppError> {
    password_reset::confirm_reset(&state.db, &state.config.work, &request).await?;
    Ok(Json(Notice::new(
        "Kata sandi baru tersimpan. Silakan masuk",
        "New password saved. Please log in",
    )))
}

/// Paket luring bertanda tangan untuk kunci perangkat ini (the signed offline bundle: KTP,
/// KK, documents, history, and four credentials bound to the device keys sent).
#[utoipa::path(post, path = "/bundle", tag = "warga", request_body = BundleRequest,
    responses((status = 200, body = SignedJson,
        description = "payload: OfflineBundle JSON, signed ES256 by the issuer"),
        (status = 400, body = ApiErrorBody, description = "a device key is not a P-256 key, or two profiles share one"),
        (status = 401, body = ApiErrorBody)))]
async fn offline_bundle(
    State(state): State<AppState>,
    CitizenAuth(session): CitizenAuth,
    ApiJson(request): ApiJson<BundleRequest>,
) -> Result<Json<SignedJson>, AppError> {
    let device = session.device_id.clone().unwrap_or_default();
    Ok(Json(
        bundle::build(
            &state.db,
            &state.config,
            &session.subject,
            &device,
            &request,
        )
        .await?,
    ))
}

/// Riwayat aktivitas (one's own activity history, newest first).
#[utoipa::path(get, path = "/activity", tag = "warga",
    responses((status = 200, body = Vec<ActivityEntry>), (status = 401, body = ApiErrorBody)))]
async fn activity(
    State(state): State<AppState>,
    CitizenAuth(session): CitizenAuth,
) -> Result<Json<Vec<ActivityEntry>>, AppError> {
    Ok(Json(
        activity_log::of_citizen(&state.db, &session.subject, 500).await?,
    ))
}
