//! `ikd serve`: configuration and start-up of the HTTP service.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use clap::Args;

use crate::http::{AppState, app};
use crate::issuer_keys::IssuerKey;
use crate::storage_args::StorageArgs;

/// Every flag also reads an environment variable, so containers and replicas are configured
/// the same way as a laptop.
#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Alamat yang didengarkan (listen address)
    #[arg(long, env = "IKD_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,

    #[command(flatten)]
    pub storage: StorageArgs,

    /// Folder hasil build PWA oleh Trunk (the PWA as built by Trunk)
    #[arg(long, env = "IKD_WEB_DIR", default_value = "dist")]
    pub web_dir: PathBuf,
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
    let issuer_key = IssuerKey::load_or_create(&args.storage.data_dir)?;
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
    db.record_start(env!("CARGO_PKG_VERSION"), &local.to_string())
        .await?;

    let state = AppState {
        db,
        issuer_key: Arc::new(issuer_key),
        web_dir: args.web_dir.clone(),
    };
    println!("IKD Web berjalan di http://{local}  (IKD Web is running at http://{local})");
    axum::serve(listener, app(state))
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
