//! The cross-site check on every state-changing API request (anything but GET, HEAD and
//! OPTIONS). The session cookies are `SameSite=Strict`, but SameSite alone lets through a
//! request from a sibling subdomain (same site, other origin) and from browsers that ignore
//! the attribute; this check asks the browser where the request came from.
//!
//! - `Sec-Fetch-Site`, which a page cannot set, decides when present: `same-origin` (the two
//!   apps, served from this one origin) and `none` (the person themselves, e.g. an address
//!   typed in) pass; `same-site`, `cross-site` and anything else are refused. `same-site` is
//!   refused on purpose: no page of another origin has any business changing state here, and
//!   it is exactly the case `SameSite=Strict` cookies do not cover.
//! - Without it (older browsers, or plain-http addresses other than localhost, to which
//!   browsers send no `Sec-Fetch-*`), an `Origin` must be the public URL's origin, or the
//!   origin the request was addressed to (the public URL's scheme and the `Host` header: a
//!   phone on a developer's network reaching `--listen 0.0.0.0:8080` by its LAN address). A
//!   forged cross-site request cannot choose its `Host`: the browser sets it to this service.
//! - With neither header the request is not from a browser page (curl, an institution's
//!   server with its Bearer key, the router tests) and passes: a page cannot send a POST
//!   without `Origin`, so there is nothing for a cross-site attacker to use.

use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::AppError;
use crate::platform::refusal::Refusal;

/// The origins this service answers state-changing requests from.
#[derive(Debug, Clone)]
pub struct SameOrigin {
    /// The public URL's origin, normalised (`None` if it is not a URL).
    public: Option<String>,
    /// The public URL's scheme, to build the origin a request was addressed to.
    scheme: String,
}

impl SameOrigin {
    pub fn for_public_url(public_url: &str) -> Self {
        SameOrigin {
            public: origin_of(public_url),
            scheme: public_url
                .split_once("://")
                .map(|(scheme, _)| scheme.to_ascii_lowercase())
                .unwrap_or_default(),
        }
    }

    fn allows(&self, method: &Method, headers: &HeaderMap) -> bool {
        if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
            return true;
        }
        if let Some(site) = headers.get("sec-fetch-site") {
            return site == "same-origin" || site == "none";
        }
        let Some(origin) = headers.get(header::ORIGIN) else {
            return true;
        };
        let Some(origin) = origin.to_str().ok().and_then(origin_of) else {
            // "null" (a sandboxed frame, a redirect) or no origin at all.
            return false;
        };
        let addressed = headers
            .get(header::HOST)
            .and_then(|host| host.to_str().ok())
            .and_then(|host| origin_of(&format!("{}://{host}", self.scheme)));
        self.public.as_ref() == Some(&origin) || addressed == Some(origin)
    }
}

/// `scheme://host[:port]` of a URL or origin, lower-case, without a default port.
fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.trim().split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    let authority = rest
        .split(['/', '?', '#'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    if authority.is_empty() {
        return None;
    }
    let default_port = match scheme.as_str() {
        "https" => ":443",
        "http" => ":80",
        _ => "",
    };
    let authority = match authority.strip_suffix(default_port) {
        Some(host) if !default_port.is_empty() => host.to_owned(),
        _ => authority,
    };
    Some(format!("{scheme}://{authority}"))
}

fn cross_site() -> Refusal {
    Refusal::new(
        StatusCode::FORBIDDEN,
        "cross-site",
        "Permintaan dari situs lain ditolak. Buka aplikasi IKD langsung dari alamat resminya, \
         lalu coba lagi",
        "A request from another site was refused. Open the IKD app directly at its own \
         address, then try again",
    )
}

pub(super) async fn refuse(
    State(same_origin): State<SameOrigin>,
    request: Request,
    next: Next,
) -> Response {
    if same_origin.allows(request.method(), request.headers()) {
        next.run(request).await
    } else {
        AppError::Refused(cross_site()).into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_compared_without_case_path_or_default_port() {
        assert_eq!(
            origin_of("https://IKD.example.go.id:443/app/").as_deref(),
            Some("https://ikd.example.go.id")
        );
        assert_eq!(
            origin_of("http://0.0.0.0:8080").as_deref(),
            Some("http://0.0.0.0:8080")
        );
        assert_eq!(
            origin_of("http://[::1]:80").as_deref(),
            Some("http://[::1]")
        );
        assert_eq!(origin_of("null"), None);
        assert_eq!(origin_of("https://"), None);
    }
}
