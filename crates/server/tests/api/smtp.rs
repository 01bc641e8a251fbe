//! The SMTP path of the mailer against a real SMTP listener on loopback: a small server that
//! speaks the protocol (greeting, EHLO, MAIL, RCPT, DATA, QUIT) and keeps what it receives.

use std::sync::{Arc, Mutex};

use ikd_server::platform::mailer::Mailer;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

use crate::fixtures::*;
use crate::support::TestApp;

#[derive(Debug, Default, Clone)]
struct Received {
    envelope_to: Vec<String>,
    data: String,
}

/// Accepts SMTP sessions until the test ends; each message is pushed to `inbox`.
async fn smtp_server() -> (u16, Arc<Mutex<Vec<Received>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let inbox = Arc::new(Mutex::new(Vec::new()));
    let store = inbox.clone();
    tokio::spawn(async move {
        loop {
            let Ok((socket, _)) = listener.accept().await else {
                return;
            };
            let store = store.clone();
            tokio::spawn(async move {
                let (read, mut write) = socket.into_split();
                let mut lines = BufReader::new(read).lines();
                let mut current = Received::default();
                let _ = write.write_all(b"220 loopback ESMTP test\r\n").await;
                while let Ok(Some(line)) = lines.next_line().await {
                    let upper = line.to_ascii_uppercase();
                    let reply: &[u8] = if upper.starts_with("EHLO") || upper.starts_with("HELO") {
                        b"250-loopback\r\n250 8BITMIME\r\n"
                    } else if upper.starts_with("MAIL FROM") {
                        b"250 OK\r\n"
                    } else if upper.starts_with("RCPT TO") {
                        current.envelope_to.push(line[8..].trim().to_owned());
                        b"250 OK\r\n"
                    } else if upper == "DATA" {
                        let _ = write
                            .write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                            .await;
                        while let Ok(Some(data_line)) = lines.next_line().await {
                            if data_line == "." {
                                break;
                            }
                            current.data.push_str(&data_line);
                            current.data.push('\n');
                        }
                        store
                            .lock()
                            .expect("inbox")
                            .push(std::mem::take(&mut current));
                        b"250 OK queued\r\n"
                    } else if upper.starts_with("QUIT") {
                        let _ = write.write_all(b"221 Bye\r\n").await;
                        return;
                    } else if upper.starts_with("RSET") || upper.starts_with("NOOP") {
                        b"250 OK\r\n"
                    } else {
                        b"502 Command not implemented\r\n"
                    };
                    if write.write_all(reply).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    (port, inbox)
}

#[tokio::test]
async fn the_activation_code_travels_over_smtp_and_activates() {
    let (port, inbox) = smtp_server().await;
    let app = TestApp::with_config(|config| {
        config.mailer = Mailer::smtp_from_url(&format!("smtp://127.0.0.1:{port}")).expect("url");
    })
    .await;
    seed_registry(&app).await;
    let (officer, desk) = open_desk(&app).await;
    let citizen = eligible_citizens(&app, 1).await.remove(0);
    registered_and_approved(&app, &officer, desk, &citizen).await;

    assert!(
        emails_to(&app, &citizen.email).is_empty(),
        "nothing in the outbox"
    );
    let received = inbox.lock().expect("inbox").clone();
    assert_eq!(received.len(), 1);
    assert_eq!(
        received[0].envelope_to,
        vec![format!("<{}>", citizen.email)]
    );
    let data = &received[0].data;
    assert!(data.contains("Subject: Kode aktivasi IKD"), "{data}");
    let code = code_in_mail(data);
    assert_eq!(
        activate(&app, &citizen, &code, "device-aaaaaaaaaaaa")
            .await
            .status(),
        200
    );
}

#[tokio::test]
async fn an_unreachable_mail_server_does_not_lose_the_decision() {
    // A port nobody listens on: the approval stands and says the email was not sent.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = closed.local_addr().expect("addr").port();
    drop(closed);
    let app = TestApp::with_config(|config| {
        config.mailer = Mailer::Smtp {
            host: "127.0.0.1".into(),
            port,
        };
    })
    .await;
    seed_registry(&app).await;
    let (officer, desk) = open_desk(&app).await;
    let citizen = eligible_citizens(&app, 1).await.remove(0);
    let id = registered(&app, &officer, desk, &citizen).await;
    let response = decide(&app, &officer, &id, serde_json::json!({"approve": true})).await;
    assert_eq!(response.status(), 200);
    let outcome = crate::support::body_json(response).await;
    assert_eq!(outcome["status"], "approved");
    assert_eq!(outcome["emailSent"], false);
}
