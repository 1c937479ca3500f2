//! The personal data a booking needs (개인정보보호법 art. 16: the minimum):
//! name, phone, business name and, optionally, e-mail.

use std::fmt;

use sbiz_catalog::Phone;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{Invalid, ServerKey};

/// Trim, collapse inner whitespace, and reject control characters.
fn clean(
    s: &str,
    max_chars: usize,
    empty: &'static str,
    long: &'static str,
) -> Result<String, Invalid> {
    if s.chars().any(|c| c.is_control() && !c.is_whitespace()) {
        return Err(Invalid("쓸 수 없는 문자가 들어 있습니다."));
    }
    let cleaned = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if cleaned.is_empty() {
        return Err(Invalid(empty));
    }
    if cleaned.chars().count() > max_chars {
        return Err(Invalid(long));
    }
    Ok(cleaned)
}

macro_rules! text_value {
    ($(#[$doc:meta])* $name:ident, $max:expr, $empty:expr, $long:expr) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            pub const MAX_CHARS: usize = $max;
            pub fn parse(s: &str) -> Result<Self, Invalid> {
                clean(s, $max, $empty, $long).map($name)
            }
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }
        impl TryFrom<String> for $name {
            type Error = Invalid;
            fn try_from(s: String) -> Result<Self, Invalid> {
                Self::parse(&s)
            }
        }
        impl From<$name> for String {
            fn from(v: $name) -> String {
                v.0
            }
        }
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
        /// Personal data: never printed by `{:?}`, so it cannot reach a log by accident.
        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(concat!(stringify!($name), "(…)"))
            }
        }
    };
}

text_value!(
    /// A person's name as they write it (Korean or otherwise), 1 to 40 characters.
    PersonName, 40, "이름을 입력해 주세요.", "이름은 40자 이내로 입력해 주세요."
);
text_value!(
    /// A business (상호) name, 1 to 100 characters.
    BusinessName, 100, "상호(사업체 이름)를 입력해 주세요.", "상호는 100자 이내로 입력해 주세요."
);

/// An e-mail address: one `@`, a non-empty local part, a domain with a dot,
/// no spaces, at most 254 characters. Stored lowercased in the domain part.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

impl Email {
    pub fn parse(s: &str) -> Result<Email, Invalid> {
        const BAD: Invalid = Invalid("이메일 주소를 name@example.com 형식으로 입력해 주세요.");
        let s = s.trim();
        if s.len() > 254 || s.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(BAD);
        }
        let (local, domain) = s.rsplit_once('@').ok_or(BAD)?;
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && domain
                .chars()
                .all(|c| c.is_alphanumeric() || c == '-' || c == '.');
        if local.is_empty() || local.len() > 64 || local.contains('@') || !domain_ok {
            return Err(BAD);
        }
        Ok(Email(format!("{local}@{}", domain.to_lowercase())))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}
impl TryFrom<String> for Email {
    type Error = Invalid;
    fn try_from(s: String) -> Result<Self, Invalid> {
        Email::parse(&s)
    }
}
impl From<Email> for String {
    fn from(v: Email) -> String {
        v.0
    }
}
impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
impl fmt::Debug for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Email(…)")
    }
}

/// Who booked: the personal fields of one reservation or application.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub name: PersonName,
    pub phone: Phone,
    pub business: BusinessName,
    pub email: Option<Email>,
}

impl Person {
    pub fn key(&self, secret: &ServerKey) -> PersonKey {
        PersonKey::of(secret, &self.phone)
    }
}

impl fmt::Debug for Person {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Person(…)")
    }
}

/// Identifies one person across bookings (quota, duplicates, no-shows,
/// training) without putting their phone number into keys and indexes: an
/// HMAC of the phone's digits under the server secret, so "010-1234-5678"
/// and "01012345678" are the same person, and someone who reads the store
/// but not the secret cannot recover the number by trying all 10^8 mobile
/// numbers. It is still linkable data and is purged with the rest.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PersonKey(String);

impl PersonKey {
    pub fn of(secret: &ServerKey, phone: &Phone) -> PersonKey {
        let mac = secret.mac("person-v2", &[phone.digits().as_bytes()]);
        PersonKey(hex::encode(&mac[..16]))
    }

    /// The unkeyed SHA-256 form written before the keys were made with the
    /// server secret: only to find and rewrite old records
    /// ([`Store::rekey_persons`](crate::store::Store::rekey_persons)).
    pub fn legacy_v1(phone: &Phone) -> PersonKey {
        let mut h = Sha256::new();
        h.update(b"sbiz-person-v1:");
        h.update(phone.digits().as_bytes());
        PersonKey(hex::encode(&h.finalize()[..16]))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}
impl TryFrom<String> for PersonKey {
    type Error = Invalid;
    fn try_from(s: String) -> Result<Self, Invalid> {
        if s.len() == 32
            && s.bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        {
            Ok(PersonKey(s))
        } else {
            Err(Invalid("잘못된 사용자 키입니다."))
        }
    }
}
impl From<PersonKey> for String {
    fn from(v: PersonKey) -> String {
        v.0
    }
}
impl fmt::Debug for PersonKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PersonKey(…)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_cleaned_and_bounded() {
        assert_eq!(
            PersonName::parse("  홍   길동 ").unwrap().as_str(),
            "홍 길동"
        );
        assert!(PersonName::parse("   ").is_err());
        assert!(PersonName::parse("a\u{0}b").is_err());
        assert!(PersonName::parse(&"가".repeat(41)).is_err());
        assert!(PersonName::parse(&"가".repeat(40)).is_ok());
        assert!(BusinessName::parse(&"나".repeat(101)).is_err());
    }

    #[test]
    fn emails() {
        assert_eq!(
            Email::parse("Kim@Example.KR").unwrap().as_str(),
            "Kim@example.kr"
        );
        for bad in [
            "", "a", "a@b", "@b.kr", "a b@c.kr", "a@.kr", "a@b..kr", "a@b.kr.",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn person_key_ignores_formatting_and_hides_digits() {
        let k = ServerKey::generate();
        let a = PersonKey::of(&k, &"010-1234-5678".parse().unwrap());
        let b = PersonKey::of(&k, &"01012345678".parse().unwrap());
        let c = PersonKey::of(&k, &"010-1234-5679".parse().unwrap());
        assert_eq!(a, b);
        assert_ne!(a, c);
        // Without the secret, the stored key cannot be recomputed from the
        // phone number (the old unkeyed form could, by enumeration).
        let phone = "010-1234-5678".parse().unwrap();
        assert_ne!(a, PersonKey::of(&ServerKey::generate(), &phone));
        assert_ne!(a, PersonKey::legacy_v1(&phone));
        assert!(!a.as_str().contains("12345678"));
        assert_eq!(format!("{a:?}"), "PersonKey(…)");
    }

    #[test]
    fn debug_never_shows_personal_data() {
        let p = Person {
            name: PersonName::parse("홍길동").unwrap(),
            phone: "010-1234-5678".parse().unwrap(),
            business: BusinessName::parse("길동봉제").unwrap(),
            email: Some(Email::parse("gd@example.kr").unwrap()),
        };
        let shown = format!("{p:?} {:?} {:?}", p.name, p.email);
        for secret in ["홍길동", "1234", "길동봉제", "gd@"] {
            assert!(!shown.contains(secret), "{shown}");
        }
    }
}
