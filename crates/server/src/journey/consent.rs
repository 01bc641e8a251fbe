//! Consent (otorisasi, issue 17): an institution asks for a scope of a citizen's data for a
//! purpose and a period; the citizen approves or declines in the app, and may revoke a live
//! grant at any time. While a grant is live its institution reads exactly its scope, and each
//! read is written to the citizen's activity log in the transaction that counts it.
//!
//! A request is stored for any well-formed NIK, whether or not anyone activated an account
//! for it: the answer, and the work behind it, are the same, so an institution never learns
//! who uses IKD. Only the citizen of that NIK, logged in, sees the row. Another
//! institution's or another citizen's id is refused like a missing one.

use axum::http::StatusCode;
use ikd_core::activity::ActivityKind;
use ikd_core::consent_api::{
    self, BasicIdentity, ConsentItem, ConsentOverview, ConsentRequestAccepted, ConsentRequestBody,
    ConsentScope, ConsentStatus, GrantData, InstitutionConsentView, MAX_PERIOD_DAYS,
    MAX_PURPOSE_CHARS, MAX_WAITING_PER_NIK, MIN_PURPOSE_CHARS, REQUEST_OPEN_SECS, SHORT_CODE_LEN,
};
use ikd_core::nik::NIK_LEN;
use rand_core::RngCore;
use sqlx::AnyConnection;

use crate::journey::activity_log;
use crate::journey::institutions::Institution;
use crate::platform::clock::today_utc;
use crate::platform::config::ServiceConfig;
use crate::platform::db::{Db, DbError, unix_now};
use crate::platform::rate_limit::{self, RateLimitError};
use crate::platform::refusal::Refusal;
use crate::platform::tokens;
use crate::registry::lookup;

/// The most rows a citizen's overview lists (newest first).
pub const MAX_LISTED: i64 = 500;

#[derive(Debug, thiserror::Error)]
pub enum ConsentError {
    #[error("not a NIK")]
    Nik,
    #[error("purpose out of bounds")]
    Purpose,
    #[error("period out of bounds")]
    Period,
    #[error("unknown scope")]
    Scope,
    #[error("too many waiting requests for this NIK")]
    TooManyWaiting { retry_after: i64 },
    #[error(transparent)]
    Limited(RateLimitError),
    #[error("no such consent")]
    NotFound,
    #[error("already answered")]
    NotWaiting(ConsentStatus),
    #[error("not a live grant")]
    NotLive(ConsentStatus),
    #[error("the institution is switched off")]
    InstitutionDisabled,
    #[error("read refused: {0}")]
    ReadRefused(ConsentStatus),
    #[error("outside the grant's scope")]
    OutOfScope(ConsentScope),
    #[error(transparent)]
    Database(#[from] DbError),
}

crate::database_fault!(ConsentError);

impl From<RateLimitError> for ConsentError {
    fn from(err: RateLimitError) -> Self {
        match err {
            RateLimitError::Database(db) => ConsentError::Database(db),
            limited => ConsentError::Limited(limited),
        }
    }
}

impl ConsentError {
    pub fn refusal(&self) -> Option<Refusal> {
        let unprocessable = StatusCode::UNPROCESSABLE_ENTITY;
        Some(match self {
            ConsentError::Nik => Refusal::new(
                unprocessable,
                "nik-format",
                "NIK harus 16 angka",
                "A NIK has 16 digits",
            )
            .field("nik"),
            ConsentError::Purpose => Refusal::new(
                unprocessable,
                "consent-purpose",
                &format!(
                    "Tujuan permintaan harus {MIN_PURPOSE_CHARS} sampai {MAX_PURPOSE_CHARS} \
                     karakter"
                ),
                &format!(
                    "The purpose must be {MIN_PURPOSE_CHARS} to {MAX_PURPOSE_CHARS} characters"
                ),
            )
            .field("purpose"),
            ConsentError::Period => Refusal::new(
                unprocessable,
                "consent-period",
                &format!("Masa izin harus 1 sampai {MAX_PERIOD_DAYS} hari"),
                &format!("The period must be 1 to {MAX_PERIOD_DAYS} days"),
            )
            .field("periodDays"),
            ConsentError::Scope => Refusal::new(
                unprocessable,
                "consent-scope",
                "Cakupan data tidak dikenal: full, basic, age-17 atau kk",
                "Unknown scope: full, basic, age-17 or kk",
            )
            .field("scope"),
            ConsentError::TooManyWaiting { retry_after } => Refusal {
                retry_after: Some(*retry_after),
                ..Refusal::new(
                    StatusCode::TOO_MANY_REQUESTS,
                    "consent-waiting-limit",
                    &format!(
                        "Sudah ada {MAX_WAITING_PER_NIK} permintaan yang menunggu jawaban untuk \
                         NIK ini. Tunggu jawaban atau sampai permintaan itu kedaluwarsa"
                    ),
                    &format!(
                        "{MAX_WAITING_PER_NIK} requests for this NIK already wait for an \
                         answer. Wait for the answer or until they lapse"
                    ),
                )
            },
            ConsentError::Limited(limited) => return limited.refusal(),
            ConsentError::NotFound => Refusal::new(
                StatusCode::NOT_FOUND,
                "consent-not-found",
                "Permintaan atau izin akses data tidak ditemukan",
                "No such consent request or grant",
            ),
            ConsentError::NotWaiting(status) => Refusal::new(
                StatusCode::CONFLICT,
                "consent-not-waiting",
                &format!(
                    "Permintaan ini tidak lagi menunggu jawaban ({})",
                    status.label_id()
                ),
                &format!(
                    "This request no longer waits for an answer ({})",
                    status.label_en()
                ),
            ),
            ConsentError::NotLive(status) => Refusal::new(
                StatusCode::CONFLICT,
                "consent-not-live",
                &format!("Izin ini tidak sedang berlaku ({})", status.label_id()),
                &format!("This grant is not live ({})", status.label_en()),
            ),
            ConsentError::InstitutionDisabled => institution_disabled(),
            ConsentError::ReadRefused(status) => read_refusal(*status),
            ConsentError::OutOfScope(granted) => Refusal::new(
                StatusCode::FORBIDDEN,
                "consent-out-of-scope",
                &format!(
                    "Izin ini hanya mencakup: {}. Data lain tidak dapat dibaca",
                    granted.label_id()
                ),
                &format!(
                    "This grant covers only: {}. Nothing else can be read",
                    granted.label_en()
                ),
            ),
            ConsentError::Database(_) => return None,
        })
    }
}

/// Every call of a switched-off institution.
pub fn institution_disabled() -> Refusal {
    Refusal::new(
        StatusCode::FORBIDDEN,
        "institution-disabled",
        "Instansi ini telah dinonaktifkan. Hubungi Dukcapil",
        "This institution has been switched off. Contact Dukcapil",
    )
}

/// Why an institution reads nothing under a grant in `status`.
fn read_refusal(status: ConsentStatus) -> Refusal {
    let forbidden = StatusCode::FORBIDDEN;
    match status {
        ConsentStatus::Waiting => Refusal::new(
            forbidden,
            "consent-waiting",
            "Warga belum menjawab permintaan ini",
            "The citizen has not answered this request yet",
        ),
        ConsentStatus::Declined => Refusal::new(
            forbidden,
            "consent-declined",
            "Warga menolak permintaan ini",
            "The citizen declined this request",
        ),
        ConsentStatus::Revoked => Refusal::new(
            forbidden,
            "consent-revoked",
            "Warga telah mencabut izin ini",
            "The citizen revoked this grant",
        ),
        ConsentStatus::Expired => Refusal::new(
            forbidden,
            "consent-expired",
            "Masa izin ini telah berakhir. Ajukan permintaan baru",
            "This grant has expired. Send a new request",
        ),
        ConsentStatus::Lapsed => Refusal::new(
            forbidden,
            "consent-lapsed",
            "Permintaan ini tidak dijawab tepat waktu. Ajukan permintaan baru",
            "This request was not answered in time. Send a new request",
        ),
        // A live grant is read; reaching here means the grant changed during the read.
        ConsentStatus::Live => Refusal::new(
            StatusCode::CONFLICT,
            "consent-changed",
            "Izin berubah saat dibaca. Coba lagi",
            "The grant changed while being read. Try again",
        ),
    }
}

#[derive(Debug, sqlx::FromRow)]
struct Row {
    id: String,
    short_code: String,
    institution_name: String,
    institution_disabled_at: Option<i64>,
    nik: String,
    scope: String,
    purpose: String,
    period_days: i64,
    status: String,
    requested_at: i64,
    answer_by: i64,
    answered_at: Option<i64>,
    expires_at: Option<i64>,
    revoked_at: Option<i64>,
    reads: i64,
    last_read_at: Option<i64>,
}

const SELECT: &str = "SELECT c.id, c.short_code, i.name AS institution_name, \
    i.disabled_at AS institution_disabled_at, c.nik, c.scope, c.purpose, c.period_days, \
    c.status, c.requested_at, c.answer_by, c.answered_at, c.expires_at, c.revoked_at, c.reads, \
    c.last_read_at FROM consents c JOIN institutions i ON i.id = c.institution_id";

impl Row {
    fn scope(&self) -> Result<ConsentScope, DbError> {
        ConsentScope::parse(&self.scope).ok_or_else(|| corrupt("scope", &self.scope))
    }

    /// The status now: expired and lapsed follow from the clock.
    fn status(&self, now: i64) -> Result<ConsentStatus, DbError> {
        let stored =
            ConsentStatus::parse(&self.status).ok_or_else(|| corrupt("status", &self.status))?;
        Ok(stored.at(now, self.answer_by, self.expires_at))
    }

    fn item(&self, now: i64) -> Result<ConsentItem, DbError> {
        let scope = self.scope()?;
        Ok(ConsentItem {
            id: self.id.clone(),
            short_code: self.short_code.clone(),
            institution_name: self.institution_name.clone(),
            institution_active: self.institution_disabled_at.is_none(),
            scope,
            fields: scope.fields().iter().map(|f| (*f).to_owned()).collect(),
            purpose: self.purpose.clone(),
            period_days: self.period_days,
            status: self.status(now)?,
            requested_at: self.requested_at,
            answer_by: self.answer_by,
            answered_at: self.answered_at,
            expires_at: self.expires_at,
            revoked_at: self.revoked_at,
            reads: self.reads,
            last_read_at: self.last_read_at,
        })
    }
}

fn corrupt(column: &str, value: &str) -> DbError {
    DbError::Query(sqlx::Error::Decode(
        format!("consents.{column} {value:?}").into(),
    ))
}

fn is_nik(text: &str) -> bool {
    text.len() == NIK_LEN && text.bytes().all(|b| b.is_ascii_digit())
}

// ---------------------------------------------------------------------------------------
// The institution's side.

/// Stores a request for `body.nik` and answers the same whoever that NIK belongs to.
pub async fn request(
    db: &Db,
    config: &ServiceConfig,
    institution: &Institution,
    body: &ConsentRequestBody,
) -> Result<ConsentRequestAccepted, ConsentError> {
    let nik = body.nik.trim();
    if !is_nik(nik) {
        return Err(ConsentError::Nik);
    }
    if !consent_api::purpose_ok(&body.purpose) {
        return Err(ConsentError::Purpose);
    }
    if !consent_api::period_ok(body.period_days) {
        return Err(ConsentError::Period);
    }
    rate_limit::hit(
        db,
        &format!("consent:institution:{}", institution.id),
        config.limits.consent_requests_institution,
    )
    .await?;
    let now = unix_now();
    let waiting = ConsentStatus::Waiting.as_str();
    let mut tx = db.pool().begin().await?;
    // Counted for any NIK alike: the bound says nothing about whether the NIK has an account.
    let (count, oldest): (i64, Option<i64>) = sqlx::query_as(
        "SELECT COUNT(*), MIN(answer_by) FROM consents WHERE institution_id = $1 AND nik = $2 \
         AND status = $3 AND answer_by > $4",
    )
    .bind(institution.id)
    .bind(nik)
    .bind(waiting)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    if count >= MAX_WAITING_PER_NIK {
        return Err(ConsentError::TooManyWaiting {
            retry_after: (oldest.unwrap_or(now) - now).max(1),
        });
    }
    let id = tokens::new_id();
    let mut random = [0u8; SHORT_CODE_LEN];
    rand_core::OsRng.fill_bytes(&mut random);
    let short_code = ikd_core::crockford::encode(&random, SHORT_CODE_LEN);
    let answer_by = now + REQUEST_OPEN_SECS;
    sqlx::query(
        "INSERT INTO consents (id, short_code, institution_id, nik, scope, purpose, period_days, \
         status, requested_at, answer_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(&id)
    .bind(&short_code)
    .bind(institution.id)
    .bind(nik)
    .bind(body.scope.as_str())
    .bind(body.purpose.trim())
    .bind(body.period_days)
    .bind(waiting)
    .bind(now)
    .bind(answer_by)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(ConsentRequestAccepted {
        link: format!(
            "{}/?persetujuan={short_code}",
            config.public_url.trim_end_matches('/')
        ),
        request_id: id,
        short_code,
        answer_by,
        message: "Permintaan diterima. Jika NIK ini memakai IKD, pemiliknya melihat permintaan \
                  di aplikasinya dan dapat menyetujui atau menolaknya"
            .to_owned(),
        message_en: "Request received. If this NIK uses IKD, its holder sees the request in \
                     the app and may approve or decline it"
            .to_owned(),
    })
}

async fn institutions_row(
    db: &Db,
    institution: &Institution,
    id: &str,
) -> Result<Row, ConsentError> {
    let row: Option<Row> = sqlx::query_as(&format!(
        "{SELECT} WHERE c.id = $1 AND c.institution_id = $2"
    ))
    .bind(id)
    .bind(institution.id)
    .fetch_optional(db.pool())
    .await
    .map_err(DbError::from)?;
    row.ok_or(ConsentError::NotFound)
}

/// Where the institution's own request stands; another institution's id is not found.
pub async fn view(
    db: &Db,
    institution: &Institution,
    id: &str,
) -> Result<InstitutionConsentView, ConsentError> {
    let row = institutions_row(db, institution, id).await?;
    let now = unix_now();
    let status = row.status(now)?;
    let granted = matches!(
        ConsentStatus::parse(&row.status),
        Some(ConsentStatus::Live | ConsentStatus::Revoked)
    );
    Ok(InstitutionConsentView {
        request_id: row.id.clone(),
        scope: row.scope()?,
        purpose: row.purpose.clone(),
        period_days: row.period_days,
        status,
        requested_at: row.requested_at,
        answer_by: row.answer_by,
        granted_at: row.answered_at.filter(|_| granted),
        expires_at: row.expires_at,
    })
}

/// Reads exactly the granted scope. `asked` is the scope the institution says it reads (if
/// it says one): another scope is refused. The read and its line in the citizen's history
/// are one transaction.
pub async fn read(
    db: &Db,
    config: &ServiceConfig,
    institution: &Institution,
    id: &str,
    asked: Option<ConsentScope>,
) -> Result<GrantData, ConsentError> {
    let row = institutions_row(db, institution, id).await?;
    let now = unix_now();
    let status = row.status(now)?;
    if status != ConsentStatus::Live {
        return Err(ConsentError::ReadRefused(status));
    }
    let scope = row.scope()?;
    if asked.is_some_and(|asked| asked != scope) {
        return Err(ConsentError::OutOfScope(scope));
    }
    rate_limit::hit(
        db,
        &format!("consent:read:{}", row.id),
        config.limits.consent_reads_grant,
    )
    .await?;
    // The registry is read on the pool, before the transaction (no transaction waits on a
    // second connection).
    let person = lookup::person(db, &row.nik)
        .await?
        .ok_or(ConsentError::NotFound)?;
    let mut data = GrantData {
        grant_id: row.id.clone(),
        scope,
        read_at: now,
        expires_at: row.expires_at.unwrap_or(now),
        ktp: None,
        basic: None,
        age_over_17: None,
        family_card: None,
    };
    match scope {
        ConsentScope::Full => data.ktp = Some(person.card),
        ConsentScope::Basic => {
            data.basic = Some(BasicIdentity {
                nik: person.card.nik,
                full_name: person.card.full_name,
                birth_date: person.card.birth_date,
                sex: person.card.sex,
            });
        }
        ConsentScope::Age17 => {
            data.age_over_17 = Some(ikd_core::ktp::old_enough(person.birth_date, today_utc()));
        }
        ConsentScope::Kk => {
            data.family_card = Some(
                lookup::family_card(db, &person.kk_number)
                    .await?
                    .ok_or(ConsentError::NotFound)?,
            );
        }
    }
    let mut tx = db.pool().begin().await?;
    // Counted only while the grant is still live and the institution still on: a revocation
    // or a switch-off that committed meanwhile wins.
    let counted = sqlx::query(
        "UPDATE consents SET reads = reads + 1, last_read_at = $1 WHERE id = $2 \
         AND institution_id = $3 AND status = $4 AND expires_at > $1 AND EXISTS \
         (SELECT 1 FROM institutions i WHERE i.id = $3 AND i.disabled_at IS NULL)",
    )
    .bind(now)
    .bind(&row.id)
    .bind(institution.id)
    .bind(ConsentStatus::Live.as_str())
    .execute(&mut *tx)
    .await
    .map_err(DbError::from)?;
    if counted.rows_affected() != 1 {
        drop(tx);
        let fresh = institutions_row(db, institution, id).await?;
        if fresh.institution_disabled_at.is_some() {
            return Err(ConsentError::InstitutionDisabled);
        }
        return Err(ConsentError::ReadRefused(fresh.status(unix_now())?));
    }
    activity_log::record_in(
        &mut tx,
        &row.nik,
        ActivityKind::InstitutionRead,
        &institution.name,
        &consent_api::read_detail(scope, &row.id),
    )
    .await?;
    tx.commit().await.map_err(DbError::from)?;
    Ok(data)
}

// ---------------------------------------------------------------------------------------
// The citizen's side.

/// Everything asked of `nik` and granted by it, newest first: what waits for an answer, and
/// every grant, live or past.
pub async fn overview(db: &Db, nik: &str) -> Result<ConsentOverview, ConsentError> {
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "{SELECT} WHERE c.nik = $1 ORDER BY c.requested_at DESC, c.id LIMIT $2"
    ))
    .bind(nik)
    .bind(MAX_LISTED)
    .fetch_all(db.pool())
    .await
    .map_err(DbError::from)?;
    let now = unix_now();
    let mut overview = ConsentOverview {
        waiting: Vec::new(),
        grants: Vec::new(),
    };
    for row in &rows {
        let item = row.item(now)?;
        if item.status == ConsentStatus::Waiting {
            overview.waiting.push(item);
        } else {
            overview.grants.push(item);
        }
    }
    Ok(overview)
}

/// One of the citizen's own rows, by id or by the short code the institution showed.
async fn citizens_row(
    conn: &mut AnyConnection,
    nik: &str,
    id_or_code: &str,
) -> Result<Row, ConsentError> {
    let id = id_or_code.trim();
    let code = ikd_core::crockford::normalize(id).unwrap_or_default();
    let row: Option<Row> = sqlx::query_as(&format!(
        "{SELECT} WHERE c.nik = $1 AND (c.id = $2 OR c.short_code = $3) \
         ORDER BY c.requested_at DESC LIMIT 1"
    ))
    .bind(nik)
    .bind(id)
    .bind(code)
    .fetch_optional(&mut *conn)
    .await
    .map_err(DbError::from)?;
    row.ok_or(ConsentError::NotFound)
}

/// One of the citizen's requests or grants; anyone else's is not found.
pub async fn item(db: &Db, nik: &str, id_or_code: &str) -> Result<ConsentItem, ConsentError> {
    let mut conn = db.pool().acquire().await.map_err(DbError::from)?;
    let row = citizens_row(&mut conn, nik, id_or_code).await?;
    Ok(row.item(unix_now())?)
}

/// The citizen approves or declines a waiting request. An approved grant runs its period
/// from now.
pub async fn answer(
    db: &Db,
    nik: &str,
    id_or_code: &str,
    approve: bool,
) -> Result<ConsentItem, ConsentError> {
    let now = unix_now();
    let mut tx = db.pool().begin().await.map_err(DbError::from)?;
    let row = citizens_row(&mut tx, nik, id_or_code).await?;
    let status = row.status(now)?;
    if status != ConsentStatus::Waiting {
        return Err(ConsentError::NotWaiting(status));
    }
    if approve && row.institution_disabled_at.is_some() {
        return Err(ConsentError::InstitutionDisabled);
    }
    let (new_status, expires_at, kind) = if approve {
        (
            ConsentStatus::Live,
            Some(now + row.period_days * 86_400),
            ActivityKind::ConsentGranted,
        )
    } else {
        (ConsentStatus::Declined, None, ActivityKind::ConsentDeclined)
    };
    let done = sqlx::query(
        "UPDATE consents SET status = $1, answered_at = $2, expires_at = $3 \
         WHERE id = $4 AND status = $5 AND answer_by > $2",
    )
    .bind(new_status.as_str())
    .bind(now)
    .bind(expires_at)
    .bind(&row.id)
    .bind(ConsentStatus::Waiting.as_str())
    .execute(&mut *tx)
    .await
    .map_err(DbError::from)?;
    if done.rows_affected() != 1 {
        return Err(ConsentError::NotWaiting(ConsentStatus::Lapsed));
    }
    activity_log::record_in(
        &mut tx,
        nik,
        kind,
        &row.institution_name,
        &consent_api::read_detail(row.scope()?, &row.id),
    )
    .await?;
    let fresh = citizens_row(&mut tx, nik, &row.id).await?;
    tx.commit().await.map_err(DbError::from)?;
    Ok(fresh.item(now)?)
}

/// The citizen withdraws a live grant: its institution's next read is refused.
pub async fn revoke(db: &Db, nik: &str, id_or_code: &str) -> Result<ConsentItem, ConsentError> {
    let now = unix_now();
    let mut tx = db.pool().begin().await.map_err(DbError::from)?;
    let row = citizens_row(&mut tx, nik, id_or_code).await?;
    let status = row.status(now)?;
    if status != ConsentStatus::Live {
        return Err(ConsentError::NotLive(status));
    }
    let done = sqlx::query(
        "UPDATE consents SET status = $1, revoked_at = $2 WHERE id = $3 AND status = $4",
    )
    .bind(ConsentStatus::Revoked.as_str())
    .bind(now)
    .bind(&row.id)
    .bind(ConsentStatus::Live.as_str())
    .execute(&mut *tx)
    .await
    .map_err(DbError::from)?;
    if done.rows_affected() != 1 {
        return Err(ConsentError::NotLive(ConsentStatus::Revoked));
    }
    activity_log::record_in(
        &mut tx,
        nik,
        ActivityKind::ConsentRevoked,
        &row.institution_name,
        &consent_api::read_detail(row.scope()?, &row.id),
    )
    .await?;
    let fresh = citizens_row(&mut tx, nik, &row.id).await?;
    tx.commit().await.map_err(DbError::from)?;
    Ok(fresh.item(now)?)
}
