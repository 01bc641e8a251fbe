//! Serves the Trunk builds of the citizen app and the officer console. Paths that are not
//! files (client-side routes such as `/ktp`) get their app's page, so a reload or a shared
//! link opens the app, not a 404. The citizen app has one page per bundle, and
//! `ikd_core::web_shells` says which address opens which.

use std::convert::Infallible;
use std::path::{Path, PathBuf};

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use ikd_core::web_shells::{SHELLS, Shell};
use tower::ServiceExt;
use tower::util::BoxCloneSyncService;
use tower_http::services::{ServeDir, ServeFile};

/// Where the officer console lives (its Trunk build uses this as `public_url`).
pub(super) const CONSOLE_PATH: &str = "/petugas";

type PageService = BoxCloneSyncService<Request, Response, Infallible>;

/// The citizen app: its files, and for any other address the page of the bundle that owns it.
pub(super) fn citizen_app(web_dir: &Path) -> ServeDir<PageService> {
    let dir = web_dir.to_owned();
    let shell_page = tower::service_fn(move |request: Request| {
        let page = dir.join(Shell::for_path(request.uri().path()).html_file());
        async move {
            let response = page_file(page).oneshot(request).await?;
            Ok::<_, Infallible>(response.map(Body::new).into_response())
        }
    });
    files(web_dir).fallback(BoxCloneSyncService::new(shell_page))
}

/// The officer console: one page for every address under [`CONSOLE_PATH`].
pub(super) fn console(console_dir: &Path) -> ServeDir<ServeFile> {
    files(console_dir).fallback(page_file(console_dir.join("index.html")))
}

/// Every page whose inline boot script the Content-Security-Policy must allow.
pub(super) fn pages(web_dir: &Path, console_dir: &Path) -> Vec<PathBuf> {
    SHELLS
        .iter()
        .map(|shell| web_dir.join(shell.html_file()))
        .chain([console_dir.join("index.html")])
        .collect()
}

/// Serves the build's `.br` / `.gz` copies (made at build time) to browsers that accept them.
fn files(dir: &Path) -> ServeDir {
    ServeDir::new(dir).precompressed_br().precompressed_gzip()
}

fn page_file(page: PathBuf) -> ServeFile {
    ServeFile::new(page).precompressed_br().precompressed_gzip()
}

/// Sets `Cache-Control` on every answer that has none yet.
pub(super) async fn cache_policy(request: Request, next: Next) -> Response {
    let policy = cache_control_for(request.uri().path());
    let mut response = next.run(request).await;
    response
        .headers_mut()
        .entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static(policy));
    response
}

/// API answers will carry personal data, so no cache may keep them. Files whose name stays the
/// same across releases (the page, the service worker, the manifest) are revalidated every
/// time, or a phone keeps running last month's app. Trunk puts a content hash in every other
/// file name, so those may be kept for a year.
fn cache_control_for(path: &str) -> &'static str {
    if path == "/api" || path.starts_with("/api/") {
        "no-store"
    } else if has_content_hash(path) {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    }
}

/// Trunk names hashed files `name-<hash>.ext` (wasm: `name-<hash>_bg.wasm`), the hash being a
/// 64-bit number in hex without leading zeros, so 10 to 16 digits in practice; `cargo xtask`
/// names the split bundles' files the same way (`xtask/src/wasm_split.rs`).
fn has_content_hash(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or(path);
    let stem = file.split('.').next().unwrap_or(file);
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    match stem.rsplit_once('-') {
        Some((_, hash)) => {
            (10..=16).contains(&hash.len()) && hash.bytes().all(|b| b.is_ascii_hexdigit())
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_trunk_assets_are_immutable_and_the_rest_revalidates() {
        assert_eq!(
            cache_control_for("/ikd-web-0123456789abcdef_bg.wasm"),
            "public, max-age=31536000, immutable"
        );
        // The split bundles' chunks and the js that loads them.
        assert_eq!(
            cache_control_for("/ikd-web-chunk_5-0123456789abcdef.wasm"),
            "public, max-age=31536000, immutable"
        );
        assert_eq!(
            cache_control_for("/ikd-verifikasi-split-0123456789abcdef.js"),
            "public, max-age=31536000, immutable"
        );
        // A hash with a leading zero is printed one digit shorter.
        assert_eq!(
            cache_control_for("/main-3395401bd924d09.css"),
            "public, max-age=31536000, immutable"
        );
        assert_eq!(cache_control_for("/sw.js"), "no-cache");
        assert_eq!(cache_control_for("/"), "no-cache");
        assert_eq!(cache_control_for("/icons/icon-192.png"), "no-cache");
        assert_eq!(
            cache_control_for("/icons/icon-maskable-512.png"),
            "no-cache"
        );
        assert_eq!(cache_control_for("/api/health"), "no-store");
    }
}
