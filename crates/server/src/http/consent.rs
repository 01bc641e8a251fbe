//! Consent (otorisasi, issue 17): institutions ask for and read a citizen's data with their
//! bearer key; citizens list, approve, decline and revoke with their session.

use axum::Json;
use axum::extract::{RawQuery, State};

use super::url_parts::Path;
use axum::http::StatusCode;
use ikd_core::ApiErrorBody;
use ikd_core::consent_api::{
    ConsentAnswer, ConsentItem, ConsentOverview, ConsentRequestAccepted, ConsentRequestBody,
    ConsentScope, GrantData, InstitutionConsentView,
};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::auth::{CitizenAuth, InstitutionAuth};
use super::json_body::ApiJson;
use super::{AppError, AppState};
use crate::journey::consent::{self, ConsentError};

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(ask))
        .routes(routes!(request_status))
        .routes(routes!(read_grant))
        .routes(routes!(overview))
        .routes(routes!(one))
        .routes(routes!(answer))
        .routes(routes!(revoke))
}

/// Minta izin akses data warga (an institution asks a citizen for a scope of their data; the
/// answer is the same whether the NIK uses IKD or not).
#[utoipa::path(post, path = "/institution/consent-requests", tag = "instansi",
    request_body = ConsentRequestBody,
    security(("institution_key" = [])),
    responses((status = 202, body = ConsentRequestAccepted),
        (status = 401, body = ApiErrorBody), (status = 403, body = ApiErrorBody),
        (status = 422, body = ApiErrorBody), (status = 429, body = ApiErrorBody)))]
async fn ask(
    State(state): State<AppState>,
    InstitutionAuth(institution): InstitutionAuth,
    ApiJson(body): ApiJson<ConsentRequestBody>,
) -> Result<(StatusCode, Json<ConsentRequestAccepted>), AppError> {
    let accepted = consent::request(&state.db, &state.config, &institution, &body).await?;
    Ok((StatusCode::ACCEPTED, Json(accepted)))
}

/// Status permintaan izin (where the institution's own request or grant stands).
#[utoipa::path(get, path = "/institution/consent-requests/{id}", tag = "instansi",
    params(("id" = String, Path, description = "requestId")),
    security(("institution_key" = [])),
    responses((status = 200, body = InstitutionConsentView),
        (status = 401, body = ApiErrorBody), (status = 403, body = ApiErrorBody),
        (status = 404, body = ApiErrorBody)))]
async fn request_status(
    State(state): State<AppState>,
    InstitutionAuth(institution): InstitutionAuth,
    Path(id): Path<String>,
) -> Result<Json<InstitutionConsentView>, AppError> {
    Ok(Json(consent::view(&state.db, &institution, &id).await?))
}

/// Baca data sesuai izin (read exactly the granted scope while the grant is live; each read
/// appears in the citizen's history). `?scope=` names the scope the institution expects: any
/// other is refused `consent-out-of-scope`.
#[utoipa::path(get, path = "/institution/grants/{id}/data", tag = "instansi",
    params(("id" = String, Path, description = "the grant's id (its requestId)"),
        ("scope" = Option<ConsentScope>, Query, description = "the scope expected")),
    security(("institution_key" = [])),
    responses((status = 200, body = GrantData),
        (status = 401, body = ApiErrorBody),
        (status = 403, body = ApiErrorBody,
            description = "institution-disabled, consent-waiting, consent-declined, \
                           consent-revoked, consent-expired, consent-lapsed, consent-out-of-scope"),
        (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody),
        (status = 429, body = ApiErrorBody)))]
async fn read_grant(
    State(state): State<AppState>,
    InstitutionAuth(institution): InstitutionAuth,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Json<GrantData>, AppError> {
    let asked = match query
        .as_deref()
        .unwrap_or("")
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(key, _)| *key == "scope")
    {
        Some((_, word)) => Some(ConsentScope::parse(word).ok_or(ConsentError::Scope)?),
        None => None,
    };
    Ok(Json(
        consent::read(&state.db, &state.config, &institution, &id, asked).await?,
    ))
}

/// Izin akses data saya (requests waiting for an answer, and every grant, live and past).
#[utoipa::path(get, path = "/consents", tag = "warga",
    responses((status = 200, body = ConsentOverview), (status = 401, body = ApiErrorBody)))]
async fn overview(
    State(state): State<AppState>,
    CitizenAuth(session): CitizenAuth,
) -> Result<Json<ConsentOverview>, AppError> {
    Ok(Json(consent::overview(&state.db, &session.subject).await?))
}

/// Satu permintaan atau izin (one of one's own, by id or by the short code shown at the
/// institution's counter).
#[utoipa::path(get, path = "/consents/{id}", tag = "warga",
    params(("id" = String, Path, description = "the id or the 8-character short code")),
    responses((status = 200, body = ConsentItem), (status = 401, body = ApiErrorBody),
        (status = 404, body = ApiErrorBody)))]
async fn one(
    State(state): State<AppState>,
    CitizenAuth(session): CitizenAuth,
    Path(id): Path<String>,
) -> Result<Json<ConsentItem>, AppError> {
    Ok(Json(consent::item(&state.db, &session.subject, &id).await?))
}

/// Setujui atau tolak permintaan (approve or decline a waiting request).
#[utoipa::path(post, path = "/consents/{id}/answer", tag = "warga",
    params(("id" = String, Path, description = "the id or the short code")),
    request_body = ConsentAnswer,
    responses((status = 200, body = ConsentItem), (status = 401, body = ApiErrorBody),
        (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody),
        (status = 409, body = ApiErrorBody)))]
async fn answer(
    State(state): State<AppState>,
    CitizenAuth(session): CitizenAuth,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ConsentAnswer>,
) -> Result<Json<ConsentItem>, AppError> {
    Ok(Json(
        consent::answer(&state.db, &session.subject, &id, body.approve).await?,
    ))
}

/// Cabut izin (revoke a live grant: the institution's next read is refused).
#[utoipa::path(post, path = "/consents/{id}/revoke", tag = "warga",
    params(("id" = String, Path, description = "the id or the short code")),
    responses((status = 200, body = ConsentItem), (status = 401, body = ApiErrorBody),
        (status = 404, body = ApiErrorBody), (status = 409, body = ApiErrorBody)))]
async fn revoke(
    State(state): State<AppState>,
    CitizenAuth(session): CitizenAuth,
    Path(id): Path<String>,
) -> Result<Json<ConsentItem>, AppError> {
    Ok(Json(
        consent::revoke(&state.db, &session.subject, &id).await?,
    ))
}
