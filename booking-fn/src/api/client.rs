//! The address of the client a request comes from, for per-client limits
//! (one-time codes of 내 예약·신청). Never logged or stored as is: the
//! limits key their counters with a keyed hash of it.
//!
//! Where it is read, first found:
//! 1. the header named by `SBIZ_CLIENT_IP_HEADER`, which a trusted front
//!    end sets to the client's address, overwriting whatever the client
//!    sent (the AWS stack's CloudFront function sets `x-sbiz-client-ip` on
//!    every `/api/*` request, and `SBIZ_ORIGIN_SECRET` makes the function
//!    refuse requests that did not come through CloudFront, see
//!    [`origin_verify`](super::origin_verify); nginx: `proxy_set_header
//!    X-Real-IP $remote_addr` with `SBIZ_CLIENT_IP_HEADER=x-real-ip`);
//! 2. the connection's peer (the plain server, `sbiz serve`, which puts
//!    the client's address there behind its trusted proxy);
//! 3. under Lambda, the HTTP API's `sourceIp`.
//!
//! Without a front end that sets the header, a proxy's address would be
//! everyone's: behind one, set the variable.

use std::net::SocketAddr;
use std::sync::OnceLock;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;

use super::state::{AppState, CLIENT_IP_HEADER_ENV};

/// The client's address as the deployment knows it (`-` when unknown).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ClientAddress(pub String);

/// The configured header, read once.
fn header_name() -> Option<&'static str> {
    static NAME: OnceLock<Option<String>> = OnceLock::new();
    NAME.get_or_init(|| {
        std::env::var(CLIENT_IP_HEADER_ENV)
            .ok()
            .map(|v| v.trim().to_ascii_lowercase())
            .filter(|v| !v.is_empty())
    })
    .as_deref()
}

/// The address of a request, from `header` (when configured) or what the
/// server knows of the connection.
pub(crate) fn address_of(parts: &Parts, header: Option<&str>) -> String {
    if let Some(name) = header
        && let Some(v) = parts.headers.get(name).and_then(|v| v.to_str().ok())
    {
        // `ip`, `ip:port` (CloudFront-Viewer-Address), or a list whose last
        // entry the front end appended.
        let last = v.rsplit(',').next().unwrap_or(v).trim();
        if !last.is_empty() {
            return last
                .parse::<SocketAddr>()
                .map_or_else(|_| last.to_owned(), |a| a.ip().to_string());
        }
    }
    if let Some(ConnectInfo(peer)) = parts.extensions.get::<ConnectInfo<SocketAddr>>() {
        return peer.ip().to_string();
    }
    #[cfg(feature = "lambda")]
    if let Some(lambda_http::request::RequestContext::ApiGatewayV2(ctx)) =
        parts
            .extensions
            .get::<lambda_http::request::RequestContext>()
        && let Some(ip) = &ctx.http.source_ip
    {
        return ip.clone();
    }
    "-".to_owned()
}

impl FromRequestParts<AppState> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        _state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(ClientAddress(address_of(parts, header_name())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::Request;

    fn parts(headers: &[(&str, &str)], peer: Option<&str>) -> Parts {
        let mut b = Request::builder();
        for (k, v) in headers {
            b = b.header(*k, *v);
        }
        let mut req = b.body(()).unwrap();
        if let Some(p) = peer {
            req.extensions_mut()
                .insert(ConnectInfo(p.parse::<SocketAddr>().unwrap()));
        }
        req.into_parts().0
    }

    #[test]
    fn the_configured_header_wins_and_is_only_trusted_when_configured() {
        let p = parts(
            &[("x-sbiz-client-ip", "198.51.100.7")],
            Some("10.0.0.1:443"),
        );
        assert_eq!(address_of(&p, Some("x-sbiz-client-ip")), "198.51.100.7");
        // Not configured: a header the client sent means nothing.
        assert_eq!(address_of(&p, None), "10.0.0.1");
        let p = parts(&[("x-real-ip", "203.0.113.9:5123")], None);
        assert_eq!(address_of(&p, Some("x-real-ip")), "203.0.113.9");
        let p = parts(&[("x-forwarded-for", "1.2.3.4, 203.0.113.9")], None);
        assert_eq!(address_of(&p, Some("x-forwarded-for")), "203.0.113.9");
        // Configured but absent: the peer.
        let p = parts(&[], Some("192.0.2.1:80"));
        assert_eq!(address_of(&p, Some("x-real-ip")), "192.0.2.1");
        assert_eq!(address_of(&parts(&[], None), None), "-");
    }
}
