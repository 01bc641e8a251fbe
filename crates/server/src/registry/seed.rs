//! Filling the registry: generation runs on its own thread while the database writes on the
//! other core, batch after batch, so neither waits long for the other.

use ikd_core::date::Date;
use tokio::sync::mpsc;

use ikd_core::DatabaseKind;
use ikd_core::registry_origin::RegistryOrigin;
use sqlx::Executor;
use sqlx::{AnyConnection, Connection};

use super::generator::Generator;
use super::store::{self, Written};
use crate::platform::db::{Db, DbError};

/// Households handed from the generator to the writer at a time.
const HOUSEHOLDS_PER_BATCH: usize = 2_000;

/// Citizens per transaction. Each commit writes out every index page the transaction touched,
/// and random NIKs touch most of them, so commits must be rare; a crash mid-seed loses at most
/// this many, and a seed is rerun with `--replace` anyway.
const PERSONS_PER_TRANSACTION: u64 = 250_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SyntheticSeed {
    pub seed: u64,
    /// Number of citizens to generate; the last household may take it a few over.
    pub persons: u64,
    pub as_of: Date,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SeedReport {
    pub written: Written,
    pub seconds: f64,
}

/// Generates and stores `persons` citizens.
pub async fn seed_synthetic(db: &Db, plan: SyntheticSeed) -> Result<SeedReport, DbError> {
    let started = crate::platform::clock::stopwatch();
    let kind = db.kind();
    // The generator's thread also turns each batch into ready statements, so the only work left
    // on the database's side is executing them.
    let (sender, mut receiver) = mpsc::channel::<Result<Prepared, DbError>>(4);
    let generator = std::thread::spawn(move || {
        let mut generator = Generator::new(plan.seed, plan.as_of);
        let mut produced: u64 = 0;
        while produced < plan.persons {
            let mut batch = Vec::with_capacity(HOUSEHOLDS_PER_BATCH);
            while batch.len() < HOUSEHOLDS_PER_BATCH && produced < plan.persons {
                let household = generator.next_household();
                produced += household.members.len() as u64;
                batch.push(household);
            }
            let prepared =
                store::insert_statements(kind, batch).map(|(statements, written)| Prepared {
                    statements,
                    written,
                });
            if sender.blocking_send(prepared).is_err() {
                // The writer stopped (a database error); it reports the cause.
                return;
            }
        }
    });
    let mut conn = db.pool().acquire().await?;
    let bulk = BulkLoad::begin(&mut conn, kind).await?;
    let loaded = load(&mut conn, &mut receiver).await;
    // Stop the generator whatever happened, then put the indexes back even after an error.
    drop(receiver);
    let _ = generator.join();
    let restored = bulk.end(&mut conn).await;
    let written = loaded?;
    restored?;
    store::record_seed_run(
        db,
        RegistryOrigin::Synthetic,
        &format!("synthetic seed={}", plan.seed),
        written,
    )
    .await?;
    Ok(SeedReport {
        written,
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// One batch of households, turned into statements.
struct Prepared {
    statements: Vec<store::Statement>,
    written: Written,
}

/// Writes batches as they arrive, committing every `PERSONS_PER_TRANSACTION` citizens.
async fn load(
    conn: &mut AnyConnection,
    receiver: &mut mpsc::Receiver<Result<Prepared, DbError>>,
) -> Result<Written, DbError> {
    let mut written = Written::default();
    let mut in_transaction: u64 = 0;
    let mut tx = conn.begin().await?;
    while let Some(prepared) = receiver.recv().await {
        let Prepared {
            statements,
            written: batch_written,
        } = prepared?;
        store::execute_in(&mut tx, statements).await?;
        written.families += batch_written.families;
        written.persons += batch_written.persons;
        written.documents += batch_written.documents;
        in_transaction += batch_written.persons;
        if in_transaction >= PERSONS_PER_TRANSACTION {
            tx.commit().await?;
            tx = conn.begin().await?;
            in_transaction = 0;
        }
    }
    tx.commit().await?;
    Ok(written)
}

/// Settings for one bulk load on one connection, undone afterwards because the connection
/// goes back to the pool. Secondary indexes are dropped and rebuilt once at the end. On SQLite
/// a 1 GiB page cache keeps the primary-key trees in memory while keys arrive in random order,
/// `synchronous = NORMAL` in WAL mode syncs at checkpoints only (the final checkpoint makes the
/// whole load durable at once), and statement journals stay in memory instead of a temp file.
struct BulkLoad {
    kind: DatabaseKind,
    indexes: Vec<store::IndexDefinition>,
}

impl BulkLoad {
    async fn begin(conn: &mut AnyConnection, kind: DatabaseKind) -> Result<Self, DbError> {
        if kind == DatabaseKind::Sqlite {
            conn.execute(
                "PRAGMA cache_size = -1048576; PRAGMA synchronous = NORMAL; \
                 PRAGMA wal_autocheckpoint = 16384; PRAGMA temp_store = MEMORY;",
            )
            .await?;
        }
        let indexes = store::drop_secondary_indexes(conn, kind).await?;
        Ok(BulkLoad { kind, indexes })
    }

    async fn end(self, conn: &mut AnyConnection) -> Result<(), DbError> {
        store::create_indexes(conn, &self.indexes).await?;
        if self.kind == DatabaseKind::Sqlite {
            conn.execute(
                "PRAGMA wal_checkpoint(TRUNCATE); PRAGMA synchronous = FULL; \
                 PRAGMA cache_size = -2000; PRAGMA wal_autocheckpoint = 1000; \
                 PRAGMA temp_store = DEFAULT;",
            )
            .await?;
        }
        Ok(())
    }
}
