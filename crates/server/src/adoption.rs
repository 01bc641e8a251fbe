//! How far each person got: registered, approved, activated. One row per person, written in
//! the same transaction as the step itself, so the dashboard and drive progress count small
//! rows instead of scanning registrations (which carry selfies).

use sqlx::AnyConnection;

use crate::db::DbError;

/// The first registration of a person; later ones keep the first date.
pub async fn registered_in(conn: &mut AnyConnection, nik: &str, at: i64) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO adoption (nik, regency_code, district_code, registered_at) \
         SELECT nik, regency_code, district_code, $2 FROM registry_persons WHERE nik = $1 \
         ON CONFLICT (nik) DO NOTHING",
    )
    .bind(nik)
    .bind(at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn approved_in(conn: &mut AnyConnection, nik: &str, at: i64) -> Result<(), DbError> {
    sqlx::query("UPDATE adoption SET approved_at = COALESCE(approved_at, $2) WHERE nik = $1")
        .bind(nik)
        .bind(at)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn activated_in(conn: &mut AnyConnection, nik: &str, at: i64) -> Result<(), DbError> {
    sqlx::query("UPDATE adoption SET activated_at = COALESCE(activated_at, $2) WHERE nik = $1")
        .bind(nik)
        .bind(at)
        .execute(&mut *conn)
        .await?;
    Ok(())
}
