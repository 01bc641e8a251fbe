//! What the tests that drive `ikd serve` over HTTP share: a deliberately small HTTP/1.1 client
//! (one request per connection), the captcha, an officer's login with a TOTP second factor and
//! the activation mail in an outbox. Included with `#[path]` by the tests that need it.

// Each test crate that includes this uses a part of it.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

/// Waits up to 30 s for something to listen on `port`.
pub fn wait_for_listener(port: u16) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("nothing listens on port {port}");
}

/// The answer to one HTTP/1.1 request: status, headers (lower-case names), body.
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn cookie(&self, name: &str) -> String {
        self.headers
            .iter()
            .filter(|(k, _)| k == "set-cookie")
            .find_map(|(_, v)| {
                v.split(';')
                    .next()
                    .filter(|p| p.starts_with(&format!("{name}=")))
            })
            .unwrap_or_else(|| panic!("no {name} cookie"))
            .to_owned()
    }
}

/// One request with `Connection: close`; `extra` adds headers (such as `X-Forwarded-For`).
pub fn http(
    port: u16,
    method: &str,
    path: &str,
    body: Option<&Value>,
    cookie: Option<&str>,
    extra: &[(&str, &str)],
) -> Answer {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .expect("timeout");
    let payload = body
        .map(|b| serde_json::to_vec(b).expect("json"))
        .unwrap_or_default();
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
    if body.is_some() {
        head.push_str(&format!(
            "Content-Type: application/json\r\nContent-Length: {}\r\n",
            payload.len()
        ));
    }
    if let Some(cookie) = cookie {
        head.push_str(&format!("Cookie: {cookie}\r\n"));
    }
    for (name, value) in extra {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).expect("write");
    stream.write_all(&payload).expect("write body");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read");
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("header end");
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .expect("status line")
        .split(' ')
        .nth(1)
        .expect("code")
        .parse()
        .expect("number");
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    if headers
        .iter()
        .any(|(k, v)| k == "transfer-encoding" && v.contains("chunked"))
    {
        body = dechunk(&body);
    }
    Answer {
        status,
        headers,
        body,
    }
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(line_end) = data.windows(2).position(|w| w == b"\r\n") {
        let size = usize::from_str_radix(String::from_utf8_lossy(&data[..line_end]).trim(), 16)
            .unwrap_or(0);
        if size == 0 {
            break;
        }
        out.extend_from_slice(&data[line_end + 2..line_end + 2 + size]);
        data = &data[line_end + 2 + size + 2..];
    }
    out
}

/// A solved proof-of-work captcha from the service on `port`.
pub fn captcha(port: u16) -> Value {
    let challenge = http(port, "POST", "/api/captcha", Some(&json!({})), None, &[]);
    assert_eq!(challenge.status, 200);
    let challenge = serde_json::from_value(challenge.json()).expect("challenge");
    serde_json::to_value(ikd_core::captcha::solve(&challenge).expect("solvable")).expect("json")
}

/// A new officer's session: the password opens the login step, a TOTP enrolment and its
/// current code finish it. Returns the `__Host-ikd_petugas` cookie.
pub fn officer_session(port: u16, username: &str, password: &str) -> String {
    let login = http(
        port,
        "POST",
        "/api/officer/session",
        Some(&json!({"username": username, "password": password})),
        None,
        &[],
    );
    assert_eq!(login.status, 200, "{}", login.text());
    let step = login.cookie("__Host-ikd_petugas_langkah");
    let enrolment = http(
        port,
        "POST",
        "/api/officer/second-factor/totp-enrolment",
        None,
        Some(&step),
        &[],
    )
    .json();
    let secret = data_encoding::BASE32_NOPAD
        .decode(enrolment["secret"].as_str().expect("secret").as_bytes())
        .expect("base32");
    let code = ikd_server::platform::totp::code_at_step(
        &secret,
        ikd_server::platform::totp::step_of(ikd_server::platform::clock::unix_now()),
    );
    let second = http(
        port,
        "POST",
        "/api/officer/second-factor/totp",
        Some(&json!({"code": code})),
        Some(&step),
        &[],
    );
    assert_eq!(second.status, 200, "{}", second.text());
    second.cookie("__Host-ikd_petugas")
}

/// The code of the newest activation mail to `to` in the outboxes; mail is sent by the
/// service's worker a moment after the approval, so this waits for it.
pub fn newest_code(outboxes: &[PathBuf], to: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(code) = code_in_outboxes(outboxes, to) {
            return code;
        }
        assert!(Instant::now() < deadline, "no activation email to {to}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn code_in_outboxes(outboxes: &[PathBuf], to: &str) -> Option<String> {
    let mut mails: Vec<(std::time::SystemTime, String)> = outboxes
        .iter()
        .filter_map(|dir| std::fs::read_dir(dir).ok())
        .flatten()
        .filter_map(Result::ok)
        .filter_map(|e| {
            Some((
                e.metadata().ok()?.modified().ok()?,
                std::fs::read_to_string(e.path()).ok()?,
            ))
        })
        .filter(|(_, text)| text.contains(&format!("To: {to}")))
        .collect();
    mails.sort_by_key(|(at, _)| *at);
    let mail = &mails.last()?.1;
    let start = mail.find("kode=")? + 5;
    mail.get(start..start + 8).map(str::to_owned)
}
