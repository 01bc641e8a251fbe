//! `cargo xtask build`: everything `cargo xtask run` builds, starting nothing: the release
//! Trunk builds of the citizen PWA (`dist/`) and the officer console (`dist-console/`), and
//! the service's release binary (`target/release/ikd`). `run` calls the same functions.

use crate::{Result, cmd, pwa, tools};

pub fn run(args: &[String]) -> Result {
    if !args.is_empty() {
        return Err(format!(
            "cargo xtask build takes no arguments (got {args:?})"
        ));
    }
    all()
}

/// Tools, both web apps, the service: what `cargo xtask run` does before it starts anything.
pub fn all() -> Result {
    install_tools()?;
    web_apps()?;
    service()
}

/// What the builds need, installed only when missing or at the wrong version.
fn install_tools() -> Result {
    eprintln!("==> Memeriksa perangkat (checking tools)");
    tools::ensure_wasm_target()?;
    tools::ensure_npm_deps()?;
    tools::ensure_wasm_bindgen_cli()?;
    tools::ensure_wasm_split()?;
    tools::ensure_trunk()
}

/// Both web apps, each skipped when nothing it reads changed.
fn web_apps() -> Result {
    eprintln!("==> Membangun PWA dan konsol petugas (building the PWA and the officer console)");
    pwa::build_all()
}

/// `target/release/ikd`.
fn service() -> Result {
    eprintln!("==> Membangun layanan (building the service, release)");
    cmd::run(cmd::cargo().args([
        "build",
        "--release",
        "--locked",
        "-p",
        "ikd-server",
        "--bin",
        "ikd",
    ]))
}
