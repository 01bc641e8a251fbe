//! How far each person got: registered, approved, activated. Each step is written in the
//! same transaction as the step itself, three ways: the person's own row (`adoption`, the
//! first date of each step), the count of their regency that day (`adoption_daily`), and the
//! progress of every drive whose roster lists them (`drive_unit_progress`). Counts go up only
//! when a step happens for the first time, so a second registration counts nothing.

use sqlx::AnyConnection;

use crate::platform::db::DbError;

pub const SECONDS_PER_DAY: i64 = 86_400;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Registered,
    Approved,
    Activated,
}

impl Step {
    fn column(self) -> &'static str {
        match self {
            Step::Registered => "registered",
            Step::Approved => "approved",
            Step::Activated => "activated",
        }
    }

    /// (registered, approved, activated) increments.
    fn increments(self) -> (i64, i64, i64) {
        match self {
            Step::Registered => (1, 0, 0),
            Step::Approved => (0, 1, 0),
            Step::Activated => (0, 0, 1),
        }
    }
}

/// The first registration of a person; later ones keep the first date and count nothing.
pub async fn registered_in(conn: &mut AnyConnection, nik: &str, at: i64) -> Result<(), DbError> {
    let inserted = sqlx::query(
        "INSERT INTO adoption (nik, regency_code, district_code, registered_at) \
         SELECT nik, regency_code, district_code, $2 FROM registry_persons WHERE nik = $1 \
         ON CONFLICT (nik) DO NOTHING",
    )
    .bind(nik)
    .bind(at)
    .execute(&mut *conn)
    .await?;
    if inserted.rows_affected() == 1 {
        count_step(conn, nik, at, Step::Registered).await?;
    }
    Ok(())
}

pub async fn approved_in(conn: &mut AnyConnection, nik: &str, at: i64) -> Result<(), DbError> {
    let updated =
        sqlx::query("UPDATE adoption SET approved_at = $2 WHERE nik = $1 AND approved_at IS NULL")
            .bind(nik)
            .bind(at)
            .execute(&mut *conn)
            .await?;
    if updated.rows_affected() == 1 {
        count_step(conn, nik, at, Step::Approved).await?;
    }
    Ok(())
}

pub async fn activated_in(conn: &mut AnyConnection, nik: &str, at: i64) -> Result<(), DbError> {
    let updated = sqlx::query(
        "UPDATE adoption SET activated_at = $2 WHERE nik = $1 AND activated_at IS NULL",
    )
    .bind(nik)
    .bind(at)
    .execute(&mut *conn)
    .await?;
    if updated.rows_affected() == 1 {
        count_step(conn, nik, at, Step::Activated).await?;
    }
    Ok(())
}

async fn count_step(
    conn: &mut AnyConnection,
    nik: &str,
    at: i64,
    step: Step,
) -> Result<(), DbError> {
    let (registered, approved, activated) = step.increments();
    // The WHERE makes the SELECT unambiguous before ON CONFLICT on SQLite.
    sqlx::query(
        "INSERT INTO adoption_daily (regency_code, day, registered, approved, activated) \
         SELECT regency_code, $2, $3, $4, $5 FROM adoption WHERE nik = $1 \
         ON CONFLICT (regency_code, day) DO UPDATE SET \
         registered = adoption_daily.registered + excluded.registered, \
         approved = adoption_daily.approved + excluded.approved, \
         activated = adoption_daily.activated + excluded.activated",
    )
    .bind(nik)
    .bind(at.div_euclid(SECONDS_PER_DAY))
    .bind(registered)
    .bind(approved)
    .bind(activated)
    .execute(&mut *conn)
    .await?;
    let column = step.column();
    sqlx::query(&format!(
        "UPDATE drive_unit_progress SET {column} = {column} + 1 \
         WHERE (drive_id, unit) IN (SELECT drive_id, unit FROM drive_roster WHERE nik = $1)"
    ))
    .bind(nik)
    .execute(&mut *conn)
    .await?;
    Ok(())
}
