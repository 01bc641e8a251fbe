//! `GET /api/health`: liveness plus a real round trip to the database.

use axum::Json;
use axum::extract::State;
use ikd_core::HealthReport;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{AppError, AppState};

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(health))
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
