//! Self-service account care (issue 17): the account overview, a new email or phone, ending
//! another session, a lost phone reported from any browser, a copy of everything, closing.
//! The bodies are `ikd_core::account_api`.

use axum::Json;
use axum::extract::State;

use super::url_parts::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use ikd_core::ApiErrorBody;
use ikd_core::account_api::{
    AccountCloseRequest, AccountExport, AccountOverview, EmailChangeConfirm, EmailChangeRequest,
    LostPhoneConfirm, LostPhoneRequest, PhoneChange,
};
use ikd_core::citizen_api::Notice;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::auth::{CITIZEN_COOKIE, CitizenAuth, clear_cookie};
use super::client_ip::ClientIp;
use super::json_body::ApiJson;
use super::{AppError, AppState};
use crate::journey::{account_care, account_closing, account_export, lost_phone};

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(overview))
        .routes(routes!(request_email_change))
        .routes(routes!(confirm_email_change))
        .routes(routes!(change_phone))
        .routes(routes!(end_session))
        .routes(routes!(export))
        .routes(routes!(close))
        .routes(routes!(report_lost_phone))
        .routes(routes!(confirm_lost_phone))
}

/// Akun saya (the account: contact details, devices, live sessions).
#[utoipa::path(get, path = "/account", tag = "warga",
    responses((status = 200, body = AccountOverview), (status = 401, body = ApiErrorBody)))]
async fn overview(
    State(state): State<AppState>,
    CitizenAuth(session): CitizenAuth,
) -> Result<Json<AccountOverview>, AppError> {
    Ok(Json(
        account_care::overview(&state.db, &state.config, &session).await?,
    ))
}

/// Ganti email (a code goes to the new address; the change waits for it).
#[utoipa::path(post, path = "/account/email", tag = "warga",
    request_body = EmailChangeRequest,
    responses((status = 202, body = Notice), (status = 401, body = ApiErrorBody),
        (status = 422, body = ApiErrorBody, description = "email-invalid, email-unchanged"),
        (status = 429, body = ApiErrorBody)))]
async fn request_email_change(
    State(state): State<AppState>,
    CitizenAuth(session): CitizenAuth,
    ApiJson(request): ApiJson<EmailChangeRequest>,
) -> Result<(StatusCode, Json<Notice>), AppError> {
    account_care::request_email_change(&state.db, &state.config, &session, &request).await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(Notice::new(
            "Kode dikirim ke alamat email baru. Masukkan kode itu untuk menyelesaikan penggantian",
            "A code was sent to the new email address. Enter it to finish the change",
        )),
    ))
}

/// Konfirmasi email baru (the code from the new address switches the email).
#[utoipa::path(post, path = "/account/email/confirm", tag = "warga",
    request_body = EmailChangeConfirm,
    responses((status = 200, body = AccountOverview), (status = 401, body = ApiErrorBody),
        (status = 409, body = ApiErrorBody, description = "email-change-missing"),
        (status = 422, body = ApiErrorBody, description = "email-code-invalid")))]
async fn confirm_email_change(
    State(state): State<AppState>,
    CitizenAuth(session): CitizenAuth,
    ApiJson(request): ApiJson<EmailChangeConfirm>,
) -> Result<Json<AccountOverview>, AppError> {
    Ok(Json(
        account_care::confirm_email_change(&state.db, &state.config, &session, &request).await?,
    ))
}

/// Ganti nomor HP (change the phone number).
#[utoipa::path(put, path = "/account/phone", tag = "warga",
    request_body = PhoneChange,
    responses((status = 200, body = AccountOverview), (status = 401, body = ApiErrorBody),
        (status = 422, body = ApiErrorBody, description = "phone-invalid")))]
async fn change_phone(
    State(state): State<AppState>,
    CitizenAuth(session): CitizenAuth,
    ApiJson(request): ApiJson<PhoneChange>,
) -> Result<Json<AccountOverview>, AppError> {
    Ok(Json(
        account_care::change_phone(&state.db, &state.config, &session, &request).await?,
    ))
}

/// Akhiri sesi lain (end another live session of one's own, by its opaque id).
#[utoipa::path(post, path = "/account/sessions/{id}/end", tag = "warga",
    params(("id" = String, Path, description = "the session's id from GET /api/account")),
    responses((status = 204), (status = 401, body = ApiErrorBody),
        (status = 404, body = ApiErrorBody, description = "not one's own live session"),
        (status = 409, body = ApiErrorBody, description = "session-current")))]
async fn end_session(
    State(state): State<AppState>,
    CitizenAuth(session): CitizenAuth,
    Path(id): Path<String>,
) -> Result<StatusCode, AppError> {
    account_care::end_session(&state.db, &session, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Unduh salinan data saya (everything the service holds about the citizen, as a JSON file).
#[utoipa::path(get, path = "/account/export", tag = "warga",
    responses((status = 200, body = AccountExport,
        description = "Content-Disposition: attachment; filename=\"ikd-data-<date>.json\""),
        (status = 401, body = ApiErrorBody)))]
async fn export(
    State(state): State<AppState>,
    CitizenAuth(session): CitizenAuth,
) -> Result<Response, AppError> {
    let export = account_export::export(&state.db, &state.config, &session).await?;
    let disposition = format!(
        "attachment; filename=\"ikd-data-{}.json\"",
        export_date(export.exported_at)
    );
    Ok((
        [
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        Json(export),
    )
        .into_response())
}

/// The day of `at` in Western Indonesia Time (UTC+7), as `YYYY-MM-DD`.
fn export_date(at: i64) -> String {
    const WIB_OFFSET_SECS: i64 = 7 * 3600;
    let days = (at + WIB_OFFSET_SECS).div_euclid(86_400);
    i32::try_from(days)
        .ok()
        .and_then(ikd_core::Date::from_days_since_epoch)
        .map(|d| format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day()))
        .unwrap_or_default()
}

/// Tutup akun (close the account: credentials revoked, personal data deleted, the officers'
/// audit trail kept; then no session).
#[utoipa::path(post, path = "/account/close", tag = "warga",
    request_body = AccountCloseRequest,
    responses((status = 200, body = Notice, description = "Clears the session cookie"),
        (status = 401, body = ApiErrorBody),
        (status = 422, body = ApiErrorBody, description = "password-wrong"),
        (status = 429, body = ApiErrorBody)))]
async fn close(
    State(state): State<AppState>,
    CitizenAuth(session): CitizenAuth,
    ApiJson(request): ApiJson<AccountCloseRequest>,
) -> Result<Response, AppError> {
    account_closing::close(&state.db, &state.config, &session, &request).await?;
    Ok((
        [(header::SET_COOKIE, clear_cookie(CITIZEN_COOKIE))],
        Json(Notice::new(
            "Akun Anda sudah ditutup dan data pribadinya dihapus. Jejak keputusan petugas disimpan \
             sesuai ketentuan. Untuk memakai KTP digital lagi, daftar ulang di loket Dukcapil",
            "Your account is closed and its personal data deleted. The trail of officers' \
             decisions is kept as the law requires. To use the digital KTP again, register \
             anew at a Dukcapil desk",
        )),
    )
        .into_response())
}

/// Laporkan ponsel hilang (no session: NIK and password; a code goes to the account's email.
/// The answer is the same for any NIK and password).
#[utoipa::path(post, path = "/lost-phone", tag = "warga",
    request_body = LostPhoneRequest,
    responses((status = 202, body = Notice),
        (status = 422, body = ApiErrorBody, description = "nik-invalid"),
        (status = 429, body = ApiErrorBody)))]
async fn report_lost_phone(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    ApiJson(request): ApiJson<LostPhoneRequest>,
) -> Result<(StatusCode, Json<Notice>), AppError> {
    lost_phone::report(&state.db, &state.config, &ip, &request).await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(Notice::new(
            "Jika NIK dan kata sandi benar, kode dikirim ke email akun dalam beberapa menit. \
             Masukkan kode itu untuk mencabut KTP digital di ponsel yang hilang",
            "If the NIK and password are right, a code goes to the account's email within a \
             few minutes. Enter it to revoke the digital KTP on the lost phone",
        )),
    ))
}

/// Konfirmasi ponsel hilang (the emailed code revokes the lost phone's credentials and ends
/// every session; no new device is activated).
#[utoipa::path(post, path = "/lost-phone/confirm", tag = "warga",
    request_body = LostPhoneConfirm,
    responses((status = 200, body = Notice),
        (status = 422, body = ApiErrorBody,
            description = "nik-invalid, lost-phone-code-invalid, lost-phone-code-expired"),
        (status = 429, body = ApiErrorBody)))]
async fn confirm_lost_phone(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    ApiJson(request): ApiJson<LostPhoneConfirm>,
) -> Result<Json<Notice>, AppError> {
    lost_phone::confirm(&state.db, &state.config, &ip, &request).await?;
    Ok(Json(Notice::new(
        "KTP digital di ponsel yang hilang sudah dicabut dan semua sesi diakhiri. Masuk di \
         ponsel baru untuk memakai KTP digital lagi",
        "The digital KTP on the lost phone is revoked and every session ended. Log in on a \
         new phone to use the digital KTP again",
    )))
}
