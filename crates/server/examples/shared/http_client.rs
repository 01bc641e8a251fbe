//! A small HTTP/1.1 client for the benchmarks: keep-alive, Content-Length or chunked answers,
//! nothing else. Used by `crash_harness` through `#[path]`; `load_bench` keeps its own copy
//! (the same code, with its body trimming), so its figures do not move.

// Each user takes what it needs.
#![allow(dead_code)]

use std::sync::atomic::{AtomicU32, Ordering};

use anyhow::{Context, Result, ensure};
use serde_json::Value;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

#[derive(Debug, Clone)]
pub struct Request {
    pub method: &'static str,
    pub path: String,
    pub cookie: Option<String>,
    pub forwarded_for: Option<String>,
    pub body: Option<Vec<u8>>,
}

impl Request {
    pub fn get(path: &str) -> Self {
        Request {
            method: "GET",
            path: path.to_owned(),
            cookie: None,
            forwarded_for: None,
            body: None,
        }
    }

    pub fn post(path: &str, body: &Value) -> Self {
        Request {
            method: "POST",
            body: Some(body.to_string().into_bytes()),
            ..Request::get(path)
        }
    }

    pub fn post_empty(path: &str) -> Self {
        Request {
            method: "POST",
            body: Some(Vec::new()),
            ..Request::get(path)
        }
    }

    pub fn with_cookie(mut self, cookie: &str) -> Self {
        self.cookie = Some(cookie.to_owned());
        self
    }

    /// Sends the request from a new synthetic client address, as a reverse proxy would name
    /// it, so per-address limits never refuse the bench (16 million addresses in 10/8).
    pub fn with_new_client(mut self) -> Self {
        static NEXT_CLIENT: AtomicU32 = AtomicU32::new(1);
        let [_, a, b, c] = NEXT_CLIENT.fetch_add(1, Ordering::Relaxed).to_be_bytes();
        self.forwarded_for = Some(format!("10.{a}.{b}.{c}"));
        self
    }

    fn encode(&self, host: &str) -> Vec<u8> {
        let mut head = format!("{} {} HTTP/1.1\r\nHost: {host}\r\n", self.method, self.path);
        if let Some(cookie) = &self.cookie {
            head.push_str(&format!("Cookie: {cookie}\r\n"));
        }
        if let Some(ip) = &self.forwarded_for {
            head.push_str(&format!("X-Forwarded-For: {ip}\r\n"));
        }
        if let Some(body) = &self.body {
            head.push_str(&format!(
                "Content-Type: application/json\r\nContent-Length: {}\r\n",
                body.len()
            ));
        }
        head.push_str("\r\n");
        let mut bytes = head.into_bytes();
        bytes.extend_from_slice(self.body.as_deref().unwrap_or_default());
        bytes
    }
}

#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub set_cookies: Vec<String>,
    pub body: Vec<u8>,
    pub body_len: usize,
}

impl Reply {
    pub fn json(&self) -> Option<Value> {
        serde_json::from_slice(&self.body).ok()
    }

    /// The body as JSON when the status is the expected one; otherwise an error naming both.
    pub fn expect(&self, status: u16, what: &str) -> Result<Value> {
        ensure!(
            self.status == status,
            "{what}: HTTP {} {}",
            self.status,
            String::from_utf8_lossy(&self.body)
        );
        self.json()
            .with_context(|| format!("{what}: answer is not JSON"))
    }

    /// `name=value` of a Set-Cookie, ready for a Cookie header.
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.set_cookies
            .iter()
            .filter_map(|c| c.split(';').next())
            .find(|pair| {
                pair.split_once('=')
                    .is_some_and(|(key, _)| key.trim() == name)
            })
            .map(|pair| pair.trim().to_owned())
    }
}

/// One keep-alive connection, reopened when the service has closed it.
pub struct Http {
    addr: String,
    conn: Option<BufReader<TcpStream>>,
}

impl Http {
    pub fn new(addr: &str) -> Self {
        Http {
            addr: addr.to_owned(),
            conn: None,
        }
    }

    pub async fn connect(&mut self) -> std::io::Result<&mut BufReader<TcpStream>> {
        if self.conn.is_none() {
            let stream = TcpStream::connect(&self.addr).await?;
            stream.set_nodelay(true)?;
            self.conn = Some(BufReader::new(stream));
        }
        self.conn
            .as_mut()
            .ok_or_else(|| std::io::Error::other("no connection"))
    }

    pub async fn send(&mut self, request: &Request) -> std::io::Result<Reply> {
        let bytes = request.encode(&self.addr);
        let reused = self.conn.is_some();
        match self.exchange(&bytes).await {
            // A keep-alive connection the service closed while it sat idle: nothing was
            // read from it, so sending again on a new connection is safe.
            Err(err) if reused && is_stale_connection(&err) => self.exchange(&bytes).await,
            other => other,
        }
    }

    async fn exchange(&mut self, bytes: &[u8]) -> std::io::Result<Reply> {
        let conn = self.connect().await?;
        let answer = match conn.get_mut().write_all(bytes).await {
            Ok(()) => read_reply(conn).await,
            Err(err) => Err(err),
        };
        match answer {
            Ok((reply, keep_alive)) => {
                if !keep_alive {
                    self.conn = None;
                }
                Ok(reply)
            }
            Err(err) => {
                self.conn = None;
                Err(err)
            }
        }
    }
}

fn is_stale_connection(err: &std::io::Error) -> bool {
    use std::io::ErrorKind::{BrokenPipe, ConnectionAborted, ConnectionReset, UnexpectedEof};
    matches!(
        err.kind(),
        BrokenPipe | ConnectionAborted | ConnectionReset | UnexpectedEof
    )
}

/// Reads one answer; the flag says whether the connection may be used again.
async fn read_reply(conn: &mut BufReader<TcpStream>) -> std::io::Result<(Reply, bool)> {
    let status_line = read_line(conn).await?;
    let status = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse::<u16>().ok())
        .ok_or_else(|| bad_answer(&format!("status line {status_line:?}")))?;
    let (mut length, mut chunked, mut keep_alive) = (None, false, true);
    let mut set_cookies = Vec::new();
    loop {
        let line = read_line(conn).await?;
        if line.is_empty() {
            break;
        }
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim();
        match name.trim().to_ascii_lowercase().as_str() {
            "content-length" => length = value.parse::<usize>().ok(),
            "transfer-encoding" => chunked = value.to_ascii_lowercase().contains("chunked"),
            "connection" => keep_alive = !value.eq_ignore_ascii_case("close"),
            "set-cookie" => set_cookies.push(value.to_owned()),
            _ => {}
        }
    }
    let body = if chunked {
        read_chunked(conn).await?
    } else if let Some(length) = length {
        let mut body = vec![0; length];
        conn.read_exact(&mut body).await?;
        body
    } else {
        // Neither length nor chunks: the body runs to the end of the connection.
        keep_alive = false;
        let mut body = Vec::new();
        conn.read_to_end(&mut body).await?;
        body
    };
    let body_len = body.len();
    Ok((
        Reply {
            status,
            set_cookies,
            body,
            body_len,
        },
        keep_alive,
    ))
}

async fn read_chunked(conn: &mut BufReader<TcpStream>) -> std::io::Result<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let size_line = read_line(conn).await?;
        let size_hex = size_line.split(';').next().unwrap_or_default().trim();
        let size = usize::from_str_radix(size_hex, 16)
            .map_err(|_| bad_answer(&format!("chunk size {size_line:?}")))?;
        if size == 0 {
            // Trailers, then the empty line that ends the message.
            while !read_line(conn).await?.is_empty() {}
            return Ok(body);
        }
        let start = body.len();
        body.resize(start + size, 0);
        conn.read_exact(&mut body[start..]).await?;
        read_line(conn).await?;
    }
}

/// One header line without its CRLF; the end of the connection is an error.
async fn read_line(conn: &mut BufReader<TcpStream>) -> std::io::Result<String> {
    let mut line = String::new();
    if conn.read_line(&mut line).await? == 0 {
        return Err(std::io::ErrorKind::UnexpectedEof.into());
    }
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}

fn bad_answer(what: &str) -> std::io::Error {
    std::io::Error::new(
        std::io::ErrorKind::InvalidData,
        format!("unexpected HTTP answer: {what}"),
    )
}
