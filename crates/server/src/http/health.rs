//! `GET /api/health`: a real round trip to the database with what an operator checks first.
//! For orchestrators, two answers apart: `GET /api/health/live` (the process answers; never
//! touches the database, so a database outage does not get the process restarted) and
//! `GET /api/health/ready` (this replica can serve: the database answers and the sealed keys
//! are unlocked; 503 with `Retry-After` otherwise, so the load balancer sends traffic elsewhere).

use axum::Json;
use axum::extract::State;
use ikd_core::HealthReport;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{AppError, AppState};

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(health))
        .routes(routes!(live))
        .routes(routes!(ready))
}

/// Hidup (liveness): the process answers requests.
#[utoipa::path(get, path = "/health/live", tag = "umum",
    responses((status = 200, body = Object, description = "{\"status\": \"live\"}")))]
async fn live() -> Json<serde_json::Value> {
    Json(serde_json::json!({"status": "live"}))
}

/// Siap (readiness): the database answers and the keys are unlocked.
#[utoipa::path(get, path = "/health/ready", tag = "umum",
    responses((status = 200, body = Object, description = "{\"status\": \"ready\"}"),
        (status = 503, body = ikd_core::ApiErrorBody)))]
async fn ready(State(state): State<AppState>) -> Result<Json<serde_json::Value>, AppError> {
    state.db.schema_version().await?;
    state
        .db
        .key_encryption()
        .map_err(crate::platform::db::DbError::from)?;
    Ok(Json(serde_json::json!({"status": "ready"})))
}

/// Kesehatan layanan (service health, database kind and schema version, issuer key id).
#[utoipa::path(get, path = "/health", tag = "umum",
    responses((status = 200, body = Object, description = "HealthReport")))]
async fn health(State(state): State<AppState>) -> Result<Json<HealthReport>, AppError> {
    let schema_version = state.db.schema_version().await?;
    let issuer = crate::trust::issuer_keyring::current(&state.db).await?;
    Ok(Json(HealthReport {
        status: "ok".to_owned(),
        version: env!("CARGO_PKG_VERSION").to_owned(),
        database: state.db.kind(),
        schema_version,
        issuer_kid: issuer.kid(),
        // Recorded by the newest registry load; screens label demo data by it.
        demo_data: crate::registry::origin::is_demo(&state.db).await?,
    }))
}
