//! `ApiJson<T>`: axum's JSON extractor with refusals in our JSON shape. A malformed body, a
//! missing field, a wrong content type or an oversized upload is the client's to fix, so it
//! gets a 4xx with a message a person can read, never a plain-text answer or a 500.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use serde::de::DeserializeOwned;

use super::AppError;
use crate::platform::refusal::Refusal;

/// The largest request body the API reads (a 200 KB selfie in base64 plus the form).
pub const MAX_BODY_BYTES: usize = 512 * 1024;

#[derive(Debug, Clone, Copy, Default)]
pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(request, state).await {
            Ok(Json(value)) => Ok(ApiJson(value)),
            Err(rejection) => Err(refusal_for(&rejection).into()),
        }
    }
}

fn refusal_for(rejection: &JsonRejection) -> Refusal {
    match rejection {
        JsonRejection::MissingJsonContentType(_) => Refusal::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "content-type",
            "Permintaan harus berjenis application/json",
            "The request must be application/json",
        ),
        JsonRejection::JsonSyntaxError(_) => Refusal::new(
            StatusCode::BAD_REQUEST,
            "json-syntax",
            "Isi permintaan bukan JSON yang sah",
            "The request body is not valid JSON",
        ),
        JsonRejection::JsonDataError(err) => Refusal::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "json-fields",
            &format!(
                "Isian permintaan tidak lengkap atau salah jenis: {}",
                err.body_text()
            ),
            &format!(
                "The request's fields are missing or of the wrong type: {}",
                err.body_text()
            ),
        ),
        other if other.status() == StatusCode::PAYLOAD_TOO_LARGE => Refusal::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too-large",
            &format!(
                "Isi permintaan terlalu besar (maksimal {} KB)",
                MAX_BODY_BYTES / 1024
            ),
            &format!(
                "The request body is too large (at most {} KB)",
                MAX_BODY_BYTES / 1024
            ),
        ),
        other => Refusal::new(
            StatusCode::BAD_REQUEST,
            "bad-request",
            "Isi permintaan tidak dapat dibaca",
            &format!("The request body could not be read: {}", other.body_text()),
        ),
    }
}
