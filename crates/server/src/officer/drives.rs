//! Registration drives (jemput bola) for civil servants: Dukcapil officers go to an agency,
//! import its roster, show one QR on a projector, face-check and decide in batches, and follow
//! progress by unit. A drive owns a desk of kind `drive`, so registration, the token and the
//! review all work exactly as at a counter.

use axum::http::StatusCode;
use ikd_core::audit::AuditAction;
use ikd_core::console_api::{
    Drive, DriveOfficer, DriveProgress, NewDrive, QueueItem, UnitProgress,
};
use ikd_core::date::Date;
use ikd_core::region;
use ikd_core::registration_status::RegistrationStatus;
use sqlx::Any;
use sqlx::any::AnyArguments;
use sqlx::query::QueryAs;

use crate::officer::audit::{self, Actor};
use crate::officer::officers::Officer;
use crate::platform::db::{Db, DbError, unix_now};
use crate::platform::refusal::Refusal;

pub mod roster;
pub mod roster_csv;

const MAX_UNITS: usize = 500;
const MAX_TEXT: usize = 150;

#[derive(Debug, thiserror::Error)]
pub enum DriveError {
    #[error("drive not found")]
    NotFound,
    #[error("not one of this officer's drives")]
    NotYours,
    #[error("invalid {field}")]
    Invalid {
        field: &'static str,
        message_id: String,
        message_en: String,
    },
    #[error("unknown officer {0}")]
    UnknownOfficer(String),
    #[error(transparent)]
    Database(#[from] DbError),
}

crate::database_fault!(DriveError);

impl DriveError {
    pub fn refusal(&self) -> Option<Refusal> {
        Some(match self {
            DriveError::NotFound => Refusal::not_found("Kegiatan", "Drive"),
            DriveError::NotYours => Refusal::forbidden(),
            DriveError::Invalid {
                field,
                message_id,
                message_en,
            } => Refusal::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "drive-invalid",
                message_id,
                message_en,
            )
            .field(field),
            DriveError::UnknownOfficer(username) => Refusal::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "drive-officer-unknown",
                &format!(
                    "Petugas {username:?} tidak ditemukan, tidak aktif, atau di luar wilayah Anda"
                ),
                &format!("Officer {username:?} not found, disabled, or outside your region"),
            )
            .field("officers"),
            DriveError::Database(_) => return None,
        })
    }
}

/// A required text of at most [`MAX_TEXT`] characters; the refusal says `required_id`
/// ("Instansi wajib diisi") and the allowed length.
fn text_field(
    value: &str,
    field: &'static str,
    required_id: &str,
    required_en: &str,
) -> Result<String, DriveError> {
    let value = value.trim();
    if value.is_empty() || value.chars().count() > MAX_TEXT {
        return Err(DriveError::Invalid {
            field,
            message_id: format!("{required_id} (1–{MAX_TEXT} karakter)"),
            message_en: format!("{required_en} (1–{MAX_TEXT} characters)"),
        });
    }
    Ok(value.to_owned())
}

pub use roster_csv::normalise_unit;

struct ValidDrive {
    name: String,
    agency: String,
    place: String,
    starts_on: Date,
    ends_on: Date,
    units: Vec<String>,
}

fn validate(new: &NewDrive) -> Result<ValidDrive, DriveError> {
    let name = text_field(
        &new.name,
        "name",
        "Nama kegiatan wajib diisi",
        "The drive needs a name",
    )?;
    let agency = text_field(
        &new.agency,
        "agency",
        "Instansi wajib diisi",
        "The agency is required",
    )?;
    let place = text_field(
        &new.place,
        "place",
        "Tempat wajib diisi",
        "The place is required",
    )?;
    let starts_on: Date = new
        .starts_on
        .trim()
        .parse()
        .map_err(|_| DriveError::Invalid {
            field: "startsOn",
            message_id: "Tanggal mulai tidak valid (YYYY-MM-DD)".to_owned(),
            message_en: "Invalid start date (YYYY-MM-DD)".to_owned(),
        })?;
    let ends_on: Date = new
        .ends_on
        .trim()
        .parse()
        .map_err(|_| DriveError::Invalid {
            field: "endsOn",
            message_id: "Tanggal selesai tidak valid (YYYY-MM-DD)".to_owned(),
            message_en: "Invalid end date (YYYY-MM-DD)".to_owned(),
        })?;
    if ends_on < starts_on {
        return Err(DriveError::Invalid {
            field: "endsOn",
            message_id: "Tanggal selesai tidak boleh sebelum tanggal mulai".to_owned(),
            message_en: "The end date cannot be before the start date".to_owned(),
        });
    }
    let mut units: Vec<String> = Vec::new();
    for unit in &new.units {
        let unit = normalise_unit(unit);
        if unit.is_empty() {
            continue;
        }
        if unit.chars().count() > MAX_TEXT {
            return Err(DriveError::Invalid {
                field: "units",
                message_id: format!("Nama unit kerja paling panjang {MAX_TEXT} karakter"),
                message_en: format!("A unit name is at most {MAX_TEXT} characters"),
            });
        }
        if !units.contains(&unit) {
            units.push(unit);
        }
    }
    if units.len() > MAX_UNITS {
        return Err(DriveError::Invalid {
            field: "units",
            message_id: format!("Paling banyak {MAX_UNITS} unit kerja per kegiatan"),
            message_en: format!("At most {MAX_UNITS} units per drive"),
        });
    }
    Ok(ValidDrive {
        name,
        agency,
        place,
        starts_on,
        ends_on,
        units,
    })
}

/// Creates the drive, its desk, its units and its officers in one transaction. The drive's
/// region is always its creator's: `NewDrive` has no region (and refuses unknown fields), so
/// no officer, plain or not, can open a drive, and with it a roster of the registry, outside
/// their own region.
pub async fn create(db: &Db, actor: &Actor<'_>, new: &NewDrive) -> Result<Drive, DriveError> {
    let creator = actor.officer;
    let drive = validate(new)?;
    // The officers who will work the drive, looked up before the transaction: each must work
    // inside the drive's region, since working it opens its desk's face checks to them.
    let mut officer_ids = vec![creator.id];
    for username in &new.officers {
        let username = username.trim();
        if username.is_empty() || username == creator.username {
            continue;
        }
        let found = crate::officer::officers::find_active(db, username).await?;
        let colleague = found
            .filter(|o| region::within(&o.region_code, &creator.region_code))
            .ok_or_else(|| DriveError::UnknownOfficer(username.to_owned()))?;
        if !officer_ids.contains(&colleague.id) {
            officer_ids.push(colleague.id);
        }
    }
    let now = unix_now();
    let mut tx = db.pool().begin().await?;
    let desk_id: i64 = sqlx::query_scalar(
        "INSERT INTO desks (officer_id, kind, label, region_code, opened_at) \
         VALUES ($1, 'drive', $2, $3, $4) RETURNING id",
    )
    .bind(creator.id)
    .bind(&drive.name)
    .bind(&creator.region_code)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO drives (name, agency, place, starts_on, ends_on, region_code, desk_id, \
         created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(&drive.name)
    .bind(&drive.agency)
    .bind(&drive.place)
    .bind(drive.starts_on.to_string())
    .bind(drive.ends_on.to_string())
    .bind(&creator.region_code)
    .bind(desk_id)
    .bind(creator.id)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    for unit in &drive.units {
        sqlx::query("INSERT INTO drive_units (drive_id, unit) VALUES ($1, $2)")
            .bind(id)
            .bind(unit)
            .execute(&mut *tx)
            .await?;
    }
    for officer_id in &officer_ids {
        sqlx::query("INSERT INTO drive_officers (drive_id, officer_id) VALUES ($1, $2)")
            .bind(id)
            .bind(officer_id)
            .execute(&mut *tx)
            .await?;
    }
    let detail = format!("{} ({}), loket {desk_id}", drive.name, drive.agency);
    audit::record_in(
        &mut tx,
        actor,
        AuditAction::DriveCreated,
        &id.to_string(),
        &detail,
    )
    .await?;
    tx.commit().await?;
    load(db, id).await
}

#[derive(sqlx::FromRow)]
struct DriveRow {
    id: i64,
    name: String,
    agency: String,
    place: String,
    starts_on: String,
    ends_on: String,
    region_code: String,
    desk_id: i64,
    created_by: i64,
    created_at: i64,
}

const SELECT_DRIVE: &str = "SELECT id, name, agency, place, starts_on, ends_on, region_code, \
                            desk_id, created_by, created_at FROM drives";

async fn load(db: &Db, id: i64) -> Result<Drive, DriveError> {
    let row: Option<DriveRow> = sqlx::query_as(&format!("{SELECT_DRIVE} WHERE id = $1"))
        .bind(id)
        .fetch_optional(db.pool())
        .await?;
    let row = row.ok_or(DriveError::NotFound)?;
    complete(db, row).await
}

async fn complete(db: &Db, row: DriveRow) -> Result<Drive, DriveError> {
    let units: Vec<String> =
        sqlx::query_scalar("SELECT unit FROM drive_units WHERE drive_id = $1 ORDER BY unit")
            .bind(row.id)
            .fetch_all(db.pool())
            .await?;
    let officers: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT o.id, o.username, o.full_name FROM drive_officers d \
         JOIN officers o ON o.id = d.officer_id WHERE d.drive_id = $1 ORDER BY o.username",
    )
    .bind(row.id)
    .fetch_all(db.pool())
    .await?;
    let on_roster: i64 = sqlx::query_scalar(
        "SELECT CAST(COALESCE(SUM(on_roster), 0) AS BIGINT) FROM drive_unit_progress \
         WHERE drive_id = $1",
    )
    .bind(row.id)
    .fetch_one(db.pool())
    .await?;
    Ok(Drive {
        id: row.id,
        name: row.name,
        agency: row.agency,
        units,
        place: row.place,
        starts_on: row.starts_on,
        ends_on: row.ends_on,
        region_code: row.region_code,
        desk_id: row.desk_id,
        created_by: row.created_by,
        created_at: row.created_at,
        officers: officers
            .into_iter()
            .map(|(id, username, full_name)| DriveOfficer {
                id,
                username,
                full_name,
            })
            .collect(),
        on_roster: on_roster.max(0) as u64,
    })
}

/// Whether the officer works this drive (as listed) or oversees its region.
async fn may_see(db: &Db, officer: &Officer, drive_id: i64, region: &str) -> Result<bool, DbError> {
    if officer.oversees(region) {
        return Ok(true);
    }
    works_drive(db, officer.id, drive_id).await
}

async fn works_drive(db: &Db, officer_id: i64, drive_id: i64) -> Result<bool, DbError> {
    let listed: Option<i64> = sqlx::query_scalar(
        "SELECT officer_id FROM drive_officers WHERE drive_id = $1 AND officer_id = $2",
    )
    .bind(drive_id)
    .bind(officer_id)
    .fetch_optional(db.pool())
    .await?;
    Ok(listed.is_some())
}

/// Whether the officer works the drive that owns this desk (desk access for drive officers).
pub async fn works_drive_of_desk(db: &Db, officer_id: i64, desk_id: i64) -> Result<bool, DbError> {
    let listed: Option<i64> = sqlx::query_scalar(
        "SELECT o.officer_id FROM drives d JOIN drive_officers o ON o.drive_id = d.id \
         WHERE d.desk_id = $1 AND o.officer_id = $2",
    )
    .bind(desk_id)
    .bind(officer_id)
    .fetch_optional(db.pool())
    .await?;
    Ok(listed.is_some())
}

/// A drive the officer may see and work.
pub async fn find_for(db: &Db, officer: &Officer, id: i64) -> Result<Drive, DriveError> {
    let drive = load(db, id).await?;
    if may_see(db, officer, id, &drive.region_code).await? {
        Ok(drive)
    } else {
        Err(DriveError::NotYours)
    }
}

/// The drives an officer may see, as a condition on `drives d`: the ones they work and, for
/// supervisors and admins, every drive in their region (the SQL form of [`find_for`]'s
/// check). It takes `$1`–`$5`, which [`bind_visible_to`] binds; the regions below the
/// officer's are a code range, not LIKE, so an index can answer it.
pub const VISIBLE_TO_OFFICER: &str = "(d.id IN (SELECT drive_id FROM drive_officers \
     WHERE officer_id = $1) OR ($2 = 1 AND (d.region_code = $3 \
     OR (d.region_code >= $4 AND d.region_code < $5))))";

/// Binds the parameters `$1`–`$5` of [`VISIBLE_TO_OFFICER`] for `officer`.
pub fn bind_visible_to<'q, O>(
    query: QueryAs<'q, Any, O, AnyArguments<'q>>,
    officer: &Officer,
) -> QueryAs<'q, Any, O, AnyArguments<'q>> {
    let oversees = officer.role != ikd_core::officer::OfficerRole::Officer;
    // "32.76" oversees "32.76.01": the codes from "32.76." up to (not including) "32.76/".
    let (below_from, below_to) = region::inside_range(&officer.region_code);
    query
        .bind(officer.id)
        .bind(i64::from(oversees))
        .bind(officer.region_code.clone())
        .bind(below_from)
        .bind(below_to)
}

/// The drives an officer may see, newest first.
pub async fn list_for(db: &Db, officer: &Officer) -> Result<Vec<Drive>, DriveError> {
    let rows: Vec<DriveRow> = bind_visible_to(
        sqlx::query_as(&format!(
            "{SELECT_DRIVE} d WHERE {VISIBLE_TO_OFFICER} ORDER BY id DESC"
        )),
        officer,
    )
    .fetch_all(db.pool())
    .await?;
    let mut drives = Vec::with_capacity(rows.len());
    for row in rows {
        drives.push(complete(db, row).await?);
    }
    Ok(drives)
}

/// Progress by unit: on the roster, registered, approved, activated (anywhere, not only at
/// this drive: someone who registered at a counter last week is done). Read from the counts
/// the import and each step keep (`drive_unit_progress`), not from the roster itself.
pub async fn progress(db: &Db, drive: &Drive) -> Result<DriveProgress, DriveError> {
    let rows: Vec<(String, i64, i64, i64, i64)> = sqlx::query_as(
        "SELECT unit, on_roster, registered, approved, activated FROM drive_unit_progress \
         WHERE drive_id = $1 ORDER BY unit",
    )
    .bind(drive.id)
    .fetch_all(db.pool())
    .await?;
    let count = |n: i64| n.max(0) as u64;
    let mut units: Vec<UnitProgress> = rows
        .into_iter()
        .map(
            |(unit, on_roster, registered, approved, activated)| UnitProgress {
                unit,
                on_roster: count(on_roster),
                registered: count(registered),
                approved: count(approved),
                activated: count(activated),
            },
        )
        .collect();
    // Units of the drive nobody on the roster belongs to yet still show, with zeros.
    for unit in &drive.units {
        if !units.iter().any(|u| &u.unit == unit) {
            units.push(UnitProgress {
                unit: unit.clone(),
                on_roster: 0,
                registered: 0,
                approved: 0,
                activated: 0,
            });
        }
    }
    units.sort_by(|a, b| a.unit.cmp(&b.unit));
    let total = units.iter().fold(
        UnitProgress {
            unit: "JUMLAH".to_owned(),
            on_roster: 0,
            registered: 0,
            approved: 0,
            activated: 0,
        },
        |mut sum, u| {
            sum.on_roster += u.on_roster;
            sum.registered += u.registered;
            sum.approved += u.approved;
            sum.activated += u.activated;
            sum
        },
    );
    Ok(DriveProgress {
        drive_id: drive.id,
        units,
        total,
    })
}

/// The progress table as CSV, for the agency's report.
pub fn progress_csv(drive: &Drive, progress: &DriveProgress) -> String {
    let mut out = crate::platform::csv_out::CsvOut::new(&[
        "kegiatan",
        "unit",
        "di_daftar",
        "mendaftar",
        "disetujui",
        "aktif",
    ]);
    for unit in progress
        .units
        .iter()
        .chain(std::iter::once(&progress.total))
    {
        out.row(&[
            &drive.name,
            &unit.unit,
            &unit.on_roster.to_string(),
            &unit.registered.to_string(),
            &unit.approved.to_string(),
            &unit.activated.to_string(),
        ]);
    }
    out.finish()
}

#[derive(sqlx::FromRow)]
struct QueueRow {
    id: String,
    nik: String,
    full_name: Option<String>,
    created_at: i64,
    nip: Option<String>,
    unit: Option<String>,
}

/// People waiting at the drive's desk, oldest first, with their roster NIP and unit.
pub async fn queue(db: &Db, drive: &Drive) -> Result<Vec<QueueItem>, DriveError> {
    let rows: Vec<QueueRow> = sqlx::query_as(
        "SELECT g.id, g.nik, p.full_name, g.created_at, r.nip, r.unit FROM registrations g \
         LEFT JOIN registry_persons p ON p.nik = g.nik \
         LEFT JOIN drive_roster r ON r.drive_id = $2 AND r.nik = g.nik \
         WHERE g.desk_id = $1 AND g.status = $3 ORDER BY g.created_at, g.id",
    )
    .bind(drive.desk_id)
    .bind(drive.id)
    .bind(RegistrationStatus::Pending.as_str())
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| QueueItem {
            registration_id: row.id,
            nik: row.nik,
            full_name: row.full_name.unwrap_or_default(),
            created_at: row.created_at,
            nip: row.nip,
            unit: row.unit,
        })
        .collect())
}
