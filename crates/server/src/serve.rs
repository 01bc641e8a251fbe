//! `ikd serve`: configuration and start-up of the HTTP service.

use std::net::SocketAddr;
use std::ops::RangeInclusive;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use clap::Args;

use crate::http::{AppState, app};
use crate::platform::config::{CredentialPlan, ServiceConfig};
use crate::platform::mailer::{Mailer, SmtpServer};
use crate::platform::storage_args::StorageArgs;
use crate::trust::issuer_keyring;

/// Every flag also reads an environment variable, so containers and replicas are configured
/// the same way as a laptop.
#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Alamat yang didengarkan (listen address)
    #[arg(long, env = "IKD_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,

    /// Alamat terpisah untuk metrik Prometheus (GET /metrics), jangan di alamat publik;
    /// tanpa ini tidak ada metrik (a separate listen address for Prometheus metrics, GET
    /// /metrics, never the public one; without it no metrics are served)
    #[arg(long, env = "IKD_METRICS_LISTEN")]
    pub metrics_listen: Option<SocketAddr>,

    #[command(flatten)]
    pub storage: StorageArgs,

    /// Folder hasil build PWA oleh Trunk (the PWA as built by Trunk)
    #[arg(long, env = "IKD_WEB_DIR", default_value = "dist")]
    pub web_dir: PathBuf,

    /// Folder hasil build konsol petugas, dilayani di /petugas/ (the officer console as built
    /// by Trunk, served under /petugas/)
    #[arg(long, env = "IKD_CONSOLE_DIR", default_value = "dist-console")]
    pub console_dir: PathBuf,

    /// Alamat publik aplikasi untuk tautan di email (public URL for links in emails;
    /// default: http://<listen>)
    #[arg(long, env = "IKD_PUBLIC_URL")]
    pub public_url: Option<String>,

    /// Kirim email lewat SMTP: smtp://host[:port] tanpa TLS, untuk relay di host atau
    /// jaringan yang sama; smtps://host[:port] dengan TLS sejak awal, port bawaan 465;
    /// user:pass@host untuk SMTP AUTH, hanya lewat TLS (send email over SMTP: smtp:// is
    /// plain, for a relay on the same host or network; smtps:// is TLS from the first byte,
    /// default port 465; user:pass@host for SMTP AUTH, over TLS only; default: .eml files in
    /// <data-dir>/outbox)
    // The value may hold a password: `--help` must not print it from the environment.
    #[arg(long, env = "IKD_SMTP_URL", hide_env_values = true)]
    pub smtp_url: Option<String>,

    /// Wajibkan STARTTLS pada smtp://: bila server tidak menawarkannya, email tidak dikirim,
    /// tidak pernah jatuh ke teks biasa (require STARTTLS on smtp://: a server that does not
    /// offer it gets no email, never plain text)
    #[arg(long, env = "IKD_SMTP_STARTTLS")]
    pub smtp_starttls: bool,

    /// Sertifikat CA (PEM) yang dipercaya untuk server SMTP, menggantikan CA publik, untuk
    /// relay dengan sertifikat internal (PEM CA certificate the SMTP server's certificate must
    /// chain to, instead of the public roots: a relay with an internal certificate)
    #[arg(long, env = "IKD_SMTP_CA_FILE")]
    pub smtp_ca_file: Option<PathBuf>,

    /// Pengirim email (email sender)
    #[arg(
        long,
        env = "IKD_MAIL_FROM",
        default_value = "IKD Dukcapil <noreply@ikd-demo.test>"
    )]
    pub mail_from: String,

    /// Jumlah proxy tepercaya di depan layanan yang menambahkan X-Forwarded-For; 0 =
    /// abaikan header itu (how many trusted reverse proxies append to X-Forwarded-For; the
    /// client is the entry that many places from the right; 0 ignores the header)
    #[arg(long, env = "IKD_TRUSTED_PROXY_HOPS", default_value_t = 0)]
    pub trusted_proxy_hops: usize,

    /// Sama dengan --trusted-proxy-hops 1, untuk kompatibilitas (the same as
    /// --trusted-proxy-hops 1, kept for compatibility)
    #[arg(long, env = "IKD_TRUST_FORWARDED_FOR")]
    pub trust_forwarded_for: bool,

    /// Masa berlaku kredensial di ponsel dalam hari (validity of the phone's credentials, days)
    #[arg(long, env = "IKD_CREDENTIAL_DAYS", default_value_t = CredentialPlan::DEFAULT.validity_secs / 86_400)]
    pub credential_days: i64,

    /// Ponsel membuat QR baru setiap sekian detik (the phone makes a new QR every so many seconds)
    #[arg(long, env = "IKD_QR_ROTATE_SECS", default_value_t = CredentialPlan::DEFAULT.present_every_secs)]
    pub qr_rotate_secs: i64,
}

/// How long a refresh's credentials may last: a day to a month.
const CREDENTIAL_DAYS: RangeInclusive<i64> = 1..=30;
/// How often the phone may make a new QR: every 10 s to every 90 s (a verifier accepts a QR
/// `HOLDER_TOLERANCE_SECS` old, so a longer period would refuse a QR still on screen).
const QR_ROTATE_SECS: RangeInclusive<i64> = 10..=ikd_core::claim169::HOLDER_TOLERANCE_SECS;

impl ServeArgs {
    pub fn service_config(&self, listen: SocketAddr) -> anyhow::Result<ServiceConfig> {
        let public_url = self
            .public_url
            .clone()
            .unwrap_or_else(|| format!("http://{listen}"));
        let mut config = ServiceConfig::new(&public_url, self.storage.data_dir.join("outbox"));
        if let Some(mailer) = self.smtp_mailer()? {
            config.mailer = mailer;
        }
        config.mail_from = self.mail_from.clone();
        config.trusted_proxy_hops = self
            .trusted_proxy_hops
            .max(usize::from(self.trust_forwarded_for));
        let span = |range: &RangeInclusive<i64>| format!("{}..{}", range.start(), range.end());
        anyhow::ensure!(
            CREDENTIAL_DAYS.contains(&self.credential_days),
            "--credential-days harus {0} (must be {0})",
            span(&CREDENTIAL_DAYS)
        );
        anyhow::ensure!(
            QR_ROTATE_SECS.contains(&self.qr_rotate_secs),
            "--qr-rotate-secs harus {0} (must be {0})",
            span(&QR_ROTATE_SECS)
        );
        config.credentials = CredentialPlan {
            validity_secs: self.credential_days * 86_400,
            present_every_secs: self.qr_rotate_secs,
        };
        Ok(config)
    }

    /// The SMTP flags as one `Mailer`, or `None` for the outbox. A TLS flag without
    /// `--smtp-url` is refused rather than ignored: the operator meant to send over TLS.
    fn smtp_mailer(&self) -> anyhow::Result<Option<Mailer>> {
        let Some(url) = &self.smtp_url else {
            anyhow::ensure!(
                !self.smtp_starttls && self.smtp_ca_file.is_none(),
                "--smtp-starttls dan --smtp-ca-file perlu --smtp-url (--smtp-starttls and \
                 --smtp-ca-file need --smtp-url)"
            );
            return Ok(None);
        };
        let mut server = SmtpServer::from_url(url, self.smtp_starttls)?;
        if let Some(path) = &self.smtp_ca_file {
            server = server.trusting_ca_file(path)?;
        }
        tracing::info!(
            host = %server.host,
            port = server.port,
            security = server.security.as_str(),
            "email dikirim lewat SMTP (email goes out over SMTP)"
        );
        Ok(Some(Mailer::Smtp(server)))
    }
}

pub fn run(args: ServeArgs) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("tokio runtime")?;
    runtime.block_on(serve(args))
}

async fn serve(args: ServeArgs) -> anyhow::Result<()> {
    let db = args.storage.connect().await?;
    let issuer_key = issuer_keyring::ensure_current(&db, Some(&args.storage.data_dir)).await?;
    tracing::info!(kid = %issuer_key.kid(), "kunci penerbit aktif (current issuer key)");
    if !args.web_dir.join("index.html").exists() {
        tracing::warn!(
            web_dir = %args.web_dir.display(),
            "PWA belum dibangun; jalankan `cargo xtask run` (the PWA is not built yet)"
        );
    }
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .with_context(|| {
            format!(
                "tidak dapat mendengarkan di {} (cannot listen)",
                args.listen
            )
        })?;
    let local = listener.local_addr()?;
    let metrics_listener =
        match args.metrics_listen {
            Some(address) => Some(tokio::net::TcpListener::bind(address).await.with_context(
                || {
                    format!(
                        "tidak dapat mendengarkan metrik di {address} (cannot listen for metrics)"
                    )
                },
            )?),
            None => None,
        };
    db.record_start(env!("CARGO_PKG_VERSION"), &local.to_string())
        .await?;

    let config = Arc::new(args.service_config(local)?);
    // Sends what answers queued (mail); stops with the process. A pass cut off by shutdown
    // leaves its rows leased for a while, then another pass or replica takes them.
    tokio::spawn(crate::journey::mail_worker::run_forever(
        db.clone(),
        config.clone(),
    ));
    let state = AppState {
        db,
        config,
        web_dir: args.web_dir.clone(),
        console_dir: args.console_dir.clone(),
    };
    if let Some(listener) = metrics_listener {
        let address = listener.local_addr()?;
        let metrics = crate::http::metrics_app(state.clone());
        tokio::spawn(async move {
            if let Err(err) = axum::serve(listener, metrics).await {
                tracing::error!(%err, "metrics listener stopped");
            }
        });
        println!("Metrik di http://{address}/metrics  (metrics at http://{address}/metrics)");
    }
    println!("IKD Web berjalan di http://{local}  (IKD Web is running at http://{local})");
    axum::serve(
        listener,
        app(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
    .context("HTTP server")?;
    tracing::info!("layanan berhenti (service stopped)");
    Ok(())
}

/// Finishes in-flight requests on Ctrl-C or SIGTERM (what process managers and the test
/// harness send) instead of cutting them off.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
