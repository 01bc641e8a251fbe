//! `cargo xtask fuzz [--inputs N] [--seconds S] [--target T]...`: the fuzz benchmark of issue
//! 19. Installs cargo-fuzz when missing, builds every target of `fuzz/` once (stable Rust
//! with RUSTC_BOOTSTRAP=1, no sanitizer), then runs each for N inputs (libFuzzer's `-runs`),
//! or until S seconds have passed if that comes first, and reports per target the inputs
//! run, the seconds, inputs per second and crashes: a table line and one JSON line each.
//!
//! Each target reads its committed seeds from `fuzz/seeds/<target>/` and grows its working
//! corpus in `fuzz/corpus/<target>/` (ignored by git); a crash leaves its input in
//! `fuzz/artifacts/<target>/`, and the command then fails.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Instant;

use crate::cmd;
use crate::{Result, project_root};

/// Every fuzz target of `fuzz/Cargo.toml`.
pub const TARGETS: [&str; 6] = [
    "decode",
    "nik",
    "citizen_bodies",
    "vault_open",
    "roster_csv",
    "registry_csv",
];

const DEFAULT_INPUTS: u64 = 100_000;

struct Options {
    inputs: u64,
    seconds: Option<u64>,
    targets: Vec<String>,
}

/// What one libFuzzer run reported.
#[derive(Debug, Default, PartialEq)]
struct Stats {
    inputs: u64,
    exec_per_sec: Option<u64>,
    artifact: Option<String>,
}

pub fn run(args: &[String]) -> Result {
    let options = parse_args(args)?;
    ensure_cargo_fuzz()?;
    cmd::run(fuzz_command().args(["build", "-s", "none"]))?;
    let mut failed = Vec::new();
    let mut lines = Vec::new();
    for target in &options.targets {
        let (stats, seconds, crashed) = run_target(target, &options)?;
        let rate = rate(&stats, seconds);
        let crashes = u32::from(crashed);
        let summary = format!(
            "{target:<15} {:>12} inputs {seconds:>9.1} s {rate:>11.0} inputs/s {crashes} crashes",
            stats.inputs
        );
        let json = format!(
            "{{\"target\":\"{target}\",\"inputs\":{},\"seconds\":{seconds:.1},\"inputs_per_sec\":{rate:.0},\"crashes\":{crashes},\"artifact\":{}}}",
            stats.inputs,
            stats
                .artifact
                .as_ref()
                .map_or_else(|| "null".to_owned(), |a| format!("{a:?}"))
        );
        eprintln!("  {summary}");
        lines.push((summary, json));
        if crashed {
            failed.push(format!(
                "{target} ({})",
                stats.artifact.as_deref().unwrap_or("no artifact")
            ));
        }
    }
    println!("\nfuzz: hasil (results)");
    for (summary, _) in &lines {
        println!("  {summary}");
    }
    for (_, json) in &lines {
        println!("{json}");
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "fuzz menemukan crash (crashes found): {}; reproduce with \
             `RUSTC_BOOTSTRAP=1 cargo fuzz run <target> -s none <artifact>`",
            failed.join(", ")
        ))
    }
}

fn parse_args(args: &[String]) -> Result<Options> {
    let mut options = Options {
        inputs: DEFAULT_INPUTS,
        seconds: None,
        targets: Vec::new(),
    };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let mut value = |name: &str| {
            args.next()
                .cloned()
                .ok_or_else(|| format!("{name} perlu nilai (needs a value)"))
        };
        match arg.as_str() {
            "--inputs" => {
                options.inputs = number(&value("--inputs")?)?;
            }
            "--seconds" => options.seconds = Some(number(&value("--seconds")?)?),
            "--target" => {
                let target = value("--target")?;
                if !TARGETS.contains(&target.as_str()) {
                    return Err(format!(
                        "target tidak dikenal (unknown target) {target:?}; targets: {}",
                        TARGETS.join(", ")
                    ));
                }
                options.targets.push(target);
            }
            other => {
                return Err(format!(
                    "argumen tidak dikenal (unknown argument) {other:?}; usage: cargo xtask fuzz \
                     [--inputs N] [--seconds S] [--target T]..."
                ));
            }
        }
    }
    if options.targets.is_empty() {
        options.targets = TARGETS.iter().map(|t| (*t).to_owned()).collect();
    }
    Ok(options)
}

/// A count such as `100000`, `1e8` or `100_000_000`.
fn number(text: &str) -> Result<u64> {
    let plain = text.replace('_', "");
    if let Some((mantissa, exponent)) = plain.split_once(['e', 'E']) {
        let (Ok(m), Ok(e)) = (mantissa.parse::<u64>(), exponent.parse::<u32>()) else {
            return Err(format!("bukan bilangan (not a number): {text:?}"));
        };
        return 10u64
            .checked_pow(e)
            .and_then(|p| p.checked_mul(m))
            .ok_or_else(|| format!("terlalu besar (too large): {text:?}"));
    }
    plain
        .parse()
        .map_err(|_| format!("bukan bilangan (not a number): {text:?}"))
}

fn ensure_cargo_fuzz() -> Result {
    let installed = cmd::cargo()
        .args(["fuzz", "--version"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if installed {
        return Ok(());
    }
    eprintln!("  -> memasang (installing) cargo-fuzz (a few minutes, once)");
    cmd::run(cmd::cargo().args(["install", "cargo-fuzz", "--locked"]))
}

/// `cargo fuzz` on stable Rust: cargo-fuzz passes nightly flags, which RUSTC_BOOTSTRAP allows.
fn fuzz_command() -> Command {
    let mut command = cmd::cargo();
    command.arg("fuzz").env("RUSTC_BOOTSTRAP", "1");
    command
}

/// Runs one target; its stats, the wall-clock seconds, and whether it crashed.
fn run_target(target: &str, options: &Options) -> Result<(Stats, f64, bool)> {
    let root = project_root();
    let corpus = root.join("fuzz/corpus").join(target);
    let seeds = root.join("fuzz/seeds").join(target);
    std::fs::create_dir_all(&corpus).map_err(|e| format!("{}: {e}", corpus.display()))?;
    let mut command = fuzz_command();
    command
        .args(["run", target, "-s", "none"])
        .arg(&corpus)
        .args(seeds.is_dir().then_some(&seeds))
        .arg("--")
        .arg(format!("-runs={}", options.inputs))
        .arg("-print_final_stats=1");
    if let Some(seconds) = options.seconds {
        command.arg(format!("-max_total_time={seconds}"));
    }
    // glibc raises its mmap threshold after freeing a large block, so the 19 MiB of each of
    // vault_open's Argon2id runs then come from the heap, which fragments: its RSS climbed
    // to 825 MB in 15,000 inputs and would hit libFuzzer's 2 GB limit as a false
    // out-of-memory crash. Pinning the threshold at glibc's default keeps it at 47 MB.
    command.env("MALLOC_MMAP_THRESHOLD_", "131072");
    command.stdout(Stdio::null()).stderr(Stdio::piped());
    eprintln!("\n  $ {}", cmd::describe(&command));
    let started = Instant::now();
    let mut child = command
        .spawn()
        .map_err(|e| format!("tidak dapat menjalankan cargo fuzz (cannot start): {e}"))?;
    let mut log = String::new();
    if let Some(stderr) = child.stderr.take() {
        for line in BufReader::new(stderr)
            .lines()
            .map_while(std::result::Result::ok)
        {
            if is_worth_showing(&line) {
                eprintln!("    {line}");
            }
            log.push_str(&line);
            log.push('\n');
        }
    }
    let status = child
        .wait()
        .map_err(|e| format!("cargo fuzz run {target}: {e}"))?;
    let seconds = started.elapsed().as_secs_f64();
    let stats = parse_stats(&log);
    let crashed = !status.success();
    if crashed && stats.artifact.is_none() {
        // Not a crash libFuzzer caught: the build or the runner failed. Show why.
        eprintln!("{log}");
        return Err(format!(
            "cargo fuzz run {target} gagal (failed) with {status}"
        ));
    }
    Ok((stats, seconds, crashed))
}

/// Inputs per second: libFuzzer's own figure (which leaves out the start-up) once the run is
/// long enough for its whole-second clock, else the wall clock's.
fn rate(stats: &Stats, seconds: f64) -> f64 {
    match stats.exec_per_sec {
        Some(r) if r > 0 && seconds >= 10.0 => r as f64,
        _ => stats.inputs as f64 / seconds.max(1e-3),
    }
}

fn is_worth_showing(line: &str) -> bool {
    [
        "pulse", "DONE", "INITED", "panicked", "SUMMARY", "artifact", "ERROR", "error",
    ]
    .iter()
    .any(|word| line.contains(word))
}

/// Reads libFuzzer's final stats (`-print_final_stats=1`) and a crash's artifact path.
fn parse_stats(log: &str) -> Stats {
    let mut stats = Stats::default();
    let mut done_inputs = None;
    for line in log.lines() {
        let value = |prefix: &str| {
            line.strip_prefix(prefix)
                .and_then(|v| v.trim().parse().ok())
        };
        if let Some(n) = value("stat::number_of_executed_units:") {
            stats.inputs = n;
        } else if let Some(n) = value("stat::average_exec_per_sec:") {
            stats.exec_per_sec = Some(n);
        } else if let Some(rest) = line.strip_prefix("Done ") {
            // "Done 100000 runs in 12 second(s)"
            done_inputs = rest.split_whitespace().next().and_then(|n| n.parse().ok());
        } else if let Some(at) = line.find("Test unit written to ") {
            stats.artifact = Some(line[at + "Test unit written to ".len()..].trim().to_owned());
        } else if line.starts_with('#') && line.contains("DONE") {
            // "#100000	DONE   cov: 1234 ft: 5678 corp: 90/1234b lim: 4096 exec/s: 8000 rss: 50Mb"
            done_inputs = line[1..]
                .split_whitespace()
                .next()
                .and_then(|n| n.parse().ok());
        }
    }
    if stats.inputs == 0 {
        stats.inputs = done_inputs.unwrap_or(0);
    }
    stats
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn final_stats_and_artifacts_are_read_from_the_libfuzzer_log() {
        let log = "#2\tINITED cov: 10 ft: 10 corp: 1/1b exec/s: 0 rss: 30Mb\n\
                   #100000\tDONE   cov: 1234 ft: 5678 corp: 90/1234b lim: 4096 exec/s: 8000 rss: 50Mb\n\
                   Done 100000 runs in 12 second(s)\n\
                   stat::number_of_executed_units: 100000\n\
                   stat::average_exec_per_sec:     8000\n\
                   stat::peak_rss_mb:              50\n";
        assert_eq!(
            parse_stats(log),
            Stats {
                inputs: 100_000,
                exec_per_sec: Some(8000),
                artifact: None,
            }
        );
        let crash = "==1== ERROR: libFuzzer: deadly signal\n\
                     artifact_prefix='/w/fuzz/artifacts/nik/'; Test unit written to /w/fuzz/artifacts/nik/crash-ab12\n\
                     stat::number_of_executed_units: 77\n";
        let stats = parse_stats(crash);
        assert_eq!(stats.inputs, 77);
        assert_eq!(
            stats.artifact.as_deref(),
            Some("/w/fuzz/artifacts/nik/crash-ab12")
        );
    }

    #[test]
    fn input_counts_take_powers_of_ten_and_underscores() {
        assert_eq!(number("100000"), Ok(100_000));
        assert_eq!(number("1e8"), Ok(100_000_000));
        assert_eq!(number("100_000_000"), Ok(100_000_000));
        assert!(number("lots").is_err());
        assert!(number("1e30").is_err());
    }
}
