//! `ikd institution add`: registers an institution for online verification. Prints its bearer
//! key (once; only a hash is kept) and the AES-256 key of the encrypted QR variant.

use std::process::ExitCode;

use clap::{Args, Subcommand};

use crate::journey::institutions;
use crate::platform::storage_args::StorageArgs;

#[derive(Debug, Subcommand)]
pub enum InstitutionCommand {
    /// Daftarkan instansi pemverifikasi (register a verifying institution)
    Add(AddArgs),
}

#[derive(Debug, Args)]
pub struct AddArgs {
    /// Nama instansi (institution name)
    #[arg(long)]
    pub name: String,

    #[command(flatten)]
    pub storage: StorageArgs,
}

pub fn run(command: InstitutionCommand) -> ExitCode {
    let InstitutionCommand::Add(args) = command;
    super::block_on(async {
        let db = match args.storage.connect().await {
            Ok(db) => db,
            Err(err) => {
                eprintln!("ikd: {err:#}");
                return ExitCode::FAILURE;
            }
        };
        match institutions::add(&db, &args.name).await {
            Ok((api_key, qr_key)) => {
                super::print_json_line(&serde_json::json!({
                    "name": args.name.trim(),
                    "apiKey": api_key,
                    "qrDecryptionKey": qr_key,
                }));
                ExitCode::SUCCESS
            }
            Err(err) => {
                super::print_json_line(&serde_json::json!({
                    "error": match err {
                        institutions::InstitutionError::Duplicate(_) => "duplicate",
                        institutions::InstitutionError::Name => "name",
                        institutions::InstitutionError::Database(_) => "internal",
                    },
                    "message": err.to_string(),
                }));
                ExitCode::FAILURE
            }
        }
    })
}
