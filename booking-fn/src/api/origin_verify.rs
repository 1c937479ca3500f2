//! Requests that must come through the deployment's front end.
//!
//! On AWS the HTTP API has an address of its own besides CloudFront's
//! `/api/*`; requests sent there would skip the WAF and set the client
//! address header (`SBIZ_CLIENT_IP_HEADER`) themselves. CloudFront adds
//! [`HEADER`] with a secret to every request it sends to the API, and the
//! function, given the same secret in `SBIZ_ORIGIN_SECRET`, refuses every
//! request without it: `403 direct_request`, before anything is read or
//! stored (`/api/health` too: it probes the store). The header is removed
//! before the rest of the router sees the request, and its value is never
//! logged. Without `SBIZ_ORIGIN_SECRET` (a local or self-hosted server)
//! nothing is checked.

use std::fmt;
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sbiz_catalog::Lang;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::answer;
use super::state::AppState;
use crate::error::{Code, Error, Result};

/// The environment variable holding the secret the front end sends.
pub const ORIGIN_SECRET_ENV: &str = "SBIZ_ORIGIN_SECRET";
/// The header the front end sends it in (CloudFront's origin custom header).
pub const HEADER: &str = "x-sbiz-origin-verify";
/// The shortest secret accepted (`openssl rand -hex 32` gives 64).
pub const MIN_LEN: usize = 32;

/// The secret shared with the front end; only its SHA-256 is kept, and
/// `Debug` shows nothing of it.
#[derive(Clone)]
pub struct OriginSecret(Arc<[u8; 32]>);

impl fmt::Debug for OriginSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("OriginSecret(..)")
    }
}

impl OriginSecret {
    /// A secret of at least [`MIN_LEN`] visible ASCII characters (what an
    /// HTTP header carries as is).
    pub fn new(value: &str) -> Result<OriginSecret> {
        if value.len() < MIN_LEN || !value.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(Error::Config(format!(
                "{ORIGIN_SECRET_ENV} must be at least {MIN_LEN} visible ASCII characters \
                 without spaces (generate one with `openssl rand -hex 32`)"
            )));
        }
        Ok(OriginSecret(Arc::new(
            Sha256::digest(value.as_bytes()).into(),
        )))
    }

    /// `SBIZ_ORIGIN_SECRET`: `None` when unset; set but too short (empty
    /// included) or not text, an error that stops the start.
    pub fn from_env() -> Result<Option<OriginSecret>> {
        match std::env::var(ORIGIN_SECRET_ENV) {
            Ok(value) => OriginSecret::new(&value).map(Some),
            Err(std::env::VarError::NotPresent) => Ok(None),
            Err(e) => Err(Error::Config(format!("{ORIGIN_SECRET_ENV}: {e}"))),
        }
    }

    /// Whether a presented value is the secret, in time independent of
    /// where they differ (both are hashed, the hashes compared in constant
    /// time).
    pub fn matches(&self, presented: &[u8]) -> bool {
        let digest: [u8; 32] = Sha256::digest(presented).into();
        bool::from(digest.ct_eq(&*self.0))
    }
}

/// The middleware: with a secret configured, exactly one [`HEADER`] with
/// the secret, or `403 direct_request`; the header is removed either way.
pub(crate) async fn require(State(app): State<AppState>, mut req: Request, next: Next) -> Response {
    let Some(secret) = app.config().origin_secret.as_ref() else {
        return next.run(req).await;
    };
    let headers = req.headers_mut();
    let mut values = headers.get_all(HEADER).iter();
    let verified = match (values.next(), values.next()) {
        (Some(v), None) => secret.matches(v.as_bytes()),
        _ => false,
    };
    headers.remove(HEADER);
    if verified {
        return next.run(req).await;
    }
    tracing::info!(
        code = Code::DirectRequest.as_str(),
        "rejected: not through the front end"
    );
    refusal()
}

/// `403 direct_request` as JSON, with the headers every answer carries
/// (this answer is given outside `log_and_secure`, so it adds them itself).
fn refusal() -> Response {
    let e = Error::new(Code::DirectRequest);
    let mut res = (
        StatusCode::FORBIDDEN,
        axum::Json(answer::error_json(&e, Lang::Ko)),
    )
        .into_response();
    super::reply::secure_headers(res.headers_mut());
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_or_unprintable_secrets_are_refused_and_debug_shows_nothing() {
        for bad in [
            "",
            "short",
            &"a".repeat(MIN_LEN - 1),
            &format!("{} b", "a".repeat(MIN_LEN)),
        ] {
            let e = OriginSecret::new(bad).expect_err(bad);
            assert!(e.to_string().contains(ORIGIN_SECRET_ENV), "{e}");
        }
        let value = "0123456789abcdef".repeat(4);
        let s = OriginSecret::new(&value).expect("64 hex digits");
        assert!(s.matches(value.as_bytes()));
        assert!(!s.matches(&value.as_bytes()[..63]));
        assert!(!s.matches(b""));
        assert!(!format!("{s:?}").contains("0123"));
    }
}
