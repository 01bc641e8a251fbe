//! `ikd officer add`: the command operators use to create officer accounts.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn ikd(data_dir: &std::path::Path, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ikd"))
        .args(args)
        .arg("--data-dir")
        .arg(data_dir)
        .env_remove("IKD_DATABASE_URL")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn ikd");
    if let Some(text) = stdin {
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(text.as_bytes())
            .expect("write stdin");
    }
    child.wait_with_output().expect("ikd output")
}

fn last_json_line(output: &Output) -> serde_json::Value {
    let stdout = String::from_utf8_lossy(&output.stdout);
    let line = stdout.lines().last().expect("a line on stdout");
    serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"))
}

const ADD: &[&str] = &[
    "officer",
    "add",
    "--username",
    "budi.s",
    "--name",
    "Budi Santoso",
    "--role",
    "supervisor",
    "--region",
    "32.76",
];

#[test]
fn adding_an_officer_prints_a_generated_password_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let output = ikd(dir.path(), ADD, None);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let answer = last_json_line(&output);
    assert_eq!(answer["username"], "budi.s");
    assert_eq!(answer["role"], "supervisor");
    assert_eq!(answer["regionCode"], "32.76");
    assert_eq!(answer["password"].as_str().expect("password").len(), 19);
}

#[test]
fn a_password_from_stdin_is_used_and_not_echoed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut args = ADD.to_vec();
    args.push("--password-stdin");
    let output = ikd(dir.path(), &args, Some("rahasia-loket-depok\n"));
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let answer = last_json_line(&output);
    assert!(answer.get("password").is_none(), "{answer}");
    assert!(!String::from_utf8_lossy(&output.stdout).contains("rahasia-loket-depok"));
}

#[test]
fn a_duplicate_username_exits_1_with_its_code() {
    let dir = tempfile::tempdir().expect("tempdir");
    assert_eq!(ikd(dir.path(), ADD, None).status.code(), Some(0));
    let output = ikd(dir.path(), ADD, None);
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let answer = last_json_line(&output);
    assert_eq!(answer["error"], "duplicate");
    assert!(
        answer["message"]
            .as_str()
            .expect("message")
            .contains("sudah dipakai")
    );
}

#[test]
fn an_unknown_role_is_a_usage_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let output = ikd(
        dir.path(),
        &[
            "officer",
            "add",
            "--username",
            "x.y",
            "--name",
            "X",
            "--role",
            "root",
            "--region",
            "32",
        ],
        None,
    );
    assert_eq!(output.status.code(), Some(2), "{output:?}");
}
