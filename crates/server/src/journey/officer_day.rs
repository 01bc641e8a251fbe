//! "Hari ini": an officer's own work since the start of their day, for the console's home
//! page. Read from the registrations the officer decided and the queues of their open desks.

use ikd_core::console_api::OfficerDay;
use ikd_core::registration_status::RegistrationStatus;

use crate::officer::officers::Officer;
use crate::platform::db::{Db, DbError, unix_now};

/// How far back `since` may reach: a day and a half covers any time zone's midnight.
const LONGEST_DAY_SECS: i64 = 36 * 3600;

pub async fn of(db: &Db, officer: &Officer, since: i64) -> Result<OfficerDay, DbError> {
    let now = unix_now();
    let since = since.clamp(now - LONGEST_DAY_SECS, now);
    let decided = |status: RegistrationStatus| {
        sqlx::query_scalar::<_, i64>(
            "SELECT COUNT(*) FROM registrations WHERE decided_by = $1 AND decided_at >= $2 \
             AND (status = $3 OR status = $4)",
        )
        .bind(officer.id)
        .bind(since)
        .bind(status.as_str())
        // An approval the citizen has since activated still counts as approved.
        .bind(match status {
            RegistrationStatus::Approved => RegistrationStatus::Activated.as_str(),
            other => other.as_str(),
        })
    };
    let approved = decided(RegistrationStatus::Approved)
        .fetch_one(db.pool())
        .await?;
    let rejected = decided(RegistrationStatus::Rejected)
        .fetch_one(db.pool())
        .await?;
    let waiting: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM registrations r JOIN desks d ON d.id = r.desk_id \
         WHERE d.officer_id = $1 AND d.closed_at IS NULL AND r.status = $2",
    )
    .bind(officer.id)
    .bind(RegistrationStatus::Pending.as_str())
    .fetch_one(db.pool())
    .await?;
    let count = |n: i64| u64::try_from(n).unwrap_or(0);
    Ok(OfficerDay {
        approved: count(approved),
        rejected: count(rejected),
        waiting: count(waiting),
    })
}
