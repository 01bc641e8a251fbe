//! Building the two web apps with Trunk (release: wasm-release profile plus wasm-opt -Oz): the
//! citizen PWA (`index.html` at the root, into `dist/`) and the officer console
//! (`crates/console/`, into `dist-console/`, served under `/petugas/`). Each is its own
//! bundle, so the citizen app never carries the console's weight.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

use crate::{Result, cmd, project_root};

/// One Trunk build: where its Trunk.toml is, where it writes, and what it reads. When none of
/// its inputs changed since its last successful build, the build is skipped, so a second
/// `cargo xtask run` starts in seconds.
#[derive(Debug)]
pub struct TrunkApp {
    pub name: &'static str,
    /// Folder of its Trunk.toml, relative to the workspace root.
    config_dir: &'static str,
    /// Its build output, relative to the workspace root.
    dist: &'static str,
    /// Further pages, each its own Trunk run into [`citizen_page_dir`], built first (inputs
    /// too).
    pages: &'static [&'static str],
    /// Its bundles are split into wasm chunks by xtask (`wasm_split.rs`), built before the
    /// Trunk runs, whose post-build hook merges them: Trunk cannot split a wasm.
    split_bundles: bool,
    inputs: &'static [&'static str],
    /// A check of the finished build (the PWA's service worker must be stamped).
    check: fn(&Path) -> Result,
}

/// The citizen app's pages besides `index.html`, one bundle each (`ikd_core::web_shells`).
/// Each is built by its own Trunk run into [`citizen_page_dir`] before the main build, whose
/// post-build hook merges them into `dist/`.
pub const CITIZEN_PAGES: [&str; 2] = ["daftar.html", "verifikasi.html"];

/// Where the Trunk run of one of [`CITIZEN_PAGES`] writes.
pub fn citizen_page_dir(page: &str) -> PathBuf {
    project_root()
        .join("target/citizen-pages")
        .join(page.trim_end_matches(".html"))
}

pub const CITIZEN_PWA: TrunkApp = TrunkApp {
    name: "pwa",
    config_dir: ".",
    dist: "dist",
    pages: &CITIZEN_PAGES,
    split_bundles: true,
    inputs: &[
        "Cargo.toml",
        "Cargo.lock",
        "Trunk.toml",
        "index.html",
        "src",
        "style",
        "public",
        "crates/browser",
        "crates/core",
    ],
    check: check_service_worker_is_stamped,
};

pub const OFFICER_CONSOLE: TrunkApp = TrunkApp {
    name: "console",
    config_dir: "crates/console",
    dist: "dist-console",
    pages: &[],
    split_bundles: false,
    inputs: &[
        "Cargo.toml",
        "Cargo.lock",
        "crates/console",
        "crates/browser",
        "crates/core",
    ],
    check: check_index_exists,
};

impl TrunkApp {
    pub fn dist_dir(&self) -> PathBuf {
        project_root().join(self.dist)
    }

    fn stamp_file(&self) -> PathBuf {
        project_root().join(format!("target/xtask/{}-release.stamp", self.name))
    }

    pub fn build_release(&self) -> Result {
        let root = project_root();
        if self.is_up_to_date(&root) {
            eprintln!(
                "  {} sudah terbaru, build dilewati (up to date, build skipped)",
                self.name
            );
            return Ok(());
        }
        if self.split_bundles {
            crate::wasm_split::build_all()?;
        }
        for page in self.pages {
            let dir = citizen_page_dir(page);
            cmd::run(
                self.trunk_build()
                    .arg(page)
                    .arg("--dist")
                    .arg(&dir)
                    .args(["--html-output", page]),
            )?;
        }
        cmd::run(&mut self.trunk_build())?;
        (self.check)(&self.dist_dir())?;
        let stamp = self.stamp_file();
        std::fs::create_dir_all(stamp.parent().expect("stamp has a parent"))
            .map_err(|e| e.to_string())?;
        std::fs::write(&stamp, b"").map_err(|e| format!("{}: {e}", stamp.display()))
    }

    fn trunk_build(&self) -> Command {
        let mut trunk = Command::new("trunk");
        trunk
            .args(["build", "--release=true"])
            .current_dir(project_root().join(self.config_dir))
            .env("PATH", cmd::tool_path())
            // Trunk would otherwise try to fetch tools it thinks are missing; these machines
            // reach no such host, so a missing tool must fail loudly here instead.
            .env("TRUNK_OFFLINE", "true")
            .env("TRUNK_SKIP_VERSION_CHECK", "true");
        trunk
    }

    fn is_up_to_date(&self, root: &Path) -> bool {
        if !self.dist_dir().join("index.html").exists() {
            return false;
        }
        let Some(built) = modified(&self.stamp_file()) else {
            return false;
        };
        self.inputs
            .iter()
            .chain(self.pages)
            .filter_map(|input| newest_modification(&root.join(input)))
            .all(|changed| changed <= built)
    }
}

/// Both apps, citizen first (the order `cargo xtask run` and `test` build them in).
pub fn build_all() -> Result {
    CITIZEN_PWA.build_release()?;
    OFFICER_CONSOLE.build_release()
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

fn check_index_exists(dist: &Path) -> Result {
    if dist.join("index.html").exists() && dist.join("index.html.br").exists() {
        Ok(())
    } else {
        Err(format!(
            "{} lacks index.html or its .br copy: Trunk's post_build hook did not run",
            dist.display()
        ))
    }
}
