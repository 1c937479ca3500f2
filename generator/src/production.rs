//! `sbiz serve --production`: the self-hosted mode. Compared with the
//! preview it has no live reload and injects nothing into pages, sends the
//! same security and caching headers as the CloudFront distribution in
//! `deploy/template.yaml` (a test compares them), and rate-limits `/api/`
//! per client address with a token bucket of the same budget as the WAF
//! rule in `deploy/waf-us-east-1.yaml`.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Mutex;
use std::time::Instant;

use axum::extract::{ConnectInfo, Request};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// The pages' Content-Security-Policy: only the site's own external scripts,
/// styles, images, fonts and API; no inline script, no framing.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; manifest-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
/// Two years, subdomains included (CloudFront: 63072000, IncludeSubdomains).
pub(crate) const STRICT_TRANSPORT_SECURITY: &str = "max-age=63072000; includeSubDomains";
pub const REFERRER_POLICY: &str = "same-origin";
pub const PERMISSIONS_POLICY: &str = "camera=(), microphone=(), geolocation=(), payment=()";
pub(crate) const FRAME_OPTIONS: &str = "DENY";
/// Pages, feeds, data files: browsers revalidate every time.
pub const REVALIDATE: &str = "public, max-age=0, must-revalidate";
/// `/assets/*` have content-hashed names.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// The rate limit on `/api/`: `burst` requests at once, then `per_second`.
/// The default (60 at once, 1 per second) allows at most 360 requests in any
/// five minutes, next to the WAF rule's 300 per five minutes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RateLimit {
    pub burst: f64,
    pub per_second: f64,
}

impl Default for RateLimit {
    fn default() -> Self {
        RateLimit {
            burst: 60.0,
            per_second: 1.0,
        }
    }
}

impl std::str::FromStr for RateLimit {
    type Err = String;
    /// `BURST/PER_SECOND`, e.g. `60/1` or `120/2.5`.
    fn from_str(s: &str) -> Result<Self, String> {
        let (b, r) = s
            .split_once('/')
            .ok_or_else(|| format!("`{s}`: expected BURST/PER_SECOND, e.g. 60/1"))?;
        let burst: f64 = b
            .trim()
            .parse()
            .map_err(|_| format!("`{b}` is not a number"))?;
        let per_second: f64 = r
            .trim()
            .parse()
            .map_err(|_| format!("`{r}` is not a number"))?;
        if !(burst >= 1.0 && per_second > 0.0 && burst.is_finite() && per_second.is_finite()) {
            return Err(format!(
                "`{s}`: the burst must be at least 1 and the rate above 0"
            ));
        }
        Ok(RateLimit { burst, per_second })
    }
}

/// Per-address token buckets.
pub(crate) struct RateLimiter {
    limit: RateLimit,
    buckets: Mutex<HashMap<IpAddr, (f64, Instant)>>,
}

impl RateLimiter {
    pub(crate) fn new(limit: RateLimit) -> RateLimiter {
        RateLimiter {
            limit,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one token for `ip` at `now`: `Ok` or `Err(seconds to wait)`.
    pub(crate) fn check_at(&self, ip: IpAddr, now: Instant) -> Result<(), u64> {
        let RateLimit { burst, per_second } = self.limit;
        let mut buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        if buckets.len() > 50_000 {
            // Forget the addresses whose bucket is full again anyway.
            buckets.retain(|_, (tokens, at)| {
                *tokens + now.saturating_duration_since(*at).as_secs_f64() * per_second < burst
            });
        }
        let (tokens, at) = buckets.entry(ip).or_insert((burst, now));
        let refilled =
            (*tokens + now.saturating_duration_since(*at).as_secs_f64() * per_second).min(burst);
        *at = now;
        if refilled >= 1.0 {
            *tokens = refilled - 1.0;
            Ok(())
        } else {
            *tokens = refilled;
            Err(((1.0 - refilled) / per_second).ceil().max(1.0) as u64)
        }
    }

    pub(crate) fn check(&self, ip: IpAddr) -> Result<(), u64> {
        self.check_at(ip, Instant::now())
    }
}

/// The client's address: the peer's, or, when `trust_proxy` and the peer is
/// a loopback reverse proxy, the last address it appended to
/// `X-Forwarded-For` (nginx `$proxy_add_x_forwarded_for`, Caddy).
pub(crate) fn client_ip(peer: SocketAddr, headers: &HeaderMap, trust_proxy: bool) -> IpAddr {
    if trust_proxy && peer.ip().is_loopback() {
        let forwarded = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .filter_map(|s| s.trim().parse::<IpAddr>().ok())
            .next_back();
        if let Some(ip) = forwarded {
            return ip;
        }
    }
    peer.ip()
}

/// The answer when the bucket is empty (the same body as the WAF rule's).
pub(crate) fn too_many_requests(retry_after: u64) -> Response {
    (
        StatusCode::TOO_MANY_REQUESTS,
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("application/json")),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
            (
                header::RETRY_AFTER,
                HeaderValue::from_str(&retry_after.to_string())
                    .unwrap_or(HeaderValue::from_static("60")),
            ),
        ],
        r#"{"error":{"code":"rate_limited","message":"요청이 너무 많습니다. 잠시 후 다시 시도해 주세요."}}"#,
    )
        .into_response()
}

/// Adds the site's headers to a static file's answer at `path`.
pub(crate) fn site_headers(path: &str, res: &mut Response) {
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    h.insert(
        header::X_FRAME_OPTIONS,
        HeaderValue::from_static(FRAME_OPTIONS),
    );
    h.insert(
        "permissions-policy",
        HeaderValue::from_static(PERMISSIONS_POLICY),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static(REFERRER_POLICY),
    );
    common_headers(res);
    let cache = if path.starts_with("/assets/") && res.status().is_success() {
        IMMUTABLE
    } else {
        REVALIDATE
    };
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
}

/// Headers every answer gets, the API's included (which sets its own CSP,
/// referrer policy and caching).
pub(crate) fn common_headers(res: &mut Response) {
    let h = res.headers_mut();
    h.insert(
        header::STRICT_TRANSPORT_SECURITY,
        HeaderValue::from_static(STRICT_TRANSPORT_SECURITY),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
}

/// Rate-limits the API request `req`, or passes it to `next`.
pub(crate) async fn limit_api<F, Fut>(
    limiter: &RateLimiter,
    trust_proxy: bool,
    req: Request,
    next: F,
) -> Response
where
    F: FnOnce(Request) -> Fut,
    Fut: std::future::Future<Output = Response>,
{
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0)
        .unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 0)));
    let ip = client_ip(peer, req.headers(), trust_proxy);
    // The booking API's own per-client limits (one-time codes) read the
    // connection's peer: behind the trusted proxy, that is the client.
    let mut req = req;
    if ip != peer.ip() {
        req.extensions_mut()
            .insert(ConnectInfo(SocketAddr::new(ip, peer.port())));
    }
    let mut res = match limiter.check(ip) {
        Ok(()) => next(req).await,
        Err(wait) => too_many_requests(wait),
    };
    common_headers(&mut res);
    res
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn bucket_allows_the_burst_then_the_rate() {
        let l = RateLimiter::new(RateLimit {
            burst: 3.0,
            per_second: 1.0,
        });
        let ip: IpAddr = "203.0.113.7".parse().unwrap();
        let other: IpAddr = "203.0.113.8".parse().unwrap();
        let t = Instant::now();
        for _ in 0..3 {
            assert_eq!(l.check_at(ip, t), Ok(()));
        }
        assert_eq!(l.check_at(ip, t), Err(1));
        assert_eq!(l.check_at(other, t), Ok(()), "per address");
        assert_eq!(l.check_at(ip, t + Duration::from_millis(1100)), Ok(()));
        assert!(l.check_at(ip, t + Duration::from_millis(1200)).is_err());
        // Never more than the burst, however long it waited.
        let later = t + Duration::from_secs(3600);
        for _ in 0..3 {
            assert_eq!(l.check_at(ip, later), Ok(()));
        }
        assert!(l.check_at(ip, later).is_err());
    }

    #[test]
    fn forwarded_address_only_from_a_local_proxy() {
        let mut h = HeaderMap::new();
        h.insert(
            "x-forwarded-for",
            HeaderValue::from_static("10.0.0.1, 198.51.100.9"),
        );
        let local: SocketAddr = "127.0.0.1:5000".parse().unwrap();
        let remote: SocketAddr = "192.0.2.1:5000".parse().unwrap();
        assert_eq!(
            client_ip(local, &h, true),
            "198.51.100.9".parse::<IpAddr>().unwrap()
        );
        assert_eq!(client_ip(local, &h, false), local.ip());
        assert_eq!(client_ip(remote, &h, true), remote.ip());
    }

    #[test]
    fn rate_limits_parse() {
        assert_eq!(
            "60/1".parse::<RateLimit>(),
            Ok(RateLimit {
                burst: 60.0,
                per_second: 1.0
            })
        );
        assert!("0/1".parse::<RateLimit>().is_err());
        assert!("60".parse::<RateLimit>().is_err());
    }

    /// Behind the trusted proxy the booking API sees the client as the
    /// connection's peer (its per-client limits of 내 예약·신청 read it).
    #[tokio::test]
    async fn the_api_sees_the_client_behind_the_trusted_proxy() {
        let limiter = RateLimiter::new(RateLimit::default());
        let seen = |trust: bool, forwarded: &'static str| {
            let limiter = &limiter;
            async move {
                let mut req = Request::new(axum::body::Body::empty());
                req.headers_mut()
                    .insert("x-forwarded-for", HeaderValue::from_static(forwarded));
                req.extensions_mut().insert(ConnectInfo(
                    "127.0.0.1:5000".parse::<SocketAddr>().expect("addr"),
                ));
                let (tx, rx) = std::sync::mpsc::channel();
                limit_api(limiter, trust, req, |req| async move {
                    let peer = req
                        .extensions()
                        .get::<ConnectInfo<SocketAddr>>()
                        .map(|c| c.0.ip());
                    let _ = tx.send(peer);
                    StatusCode::OK.into_response()
                })
                .await;
                rx.recv().expect("the API was called")
            }
        };
        assert_eq!(
            seen(true, "198.51.100.9").await,
            Some("198.51.100.9".parse().expect("ip"))
        );
        assert_eq!(
            seen(false, "198.51.100.9").await,
            Some("127.0.0.1".parse().expect("ip"))
        );
    }
}
