//! The SMTP path of the mailer against a real SMTP listener on loopback: a small server that
//! speaks the protocol (greeting, EHLO, STARTTLS, AUTH PLAIN, MAIL, RCPT, DATA, QUIT), in
//! plain text, with STARTTLS or in TLS from the first byte, and keeps what it receives. Its
//! certificate comes from a private CA made here, which the mailer trusts only when told to
//! with `--smtp-ca-file`.
//!
//! The TLS tests call `Mailer::send` directly rather than going through an HTTP journey, so
//! they hold whichever code ends up sending (inline today, a queue worker later).

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use base64::Engine;
use clap::Parser;
use ikd_server::platform::mail_queue;
use ikd_server::platform::mailer::{
    MailError, Mailer, OutgoingMail, SmtpConfigError, SmtpSecurity, SmtpServer,
};
use ikd_server::serve::ServeArgs;
use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, IsCa, KeyPair};
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};

use crate::fixtures::*;
use crate::support::TestApp;

#[derive(Debug, Default, Clone)]
struct Received {
    envelope_to: Vec<String>,
    data: String,
    /// Whether MAIL, RCPT and DATA came over TLS.
    over_tls: bool,
    /// The decoded `AUTH PLAIN` response: `\0user\0password`.
    auth: Option<String>,
}

type Inbox = Arc<Mutex<Vec<Received>>>;

/// What the loopback server speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Offer {
    /// Plain text, no STARTTLS in its EHLO answer.
    Plain,
    /// Plain text that offers STARTTLS.
    StartTls,
    /// TLS from the first byte.
    ImplicitTls,
}

struct LoopbackSmtp {
    port: u16,
    inbox: Inbox,
    /// The private CA that signed the server's certificate, as `--smtp-ca-file` reads it.
    ca_file: tempfile::NamedTempFile,
}

impl LoopbackSmtp {
    fn received(&self) -> Vec<Received> {
        self.inbox.lock().expect("inbox").clone()
    }

    fn url(&self, scheme: &str) -> String {
        format!("{scheme}://127.0.0.1:{}", self.port)
    }
}

/// A private CA and a certificate it signed for 127.0.0.1, the name the mailer checks.
fn private_ca_and_acceptor() -> (String, TlsAcceptor) {
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).expect("ca params");
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca =
        CertifiedIssuer::self_signed(ca_params, KeyPair::generate().expect("ca key")).expect("ca");
    let key = KeyPair::generate().expect("key");
    let cert = CertificateParams::new(vec!["127.0.0.1".to_owned()])
        .expect("params")
        .signed_by(&key, &ca)
        .expect("certificate");
    let provider = Arc::new(tokio_rustls::rustls::crypto::ring::default_provider());
    let config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("versions")
        .with_no_client_auth()
        .with_single_cert(
            vec![cert.der().clone()],
            PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der())),
        )
        .expect("server config");
    (ca.pem(), TlsAcceptor::from(Arc::new(config)))
}

/// Accepts SMTP sessions until the test ends; each message is pushed to its inbox.
async fn smtp_server(offer: Offer) -> LoopbackSmtp {
    smtp_server_on(TcpListener::bind("127.0.0.1:0").await.expect("bind"), offer).await
}

async fn smtp_server_on(listener: TcpListener, offer: Offer) -> LoopbackSmtp {
    let port = listener.local_addr().expect("addr").port();
    let (ca_pem, acceptor) = private_ca_and_acceptor();
    let ca_file = tempfile::NamedTempFile::new().expect("ca file");
    std::fs::write(ca_file.path(), ca_pem).expect("write ca");
    let inbox = Inbox::default();
    let store = inbox.clone();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            tokio::spawn(session(socket, offer, acceptor.clone(), store.clone()));
        }
    });
    LoopbackSmtp {
        port,
        inbox,
        ca_file,
    }
}

/// One connection: TLS first for `ImplicitTls`; for `StartTls`, the plain dialogue until the
/// client asks, then the rest over TLS (the client says EHLO again, without a new greeting).
async fn session(socket: TcpStream, offer: Offer, acceptor: TlsAcceptor, inbox: Inbox) {
    if offer == Offer::ImplicitTls {
        let Ok(tls) = acceptor.accept(socket).await else {
            return;
        };
        let mut tls = BufReader::new(tls);
        if reply(&mut tls, "220 loopback ESMTP test\r\n").await {
            dialogue(&mut tls, false, true, &inbox).await;
        }
        return;
    }
    let mut plain = BufReader::new(socket);
    if !reply(&mut plain, "220 loopback ESMTP test\r\n").await {
        return;
    }
    let offer_starttls = offer == Offer::StartTls;
    if dialogue(&mut plain, offer_starttls, false, &inbox).await == Ended::StartTls {
        // The client waits for our 220 before its handshake, so nothing is left buffered.
        assert!(plain.buffer().is_empty(), "bytes before the TLS handshake");
        let Ok(tls) = acceptor.accept(plain.into_inner()).await else {
            return;
        };
        dialogue(&mut BufReader::new(tls), false, true, &inbox).await;
    }
}

#[derive(Debug, PartialEq, Eq)]
enum Ended {
    Closed,
    StartTls,
}

/// Writes and flushes (rustls holds records until flushed); false once the client is gone.
async fn reply<S: AsyncWrite + Unpin>(stream: &mut S, text: &str) -> bool {
    stream.write_all(text.as_bytes()).await.is_ok() && stream.flush().await.is_ok()
}

async fn read_line<S: AsyncRead + Unpin>(stream: &mut BufReader<S>) -> Option<String> {
    let mut line = String::new();
    match stream.read_line(&mut line).await {
        Ok(0) | Err(_) => None,
        Ok(_) => Some(line.trim_end_matches(['\r', '\n']).to_owned()),
    }
}

/// The SMTP commands on one stream, until QUIT, a closed connection or a STARTTLS to answer.
/// AUTH is offered only over TLS, as a real submission server does.
async fn dialogue<S: AsyncRead + AsyncWrite + Unpin>(
    stream: &mut BufReader<S>,
    offer_starttls: bool,
    over_tls: bool,
    inbox: &Inbox,
) -> Ended {
    let mut current = Received {
        over_tls,
        ..Received::default()
    };
    while let Some(line) = read_line(stream).await {
        let upper = line.to_ascii_uppercase();
        let answer = if upper.starts_with("EHLO") || upper.starts_with("HELO") {
            let starttls = if offer_starttls {
                "250-STARTTLS\r\n"
            } else {
                ""
            };
            let auth = if over_tls { "250-AUTH PLAIN\r\n" } else { "" };
            format!("250-loopback\r\n{starttls}{auth}250 8BITMIME\r\n")
        } else if offer_starttls && upper == "STARTTLS" {
            reply(stream, "220 2.0.0 Ready to start TLS\r\n").await;
            return Ended::StartTls;
        } else if over_tls && upper.starts_with("AUTH PLAIN ") {
            let decoded = base64::engine::general_purpose::STANDARD
                .decode(line[11..].trim())
                .expect("base64");
            current.auth = Some(String::from_utf8(decoded).expect("utf-8"));
            "235 2.7.0 Authentication successful\r\n".to_owned()
        } else if upper.starts_with("MAIL FROM") {
            "250 OK\r\n".to_owned()
        } else if upper.starts_with("RCPT TO") {
            current.envelope_to.push(line[8..].trim().to_owned());
            "250 OK\r\n".to_owned()
        } else if upper == "DATA" {
            reply(stream, "354 End data with <CR><LF>.<CR><LF>\r\n").await;
            while let Some(data_line) = read_line(stream).await {
                if data_line == "." {
                    break;
                }
                current.data.push_str(&data_line);
                current.data.push('\n');
            }
            let auth = current.auth.clone();
            let message = std::mem::replace(
                &mut current,
                Received {
                    over_tls,
                    auth,
                    ..Received::default()
                },
            );
            inbox.lock().expect("inbox").push(message);
            "250 OK queued\r\n".to_owned()
        } else if upper.starts_with("QUIT") {
            reply(stream, "221 Bye\r\n").await;
            return Ended::Closed;
        } else if upper.starts_with("RSET") || upper.starts_with("NOOP") {
            "250 OK\r\n".to_owned()
        } else {
            "502 Command not implemented\r\n".to_owned()
        };
        if !reply(stream, &answer).await {
            break;
        }
    }
    Ended::Closed
}

fn a_mail() -> OutgoingMail {
    OutgoingMail {
        to: "warga@example.test".to_owned(),
        subject: "Kode aktivasi IKD".to_owned(),
        body: "Kode: 123456".to_owned(),
    }
}

const FROM: &str = "IKD Dukcapil <noreply@ikd-demo.test>";

/// `ikd serve` as its flags configure it (no environment variable set by these tests).
#[derive(Parser)]
struct Serve {
    #[command(flatten)]
    args: ServeArgs,
}

fn mailer_from_flags(flags: &[&str]) -> anyhow::Result<Mailer> {
    let serve = Serve::try_parse_from(std::iter::once("ikd").chain(flags.iter().copied()))?;
    let listen: SocketAddr = "127.0.0.1:8080".parse().expect("addr");
    Ok(serve.args.service_config(listen)?.mailer)
}

fn smtp_from_flags(flags: &[&str]) -> SmtpServer {
    match mailer_from_flags(flags) {
        Ok(Mailer::Smtp(server)) => server,
        other => panic!("{flags:?}: {other:?}"),
    }
}

#[tokio::test]
async fn smtp_without_tls_finding_9_starttls_flag_sends_over_tls() {
    let server = smtp_server(Offer::StartTls).await;
    let ca = server.ca_file.path().to_str().expect("path");
    let mailer = Mailer::Smtp(smtp_from_flags(&[
        "--smtp-url",
        &server.url("smtp"),
        "--smtp-starttls",
        "--smtp-ca-file",
        ca,
    ]));
    mailer.send(FROM, &a_mail()).await.expect("sent");
    let received = server.received();
    assert_eq!(received.len(), 1);
    assert!(received[0].over_tls, "the message came before STARTTLS");
    assert!(received[0].data.contains("Kode: 123456"));
}

#[tokio::test]
async fn smtp_without_tls_finding_9_implicit_tls_sends_over_tls() {
    let server = smtp_server(Offer::ImplicitTls).await;
    let ca = server.ca_file.path().to_str().expect("path");
    let mailer = Mailer::Smtp(smtp_from_flags(&[
        "--smtp-url",
        &server.url("smtps"),
        "--smtp-ca-file",
        ca,
    ]));
    mailer.send(FROM, &a_mail()).await.expect("sent");
    let received = server.received();
    assert_eq!(received.len(), 1);
    assert!(received[0].over_tls);
    assert!(received[0].data.contains("Subject: Kode aktivasi IKD"));
}

#[tokio::test]
async fn smtp_without_tls_finding_9_starttls_required_refuses_a_server_without_it() {
    let server = smtp_server(Offer::Plain).await;
    let smtp = SmtpServer::from_url(&server.url("smtp"), true)
        .and_then(|s| s.trusting_ca_file(server.ca_file.path()))
        .expect("config");
    let refused = Mailer::Smtp(smtp).send(FROM, &a_mail()).await;
    assert!(matches!(refused, Err(MailError::Send(_))), "{refused:?}");
    assert!(server.received().is_empty(), "sent in plain text");
}

#[tokio::test]
async fn smtp_without_tls_finding_9_untrusted_certificate_is_refused() {
    // Without --smtp-ca-file only the public roots are trusted, and the private CA is not one.
    for (offer, url, starttls) in [
        (Offer::ImplicitTls, "smtps", false),
        (Offer::StartTls, "smtp", true),
    ] {
        let server = smtp_server(offer).await;
        let smtp = SmtpServer::from_url(&server.url(url), starttls).expect("config");
        let refused = Mailer::Smtp(smtp).send(FROM, &a_mail()).await;
        let Err(MailError::Send(reason)) = refused else {
            panic!("{offer:?}: {refused:?}");
        };
        assert!(reason.contains("certificate"), "{offer:?}: {reason}");
        assert!(server.received().is_empty(), "{offer:?}");
    }
}

#[tokio::test]
async fn smtp_without_tls_finding_9_credentials_go_only_over_tls_and_never_show() {
    let server = smtp_server(Offer::ImplicitTls).await;
    // Percent-encoded, as in any URL: the user is ikd@dukcapil, the password p@ss:w/rd.
    let url = format!(
        "smtps://ikd%40dukcapil:p%40ss%3Aw%2Frd@127.0.0.1:{}",
        server.port
    );
    let smtp = SmtpServer::from_url(&url, false)
        .and_then(|s| s.trusting_ca_file(server.ca_file.path()))
        .expect("config");
    assert!(!format!("{smtp:?}").contains("p@ss"), "{smtp:?}");
    Mailer::Smtp(smtp)
        .send(FROM, &a_mail())
        .await
        .expect("sent");
    let received = server.received();
    assert_eq!(received.len(), 1);
    assert_eq!(
        received[0].auth.as_deref(),
        Some("\0ikd@dukcapil\0p@ss:w/rd")
    );

    let plain = SmtpServer::from_url("smtp://user:secret@relay.test:25", false);
    let Err(refused @ SmtpConfigError::CredentialsWithoutTls(_)) = plain else {
        panic!("{plain:?}");
    };
    assert!(!refused.to_string().contains("secret"), "{refused}");
    let Err(refused) = SmtpServer::from_url("smtps://user:secret@relay.test/x", false) else {
        panic!("a path is refused");
    };
    assert!(!refused.to_string().contains("secret"), "{refused}");
}

#[test]
fn smtp_without_tls_finding_9_flags_choose_the_security() {
    let chosen = |flags: &[&str]| {
        let smtp = smtp_from_flags(flags);
        (smtp.host, smtp.port, smtp.security)
    };
    let relay = || "relay.test".to_owned();
    assert_eq!(
        chosen(&["--smtp-url", "smtp://relay.test:2525"]),
        (relay(), 2525, SmtpSecurity::Plain)
    );
    assert_eq!(
        chosen(&["--smtp-url", "smtp://relay.test"]),
        (relay(), 25, SmtpSecurity::Plain)
    );
    assert_eq!(
        chosen(&["--smtp-url", "smtp://relay.test:587", "--smtp-starttls"]),
        (relay(), 587, SmtpSecurity::StartTls)
    );
    assert_eq!(
        chosen(&["--smtp-url", "smtps://relay.test/"]),
        (relay(), 465, SmtpSecurity::Tls)
    );
    assert!(matches!(mailer_from_flags(&[]), Ok(Mailer::Outbox(_))));
}

#[test]
fn smtp_without_tls_finding_9_contradictory_or_ignored_flags_are_refused() {
    let not_pem = tempfile::NamedTempFile::new().expect("file");
    std::fs::write(not_pem.path(), "not a certificate").expect("write");
    let not_pem = not_pem.path().to_str().expect("path");
    let bad_url = "alamat SMTP harus berbentuk";
    for (flags, because) in [
        (
            &["--smtp-url", "smtps://relay.test", "--smtp-starttls"][..],
            "--smtp-starttls tidak berlaku untuk smtps://",
        ),
        (
            &["--smtp-url", "smtp://relay.test", "--smtp-ca-file", not_pem],
            "--smtp-ca-file hanya berlaku dengan TLS",
        ),
        (
            &[
                "--smtp-url",
                "smtps://relay.test",
                "--smtp-ca-file",
                not_pem,
            ],
            "tidak memuat sertifikat PEM",
        ),
        (
            &[
                "--smtp-url",
                "smtps://relay.test",
                "--smtp-ca-file",
                "/no/such/ca.pem",
            ],
            "tidak dapat dibaca",
        ),
        (&["--smtp-starttls"], "perlu --smtp-url"),
        (&["--smtp-ca-file", not_pem], "perlu --smtp-url"),
        (&["--smtp-url", "http://relay.test:25"], bad_url),
        (&["--smtp-url", "relay.test:25"], bad_url),
        // lettre's own `?tls=` would be silently ignored here: refused instead.
        (
            &["--smtp-url", "smtp://relay.test:25?tls=required"],
            bad_url,
        ),
        (&["--smtp-url", "smtp://relay.test:25/mail"], bad_url),
        (&["--smtp-url", "smtps://user@relay.test"], bad_url),
    ] {
        let refused = mailer_from_flags(flags).expect_err(&format!("{flags:?}"));
        let message = refused.to_string();
        assert!(message.contains(because), "{flags:?}: {message}");
        // Bahasa Indonesia first, English in parentheses.
        assert!(message.contains(" (") && message.contains(')'), "{message}");
    }
}

#[tokio::test]
async fn the_activation_code_travels_over_smtp_and_activates() {
    let server = smtp_server(Offer::Plain).await;
    let app = TestApp::with_config(|config| {
        config.mailer =
            Mailer::smtp_from_url(&format!("smtp://127.0.0.1:{}", server.port)).expect("url");
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
    let received = server.received();
    assert_eq!(received.len(), 1);
    assert!(!received[0].over_tls);
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

/// Finding 5: mail is queued in the database and sent by the worker with retries, so the
/// officer's answer never waits on SMTP, and a mail server that is down loses nothing.
#[tokio::test]
async fn password_reset_sends_mail_inline_finding_5_an_unreachable_mail_server_loses_no_mail() {
    // A port nobody listens on, for now.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = closed.local_addr().expect("addr").port();
    drop(closed);
    let app = TestApp::with_config(|config| {
        config.mailer = Mailer::smtp_from_url(&format!("smtp://127.0.0.1:{port}")).expect("url");
    })
    .await;
    seed_registry(&app).await;
    let (officer, desk) = open_desk(&app).await;
    let citizen = eligible_citizens(&app, 1).await.remove(0);
    let id = registered(&app, &officer, desk, &citizen).await;
    // The answer alone: it queued the mail and sent nothing.
    let response = app
        .answer_only(json_request(
            "POST",
            &format!("/api/officer/registrations/{id}/decision"),
            &serde_json::json!({"approve": true}),
            Some(&officer),
        ))
        .await;
    assert_eq!(response.status(), 200);
    let outcome = crate::support::body_json(response).await;
    assert_eq!(outcome["status"], "approved");
    assert_eq!(outcome["emailSent"], true, "queued with the decision");
    assert_eq!(mail_queue::waiting(&app.db).await.expect("queue"), 1);

    // The worker cannot reach the server: the mail stays queued for a later try.
    let pass = app.run_mail_worker().await;
    assert_eq!((pass.delivery.sent, pass.delivery.retry_later), (0, 1));
    let (attempts, next_at, error): (i64, i64, Option<String>) =
        sqlx::query_as("SELECT attempts, next_attempt_at, last_error FROM mail_queue")
            .fetch_one(app.db.pool())
            .await
            .expect("row");
    assert_eq!(attempts, 1);
    assert!(
        next_at > ikd_server::platform::clock::unix_now(),
        "retried later, not now"
    );
    assert!(error.is_some());
    assert_eq!(
        app.run_mail_worker().await.delivery,
        Default::default(),
        "not yet due"
    );

    // The server comes up and the retry is due: the mail arrives, once, and the queue
    // forgets the code it carried.
    let server = smtp_server_on(
        TcpListener::bind(("127.0.0.1", port))
            .await
            .expect("same port"),
        Offer::Plain,
    )
    .await;
    sqlx::query("UPDATE mail_queue SET next_attempt_at = 0")
        .execute(app.db.pool())
        .await
        .expect("due now");
    assert_eq!(app.run_mail_worker().await.delivery.sent, 1);
    assert_eq!(app.run_mail_worker().await.delivery.sent, 0, "sent once");
    let received = server.received();
    assert_eq!(received.len(), 1);
    let code = code_in_mail(&received[0].data);
    let (subject, body): (String, String) = sqlx::query_as("SELECT subject, body FROM mail_queue")
        .fetch_one(app.db.pool())
        .await
        .expect("row");
    assert_eq!(
        (subject.as_str(), body.as_str()),
        ("", ""),
        "code blanked once sent"
    );
    assert_eq!(
        activate(&app, &citizen, &code, "device-aaaaaaaaaaaa")
            .await
            .status(),
        200
    );
}
