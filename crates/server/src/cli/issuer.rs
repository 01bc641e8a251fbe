//! `ikd issuer list|rotate`: the issuer keys in the database. Rotation makes a new signing
//! key at once; the old one stays on the trust list for a grace period that must outlast
//! the offline QR batches it signed.

use std::process::ExitCode;

use clap::{Args, Subcommand};

use ikd_core::audit::AuditAction;

use crate::officer::audit;
use crate::platform::db::unix_now;
use crate::platform::storage_args::StorageArgs;
use crate::trust::issuer_keyring;

#[derive(Debug, Subcommand)]
pub enum IssuerCommand {
    /// Tampilkan kunci pada daftar tepercaya (list the published keys)
    List(StorageOnly),
    /// Ganti kunci penanda tangan (rotate: new signing key, old one kept for a grace period)
    Rotate(RotateArgs),
}

#[derive(Debug, Args)]
pub struct StorageOnly {
    #[command(flatten)]
    pub storage: StorageArgs,
}

#[derive(Debug, Args)]
pub struct RotateArgs {
    /// Berapa hari kunci lama tetap dipercaya (days the old key stays trusted; at least the
    /// offline QR horizon, 2 days by default)
    #[arg(long, default_value_t = 7)]
    pub grace_days: i64,

    #[command(flatten)]
    pub storage: StorageArgs,
}

pub fn run(command: IssuerCommand) -> ExitCode {
    super::block_on(async { super::exit_code(issuer(command).await) })
}

async fn issuer(command: IssuerCommand) -> anyhow::Result<()> {
    match command {
        IssuerCommand::List(args) => {
            let db = args.storage.connect().await?;
            issuer_keyring::ensure_current(&db, Some(&args.storage.data_dir)).await?;
            let keys = issuer_keyring::published(&db, unix_now()).await?;
            super::print_json_line(&serde_json::json!({ "keys": keys }));
            anyhow::Ok(())
        }
        IssuerCommand::Rotate(args) => {
            anyhow::ensure!(
                args.grace_days >= 2,
                "--grace-days minimal 2 (must cover the offline QR horizon)"
            );
            let db = args.storage.connect().await?;
            issuer_keyring::ensure_current(&db, Some(&args.storage.data_dir)).await?;
            let key = issuer_keyring::rotate(&db, args.grace_days * 86_400).await?;
            // Recorded once the rotation committed (trust/ sits below the audit trail).
            let detail = format!("kunci lama dipercaya {} hari lagi", args.grace_days);
            audit::record_operator(
                &db,
                AuditAction::IssuerKeyRotated,
                key.kid().as_str(),
                &detail,
            )
            .await?;
            super::print_json_line(&serde_json::json!({ "kid": key.kid().as_str() }));
            Ok(())
        }
    }
}
