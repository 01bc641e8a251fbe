//! `GET /api/account/export`: everything the service holds about the citizen, in one JSON
//! document (UU 27/2022's right to a copy): the account, the registry record as the KTP and
//! KK show it, every registration and its decision, every consent request and grant, the
//! credentials issued to the citizen's devices, and the whole activity log.

use ikd_core::account_api::{AccountExport, CredentialRecord, RegistrationRecord};

use crate::journey::account_care::{self, AccountError};
use crate::journey::activity_log;
use crate::journey::consent::{self, ConsentError};
use crate::journey::sessions::Session;
use crate::platform::config::ServiceConfig;
use crate::platform::db::{Db, DbError, unix_now};
use crate::registry::lookup;

/// A registration row: id, sent, status, decided, reason, selfie bytes.
type RegistrationRow = (String, i64, String, Option<i64>, Option<String>, i64);
/// A credential row: id, issued, valid until, revoked, why.
type CredentialRow = (String, i64, i64, Option<i64>, Option<String>);

/// More entries than any account's log holds: the export has them all.
const WHOLE_LOG: i64 = 1_000_000;

pub async fn export(
    db: &Db,
    config: &ServiceConfig,
    session: &Session,
) -> Result<AccountExport, AccountError> {
    let nik = &session.subject;
    let account = account_care::overview(db, config, session).await?;
    let person = lookup::person(db, nik)
        .await?
        .ok_or(AccountError::NotFound)?;
    let kk = lookup::family_card(db, &person.kk_number)
        .await?
        .ok_or(AccountError::NotFound)?;
    let registrations: Vec<RegistrationRow> = sqlx::query_as(
        "SELECT id, created_at, status, decided_at, reason, CAST(LENGTH(selfie) AS BIGINT) \
             FROM registrations WHERE nik = $1 ORDER BY created_at DESC",
    )
    .bind(nik)
    .fetch_all(db.pool())
    .await?;
    let registrations = registrations
        .into_iter()
        .map(
            |(id, submitted_at, status, decided_at, reason, selfie_bytes)| RegistrationRecord {
                id,
                submitted_at,
                status,
                decided_at,
                reason,
                selfie_bytes,
            },
        )
        .collect();
    let consents = consent::overview(db, nik).await.map_err(|e| match e {
        ConsentError::Database(db) => AccountError::Database(db),
        other => AccountError::Internal(other.to_string()),
    })?;
    let credentials: Vec<CredentialRow> = sqlx::query_as(
        "SELECT id, issued_at, valid_until, revoked_at, revocation_reason FROM credentials \
         WHERE nik = $1 ORDER BY issued_at DESC, id",
    )
    .bind(nik)
    .fetch_all(db.pool())
    .await
    .map_err(DbError::from)?;
    let credentials = credentials
        .into_iter()
        .map(
            |(id, issued_at, valid_until, revoked_at, revocation_reason)| CredentialRecord {
                id,
                issued_at,
                valid_until,
                revoked_at,
                revocation_reason,
            },
        )
        .collect();
    Ok(AccountExport {
        exported_at: unix_now(),
        account,
        ktp: person.card,
        kk,
        registrations,
        consents: consents
            .waiting
            .into_iter()
            .chain(consents.grants)
            .collect(),
        credentials,
        activity: activity_log::of_citizen(db, nik, WHOLE_LOG).await?,
    })
}
