//! Staff authentication: bearer tokens configured as SHA-256 hashes, each
//! scoped to one facility or to all (`*`). Tokens themselves are never
//! stored; comparison takes the same time whichever entry matches.

use axum::http::HeaderMap;
use sha2::{Digest, Sha256};
use subtle::{Choice, ConstantTimeEq};

use crate::service::StaffScope;
use crate::{Code, Error, Result};

/// The environment variable holding the staff tokens:
/// `facility-id:sha256hex,*:sha256hex` (comma- or newline-separated).
pub const STAFF_TOKENS_ENV: &str = "SBIZ_STAFF_TOKENS";

#[derive(Clone, Default)]
pub struct StaffTokens(Vec<(StaffScope, [u8; 32])>);

impl std::fmt::Debug for StaffTokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "StaffTokens({} configured)", self.0.len())
    }
}

impl StaffTokens {
    pub fn parse(spec: &str) -> Result<StaffTokens> {
        let mut out = Vec::new();
        for (i, entry) in spec
            .split([',', '\n'])
            .map(str::trim)
            .filter(|e| !e.is_empty())
            .enumerate()
        {
            let bad =
                |why: &str| Error::Config(format!("{STAFF_TOKENS_ENV} entry {}: {why}", i + 1));
            let (scope, hash) = entry
                .rsplit_once(':')
                .ok_or_else(|| bad("expected SCOPE:SHA256HEX"))?;
            let scope = match scope.trim() {
                "*" => StaffScope::All,
                f => StaffScope::Facility(
                    f.parse()
                        .map_err(|_| bad("the scope is neither * nor a facility id"))?,
                ),
            };
            let mut h = [0u8; 32];
            hex::decode_to_slice(hash.trim(), &mut h)
                .map_err(|_| bad("the hash is not 64 hex digits"))?;
            out.push((scope, h));
        }
        Ok(StaffTokens(out))
    }

    pub fn from_env() -> Result<StaffTokens> {
        match std::env::var(STAFF_TOKENS_ENV) {
            Ok(spec) => StaffTokens::parse(&spec),
            Err(std::env::VarError::NotPresent) => Ok(StaffTokens::default()),
            Err(e) => Err(Error::Config(format!("{STAFF_TOKENS_ENV}: {e}"))),
        }
    }

    /// The hash to configure for a token (for operators and tests).
    pub fn hash_token(token: &str) -> String {
        hex::encode(Sha256::digest(token.as_bytes()))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The scope of the token, checking every entry in constant time each.
    pub fn authenticate(&self, token: &str) -> Option<StaffScope> {
        let digest: [u8; 32] = Sha256::digest(token.as_bytes()).into();
        let mut found: Option<StaffScope> = None;
        for (scope, hash) in &self.0 {
            let hit: Choice = hash.ct_eq(&digest);
            if bool::from(hit) && found.is_none() {
                found = Some(scope.clone());
            }
        }
        found
    }

    /// Which configured entry a token matches (constant time per entry).
    fn entry_of(&self, token: &str) -> Option<usize> {
        let digest: [u8; 32] = Sha256::digest(token.as_bytes()).into();
        let mut found = None;
        for (i, (_, hash)) in self.0.iter().enumerate() {
            if bool::from(hash.ct_eq(&digest)) && found.is_none() {
                found = Some(i);
            }
        }
        found
    }

    /// A session cookie value for a token, valid until `expires` (Unix
    /// seconds): `v1.ENTRY.EXPIRES.MAC`, where MAC is an HMAC-SHA256 keyed
    /// with the entry's configured hash. It holds no token, works on every
    /// instance of the function, and stops working when the entry is removed.
    pub fn session_for(&self, token: &str, expires: i64) -> Option<String> {
        let i = self.entry_of(token)?;
        let msg = format!("v1.{i}.{expires}");
        let mac = hmac_sha256(&self.0[i].1, msg.as_bytes());
        Some(format!("{msg}.{}", hex::encode(mac)))
    }

    /// The scope of a session cookie value still valid at `now` (Unix seconds).
    pub fn from_session(&self, value: &str, now: i64) -> Option<StaffScope> {
        let mut parts = value.trim().split('.');
        let (Some("v1"), Some(i), Some(exp), Some(mac), None) = (
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
        ) else {
            return None;
        };
        let i: usize = i.parse().ok()?;
        let expires: i64 = exp.parse().ok()?;
        let (scope, key) = self.0.get(i)?;
        let mut given = [0u8; 32];
        hex::decode_to_slice(mac, &mut given).ok()?;
        let want = hmac_sha256(key, format!("v1.{i}.{expires}").as_bytes());
        (bool::from(want.ct_eq(&given)) && now < expires).then(|| scope.clone())
    }

    /// The scope from an `Authorization: Bearer …` header.
    pub fn from_headers(&self, headers: &HeaderMap) -> Result<StaffScope> {
        let token = headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                v.strip_prefix("Bearer ")
                    .or_else(|| v.strip_prefix("bearer "))
            })
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| Error::new(Code::Unauthorized))?;
        self.authenticate(token).ok_or_else(|| {
            Error::with_message(Code::Unauthorized, "관리자 토큰이 올바르지 않습니다.")
        })
    }
}

/// The staff session cookie (HttpOnly, SameSite=Strict, path `/api/admin`).
pub const SESSION_COOKIE: &str = "sbiz_staff";
/// How long a staff session lasts.
pub const SESSION_SECONDS: i64 = 30 * 60;

/// The value of the session cookie in a `Cookie` header.
pub fn session_cookie(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(k, _)| *k == SESSION_COOKIE)
        .map(|(_, v)| v)
}

fn hmac_sha256(key: &[u8; 32], msg: &[u8]) -> [u8; 32] {
    let mut k = [0u8; 64];
    k[..32].copy_from_slice(key);
    let mut inner = Sha256::new();
    inner.update(k.map(|b| b ^ 0x36));
    inner.update(msg);
    let mut outer = Sha256::new();
    outer.update(k.map(|b| b ^ 0x5c));
    outer.update(inner.finalize());
    outer.finalize().into()
}

#[cfg(test)]
mod tests {
    #[test]
    fn sessions_are_signed_scoped_and_expire() {
        let spec = format!(
            "seoul-fashion:{}",
            StaffTokens::hash_token("facility-secret")
        );
        let t = StaffTokens::parse(&spec).unwrap();
        assert!(t.session_for("guess", 100).is_none());
        let v = t.session_for("facility-secret", 100).unwrap();
        assert!(!v.contains("facility-secret"));
        assert_eq!(
            t.from_session(&v, 99),
            Some(StaffScope::Facility("seoul-fashion".parse().unwrap()))
        );
        assert_eq!(t.from_session(&v, 100), None);
        assert_eq!(t.from_session(&v.replace("v1.0.100", "v1.0.999"), 99), None);
        assert_eq!(t.from_session("v1.0.100.zz", 1), None);
        // RFC 4231 shape check: HMAC differs from a plain hash.
        assert_ne!(
            hmac_sha256(&[0; 32], b"x"),
            <[u8; 32]>::from(Sha256::digest(b"x"))
        );
    }

    use super::*;

    #[test]
    fn tokens_parse_and_authenticate_by_scope() {
        let spec = format!(
            "seoul-fashion:{},\n *:{}",
            StaffTokens::hash_token("facility-secret"),
            StaffTokens::hash_token("city-secret")
        );
        let t = StaffTokens::parse(&spec).unwrap();
        assert_eq!(
            t.authenticate("facility-secret"),
            Some(StaffScope::Facility("seoul-fashion".parse().unwrap()))
        );
        assert_eq!(t.authenticate("city-secret"), Some(StaffScope::All));
        assert_eq!(t.authenticate("guess"), None);
        assert_eq!(t.authenticate(""), None);
        assert!(!format!("{t:?}").contains(&StaffTokens::hash_token("city-secret")));
        for bad in ["nocolon", "Bad Scope:00", &format!("x:{}", "zz".repeat(32))] {
            assert!(StaffTokens::parse(bad).is_err(), "{bad}");
        }
        assert!(StaffTokens::parse("").unwrap().is_empty());
    }
}
