//! An officer's login after the password (issue 15): the login step, a row named by a
//! short-lived cookie, and the second factor that turns it into a session. A right password
//! alone opens nothing else; the step ends after ten minutes, after a few wrong codes, or
//! when used. An officer with no factor yet enrols one here, once, and gets recovery codes.

use axum::http::StatusCode;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ikd_core::audit::AuditAction;
use ikd_core::second_factor_api::{LoginStep, PasskeyAnswer, PasskeyChallenge, TotpEnrolment};
use sha2::{Digest, Sha256};

use crate::officer::audit::{self, Actor};
use crate::officer::officers::{self, Officer};
use crate::officer::second_factor::{self, FactorKind};
use crate::platform::db::{Db, DbError, unix_now};
use crate::platform::rate_limit::{self, Limit};
use crate::platform::refusal::Refusal;
use crate::platform::webauthn::{self, NewPasskey, RelyingParty, WebauthnError};
use crate::platform::{tokens, totp};

/// How long a login step waits for its second factor.
pub const STEP_SECS: i64 = 600;
/// Wrong codes within one step before it ends (the password is asked again).
pub const STEP_FAILURES: i64 = 5;
/// The name authenticator apps and passkey prompts show.
pub const ISSUER_NAME: &str = "IKD Petugas";

#[derive(Debug, thiserror::Error)]
pub enum OfficerLoginError {
    #[error("no login step: the password first")]
    StepRequired,
    #[error("wrong or used code")]
    WrongCode,
    #[error("too many wrong codes; retry after {retry_after} s")]
    TooManyWrongCodes { retry_after: i64 },
    #[error("a second factor is enrolled already")]
    AlreadyEnrolled,
    #[error("no authenticator app being enrolled or enrolled")]
    NoTotp,
    #[error("no passkey enrolled")]
    NoPasskey,
    #[error("passkeys work only on {0:?}")]
    PasskeyUnavailable(Option<String>),
    #[error("passkey refused: {0}")]
    Passkey(#[from] WebauthnError),
    #[error(transparent)]
    Database(#[from] DbError),
}

crate::database_fault!(OfficerLoginError);

impl OfficerLoginError {
    pub fn refusal(&self) -> Option<Refusal> {
        Some(match self {
            OfficerLoginError::StepRequired => Refusal::new(
                StatusCode::UNAUTHORIZED,
                "login-step-required",
                "Waktu langkah masuk habis. Masukkan nama pengguna dan kata sandi lagi",
                "The login step has expired. Enter your username and password again",
            ),
            OfficerLoginError::WrongCode => Refusal::new(
                StatusCode::UNAUTHORIZED,
                "second-factor-wrong",
                "Kode salah atau sudah dipakai. Periksa jam ponsel Anda dan coba kode berikutnya",
                "The code is wrong or already used. Check your phone's clock and try the next code",
            )
            .field("code"),
            OfficerLoginError::TooManyWrongCodes { retry_after } => Refusal {
                retry_after: Some(*retry_after),
                ..Refusal::new(
                    StatusCode::TOO_MANY_REQUESTS,
                    "second-factor-limited",
                    &format!(
                        "Terlalu banyak kode salah untuk akun ini. Coba lagi dalam {} menit, atau minta admin wilayah mengatur ulang faktor kedua",
                        (retry_after + 59) / 60
                    ),
                    &format!(
                        "Too many wrong codes for this account. Try again in {} minutes, or ask your region's admin to reset the second factor",
                        (retry_after + 59) / 60
                    ),
                )
            },
            OfficerLoginError::AlreadyEnrolled => Refusal::new(
                StatusCode::CONFLICT,
                "second-factor-enrolled",
                "Faktor kedua sudah terdaftar: masuk dengan passkey, aplikasi autentikator atau kode pemulihan",
                "A second factor is already enrolled: log in with your passkey, authenticator app or a recovery code",
            ),
            OfficerLoginError::NoTotp => Refusal::new(
                StatusCode::CONFLICT,
                "totp-not-enrolled",
                "Aplikasi autentikator belum didaftarkan untuk akun ini",
                "No authenticator app is enrolled for this account",
            ),
            OfficerLoginError::NoPasskey => Refusal::new(
                StatusCode::CONFLICT,
                "passkey-not-enrolled",
                "Belum ada passkey untuk akun ini",
                "No passkey is enrolled for this account",
            ),
            OfficerLoginError::PasskeyUnavailable(origin) => match origin {
                Some(origin) => Refusal::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "passkey-unavailable",
                    &format!("Passkey hanya dapat dipakai di {origin}"),
                    &format!("Passkeys work only at {origin}"),
                ),
                None => Refusal::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "passkey-unavailable",
                    "Passkey tidak dapat dipakai di alamat IP; pakai aplikasi autentikator",
                    "Passkeys do not work on an IP address; use an authenticator app",
                ),
            },
            OfficerLoginError::Passkey(_) => Refusal::new(
                StatusCode::UNAUTHORIZED,
                "passkey-refused",
                "Passkey ditolak. Coba lagi, atau pakai aplikasi autentikator atau kode pemulihan",
                "The passkey was refused. Try again, or use your authenticator app or a recovery code",
            ),
            OfficerLoginError::Database(_) => return None,
        })
    }
}

/// A login step waiting for its second factor.
#[derive(Debug, Clone)]
pub struct Step {
    token_hash: String,
    pub officer: Officer,
    challenge: Option<String>,
    pending_totp: Option<String>,
}

/// The step is done: start the officer's session. `recovery_codes` after a first enrolment.
#[derive(Debug)]
pub struct Completed {
    pub officer: Officer,
    pub recovery_codes: Vec<String>,
}

/// Opens a login step for an officer whose password was right; gives the cookie's token and
/// the step (no second read of the row just written).
pub async fn open(db: &Db, officer: &Officer) -> Result<(String, Step), DbError> {
    let now = unix_now();
    // Long-gone steps of anyone go now: the service has no timer.
    sqlx::query("DELETE FROM officer_login_steps WHERE expires_at < $1")
        .bind(now)
        .execute(db.pool())
        .await?;
    let token = tokens::new_token();
    sqlx::query(
        "INSERT INTO officer_login_steps (token_hash, officer_id, created_at, expires_at) \
         VALUES ($1, $2, $3, $4)",
    )
    .bind(tokens::sha256_hex(&token))
    .bind(officer.id)
    .bind(now)
    .bind(now + STEP_SECS)
    .execute(db.pool())
    .await?;
    let step = Step {
        token_hash: tokens::sha256_hex(&token),
        officer: officer.clone(),
        challenge: None,
        pending_totp: None,
    };
    Ok((token, step))
}

/// The live step of a cookie's token, of an officer still active.
pub async fn find(db: &Db, token: Option<&str>) -> Result<Step, OfficerLoginError> {
    let token = token.ok_or(OfficerLoginError::StepRequired)?;
    let row: Option<(String, i64, Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT token_hash, officer_id, challenge, pending_totp FROM officer_login_steps \
         WHERE token_hash = $1 AND expires_at >= $2",
    )
    .bind(tokens::sha256_hex(token))
    .bind(unix_now())
    .fetch_optional(db.pool())
    .await?;
    let (token_hash, officer_id, challenge, pending_totp) =
        row.ok_or(OfficerLoginError::StepRequired)?;
    let officer = officers::find_active_by_id(db, officer_id)
        .await?
        .ok_or(OfficerLoginError::StepRequired)?;
    Ok(Step {
        token_hash,
        officer,
        challenge,
        pending_totp,
    })
}

/// Where the step stands, for the console to offer the right screens.
pub async fn status(db: &Db, rp: Option<&RelyingParty>, step: &Step) -> Result<LoginStep, DbError> {
    let factors = second_factor::factors(db, step.officer.id).await?;
    Ok(LoginStep {
        must_enrol: !factors.any(),
        passkeys: factors.passkeys,
        totp: factors.totp,
        recovery_codes_left: factors.recovery_codes_left,
        passkey_origin: rp.map(|rp| rp.origin.clone()),
    })
}

/// A new TOTP secret for an officer with no factor yet; confirmed by [`with_totp`].
pub async fn totp_enrolment(db: &Db, step: &Step) -> Result<TotpEnrolment, OfficerLoginError> {
    if second_factor::factors(db, step.officer.id).await?.any() {
        return Err(OfficerLoginError::AlreadyEnrolled);
    }
    let secret = totp::new_secret();
    sqlx::query("UPDATE officer_login_steps SET pending_totp = $1 WHERE token_hash = $2")
        .bind(second_factor::seal_totp(db, step.officer.id, &secret)?)
        .bind(&step.token_hash)
        .execute(db.pool())
        .await?;
    Ok(TotpEnrolment {
        secret: totp::secret_base32(&secret),
        otpauth_uri: totp::otpauth_uri(&secret, ISSUER_NAME, &step.officer.username),
    })
}

/// A TOTP code: confirms an enrolment, or is the second factor of an enrolled officer.
pub async fn with_totp(
    db: &Db,
    limits: Limit,
    client_ip: &str,
    step: &Step,
    code: &str,
) -> Result<Completed, OfficerLoginError> {
    refuse_if_limited(db, limits, step).await?;
    let factors = second_factor::factors(db, step.officer.id).await?;
    if !factors.any() {
        let sealed = step
            .pending_totp
            .as_deref()
            .ok_or(OfficerLoginError::NoTotp)?;
        let secret = second_factor::open_totp(db, step.officer.id, sealed)?;
        let Some(used) = totp::matching_step(&secret, code, unix_now(), 0) else {
            return Err(failed(db, limits, step).await?);
        };
        return enrol(db, client_ip, step, Enrolment::Totp { sealed, used }).await;
    }
    if !factors.totp {
        return Err(OfficerLoginError::NoTotp);
    }
    if !second_factor::use_totp(db, step.officer.id, code).await? {
        return Err(failed(db, limits, step).await?);
    }
    finish(db, step, Vec::new()).await
}

/// A recovery code (each good once) instead of the usual factor.
pub async fn with_recovery_code(
    db: &Db,
    limits: Limit,
    step: &Step,
    code: &str,
) -> Result<Completed, OfficerLoginError> {
    refuse_if_limited(db, limits, step).await?;
    if !second_factor::use_recovery_code(db, step.officer.id, code).await? {
        return Err(failed(db, limits, step).await?);
    }
    finish(db, step, Vec::new()).await
}

/// The options for `navigator.credentials.create()` (no factor yet) or `.get()`.
pub async fn passkey_challenge(
    db: &Db,
    rp: Option<&RelyingParty>,
    step: &Step,
) -> Result<PasskeyChallenge, OfficerLoginError> {
    let rp = rp.ok_or(OfficerLoginError::PasskeyUnavailable(None))?;
    let factors = second_factor::factors(db, step.officer.id).await?;
    let creating = !factors.any();
    if !creating && factors.passkeys == 0 {
        return Err(OfficerLoginError::NoPasskey);
    }
    let challenge = webauthn::new_challenge();
    sqlx::query("UPDATE officer_login_steps SET challenge = $1 WHERE token_hash = $2")
        .bind(&challenge)
        .bind(&step.token_hash)
        .execute(db.pool())
        .await?;
    let credential_ids = second_factor::passkeys(db, step.officer.id)
        .await?
        .into_iter()
        .map(|p| p.credential_id)
        .collect();
    Ok(PasskeyChallenge {
        creating,
        challenge,
        rp_id: rp.id.clone(),
        rp_name: ISSUER_NAME.to_owned(),
        // A stable handle that is not the username: the officer's id, hashed.
        user_id: URL_SAFE_NO_PAD
            .encode(&Sha256::digest(format!("officer/{}", step.officer.id).as_bytes())[..16]),
        user_name: step.officer.username.clone(),
        user_display_name: step.officer.full_name.clone(),
        credential_ids,
    })
}

/// The browser's answer to [`passkey_challenge`]: a new passkey, or a login with one.
pub async fn with_passkey(
    db: &Db,
    limits: Limit,
    rp: Option<&RelyingParty>,
    client_ip: &str,
    step: &Step,
    answer: &PasskeyAnswer,
) -> Result<Completed, OfficerLoginError> {
    let rp = rp.ok_or(OfficerLoginError::PasskeyUnavailable(None))?;
    refuse_if_limited(db, limits, step).await?;
    // A challenge is good for one answer, right or wrong.
    let challenge = step.challenge.clone().ok_or(WebauthnError::Challenge)?;
    sqlx::query("UPDATE officer_login_steps SET challenge = NULL WHERE token_hash = $1")
        .bind(&step.token_hash)
        .execute(db.pool())
        .await?;
    let bytes = |field: Option<&String>| {
        field
            .and_then(|text| URL_SAFE_NO_PAD.decode(text).ok())
            .ok_or(WebauthnError::Malformed)
    };
    let client_data = bytes(Some(&answer.client_data_json))?;
    let factors = second_factor::factors(db, step.officer.id).await?;
    if !factors.any() {
        let attestation = bytes(answer.attestation_object.as_ref())?;
        let passkey =
            match webauthn::verify_registration(rp, &challenge, &client_data, &attestation) {
                Ok(passkey) => passkey,
                Err(err) => {
                    failed(db, limits, step).await?;
                    return Err(err.into());
                }
            };
        return enrol(db, client_ip, step, Enrolment::Passkey(&passkey)).await;
    }
    let stored = second_factor::passkeys(db, step.officer.id)
        .await?
        .into_iter()
        .find(|p| p.credential_id == answer.credential_id)
        .ok_or(OfficerLoginError::NoPasskey)?;
    let checked = (|| {
        let public_key =
            ikd_core::hex::decode(&stored.public_key).ok_or(WebauthnError::UnsupportedKey)?;
        webauthn::verify_assertion(
            rp,
            &challenge,
            &client_data,
            &bytes(answer.authenticator_data.as_ref())?,
            &bytes(answer.signature.as_ref())?,
            &public_key,
            u32::try_from(stored.sign_count).unwrap_or(u32::MAX),
        )
    })();
    let count = match checked {
        Ok(count) => count,
        Err(err) => {
            failed(db, limits, step).await?;
            return Err(err.into());
        }
    };
    if !second_factor::passkey_used(db, &stored, count).await? {
        return Err(WebauthnError::CounterWentBack.into());
    }
    finish(db, step, Vec::new()).await
}

fn failure_bucket(step: &Step) -> String {
    format!("officer-second-factor:{}", step.officer.id)
}

async fn refuse_if_limited(db: &Db, limits: Limit, step: &Step) -> Result<(), OfficerLoginError> {
    match rate_limit::used_up(db, &failure_bucket(step), limits).await? {
        Some(retry_after) => Err(OfficerLoginError::TooManyWrongCodes { retry_after }),
        None => Ok(()),
    }
}

/// Counts a wrong code against the step (which ends after [`STEP_FAILURES`]) and the officer.
async fn failed(db: &Db, limits: Limit, step: &Step) -> Result<OfficerLoginError, DbError> {
    let mut tx = db.pool().begin().await?;
    rate_limit::charge_in(&mut tx, &failure_bucket(step), limits).await?;
    sqlx::query("UPDATE officer_login_steps SET failures = failures + 1 WHERE token_hash = $1")
        .bind(&step.token_hash)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM officer_login_steps WHERE token_hash = $1 AND failures >= $2")
        .bind(&step.token_hash)
        .bind(STEP_FAILURES)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(OfficerLoginError::WrongCode)
}

/// The first factor being enrolled.
enum Enrolment<'a> {
    /// The sealed secret and the time step whose code confirmed it (so it is used).
    Totp {
        sealed: &'a str,
        used: i64,
    },
    Passkey(&'a NewPasskey),
}

/// Enrols the first factor, hands out recovery codes and ends the step, in one transaction;
/// audited. A second enrolment racing this one finds the step gone.
async fn enrol(
    db: &Db,
    client_ip: &str,
    step: &Step,
    enrolment: Enrolment<'_>,
) -> Result<Completed, OfficerLoginError> {
    let mut tx = db.pool().begin().await?;
    let ended = sqlx::query("DELETE FROM officer_login_steps WHERE token_hash = $1")
        .bind(&step.token_hash)
        .execute(&mut *tx)
        .await?;
    if ended.rows_affected() != 1 {
        return Err(OfficerLoginError::StepRequired);
    }
    let kind = match enrolment {
        Enrolment::Totp { sealed, used } => {
            second_factor::enrol_totp_in(&mut tx, sealed, step.officer.id, used).await?;
            FactorKind::Totp
        }
        Enrolment::Passkey(passkey) => {
            second_factor::add_passkey_in(&mut tx, step.officer.id, passkey).await?;
            FactorKind::Passkey
        }
    };
    let recovery_codes = second_factor::new_recovery_codes_in(&mut tx, step.officer.id).await?;
    let actor = Actor {
        officer: &step.officer,
        client_ip,
    };
    audit::record_in(
        &mut tx,
        &actor,
        AuditAction::SecondFactorEnrolled,
        &step.officer.id.to_string(),
        kind.as_str(),
    )
    .await?;
    tx.commit().await?;
    Ok(Completed {
        officer: step.officer.clone(),
        recovery_codes,
    })
}

/// Ends the step (once: a replayed answer finds it gone).
async fn finish(
    db: &Db,
    step: &Step,
    recovery_codes: Vec<String>,
) -> Result<Completed, OfficerLoginError> {
    let ended = sqlx::query("DELETE FROM officer_login_steps WHERE token_hash = $1")
        .bind(&step.token_hash)
        .execute(db.pool())
        .await?;
    if ended.rows_affected() != 1 {
        return Err(OfficerLoginError::StepRequired);
    }
    Ok(Completed {
        officer: step.officer.clone(),
        recovery_codes,
    })
}
