//! `ikd institution add|list|disable|rotate-key`: institutions that verify QRs online and ask
//! citizens for consent. `add` prints the bearer key (once; only a hash is kept) and the
//! institution's own private key for the encrypted QR variant (PKCS#8 PEM, once; only a
//! sealed copy is kept), also written to `--qr-key-out` if given; `rotate-key` does the same
//! with a new bearer key and QR key: the old bearer key stops at once, the old QR key opens
//! QRs made with it until the next rotation; `disable` refuses every further call of the
//! institution and drops it from the bundles. `list` shows each one's QR kid. Every change is
//! audited as the operator.

use std::process::ExitCode;

use clap::{Args, Subcommand};

use crate::journey::institutions::{self, OperatorError};
use crate::platform::storage_args::StorageArgs;

#[derive(Debug, Subcommand)]
pub enum InstitutionCommand {
    /// Daftarkan instansi pemverifikasi (register a verifying institution)
    Add(NameArgs),
    /// Daftar instansi, tanpa kuncinya (list institutions, never their keys)
    List(ListArgs),
    /// Nonaktifkan instansi: setiap panggilannya langsung ditolak (switch an institution off:
    /// every call it makes is refused at once; audited)
    Disable(NameArgs),
    /// Buat kunci API baru; kunci lama langsung tidak berlaku (issue a new bearer key; the
    /// old one stops at once; audited)
    RotateKey(NameArgs),
}

#[derive(Debug, Args)]
pub struct NameArgs {
    /// Nama instansi (institution name)
    #[arg(long)]
    pub name: String,

    /// Tulis kunci privat QR (PEM) ke berkas ini, mode 0600 (write the QR private key, PEM,
    /// to this file, mode 0600; add and rotate-key only)
    #[arg(long)]
    pub qr_key_out: Option<std::path::PathBuf>,

    #[command(flatten)]
    pub storage: StorageArgs,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    #[command(flatten)]
    pub storage: StorageArgs,
}

pub fn run(command: InstitutionCommand) -> ExitCode {
    super::block_on(async {
        match command {
            InstitutionCommand::Add(args) => add(args).await,
            InstitutionCommand::List(args) => list(args).await,
            InstitutionCommand::Disable(args) => disable(args).await,
            InstitutionCommand::RotateKey(args) => rotate_key(args).await,
        }
    })
}

async fn connect(storage: &StorageArgs) -> Option<crate::platform::db::Db> {
    match storage.connect().await {
        Ok(db) => Some(db),
        Err(err) => {
            eprintln!("ikd: {err:#}");
            None
        }
    }
}

async fn add(args: NameArgs) -> ExitCode {
    let Some(db) = connect(&args.storage).await else {
        return ExitCode::FAILURE;
    };
    match institutions::add(&db, &args.name).await {
        Ok((api_key, qr_key)) => {
            if let Err(err) = institutions::audit_added(&db, args.name.trim(), &qr_key.kid).await {
                return operator_failure(&err);
            }
            issued(&args, &api_key, &qr_key)
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
}

async fn list(args: ListArgs) -> ExitCode {
    let Some(db) = connect(&args.storage).await else {
        return ExitCode::FAILURE;
    };
    match institutions::list(&db).await {
        Ok(institutions) => {
            super::print_json_line(&serde_json::json!({ "institutions": institutions }));
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("ikd: {err}");
            ExitCode::FAILURE
        }
    }
}

async fn disable(args: NameArgs) -> ExitCode {
    let Some(db) = connect(&args.storage).await else {
        return ExitCode::FAILURE;
    };
    match institutions::disable(&db, &args.name).await {
        Ok(id) => {
            super::print_json_line(&serde_json::json!({
                "id": id,
                "name": args.name.trim(),
                "disabled": true,
            }));
            ExitCode::SUCCESS
        }
        Err(err) => operator_failure(&err),
    }
}

async fn rotate_key(args: NameArgs) -> ExitCode {
    let Some(db) = connect(&args.storage).await else {
        return ExitCode::FAILURE;
    };
    match institutions::rotate_key(&db, &args.name).await {
        Ok((api_key, qr_key)) => issued(&args, &api_key, &qr_key),
        Err(err) => operator_failure(&err),
    }
}

/// Prints the keys handed over once, and writes the QR key file when asked.
fn issued(args: &NameArgs, api_key: &str, qr_key: &institutions::IssuedQrKey) -> ExitCode {
    if let Some(path) = &args.qr_key_out
        && let Err(err) = write_private(path, &qr_key.private_key_pem)
    {
        eprintln!("ikd: {}: {err}", path.display());
        return ExitCode::FAILURE;
    }
    super::print_json_line(&serde_json::json!({
        "name": args.name.trim(),
        "apiKey": api_key,
        "qrKid": qr_key.kid,
        "qrPublicKey": qr_key.public_key,
        "qrPrivateKeyPem": qr_key.private_key_pem,
    }));
    ExitCode::SUCCESS
}

fn write_private(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)?.write_all(text.as_bytes())
}

fn operator_failure(err: &OperatorError) -> ExitCode {
    super::print_json_line(&serde_json::json!({
        "error": match err {
            OperatorError::Unknown(_) => "unknown",
            OperatorError::Disabled(_) => "disabled",
            OperatorError::Database(_) => "internal",
        },
        "message": err.to_string(),
    }));
    ExitCode::FAILURE
}
