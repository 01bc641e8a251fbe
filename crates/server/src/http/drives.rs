//! Registration drives for civil servants: create, import the roster, follow progress by unit,
//! and the drive's approval queue. The drive's QR and decisions use the desk endpoints.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};

use super::url_parts::{Path, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use ikd_core::ApiErrorBody;
use ikd_core::console_api::{
    Drive, DriveProgress, MAX_ROSTER_BYTES, NewDrive, QueueItem, RosterImportReport,
};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::audit::actor;
use super::auth::OfficerAuth;
use super::client_ip::ClientIp;
use super::csv_answer::{CsvFormat, csv_attachment};
use super::json_body::ApiJson;
use super::{AppError, AppState};
use crate::officer::audit;
use crate::officer::drives::{self, roster};
use crate::platform::clock::today_utc;
use crate::platform::rate_limit;
use ikd_core::audit::AuditAction;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_drive, list_drives))
        .routes(routes!(drive))
        .routes(routes!(drive_progress))
        .routes(routes!(drive_queue))
        .merge(
            // A 100,000-person roster is a few MB; every other body stays small.
            OpenApiRouter::new()
                .routes(routes!(import_roster))
                .layer(DefaultBodyLimit::max(MAX_ROSTER_BYTES)),
        )
}

/// Buat kegiatan jemput bola (create a registration drive; opens its projector desk).
#[utoipa::path(post, path = "/drives", tag = "kegiatan",
    request_body = NewDrive,
    responses((status = 201, body = Drive), (status = 401, body = ApiErrorBody),
        (status = 422, body = ApiErrorBody)))]
async fn create_drive(
    State(state): State<AppState>,
    auth: OfficerAuth,
    ClientIp(ip): ClientIp,
    ApiJson(request): ApiJson<NewDrive>,
) -> Result<(StatusCode, Json<Drive>), AppError> {
    let drive = drives::create(&state.db, &actor(&auth, &ip), &request).await?;
    Ok((StatusCode::CREATED, Json(drive)))
}

/// Kegiatan saya (drives the officer works, or oversees as supervisor/admin).
#[utoipa::path(get, path = "/drives", tag = "kegiatan",
    responses((status = 200, body = Vec<Drive>), (status = 401, body = ApiErrorBody)))]
async fn list_drives(
    State(state): State<AppState>,
    auth: OfficerAuth,
) -> Result<Json<Vec<Drive>>, AppError> {
    Ok(Json(drives::list_for(&state.db, &auth.officer).await?))
}

/// Rincian kegiatan (one drive).
#[utoipa::path(get, path = "/drives/{id}", tag = "kegiatan",
    params(("id" = i64, Path)),
    responses((status = 200, body = Drive), (status = 403, body = ApiErrorBody),
        (status = 404, body = ApiErrorBody)))]
async fn drive(
    State(state): State<AppState>,
    auth: OfficerAuth,
    Path(id): Path<i64>,
) -> Result<Json<Drive>, AppError> {
    Ok(Json(drives::find_for(&state.db, &auth.officer, id).await?))
}

/// Impor daftar ASN (import the roster: CSV with NIP, NIK, name, unit; a header line is
/// optional). Good rows are imported; every bad row is reported with its line and reason.
#[utoipa::path(post, path = "/drives/{id}/roster", tag = "kegiatan",
    params(("id" = i64, Path)),
    request_body(content = String, content_type = "text/csv"),
    responses((status = 200, body = RosterImportReport), (status = 403, body = ApiErrorBody),
        (status = 413, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
async fn import_roster(
    State(state): State<AppState>,
    auth: OfficerAuth,
    ClientIp(ip): ClientIp,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Json<RosterImportReport>, AppError> {
    let drive = drives::find_for(&state.db, &auth.officer, id).await?;
    rate_limit::hit(
        &state.db,
        &format!("roster:officer:{}", auth.officer.id),
        state.config.limits.roster_imports_officer,
    )
    .await?;
    let report = roster::import(&state.db, &drive, &body, today_utc()).await?;
    // Recorded once the import committed (roster.rs keeps to the CSV).
    let detail = format!(
        "{} dari {} baris diimpor, {} ditolak",
        report.imported,
        report.rows,
        report.bad_rows.len()
    );
    let actor = actor(&auth, &ip);
    audit::record(
        &state.db,
        &actor,
        AuditAction::RosterImported,
        &id.to_string(),
        &detail,
    )
    .await?;
    Ok(Json(report))
}

/// Kemajuan per unit (progress by unit: on the roster, registered, approved, activated);
/// `?format=csv` for a spreadsheet.
#[utoipa::path(get, path = "/drives/{id}/progress", tag = "kegiatan",
    params(("id" = i64, Path), CsvFormat),
    responses((status = 200, body = DriveProgress), (status = 403, body = ApiErrorBody)))]
async fn drive_progress(
    State(state): State<AppState>,
    auth: OfficerAuth,
    Path(id): Path<i64>,
    Query(format): Query<CsvFormat>,
) -> Result<Response, AppError> {
    let drive = drives::find_for(&state.db, &auth.officer, id).await?;
    let progress = drives::progress(&state.db, &drive).await?;
    Ok(if format.is_csv() {
        csv_attachment(
            &format!("kemajuan-kegiatan-{id}.csv"),
            drives::progress_csv(&drive, &progress),
        )
    } else {
        Json(progress).into_response()
    })
}

/// Antrean kegiatan (people waiting for the face check at the drive, with roster NIP and unit).
#[utoipa::path(get, path = "/drives/{id}/queue", tag = "kegiatan",
    params(("id" = i64, Path)),
    responses((status = 200, body = Vec<QueueItem>), (status = 403, body = ApiErrorBody)))]
async fn drive_queue(
    State(state): State<AppState>,
    auth: OfficerAuth,
    Path(id): Path<i64>,
) -> Result<Json<Vec<QueueItem>>, AppError> {
    let drive = drives::find_for(&state.db, &auth.officer, id).await?;
    Ok(Json(drives::queue(&state.db, &drive).await?))
}
