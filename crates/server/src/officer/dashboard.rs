//! Regional figures against targets: for Indonesia, a province or a regency, the population
//! that must hold a KTP, how many registered and activated, the target and the trend. Every
//! figure comes from kept counts (`registry_population` by region and birth year,
//! `adoption_daily` by regency and day, and for a regency's districts the regency's own
//! `adoption` rows), so a view over a million citizens costs a few indexed queries.

use std::collections::HashMap;

use axum::http::StatusCode;
use ikd_core::console_api::{
    DriveFigures, RegionDashboard, RegionFigures, RegionRef, TrendPoint, percent_of_target,
    target_count,
};
use ikd_core::date::Date;
use ikd_core::officer::OfficerRole;
use ikd_core::region;

use crate::officer::drives::{VISIBLE_TO_OFFICER, bind_visible_to};
use crate::officer::officers::Officer;
use crate::platform::db::{Db, DbError};
use crate::platform::refusal::Refusal;
use crate::registry::population::{self, Level};

/// Days of history the trend shows.
pub const TREND_DAYS: i32 = 30;

#[derive(Debug, thiserror::Error)]
pub enum DashboardError {
    #[error("unknown region {0:?}")]
    UnknownRegion(String),
    #[error(transparent)]
    Database(#[from] DbError),
}

crate::database_fault!(DashboardError);

impl DashboardError {
    pub fn refusal(&self) -> Option<Refusal> {
        Some(match self {
            DashboardError::UnknownRegion(code) => Refusal::new(
                StatusCode::NOT_FOUND,
                "unknown-region",
                &format!(
                    "Wilayah {code:?} tidak dikenal (pakai kode provinsi \"32\" atau kabupaten/kota \"32.76\")"
                ),
                &format!(
                    "Unknown region {code:?} (use a province code \"32\" or a regency code \"32.76\")"
                ),
            ),
            DashboardError::Database(_) => return None,
        })
    }
}

/// The level below a region, and its children's codes and names.
enum Scope {
    Country,
    Province(&'static region::Province),
    Regency(&'static region::Regency),
}

impl Scope {
    fn parse(code: &str) -> Result<Scope, DashboardError> {
        let unknown = || DashboardError::UnknownRegion(code.to_owned());
        match code.len() {
            0 => Ok(Scope::Country),
            2 => region::province(code)
                .map(Scope::Province)
                .ok_or_else(unknown),
            5 => region::regency(code)
                .map(Scope::Regency)
                .ok_or_else(unknown),
            _ => Err(unknown()),
        }
    }

    fn code(&self) -> &'static str {
        match self {
            Scope::Country => "",
            Scope::Province(p) => p.code,
            Scope::Regency(r) => r.code,
        }
    }

    fn name(&self) -> String {
        match self {
            Scope::Country => "INDONESIA".to_owned(),
            Scope::Province(p) => p.name.to_owned(),
            Scope::Regency(r) => r.name.to_owned(),
        }
    }

    fn children(&self) -> Vec<(&'static str, &'static str)> {
        match self {
            Scope::Country => region::provinces()
                .iter()
                .map(|p| (p.code, p.name))
                .collect(),
            Scope::Province(p) => region::regencies_of(p.code)
                .iter()
                .map(|r| (r.code, r.name))
                .collect(),
            Scope::Regency(r) => region::districts_of(r.code)
                .iter()
                .map(|d| (d.code, d.name))
                .collect(),
        }
    }

    /// The child a regency or district code belongs to.
    fn child_of<'a>(&self, code: &'a str) -> &'a str {
        match self {
            Scope::Country => region::province_of(code),
            Scope::Province(_) => region::regency_of(code),
            Scope::Regency(_) => code,
        }
    }
}

/// The nearest target at or above `code`, in basis points, and where it was set.
fn target_for(targets: &HashMap<String, i64>, code: &str) -> (i64, String) {
    let mut at = code;
    loop {
        if let Some(bp) = targets.get(at) {
            return (*bp, at.to_owned());
        }
        if at.is_empty() {
            return (0, String::new());
        }
        at = region::parent_of(at);
    }
}

async fn targets(db: &Db) -> Result<HashMap<String, i64>, DbError> {
    let rows: Vec<(String, i64)> =
        sqlx::query_as("SELECT region_code, basis_points FROM region_targets")
            .fetch_all(db.pool())
            .await?;
    Ok(rows.into_iter().collect())
}

fn figures(
    code: &str,
    name: &str,
    eligible: u64,
    registered: u64,
    activated: u64,
    targets: &HashMap<String, i64>,
) -> RegionFigures {
    let (basis_points, set_at) = target_for(targets, code);
    let target = target_count(eligible, basis_points);
    RegionFigures {
        code: code.to_owned(),
        name: name.to_owned(),
        eligible,
        registered,
        activated,
        target_percent: basis_points as f64 / 100.0,
        target_set_at: set_at,
        target_count: target,
        percent_of_target: percent_of_target(activated, target),
    }
}

/// Which `adoption_daily` rows belong to a scope: a WHERE clause and its parameters. A range
/// rather than LIKE, so the primary key answers it.
fn daily_filter(scope: &Scope) -> (&'static str, Vec<String>) {
    match scope {
        Scope::Country => ("", Vec::new()),
        Scope::Province(p) => {
            let (from, to) = region::inside_range(p.code);
            (
                " WHERE regency_code >= $1 AND regency_code < $2",
                vec![from, to],
            )
        }
        Scope::Regency(r) => (" WHERE regency_code = $1", vec![r.code.to_owned()]),
    }
}

/// Registered and activated per child of the scope: the per-regency daily counts for the
/// country and a province; a regency's own people (an index range) for its districts.
async fn adopted_by_child(db: &Db, scope: &Scope) -> Result<HashMap<String, (u64, u64)>, DbError> {
    let (sql, params) = match scope {
        Scope::Regency(r) => (
            "SELECT district_code, COUNT(*), COUNT(activated_at) FROM adoption \
             WHERE regency_code = $1 GROUP BY district_code"
                .to_owned(),
            vec![r.code.to_owned()],
        ),
        _ => {
            let (filter, params) = daily_filter(scope);
            (
                format!(
                    "SELECT regency_code, CAST(SUM(registered) AS BIGINT), \
                     CAST(SUM(activated) AS BIGINT) FROM adoption_daily{filter} \
                     GROUP BY regency_code"
                ),
                params,
            )
        }
    };
    let mut query = sqlx::query_as::<_, (String, i64, i64)>(&sql);
    for param in &params {
        query = query.bind(param);
    }
    let mut adopted: HashMap<String, (u64, u64)> = HashMap::new();
    for (code, registered, activated) in query.fetch_all(db.pool()).await? {
        let entry = adopted.entry(scope.child_of(&code).to_owned()).or_default();
        entry.0 += registered.max(0) as u64;
        entry.1 += activated.max(0) as u64;
    }
    Ok(adopted)
}

pub async fn regions(
    db: &Db,
    viewer: &Officer,
    parent: &str,
    today: Date,
) -> Result<RegionDashboard, DashboardError> {
    let scope = Scope::parse(parent.trim())?;
    let (level, prefix) = match &scope {
        Scope::Country => (Level::Regency, String::new()),
        Scope::Province(p) => (Level::Regency, format!("{}.", p.code)),
        Scope::Regency(r) => (Level::District, format!("{}.", r.code)),
    };
    let mut eligible: HashMap<String, u64> = HashMap::new();
    for (code, n) in population::eligible_by_region(db, level, &prefix, today).await? {
        *eligible
            .entry(scope.child_of(&code).to_owned())
            .or_default() += n;
    }
    let adopted = adopted_by_child(db, &scope).await?;
    let targets = targets(db).await?;
    let children: Vec<RegionFigures> = scope
        .children()
        .into_iter()
        .map(|(code, name)| {
            let (registered, activated) = adopted.get(code).copied().unwrap_or_default();
            figures(
                code,
                name,
                eligible.get(code).copied().unwrap_or_default(),
                registered,
                activated,
                &targets,
            )
        })
        .collect();
    let region = figures(
        scope.code(),
        &scope.name(),
        children.iter().map(|c| c.eligible).sum(),
        children.iter().map(|c| c.registered).sum(),
        children.iter().map(|c| c.activated).sum(),
        &targets,
    );
    let trend = trend(db, &scope, today).await?;
    let ancestors = match &scope {
        Scope::Country => Vec::new(),
        Scope::Province(_) => vec![country_ref()],
        Scope::Regency(r) => vec![country_ref(), region_ref(region::province_of(r.code))],
    };
    Ok(RegionDashboard {
        ancestors,
        can_set_targets: may_set_target(viewer, scope.code()),
        region,
        children,
        trend,
        as_of: today.to_string(),
    })
}

fn country_ref() -> RegionRef {
    RegionRef {
        code: String::new(),
        name: "INDONESIA".to_owned(),
    }
}

fn region_ref(code: &str) -> RegionRef {
    RegionRef {
        code: code.to_owned(),
        name: region_name(code),
    }
}

/// The name of a province, regency or district code ("" is Indonesia); the code itself when
/// unknown.
pub fn region_name(code: &str) -> String {
    if code.is_empty() {
        return "INDONESIA".to_owned();
    }
    region::name_of(code).map_or_else(|| code.to_owned(), str::to_owned)
}

/// Totals reached by the end of each of the last `TREND_DAYS` days (UTC).
async fn trend(db: &Db, scope: &Scope, today: Date) -> Result<Vec<TrendPoint>, DbError> {
    let (filter, params) = daily_filter(scope);
    let last_day = i64::from(today.to_days_since_epoch());
    let first_day = last_day - i64::from(TREND_DAYS) + 1;
    let sql = format!(
        "SELECT day, CAST(SUM(registered) AS BIGINT), CAST(SUM(activated) AS BIGINT) \
         FROM adoption_daily{filter} GROUP BY day"
    );
    let mut query = sqlx::query_as::<_, (i64, i64, i64)>(&sql);
    for param in &params {
        query = query.bind(param);
    }
    let rows = query.fetch_all(db.pool()).await?;
    let registered: Vec<(i64, i64)> = rows.iter().map(|(day, r, _)| (*day, *r)).collect();
    let activated: Vec<(i64, i64)> = rows.iter().map(|(day, _, a)| (*day, *a)).collect();
    let series = [
        cumulative(&registered, first_day, last_day),
        cumulative(&activated, first_day, last_day),
    ];
    Ok((first_day..=last_day)
        .enumerate()
        .map(|(i, day)| TrendPoint {
            day: Date::from_days_since_epoch(day as i32)
                .map(|d| d.to_string())
                .unwrap_or_default(),
            registered: series[0][i],
            activated: series[1][i],
        })
        .collect())
}

/// Running totals for each day in `first..=last`, counting everything before `first` too.
fn cumulative(per_day: &[(i64, i64)], first: i64, last: i64) -> Vec<u64> {
    let before: i64 = per_day
        .iter()
        .filter(|(day, _)| *day < first)
        .map(|(_, n)| n)
        .sum();
    let by_day: HashMap<i64, i64> = per_day.iter().copied().collect();
    let mut running = before;
    (first..=last)
        .map(|day| {
            running += by_day.get(&day).copied().unwrap_or(0);
            running.max(0) as u64
        })
        .collect()
}

/// The region view as CSV: the region itself, then each child.
pub fn regions_csv(view: &RegionDashboard) -> String {
    let mut out = crate::platform::csv_out::CsvOut::new(&[
        "kode_wilayah",
        "wilayah",
        "wajib_ktp",
        "mendaftar",
        "aktif",
        "target_persen",
        "target_jumlah",
        "persen_capaian_target",
    ]);
    for row in std::iter::once(&view.region).chain(&view.children) {
        out.row(&[
            &row.code,
            &row.name,
            &row.eligible.to_string(),
            &row.registered.to_string(),
            &row.activated.to_string(),
            &format!("{:.2}", row.target_percent),
            &row.target_count.to_string(),
            &format!("{:.1}", row.percent_of_target),
        ]);
    }
    out.finish()
}

/// Drives the officer works or oversees, with their roster progress (the kept counts), newest
/// first.
pub async fn drives(db: &Db, viewer: &Officer) -> Result<Vec<DriveFigures>, DbError> {
    type Row = (
        i64,
        String,
        String,
        String,
        String,
        String,
        i64,
        i64,
        i64,
        i64,
    );
    let rows: Vec<Row> = bind_visible_to(
        sqlx::query_as(&format!(
            "SELECT d.id, d.name, d.agency, d.region_code, d.starts_on, d.ends_on, \
         CAST(COALESCE(SUM(p.on_roster), 0) AS BIGINT), \
         CAST(COALESCE(SUM(p.registered), 0) AS BIGINT), \
         CAST(COALESCE(SUM(p.approved), 0) AS BIGINT), \
         CAST(COALESCE(SUM(p.activated), 0) AS BIGINT) \
         FROM drives d LEFT JOIN drive_unit_progress p ON p.drive_id = d.id \
         WHERE {VISIBLE_TO_OFFICER} \
         GROUP BY d.id, d.name, d.agency, d.region_code, d.starts_on, d.ends_on \
         ORDER BY d.id DESC"
        )),
        viewer,
    )
    .fetch_all(db.pool())
    .await?;
    let count = |n: i64| n.max(0) as u64;
    Ok(rows
        .into_iter()
        .map(
            |(id, name, agency, region_code, starts_on, ends_on, roster, reg, appr, act)| {
                DriveFigures {
                    drive_id: id,
                    name,
                    agency,
                    region_name: region::display_name(&region_code),
                    region_code,
                    starts_on,
                    ends_on,
                    on_roster: count(roster),
                    registered: count(reg),
                    approved: count(appr),
                    activated: count(act),
                }
            },
        )
        .collect())
}

pub fn drives_csv(rows: &[DriveFigures]) -> String {
    let mut out = crate::platform::csv_out::CsvOut::new(&[
        "id",
        "kegiatan",
        "instansi",
        "kode_wilayah",
        "mulai",
        "selesai",
        "di_daftar",
        "mendaftar",
        "disetujui",
        "aktif",
    ]);
    for row in rows {
        out.row(&[
            &row.drive_id.to_string(),
            &row.name,
            &row.agency,
            &row.region_code,
            &row.starts_on,
            &row.ends_on,
            &row.on_roster.to_string(),
            &row.registered.to_string(),
            &row.approved.to_string(),
            &row.activated.to_string(),
        ]);
    }
    out.finish()
}

/// Admins set targets for their own region and the regions inside it.
pub fn may_set_target(officer: &Officer, code: &str) -> bool {
    officer.role == OfficerRole::Admin
        && (officer.region_code.is_empty() || region::within(code, &officer.region_code))
}

#[derive(Debug, thiserror::Error)]
pub enum TargetError {
    #[error("only admins set targets, within their region")]
    NotAllowed,
    #[error("invalid percent")]
    Percent,
    #[error(transparent)]
    Region(#[from] DashboardError),
    #[error(transparent)]
    Database(#[from] DbError),
}

crate::database_fault!(TargetError);

impl TargetError {
    pub fn refusal(&self) -> Option<Refusal> {
        Some(match self {
            TargetError::NotAllowed => Refusal::new(
                StatusCode::FORBIDDEN,
                "target-not-allowed",
                "Hanya administrator yang dapat menetapkan target, untuk wilayahnya sendiri",
                "Only administrators set targets, for their own region",
            ),
            TargetError::Percent => Refusal::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "target-percent",
                "Target harus antara 0 dan 100 persen, paling banyak dua angka desimal",
                "The target must be between 0 and 100 percent, with at most two decimals",
            )
            .field("percent"),
            TargetError::Region(err) => return err.refusal(),
            TargetError::Database(_) => return None,
        })
    }
}

/// Sets the target of a region ("" for Indonesia, a province, a regency or a district).
pub async fn set_target(
    db: &Db,
    officer: &Officer,
    code: &str,
    percent: f64,
    now: i64,
) -> Result<(), TargetError> {
    let known = code.is_empty() || region::name_of(code).is_some();
    if !known {
        return Err(DashboardError::UnknownRegion(code.to_owned()).into());
    }
    if !may_set_target(officer, code) {
        return Err(TargetError::NotAllowed);
    }
    let basis_points =
        ikd_core::console_api::percent_to_basis_points(percent).ok_or(TargetError::Percent)?;
    sqlx::query(
        "INSERT INTO region_targets (region_code, basis_points, set_by, set_at) \
         VALUES ($1, $2, $3, $4) ON CONFLICT (region_code) DO UPDATE \
         SET basis_points = excluded.basis_points, set_by = excluded.set_by, set_at = excluded.set_at",
    )
    .bind(code)
    .bind(basis_points)
    .bind(officer.id)
    .bind(now)
    .execute(db.pool())
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_region_inherits_the_nearest_target_above_it() {
        let targets = HashMap::from([(String::new(), 7000), ("32.76".to_owned(), 2500)]);
        assert_eq!(target_for(&targets, "32.76.01"), (2500, "32.76".to_owned()));
        assert_eq!(target_for(&targets, "32.76"), (2500, "32.76".to_owned()));
        assert_eq!(target_for(&targets, "32.01"), (7000, String::new()));
        assert_eq!(target_for(&targets, ""), (7000, String::new()));
        assert_eq!(target_for(&HashMap::new(), "32"), (0, String::new()));
    }

    #[test]
    fn the_trend_is_cumulative_and_counts_days_before_the_window() {
        let per_day = [(5, 2), (10, 1), (12, 4)];
        assert_eq!(cumulative(&per_day, 10, 13), vec![3, 3, 7, 7]);
        assert_eq!(cumulative(&[], 1, 2), vec![0, 0]);
    }
}
