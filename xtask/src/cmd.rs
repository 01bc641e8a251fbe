//! Running external programs with readable logs and errors.

use std::ffi::OsStr;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use crate::Result;

/// Is `program` on PATH (or an existing path)?
pub fn which(program: &str) -> Option<std::path::PathBuf> {
    let candidate = Path::new(program);
    if candidate.components().count() > 1 {
        return candidate.is_file().then(|| candidate.to_path_buf());
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|p| p.is_file())
}

/// Runs a command to completion, echoing it first; a non-zero exit is an error.
pub fn run(command: &mut Command) -> Result {
    eprintln!("  $ {}", describe(command));
    let started = Instant::now();
    let status = command.status().map_err(|e| {
        format!(
            "tidak dapat menjalankan {} (cannot start): {e}",
            describe(command)
        )
    })?;
    if status.success() {
        Ok(())
    } else {
        Err(format!(
            "{} gagal dengan {status} setelah {:.0?} (failed)",
            describe(command),
            started.elapsed()
        ))
    }
}

/// Runs a command and returns its trimmed stdout, or None when it cannot run or fails.
pub fn output(program: impl AsRef<OsStr>, args: &[&str]) -> Option<String> {
    let out = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

pub fn describe(command: &Command) -> String {
    let mut text = command.get_program().to_string_lossy().into_owned();
    for arg in command.get_args() {
        text.push(' ');
        text.push_str(&arg.to_string_lossy());
    }
    text
}

pub fn cargo() -> Command {
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    command.current_dir(crate::project_root());
    command
}

/// PATH with the project's npm tools (wasm-opt, playwright) and cargo's bin dir in front, so
/// Trunk finds the tools this project installed instead of trying to download its own.
pub fn tool_path() -> std::ffi::OsString {
    let root = crate::project_root();
    let mut dirs = vec![root.join("node_modules/.bin")];
    if let Some(home) = std::env::var_os("CARGO_HOME") {
        dirs.push(Path::new(&home).join("bin"));
    } else if let Some(home) = std::env::var_os("HOME") {
        dirs.push(Path::new(&home).join(".cargo/bin"));
    }
    if let Some(path) = std::env::var_os("PATH") {
        dirs.extend(std::env::split_paths(&path));
    }
    std::env::join_paths(dirs).unwrap_or_default()
}

/// A free TCP port on loopback (the OS picks; it is released before use).
pub fn free_port() -> Result<u16> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")
        .map_err(|e| format!("no free port on 127.0.0.1: {e}"))?;
    listener
        .local_addr()
        .map(|a| a.port())
        .map_err(|e| e.to_string())
}
