//! A throwaway PostgreSQL cluster for the server tests: initdb in a temp dir, a free port on
//! loopback, no fsync (the data dies with the run), stopped and deleted on drop. PostgreSQL
//! refuses to run as root, so as root the cluster runs as the `postgres` user.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{Result, cmd};

#[derive(Debug)]
pub struct TempCluster {
    dir: PathBuf,
    bin: PathBuf,
    as_postgres_user: bool,
    pub url: String,
}

impl TempCluster {
    pub fn start() -> Result<Self> {
        let bin = find_binaries()?;
        let as_postgres_user = cmd::output("id", &["-u"]).as_deref() == Some("0");
        let port = cmd::free_port()?;
        let dir = std::env::temp_dir().join(format!("ikd-pg-{}-{port}", std::process::id()));
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let cluster = TempCluster {
            dir,
            bin,
            as_postgres_user,
            url: format!("postgres://postgres@127.0.0.1:{port}/postgres"),
        };
        if as_postgres_user {
            cmd::run(
                Command::new("chown")
                    .args(["-R", "postgres:postgres"])
                    .arg(&cluster.dir),
            )?;
        }
        let data = cluster.dir.join("data");
        cluster.run_pg(
            "initdb",
            &[
                "-D",
                &data.to_string_lossy(),
                "-U",
                "postgres",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--no-sync",
                "--no-instructions",
            ],
        )?;
        let options = format!(
            "-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=off \
             -c synchronous_commit=off -c full_page_writes=off -c max_connections=200",
            cluster.dir.display()
        );
        cluster.run_pg(
            "pg_ctl",
            &[
                "-D",
                &data.to_string_lossy(),
                "-l",
                &cluster.dir.join("server.log").to_string_lossy(),
                "-o",
                &options,
                "-w",
                "start",
            ],
        )?;
        eprintln!(
            "  PostgreSQL sementara siap (throwaway cluster ready): {}",
            cluster.url
        );
        Ok(cluster)
    }

    fn run_pg(&self, program: &str, args: &[&str]) -> Result {
        let program = self.bin.join(program);
        let mut command = if self.as_postgres_user {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(&program);
            c
        } else {
            Command::new(&program)
        };
        command.args(args).current_dir(&self.dir);
        cmd::run(&mut command)
    }
}

impl Drop for TempCluster {
    fn drop(&mut self) {
        let data = self.dir.join("data");
        let _ = self.run_pg(
            "pg_ctl",
            &[
                "-D",
                &data.to_string_lossy(),
                "-m",
                "immediate",
                "-w",
                "stop",
            ],
        );
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The folder holding initdb and pg_ctl: Debian keeps them per version under
/// /usr/lib/postgresql/N/bin (newest wins), other systems on PATH.
fn find_binaries() -> Result<PathBuf> {
    let debian = Path::new("/usr/lib/postgresql");
    if let Ok(entries) = std::fs::read_dir(debian) {
        let mut versions: Vec<(u32, PathBuf)> = entries
            .flatten()
            .filter_map(|e| {
                let version = e.file_name().to_string_lossy().parse::<u32>().ok()?;
                let bin = e.path().join("bin");
                (bin.join("initdb").is_file() && bin.join("pg_ctl").is_file())
                    .then_some((version, bin))
            })
            .collect();
        versions.sort();
        if let Some((_, bin)) = versions.pop() {
            return Ok(bin);
        }
    }
    match (cmd::which("initdb"), cmd::which("pg_ctl")) {
        (Some(initdb), Some(_)) => Ok(initdb.parent().map(Path::to_path_buf).unwrap_or_default()),
        _ => Err(
            "PostgreSQL tidak ditemukan: initdb dan pg_ctl tidak ada. Pengujian server pada \
                  PostgreSQL wajib dijalankan, jadi langkah ini gagal. Pasang dengan \
                  `apt-get install -y postgresql` (PostgreSQL not found: the server tests on \
                  PostgreSQL are required, so this step fails)"
                .into(),
        ),
    }
}
