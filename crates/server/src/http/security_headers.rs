//! Security headers on every answer, API and files alike.
//!
//! The Content-Security-Policy allows scripts from this origin, WebAssembly compilation
//! (`'wasm-unsafe-eval'`, which allows wasm only, not JavaScript `eval`) and, by hash, exactly
//! the inline module scripts written into each app page to start its bundle; styles from this
//! origin and, by hash, the stylesheet the citizen pages carry inline (so their shell paints
//! without waiting for another request: `xtask/src/paint_first.rs`). No `'unsafe-inline'`,
//! no `'unsafe-eval'`: injected script or style cannot run.
//!
//! The hashes are read from the built pages when the router is made, so a rebuilt PWA
//! needs a restart of `ikd serve` (which `cargo xtask run` does anyway).
//!
//! When the public URL is https, every answer also carries `Strict-Transport-Security` for a
//! year, subdomains included, so a browser never again tries plain http on the way to a
//! citizen's password. A plain-http public URL (a developer's server) sends none: it must not
//! pin browsers to an https that does not exist there.

use std::path::PathBuf;

use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use base64::Engine;
use sha2::{Digest, Sha256};

/// The header values, computed once.
#[derive(Debug, Clone)]
pub struct SecurityHeaders {
    csp: HeaderValue,
    /// `Strict-Transport-Security`, for an https public URL only.
    hsts: Option<HeaderValue>,
}

/// One year, subdomains included: what HSTS preload lists ask for.
const HSTS: &str = "max-age=31536000; includeSubDomains";

impl SecurityHeaders {
    /// The policy for these built pages (the citizen app's shells and the officer console's
    /// page): each one's inline boot script is allowed by its hash.
    pub fn for_pages(pages: &[PathBuf]) -> Self {
        let pages: Vec<String> = pages
            .iter()
            .map(|page| std::fs::read_to_string(page).unwrap_or_default())
            .collect();
        let scripts = hashes_of(&pages, "script");
        let styles = hashes_of(&pages, "style");
        let csp = content_security_policy(&scripts, &styles);
        SecurityHeaders {
            csp: HeaderValue::from_str(&csp)
                .unwrap_or_else(|_| HeaderValue::from_static("default-src 'self'")),
            hsts: None,
        }
    }

    /// Adds HSTS when `public_url` (where citizens reach the service) is https.
    pub fn with_public_url(mut self, public_url: &str) -> Self {
        let https = public_url
            .get(..8)
            .is_some_and(|scheme| scheme.eq_ignore_ascii_case("https://"));
        self.hsts = https.then(|| HeaderValue::from_static(HSTS));
        self
    }
}

/// `'sha256-…'` of every inline `<element>` of the pages, each once.
fn hashes_of(pages: &[String], element: &str) -> Vec<String> {
    let mut hashes: Vec<String> = pages
        .iter()
        .flat_map(|html| inline_elements(html, element))
        .map(|text| {
            let digest = Sha256::digest(text.as_bytes());
            format!(
                "'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            )
        })
        .collect();
    hashes.sort_unstable();
    hashes.dedup();
    hashes
}

fn content_security_policy(script_hashes: &[String], style_hashes: &[String]) -> String {
    let mut script_src = String::from("'self' 'wasm-unsafe-eval'");
    for hash in script_hashes {
        script_src.push(' ');
        script_src.push_str(hash);
    }
    let mut style_src = String::from("'self'");
    for hash in style_hashes {
        style_src.push(' ');
        style_src.push_str(hash);
    }
    [
        "default-src 'self'".to_owned(),
        format!("script-src {script_src}"),
        format!("style-src {style_src}"),
        // Photos arrive as data: URLs; the camera preview as blob: URLs.
        "img-src 'self' data: blob:".to_owned(),
        "media-src 'self' blob:".to_owned(),
        "connect-src 'self'".to_owned(),
        "worker-src 'self'".to_owned(),
        "manifest-src 'self'".to_owned(),
        "object-src 'none'".to_owned(),
        "base-uri 'none'".to_owned(),
        "form-action 'self'".to_owned(),
        "frame-ancestors 'none'".to_owned(),
    ]
    .join("; ")
}

/// The text of every `<element>` (`script` or `style`) without a `src`, exactly as the
/// browser hashes it.
fn inline_elements<'a>(html: &'a str, element: &str) -> Vec<&'a str> {
    let open = format!("<{element}");
    let close = format!("</{element}>");
    let mut found = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find(&open) {
        let after = &rest[start..];
        let Some(tag_end) = after.find('>') else {
            break;
        };
        let tag = &after[..tag_end];
        let body = &after[tag_end + 1..];
        let Some(end) = body.find(&close) else {
            break;
        };
        if !tag.contains(" src=") {
            found.push(&body[..end]);
        }
        rest = &body[end..];
    }
    found
}

pub(super) async fn add(
    State(headers): State<SecurityHeaders>,
    request: Request,
    next: Next,
) -> Response {
    let mut response = next.run(request).await;
    let h = response.headers_mut();
    h.insert(header::CONTENT_SECURITY_POLICY, headers.csp.clone());
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if let Some(hsts) = &headers.hsts {
        h.insert(header::STRICT_TRANSPORT_SECURITY, hsts.clone());
    }
    h.insert(
        HeaderName::from_static("permissions-policy"),
        HeaderValue::from_static(
            "camera=(self), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
        ),
    );
    h.insert(
        HeaderName::from_static("cross-origin-opener-policy"),
        HeaderValue::from_static("same-origin"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_scripts_are_found_and_scripts_with_src_are_not() {
        let html = "<script src=\"/a.js\"></script><script type=\"module\">\nboot();\n</script>";
        assert_eq!(inline_elements(html, "script"), ["\nboot();\n"]);
        assert!(inline_elements("<p>no scripts</p>", "script").is_empty());
        assert!(inline_elements("<script>unterminated", "script").is_empty());
        let page = "<style>body{margin:0}</style><script>boot()</script>";
        assert_eq!(inline_elements(page, "style"), ["body{margin:0}"]);
    }

    #[test]
    fn the_policy_allows_wasm_and_the_hashed_boot_script_only() {
        let csp =
            content_security_policy(&["'sha256-abc'".to_owned()], &["'sha256-css'".to_owned()]);
        assert!(
            csp.contains("script-src 'self' 'wasm-unsafe-eval' 'sha256-abc';"),
            "{csp}"
        );
        assert!(csp.contains("style-src 'self' 'sha256-css';"), "{csp}");
        assert!(csp.contains("frame-ancestors 'none'"));
        assert!(!csp.contains("unsafe-inline"));
        assert!(!csp.contains("'unsafe-eval'"));
    }
}
