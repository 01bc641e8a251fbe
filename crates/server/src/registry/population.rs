//! Who must hold a KTP, by region: people with a recorded e-KTP who are 17 or older today.
//! Counting that over a million-person registry on every dashboard view would scan it all, so
//! `registry_population` keeps counts by region and birth year, rebuilt after each seed or
//! import. The year in which people turn 17 today is counted exactly from an index.

use std::collections::HashMap;

use ikd_core::date::Date;
use ikd_core::region;

use crate::platform::db::{Db, DbError};

/// Rebuilds the counts from `registry_persons` (after a seed, an import or a clear).
pub async fn rebuild(db: &Db) -> Result<(), DbError> {
    let mut tx = db.pool().begin().await?;
    sqlx::query("DELETE FROM registry_population")
        .execute(&mut *tx)
        .await?;
    for (level, column) in [(1, "regency_code"), (2, "district_code")] {
        sqlx::query(&format!(
            "INSERT INTO registry_population (level, region_code, birth_year, recorded) \
             SELECT {level}, {column}, CAST(substr(birth_date, 1, 4) AS INTEGER), COUNT(*) \
             FROM registry_persons WHERE ektp_recorded = 1 \
             GROUP BY {column}, CAST(substr(birth_date, 1, 4) AS INTEGER)"
        ))
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// How finely to count: by regency ("32.76") or by district ("32.76.01").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Regency,
    District,
}

impl Level {
    fn number(self) -> i64 {
        match self {
            Level::Regency => 1,
            Level::District => 2,
        }
    }
}

/// People who must hold a KTP on `today`, per region of `level` whose code starts with
/// `prefix` ("" for all, "32." for a province's regencies, "32.76." for a regency's districts).
pub async fn eligible_by_region(
    db: &Db,
    level: Level,
    prefix: &str,
    today: Date,
) -> Result<HashMap<String, u64>, DbError> {
    // Born on or before this day: old enough for a KTP today.
    let cutoff = ikd_core::ktp::latest_birth_date(today);
    let boundary_year = cutoff.year();
    // A range, not LIKE: LIKE uses no index on either back-end here.
    let range = region::prefix_range(prefix);
    let (whole_filter, boundary_filter) = match range {
        Some(_) => (
            " AND region_code >= $3 AND region_code < $4",
            " AND district_code >= $3 AND district_code < $4",
        ),
        None => ("", ""),
    };
    let whole_sql = format!(
        "SELECT region_code, CAST(SUM(recorded) AS BIGINT) FROM registry_population \
         WHERE level = $1 AND birth_year < $2{whole_filter} GROUP BY region_code"
    );
    let mut whole_years = sqlx::query_as::<_, (String, i64)>(&whole_sql)
        .bind(level.number())
        .bind(i64::from(boundary_year));
    if let Some((from, to)) = &range {
        whole_years = whole_years.bind(from).bind(to);
    }
    let mut counts: HashMap<String, u64> = whole_years
        .fetch_all(db.pool())
        .await?
        .into_iter()
        .map(|(code, n)| (code, n.max(0) as u64))
        .collect();
    // The boundary year: only those born on or before the cutoff day.
    let boundary_sql = format!(
        "SELECT district_code, COUNT(*) FROM registry_persons \
         WHERE birth_date >= $1 AND birth_date <= $2 AND ektp_recorded = 1{boundary_filter} \
         GROUP BY district_code"
    );
    let mut boundary = sqlx::query_as::<_, (String, i64)>(&boundary_sql)
        .bind(format!("{boundary_year:04}-01-01"))
        .bind(cutoff.to_string());
    if let Some((from, to)) = &range {
        boundary = boundary.bind(from).bind(to);
    }
    let boundary = boundary.fetch_all(db.pool()).await?;
    for (district, n) in boundary {
        let code = match level {
            Level::District => district,
            Level::Regency => region::regency_of(&district).to_owned(),
        };
        *counts.entry(code).or_default() += n.max(0) as u64;
    }
    Ok(counts)
}
