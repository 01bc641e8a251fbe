//! Schemathesis against `ikd serve` (issue 19): property-based requests over every operation
//! of `/api/openapi.json`, with generated valid and invalid bodies, once without a session and
//! once logged in as each role: a citizen, an officer, a supervisor and an admin. Every answer
//! must be documented (status, content type, headers, body schema, the JSON error shape) and
//! none may be a 5xx.
//!
//! - `cargo xtask test` runs it short (`SHORT`: a few minutes in all, on two cores);
//! - `cargo xtask bench api [--examples N] [--seconds S]` runs it long, as a benchmark, and
//!   prints cases, failures and seconds per run.
//!
//! The sessions come from `target/debug/examples/api_sessions` (crates/server/examples): the
//! demo officers log in with password and TOTP, and one citizen registers at a desk, is
//! approved and activates, as a person would. The service is on a seeded temporary SQLite
//! database (`server_process.rs`).

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Instant;

use crate::server_process::ServerProcess;
use crate::{Result, cmd, project_root, pwa, tools};

/// How far each run goes: schemathesis' `--max-examples` per operation and `--max-time` per run.
#[derive(Debug, Clone, Copy)]
pub struct Budget {
    pub max_examples: u32,
    pub anonymous_seconds: u32,
    pub role_seconds: u32,
}

/// The run in `cargo xtask test`: about 80 + 4 × 40 s of requests (the whole CI has a 90 minute
/// limit); the long run is `cargo xtask bench api`.
pub const SHORT: Budget = Budget {
    max_examples: 5,
    anonymous_seconds: 80,
    role_seconds: 40,
};

/// The roles, in the order their runs go. Requests generated for a later role may end an
/// earlier role's session (a supervisor may disable an officer, an admin may disable or reset
/// anyone's second factor), never the other way round, so each run keeps its session.
const ROLES: [&str; 4] = ["citizen", "officer", "supervisor", "admin"];

/// What one schemathesis run reported.
struct Outcome {
    name: String,
    cases: String,
    seconds: f64,
    passed: bool,
}

/// Runs every schemathesis run against one fresh `ikd serve`; an error names the failed runs.
pub fn run_all(budget: Budget) -> Result {
    let root = project_root();
    let ikd = root.join("target/debug/ikd");
    let sessions_tool = root.join("target/debug/examples/api_sessions");
    for binary in [&ikd, &sessions_tool] {
        if !binary.exists() {
            return Err(format!(
                "{} is missing: `cargo test --workspace` (or `cargo build -p ikd-server --bin \
                 ikd --example api_sessions`) builds it",
                binary.display()
            ));
        }
    }
    let server = ServerProcess::start(
        &ikd,
        &pwa::CITIZEN_PWA.dist_dir(),
        &pwa::OFFICER_CONSOLE.dist_dir(),
    )?;
    let addr = server.base_url.trim_start_matches("http://").to_owned();
    // Sessions first: the anonymous run cannot end them, and the role runs are ordered.
    let sessions = logged_in_sessions(&sessions_tool, &ikd, &addr, &server)?;

    let mut outcomes = vec![schemathesis(
        "tanpa sesi (no session)",
        &server.base_url,
        None,
        budget.max_examples,
        budget.anonymous_seconds,
    )?];
    for role in ROLES {
        let cookie = json_string_field(&sessions, role)
            .ok_or_else(|| format!("api_sessions gave no {role} session: {sessions}"))?;
        outcomes.push(schemathesis(
            role,
            &server.base_url,
            Some(&cookie),
            budget.max_examples,
            budget.role_seconds,
        )?);
    }

    eprintln!("\n  schemathesis (max-examples {}):", budget.max_examples);
    for o in &outcomes {
        eprintln!(
            "  {:<24} {:>7.1} s  {}  {}",
            o.name,
            o.seconds,
            if o.passed { "ok    " } else { "GAGAL " },
            o.cases
        );
    }
    let failed: Vec<&str> = outcomes
        .iter()
        .filter(|o| !o.passed)
        .map(|o| o.name.as_str())
        .collect();
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "schemathesis found failures as: {}",
            failed.join(", ")
        ))
    }
}

fn logged_in_sessions(
    tool: &std::path::Path,
    ikd: &std::path::Path,
    addr: &str,
    server: &ServerProcess,
) -> Result<String> {
    let mut command = Command::new(tool);
    command
        .args(["--addr", addr])
        .arg("--data-dir")
        .arg(&server.data_dir)
        .arg("--ikd")
        .arg(ikd)
        .stdin(Stdio::null())
        .stderr(Stdio::inherit());
    eprintln!("  $ {}", cmd::describe(&command));
    let out = command
        .output()
        .map_err(|e| format!("cannot start {}: {e}", tool.display()))?;
    if !out.status.success() {
        return Err(format!("{} failed with {}", tool.display(), out.status));
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

/// `"key":"value"` out of the one flat JSON object `api_sessions` prints (xtask is std only;
/// cookie values are base64url, with no quotes or escapes to decode).
fn json_string_field(json: &str, key: &str) -> Option<String> {
    let start = json.find(&format!("\"{key}\":\""))? + key.len() + 4;
    let end = start + json[start..].find('"')?;
    Some(json[start..end].to_owned())
}

fn schemathesis(
    name: &str,
    base_url: &str,
    cookie: Option<&str>,
    max_examples: u32,
    seconds: u32,
) -> Result<Outcome> {
    eprintln!("\n  --> schemathesis: {name}");
    let mut command = Command::new(tools::schemathesis_st());
    command
        .arg("run")
        .arg(format!("{base_url}/api/openapi.json"))
        .arg("--generation-deterministic")
        .args(["--max-examples", &max_examples.to_string()])
        .args(["--max-time", &seconds.to_string()])
        // One worker: with two, schemathesis 4.32.5's coverage phase sometimes fails inside
        // CPython (`SystemError: AST constructor recursion depth mismatch`).
        .args(["--workers", "1", "--request-timeout", "35"])
        // Not checked: that every request the schema allows is accepted, since a wrong
        // captcha answer, an unknown NIK or an expired reset link are valid JSON that must be
        // refused (422).
        .args(["--exclude-checks", "positive_data_acceptance", "--no-color"])
        .env("SCHEMATHESIS_TELEMETRY", "false")
        .stdout(Stdio::piped());
    if let Some(cookie) = cookie {
        command
            .args(["--header", &format!("Cookie: {cookie}")])
            // As the apps' own pages send it: the cross-site check (`cross_site.rs`) passes
            // state-changing requests from this origin.
            .args(["--header", &format!("Origin: {base_url}")])
            // Logging out ends the very session the run is logged in with, after which every
            // later request of the run is a 401; the run without a session and the router
            // tests (`officer_login_failures_are_uniform_and_logout_works`, the citizen's
            // `log_out`) cover both operations.
            .args(["--exclude-operation-id", "log_out"])
            .args(["--exclude-operation-id", "officer_log_out"]);
    }
    eprintln!("  $ {}", cmd::describe(&command));
    let started = Instant::now();
    let mut child = command
        .spawn()
        .map_err(|e| format!("cannot start schemathesis: {e}"))?;
    let mut cases = String::from("(no summary)");
    let mut next_is_cases = false;
    if let Some(stdout) = child.stdout.take() {
        for line in BufReader::new(stdout)
            .lines()
            .map_while(std::result::Result::ok)
        {
            println!("{line}");
            if next_is_cases {
                cases = line.trim().to_owned();
                next_is_cases = false;
            }
            next_is_cases |= line.trim() == "Test cases:";
        }
    }
    let status = child.wait().map_err(|e| e.to_string())?;
    Ok(Outcome {
        name: name.to_owned(),
        cases,
        seconds: started.elapsed().as_secs_f64(),
        passed: status.success(),
    })
}

/// `cargo xtask bench api [--examples N] [--seconds S]`: the long run (default 100 examples
/// per operation and 600 s per run), after building what it needs.
pub fn bench(args: &[String]) -> Result {
    let mut budget = Budget {
        max_examples: 100,
        anonymous_seconds: 600,
        role_seconds: 600,
    };
    let mut rest = args.iter();
    match rest.next().map(String::as_str) {
        Some("api") => {}
        other => {
            return Err(format!(
                "usage: cargo xtask bench api [--examples N] [--seconds S] (got {other:?})"
            ));
        }
    }
    while let Some(flag) = rest.next() {
        let value: u32 = rest
            .next()
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| format!("{flag} needs a number"))?;
        match flag.as_str() {
            "--examples" => budget.max_examples = value,
            "--seconds" => {
                budget.anonymous_seconds = value;
                budget.role_seconds = value;
            }
            _ => return Err(format!("unknown flag {flag}")),
        }
    }
    tools::ensure_schemathesis()?;
    cmd::run(cmd::cargo().args([
        "build",
        "-p",
        "ikd-server",
        "--bin",
        "ikd",
        "--example",
        "api_sessions",
    ]))?;
    let started = Instant::now();
    let outcome = run_all(budget);
    eprintln!("  total {:.1} s", started.elapsed().as_secs_f64());
    outcome
}

#[cfg(test)]
mod tests {
    use super::json_string_field;

    #[test]
    fn reads_a_cookie_out_of_the_sessions_line() {
        let line = r#"{"admin":"__Host-ikd_petugas=a-b_c","citizen":"__Host-ikd_sesi=xyz"}"#;
        assert_eq!(
            json_string_field(line, "admin").as_deref(),
            Some("__Host-ikd_petugas=a-b_c")
        );
        assert_eq!(
            json_string_field(line, "citizen").as_deref(),
            Some("__Host-ikd_sesi=xyz")
        );
        assert_eq!(json_string_field(line, "officer"), None);
    }
}
