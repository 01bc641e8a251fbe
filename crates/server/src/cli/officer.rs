//! `ikd officer add`: creates an officer account (petugas). Prints one JSON object on its last
//! line; exit 0 on success, 1 when refused (duplicate, unknown region, short password), 2 on
//! a usage error. `ikd officer reset-second-factor`: the operator's reset (for an admin, whom
//! no console admin may reset). `ikd officer totp-code`: a demo officer's current code, on a
//! demo registry only.

use std::io::BufRead;
use std::process::ExitCode;

use clap::{Args, Subcommand};
use ikd_core::officer::OfficerRole;

use crate::officer::officers::{self, NewOfficer};
use crate::officer::second_factor;
use crate::platform::storage_args::StorageArgs;
use crate::registry::origin;

#[derive(Debug, Subcommand)]
pub enum OfficerCommand {
    /// Buat akun petugas (create an officer account)
    Add(AddArgs),
    /// Atur ulang faktor kedua petugas: passkey, aplikasi autentikator dan kode pemulihan
    /// dihapus, petugas mendaftar lagi saat masuk (reset an officer's second factor; audited)
    ResetSecondFactor(UsernameArgs),
    /// Kode TOTP saat ini untuk petugas demo — hanya pada registri demo (the current TOTP
    /// code of an officer, for trying the console without an authenticator app; demo data only)
    TotpCode(UsernameArgs),
}

#[derive(Debug, Args)]
pub struct UsernameArgs {
    /// Nama pengguna petugas (the officer's username)
    #[arg(long)]
    pub username: String,

    #[command(flatten)]
    pub storage: StorageArgs,
}

#[derive(Debug, Args)]
pub struct AddArgs {
    /// Nama pengguna: huruf kecil, angka, titik (username)
    #[arg(long)]
    pub username: String,

    /// Nama lengkap (full name)
    #[arg(long)]
    pub name: String,

    /// Peran: officer, supervisor atau admin (role)
    #[arg(long)]
    pub role: OfficerRole,

    /// Kode wilayah kerja, mis. 32.76 (region code: province, regency or district)
    #[arg(long)]
    pub region: String,

    /// Baca kata sandi dari baris pertama stdin; tanpa ini, kata sandi acak dibuat dan
    /// dicetak sekali (read the password from stdin; otherwise a random one is printed once)
    #[arg(long)]
    pub password_stdin: bool,

    #[command(flatten)]
    pub storage: StorageArgs,
}

pub fn run(command: OfficerCommand) -> ExitCode {
    match command {
        OfficerCommand::Add(args) => super::block_on(add(args)),
        OfficerCommand::ResetSecondFactor(args) => {
            super::block_on(async { super::exit_code(reset_second_factor(args).await) })
        }
        OfficerCommand::TotpCode(args) => {
            super::block_on(async { super::exit_code(totp_code(args).await) })
        }
    }
}

async fn reset_second_factor(args: UsernameArgs) -> anyhow::Result<()> {
    let db = args.storage.connect().await?;
    let officer = officers::find_active(&db, &args.username)
        .await?
        .ok_or_else(|| {
            anyhow::anyhow!(
                "petugas {:?} tidak ada atau nonaktif (no such active officer)",
                args.username
            )
        })?;
    second_factor::reset_by_operator(&db, officer.id).await?;
    println!(
        "Faktor kedua {} diatur ulang; ia mendaftar lagi saat masuk (second factor reset; they enrol again at their next login)",
        args.username
    );
    Ok(())
}

/// Prints the code to type now, waiting first if the officer's last code was this very step
/// and the next (a code is accepted once).
async fn totp_code(args: UsernameArgs) -> anyhow::Result<()> {
    let db = args.storage.connect().await?;
    if !origin::is_demo(&db).await? {
        anyhow::bail!(
            "kode TOTP hanya dicetak untuk registri demo; petugas sungguhan memakai aplikasi autentikator \
             (TOTP codes are printed for a demo registry only; real officers use an authenticator app)"
        );
    }
    let officer = officers::find_active(&db, &args.username)
        .await?
        .ok_or_else(|| {
            anyhow::anyhow!(
                "petugas {:?} tidak ada atau nonaktif (no such active officer)",
                args.username
            )
        })?;
    let (code, wait) = second_factor::demo_code(&db, officer.id).await?.ok_or_else(|| {
        anyhow::anyhow!("petugas ini belum mendaftarkan aplikasi autentikator (no authenticator app enrolled)")
    })?;
    if wait > 0 {
        tokio::time::sleep(std::time::Duration::from_secs(wait.unsigned_abs())).await;
    }
    println!("{code}");
    Ok(())
}

async fn add(args: AddArgs) -> ExitCode {
    let (password, generated) = if args.password_stdin {
        let mut line = String::new();
        if let Err(err) = std::io::stdin().lock().read_line(&mut line) {
            eprintln!("ikd: stdin: {err}");
            return ExitCode::from(2);
        }
        (line.trim_end_matches(['\r', '\n']).to_owned(), false)
    } else {
        (crate::platform::password::generate(), true)
    };
    let db = match args.storage.connect().await {
        Ok(db) => db,
        Err(err) => {
            eprintln!("ikd: {err:#}");
            return ExitCode::FAILURE;
        }
    };
    let new = NewOfficer {
        username: args.username.clone(),
        full_name: args.name.clone(),
        role: args.role,
        region_code: args.region.clone(),
        password: password.clone(),
    };
    match officers::add(&db, new).await {
        Ok(id) => {
            let mut answer = serde_json::json!({
                "id": id,
                "username": args.username,
                "fullName": args.name,
                "role": args.role,
                "regionCode": args.region,
            });
            if generated {
                // Shown once, never stored in clear: the officer must note it now.
                answer["password"] = serde_json::Value::String(password);
            }
            super::print_json_line(&answer);
            ExitCode::SUCCESS
        }
        Err(err) => {
            super::print_json_line(&serde_json::json!({
                "error": err.code(),
                "message": err.to_string(),
            }));
            ExitCode::FAILURE
        }
    }
}
