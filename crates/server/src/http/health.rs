//! `GET /api/health`: liveness plus a real round trip to the database.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use ikd_core::HealthReport;

use super::{AppError, AppState};

pub(super) fn router() -> Router<AppState> {
    Router::new().route("/health", get(health))
}

async fn health(State(state): State<AppState>) -> Result<Json<HealthReport>, AppError> {
    let schema_version = state.db.schema_version().await?;
    Ok(Json(HealthReport {
        status: "ok".to_owned(),
        version: env!("CARGO_PKG_VERSION").to_owned(),
        database: state.db.kind(),
        schema_version,
        issuer_kid: state.issuer_key.kid(),
        // The registry behind this service is always the synthetic one until a real SIAK
        // connection exists; every screen that shows registry data says so.
        demo_data: true,
    }))
}
