//! Issue 19, "the mail worker retries without sending twice": two `ikd serve` replicas on one
//! PostgreSQL database share the mail queue, each sending to its own SMTP relay on loopback
//! (one ledger of what the relays accepted). Forty mails are queued at once; the replicas race
//! for them; replica A's relay accepts five from it and then holds the next one (DATA received,
//! no `250` yet) and A is SIGKILLed right then, mid-send. Every mail must be accepted exactly
//! once: the one A was sending is sent by B once A's lease on it ends (`LEASE_SECS`), with the
//! same Message-ID A had given it. So this test waits about two minutes.
//!
//! It runs in the PostgreSQL pass of `cargo xtask test` (`IKD_TEST_BACKEND=postgres`), on a
//! database of its own on the shared cluster; the SQLite pass says so and skips it.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use ikd_server::platform::db::Db;
use ikd_server::platform::mail_queue::{self, LEASE_SECS};
use ikd_server::platform::mailer::OutgoingMail;

#[path = "support/http_journey.rs"]
mod http_journey;
use http_journey::{free_port, wait_for_listener};

#[path = "../examples/shared/fresh_database.rs"]
mod fresh_database;
use fresh_database::FreshDatabase;

const IKD: &str = env!("CARGO_BIN_EXE_ikd");
const KEK: &str = "5b1c5a7e9b2d4f608a1c3e5f7092b4d6e8f0a2c4e6081a3c5e7f9b1d3f5a7c11";
const MAILS: usize = 40;
/// What replica A's relay accepts before it holds the next mail.
const A_ACCEPTS: usize = 5;

/// One mail a relay accepted (`250` sent after its DATA), or held.
#[derive(Debug, Clone)]
struct Seen {
    relay: &'static str,
    subject: String,
    message_id: String,
}

#[derive(Debug, Default)]
struct Ledger {
    accepted: Vec<Seen>,
    held: Vec<Seen>,
}

type Shared = Arc<Mutex<Ledger>>;

/// A plain SMTP relay on loopback. `hold_after`: accept that many, then keep every further
/// DATA unanswered (the connection open) as a relay that is slow to answer would.
fn relay(name: &'static str, ledger: Shared, hold_after: Option<usize>, delay: Duration) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    std::thread::spawn(move || {
        for socket in listener.incoming().flatten() {
            let ledger = ledger.clone();
            std::thread::spawn(move || session(name, socket, &ledger, hold_after, delay));
        }
    });
    port
}

fn session(
    name: &'static str,
    socket: TcpStream,
    ledger: &Shared,
    hold_after: Option<usize>,
    delay: Duration,
) {
    let mut writer = socket.try_clone().expect("clone");
    let mut reader = BufReader::new(socket);
    let mut say = |text: &str| writer.write_all(text.as_bytes()).is_ok();
    if !say("220 relay ESMTP test\r\n") {
        return;
    }
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let upper = line.trim_end().to_ascii_uppercase();
        let answer = if upper.starts_with("EHLO") || upper.starts_with("HELO") {
            "250-relay\r\n250 8BITMIME\r\n"
        } else if upper == "DATA" {
            say("354 go ahead\r\n");
            let (mut subject, mut message_id) = (String::new(), String::new());
            loop {
                line.clear();
                if reader.read_line(&mut line).unwrap_or(0) == 0 {
                    return;
                }
                let text = line.trim_end();
                if text == "." {
                    break;
                }
                if let Some(value) = text.strip_prefix("Subject: ") {
                    subject = value.to_owned();
                }
                let lower = text.to_ascii_lowercase();
                if lower.starts_with("message-id: ") {
                    message_id = text["message-id: ".len()..].to_owned();
                }
            }
            let seen = Seen {
                relay: name,
                subject,
                message_id,
            };
            {
                let mut ledger = ledger.lock().expect("ledger");
                let accepted_here = ledger.accepted.iter().filter(|s| s.relay == name).count();
                if hold_after.is_some_and(|n| accepted_here >= n) {
                    ledger.held.push(seen);
                    drop(ledger);
                    // Never answered: the sender dies waiting, or gives up.
                    let _ = reader.read_line(&mut line);
                    return;
                }
                ledger.accepted.push(seen);
            }
            std::thread::sleep(delay);
            "250 OK queued\r\n"
        } else if upper.starts_with("QUIT") {
            say("221 bye\r\n");
            return;
        } else {
            // MAIL FROM, RCPT TO, RSET, NOOP
            "250 OK\r\n"
        };
        if !say(answer) {
            return;
        }
    }
}

struct Replica(Child);

impl Drop for Replica {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start(data_dir: &Path, database_url: &str, smtp_port: u16) -> Replica {
    let port = free_port();
    std::fs::create_dir_all(data_dir).expect("data dir");
    let child = Command::new(IKD)
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .arg("--data-dir")
        .arg(data_dir)
        .args(["--database-url", database_url])
        .args(["--smtp-url", &format!("smtp://127.0.0.1:{smtp_port}")])
        .arg("--web-dir")
        .arg(data_dir.join("dist"))
        .env("IKD_LOG", "off")
        .env("IKD_KEK", KEK)
        .stdout(Stdio::null())
        .spawn()
        .expect("start ikd serve");
    let replica = Replica(child);
    wait_for_listener(port);
    replica
}

fn wait_until(what: &str, limit: Duration, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + limit;
    while !done() {
        assert!(Instant::now() < deadline, "{what}: not within {limit:?}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_queued_mail_is_accepted_once_though_a_replica_dies_mid_send() {
    if std::env::var("IKD_TEST_BACKEND").as_deref() != Ok("postgres") {
        eprintln!(
            "mail_exactly_once: runs in the PostgreSQL pass (IKD_TEST_BACKEND=postgres), \
             skipped here"
        );
        return;
    }
    let admin = std::env::var("IKD_TEST_POSTGRES_URL").expect("IKD_TEST_POSTGRES_URL");
    let database = FreshDatabase::postgres("ikd_mail_once", &admin)
        .await
        .unwrap_or_else(|e| panic!("fresh database on the PostgreSQL server: {e:#}"));
    let url = database.url().as_str().to_owned();
    let dir = tempfile::tempdir().expect("temp dir");
    let ledger = Shared::default();
    // B's relay answers each mail after 100 ms, so the 40 take B seconds and A joins in.
    let relay_a = relay("a", ledger.clone(), Some(A_ACCEPTS), Duration::ZERO);
    let relay_b = relay("b", ledger.clone(), None, Duration::from_millis(100));
    let mut a = start(&dir.path().join("a"), &url, relay_a);
    let _b = start(&dir.path().join("b"), &url, relay_b);

    let db = Db::connect(&url.parse().expect("url")).await.expect("db");
    let mut tx = db.pool().begin().await.expect("begin");
    for i in 0..MAILS {
        let mail = OutgoingMail {
            to: format!("warga{i}@contoh.test"),
            subject: format!("surat-{i:02}"),
            body: format!("Isi surat {i}."),
        };
        mail_queue::enqueue_in(&mut tx, &mail)
            .await
            .expect("enqueue");
    }
    tx.commit().await.expect("commit");

    // A sends five, then is cut off mid-send: SIGKILL while its relay holds the sixth.
    wait_until("replica A mid-send", Duration::from_secs(30), || {
        !ledger.lock().expect("ledger").held.is_empty()
    });
    a.0.kill().expect("SIGKILL replica A");
    a.0.wait().expect("reaped");
    let held = ledger.lock().expect("ledger").held[0].clone();

    // B sends the rest, and the held one once A's lease on it has ended.
    wait_until(
        "every mail accepted",
        Duration::from_secs(u64::try_from(LEASE_SECS).expect("positive") + 30),
        || ledger.lock().expect("ledger").accepted.len() >= MAILS,
    );
    // A little longer: anything sent twice would show now.
    std::thread::sleep(Duration::from_secs(3));
    let ledger = std::mem::take(&mut *ledger.lock().expect("ledger"));
    let mut per_subject: BTreeMap<&str, Vec<&Seen>> = BTreeMap::new();
    for seen in &ledger.accepted {
        per_subject.entry(&seen.subject).or_default().push(seen);
    }
    assert_eq!(per_subject.len(), MAILS, "{:?}", ledger.accepted);
    for (subject, seen) in &per_subject {
        assert_eq!(seen.len(), 1, "{subject} accepted more than once: {seen:?}");
    }
    let by_relay = |relay| ledger.accepted.iter().filter(|s| s.relay == relay).count();
    assert_eq!(by_relay("a"), A_ACCEPTS, "A raced B for the queue");
    assert_eq!(by_relay("b"), MAILS - A_ACCEPTS);
    let resent = per_subject[held.subject.as_str()][0];
    assert_eq!(resent.relay, "b", "B sent the mail A died sending");
    assert!(!held.message_id.is_empty(), "{held:?}");
    assert_eq!(
        resent.message_id, held.message_id,
        "the attempt after the crash carries the same Message-ID"
    );
    let ids: std::collections::BTreeSet<_> =
        ledger.accepted.iter().map(|s| &s.message_id).collect();
    assert_eq!(ids.len(), MAILS, "one Message-ID per mail");

    assert_eq!(mail_queue::waiting(&db).await.expect("waiting"), 0);
    let attempts: i64 = sqlx::query_scalar(
        "SELECT CAST(SUM(attempts) AS BIGINT) FROM mail_queue WHERE sent_at IS NOT NULL",
    )
    .fetch_one(db.pool())
    .await
    .expect("attempts");
    assert_eq!(
        attempts,
        i64::try_from(MAILS + 1).expect("small"),
        "one attempt each, two for the mail A died sending"
    );
}
