//! Idempotency keys: a client's name for one submission, so a retry returns
//! the first result instead of making a second record.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::Invalid;

/// 8 to 36 characters of `A-Z a-z 0-9 - _ . :` (a UUID fits). The upper
/// bound matches DynamoDB's `ClientRequestToken`, so the key can be passed
/// through as is.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct IdempotencyKey(String);

impl IdempotencyKey {
    /// Why a key is refused (also for a header that is not plain ASCII).
    pub const INVALID: Invalid =
        Invalid("요청 번호(Idempotency-Key)는 영문·숫자 8~36자여야 합니다.");

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for IdempotencyKey {
    type Err = Invalid;
    fn from_str(s: &str) -> Result<Self, Invalid> {
        let ok = (8..=36).contains(&s.len())
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'));
        if ok {
            Ok(IdempotencyKey(s.to_owned()))
        } else {
            Err(IdempotencyKey::INVALID)
        }
    }
}
impl TryFrom<String> for IdempotencyKey {
    type Error = Invalid;
    fn try_from(s: String) -> Result<Self, Invalid> {
        s.parse()
    }
}
impl From<IdempotencyKey> for String {
    fn from(v: IdempotencyKey) -> String {
        v.0
    }
}
impl fmt::Display for IdempotencyKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A key together with a digest of what was submitted under it: the same key
/// with different content is a client bug, answered `idempotency_conflict`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotencyRequest {
    pub key: IdempotencyKey,
    /// Hex SHA-256 over the operation name and the normalised request.
    pub fingerprint: String,
}

impl IdempotencyRequest {
    /// The request for `key` over everything a submission stores: the
    /// operation's name and `stored`, the normalised values that go into the
    /// record (for a reservation the run, the person and the consent
    /// version), as JSON. Serialising whole values rather than listing
    /// fields means a field added to a record later is covered without
    /// anyone having to remember it here (issue 9: the business name and
    /// e-mail were left out, and a corrected retry replayed the old record).
    pub fn of(
        key: IdempotencyKey,
        operation: &str,
        stored: &impl Serialize,
    ) -> Result<IdempotencyRequest, serde_json::Error> {
        let json = serde_json::to_string(stored)?;
        Ok(IdempotencyRequest::new(key, &[operation, &json]))
    }

    /// `parts` are the operation name followed by the normalised fields.
    pub fn new(key: IdempotencyKey, parts: &[&str]) -> IdempotencyRequest {
        let mut h = Sha256::new();
        for p in parts {
            h.update((p.len() as u64).to_be_bytes());
            h.update(p.as_bytes());
        }
        IdempotencyRequest {
            key,
            fingerprint: hex::encode(h.finalize()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys() {
        assert!(
            "550e8400-e29b-41d4-a716-446655440000"
                .parse::<IdempotencyKey>()
                .is_ok()
        );
        for bad in [
            "short",
            "has space in it",
            &"x".repeat(37),
            "키키키키키키키키",
        ] {
            assert!(bad.parse::<IdempotencyKey>().is_err(), "{bad}");
        }
    }

    #[test]
    fn fingerprints_separate_fields() {
        let k: IdempotencyKey = "abcdefgh".parse().unwrap();
        let a = IdempotencyRequest::new(k.clone(), &["op", "ab", "c"]);
        let b = IdempotencyRequest::new(k.clone(), &["op", "a", "bc"]);
        let c = IdempotencyRequest::new(k, &["op", "ab", "c"]);
        assert_ne!(a.fingerprint, b.fingerprint);
        assert_eq!(a, c);
    }

    #[test]
    fn fingerprints_of_values_cover_every_field() {
        #[derive(Serialize)]
        struct Stored<'a> {
            name: &'a str,
            business: &'a str,
            email: Option<&'a str>,
        }
        let k: IdempotencyKey = "abcdefgh".parse().unwrap();
        let of = |op: &str, s: &Stored| IdempotencyRequest::of(k.clone(), op, s).unwrap();
        let first = Stored {
            name: "홍길동",
            business: "길동봉제",
            email: None,
        };
        let a = of("reservation", &first);
        assert_eq!(a, of("reservation", &first));
        assert_ne!(a, of("application", &first));
        for other in [
            Stored {
                business: "길동패턴",
                ..first
            },
            Stored {
                email: Some("gd@example.kr"),
                ..first
            },
            Stored {
                name: "홍길순",
                ..first
            },
        ] {
            assert_ne!(a.fingerprint, of("reservation", &other).fingerprint);
        }
    }

    mod properties {
        use super::*;
        use crate::strategies::{config, messy_text};
        use proptest::prelude::*;

        fn allowed(b: u8) -> bool {
            b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':')
        }

        proptest! {
            #![proptest_config(config())]

            #[test]
            fn keys_are_accepted_exactly_when_valid(
                raw in messy_text(40),
                plain in "[A-Za-z0-9._:-]{0,40}",
            ) {
                for s in [raw, plain] {
                    let valid = (8..=36).contains(&s.len()) && s.bytes().all(allowed);
                    match s.parse::<IdempotencyKey>() {
                        Ok(k) => {
                            prop_assert!(valid, "{:?}", s);
                            prop_assert_eq!(k.as_str(), s.as_str());
                            let json = serde_json::to_string(&k).expect("serialise");
                            prop_assert_eq!(serde_json::from_str::<IdempotencyKey>(&json).ok(), Some(k));
                        }
                        Err(e) => {
                            prop_assert!(!valid, "{:?}", s);
                            prop_assert_eq!(e, IdempotencyKey::INVALID);
                        }
                    }
                }
            }
        }
    }
}
