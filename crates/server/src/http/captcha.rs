//! `POST /api/captcha`: a fresh proof-of-work challenge for a form (registration, activation).

use axum::extract::State;
use axum::routing::post;
use axum::{Json, Router};
use ikd_core::captcha::Challenge;

use super::{AppError, AppState};

pub(super) fn router() -> Router<AppState> {
    Router::new().route("/captcha", post(new_challenge))
}

async fn new_challenge(State(state): State<AppState>) -> Result<Json<Challenge>, AppError> {
    Ok(Json(crate::captcha::issue(&state.db).await?))
}
