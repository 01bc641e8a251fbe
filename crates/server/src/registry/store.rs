//! Writes households into the registry tables, in large multi-row statements inside one
//! transaction per batch: a million citizens must load in under a minute on two cores.
//!
//! Placeholders differ by back-end here, unlike elsewhere: PostgreSQL needs `$n`, and SQLite
//! resolves each named (`$n`) parameter by a linear scan over all names, which makes a
//! 23,000-parameter statement quadratic (a 100,000-citizen seed took six minutes). Plain `?`
//! binds positionally in SQLite.

use sqlx::AnyConnection;
use sqlx::any::AnyArguments;
use sqlx::{Any, Arguments, Connection, Transaction};

use ikd_core::DatabaseKind;
use ikd_core::registry_origin::RegistryOrigin;

use super::model::Household;
use crate::platform::db::{Db, DbError};

/// Rows per INSERT statement, kept under SQLite's 32,766 bound parameters for the widest
/// table (persons, 23 columns).
const ROWS_PER_STATEMENT: usize = 1_000;

/// Counts of what a write stored.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Written {
    pub families: u64,
    pub persons: u64,
    pub documents: u64,
}

/// A ready-to-run statement: SQL text and its bound values. Built off the database's thread
/// (the seed builds them on the generator's core), run by `execute_in`.
pub struct Statement {
    sql: String,
    args: AnyArguments<'static>,
}

impl std::fmt::Debug for Statement {
    // Bound values are personal data: debug output shows the statement's shape only.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Statement")
            .field("sql_len", &self.sql.len())
            .finish_non_exhaustive()
    }
}

/// One table's multi-row INSERTs being assembled.
struct Insert<'s> {
    kind: DatabaseKind,
    head: &'static str,
    columns: usize,
    rows: usize,
    args: AnyArguments<'static>,
    out: &'s mut Vec<Statement>,
}

impl<'s> Insert<'s> {
    fn new(
        out: &'s mut Vec<Statement>,
        kind: DatabaseKind,
        head: &'static str,
        columns: usize,
    ) -> Self {
        Insert {
            kind,
            head,
            columns,
            rows: 0,
            args: AnyArguments::default(),
            out,
        }
    }

    fn sql(&self) -> String {
        let mut sql = String::with_capacity(self.head.len() + self.rows * self.columns * 6);
        sql.push_str(self.head);
        sql.push_str(" VALUES ");
        let mut n = 1;
        for row in 0..self.rows {
            if row > 0 {
                sql.push(',');
            }
            sql.push('(');
            for column in 0..self.columns {
                if column > 0 {
                    sql.push(',');
                }
                match self.kind {
                    DatabaseKind::Sqlite => sql.push('?'),
                    DatabaseKind::Postgres => {
                        sql.push('$');
                        sql.push_str(&n.to_string());
                        n += 1;
                    }
                }
            }
            sql.push(')');
        }
        sql
    }

    fn flush(&mut self) {
        if self.rows == 0 {
            return;
        }
        let sql = self.sql();
        let args = std::mem::take(&mut self.args);
        self.out.push(Statement { sql, args });
        self.rows = 0;
    }

    /// Adds one row's values (exactly `columns` binds); a full statement is set aside.
    fn row(
        &mut self,
        bind: impl FnOnce(&mut AnyArguments<'static>) -> Result<(), sqlx::error::BoxDynError>,
    ) -> Result<(), DbError> {
        bind(&mut self.args).map_err(|e| DbError::Query(sqlx::Error::Encode(e)))?;
        self.rows += 1;
        if self.rows >= ROWS_PER_STATEMENT {
            self.flush();
        }
        Ok(())
    }
}

impl Drop for Insert<'_> {
    fn drop(&mut self) {
        self.flush();
    }
}

macro_rules! bind_all {
    ($args:expr, $($value:expr),+ $(,)?) => {{
        $( $args.add($value)?; )+
        Ok(())
    }};
}

/// Writes a batch of households in one transaction.
pub async fn write_households(db: &Db, households: Vec<Household>) -> Result<Written, DbError> {
    let mut conn = db.pool().acquire().await?;
    write_households_on(&mut conn, db.kind(), households).await
}

/// The same on a connection the caller holds, in one transaction.
pub async fn write_households_on(
    conn: &mut AnyConnection,
    kind: DatabaseKind,
    households: Vec<Household>,
) -> Result<Written, DbError> {
    let mut tx = conn.begin().await?;
    let written = write_households_in(&mut tx, kind, households).await?;
    tx.commit().await?;
    Ok(written)
}

/// The same inside a transaction the caller holds.
pub async fn write_households_in(
    tx: &mut Transaction<'_, Any>,
    kind: DatabaseKind,
    households: Vec<Household>,
) -> Result<Written, DbError> {
    let (statements, written) = insert_statements(kind, households)?;
    execute_in(tx, statements).await?;
    Ok(written)
}

/// Runs prepared statements in order.
pub async fn execute_in(
    tx: &mut Transaction<'_, Any>,
    statements: Vec<Statement>,
) -> Result<(), DbError> {
    for statement in statements {
        sqlx::query_with(&statement.sql, statement.args)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// The INSERT statements that store `households`, families before persons and persons before
/// documents (the foreign keys point that way). Pure CPU work, so the seed runs it on the
/// generator's thread while the database thread executes the previous batch. Takes the
/// households by value so their strings move into the statements, not copies.
pub fn insert_statements(
    kind: DatabaseKind,
    households: Vec<Household>,
) -> Result<(Vec<Statement>, Written), DbError> {
    let mut out = Vec::new();
    let mut families = Vec::with_capacity(households.len());
    let mut persons = Vec::with_capacity(households.len() * 4);
    let mut npwp = Vec::new();
    let mut vaccinations = Vec::new();
    let mut vehicles = Vec::new();
    let mut civil_servants = Vec::new();
    let mut sukets = Vec::new();
    for household in households {
        families.push(household.family);
        persons.extend(household.members);
        npwp.extend(household.npwp);
        vaccinations.extend(household.vaccinations);
        vehicles.extend(household.vehicles);
        civil_servants.extend(household.civil_servants);
        sukets.extend(household.sukets);
    }
    let written = Written {
        families: families.len() as u64,
        persons: persons.len() as u64,
        documents: (npwp.len()
            + vaccinations.len()
            + vehicles.len()
            + civil_servants.len()
            + sukets.len()) as u64,
    };

    // Families before persons and persons before documents: the foreign keys point that way.
    let mut insert = Insert::new(
        &mut out,
        kind,
        "INSERT INTO registry_families (kk_number, head_nik, street, rt, rw, village_code, \
         district_code, issued_on)",
        8,
    );
    for f in families {
        insert.row(|a| {
            bind_all!(
                a,
                f.kk_number,
                f.head_nik,
                f.street,
                format!("{:03}", f.rt),
                format!("{:03}", f.rw),
                f.village_code,
                f.district_code,
                f.issued_on.to_string(),
            )
        })?;
    }
    drop(insert);

    let mut insert = Insert::new(
        &mut out,
        kind,
        "INSERT INTO registry_persons (nik, kk_number, full_name, sex, place_of_birth, birth_date, \
         religion, marital_status, occupation, education, blood_type, citizenship, relationship, \
         father_name, mother_name, ektp_recorded, ektp_printed, email, phone, photo_seed, \
         province_code, regency_code, district_code)",
        23,
    );
    for p in persons {
        let province_code = p.province_code().to_owned();
        let regency_code = p.regency_code().to_owned();
        insert.row(|a| {
            bind_all!(
                a,
                p.nik,
                p.kk_number,
                p.full_name,
                p.sex.code(),
                p.place_of_birth,
                p.birth_date.to_string(),
                p.religion.label(),
                p.marital_status.label(),
                p.occupation.into_owned(),
                p.education.into_owned(),
                p.blood_type.label(),
                ikd_core::civil_status::CITIZENSHIP_WNI,
                p.relationship.label(),
                p.father_name,
                p.mother_name,
                i32::from(p.ektp.recorded()),
                i32::from(p.ektp.printed()),
                p.email,
                p.phone,
                // Stored as a signed 64-bit integer: both back-ends lack unsigned types.
                p.photo_seed as i64,
                province_code,
                regency_code,
                p.district_code,
            )
        })?;
    }
    drop(insert);

    let mut insert = Insert::new(
        &mut out,
        kind,
        "INSERT INTO registry_npwp (nik, npwp_number, registered_on, tax_office)",
        4,
    );
    for d in npwp {
        insert.row(|a| {
            bind_all!(
                a,
                d.nik,
                d.npwp_number,
                d.registered_on.to_string(),
                d.tax_office
            )
        })?;
    }
    drop(insert);

    let mut insert = Insert::new(
        &mut out,
        kind,
        "INSERT INTO registry_vaccinations (nik, dose, vaccine, given_on, facility)",
        5,
    );
    for d in vaccinations {
        insert.row(|a| {
            bind_all!(
                a,
                d.nik,
                i32::from(d.dose),
                d.vaccine,
                d.given_on.to_string(),
                d.facility,
            )
        })?;
    }
    drop(insert);

    let mut insert = Insert::new(
        &mut out,
        kind,
        "INSERT INTO registry_vehicles (plate, owner_nik, kind, make_model, year, colour)",
        6,
    );
    for d in vehicles {
        insert.row(|a| {
            bind_all!(
                a,
                d.plate,
                d.owner_nik,
                d.kind,
                d.make_model,
                i32::from(d.year),
                d.colour,
            )
        })?;
    }
    drop(insert);

    let mut insert = Insert::new(
        &mut out,
        kind,
        "INSERT INTO registry_civil_servants (nip, nik, agency, unit, position, rank, status, \
         appointed_on)",
        8,
    );
    for d in civil_servants {
        insert.row(|a| {
            bind_all!(
                a,
                d.nip,
                d.nik,
                d.agency,
                d.unit,
                d.position,
                d.rank,
                d.status,
                d.appointed_on.to_string(),
            )
        })?;
    }
    drop(insert);

    let mut insert = Insert::new(
        &mut out,
        kind,
        "INSERT INTO registry_sukets (nik, suket_number, issued_on, reason)",
        4,
    );
    for d in sukets {
        insert.row(|a| bind_all!(a, d.nik, d.suket_number, d.issued_on.to_string(), d.reason))?;
    }
    drop(insert);
    Ok((out, written))
}

/// Number of people in the registry.
pub async fn person_count(db: &Db) -> Result<i64, DbError> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM registry_persons")
        .fetch_one(db.pool())
        .await?)
}

/// Empties every registry table (children first), for `ikd seed --replace`.
pub async fn clear(db: &Db) -> Result<(), DbError> {
    let mut tx = db.pool().begin().await?;
    for table in [
        "registry_photos",
        "registry_population",
        "registry_sukets",
        "registry_civil_servants",
        "registry_vehicles",
        "registry_vaccinations",
        "registry_npwp",
        "registry_persons",
        "registry_families",
    ] {
        sqlx::query(&format!("DELETE FROM {table}"))
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Records a load with its origin (which decides the demo labels) and rebuilds the counts.
pub async fn record_seed_run(
    db: &Db,
    origin: RegistryOrigin,
    source: &str,
    written: Written,
) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO registry_seed_runs (seeded_at, source, persons, families, origin) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(crate::platform::db::unix_now())
    .bind(source)
    .bind(written.persons as i64)
    .bind(written.families as i64)
    .bind(origin.as_str())
    .execute(db.pool())
    .await?;
    // The dashboard's population counts follow the registry.
    super::population::rebuild(db).await
}

/// A secondary index of the registry, as the database itself describes it.
#[derive(Debug, Clone)]
pub struct IndexDefinition {
    name: String,
    create_sql: String,
}

/// Drops the registry's secondary indexes and returns their definitions, read from the
/// database's own catalogue so the migrations stay the one place they are written. A bulk load
/// then builds each index once, sorted, instead of updating it a million times at random.
pub async fn drop_secondary_indexes(
    conn: &mut AnyConnection,
    kind: DatabaseKind,
) -> Result<Vec<IndexDefinition>, DbError> {
    let catalogue = match kind {
        DatabaseKind::Sqlite => {
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' \
             AND tbl_name LIKE 'registry_%' AND sql IS NOT NULL ORDER BY name"
        }
        DatabaseKind::Postgres => {
            "SELECT i.indexname::text, i.indexdef FROM pg_indexes i \
             WHERE i.schemaname = current_schema() AND i.tablename LIKE 'registry_%' \
             AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname) \
             ORDER BY i.indexname"
        }
    };
    let rows: Vec<(String, String)> = sqlx::query_as(catalogue).fetch_all(&mut *conn).await?;
    let definitions: Vec<IndexDefinition> = rows
        .into_iter()
        .map(|(name, create_sql)| IndexDefinition { name, create_sql })
        .collect();
    for index in &definitions {
        sqlx::query(&format!("DROP INDEX {}", index.name))
            .execute(&mut *conn)
            .await?;
    }
    Ok(definitions)
}

pub async fn create_indexes(
    conn: &mut AnyConnection,
    definitions: &[IndexDefinition],
) -> Result<(), DbError> {
    for index in definitions {
        sqlx::query(&index.create_sql).execute(&mut *conn).await?;
    }
    Ok(())
}
