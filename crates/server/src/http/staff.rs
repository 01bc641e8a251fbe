//! Officer accounts of a region, managed by its supervisors and admins.

use axum::Json;
use axum::extract::State;

use super::url_parts::Path;
use axum::http::StatusCode;
use ikd_core::ApiErrorBody;
use ikd_core::console_api::{NewOfficerRequest, OfficerSummary};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::audit::actor;
use super::auth::OfficerAuth;
use super::client_ip::ClientIp;
use super::json_body::ApiJson;
use super::{AppError, AppState};
use crate::officer::staff;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_officers, add_officer))
        .routes(routes!(disable_officer))
        .routes(routes!(enable_officer))
        .routes(routes!(reset_second_factor))
}

/// Petugas di wilayah saya (officers of my region; supervisors and admins).
#[utoipa::path(get, path = "/officers", tag = "petugas",
    responses((status = 200, body = Vec<OfficerSummary>), (status = 403, body = ApiErrorBody)))]
async fn list_officers(
    State(state): State<AppState>,
    auth: OfficerAuth,
) -> Result<Json<Vec<OfficerSummary>>, AppError> {
    Ok(Json(staff::list(&state.db, &auth.officer).await?))
}

/// Tambah petugas (add an officer in my region; admins may add supervisors).
#[utoipa::path(post, path = "/officers", tag = "petugas",
    request_body = NewOfficerRequest,
    responses((status = 201, body = OfficerSummary), (status = 403, body = ApiErrorBody),
        (status = 409, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
async fn add_officer(
    State(state): State<AppState>,
    auth: OfficerAuth,
    ClientIp(ip): ClientIp,
    ApiJson(request): ApiJson<NewOfficerRequest>,
) -> Result<(StatusCode, Json<OfficerSummary>), AppError> {
    let added = staff::add(&state.db, &actor(&auth, &ip), &request).await?;
    Ok((StatusCode::CREATED, Json(added)))
}

/// Nonaktifkan petugas (switch an account off; its sessions end at once).
#[utoipa::path(post, path = "/officers/{id}/disable", tag = "petugas",
    params(("id" = i64, Path)),
    responses((status = 204), (status = 403, body = ApiErrorBody),
        (status = 404, body = ApiErrorBody), (status = 409, body = ApiErrorBody)))]
async fn disable_officer(
    State(state): State<AppState>,
    auth: OfficerAuth,
    ClientIp(ip): ClientIp,
    Path(id): Path<i64>,
) -> Result<StatusCode, AppError> {
    staff::disable(&state.db, &actor(&auth, &ip), id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Aktifkan kembali petugas (switch a disabled account back on).
#[utoipa::path(post, path = "/officers/{id}/enable", tag = "petugas",
    params(("id" = i64, Path)),
    responses((status = 204), (status = 403, body = ApiErrorBody),
        (status = 404, body = ApiErrorBody)))]
async fn enable_officer(
    State(state): State<AppState>,
    auth: OfficerAuth,
    ClientIp(ip): ClientIp,
    Path(id): Path<i64>,
) -> Result<StatusCode, AppError> {
    staff::enable(&state.db, &actor(&auth, &ip), id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Atur ulang faktor kedua petugas (an admin removes an officer's passkeys, authenticator app
/// and recovery codes, e.g. after a lost phone; their sessions end and their next login
/// enrols again). Audited.
#[utoipa::path(post, path = "/officers/{id}/second-factor-reset", tag = "petugas",
    params(("id" = i64, Path)),
    responses((status = 204), (status = 401, body = ApiErrorBody),
        (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
async fn reset_second_factor(
    State(state): State<AppState>,
    auth: OfficerAuth,
    ClientIp(ip): ClientIp,
    Path(id): Path<i64>,
) -> Result<StatusCode, AppError> {
    staff::reset_second_factor(&state.db, &actor(&auth, &ip), id).await?;
    Ok(StatusCode::NO_CONTENT)
}
