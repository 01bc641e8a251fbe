//! The HTTP surface: `/api/*` is JSON, everything else is the built PWA. Each area has its
//! own module with its own `router()`; they are merged here, in one place, and the OpenAPI
//! document is collected from the same routers, so it lists exactly the routes served.

mod account;
mod audit;
mod auth;
mod captcha;
mod citizen;
mod client_ip;
mod consent;
mod cross_site;
mod csv_answer;
mod dashboard;
mod drives;
mod error;
mod health;
mod json_body;
mod metrics;
mod officer;
mod openapi_refusals;
mod second_factor;
mod security_headers;
mod staff;
mod trust;
mod url_parts;
mod web_assets;

use std::path::PathBuf;
use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::routing::get;
use axum::{Json, Router};
use tower_http::CompressionLevel;
use tower_http::compression::CompressionLayer;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{InfoBuilder, OpenApi};
use utoipa_axum::router::OpenApiRouter;

pub use auth::{CITIZEN_COOKIE, OFFICER_COOKIE};
pub use error::AppError;
pub use json_body::MAX_BODY_BYTES;
pub use metrics::metrics_app;

use crate::platform::config::ServiceConfig;
use crate::platform::db::Db;

/// What every handler may use. It holds handles and configuration only: all state lives in
/// the database, so any replica can answer any request.
#[derive(Debug, Clone)]
pub struct AppState {
    pub db: Db,
    pub config: Arc<ServiceConfig>,
    /// Folder with the Trunk build of the PWA (`dist/`).
    pub web_dir: PathBuf,
    /// Folder with the Trunk build of the officer console (`dist-console/`), served under
    /// `/petugas/`.
    pub console_dir: PathBuf,
}

impl AppState {
    /// Who officers' passkeys are for: the public URL's host (`localhost` for a loopback IP),
    /// or none on another IP address.
    pub fn relying_party(&self) -> Option<crate::platform::webauthn::RelyingParty> {
        crate::platform::webauthn::RelyingParty::for_public_url(&self.config.public_url)
    }
}

/// The API's routers and their OpenAPI document.
pub fn api() -> (Router<AppState>, OpenApi) {
    let (router, mut doc) = OpenApiRouter::<AppState>::new()
        .merge(health::router())
        .merge(captcha::router())
        .merge(citizen::router())
        .merge(officer::router())
        .merge(second_factor::router())
        .merge(drives::router())
        .merge(dashboard::router())
        .merge(staff::router())
        .merge(audit::router())
        .merge(trust::router())
        .merge(consent::router())
        .merge(account::router())
        .split_for_parts();
    doc.info = InfoBuilder::new()
        .title("IKD Web API")
        .version(env!("CARGO_PKG_VERSION"))
        .description(Some(
            "Layanan penerbitan KTP digital (IKD). Citizen sessions use the `__Host-ikd_sesi` cookie, \
             officer sessions `__Host-ikd_petugas`; both are HttpOnly, Secure, SameSite=Strict. Every \
             refusal is `ApiErrorBody` with a stable `code`.",
        ))
        .build();
    let components = doc.components.get_or_insert_with(Default::default);
    components.add_security_scheme(
        "institution_key",
        SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
    );
    // Paths are served under /api.
    let paths = std::mem::take(&mut doc.paths.paths);
    doc.paths.paths = paths
        .into_iter()
        .map(|(path, item)| (format!("/api{path}"), item))
        .collect();
    doc.paths.paths.insert(
        "/api/openapi.json".to_owned(),
        utoipa::openapi::path::PathItem::new(
            utoipa::openapi::HttpMethod::Get,
            utoipa::openapi::path::OperationBuilder::new()
                .summary(Some("Dokumen OpenAPI ini (this OpenAPI document)"))
                .response("200", utoipa::openapi::Response::new("OpenAPI 3.1 JSON")),
        ),
    );
    openapi_refusals::add_to(&mut doc);
    (router, doc)
}

/// The whole service as one router; `ikd serve` runs it and tests drive it with `oneshot`.
pub fn app(state: AppState) -> Router {
    let (api_routes, doc) = api();
    let doc = Arc::new(doc);
    let api = api_routes
        .route(
            "/openapi.json",
            get(move || {
                let doc = doc.clone();
                async move { Json(doc.as_ref().clone()) }
            }),
        )
        // After routing, so the request counter learns the route template.
        .route_layer(axum::middleware::from_fn(metrics::mark_route))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        // API answers compress well (the bundle is mostly Base45 and JSON); a fast level keeps
        // the CPU cost per request small.
        .layer(
            CompressionLayer::new()
                .br(true)
                .gzip(true)
                .quality(CompressionLevel::Precise(4)),
        )
        .fallback(error::unknown_api_path)
        .method_not_allowed_fallback(error::method_not_allowed);
    // Strangers cannot exhaust the service: a bounded number of requests in flight in this
    // process, the rest shed at once (503 `busy`), and none longer than the time-out (408).
    let bounds = tower::ServiceBuilder::new()
        .layer(axum::error_handling::HandleErrorLayer::new(
            error::refuse_overload,
        ))
        .load_shed()
        .layer(tower::limit::GlobalConcurrencyLimitLayer::with_semaphore(
            state.config.work.request_slots(),
        ))
        .timeout(std::time::Duration::from_secs(
            crate::platform::work_limits::REQUEST_TIMEOUT_SECS,
        ));
    let security = security_headers::SecurityHeaders::for_pages(&web_assets::pages(
        &state.web_dir,
        &state.console_dir,
    ))
    .with_public_url(&state.config.public_url);
    // Before anything else an API request costs: a state-changing request a browser sent
    // from another site is refused (403 `cross-site`).
    let api = api.layer(axum::middleware::from_fn_with_state(
        cross_site::SameOrigin::for_public_url(&state.config.public_url),
        cross_site::refuse,
    ));
    Router::new()
        .nest("/api", api)
        // Metrics are the operator's, on their own address (`--metrics-listen`); here the
        // path is a JSON 404, not the PWA's page.
        .route("/metrics", axum::routing::any(metrics::not_on_public_port))
        .nest_service(
            web_assets::CONSOLE_PATH,
            web_assets::console(&state.console_dir),
        )
        .fallback_service(web_assets::citizen_app(&state.web_dir))
        .layer(bounds)
        // Outside the bounds: requests shed as busy or cut off are counted too.
        .layer(axum::middleware::from_fn_with_state(
            state.config.metrics.clone(),
            metrics::count,
        ))
        .layer(axum::middleware::from_fn(web_assets::cache_policy))
        .layer(axum::middleware::from_fn_with_state(
            security,
            security_headers::add,
        ))
        .with_state(state)
}
