//! The activity log (riwayat aktivitas) of each citizen: what happened to their identity and
//! who did it. Officers' decisions are recorded here with the officer's id.

use ikd_core::activity::{ActivityEntry, ActivityKind};
use sqlx::AnyConnection;

use crate::platform::db::{Db, DbError, unix_now};

/// The actor for something the citizen did.
pub const CITIZEN: &str = "warga";

pub fn officer_actor(officer_id: i64) -> String {
    format!("petugas:{officer_id}")
}

/// Records an event inside the caller's transaction, so it is logged if and only if it
/// happened.
pub async fn record_in(
    conn: &mut AnyConnection,
    nik: &str,
    kind: ActivityKind,
    actor: &str,
    detail: &str,
) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO activity_log (nik, at, kind, actor, detail) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(nik)
    .bind(unix_now())
    .bind(kind.as_str())
    .bind(actor)
    .bind(detail)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn record(
    db: &Db,
    nik: &str,
    kind: ActivityKind,
    actor: &str,
    detail: &str,
) -> Result<(), DbError> {
    let mut conn = db.pool().acquire().await?;
    record_in(&mut conn, nik, kind, actor, detail).await
}

/// Records an event unless the same one (kind, actor and detail) was recorded for this NIK in
/// the last `within_secs`: for views an officer's screen repeats as it redraws.
pub async fn record_unless_recent(
    db: &Db,
    nik: &str,
    kind: ActivityKind,
    actor: &str,
    detail: &str,
    within_secs: i64,
) -> Result<(), DbError> {
    let now = unix_now();
    sqlx::query(
        "INSERT INTO activity_log (nik, at, kind, actor, detail) SELECT $1, $2, $3, $4, $5 \
         WHERE NOT EXISTS (SELECT 1 FROM activity_log WHERE nik = $1 AND kind = $3 \
         AND actor = $4 AND detail = $5 AND at > $6)",
    )
    .bind(nik)
    .bind(now)
    .bind(kind.as_str())
    .bind(actor)
    .bind(detail)
    .bind(now - within_secs)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// The newest `limit` entries of one citizen, newest first.
pub async fn of_citizen(db: &Db, nik: &str, limit: i64) -> Result<Vec<ActivityEntry>, DbError> {
    let rows: Vec<(i64, String, String, String)> = sqlx::query_as(
        "SELECT at, kind, actor, detail FROM activity_log WHERE nik = $1 ORDER BY id DESC LIMIT $2",
    )
    .bind(nik)
    .bind(limit)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(at, kind, actor, detail)| {
            Some(ActivityEntry {
                at,
                kind: ActivityKind::parse(&kind)?,
                actor,
                detail,
            })
        })
        .collect())
}
