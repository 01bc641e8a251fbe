//! A fresh, empty database for one benchmark run or one test: a SQLite file in a directory
//! the caller owns, or a database of its own on a PostgreSQL server (created through the
//! server's admin URL; dropped only when asked, since a throwaway cluster is deleted whole).
//! Shared by `load_bench`, `console_bench`, `tests/api/support.rs` and `tests/replicas.rs`
//! through `#[path]`; the throwaway cluster itself is `ikd-throwaway-postgres`.

// Each user takes what it needs (the router tests never drop their databases).
#![allow(dead_code)]

use std::path::Path;
use std::sync::atomic::{AtomicU32, Ordering};

use anyhow::{Context, Result};
use ikd_server::platform::db::DatabaseUrl;
use sqlx::Connection;

#[derive(Debug)]
pub enum FreshDatabase {
    Sqlite {
        url: DatabaseUrl,
    },
    Postgres {
        admin_url: String,
        name: String,
        url: DatabaseUrl,
    },
}

impl FreshDatabase {
    /// `<dir>/<file>`, created on first connection.
    pub fn sqlite(dir: &Path, file: &str) -> Self {
        FreshDatabase::Sqlite {
            url: DatabaseUrl::sqlite_file(&dir.join(file)),
        }
    }

    /// `CREATE DATABASE <prefix>_<pid>_<nanos>_<n>` on the server of `admin_url` (a URL
    /// ending in `/DATABASE`); unique across parallel tests and repeated runs.
    pub async fn postgres(prefix: &str, admin_url: &str) -> Result<Self> {
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let name = format!(
            "{prefix}_{}_{nanos}_{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        );
        let (base, _) = admin_url
            .rsplit_once('/')
            .context("a PostgreSQL URL ending in /DATABASE")?;
        let url = format!("{base}/{name}").parse().context("PostgreSQL URL")?;
        run_on_server(
            admin_url,
            &format!("CREATE DATABASE {name}"),
            &format!("create database {name}"),
        )
        .await?;
        Ok(FreshDatabase::Postgres {
            admin_url: admin_url.to_owned(),
            name,
            url,
        })
    }

    pub fn url(&self) -> &DatabaseUrl {
        match self {
            FreshDatabase::Sqlite { url } | FreshDatabase::Postgres { url, .. } => url,
        }
    }

    /// The PostgreSQL database's name (`None` for SQLite).
    pub fn postgres_name(&self) -> Option<&str> {
        match self {
            FreshDatabase::Sqlite { .. } => None,
            FreshDatabase::Postgres { name, .. } => Some(name),
        }
    }

    /// Drops the PostgreSQL database (`WITH (FORCE)`: connections still open are ended). A
    /// SQLite file goes with the directory that holds it, so there is nothing to do.
    pub async fn drop_database(self) -> Result<()> {
        let FreshDatabase::Postgres {
            admin_url, name, ..
        } = self
        else {
            return Ok(());
        };
        run_on_server(
            &admin_url,
            &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
            &format!("drop database {name}"),
        )
        .await
    }
}

/// Runs `statement` on the PostgreSQL server of `admin_url`, over a connection of its own;
/// `what` names it in the error.
async fn run_on_server(admin_url: &str, statement: &str, what: &str) -> Result<()> {
    let mut admin = sqlx::PgConnection::connect(admin_url)
        .await
        .context("connect to PostgreSQL")?;
    sqlx::query(statement)
        .execute(&mut admin)
        .await
        .with_context(|| what.to_owned())?;
    Ok(())
}
