//! The client's address, which per-address rate limits count.
//!
//! Without trusted proxies (`--trusted-proxy-hops 0`, the default) it is the TCP peer and
//! `X-Forwarded-For` is ignored. Behind `N` reverse proxies that each append the address they
//! were reached from, the header ends with `N` entries those proxies wrote; everything to their
//! left came from the client, who can write anything there. So the client address is the
//! `N`-th entry from the right, the right-most one no trusted proxy could have been fooled
//! about: a forged left-most entry changes nothing. (`--trust-forwarded-for` is one hop.)
//!
//! A header with fewer than `N` entries, or whose chosen entry is not an IP address, did not
//! come through the chain of proxies the configuration describes, so nothing in it is trusted:
//! the TCP peer counts. Behind a proxy that peer is the proxy itself, so such requests share
//! one allowance: stricter, never looser, than counting them apart.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;

use super::{AppError, AppState};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientIp(pub String);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let forwarded: Vec<&str> = parts
            .headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect();
        if let Some(client) = forwarded_client(&forwarded, state.config.trusted_proxy_hops) {
            return Ok(ClientIp(client.to_string()));
        }
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip().to_string())
            // In-process callers (router tests) have no socket.
            .unwrap_or_else(|| "local".to_owned());
        Ok(ClientIp(peer))
    }
}

/// The client address `hops` trusted proxies wrote into the `X-Forwarded-For` header lines
/// (in the order received; repeated lines form one list), or `None` when the TCP peer counts.
fn forwarded_client(lines: &[&str], hops: usize) -> Option<IpAddr> {
    if hops == 0 {
        return None;
    }
    lines
        .iter()
        .flat_map(|line| line.split(','))
        .rev()
        .nth(hops - 1)?
        .trim()
        .parse()
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client(lines: &[&str], hops: usize) -> Option<String> {
        forwarded_client(lines, hops).map(|ip| ip.to_string())
    }

    #[test]
    fn the_entry_hops_places_from_the_right_is_the_client() {
        assert_eq!(client(&["1.1.1.1, 2.2.2.2"], 0), None);
        assert_eq!(client(&["1.1.1.1, 2.2.2.2"], 1).as_deref(), Some("2.2.2.2"));
        assert_eq!(client(&["1.1.1.1,2.2.2.2"], 2).as_deref(), Some("1.1.1.1"));
        assert_eq!(
            client(&["1.1.1.1", "2001:db8::1"], 1).as_deref(),
            Some("2001:db8::1")
        );
        assert_eq!(
            client(&["1.1.1.1", "2.2.2.2"], 2).as_deref(),
            Some("1.1.1.1")
        );
        assert_eq!(client(&["2.2.2.2"], 2), None);
        assert_eq!(client(&[], 1), None);
        assert_eq!(client(&["1.1.1.1, "], 1), None);
        assert_eq!(client(&["1.1.1.1, unknown"], 1), None);
    }
}
