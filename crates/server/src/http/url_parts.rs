//! `Path<T>` and `Query<T>`: axum's extractors with refusals in our JSON shape. An id that is
//! not a number (or is past `i64`) or a query parameter of the wrong type is the client's to
//! fix: 400 `invalid-path` / `invalid-query` with the JSON error body, never axum's plain-text
//! answer (found by the logged-in schemathesis runs of issue 19).

use axum::extract::FromRequestParts;
use axum::http::StatusCode;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use super::AppError;
use crate::platform::refusal::Refusal;

#[derive(Debug, Clone, Copy)]
pub struct Path<T>(pub T);

#[derive(Debug, Clone, Copy)]
pub struct Query<T>(pub T);

impl<S, T> FromRequestParts<S> for Path<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(value)) => Ok(Path(value)),
            Err(rejection) => Err(Refusal::new(
                StatusCode::BAD_REQUEST,
                "invalid-path",
                &format!("Alamat permintaan tidak sah: {}", rejection.body_text()),
                &format!(
                    "The request's address is not valid: {}",
                    rejection.body_text()
                ),
            )
            .into()),
        }
    }
}

impl<S, T> FromRequestParts<S> for Query<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(value)) => Ok(Query(value)),
            Err(rejection) => Err(Refusal::new(
                StatusCode::BAD_REQUEST,
                "invalid-query",
                &format!("Parameter permintaan tidak sah: {}", rejection.body_text()),
                &format!(
                    "The request's parameters are not valid: {}",
                    rejection.body_text()
                ),
            )
            .into()),
        }
    }
}
