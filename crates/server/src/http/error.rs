//! The one error type of the HTTP layer. Every refusal is JSON with a stable code and a
//! message in Bahasa Indonesia and English; internal causes are logged, never sent.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use ikd_core::ApiErrorBody;

use crate::refusal::Refusal;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("unknown API path {0}")]
    UnknownApiPath(String),
    #[error("method not allowed")]
    MethodNotAllowed,
    #[error("refused: {}", .0.code)]
    Refused(Refusal),
    #[error("database: {0}")]
    Database(#[from] crate::db::DbError),
    #[error("internal: {0}")]
    Internal(String),
}

impl AppError {
    fn status(&self) -> StatusCode {
        match self {
            AppError::UnknownApiPath(_) => StatusCode::NOT_FOUND,
            AppError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            AppError::Refused(refusal) => refusal.status,
            AppError::Database(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
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
            AppError::Refused(refusal) => refusal.body(),
            AppError::Database(_) => ApiErrorBody::new(
                "unavailable",
                "Layanan sedang tidak dapat mengakses basis data. Coba lagi beberapa saat lagi",
                "The service cannot reach its database right now. Try again shortly",
            ),
            AppError::Internal(_) => ApiErrorBody::new(
                "internal",
                "Terjadi kesalahan pada layanan. Coba lagi beberapa saat lagi",
                "Something went wrong in the service. Try again shortly",
            ),
        }
    }
}

impl From<Refusal> for AppError {
    fn from(refusal: Refusal) -> Self {
        AppError::Refused(refusal)
    }
}

/// Domain errors say which of them are the person's to fix (`refusal()`); the rest are
/// faults of the service.
macro_rules! refusable {
    ($($error:ty),* $(,)?) => {$(
        impl From<$error> for AppError {
            fn from(err: $error) -> Self {
                match err.refusal() {
                    Some(refusal) => AppError::Refused(refusal),
                    None => AppError::Internal(err.to_string()),
                }
            }
        }
    )*};
}

refusable!(
    crate::registration::RegistrationError,
    crate::activation::ActivationError,
    crate::login::LoginError,
    crate::desks::DeskError,
    crate::review::ReviewError,
    crate::drives::DriveError,
    crate::drives::roster::RosterError,
    crate::dashboard::DashboardError,
    crate::dashboard::TargetError,
    crate::staff::StaffError,
);

impl From<crate::rate_limit::RateLimitError> for AppError {
    fn from(err: crate::rate_limit::RateLimitError) -> Self {
        match err {
            crate::rate_limit::RateLimitError::Database(db) => AppError::Database(db),
            limited => limited.refusal().map_or_else(
                || AppError::Internal(limited.to_string()),
                AppError::Refused,
            ),
        }
    }
}

impl From<crate::issuer_keyring::KeyringError> for AppError {
    fn from(err: crate::issuer_keyring::KeyringError) -> Self {
        AppError::Internal(err.to_string())
    }
}

impl From<crate::bundle::BundleError> for AppError {
    fn from(err: crate::bundle::BundleError) -> Self {
        AppError::Internal(err.to_string())
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.status();
        if status.is_server_error() {
            tracing::error!(error = %self, "request failed");
        }
        let retry_after = match &self {
            AppError::Refused(refusal) => refusal.retry_after,
            _ => None,
        };
        let mut response = (status, Json(self.body())).into_response();
        if let Some(seconds) = retry_after
            && let Ok(value) = HeaderValue::from_str(&seconds.to_string())
        {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        response
    }
}

pub(super) async fn unknown_api_path(uri: Uri) -> AppError {
    // Nested routers see the path without the `/api` prefix; show the person the full one.
    AppError::UnknownApiPath(format!("/api{}", uri.path()))
}

pub(super) async fn method_not_allowed() -> AppError {
    AppError::MethodNotAllowed
}
