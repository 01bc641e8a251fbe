//! `cargo xtask run`: from a fresh clone to the whole system on http://127.0.0.1:8080.

use crate::{Result, build, cmd, project_root};

/// Size of the demo registry: enough for every region to have people, seeded in about a second.
const DEMO_CITIZENS: &str = "20000";

pub fn run(serve_args: &[String]) -> Result {
    // Exactly what `cargo xtask build` does.
    build::all()?;

    let root = project_root();
    let ikd = root.join("target/release/ikd");

    // A demo needs people in the registry: fill the synthetic one on first run only.
    eprintln!("==> Registri penduduk sintetis (synthetic demo registry, first run only)");
    cmd::run(
        std::process::Command::new(&ikd)
            .args(["seed", "--if-empty", "--count", DEMO_CITIZENS])
            .current_dir(&root),
    )?;
    // The accounts to try it with: demo officers (created once) and registrable citizens.
    cmd::run(
        std::process::Command::new(&ikd)
            .arg("demo")
            .current_dir(&root),
    )?;
    eprintln!(
        "==> Menjalankan layanan (starting the service). Data (SQLite, kunci penerbit): {}",
        root.join("data").display()
    );
    eprintln!("    Hentikan dengan Ctrl-C (stop with Ctrl-C).");
    let mut command = std::process::Command::new(&ikd);
    command.arg("serve").args(serve_args).current_dir(&root);
    exec(command)
}

/// Replaces this process with the server, so Ctrl-C and signals reach it directly.
#[cfg(unix)]
fn exec(mut command: std::process::Command) -> Result {
    use std::os::unix::process::CommandExt;
    let err = command.exec();
    Err(format!("cannot start {}: {err}", cmd::describe(&command)))
}

#[cfg(not(unix))]
fn exec(mut command: std::process::Command) -> Result {
    cmd::run(&mut command)
}
