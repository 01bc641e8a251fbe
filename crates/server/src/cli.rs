//! The `ikd` command line. Outside tools depend on it, so its shape is a contract: commands
//! that answer print one JSON object on the last line of stdout, and exit codes are
//! 0 = valid or success, 1 = invalid or failed, 2 = usage error (clap's own code).
//! Each command group lives in its own module under `cli/`.

mod backup;
mod demo;
mod institution;
mod issuer;
mod nik;
mod officer;
mod qr;
mod restore;
mod seed;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::serve;
use crate::trust::issuer_keys;

#[derive(Debug, Parser)]
#[command(
    name = "ikd",
    version,
    about = "IKD Web: layanan penerbitan KTP digital (issuing service)"
)]
pub struct Cli {
    /// Bentuk log di stderr: text (dibaca orang) atau json (satu objek per baris, untuk
    /// pengumpul log) (log format on stderr: text for people, json for log collectors)
    #[arg(long, global = true, env = "IKD_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,

    #[command(subcommand)]
    pub command: Command,
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Jalankan layanan HTTP (run the HTTP service: API and the built PWA on one port)
    Serve(serve::ServeArgs),
    /// Buat pasangan kunci penerbit ES256 (write an issuer key pair: issuer.key.pem, issuer.pub.pem)
    Keygen {
        /// Folder tujuan (output folder)
        #[arg(long)]
        out: PathBuf,
    },
    /// Periksa NIK (NIK tools)
    #[command(subcommand)]
    Nik(nik::NikCommand),
    /// Terbitkan dan verifikasi QR Claim 169 (issue and verify Claim 169 QR codes)
    #[command(subcommand)]
    Qr(qr::QrCommand),
    /// Kelola akun petugas Dukcapil (manage officer accounts)
    #[command(subcommand)]
    Officer(officer::OfficerCommand),
    /// Buat dan tampilkan akun demo (create and print the demo accounts)
    Demo(demo::DemoArgs),
    /// Kunci penerbit: daftar dan rotasi (issuer keys: list and rotate)
    #[command(subcommand)]
    Issuer(issuer::IssuerCommand),
    /// Instansi pemverifikasi (verifying institutions)
    #[command(subcommand)]
    Institution(institution::InstitutionCommand),
    /// Isi registri kependudukan sintetis atau impor CSV (fill the synthetic population registry)
    Seed(seed::SeedArgs),
    /// Cadangkan basis data SQLite selagi layanan berjalan (back up the SQLite database while
    /// the service runs; the key-encryption key is not in it)
    Backup(backup::BackupArgs),
    /// Pulihkan cadangan ke folder data (restore a backup into a data folder and check its key)
    Restore(restore::RestoreArgs),
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    init_tracing(cli.log_format);
    let result = match cli.command {
        Command::Serve(args) => serve::run(args),
        Command::Keygen { out } => keygen(&out),
        Command::Nik(command) => return nik::run(command),
        Command::Qr(command) => return qr::run(command),
        Command::Seed(args) => seed::run(args),
        Command::Officer(command) => return officer::run(command),
        Command::Issuer(command) => return issuer::run(command),
        Command::Demo(args) => return demo::run(args),
        Command::Institution(command) => return institution::run(command),
        Command::Backup(args) => return backup::run(args),
        Command::Restore(args) => return restore::run(args),
    };
    exit_code(result)
}

/// Exit 0, or print the error chain and exit 1.
pub(crate) fn exit_code(result: anyhow::Result<()>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("ikd: {err:#}");
            ExitCode::FAILURE
        }
    }
}

fn keygen(out: &std::path::Path) -> anyhow::Result<()> {
    let key = issuer_keys::IssuerKey::generate();
    key.write_pem_files(out)?;
    println!(
        "{}",
        serde_json::json!({
            "kid": key.kid().as_str(),
            "privateKey": out.join(issuer_keys::PRIVATE_KEY_FILE),
            "publicKey": out.join(issuer_keys::PUBLIC_KEY_FILE),
        })
    );
    Ok(())
}

/// Runs a command's async body on a single-threaded runtime: the commands that talk to the
/// database do a few queries in a row and need no more.
pub(crate) fn block_on(body: impl Future<Output = ExitCode>) -> ExitCode {
    match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime.block_on(body),
        Err(err) => {
            eprintln!("ikd: tokio runtime: {err}");
            ExitCode::FAILURE
        }
    }
}

/// Prints one JSON object as one line: the last line of stdout is the CLI's answer.
pub(crate) fn print_json_line(value: &impl serde::Serialize) {
    match serde_json::to_string(value) {
        Ok(line) => println!("{line}"),
        // Our answers are plain data and always serialise; this arm keeps the CLI panic-free.
        Err(err) => eprintln!("ikd: {err}"),
    }
}

fn init_tracing(format: LogFormat) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_env("IKD_LOG")
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx::query=error"));
    // Logs go to stderr: stdout is reserved for the one-JSON-line answers of the CLI.
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
    };
}
