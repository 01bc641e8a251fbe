//! `cargo xtask bench web [PATH...]`: the weak-signal benchmark. Builds what `cargo xtask build`
//! builds, starts the release `ikd serve` on a free port, and has headless Chromium open each
//! page of the citizen app at 400 Kbps, 400 ms RTT and 4× CPU slowdown, cold and warm
//! (`e2e/bench/weak_signal.mjs` does the measuring). A benchmark: it prints figures and fails
//! only when it cannot measure.

use std::process::Command;

use crate::server_process::ServerProcess;
use crate::{Result, build, cmd, project_root, pwa};

pub fn run(pages: &[String]) -> Result {
    build::all()?;
    let root = project_root();
    let server = ServerProcess::start(
        &root.join("target/release/ikd"),
        &pwa::CITIZEN_PWA.dist_dir(),
        &pwa::OFFICER_CONSOLE.dist_dir(),
    )?;
    eprintln!("==> Sinyal lemah (weak signal): {}", server.base_url);
    cmd::run(
        Command::new("node")
            .arg(root.join("e2e/bench/weak_signal.mjs"))
            .args(pages)
            .current_dir(&root)
            .env("IKD_BASE_URL", &server.base_url),
    )
}
