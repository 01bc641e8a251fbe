//! An `ikd serve` process for the end-to-end tests, on a free port with its own data dir.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::{Result, cmd};

#[derive(Debug)]
pub struct ServerProcess {
    child: Child,
    pub base_url: String,
    pub data_dir: PathBuf,
}

impl ServerProcess {
    pub fn start(ikd: &Path, web_dir: &Path, console_dir: &Path) -> Result<Self> {
        let port = cmd::free_port()?;
        let data_dir = std::env::temp_dir().join(format!("ikd-e2e-{}-{port}", std::process::id()));
        std::fs::create_dir_all(&data_dir).map_err(|e| e.to_string())?;
        // The journeys need people in the registry and the demo officers; the drive test
        // needs 45 registrable civil servants, which 10,000 people hold (about 127).
        for args in [
            &["seed", "--count", "10000"][..],
            &["demo", "--citizens", "1"][..],
        ] {
            cmd::run(
                Command::new(ikd)
                    .args(args)
                    .arg("--data-dir")
                    .arg(&data_dir)
                    .env_remove("IKD_DATABASE_URL")
                    .stdout(Stdio::null()),
            )?;
        }
        let listen = format!("127.0.0.1:{port}");
        let mut command = Command::new(ikd);
        command
            .args(["serve", "--listen", &listen])
            .arg("--data-dir")
            .arg(&data_dir)
            .arg("--web-dir")
            .arg(web_dir)
            .arg("--console-dir")
            .arg(console_dir)
            // A temporary SQLite database inside the temporary data dir.
            .env_remove("IKD_DATABASE_URL")
            .stdin(Stdio::null());
        eprintln!("  $ {}", cmd::describe(&command));
        let child = command
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", ikd.display()))?;
        let mut server = ServerProcess {
            child,
            base_url: format!("http://{listen}"),
            data_dir,
        };
        server.wait_until_healthy(&listen)?;
        Ok(server)
    }

    fn wait_until_healthy(&mut self, addr: &str) -> Result {
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(format!("ikd serve exited early with {status}"));
            }
            if health_is_ok(addr) {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        Err(format!(
            "ikd serve did not answer /api/health on {addr} within 60 s"
        ))
    }
}

fn health_is_ok(addr: &str) -> bool {
    let Ok(mut stream) = TcpStream::connect(addr) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let request = format!("GET /api/health HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    if stream.write_all(request.as_bytes()).is_err() {
        return false;
    }
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    answer.starts_with("HTTP/1.1 200")
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.data_dir);
    }
}
