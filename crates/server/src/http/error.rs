//! The one error type of the HTTP layer. Every refusal is JSON with a stable code and a
//! message in Bahasa Indonesia and English; internal causes are logged, never sent.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use ikd_core::ApiErrorBody;

use crate::platform::db::DatabaseFault;
use crate::platform::metrics::RefusalCode;
use crate::platform::refusal::Refusal;
use crate::platform::work_limits;

/// How long a person is asked to wait when the database cannot answer: long enough for a
/// restarting database or a failover, short enough not to lose them.
pub const DATABASE_RETRY_AFTER_SECS: i64 = 5;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("unknown API path {0}")]
    UnknownApiPath(String),
    #[error("method not allowed")]
    MethodNotAllowed,
    #[error("refused: {}", .0.code)]
    Refused(Refusal),
    #[error("database: {0}")]
    Database(#[from] crate::platform::db::DbError),
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

    /// The body's `code`, for the refusal counter (`platform/metrics.rs`).
    fn code(&self) -> &'static str {
        match self {
            AppError::UnknownApiPath(_) => "not-found",
            AppError::MethodNotAllowed => "method-not-allowed",
            AppError::Refused(refusal) => refusal.code,
            AppError::Database(_) => "unavailable",
            AppError::Internal(_) => "internal",
        }
    }

    fn body(&self) -> ApiErrorBody {
        match self {
            AppError::UnknownApiPath(path) => ApiErrorBody::new(
                self.code(),
                &format!("Alamat API tidak dikenal: {path}"),
                &format!("Unknown API path: {path}"),
            ),
            AppError::MethodNotAllowed => ApiErrorBody::new(
                self.code(),
                "Metode HTTP ini tidak didukung untuk alamat ini",
                "This HTTP method is not supported for this path",
            ),
            AppError::Refused(refusal) => refusal.body(),
            AppError::Database(_) => ApiErrorBody::new(
                self.code(),
                "Layanan sedang tidak dapat mengakses basis data. Coba lagi beberapa saat lagi",
                "The service cannot reach its database right now. Try again shortly",
            ),
            AppError::Internal(_) => ApiErrorBody::new(
                self.code(),
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

/// Domain errors say which of them are the person's to fix (`refusal()`); a database fault
/// is 503 for all of them; the rest are faults of the service.
macro_rules! refusable {
    ($($error:ty),* $(,)?) => {$(
        impl From<$error> for AppError {
            fn from(err: $error) -> Self {
                if let Some(refusal) = err.refusal() {
                    return AppError::Refused(refusal);
                }
                match err.into_database_fault() {
                    Ok(db) => AppError::Database(db),
                    Err(err) => AppError::Internal(err.to_string()),
                }
            }
        }
    )*};
}

refusable!(
    crate::journey::registration::RegistrationError,
    crate::journey::activation::ActivationError,
    crate::journey::login::LoginError,
    crate::journey::password_reset::ResetError,
    crate::journey::bundle::BundleError,
    crate::journey::locks::LockError,
    crate::journey::officer_login::OfficerLoginError,
    crate::journey::desks::DeskError,
    crate::journey::review::ReviewError,
    crate::journey::consent::ConsentError,
    crate::journey::account_care::AccountError,
    crate::officer::drives::DriveError,
    crate::officer::drives::roster::RosterError,
    crate::officer::dashboard::DashboardError,
    crate::officer::dashboard::TargetError,
    crate::officer::staff::StaffError,
    crate::officer::audit::AuditError,
    crate::platform::rate_limit::RateLimitError,
    crate::platform::login_guard::GuardRefusal,
);

/// Errors with no refusal of their own: a database fault is 503, the rest 500.
macro_rules! faults_only {
    ($($error:ty),* $(,)?) => {$(
        impl From<$error> for AppError {
            fn from(err: $error) -> Self {
                match err.into_database_fault() {
                    Ok(db) => AppError::Database(db),
                    Err(err) => AppError::Internal(err.to_string()),
                }
            }
        }
    )*};
}

faults_only!(crate::trust::issuer_keyring::KeyringError);

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.status();
        if status.is_server_error() {
            tracing::error!(error = %self, "request failed");
        }
        let retry_after = match &self {
            AppError::Refused(refusal) => refusal.retry_after,
            AppError::Database(_) => Some(DATABASE_RETRY_AFTER_SECS),
            _ => None,
        };
        let mut response = (status, Json(self.body())).into_response();
        response.extensions_mut().insert(RefusalCode(self.code()));
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

/// The router's bounds refused the request: no room (503 `busy`) or too slow (408
/// `timeout`), as JSON like every other answer.
pub(super) async fn refuse_overload(err: tower::BoxError) -> AppError {
    if err.is::<tower::load_shed::error::Overloaded>() {
        AppError::Refused(work_limits::busy_refusal())
    } else if err.is::<tower::timeout::error::Elapsed>() {
        AppError::Refused(work_limits::timeout_refusal())
    } else {
        AppError::Internal(err.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The router's bounds answer like every other refusal: JSON in both languages, the load
    /// shed with `Retry-After`. (No timed test: the errors are made, not waited for.)
    #[tokio::test]
    async fn the_routers_bounds_answer_json() {
        let shed = refuse_overload(Box::new(tower::load_shed::error::Overloaded::new()))
            .await
            .into_response();
        assert_eq!(shed.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert!(shed.headers().contains_key(header::RETRY_AFTER));
        let late = refuse_overload(Box::new(tower::timeout::error::Elapsed::new()))
            .await
            .into_response();
        assert_eq!(late.status(), StatusCode::REQUEST_TIMEOUT);
        assert_eq!(
            late.headers()
                .get(header::CONTENT_TYPE)
                .map(HeaderValue::as_bytes),
            Some(&b"application/json"[..])
        );
    }
}
