//! `POST /api/captcha`: a fresh proof-of-work challenge for a form (registration, activation).

use axum::Json;
use axum::extract::State;
use ikd_core::captcha::Challenge;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{AppError, AppState};

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(new_challenge))
}

/// Captcha baru (a new proof-of-work challenge, solved on the device).
#[utoipa::path(post, path = "/captcha", tag = "umum",
    responses((status = 200, body = Challenge)))]
async fn new_challenge(State(state): State<AppState>) -> Result<Json<Challenge>, AppError> {
    Ok(Json(crate::platform::captcha::issue(&state.db).await?))
}
