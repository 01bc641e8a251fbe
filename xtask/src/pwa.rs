//! Building the citizen PWA with Trunk (release: wasm-release profile plus wasm-opt -Oz).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

use crate::{Result, cmd, project_root};

/// What the PWA build reads. When none of it changed since the last successful build, the
/// build is skipped, so a second `cargo xtask run` starts in seconds.
const INPUTS: &[&str] = &[
    "Cargo.toml",
    "Cargo.lock",
    "Trunk.toml",
    "index.html",
    "src",
    "style",
    "public",
    "crates/core",
];

pub fn dist_dir() -> PathBuf {
    project_root().join("dist")
}

fn stamp_file() -> PathBuf {
    project_root().join("target/xtask/pwa-release.stamp")
}

pub fn build_release() -> Result {
    let root = project_root();
    if is_up_to_date(&root) {
        eprintln!("  PWA sudah terbaru, build dilewati (up to date, build skipped)");
        return Ok(());
    }
    cmd::run(
        Command::new("trunk")
            .args(["build", "--release"])
            .current_dir(&root)
            .env("PATH", cmd::tool_path())
            // Trunk would otherwise try to fetch tools it thinks are missing; these machines
            // reach no such host, so a missing tool must fail loudly here instead.
            .env("TRUNK_OFFLINE", "true")
            .env("TRUNK_SKIP_VERSION_CHECK", "true"),
    )?;
    check_service_worker_is_stamped(&dist_dir())?;
    let stamp = stamp_file();
    std::fs::create_dir_all(stamp.parent().expect("stamp has a parent"))
        .map_err(|e| e.to_string())?;
    std::fs::write(&stamp, b"").map_err(|e| format!("{}: {e}", stamp.display()))
}

fn is_up_to_date(root: &Path) -> bool {
    if !root.join("dist/index.html").exists() {
        return false;
    }
    let Some(built) = modified(&stamp_file()) else {
        return false;
    };
    INPUTS
        .iter()
        .filter_map(|input| newest_modification(&root.join(input)))
        .all(|changed| changed <= built)
}

fn modified(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

fn newest_modification(path: &Path) -> Option<SystemTime> {
    let own = modified(path);
    let Ok(entries) = std::fs::read_dir(path) else {
        return own;
    };
    entries
        .flatten()
        .filter(|e| e.file_name() != "target")
        .filter_map(|e| newest_modification(&e.path()))
        .chain(own)
        .max()
}

/// The post-build hook must have replaced the placeholders, or offline start silently breaks.
pub fn check_service_worker_is_stamped(dist: &Path) -> Result {
    let sw = std::fs::read_to_string(dist.join("sw.js"))
        .map_err(|e| format!("dist/sw.js missing after the Trunk build: {e}"))?;
    if sw.contains("__IKD_") {
        return Err(
            "dist/sw.js still has its placeholders: Trunk's post_build hook did not run".into(),
        );
    }
    Ok(())
}
