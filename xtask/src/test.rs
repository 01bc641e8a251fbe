//! `cargo xtask test`: every test level, in order of cost, stopping at the first failure.
//!
//! 1. formatting and clippy (native crates, then the PWA for wasm32)
//! 2. `cargo test` for the workspace on SQLite (core unit tests, server router tests, xtask
//!    with its tidy tests of the written invariants, `tidy.rs`)
//! 3. the server tests again on a throwaway PostgreSQL cluster
//! 4. schemathesis: generated requests from `/api/openapi.json` against `ikd serve`, without a
//!    session and logged in as each role
//! 5. wasm-bindgen-test: PWA components in headless Chromium
//! 6. the release PWA build, its first-load size against each page's ceiling (`size.rs`), then
//!    Playwright against `ikd serve` on a free port
//!
//! `.ci/run` calls exactly this, so CI passes exactly when a developer's run does.

use std::process::Command;
use std::time::{Duration, Instant};

use crate::server_process::ServerProcess;
use crate::{Result, cmd, postgres, project_root, pwa, schemathesis, size, tools};

type Step = (&'static str, fn() -> Result);

const STEPS: &[Step] = &[
    ("perangkat (install missing tools)", install_tools),
    ("cargo fmt --check", fmt),
    ("clippy: crate native (core, server, xtask)", clippy_native),
    ("clippy: PWA and core on wasm32", clippy_wasm),
    ("cargo test: workspace on SQLite", cargo_test_sqlite),
    ("cargo test: server on PostgreSQL", cargo_test_postgres),
    (
        "schemathesis: the OpenAPI document against ikd serve",
        schemathesis,
    ),
    (
        "wasm-bindgen-test: komponen di Chromium (components in Chromium)",
        wasm_browser_tests,
    ),
    (
        "build PWA dan konsol petugas (Trunk, release)",
        pwa::build_all,
    ),
    (
        "ukuran PWA: first load of each page against its ceiling (size)",
        size::check,
    ),
    (
        "Playwright end-to-end (Chromium: citizen 360×740, console 1366×768)",
        playwright,
    ),
];

/// `cargo xtask test [--step WORD]`: every step, or only those whose name contains WORD
/// (e.g. `--step schemathesis`, which needs the debug build a `cargo test` step makes).
pub fn run(args: &[String]) -> Result {
    let only = match args {
        [] => None,
        [flag, word] if flag == "--step" => Some(word.as_str()),
        _ => {
            return Err(format!(
                "cargo xtask test takes only --step WORD (got {args:?})"
            ));
        }
    };
    let started = Instant::now();
    let mut timings: Vec<(&str, Duration)> = Vec::new();
    for (index, (name, step)) in STEPS.iter().enumerate() {
        if only.is_some_and(|word| !name.contains(word)) {
            continue;
        }
        eprintln!("\n==> [{}/{}] {name}", index + 1, STEPS.len());
        let step_started = Instant::now();
        let outcome = step();
        timings.push((name, step_started.elapsed()));
        if let Err(err) = outcome {
            print_summary(&timings, started.elapsed());
            println!("xtask: {} passed, 1 failed", index);
            return Err(format!("{name}: {err}"));
        }
    }
    if only.is_some() {
        print_summary(&timings, started.elapsed());
        println!("xtask: {} passed, 0 failed", timings.len());
        return Ok(());
    }
    print_summary(&timings, started.elapsed());
    println!("xtask: {} passed, 0 failed", STEPS.len());
    Ok(())
}

fn print_summary(timings: &[(&str, Duration)], total: Duration) {
    eprintln!("\n==> Ringkasan (summary)");
    for (name, took) in timings {
        eprintln!("  {:>7.1}s  {name}", took.as_secs_f64());
    }
    eprintln!("  {:>7.1}s  total", total.as_secs_f64());
}

fn install_tools() -> Result {
    tools::ensure_wasm_target()?;
    tools::ensure_test_packages()?;
    tools::ensure_npm_deps()?;
    tools::ensure_schemathesis()?;
    tools::ensure_wasm_bindgen_cli()?;
    tools::ensure_wasm_split()?;
    tools::ensure_trunk()
}

fn fmt() -> Result {
    cmd::run(cmd::cargo().args(["fmt", "--all", "--", "--check"]))
}

fn clippy_native() -> Result {
    cmd::run(cmd::cargo().args([
        "clippy",
        "--locked",
        "--workspace",
        "--exclude",
        "ikd-web",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]))
}

fn clippy_wasm() -> Result {
    cmd::run(cmd::cargo().args([
        "clippy",
        "--locked",
        "-p",
        "ikd-web",
        "-p",
        "ikd-console",
        "-p",
        "ikd-browser",
        "-p",
        "ikd-core",
        "--target",
        "wasm32-unknown-unknown",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]))
}

fn cargo_test_sqlite() -> Result {
    cmd::run(
        cmd::cargo()
            .args(["test", "--locked", "--workspace", "--exclude", "ikd-web"])
            .env("IKD_TEST_BACKEND", "sqlite"),
    )?;
    // The PWA's tests run in Chromium (wasm-bindgen-test), except the QR reader's, which
    // renders QRs into camera-like frames and is pure Rust: natively it runs in seconds.
    cmd::run(cmd::cargo().args(["test", "--locked", "-p", "ikd-web", "--test", "qr_frame"]))
}

fn cargo_test_postgres() -> Result {
    let cluster = postgres::start()?;
    cmd::run(
        cmd::cargo()
            // The same package selection as the SQLite pass: a narrower one (`-p ikd-server`)
            // unifies features differently and rebuilds everything (measured: +140 s cold).
            // Only the router tests read the back-end; the rest rerun in seconds.
            .args(["test", "--locked", "--workspace", "--exclude", "ikd-web"])
            .env("IKD_TEST_BACKEND", "postgres")
            .env("IKD_TEST_POSTGRES_URL", cluster.url()),
    )
}

/// Schemathesis over every operation of `/api/openapi.json` against `ikd serve` on a seeded
/// temporary database (the debug build the `cargo test` steps made), without a session and then
/// as a citizen, an officer, a supervisor and an admin (`schemathesis.rs`).
fn schemathesis() -> Result {
    schemathesis::run_all(schemathesis::SHORT)
}

fn wasm_browser_tests() -> Result {
    cmd::run(
        cmd::cargo()
            .args([
                "test",
                "--locked",
                "-p",
                "ikd-web",
                "--target",
                "wasm32-unknown-unknown",
                "--test",
                "web",
                "--test",
                "offline",
                "--test",
                "consent",
                "--test",
                "family",
            ])
            .env("PATH", cmd::tool_path())
            .env(
                "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER",
                "wasm-bindgen-test-runner",
            )
            // Capabilities (binary, headless, no sandbox as root) come from webdriver.json.
            .env("CHROMEDRIVER", tools::CHROMEDRIVER)
            .env("WASM_BINDGEN_TEST_TIMEOUT", "120"),
    )
}

fn playwright() -> Result {
    let root = project_root();
    // The `cargo test` steps built `ikd` for the CLI tests; a separate `cargo build -p
    // ikd-server` would unify features differently and rebuild everything (measured: +140 s).
    let ikd = root.join("target/debug/ikd");
    if !ikd.exists() {
        return Err("target/debug/ikd is missing: the cargo test step should have built it".into());
    }
    let server = ServerProcess::start(
        &ikd,
        &pwa::CITIZEN_PWA.dist_dir(),
        &pwa::OFFICER_CONSOLE.dist_dir(),
    )?;
    cmd::run(
        Command::new(root.join("node_modules/.bin/playwright"))
            .args(["test", "--config", "e2e/playwright.config.ts"])
            .current_dir(&root)
            .env("PATH", cmd::tool_path())
            .env("IKD_BASE_URL", &server.base_url)
            // The journey reads the email outbox and runs `ikd` against the same data.
            .env("IKD_E2E_DATA_DIR", &server.data_dir)
            .env("IKD_BIN", &ikd)
            .env("IKD_E2E_DATABASE", server.data_dir.join("ikd.db"))
            .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1"),
    )
}
