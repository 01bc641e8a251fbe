//! The `ikd` command line. Exit codes are part of the contract: 0 success, 1 failure of the
//! thing asked for, 2 usage error (clap's own code).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::{issuer_keys, serve};

#[derive(Debug, Parser)]
#[command(
    name = "ikd",
    version,
    about = "IKD Web: layanan penerbitan KTP digital (issuing service)"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
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
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    init_tracing();
    let result = match cli.command {
        Command::Serve(args) => serve::run(args),
        Command::Keygen { out } => keygen(&out),
    };
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

fn init_tracing() {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_env("IKD_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    // Logs go to stderr: stdout is reserved for the one-JSON-line answers of the CLI.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}
