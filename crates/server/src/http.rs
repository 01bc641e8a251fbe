//! The HTTP surface: `/api/*` is JSON, everything else is the built PWA. Each area has its
//! own module with its own `router()`; they are merged here, in one place.

mod captcha;
mod error;
mod health;
mod security_headers;
mod web_assets;

use std::path::PathBuf;
use std::sync::Arc;

use axum::Router;

pub use error::AppError;

use crate::db::Db;
use crate::issuer_keys::IssuerKey;

/// What every handler may use. It holds handles and configuration only: all state lives in
/// the database, so any replica can answer any request.
#[derive(Debug, Clone)]
pub struct AppState {
    pub db: Db,
    pub issuer_key: Arc<IssuerKey>,
    /// Folder with the Trunk build of the PWA (`dist/`).
    pub web_dir: PathBuf,
}

/// The whole service as one router; `ikd serve` runs it and tests drive it with `oneshot`.
pub fn app(state: AppState) -> Router {
    let api = Router::new()
        .merge(health::router())
        .merge(captcha::router())
        .fallback(error::unknown_api_path)
        .method_not_allowed_fallback(error::method_not_allowed);
    let security = security_headers::SecurityHeaders::for_web_dir(&state.web_dir);
    Router::new()
        .nest("/api", api)
        .fallback_service(web_assets::service(&state.web_dir))
        .layer(axum::middleware::from_fn(web_assets::cache_policy))
        .layer(axum::middleware::from_fn_with_state(
            security,
            security_headers::add,
        ))
        .with_state(state)
}
