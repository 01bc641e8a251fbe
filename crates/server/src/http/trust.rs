//! What verifiers use: the trust list of issuer keys, the signed revocation list (both
//! public and cacheable), and online verification for registered institutions.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::IntoResponse;
use ikd_core::ApiErrorBody;
use ikd_core::signed::SignedJson;
use ikd_core::trust_documents::TrustListDocument;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::auth::InstitutionAuth;
use super::json_body::ApiJson;
use super::{AppError, AppState};
use crate::journey::institutions::{self, Verdict};
use crate::platform::db::unix_now;
use crate::trust::issuer_keyring;
use crate::trust::revocations;

/// Verifiers may keep these for five minutes; a revocation reaches them within that.
const PUBLIC_CACHE: &str = "public, max-age=300";

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(trust_list))
        .routes(routes!(revocation_list))
        .routes(routes!(verify))
}

/// Daftar kunci tepercaya (the issuer keys, with their rotation windows).
#[utoipa::path(get, path = "/trust-list", tag = "verifikasi",
    responses((status = 200, body = TrustListDocument)))]
async fn trust_list(State(state): State<AppState>) -> Result<impl IntoResponse, AppError> {
    let now = unix_now();
    let document = TrustListDocument {
        issuer: state.config.issuer.clone(),
        issued_at: now,
        keys: issuer_keyring::published(&state.db, now).await?,
    };
    Ok((
        [(
            header::CACHE_CONTROL,
            HeaderValue::from_static(PUBLIC_CACHE),
        )],
        Json(document),
    ))
}

/// Daftar pencabutan bertanda tangan (the signed revocation list).
#[utoipa::path(get, path = "/revocations", tag = "verifikasi",
    responses((status = 200, body = SignedJson,
        description = "payload: RevocationList JSON, signed ES256 by the issuer")))]
async fn revocation_list(State(state): State<AppState>) -> Result<impl IntoResponse, AppError> {
    let signed = revocations::signed(&state.db).await?;
    Ok((
        [(
            header::CACHE_CONTROL,
            HeaderValue::from_static(PUBLIC_CACHE),
        )],
        Json(signed),
    ))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct VerifyRequest {
    /// The QR's Base45 text.
    qr: String,
}

/// Verifikasi daring oleh instansi (online verification by a registered institution; logged in
/// the citizen's history).
#[utoipa::path(post, path = "/verifications", tag = "verifikasi",
    request_body = VerifyRequest,
    security(("institution_key" = [])),
    responses((status = 200, body = Verdict), (status = 401, body = ApiErrorBody),
        (status = 403, body = ApiErrorBody, description = "institution-disabled")))]
async fn verify(
    State(state): State<AppState>,
    InstitutionAuth(institution): InstitutionAuth,
    ApiJson(request): ApiJson<VerifyRequest>,
) -> Result<Json<Verdict>, AppError> {
    Ok(Json(
        institutions::verify(&state.db, &institution, &request.qr).await?,
    ))
}
