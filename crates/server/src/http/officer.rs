//! The officer API behind the desk console: log in, open and close desk or drive sessions,
//! show the rotating token, read the queue, check a face and decide.

use axum::Json;
use axum::extract::State;

use super::url_parts::{Path, Query};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::IntoResponse;
use ikd_core::ApiErrorBody;
use ikd_core::console_api::{OfficerDay, OfficerInfo, OfficerLogin, OpenDesk, UnlockRequest};
use ikd_core::second_factor_api::LoginStep;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::audit::actor;
use super::auth::{
    LOGIN_STEP_COOKIE, OFFICER_COOKIE, OfficerAuth, clear_cookie, read_cookie, set_cookie,
};
use super::client_ip::ClientIp;
use super::json_body::ApiJson;
use super::{AppError, AppState};
use crate::journey::desks::{self, Desk, DeskToken};
use crate::journey::locks;
use crate::journey::officer_day;
use crate::journey::officer_login;
use crate::journey::review::{
    self, DecisionOutcome, DecisionRequest, QueueItem, RegistrationDetail,
};
use crate::journey::sessions;
use crate::officer::officers;
use crate::platform::db::unix_now;
use crate::platform::login_guard::{self, Door};
use crate::platform::password;
use crate::platform::rate_limit;
use crate::platform::refusal::Refusal;
use ikd_core::console_api::{BatchDecision, BatchDecisionOutcome};

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(officer_log_in, officer_session, officer_log_out))
        .routes(routes!(open_desk, my_desks))
        .routes(routes!(close_desk))
        .routes(routes!(desk_token))
        .routes(routes!(desk_queue))
        .routes(routes!(registration_detail))
        .routes(routes!(registration_selfie))
        .routes(routes!(registration_registry_photo))
        .routes(routes!(decide))
        .routes(routes!(decide_batch))
        .routes(routes!(resend_code))
        .routes(routes!(lift_locks))
        .routes(routes!(my_day))
}

impl From<&officers::Officer> for OfficerInfo {
    fn from(o: &officers::Officer) -> Self {
        OfficerInfo {
            id: o.id,
            username: o.username.clone(),
            full_name: o.full_name.clone(),
            role: o.role,
            region_code: o.region_code.clone(),
            region_name: crate::officer::dashboard::region_name(&o.region_code),
        }
    }
}

fn officer_login_failed() -> Refusal {
    Refusal::new(
        StatusCode::UNAUTHORIZED,
        "login-failed",
        "Nama pengguna atau kata sandi salah",
        "Wrong username or password",
    )
}

/// For a disabled officer who gave the right password: what happened and who can undo it.
fn officer_disabled() -> Refusal {
    Refusal::new(
        StatusCode::FORBIDDEN,
        "officer-disabled",
        "Akun petugas Anda dinonaktifkan. Minta supervisor atau admin wilayah Anda untuk \
         mengaktifkannya kembali",
        "Your officer account is disabled. Ask a supervisor or admin of your region to enable \
         it again",
    )
}

/// Masuk sebagai petugas (officer login), langkah 1: the password. A right one opens a login
/// step (its cookie, ten minutes) for the second factor; the session comes after that
/// (`/officer/second-factor/…`).
#[utoipa::path(post, path = "/officer/session", tag = "petugas",
    request_body = OfficerLogin,
    responses((status = 200, body = LoginStep, description = "Sets the login-step cookie"),
        (status = 401, body = ApiErrorBody), (status = 403, body = ApiErrorBody),
        (status = 422, body = ApiErrorBody), (status = 429, body = ApiErrorBody),
        (status = 503, body = ApiErrorBody)))]
async fn officer_log_in(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    ApiJson(request): ApiJson<OfficerLogin>,
) -> Result<impl IntoResponse, AppError> {
    rate_limit::hit(
        &state.db,
        &format!("officer-login:ip:{ip}"),
        state.config.limits.login_ip,
    )
    .await?;
    let presented = read_cookie(&headers, Door::Officer.cookie_name());
    // Unknown and disabled officers take the guard's same queries, cost the same Argon2id
    // work as a wrong password and get the same answer, so nothing tells who exists.
    let found = officers::find_for_login(&state.db, &request.username).await?;
    let disabled = found.as_ref().is_some_and(|(_, disabled)| *disabled);
    let officer = found.map(|(officer, _)| officer);
    let subject = officer.as_ref().map(|o| o.id.to_string());
    let admission = login_guard::admit(
        &state.db,
        state.config.limits.login_guard(),
        Door::Officer,
        &request.username,
        subject.as_deref(),
        presented.as_deref(),
        request.captcha.as_ref(),
    )
    .await?;
    let stored = officer.as_ref().map(|o| o.password_hash.clone());
    let ok =
        password::verify_or_dummy_blocking(&state.config.work, request.password.clone(), stored)
            .await
            .map_err(|busy| busy.refusal())?;
    let Some(officer) = officer.filter(|_| ok) else {
        login_guard::failed(&state.db, &admission).await?;
        return Err(officer_login_failed().into());
    };
    if disabled {
        return Err(officer_disabled().into());
    }
    let (token, step) = officer_login::open(&state.db, &officer).await?;
    let status = officer_login::status(&state.db, state.relying_party().as_ref(), &step).await?;
    Ok((
        [(
            header::SET_COOKIE,
            set_cookie(LOGIN_STEP_COOKIE, &token, officer_login::STEP_SECS),
        )],
        Json(status),
    ))
}

/// Petugas yang sedang masuk (the logged-in officer).
#[utoipa::path(get, path = "/officer/session", tag = "petugas",
    responses((status = 200, body = OfficerInfo), (status = 401, body = ApiErrorBody)))]
async fn officer_session(auth: OfficerAuth) -> Json<OfficerInfo> {
    Json(OfficerInfo::from(&auth.officer))
}

/// Keluar (officer logout).
#[utoipa::path(delete, path = "/officer/session", tag = "petugas",
    responses((status = 204), (status = 401, body = ApiErrorBody)))]
async fn officer_log_out(
    State(state): State<AppState>,
    auth: OfficerAuth,
) -> Result<impl IntoResponse, AppError> {
    sessions::revoke(&state.db, &auth.session.token_hash).await?;
    Ok((
        StatusCode::NO_CONTENT,
        [(header::SET_COOKIE, clear_cookie(OFFICER_COOKIE))],
    ))
}

/// Buka loket atau sesi jemput bola (open a desk or a drive session).
#[utoipa::path(post, path = "/desks", tag = "petugas",
    request_body = OpenDesk,
    responses((status = 201, body = Desk), (status = 401, body = ApiErrorBody),
        (status = 422, body = ApiErrorBody)))]
async fn open_desk(
    State(state): State<AppState>,
    auth: OfficerAuth,
    ClientIp(ip): ClientIp,
    ApiJson(request): ApiJson<OpenDesk>,
) -> Result<(StatusCode, Json<Desk>), AppError> {
    let desk = desks::open(&state.db, &actor(&auth, &ip), request.kind, &request.label).await?;
    Ok((StatusCode::CREATED, Json(desk)))
}

/// Loket saya yang terbuka (my open desks).
#[utoipa::path(get, path = "/desks", tag = "petugas",
    responses((status = 200, body = Vec<Desk>), (status = 401, body = ApiErrorBody)))]
async fn my_desks(
    State(state): State<AppState>,
    auth: OfficerAuth,
) -> Result<Json<Vec<Desk>>, AppError> {
    Ok(Json(
        desks::open_desks_of(&state.db, auth.officer.id).await?,
    ))
}

/// Tutup loket (close a desk: its tokens stop working at once).
#[utoipa::path(post, path = "/desks/{id}/close", tag = "petugas",
    params(("id" = i64, Path)),
    responses((status = 200, body = Desk), (status = 403, body = ApiErrorBody),
        (status = 404, body = ApiErrorBody)))]
async fn close_desk(
    State(state): State<AppState>,
    auth: OfficerAuth,
    ClientIp(ip): ClientIp,
    Path(id): Path<i64>,
) -> Result<Json<Desk>, AppError> {
    Ok(Json(desks::close(&state.db, &actor(&auth, &ip), id).await?))
}

/// QR dan kode loket saat ini (the desk's current QR text and short code; rotates every 30 s).
#[utoipa::path(get, path = "/desks/{id}/token", tag = "petugas",
    params(("id" = i64, Path)),
    responses((status = 200, body = DeskToken), (status = 403, body = ApiErrorBody),
        (status = 409, body = ApiErrorBody)))]
async fn desk_token(
    State(state): State<AppState>,
    auth: OfficerAuth,
    Path(id): Path<i64>,
) -> Result<Json<DeskToken>, AppError> {
    let desk = desks::find_for(&state.db, &auth.officer, id).await?;
    Ok(Json(desks::current_token(&state.db, &desk).await?))
}

/// Antrean loket (pending registrations at a desk, oldest first).
#[utoipa::path(get, path = "/desks/{id}/queue", tag = "petugas",
    params(("id" = i64, Path)),
    responses((status = 200, body = Vec<QueueItem>), (status = 403, body = ApiErrorBody)))]
async fn desk_queue(
    State(state): State<AppState>,
    auth: OfficerAuth,
    Path(id): Path<i64>,
) -> Result<Json<Vec<QueueItem>>, AppError> {
    let desk = desks::find_for(&state.db, &auth.officer, id).await?;
    Ok(Json(review::queue(&state.db, &desk).await?))
}

/// Rincian pendaftaran (biodata and photo links for the face check).
#[utoipa::path(get, path = "/officer/registrations/{id}", tag = "petugas",
    params(("id" = String, Path)),
    responses((status = 200, body = RegistrationDetail), (status = 404, body = ApiErrorBody)))]
async fn registration_detail(
    State(state): State<AppState>,
    auth: OfficerAuth,
    Path(id): Path<String>,
) -> Result<Json<RegistrationDetail>, AppError> {
    Ok(Json(review::detail(&state.db, &auth.officer, &id).await?))
}

fn jpeg(bytes: Vec<u8>) -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "image/jpeg"),
            (header::CACHE_CONTROL, "private, no-store"),
        ],
        bytes,
    )
}

/// Swafoto pendaftar (the selfie, JPEG).
#[utoipa::path(get, path = "/officer/registrations/{id}/selfie", tag = "petugas",
    params(("id" = String, Path)),
    responses((status = 200, content_type = "image/jpeg", body = Vec<u8>),
        (status = 404, body = ApiErrorBody)))]
async fn registration_selfie(
    State(state): State<AppState>,
    auth: OfficerAuth,
    Path(id): Path<String>,
) -> Result<impl IntoResponse, AppError> {
    Ok(jpeg(review::selfie(&state.db, &auth.officer, &id).await?))
}

/// Foto registri (the photo from e-KTP recording, JPEG).
#[utoipa::path(get, path = "/officer/registrations/{id}/registry-photo", tag = "petugas",
    params(("id" = String, Path)),
    responses((status = 200, content_type = "image/jpeg", body = Vec<u8>),
        (status = 404, body = ApiErrorBody)))]
async fn registration_registry_photo(
    State(state): State<AppState>,
    auth: OfficerAuth,
    Path(id): Path<String>,
) -> Result<impl IntoResponse, AppError> {
    Ok(jpeg(
        review::registry_photo(&state.db, &auth.officer, &id).await?,
    ))
}

/// Setujui atau tolak (approve or reject; approval emails the activation code).
#[utoipa::path(post, path = "/officer/registrations/{id}/decision", tag = "petugas",
    params(("id" = String, Path)),
    request_body = DecisionRequest,
    responses((status = 200, body = DecisionOutcome), (status = 404, body = ApiErrorBody),
        (status = 409, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
async fn decide(
    State(state): State<AppState>,
    auth: OfficerAuth,
    ClientIp(ip): ClientIp,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<DecisionRequest>,
) -> Result<Json<DecisionOutcome>, AppError> {
    Ok(Json(
        review::decide(&state.db, &state.config, &actor(&auth, &ip), &id, &request).await?,
    ))
}

/// Kirim ulang kode aktivasi (a new activation code by email; earlier codes stop working).
#[utoipa::path(post, path = "/officer/registrations/{id}/resend-code", tag = "petugas",
    params(("id" = String, Path)),
    responses((status = 200, body = DecisionOutcome), (status = 404, body = ApiErrorBody),
        (status = 409, body = ApiErrorBody)))]
async fn resend_code(
    State(state): State<AppState>,
    auth: OfficerAuth,
    ClientIp(ip): ClientIp,
    Path(id): Path<String>,
) -> Result<Json<DecisionOutcome>, AppError> {
    Ok(Json(
        review::resend_code(&state.db, &state.config, &actor(&auth, &ip), &id).await?,
    ))
}

/// Keputusan bersama (one decision for several people, each face-checked first; each is
/// decided on its own, so one refused does not undo the others).
#[utoipa::path(post, path = "/officer/decisions", tag = "petugas",
    request_body = BatchDecision,
    responses((status = 200, body = BatchDecisionOutcome), (status = 422, body = ApiErrorBody)))]
async fn decide_batch(
    State(state): State<AppState>,
    auth: OfficerAuth,
    ClientIp(ip): ClientIp,
    ApiJson(request): ApiJson<BatchDecision>,
) -> Result<Json<BatchDecisionOutcome>, AppError> {
    Ok(Json(
        review::decide_many(&state.db, &state.config, &actor(&auth, &ip), &request).await?,
    ))
}

/// Buka kunci percobaan untuk NIK warga di loket (lift the attempt limits strangers ran up
/// against a citizen's NIK; recorded in the citizen's activity log; the same answer whether
/// an account exists).
#[utoipa::path(post, path = "/officer/unlock", tag = "petugas",
    request_body = UnlockRequest,
    responses((status = 204), (status = 401, body = ApiErrorBody),
        (status = 422, body = ApiErrorBody)))]
async fn lift_locks(
    State(state): State<AppState>,
    auth: OfficerAuth,
    ClientIp(ip): ClientIp,
    ApiJson(request): ApiJson<UnlockRequest>,
) -> Result<StatusCode, AppError> {
    locks::lift(&state.db, &actor(&auth, &ip), &request.nik).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct DayQuery {
    /// Unix seconds of the officer's local midnight (at most 36 hours back; without it, the
    /// last 24 hours).
    since: Option<i64>,
}

/// Pekerjaan saya hari ini (the logged-in officer's decisions since `since`, and who waits at
/// their open desks).
#[utoipa::path(get, path = "/officer/today", tag = "petugas",
    params(DayQuery),
    responses((status = 200, body = OfficerDay), (status = 401, body = ApiErrorBody)))]
async fn my_day(
    State(state): State<AppState>,
    auth: OfficerAuth,
    Query(query): Query<DayQuery>,
) -> Result<Json<OfficerDay>, AppError> {
    let since = query.since.unwrap_or_else(|| unix_now() - 24 * 3600);
    Ok(Json(
        officer_day::of(&state.db, &auth.officer, since).await?,
    ))
}
