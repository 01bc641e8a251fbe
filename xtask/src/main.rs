//! `cargo xtask`: IKD Web's own automation, in Rust so it runs wherever cargo does.
//!
//! - `cargo xtask run`: install what is missing, build the PWA and the service, serve both on
//!   http://127.0.0.1:8080 with a SQLite database and issuer keys under `./data/`.
//! - `cargo xtask build`: install what is missing, build both web apps and the service
//!   (release), start nothing.
//! - `cargo xtask test`: install what is missing, then run every test level.
//! - `cargo xtask stamp-service-worker`: the PWA's Trunk post-build hook (see Trunk.toml).
//! - `cargo xtask precompress`: the console's Trunk post-build hook (crates/console/Trunk.toml).
//! - `cargo xtask size`: first-load transfer of the built PWA, raw and brotli.
//! - `cargo xtask fuzz`: run every fuzz target for a number of inputs and report inputs/s.
//! - `cargo xtask bench api`: the long schemathesis run, without a session and per role.
//! - `cargo xtask bench web`: the citizen app's pages on a weak signal, cold and warm.

mod bench_web;
mod build;
mod cmd;
mod fuzz;
mod paint_first;
mod postgres;
mod pwa;
mod run;
mod schemathesis;
mod server_process;
mod size;
mod stamp_service_worker;
mod test;
#[cfg(test)]
mod tidy;
mod tools;
mod wasm_split;

use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  run                    pasang yang kurang, bangun, lalu jalankan IKD Web di http://127.0.0.1:8080
                         (install what is missing, build, and serve the whole system on SQLite)
  build                  pasang yang kurang, bangun PWA, konsol dan layanan (release), tanpa
                         menjalankan apa pun (install what is missing, build both web apps and
                         the service binary, start nothing)
  test [--step WORD]     jalankan semua tingkat pengujian, atau hanya langkah yang namanya
                         memuat WORD (run every test level, or only the steps whose name
                         contains WORD, e.g. --step schemathesis)
  bench api [--examples N] [--seconds S]
                         schemathesis panjang: tanpa sesi, lalu sebagai warga, petugas,
                         penyelia dan admin (the long schemathesis run, per role; default 100
                         examples per operation, 600 s per run)
  bench web [PATH]...    halaman PWA pada sinyal lemah: 400 Kbps, RTT 400 ms, CPU 4× lebih
                         lambat, dingin dan hangat (the PWA's pages on a weak signal, cold and warm)
  size                   ukuran unduhan pertama PWA (first-load transfer of the built PWA)
  fuzz [--inputs N] [--seconds S] [--target T]...
                         jalankan target fuzz dan laporkan input/detik (run the fuzz targets,
                         default 100000 inputs each, report inputs per second and crashes)
  stamp-service-worker   hook pasca-build Trunk PWA (the PWA's Trunk post-build hook: merges
                         its pages, stamps sw.js)
  precompress            hook pasca-build Trunk konsol (the console's: .br/.gz copies)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("run") => run::run(&args[1..]),
        Some("build") => build::run(&args[1..]),
        Some("test") => test::run(&args[1..]),
        Some("size") => size::run(),
        Some("fuzz") => fuzz::run(&args[1..]),
        Some("bench") if args.get(1).map(String::as_str) == Some("web") => {
            bench_web::run(&args[2..])
        }
        Some("bench") => schemathesis::bench(&args[1..]),
        Some("stamp-service-worker") => stamp_service_worker::run(),
        Some("precompress") => stamp_service_worker::precompress_staging(),
        Some("help" | "--help" | "-h") => {
            println!("{USAGE}");
            Ok(())
        }
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("\nxtask: GAGAL (failed): {err}");
            ExitCode::FAILURE
        }
    }
}

/// Errors of the automation carry a message that tells the person what to do next.
pub type Result<T = ()> = std::result::Result<T, String>;

/// The workspace root, whatever directory `cargo xtask` was started from.
pub fn project_root() -> std::path::PathBuf {
    let xtask_dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    xtask_dir
        .parent()
        .expect("xtask lives one level below the workspace root")
        .to_path_buf()
}
