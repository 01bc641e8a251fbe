//! The one error type of the HTTP layer. Every refusal is JSON with a stable code and a
//! message in Bahasa Indonesia and English; internal causes are logged, never sent.

use axum::Json;
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use ikd_core::ApiErrorBody;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("unknown API path {0}")]
    UnknownApiPath(String),
    #[error("method not allowed")]
    MethodNotAllowed,
    #[error("database: {0}")]
    Database(#[from] crate::db::DbError),
}

impl AppError {
    fn status(&self) -> StatusCode {
        match self {
            AppError::UnknownApiPath(_) => StatusCode::NOT_FOUND,
            AppError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            AppError::Database(_) => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    fn body(&self) -> ApiErrorBody {
        match self {
            AppError::UnknownApiPath(path) => ApiErrorBody::new(
                "not-found",
                &format!("Alamat API tidak dikenal: {path}"),
                &format!("Unknown API path: {path}"),
            ),
            AppError::MethodNotAllowed => ApiErrorBody::new(
                "method-not-allowed",
                "Metode HTTP ini tidak didukung untuk alamat ini",
                "This HTTP method is not supported for this path",
            ),
            AppError::Database(_) => ApiErrorBody::new(
                "unavailable",
                "Layanan sedang tidak dapat mengakses basis data. Coba lagi beberapa saat lagi",
                "The service cannot reach its database right now. Try again shortly",
            ),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.status();
        if status.is_server_error() {
            tracing::error!(error = %self, "request failed");
        }
        (status, Json(self.body())).into_response()
    }
}

pub(super) async fn unknown_api_path(uri: Uri) -> AppError {
    // Nested routers see the path without the `/api` prefix; show the person the full one.
    AppError::UnknownApiPath(format!("/api{}", uri.path()))
}

pub(super) async fn method_not_allowed() -> AppError {
    AppError::MethodNotAllowed
}
