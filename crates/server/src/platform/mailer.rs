//! Outgoing email (activation codes, reset links, rejections) through lettre. By default
//! messages are written as `.eml` files to the outbox folder (`data/outbox/`), which is what
//! a demo or a test reads; `--smtp-url` sends them to a mail server: `smtp://host:port` in
//! plain text to a relay on the same host or network, with `--smtp-starttls` upgraded by a
//! required STARTTLS, or `smtps://host:port` in TLS from the first byte. Certificates are
//! always verified, against Mozilla's roots or the CA of `--smtp-ca-file`.

use std::fmt;
use std::path::{Path, PathBuf};

use lettre::message::Body;
use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, CertificateStore, Tls, TlsParameters};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use percent_encoding::percent_decode_str;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mailer {
    /// Write each message as an `.eml` file in this folder.
    Outbox(PathBuf),
    /// SMTP to a mail server, plain or over TLS.
    Smtp(SmtpServer),
}

/// How the connection to the SMTP server is protected. Chosen by the operator, never
/// negotiated down: lettre's "opportunistic" STARTTLS, which sends in plain text when the
/// server does not offer it, is deliberately not one of the choices, since anyone on the path
/// can strip the offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpSecurity {
    /// `smtp://`: no TLS, for a relay on the same host or a network the operator trusts.
    Plain,
    /// `smtp://` with `--smtp-starttls`: plain connect, then STARTTLS or nothing is sent.
    StartTls,
    /// `smtps://`: TLS from the first byte (RFC 8314's implicit TLS).
    Tls,
}

impl SmtpSecurity {
    pub fn as_str(self) -> &'static str {
        match self {
            SmtpSecurity::Plain => "plain",
            SmtpSecurity::StartTls => "starttls",
            SmtpSecurity::Tls => "tls",
        }
    }

    /// The port a URL without one means: 25 for `smtp://` (what a relay listens on), 465 for
    /// `smtps://` (submission over implicit TLS).
    fn default_port(self) -> u16 {
        match self {
            SmtpSecurity::Plain | SmtpSecurity::StartTls => 25,
            SmtpSecurity::Tls => 465,
        }
    }
}

/// Where and how to send: the parsed `--smtp-url`, `--smtp-starttls` and `--smtp-ca-file`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmtpServer {
    pub host: String,
    pub port: u16,
    pub security: SmtpSecurity,
    /// SMTP AUTH, only ever sent over TLS (refused with `Plain` when the URL is read).
    pub credentials: Option<SmtpCredentials>,
    /// PEM certificates the server's chain must end at, instead of the public roots: a relay
    /// with a certificate from an internal CA. Read when the flags are, so a wrong file stops
    /// `ikd serve` at start instead of failing every email.
    pub trusted_ca_pem: Option<String>,
}

/// The user and password of `smtps://user:pass@host`. Its `Debug` hides the password, so
/// neither a logged configuration nor a panic message shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct SmtpCredentials {
    pub user: String,
    password: String,
}

impl SmtpCredentials {
    pub fn new(user: String, password: String) -> Self {
        SmtpCredentials { user, password }
    }
}

impl fmt::Debug for SmtpCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmtpCredentials")
            .field("user", &self.user)
            .field("password", &"***")
            .finish()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("alamat email tidak dapat dipakai (unusable address): {0}")]
    Address(String),
    #[error("email tidak dapat disusun (message could not be built): {0}")]
    Build(String),
    #[error(
        "TLS ke server SMTP tidak dapat disiapkan; periksa --smtp-ca-file \
         (TLS to the SMTP server could not be set up; check --smtp-ca-file): {0}"
    )]
    Tls(String),
    #[error("email tidak terkirim (email not sent): {0}")]
    Send(String),
}

/// A refusal of the SMTP flags at start-up. URLs are quoted without their password.
#[derive(Debug, thiserror::Error)]
pub enum SmtpConfigError {
    #[error(
        "alamat SMTP harus berbentuk smtp://host[:port] atau smtps://[user:pass@]host[:port], \
         tanpa path atau query (SMTP URL must be smtp://host[:port] or \
         smtps://[user:pass@]host[:port], with no path or query): {0}"
    )]
    Url(String),
    #[error(
        "--smtp-starttls tidak berlaku untuk smtps://, yang sudah TLS sejak byte pertama; \
         pakai salah satunya (--smtp-starttls does not apply to smtps://, which is TLS from \
         the first byte; use one or the other): {0}"
    )]
    StartTlsOnImplicitTls(String),
    #[error(
        "kata sandi SMTP hanya dikirim lewat TLS: pakai smtps:// atau --smtp-starttls \
         (SMTP credentials are only sent over TLS: use smtps:// or --smtp-starttls): {0}"
    )]
    CredentialsWithoutTls(String),
    #[error(
        "--smtp-ca-file hanya berlaku dengan TLS: pakai smtps:// atau --smtp-starttls \
         (--smtp-ca-file only applies over TLS: use smtps:// or --smtp-starttls)"
    )]
    CaFileWithoutTls,
    #[error("berkas CA SMTP {path} tidak dapat dibaca (SMTP CA file cannot be read): {reason}")]
    CaFileUnreadable { path: PathBuf, reason: String },
    #[error(
        "berkas CA SMTP {0} tidak memuat sertifikat PEM (-----BEGIN CERTIFICATE-----) yang \
         sah (SMTP CA file holds no valid PEM certificate)"
    )]
    CaFileNoCertificate(PathBuf),
}

impl SmtpServer {
    /// Reads `--smtp-url` and `--smtp-starttls`: the scheme says plain or implicit TLS, the
    /// flag turns plain into required STARTTLS.
    pub fn from_url(url: &str, starttls: bool) -> Result<Self, SmtpConfigError> {
        let bad = || SmtpConfigError::Url(without_password(url));
        let parsed = url::Url::parse(url).map_err(|_| bad())?;
        let security = match (parsed.scheme(), starttls) {
            ("smtp", false) => SmtpSecurity::Plain,
            ("smtp", true) => SmtpSecurity::StartTls,
            ("smtps", false) => SmtpSecurity::Tls,
            ("smtps", true) => {
                return Err(SmtpConfigError::StartTlsOnImplicitTls(without_password(
                    url,
                )));
            }
            _ => return Err(bad()),
        };
        // A path or query would be silently ignored (lettre's own `?tls=` included), so it is
        // refused rather than let the operator believe it took effect.
        let only_host = matches!(parsed.path(), "" | "/")
            && parsed.query().is_none()
            && parsed.fragment().is_none();
        let host = parsed
            .host_str()
            .map(|host| host.trim_start_matches('[').trim_end_matches(']'))
            .filter(|host| !host.is_empty() && only_host)
            .ok_or_else(bad)?;
        let credentials = credentials_in(&parsed).ok_or_else(bad)?;
        if credentials.is_some() && security == SmtpSecurity::Plain {
            return Err(SmtpConfigError::CredentialsWithoutTls(without_password(
                url,
            )));
        }
        Ok(SmtpServer {
            host: host.to_owned(),
            port: parsed.port().unwrap_or(security.default_port()),
            security,
            credentials,
            trusted_ca_pem: None,
        })
    }

    /// `--smtp-ca-file`: the server's certificate must chain to the CA in this PEM file; the
    /// public roots are then not consulted, so the relay cannot be impersonated by anyone
    /// holding a public certificate for its name.
    pub fn trusting_ca_file(mut self, path: &Path) -> Result<Self, SmtpConfigError> {
        if self.security == SmtpSecurity::Plain {
            return Err(SmtpConfigError::CaFileWithoutTls);
        }
        let pem = std::fs::read_to_string(path).map_err(|e| SmtpConfigError::CaFileUnreadable {
            path: path.to_owned(),
            reason: e.to_string(),
        })?;
        // lettre skips what is not a certificate, so a key or an empty file would parse into
        // trusting nothing: look for the marker too.
        let holds_certificate = pem.contains("-----BEGIN CERTIFICATE-----")
            && Certificate::from_pem(pem.as_bytes()).is_ok();
        if !holds_certificate {
            return Err(SmtpConfigError::CaFileNoCertificate(path.to_owned()));
        }
        self.trusted_ca_pem = Some(pem);
        Ok(self)
    }

    /// The transport for one message. Verification of the certificate and of the host name
    /// is lettre's default and is never turned off.
    fn transport(&self) -> Result<AsyncSmtpTransport<Tokio1Executor>, MailError> {
        let builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(self.host.as_str())
            .port(self.port);
        let builder = match self.security {
            SmtpSecurity::Plain => builder.tls(Tls::None),
            SmtpSecurity::StartTls => builder.tls(Tls::Required(self.tls_parameters()?)),
            SmtpSecurity::Tls => builder.tls(Tls::Wrapper(self.tls_parameters()?)),
        };
        let builder = match &self.credentials {
            Some(c) => builder.credentials(Credentials::new(c.user.clone(), c.password.clone())),
            None => builder,
        };
        Ok(builder.build())
    }

    fn tls_parameters(&self) -> Result<TlsParameters, MailError> {
        let tls_error = |e: lettre::transport::smtp::Error| MailError::Tls(e.to_string());
        let mut parameters = TlsParameters::builder(self.host.clone());
        if let Some(pem) = &self.trusted_ca_pem {
            let ca = Certificate::from_pem(pem.as_bytes()).map_err(tls_error)?;
            parameters = parameters
                .certificate_store(CertificateStore::None)
                .add_root_certificate(ca);
        }
        parameters.build_rustls().map_err(tls_error)
    }
}

/// `None` when the URL's user or password is not valid percent-encoded UTF-8; `Some(None)`
/// when it names no user. A user without a password (or the reverse) is refused too: SMTP
/// AUTH needs both.
fn credentials_in(url: &url::Url) -> Option<Option<SmtpCredentials>> {
    let decode = |text: &str| {
        percent_decode_str(text)
            .decode_utf8()
            .ok()
            .map(|t| t.into_owned())
    };
    match (url.username(), url.password()) {
        ("", None) => Some(None),
        ("", Some(_)) | (_, None) => None,
        (user, Some(password)) => {
            Some(Some(SmtpCredentials::new(decode(user)?, decode(password)?)))
        }
    }
}

/// The URL as it may appear in a message: its user and password replaced by `***`.
fn without_password(url: &str) -> String {
    let hidden = url.split_once("://").and_then(|(scheme, rest)| {
        let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let (authority, tail) = rest.split_at(authority_end);
        let (_, host) = authority.rsplit_once('@')?;
        Some(format!("{scheme}://***@{host}{tail}"))
    });
    hidden.unwrap_or_else(|| url.to_owned())
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
    /// Reads `smtp://host:port` or `smtps://host:port` with no further flag.
    pub fn smtp_from_url(url: &str) -> Result<Self, SmtpConfigError> {
        SmtpServer::from_url(url, false).map(Mailer::Smtp)
    }

    /// Sends `mail` with a Message-ID of lettre's making (a fresh one each time).
    pub async fn send(&self, from: &str, mail: &OutgoingMail) -> Result<(), MailError> {
        self.send_as(from, mail, None).await
    }

    /// Sends `mail`; with `message_id` (`<queue-row@sender-domain>`) every attempt at the
    /// same queued mail carries the same Message-ID, so a mail sent again after a crash
    /// between the relay's acceptance and the queue's record is one message to the
    /// recipient's mail system, not two (`platform/mail_queue.rs`).
    pub async fn send_as(
        &self,
        from: &str,
        mail: &OutgoingMail,
        message_id: Option<String>,
    ) -> Result<(), MailError> {
        let message = Message::builder()
            .message_id(message_id)
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
            Mailer::Smtp(server) => server
                .transport()?
                .send(message)
                .await
                .map(|_| ())
                .map_err(|e| MailError::Send(e.to_string())),
        }
    }
}
