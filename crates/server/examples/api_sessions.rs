//! Logged-in sessions for the logged-in schemathesis runs of issue 19 (`cargo xtask test` and
//! `cargo xtask bench api`): against an `ikd serve` whose database `ikd demo` filled, it logs in
//! the three demo officers (password, then the TOTP code `ikd officer totp-code` prints for
//! demo accounts) and makes one activated citizen the way a person gets one (a desk token from
//! the demo officer's own desk, a solved captcha, registration with a selfie, the officer's
//! approval, the activation code read from the outbox, activation with a password). Prints one
//! JSON line: role → `name=value` for a Cookie header.
//!
//!   target/debug/examples/api_sessions --addr 127.0.0.1:PORT --data-dir DIR --ikd target/debug/ikd

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use clap::Parser;
use ikd_core::Sex;
use ikd_core::captcha::{self, Challenge};
use ikd_server::registry::portrait;
use serde_json::{Value, json};

#[path = "shared/http_client.rs"]
mod http_client;
use http_client::{Http, Request};

/// The demo officers `ikd demo` creates (published demo passwords, `cli/demo.rs`).
const OFFICERS: [(&str, &str, &str); 3] = [
    ("officer", "petugas.depok", "demo-petugas-2026"),
    ("supervisor", "penyelia.depok", "demo-penyelia-2026"),
    ("admin", "admin.jabar", "demo-admin-jabar-2026"),
];
const CITIZEN_PASSWORD: &str = "kuda-lari-di-sawah-42";

#[derive(Debug, Parser)]
#[command(about = "Logs in a citizen and the demo officers; prints their session cookies as JSON")]
struct Args {
    /// The service's address (host:port).
    #[arg(long)]
    addr: String,
    /// The service's data dir (its outbox and, for `ikd officer totp-code`, its database).
    #[arg(long)]
    data_dir: PathBuf,
    /// The `ikd` binary, for `ikd demo` and `ikd officer totp-code`.
    #[arg(long, default_value = "target/debug/ikd")]
    ikd: PathBuf,
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<()> {
    let args = Args::parse();
    let mut cookies = serde_json::Map::new();
    for (role, username, password) in OFFICERS {
        let cookie = officer_log_in(&args, username, password)
            .await
            .with_context(|| format!("{username} logs in"))?;
        cookies.insert(role.to_owned(), Value::String(cookie));
    }
    let officer = cookies["officer"].as_str().context("officer")?.to_owned();
    let citizen = activated_citizen(&args, &officer)
        .await
        .context("an activated citizen")?;
    cookies.insert("citizen".to_owned(), Value::String(citizen));
    println!("{}", Value::Object(cookies));
    Ok(())
}

fn ikd(args: &Args, words: &[&str]) -> Result<String> {
    let out = Command::new(&args.ikd)
        .args(words)
        .arg("--data-dir")
        .arg(&args.data_dir)
        .env_remove("IKD_DATABASE_URL")
        .output()
        .with_context(|| format!("run {}", args.ikd.display()))?;
    if !out.status.success() {
        bail!(
            "ikd {words:?}: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(String::from_utf8(out.stdout)?)
}

async fn officer_log_in(args: &Args, username: &str, password: &str) -> Result<String> {
    let body = json!({"username": username, "password": password});
    let reply = Http::new(&args.addr)
        .send(&Request::post("/api/officer/session", &body))
        .await?;
    reply.expect(200, "password")?;
    let step = reply
        .cookie("__Host-ikd_petugas_langkah")
        .context("login-step cookie")?;
    // A code is accepted once; the next 30 s step gives a fresh one if a code was spent.
    let deadline = Instant::now() + Duration::from_secs(70);
    loop {
        let code = ikd(args, &["officer", "totp-code", "--username", username])?;
        let reply = Http::new(&args.addr)
            .send(
                &Request::post(
                    "/api/officer/second-factor/totp",
                    &json!({"code": code.trim()}),
                )
                .with_cookie(&step),
            )
            .await?;
        if reply.status == 200 {
            return reply.cookie("__Host-ikd_petugas").context("officer cookie");
        }
        if Instant::now() > deadline {
            reply.expect(200, "second factor")?;
        }
        tokio::time::sleep(Duration::from_secs(2)).await;
    }
}

async fn activated_citizen(args: &Args, officer: &str) -> Result<String> {
    let demo = ikd(args, &["demo", "--citizens", "1"])?;
    let (nik, email, phone) = demo
        .lines()
        .find_map(|line| {
            let words: Vec<&str> = line.split_whitespace().collect();
            match words[..] {
                [nik, email, phone, ..]
                    if nik.len() == 16
                        && nik.bytes().all(|b| b.is_ascii_digit())
                        && email.contains('@') =>
                {
                    Some((nik.to_owned(), email.to_owned(), phone.to_owned()))
                }
                _ => None,
            }
        })
        .with_context(|| format!("no registrable citizen in `ikd demo`:\n{demo}"))?;

    let mut http = Http::new(&args.addr);
    let desk = http
        .send(
            &Request::post(
                "/api/desks",
                &json!({"kind": "desk", "label": "Schemathesis"}),
            )
            .with_cookie(officer),
        )
        .await?
        .expect(201, "open desk")?["id"]
        .as_i64()
        .context("desk id")?;
    let token = http
        .send(&Request::get(&format!("/api/desks/{desk}/token")).with_cookie(officer))
        .await?
        .expect(200, "desk token")?["qrText"]
        .as_str()
        .context("qrText")?
        .to_owned();
    let selfie = STANDARD.encode(portrait::portrait_jpeg_sized(
        7,
        Sex::Female,
        30,
        240,
        320,
        85,
    ));
    let body = json!({
        "nik": nik,
        "email": email,
        "phone": phone,
        "selfieJpeg": selfie,
        "deskToken": token,
        "captcha": solved_captcha(&mut http).await?,
    });
    let id = http
        .send(&Request::post("/api/registrations", &body))
        .await?
        .expect(202, "registration")?["registrationId"]
        .as_str()
        .context("registration id")?
        .to_owned();
    http.send(
        &Request::post(
            &format!("/api/officer/registrations/{id}/decision"),
            &json!({"approve": true}),
        )
        .with_cookie(officer),
    )
    .await?
    .expect(200, "approval")?;

    let code = activation_code(&args.data_dir.join("outbox"), &email).await?;
    let body = json!({
        "nik": nik,
        "code": code,
        "password": CITIZEN_PASSWORD,
        "deviceId": "schemathesis-device",
        "captcha": solved_captcha(&mut http).await?,
    });
    let reply = http.send(&Request::post("/api/activation", &body)).await?;
    reply.expect(200, "activation")?;
    reply.cookie("__Host-ikd_sesi").context("session cookie")
}

async fn solved_captcha(http: &mut Http) -> Result<Value> {
    let challenge: Challenge = serde_json::from_value(
        http.send(&Request::post_empty("/api/captcha"))
            .await?
            .expect(200, "captcha")?,
    )?;
    let solution = tokio::task::spawn_blocking(move || captcha::solve(&challenge))
        .await?
        .context("an unsolvable captcha")?;
    Ok(serde_json::to_value(solution)?)
}

/// The 8-character code of the activation mail to `email`, waiting for the mail worker.
async fn activation_code(outbox: &Path, email: &str) -> Result<String> {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        for path in std::fs::read_dir(outbox)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
        {
            let Ok(mail) = std::fs::read_to_string(&path) else {
                continue;
            };
            if !mail.lines().any(|line| {
                line.strip_prefix("To: ")
                    .is_some_and(|to| to.contains(email))
            }) {
                continue;
            }
            let marker = if mail.contains("Content-Transfer-Encoding: quoted-printable") {
                "kode=3D"
            } else {
                "kode="
            };
            if let Some(code) = mail
                .split_once(marker)
                .map(|(_, rest)| rest.chars().take(8).collect::<String>())
                .filter(|c| c.len() == 8 && c.chars().all(|c| c.is_ascii_alphanumeric()))
            {
                return Ok(code);
            }
        }
        if Instant::now() > deadline {
            bail!("no activation mail to {email} in {}", outbox.display());
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
}
