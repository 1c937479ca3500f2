//! The personal data a booking needs (개인정보보호법 art. 16: the minimum):
//! name, phone, business name and, optionally, e-mail.

use std::fmt;

use sbiz_catalog::Phone;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{Invalid, ServerKey};
use crate::Msg;

/// Unicode's format characters (general category Cf, Unicode 15.1), as
/// inclusive ranges: bidi embeddings, overrides and isolates
/// (U+202A–U+202E, U+2066–U+2069), marks (U+200E, U+200F, U+061C), zero-width
/// space and joiners (U+200B–U+200D), word joiner and invisible operators
/// (U+2060–U+2064), the byte order mark (U+FEFF), the soft hyphen, tags, …
const FORMAT_CHARACTERS: [(char, char); 21] = [
    ('\u{00AD}', '\u{00AD}'),
    ('\u{0600}', '\u{0605}'),
    ('\u{061C}', '\u{061C}'),
    ('\u{06DD}', '\u{06DD}'),
    ('\u{070F}', '\u{070F}'),
    ('\u{0890}', '\u{0891}'),
    ('\u{08E2}', '\u{08E2}'),
    ('\u{180E}', '\u{180E}'),
    ('\u{200B}', '\u{200F}'),
    ('\u{202A}', '\u{202E}'),
    ('\u{2060}', '\u{2064}'),
    ('\u{2066}', '\u{206F}'),
    ('\u{FEFF}', '\u{FEFF}'),
    ('\u{FFF9}', '\u{FFFB}'),
    ('\u{110BD}', '\u{110BD}'),
    ('\u{110CD}', '\u{110CD}'),
    ('\u{13430}', '\u{1343F}'),
    ('\u{1BCA0}', '\u{1BCA3}'),
    ('\u{1D173}', '\u{1D17A}'),
    ('\u{E0001}', '\u{E0001}'),
    ('\u{E0020}', '\u{E007F}'),
];

/// Whether `c` changes how text around it is shown, or shows as nothing,
/// without being seen itself: every format character (Cf) and the Hangul
/// fillers (U+115F, U+1160, U+3164, U+FFA0), which render as blank. In a
/// name such a character can make staff read something other than what was
/// stored (U+202E turns the rest of a name around), so personal free text
/// refuses them. Hangul, other scripts, punctuation and emoji are kept.
pub fn is_invisible_format(c: char) -> bool {
    matches!(c, '\u{115F}' | '\u{1160}' | '\u{3164}' | '\u{FFA0}')
        || FORMAT_CHARACTERS
            .iter()
            .any(|&(from, to)| (from..=to).contains(&c))
}

/// The message for text holding an [invisible format
/// character](is_invisible_format).
pub const INVISIBLE_FORMAT: Invalid = Invalid(Msg::InvisibleFormat);

/// The rule for every piece of personal free text (names, business names,
/// e-mail, form and survey text): no control characters but line breaks and
/// tabs, and no [invisible format characters](is_invisible_format).
pub fn check_text(s: &str) -> Result<(), Invalid> {
    if s.chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(Invalid(Msg::ControlCharacters));
    }
    if s.chars().any(is_invisible_format) {
        return Err(INVISIBLE_FORMAT);
    }
    Ok(())
}

/// Trim, collapse inner whitespace, and reject control and invisible format
/// characters ([`check_text`]).
fn clean(s: &str, max_chars: usize, empty: Msg, long: Msg) -> Result<String, Invalid> {
    check_text(s)?;
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
    PersonName, 40, Msg::NameMissing, Msg::NameTooLong
);
text_value!(
    /// A business (상호) name, 1 to 100 characters.
    BusinessName, 100, Msg::BusinessMissing, Msg::BusinessTooLong
);

/// An e-mail address: one `@`, a non-empty local part, a domain with a dot,
/// no spaces, at most 254 characters. Stored lowercased in the domain part.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

impl Email {
    pub fn parse(s: &str) -> Result<Email, Invalid> {
        const BAD: Invalid = Invalid(Msg::EmailFormat);
        let s = s.trim();
        if s.chars().any(is_invisible_format) {
            return Err(INVISIBLE_FORMAT);
        }
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
    /// Asked of 소공인 booking or applying for their business; `None` for a
    /// job application, which does not ask for one (art. 16: the minimum).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub business: Option<BusinessName>,
    pub email: Option<Email>,
    /// How the person chose to hear from the portal (문자, 이메일).
    #[serde(default)]
    pub notify: Notify,
}

impl Person {
    pub fn key(&self, secret: &ServerKey) -> PersonKey {
        PersonKey::of(secret, &self.phone)
    }

    /// The channels messages about this person's record go by: 문자 when
    /// chosen, e-mail when chosen and an address was given.
    pub fn channels(&self) -> Vec<sbiz_catalog::Channel> {
        let mut out = Vec::new();
        if self.notify.sms {
            out.push(sbiz_catalog::Channel::Sms);
        }
        if self.notify.email && self.email.is_some() {
            out.push(sbiz_catalog::Channel::Email);
        }
        out
    }
}

/// The person's choice of channels for messages about their record. A
/// record without a choice (made before the forms asked, or through the
/// JSON API without `notify`) gets both: 문자 to the phone, e-mail when an
/// address was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notify {
    pub sms: bool,
    pub email: bool,
}

impl Default for Notify {
    fn default() -> Notify {
        Notify {
            sms: true,
            email: true,
        }
    }
}

impl Notify {
    /// The stored form: `sms,email`, `sms`, `email` or `none`.
    pub fn as_str(self) -> &'static str {
        match (self.sms, self.email) {
            (true, true) => "sms,email",
            (true, false) => "sms",
            (false, true) => "email",
            (false, false) => "none",
        }
    }

    pub fn parse(s: &str) -> Option<Notify> {
        Some(match s {
            "sms,email" => Notify {
                sms: true,
                email: true,
            },
            "sms" => Notify {
                sms: true,
                email: false,
            },
            "email" => Notify {
                sms: false,
                email: true,
            },
            "none" => Notify {
                sms: false,
                email: false,
            },
            _ => return None,
        })
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
            Err(Invalid(Msg::korean_only("잘못된 사용자 키입니다.")))
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

    /// Issue 9 (14): what the review listed, and Cf in general.
    const SPOOFERS: [char; 27] = [
        '\u{200B}',
        '\u{200C}',
        '\u{200D}',
        '\u{200E}',
        '\u{200F}',
        '\u{202A}',
        '\u{202B}',
        '\u{202C}',
        '\u{202D}',
        '\u{202E}',
        '\u{2060}',
        '\u{2061}',
        '\u{2062}',
        '\u{2063}',
        '\u{2064}',
        '\u{2066}',
        '\u{2067}',
        '\u{2068}',
        '\u{2069}',
        '\u{FEFF}',
        '\u{061C}',
        '\u{180E}',
        '\u{00AD}',
        '\u{E0041}',
        '\u{3164}',
        '\u{115F}',
        '\u{FFA0}',
    ];

    #[test]
    fn invisible_format_characters_are_refused_everywhere() {
        for c in SPOOFERS {
            for text in [
                format!("홍{c}길동"),
                format!("{c}홍길동"),
                format!("홍길동{c}"),
            ] {
                assert_eq!(
                    PersonName::parse(&text),
                    Err(INVISIBLE_FORMAT),
                    "{:X}",
                    c as u32
                );
                assert_eq!(BusinessName::parse(&text), Err(INVISIBLE_FORMAT));
            }
            let email = format!("gil{c}dong@example.kr");
            assert_eq!(
                Email::parse(&email),
                Err(INVISIBLE_FORMAT),
                "{:X}",
                c as u32
            );
            assert!(check_text(&format!("계획{c}")).is_err());
        }
        // A name that would show as "홍길동" reversed is refused, not cleaned.
        assert!(PersonName::parse("\u{202E}동길홍").is_err());
    }

    #[test]
    fn ordinary_text_is_kept() {
        for ok in [
            "홍길동",
            "남궁 민수",
            "Kim Min-su",
            "O'Brien",
            "José Ñúñez",
            "王小明",
            "ㅎㄱㄷ",
            "(주)한빛 봉제 & 패턴",
            "길동봉제 😀",
            "Ärzte-Werkstatt №1",
        ] {
            assert_eq!(
                PersonName::parse(ok).map(|n| n.0),
                Ok(ok.to_owned()),
                "{ok}"
            );
            assert!(BusinessName::parse(ok).is_ok(), "{ok}");
            assert!(check_text(ok).is_ok(), "{ok}");
        }
        assert!(check_text("첫 줄\n둘째 줄\t끝").is_ok());
        assert!(
            !"가나다라마바사아자차카타파하힣"
                .chars()
                .any(is_invisible_format)
        );
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
            business: Some(BusinessName::parse("길동봉제").unwrap()),
            email: Some(Email::parse("gd@example.kr").unwrap()),
            notify: Default::default(),
        };
        let shown = format!("{p:?} {:?} {:?}", p.name, p.email);
        for secret in ["홍길동", "1234", "길동봉제", "gd@"] {
            assert!(!shown.contains(secret), "{shown}");
        }
    }

    mod properties {
        use super::*;
        use crate::strategies::{config, messy_text};
        use proptest::prelude::*;

        /// What every accepted personal text must be.
        fn clean_text(s: &str, max: usize) -> Result<(), TestCaseError> {
            prop_assert!(!s.is_empty() && s.chars().count() <= max);
            prop_assert!(!s.chars().any(|c| c.is_control() || is_invisible_format(c)));
            prop_assert_eq!(s.trim(), s);
            prop_assert!(!s.contains("  "));
            prop_assert!(check_text(s).is_ok());
            Ok(())
        }

        proptest! {
            #![proptest_config(config())]

            #[test]
            fn names_never_panic_and_accept_only_clean_text(
                raw in prop_oneof![messy_text(60), messy_text(12), "[가-힣a-z \t]{0,50}"],
            ) {
                if let Ok(n) = PersonName::parse(&raw) {
                    clean_text(n.as_str(), PersonName::MAX_CHARS)?;
                    // Parsing is idempotent: what is stored parses to itself.
                    prop_assert_eq!(PersonName::parse(n.as_str()), Ok(n.clone()));
                    // The same words, whatever the whitespace around them.
                    let words: Vec<&str> = raw.split_whitespace().collect();
                    prop_assert_eq!(n.as_str(), words.join(" "));
                }
                if let Ok(b) = BusinessName::parse(&raw) {
                    clean_text(b.as_str(), BusinessName::MAX_CHARS)?;
                    prop_assert_eq!(BusinessName::parse(b.as_str()), Ok(b.clone()));
                }
                if raw.chars().any(is_invisible_format) {
                    prop_assert!(PersonName::parse(&raw).is_err());
                    prop_assert!(BusinessName::parse(&raw).is_err());
                }
            }

            #[test]
            fn emails_never_panic_and_reparse_to_themselves(
                local in prop_oneof![messy_text(20), "[a-z0-9._+]{1,12}"],
                domain in prop_oneof![messy_text(20), "[a-z0-9-]{1,10}(\\.[a-z]{2,3})?"],
                raw in messy_text(60),
            ) {
                for s in [format!("{local}@{domain}"), format!("{local}@{domain}.kr"), raw] {
                    if let Ok(e) = Email::parse(&s) {
                        let t = e.as_str();
                        prop_assert!(t.len() <= 254 && t.contains('@'));
                        prop_assert!(!t.chars().any(|c| c.is_whitespace() || c.is_control() || is_invisible_format(c)));
                        prop_assert_eq!(Email::parse(t), Ok(e.clone()));
                    }
                }
            }

            #[test]
            fn phones_never_panic_and_hold_only_digits(
                raw in messy_text(20),
                digits in "[0-9 -]{0,16}",
                mobile in "010-[0-9]{4}-[0-9]{4}",
            ) {
                for s in [raw.as_str(), digits.as_str(), mobile.as_str()] {
                    if let Ok(p) = s.parse::<Phone>() {
                        let d = p.digits();
                        prop_assert!((8..=11).contains(&d.len()), "{}", d);
                        prop_assert!(d.bytes().all(|b| b.is_ascii_digit()));
                        prop_assert!(p.as_str().bytes().all(|b| b.is_ascii_digit() || b == b'-'));
                        // Accepted numbers are the same number however written.
                        prop_assert_eq!(p.as_str().parse::<Phone>().ok(), Some(p.clone()));
                        prop_assert_eq!(d.parse::<Phone>().ok(), Some(p.clone()));
                        prop_assert_eq!(
                            s.chars().filter(char::is_ascii_digit).collect::<String>(),
                            d
                        );
                    }
                }
                prop_assert!(mobile.parse::<Phone>().is_ok(), "{}", mobile);
            }
        }
    }
}
