//! Staff authentication: bearer tokens configured as SHA-256 hashes, each
//! scoped to one facility or to all (`*`). Tokens themselves are never
//! stored; comparison takes the same time whichever entry matches. The
//! admin page's sessions are in [`crate::service`] (`open_staff_session`).

use axum::http::HeaderMap;
use sha2::{Digest, Sha256};
use subtle::{Choice, ConstantTimeEq};

use crate::domain::ServerKey;
use crate::service::{StaffMember, StaffScope};
use crate::{Code, Error, Result};

/// The environment variable holding the staff tokens:
/// `facility-id:sha256hex,*:sha256hex` (comma- or newline-separated). An
/// entry may start with a label naming the staff member in the audit log:
/// `kim=facility-id:sha256hex`; without one the label is the scope and
/// the entry's number among those of its scope (`seoul-fashion#2`, `*#1`).
pub const STAFF_TOKENS_ENV: &str = "SBIZ_STAFF_TOKENS";

/// Longest label of a staff entry.
const LABEL_CHARS: usize = 40;

#[derive(Clone, Default)]
pub struct StaffTokens(Vec<(StaffScope, [u8; 32], String)>);

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
            let (label, scope) = match scope.split_once('=') {
                Some((label, scope)) => {
                    let label = label.trim();
                    if label.is_empty()
                        || label.chars().count() > LABEL_CHARS
                        || !label
                            .chars()
                            .all(|c| c.is_alphanumeric() || "-_.#".contains(c))
                    {
                        return Err(bad(
                            "the label must be 1 to 40 letters, digits, '-', '_', '.' or '#'",
                        ));
                    }
                    (Some(label.to_owned()), scope)
                }
                None => (None, scope),
            };
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
            let label = label.unwrap_or_else(|| {
                let n = out.iter().filter(|(s, _, _)| *s == scope).count() + 1;
                format!("{}#{n}", scope_text(&scope))
            });
            out.push((scope, h, label));
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
        for (scope, hash, _) in &self.0 {
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
        for (i, (_, hash, _)) in self.0.iter().enumerate() {
            if bool::from(hash.ct_eq(&digest)) && found.is_none() {
                found = Some(i);
            }
        }
        found
    }

    /// The name a session keeps of the entry a token matches: a keyed hash
    /// of the entry (its scope and configured hash), so that neither the
    /// store nor the cookie reveals the entry, and an entry that is removed
    /// or re-scoped no longer names any session.
    pub fn entry(&self, secret: &ServerKey, token: &str) -> Option<String> {
        self.entry_of(token)
            .map(|i| entry_name(secret, &self.0[i].0, &self.0[i].1))
    }

    /// The scope of the configured entry with this name, if it is still
    /// configured.
    pub fn scope_of_entry(&self, secret: &ServerKey, name: &str) -> Option<StaffScope> {
        self.member_of_entry(secret, name).map(|m| m.scope)
    }

    /// The staff member (scope and label) of the configured entry with this
    /// name, if it is still configured.
    pub fn member_of_entry(&self, secret: &ServerKey, name: &str) -> Option<StaffMember> {
        let mut found = None;
        for (scope, hash, label) in &self.0 {
            let hit = entry_name(secret, scope, hash)
                .as_bytes()
                .ct_eq(name.as_bytes());
            if bool::from(hit) && found.is_none() {
                found = Some(StaffMember {
                    scope: scope.clone(),
                    label: label.clone(),
                });
            }
        }
        found
    }

    /// The staff member a token is (constant time per entry).
    pub fn member(&self, token: &str) -> Option<StaffMember> {
        self.entry_of(token).map(|i| StaffMember {
            scope: self.0[i].0.clone(),
            label: self.0[i].2.clone(),
        })
    }

    /// The scope from an `Authorization: Bearer …` header.
    pub fn from_headers(&self, headers: &HeaderMap) -> Result<StaffScope> {
        self.member_from_headers(headers).map(|m| m.scope)
    }

    /// The staff member from an `Authorization: Bearer …` header.
    pub fn member_from_headers(&self, headers: &HeaderMap) -> Result<StaffMember> {
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
        self.member(token).ok_or_else(|| {
            Error::with_message(Code::Unauthorized, "관리자 토큰이 올바르지 않습니다.")
        })
    }
}

/// The staff session cookie (HttpOnly, SameSite=Strict, path `/api/admin`).
pub const SESSION_COOKIE: &str = "sbiz_staff";
/// How long a staff session lasts idle, and at most from sign-in.
pub use crate::service::{SESSION_MAX_SECONDS, SESSION_SECONDS};

fn scope_text(scope: &StaffScope) -> String {
    match scope {
        StaffScope::All => "*".to_owned(),
        StaffScope::Facility(f) => f.to_string(),
    }
}

fn entry_name(secret: &ServerKey, scope: &StaffScope, hash: &[u8; 32]) -> String {
    let scope = scope_text(scope);
    hex::encode(secret.mac("staff-entry", &[scope.as_bytes(), hash]))
}

/// The value of the session cookie in a `Cookie` header.
pub fn session_cookie(headers: &HeaderMap) -> Option<&str> {
    cookie(headers, SESSION_COOKIE)
}

/// The value of the cookie `name` in the `Cookie` headers.
pub fn cookie<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

#[cfg(test)]
mod tests {
    #[test]
    fn entries_are_named_by_scope_and_hash_under_the_secret() {
        let secret = ServerKey::generate();
        let hash = StaffTokens::hash_token("facility-secret");
        let t = StaffTokens::parse(&format!("seoul-fashion:{hash}")).unwrap();
        assert!(t.entry(&secret, "guess").is_none());
        let name = t.entry(&secret, "facility-secret").unwrap();
        assert!(!name.contains(&hash) && !name.contains("facility-secret"));
        assert_eq!(
            t.scope_of_entry(&secret, &name),
            Some(StaffScope::Facility("seoul-fashion".parse().unwrap()))
        );
        // Another secret, a removed entry or the same token re-scoped: no session.
        assert_eq!(t.scope_of_entry(&ServerKey::generate(), &name), None);
        assert_eq!(StaffTokens::default().scope_of_entry(&secret, &name), None);
        let rescoped = StaffTokens::parse(&format!("*:{hash}")).unwrap();
        assert_eq!(rescoped.scope_of_entry(&secret, &name), None);
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

    #[test]
    fn entries_are_labelled_for_the_audit_log() {
        let h = |t: &str| StaffTokens::hash_token(t);
        let spec = format!(
            "seoul-fashion:{}, kim=seoul-fashion:{}, seoul-fashion:{}, *:{}",
            h("a"),
            h("b"),
            h("c"),
            h("d")
        );
        let t = StaffTokens::parse(&spec).unwrap();
        let label = |tok: &str| t.member(tok).unwrap().label;
        assert_eq!(label("a"), "seoul-fashion#1");
        assert_eq!(label("b"), "kim");
        assert_eq!(
            label("c"),
            "seoul-fashion#3",
            "numbered among its scope's entries"
        );
        assert_eq!(label("d"), "*#1");
        assert!(!label("a").contains(&h("a")));
        assert_eq!(
            t.member("b").unwrap().scope,
            StaffScope::Facility("seoul-fashion".parse().unwrap())
        );
        let secret = ServerKey::generate();
        let name = t.entry(&secret, "b").unwrap();
        assert_eq!(t.member_of_entry(&secret, &name).unwrap().label, "kim");
        for bad in [format!("=x:{}", h("a")), format!("a b=x:{}", h("a"))] {
            assert!(StaffTokens::parse(&bad).is_err(), "{bad}");
        }
    }
}
