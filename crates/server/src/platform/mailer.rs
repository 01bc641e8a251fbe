//! Outgoing email (activation codes, reset links, rejections) through lettre. By default
//! messages are written as `.eml` files to the outbox folder (`data/outbox/`), which is what
//! a demo or a test reads; `--smtp-url smtp://host:port` sends them to a mail server.

use std::path::PathBuf;

use lettre::message::Body;
use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mailer {
    /// Write each message as an `.eml` file in this folder.
    Outbox(PathBuf),
    /// Plain SMTP to a relay the operator runs (typically on the same host or network).
    Smtp { host: String, port: u16 },
}

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("alamat email tidak dapat dipakai (unusable address): {0}")]
    Address(String),
    #[error("email tidak dapat disusun (message could not be built): {0}")]
    Build(String),
    #[error("email tidak terkirim (email not sent): {0}")]
    Send(String),
    #[error(
        "alamat SMTP harus berbentuk smtp://host:port (SMTP URL must be smtp://host:port): {0}"
    )]
    SmtpUrl(String),
}

/// One plain-text message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingMail {
    pub to: String,
    pub subject: String,
    pub body: String,
}

/// Plain 8-bit text, so links and codes reach the person (and the outbox reader) exactly as
/// written: lettre would pick quoted-printable for any line over 76 characters and break a
/// long link with `=` soft line breaks. 8-bit allows lines up to 998 bytes (RFC 5322); text
/// with a longer line or a NUL falls back to lettre's own choice.
fn body_of(text: &str) -> Body {
    let crlf = text.replace("\r\n", "\n").replace('\n', "\r\n");
    let fits_8bit = !crlf.contains('\0') && crlf.split("\r\n").all(|line| line.len() <= 998);
    if fits_8bit {
        Body::dangerous_pre_encoded(crlf.into_bytes(), ContentTransferEncoding::EightBit)
    } else {
        Body::new(text.to_owned())
    }
}

impl Mailer {
    /// Reads `smtp://host:port`.
    pub fn smtp_from_url(url: &str) -> Result<Self, MailError> {
        let rest = url
            .strip_prefix("smtp://")
            .ok_or_else(|| MailError::SmtpUrl(url.to_owned()))?;
        let (host, port) = rest
            .trim_end_matches('/')
            .rsplit_once(':')
            .ok_or_else(|| MailError::SmtpUrl(url.to_owned()))?;
        let port = port
            .parse()
            .map_err(|_| MailError::SmtpUrl(url.to_owned()))?;
        Ok(Mailer::Smtp {
            host: host.to_owned(),
            port,
        })
    }

    pub async fn send(&self, from: &str, mail: &OutgoingMail) -> Result<(), MailError> {
        let message = Message::builder()
            .from(
                from.parse()
                    .map_err(|_| MailError::Address(from.to_owned()))?,
            )
            .to(mail
                .to
                .parse()
                .map_err(|_| MailError::Address(mail.to.clone()))?)
            .subject(&mail.subject)
            .header(ContentType::TEXT_PLAIN)
            .body(body_of(&mail.body))
            .map_err(|e| MailError::Build(e.to_string()))?;
        match self {
            Mailer::Outbox(dir) => {
                tokio::fs::create_dir_all(dir)
                    .await
                    .map_err(|e| MailError::Send(e.to_string()))?;
                AsyncFileTransport::<Tokio1Executor>::new(dir)
                    .send(message)
                    .await
                    .map(|_| ())
                    .map_err(|e| MailError::Send(e.to_string()))
            }
            Mailer::Smtp { host, port } => {
                AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host.as_str())
                    .port(*port)
                    .build()
                    .send(message)
                    .await
                    .map(|_| ())
                    .map_err(|e| MailError::Send(e.to_string()))
            }
        }
    }
}
