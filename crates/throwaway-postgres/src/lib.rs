//! A throwaway PostgreSQL cluster: `initdb` in a temp dir, `pg_ctl start` on a free loopback
//! port, stopped and deleted when dropped. `cargo xtask test` runs the server tests on one;
//! the server's benchmarks (`examples/load_bench.rs`) start one when given no server.
//!
//! Standard library only and no async, so xtask stays light. PostgreSQL refuses to run as
//! root, so as root the cluster runs as the `postgres` user (through `runuser`).
//!
//! ```no_run
//! let cluster = ikd_throwaway_postgres::Cluster::start(ikd_throwaway_postgres::Options::fast())?;
//! println!("{}", cluster.url()); // postgres://postgres@127.0.0.1:PORT/postgres
//! # Ok::<(), ikd_throwaway_postgres::Error>(())
//! ```

use std::fmt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// How the cluster is set up.
#[derive(Debug, Clone)]
pub struct Options {
    /// `false`: no fsync, no synchronous commit, no full-page writes (the data dies with the
    /// run, so tests need not pay for it). `true`: PostgreSQL's default durability, what a
    /// production server pays per commit (benchmarks).
    pub durable: bool,
    pub max_connections: u32,
    /// Start of the temp dir's name (`<prefix>-<pid>-<port>`), so a leftover says whose it is.
    pub dir_prefix: &'static str,
}

impl Options {
    /// For tests: nothing is synced, and many connections (tests run in parallel).
    pub fn fast() -> Self {
        Options {
            durable: false,
            max_connections: 200,
            dir_prefix: "ikd-pg",
        }
    }

    /// For benchmarks: PostgreSQL's default durability (fsync and synchronous_commit on).
    pub fn durable() -> Self {
        Options {
            durable: true,
            max_connections: 100,
            dir_prefix: "ikd-pg",
        }
    }
}

/// Why a cluster could not be started.
#[derive(Debug)]
pub enum Error {
    /// No `initdb` and `pg_ctl` under /usr/lib/postgresql/N/bin or on PATH.
    NotInstalled,
    Io {
        what: String,
        source: std::io::Error,
    },
    /// A PostgreSQL program (or `chown`) failed; `output` is what it printed.
    Command {
        command: String,
        status: std::process::ExitStatus,
        output: String,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::NotInstalled => write!(
                f,
                "PostgreSQL tidak ditemukan: initdb dan pg_ctl tidak ada di \
                 /usr/lib/postgresql/N/bin maupun PATH; pasang dengan `apt-get install -y \
                 postgresql` (PostgreSQL not found: no initdb and pg_ctl)"
            ),
            Error::Io { what, source } => write!(f, "{what}: {source}"),
            Error::Command {
                command,
                status,
                output,
            } => write!(f, "{command} failed with {status}: {}", output.trim_end()),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// A running cluster with one superuser `postgres` (trust authentication, loopback only).
#[derive(Debug)]
pub struct Cluster {
    dir: PathBuf,
    bin: PathBuf,
    as_postgres_user: bool,
    port: u16,
    url: String,
    /// The `-o` options it was started with, for [`Cluster::start_again`].
    server_options: String,
}

impl Cluster {
    pub fn start(options: Options) -> Result<Self, Error> {
        let bin = find_binaries()?;
        let as_postgres_user = is_root();
        let port = free_port()?;
        let dir = std::env::temp_dir().join(format!(
            "{}-{}-{port}",
            options.dir_prefix,
            std::process::id()
        ));
        std::fs::create_dir_all(&dir).map_err(|source| Error::Io {
            what: dir.display().to_string(),
            source,
        })?;
        // From here on, dropping the cluster removes the directory (and stops the server).
        let mut cluster = Cluster {
            dir,
            bin,
            as_postgres_user,
            port,
            url: format!("postgres://postgres@127.0.0.1:{port}/postgres"),
            server_options: String::new(),
        };
        if as_postgres_user {
            run(Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(&cluster.dir))?;
        }
        let data = cluster.data_dir().display().to_string();
        let mut initdb = vec![
            "-D",
            &data,
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--no-instructions",
        ];
        if !options.durable {
            initdb.push("--no-sync");
        }
        cluster.run_pg("initdb", &initdb)?;
        let mut server_options = format!(
            "-p {port} -k {} -c listen_addresses=127.0.0.1 -c max_connections={}",
            cluster.dir.display(),
            options.max_connections
        );
        if !options.durable {
            server_options
                .push_str(" -c fsync=off -c synchronous_commit=off -c full_page_writes=off");
        }
        cluster.server_options = server_options;
        cluster.start_again()?;
        Ok(cluster)
    }

    /// Stops the server and leaves it stopped (the database going away under the service):
    /// `immediate` as a crash would, otherwise `fast` (connections cut, a clean checkpoint).
    /// [`Cluster::start_again`] brings it back on the same port with the same data.
    pub fn stop(&self, immediate: bool) -> Result<(), Error> {
        let data = self.data_dir().display().to_string();
        let mode = if immediate { "immediate" } else { "fast" };
        self.run_pg("pg_ctl", &["-D", &data, "-m", mode, "-w", "stop"])
    }

    /// Starts the server (again) with the options it was first started with, and waits until
    /// it accepts connections.
    pub fn start_again(&self) -> Result<(), Error> {
        let data = self.data_dir().display().to_string();
        let log = self.dir.join("server.log").display().to_string();
        self.run_pg(
            "pg_ctl",
            &[
                "-D",
                &data,
                "-l",
                &log,
                "-o",
                &self.server_options,
                "-w",
                "start",
            ],
        )
    }

    /// The superuser's URL: `postgres://postgres@127.0.0.1:PORT/postgres`.
    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The postmaster's process id (first line of `postmaster.pid`), e.g. to count its CPU.
    pub fn postmaster_pid(&self) -> Option<u32> {
        let text = std::fs::read_to_string(self.data_dir().join("postmaster.pid")).ok()?;
        text.lines().next()?.trim().parse().ok()
    }

    /// Restarts the server in place: `pg_ctl restart`, with the options it was started with.
    /// `immediate` stops it the way a crash would (no checkpoint; recovery replays the WAL
    /// at start), as the crash harness does while the service writes.
    pub fn restart(&self, immediate: bool) -> Result<(), Error> {
        let data = self.data_dir().display().to_string();
        let log = self.dir.join("server.log").display().to_string();
        let mode = if immediate { "immediate" } else { "fast" };
        self.run_pg(
            "pg_ctl",
            &["-D", &data, "-l", &log, "-m", mode, "-w", "restart"],
        )
    }

    fn data_dir(&self) -> PathBuf {
        self.dir.join("data")
    }

    fn run_pg(&self, program: &str, args: &[&str]) -> Result<(), Error> {
        let program = self.bin.join(program);
        let mut command = if self.as_postgres_user {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(&program);
            c
        } else {
            Command::new(&program)
        };
        command.args(args).current_dir(&self.dir);
        run(&mut command)
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let data = self.data_dir().display().to_string();
        let _ = self.run_pg("pg_ctl", &["-D", &data, "-m", "immediate", "-w", "stop"]);
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The folder holding initdb and pg_ctl: Debian keeps them per version under
/// /usr/lib/postgresql/N/bin (newest wins), other systems on PATH.
pub fn find_binaries() -> Result<PathBuf, Error> {
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let version = entry.file_name().to_string_lossy().parse::<u32>().ok()?;
            let bin = entry.path().join("bin");
            has_binaries(&bin).then_some((version, bin))
        })
        .collect();
    versions.sort();
    if let Some((_, bin)) = versions.pop() {
        return Ok(bin);
    }
    std::env::var_os("PATH")
        .into_iter()
        .flat_map(|path| std::env::split_paths(&path).collect::<Vec<_>>())
        .find(|dir| has_binaries(dir))
        .ok_or(Error::NotInstalled)
}

fn has_binaries(dir: &Path) -> bool {
    dir.join("initdb").is_file() && dir.join("pg_ctl").is_file()
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .stderr(Stdio::null())
        .output()
        .is_ok_and(|out| String::from_utf8_lossy(&out.stdout).trim() == "0")
}

/// A free TCP port on loopback (the OS picks; it is released before PostgreSQL takes it).
fn free_port() -> Result<u16, Error> {
    let io = |source| Error::Io {
        what: "a free port on 127.0.0.1".into(),
        source,
    };
    let listener = std::net::TcpListener::bind("127.0.0.1:0").map_err(io)?;
    Ok(listener.local_addr().map_err(io)?.port())
}

/// Runs a command to completion; its output is kept for the error only, so a caller's
/// progress lines are not interleaved with PostgreSQL's.
fn run(command: &mut Command) -> Result<(), Error> {
    let text = std::iter::once(command.get_program())
        .chain(command.get_args())
        .map(|part| part.to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join(" ");
    let output = command
        .stdin(Stdio::null())
        .output()
        .map_err(|source| Error::Io {
            what: format!("cannot start {text}"),
            source,
        })?;
    if output.status.success() {
        return Ok(());
    }
    Err(Error::Command {
        command: text,
        status: output.status,
        output: format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Starts a real cluster when PostgreSQL is installed: what xtask and the benchmarks rely
    /// on. Ignored by default (it needs the binaries and takes a few seconds):
    /// `cargo test -p ikd-throwaway-postgres -- --ignored`.
    #[test]
    #[ignore = "needs PostgreSQL installed"]
    fn starts_answers_and_cleans_up() {
        let cluster = Cluster::start(Options::fast()).expect("cluster starts");
        let dir = cluster.dir.clone();
        assert!(cluster.postmaster_pid().is_some());
        std::net::TcpStream::connect(("127.0.0.1", cluster.port())).expect("accepts connections");
        drop(cluster);
        assert!(!dir.exists(), "the temp dir is removed on drop");
    }
}
