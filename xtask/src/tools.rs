//! Installs the tools the build and the tests need, each only when it is missing or its
//! version is wrong, so a second run costs seconds. Versions are pinned where they must match
//! something else: wasm-bindgen-cli must equal the wasm-bindgen crate in Cargo.lock.

use std::path::Path;
use std::process::Command;

use crate::cmd::{self, output};
use crate::{Result, project_root};

/// trunk 0.22 needs a newer rustc than this project's 1.95.
pub const TRUNK_VERSION: &str = "0.21.14";
pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
pub const SQLITE3: &str = "/usr/bin/sqlite3";
/// The property-based API run of `cargo xtask test` (issue 19), from PyPI.
pub const SCHEMATHESIS_VERSION: &str = "4.32.5";

/// Schemathesis's `st`, in a Python virtual environment of its own under `target/`.
pub fn schemathesis_st() -> std::path::PathBuf {
    project_root().join("target/tools/schemathesis/bin/st")
}

/// Schemathesis at [`SCHEMATHESIS_VERSION`] in its own venv (never the system's Python
/// packages); Debian's `python3-venv` first when `python3 -m venv` is missing.
pub fn ensure_schemathesis() -> Result {
    let st = schemathesis_st();
    let wanted = format!("st, version {SCHEMATHESIS_VERSION}");
    if output(&st, &["--version"]).as_deref().map(str::trim) == Some(wanted.as_str()) {
        return Ok(());
    }
    step_note(&format!(
        "schemathesis {SCHEMATHESIS_VERSION} (PyPI, into target/tools/schemathesis)"
    ));
    if output("python3", &["-m", "venv", "--help"]).is_none() {
        apt_install(&["python3", "python3-venv"])?;
    }
    let venv = project_root().join("target/tools/schemathesis");
    let _ = std::fs::remove_dir_all(&venv);
    cmd::run(Command::new("python3").args(["-m", "venv"]).arg(&venv))?;
    cmd::run(Command::new(venv.join("bin/pip")).args([
        "install",
        "--quiet",
        "--disable-pip-version-check",
        &format!("schemathesis=={SCHEMATHESIS_VERSION}"),
    ]))
}

pub fn ensure_wasm_target() -> Result {
    let installed = output("rustup", &["target", "list", "--installed"]).unwrap_or_default();
    if installed
        .lines()
        .any(|t| t.trim() == "wasm32-unknown-unknown")
    {
        return Ok(());
    }
    step_note("wasm32-unknown-unknown target");
    cmd::run(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))
}

pub fn ensure_trunk() -> Result {
    let wanted = format!("trunk {TRUNK_VERSION}");
    if version_of("trunk").as_deref() == Some(wanted.as_str()) {
        return Ok(());
    }
    step_note(&format!("{wanted} (about 9 minutes to build, once)"));
    cmd::run(cmd::cargo().args(["install", "trunk", "--version", TRUNK_VERSION, "--locked"]))
}

/// The splitter of the citizen app's main bundle (`wasm_split.rs`): the crate Leptos's
/// `#[lazy]` split points are made for, whose binary is `wasm-split-cli`.
pub const WASM_SPLIT_VERSION: &str = "0.2.4";

pub fn ensure_wasm_split() -> Result {
    let wanted = format!("wasm_split_cli_support v{WASM_SPLIT_VERSION}:");
    let installed = output("cargo", &["install", "--list"]).unwrap_or_default();
    if installed.lines().any(|line| line.trim() == wanted) && cmd::which("wasm-split-cli").is_some()
    {
        return Ok(());
    }
    step_note(&format!(
        "wasm-split-cli {WASM_SPLIT_VERSION} (about a minute, once)"
    ));
    cmd::run(cmd::cargo().args([
        "install",
        "wasm_split_cli_support",
        "--version",
        WASM_SPLIT_VERSION,
        "--locked",
        "--features",
        "build-binary",
    ]))
}

pub fn ensure_wasm_bindgen_cli() -> Result {
    let version = wasm_bindgen_version_in_lock()?;
    let wanted = format!("wasm-bindgen {version}");
    if version_of("wasm-bindgen").as_deref() == Some(wanted.as_str())
        && cmd::which("wasm-bindgen-test-runner").is_some()
    {
        return Ok(());
    }
    step_note(&format!("wasm-bindgen-cli {version} (matches Cargo.lock)"));
    // Without --locked: the CLI's own lock file pins a crate the registry no longer has.
    cmd::run(cmd::cargo().args([
        "install",
        "wasm-bindgen-cli",
        "--version",
        &format!("={version}"),
        "--force",
    ]))
}

/// Node tools from package-lock.json: Playwright (driving Debian's Chromium, never a browser
/// download of its own) and wasm-opt from npm's binaryen.
pub fn ensure_npm_deps() -> Result {
    let root = project_root();
    if cmd::which("npm").is_none() || cmd::which("node").is_none() {
        return Err(
            "Node.js dan npm tidak ditemukan (not found): pasang dengan `apt-get install -y nodejs npm`"
                .into(),
        );
    }
    let marker = root.join("node_modules/.package-lock.json");
    if is_newer_or_equal(&marker, &root.join("package-lock.json"))
        && root.join("node_modules/.bin/wasm-opt").exists()
    {
        return Ok(());
    }
    step_note("npm packages (Playwright, binaryen's wasm-opt)");
    cmd::run(
        Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(&root)
            .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1"),
    )
}

/// Debian's Chromium and ChromeDriver for the browser tests, and the sqlite3 shell the console
/// test uses to read the database the dashboard is checked against.
pub fn ensure_test_packages() -> Result {
    if [CHROMIUM, CHROMEDRIVER, SQLITE3]
        .iter()
        .all(|tool| Path::new(tool).exists())
    {
        return Ok(());
    }
    step_note("chromium, chromium-driver and sqlite3 (Debian packages)");
    apt_install(&["chromium", "chromium-driver", "sqlite3"])
}

/// `apt-get update` and `apt-get install -y` (through sudo unless root).
fn apt_install(packages: &[&str]) -> Result {
    let sudo: &[&str] = if output("id", &["-u"]).as_deref() == Some("0") {
        &[]
    } else {
        &["sudo"]
    };
    let apt = |args: &[&str]| {
        let mut all: Vec<&str> = sudo.to_vec();
        all.push("apt-get");
        all.extend_from_slice(args);
        let mut command = Command::new(all[0]);
        command
            .args(&all[1..])
            .env("DEBIAN_FRONTEND", "noninteractive");
        cmd::run(&mut command)
    };
    apt(&["update"])?;
    let mut install = vec!["install", "-y"];
    install.extend_from_slice(packages);
    apt(&install)
}

pub fn wasm_bindgen_version_in_lock() -> Result<String> {
    let lock = std::fs::read_to_string(project_root().join("Cargo.lock"))
        .map_err(|e| format!("Cargo.lock tidak dapat dibaca (unreadable): {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == "name = \"wasm-bindgen\""
            && let Some(version) = lines
                .next()
                .and_then(|l| l.trim().strip_prefix("version = \""))
                .and_then(|v| v.strip_suffix('"'))
        {
            return Ok(version.to_owned());
        }
    }
    Err("Cargo.lock has no wasm-bindgen package".into())
}

fn version_of(program: &str) -> Option<String> {
    let path = cmd::which(program).or_else(|| {
        let home = std::env::var_os("HOME")?;
        let candidate = Path::new(&home).join(".cargo/bin").join(program);
        candidate.exists().then_some(candidate)
    })?;
    output(path, &["--version"])
}

fn step_note(what: &str) {
    eprintln!("  -> memasang (installing) {what}");
}

/// True when `a` exists and was modified no earlier than `b`.
pub fn is_newer_or_equal(a: &Path, b: &Path) -> bool {
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    match (modified(a), modified(b)) {
        (Some(a), Some(b)) => a >= b,
        _ => false,
    }
}
