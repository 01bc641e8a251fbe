//! `GET /metrics` for Prometheus, on the address `ikd serve --metrics-listen` names and never
//! on the public port: the counters say what the service is doing, which is the operator's
//! business only. What it counts and why per process: `platform/metrics.rs`.

use std::time::Duration;

use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{StatusCode, Uri, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::{AppError, AppState};
use crate::platform::clock;
use crate::platform::mail_queue;
use crate::platform::metrics::{Gauges, Metrics, RefusalCode, UNMATCHED_API_ROUTE, WEB_ROUTE};
use crate::platform::refusal::Refusal;

/// How long a scrape waits for the database's answer (the queue depth): under Prometheus's
/// default scrape time-out of 10 s, so an outage shows as `ikd_database_up 0`, not as a
/// failed scrape.
const DATABASE_WAIT: Duration = Duration::from_secs(2);

/// The route template a request matched, copied onto its answer for [`count`].
#[derive(Debug, Clone)]
struct RouteTemplate(MatchedPath);

/// Layered on the API's routes (`route_layer`: after routing, so the template is known).
pub(super) async fn mark_route(matched: MatchedPath, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    response.extensions_mut().insert(RouteTemplate(matched));
    response
}

/// Layered outside everything else, the bounds included, so a request shed as busy or cut off
/// by the time-out is counted too.
pub(super) async fn count(
    State(metrics): State<Metrics>,
    request: Request,
    next: Next,
) -> Response {
    let started = clock::stopwatch();
    let method = request.method().clone();
    let is_api = request.uri().path().starts_with("/api/");
    let response = next.run(request).await;
    let route = match response.extensions().get::<RouteTemplate>() {
        Some(RouteTemplate(matched)) => matched.as_str(),
        None if is_api => UNMATCHED_API_ROUTE,
        None => WEB_ROUTE,
    };
    metrics.record_request(
        method.as_str(),
        route,
        response.status().as_u16(),
        started.elapsed(),
        response.extensions().get::<RefusalCode>().copied(),
    );
    response
}

/// The metrics listener's whole router: `GET /metrics`, and a JSON 404 for anything else.
pub fn metrics_app(state: AppState) -> Router {
    Router::new()
        .route("/metrics", get(scrape))
        .fallback(unknown_path)
        .with_state(state)
}

async fn scrape(State(state): State<AppState>) -> Response {
    let (argon2_permits, argon2_in_use) = state.config.work.password_permits();
    let (request_slots, in_flight) = state.config.work.request_slots_in_use();
    let pool = state.db.pool();
    let mail_waiting = tokio::time::timeout(DATABASE_WAIT, mail_queue::waiting(&state.db))
        .await
        .ok()
        .and_then(Result::ok);
    let as_u64 = |n: usize| u64::try_from(n).unwrap_or(u64::MAX);
    let gauges = Gauges {
        argon2_permits: as_u64(argon2_permits),
        argon2_permits_in_use: as_u64(argon2_in_use),
        request_slots: as_u64(request_slots),
        requests_in_flight: as_u64(in_flight),
        pool_max: u64::from(pool.options().get_max_connections()),
        pool_open: u64::from(pool.size()),
        pool_idle: as_u64(pool.num_idle()),
        database_up: mail_waiting.is_some(),
        mail_waiting: mail_waiting.map(|n| u64::try_from(n).unwrap_or(0)),
    };
    (
        [
            (
                header::CONTENT_TYPE,
                "text/plain; version=0.0.4; charset=utf-8",
            ),
            (header::CACHE_CONTROL, "no-store"),
        ],
        state.config.metrics.render(&gauges),
    )
        .into_response()
}

/// `/metrics` on the public port: not here, and the answer says no more than a 404.
pub(super) async fn not_on_public_port(uri: Uri) -> AppError {
    AppError::Refused(Refusal::not_found(
        &format!("Alamat {}", uri.path()),
        &format!("Path {}", uri.path()),
    ))
}

async fn unknown_path(uri: Uri) -> AppError {
    let path = uri.path();
    AppError::Refused(Refusal::new(
        StatusCode::NOT_FOUND,
        "not-found",
        &format!("Alamat tidak dikenal: {path}; metrik ada di /metrics"),
        &format!("Unknown path: {path}; the metrics are at /metrics"),
    ))
}
