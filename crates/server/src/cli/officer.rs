//! `ikd officer add`: creates an officer account (petugas). Prints one JSON object on its last
//! line; exit 0 on success, 1 when refused (duplicate, unknown region, short password), 2 on
//! a usage error.

use std::io::BufRead;
use std::process::ExitCode;

use clap::{Args, Subcommand};
use ikd_core::officer::OfficerRole;

use crate::officer::officers::{self, NewOfficer};
use crate::platform::storage_args::StorageArgs;

#[derive(Debug, Subcommand)]
pub enum OfficerCommand {
    /// Buat akun petugas (create an officer account)
    Add(AddArgs),
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
    }
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
