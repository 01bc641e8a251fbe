//! The audit trail as supervisors and admins read it: their region's rows, by officer and
//! day, as JSON or a CSV download.

use axum::Json;
use axum::extract::State;

use super::url_parts::Query;
use axum::response::{IntoResponse, Response};
use ikd_core::ApiErrorBody;
use ikd_core::audit::AuditTrail;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::auth::OfficerAuth;
use super::csv_answer::csv_attachment;
use super::{AppError, AppState};
use crate::officer::audit::{self, Actor, AuditFilter};

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(read_trail))
}

/// Who acts in a request: the signed-in officer and the client's address.
pub(super) fn actor<'a>(auth: &'a OfficerAuth, ip: &'a str) -> Actor<'a> {
    Actor {
        officer: &auth.officer,
        client_ip: ip,
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct TrailQuery {
    /// Only this officer's rows.
    #[serde(default)]
    officer: Option<i64>,
    /// Only this day, `YYYY-MM-DD` (UTC).
    #[serde(default)]
    day: Option<String>,
    /// `csv` for a CSV download.
    #[serde(default)]
    format: Option<String>,
}

/// Jejak audit (the audit trail of my region, newest first; supervisors and admins).
#[utoipa::path(get, path = "/audit", tag = "petugas",
    params(TrailQuery),
    responses((status = 200, body = AuditTrail), (status = 401, body = ApiErrorBody),
        (status = 403, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
async fn read_trail(
    State(state): State<AppState>,
    auth: OfficerAuth,
    Query(query): Query<TrailQuery>,
) -> Result<Response, AppError> {
    let filter = AuditFilter {
        officer_id: query.officer,
        day: query.day.clone(),
    };
    let trail = audit::read(&state.db, &auth.officer, &filter).await?;
    Ok(if query.format.as_deref() == Some("csv") {
        let mut name = String::from("jejak-audit");
        if let Some(day) = query.day.as_deref().filter(|d| !d.trim().is_empty()) {
            name.push('-');
            name.push_str(day.trim());
        }
        if let Some(officer) = query.officer {
            name.push_str(&format!("-petugas-{officer}"));
        }
        csv_attachment(&format!("{name}.csv"), audit::to_csv(&trail))
    } else {
        Json(trail).into_response()
    })
}
