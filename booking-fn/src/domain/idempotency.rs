//! Idempotency keys: a client's name for one submission, so a retry returns
//! the first result instead of making a second record.

use std::fmt;
use std::str::FromStr;

use super::{Invalid, ManageToken, ServerKey};
use serde::{Deserialize, Serialize};

/// 8 to 36 characters of `A-Z a-z 0-9 - _ . :` (a UUID fits). The upper
/// bound matches DynamoDB's `ClientRequestToken`, so the key can be passed
/// through as is.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct IdempotencyKey(String);

impl IdempotencyKey {
    /// Why a key is refused (also for a header that is not plain ASCII).
    pub const INVALID: Invalid = Invalid(crate::Msg::IdempotencyKey);

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

/// A key as the stores see it. The client's key itself is never stored:
///
/// * `id`, what the stores look a retry up by, is a keyed hash of it;
/// * `fingerprint` is a keyed hash of the operation name and every stored
///   field of the request: the same key with different content is a client
///   bug, answered `idempotency_conflict`;
/// * the management token a replay must return is kept *sealed*: XORed with
///   a pad derived from the key and the server secret, which only a client
///   presenting the key again can have opened. The opened token is checked
///   against the record's token hash, so a wrong pad cannot go unnoticed.
///
/// All three are keyed with the [`ServerKey`], so a copy of the store alone
/// yields neither the tokens nor (by trying) the personal fields.
#[derive(Clone, PartialEq, Eq)]
pub struct IdempotencyRequest {
    id: String,
    pub fingerprint: String,
    pad: [u8; 16],
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
        secret: &ServerKey,
        key: &IdempotencyKey,
        operation: &str,
        stored: &impl Serialize,
    ) -> Result<IdempotencyRequest, serde_json::Error> {
        let json = serde_json::to_string(stored)?;
        Ok(IdempotencyRequest::new(secret, key, &[operation, &json]))
    }

    /// `parts` are the operation name followed by every stored field.
    pub fn new(secret: &ServerKey, key: &IdempotencyKey, parts: &[&str]) -> IdempotencyRequest {
        let key = key.as_str().as_bytes();
        let parts: Vec<&[u8]> = parts.iter().map(|p| p.as_bytes()).collect();
        let mut pad = [0u8; 16];
        pad.copy_from_slice(&secret.mac("idempotency-seal", &[key])[..16]);
        IdempotencyRequest {
            id: hex::encode(secret.mac("idempotency-id", &[key])),
            fingerprint: hex::encode(secret.mac("idempotency-fingerprint", &parts)),
            pad,
        }
    }

    /// What stores key the record by: 64 hex digits.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The management token as stored with the idempotency record.
    pub fn seal(&self, token: &ManageToken) -> String {
        token.xor(&self.pad).reveal()
    }

    /// The token back from [`IdempotencyRequest::seal`]'s output.
    pub fn open(&self, sealed: &str) -> Option<ManageToken> {
        sealed.parse::<ManageToken>().ok().map(|t| t.xor(&self.pad))
    }
}

/// Shows only the id: the pad opens a stored token.
impl fmt::Debug for IdempotencyRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "IdempotencyRequest({})", &self.id[..12])
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
        let s = ServerKey::generate();
        let k: IdempotencyKey = "abcdefgh".parse().unwrap();
        let a = IdempotencyRequest::new(&s, &k, &["op", "ab", "c"]);
        let b = IdempotencyRequest::new(&s, &k, &["op", "a", "bc"]);
        let c = IdempotencyRequest::new(&s, &k, &["op", "ab", "c"]);
        assert_ne!(a.fingerprint, b.fingerprint);
        assert_eq!(a, c);
    }

    #[test]
    fn the_stored_form_holds_neither_key_nor_token() {
        let s = ServerKey::generate();
        let k: IdempotencyKey = "550e8400-e29b-41d4-a716-446655440000".parse().unwrap();
        let req = IdempotencyRequest::new(&s, &k, &["reservation", "010-1234-5678"]);
        let token = ManageToken::generate();
        let sealed = req.seal(&token);
        assert_ne!(sealed, token.reveal());
        assert!(!req.id().contains("550e8400"));
        assert_eq!(req.id().len(), 64);
        assert_eq!(req.open(&sealed), Some(token.clone()));
        // Another key, or the same key under another secret, opens nothing useful.
        let other: IdempotencyKey = "550e8400-e29b-41d4-a716-446655440001".parse().unwrap();
        let wrong = IdempotencyRequest::new(&s, &other, &["reservation", "010-1234-5678"]);
        assert_ne!(wrong.open(&sealed), Some(token.clone()));
        let elsewhere = IdempotencyRequest::new(&ServerKey::generate(), &k, &["reservation"]);
        assert_ne!(elsewhere.open(&sealed), Some(token));
        assert_ne!(elsewhere.id(), req.id());
        assert!(!format!("{req:?}").contains(&req.id()[12..]));
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
        let secret = ServerKey::generate();
        let of = |op: &str, s: &Stored| IdempotencyRequest::of(&secret, &k, op, s).unwrap();
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
