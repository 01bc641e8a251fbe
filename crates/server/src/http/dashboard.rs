//! Regional figures against targets, and the targets themselves (admins).

use axum::Json;
use axum::extract::State;

use super::url_parts::{Path, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use ikd_core::ApiErrorBody;
use ikd_core::console_api::{DriveFigures, RegionDashboard, SetTarget};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::auth::OfficerAuth;
use super::csv_answer::{CsvFormat, csv_attachment};
use super::json_body::ApiJson;
use super::{AppError, AppState};
use crate::officer::dashboard;
use crate::platform::clock::today_utc;
use crate::platform::db::unix_now;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(regions))
        .routes(routes!(drives))
        .routes(routes!(set_target))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct RegionQuery {
    /// "" (or absent) for Indonesia and its provinces, "32" for a province and its
    /// regencies, "32.76" for a regency and its districts.
    #[serde(default)]
    parent: String,
    /// `csv` for a CSV download.
    #[serde(default)]
    format: Option<String>,
}

/// Dasbor wilayah (a region, its children and its trend, against targets).
#[utoipa::path(get, path = "/dashboard/regions", tag = "dasbor",
    params(RegionQuery),
    responses((status = 200, body = RegionDashboard), (status = 401, body = ApiErrorBody),
        (status = 404, body = ApiErrorBody)))]
async fn regions(
    State(state): State<AppState>,
    auth: OfficerAuth,
    Query(query): Query<RegionQuery>,
) -> Result<Response, AppError> {
    let view = dashboard::regions(&state.db, &auth.officer, &query.parent, today_utc()).await?;
    Ok(if query.format.as_deref() == Some("csv") {
        let name = if view.region.code.is_empty() {
            "indonesia".to_owned()
        } else {
            view.region.code.replace('.', "")
        };
        csv_attachment(&format!("dasbor-{name}.csv"), dashboard::regions_csv(&view))
    } else {
        Json(view).into_response()
    })
}

/// Dasbor kegiatan (progress of each drive the officer works or oversees).
#[utoipa::path(get, path = "/dashboard/drives", tag = "dasbor",
    params(CsvFormat),
    responses((status = 200, body = Vec<DriveFigures>), (status = 401, body = ApiErrorBody)))]
async fn drives(
    State(state): State<AppState>,
    auth: OfficerAuth,
    Query(format): Query<CsvFormat>,
) -> Result<Response, AppError> {
    let rows = dashboard::drives(&state.db, &auth.officer).await?;
    Ok(if format.is_csv() {
        csv_attachment("dasbor-kegiatan.csv", dashboard::drives_csv(&rows))
    } else {
        Json(rows).into_response()
    })
}

/// Tetapkan target wilayah (admins, within their region). `region` is `id` for Indonesia.
#[utoipa::path(put, path = "/targets/{region}", tag = "dasbor",
    params(("region" = String, Path, description = "id, a province (32) or a regency (32.76)")),
    request_body = SetTarget,
    responses((status = 204), (status = 403, body = ApiErrorBody),
        (status = 422, body = ApiErrorBody)))]
async fn set_target(
    State(state): State<AppState>,
    auth: OfficerAuth,
    Path(region): Path<String>,
    ApiJson(request): ApiJson<SetTarget>,
) -> Result<StatusCode, AppError> {
    let code = if region == "id" { "" } else { region.as_str() };
    dashboard::set_target(&state.db, &auth.officer, code, request.percent, unix_now()).await?;
    Ok(StatusCode::NO_CONTENT)
}
