//! Short human codes for reservations and applications, e.g. "R7K2-9QXH":
//! eight characters from an alphabet without look-alikes (no 0/O, 1/I/L),
//! read aloud on the phone and typed on a phone keyboard.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::{Invalid, random_bytes};

const ALPHABET: &[u8; 31] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
const LEN: usize = 8;

macro_rules! short_code {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name([u8; LEN]);

        impl $name {
            /// A new random code (31^8 ≈ 8.5 × 10^11 possibilities).
            pub fn generate() -> Self {
                let mut out = [0u8; LEN];
                let mut filled = 0;
                while filled < LEN {
                    let mut buf = [0u8; 16];
                    random_bytes(&mut buf);
                    // Rejection sampling keeps every character equally likely.
                    for b in buf {
                        if filled < LEN && (b as usize) < 31 * 8 {
                            out[filled] = ALPHABET[b as usize % 31];
                            filled += 1;
                        }
                    }
                }
                $name(out)
            }
            /// The compact form without the hyphen, used as a storage key.
            pub fn compact(&self) -> &str {
                // The bytes come only from ALPHABET, which is ASCII.
                std::str::from_utf8(&self.0).unwrap_or_default()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                let s = self.compact();
                write!(f, "{}-{}", &s[..4], &s[4..])
            }
        }

        impl FromStr for $name {
            type Err = Invalid;
            /// Accepts any case, with or without the hyphen or spaces.
            fn from_str(s: &str) -> Result<Self, Invalid> {
                let mut out = [0u8; LEN];
                let mut n = 0;
                for c in s.trim().chars().filter(|c| *c != '-' && *c != ' ') {
                    let c = c.to_ascii_uppercase();
                    if n == LEN || !c.is_ascii() || !ALPHABET.contains(&(c as u8)) {
                        return Err(Invalid(crate::Msg::NumberFormat));
                    }
                    out[n] = c as u8;
                    n += 1;
                }
                if n != LEN {
                    return Err(Invalid(crate::Msg::NumberFormat));
                }
                Ok($name(out))
            }
        }
        impl TryFrom<String> for $name {
            type Error = Invalid;
            fn try_from(s: String) -> Result<Self, Invalid> {
                s.parse()
            }
        }
        impl From<$name> for String {
            fn from(v: $name) -> String {
                v.to_string()
            }
        }
    };
}

short_code!(
    /// The confirmation number of an equipment reservation.
    ReservationCode
);
short_code!(
    /// The receipt number of a programme or policy application.
    ApplicationCode
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_codes_round_trip() {
        let mut seen = std::collections::HashSet::new();
        for _ in 0..1000 {
            let c = ReservationCode::generate();
            let shown = c.to_string();
            assert_eq!(shown.len(), 9);
            assert_eq!(&shown[4..5], "-");
            assert_eq!(shown.parse::<ReservationCode>().unwrap(), c);
            assert!(!shown.contains(['0', 'O', '1', 'I', 'L']));
            seen.insert(c);
        }
        assert!(seen.len() > 990, "codes repeat too often");
    }

    #[test]
    fn parsing_is_forgiving_but_strict_on_content() {
        let c: ReservationCode = "r7k2 9qxh".parse().unwrap();
        assert_eq!(c.to_string(), "R7K2-9QXH");
        assert_eq!("R7K29QXH".parse::<ReservationCode>().unwrap(), c);
        for bad in ["", "R7K2-9QX", "R7K2-9QXHH", "R0K2-9QXH", "R7K2-9QX한"] {
            assert!(bad.parse::<ReservationCode>().is_err(), "{bad}");
        }
    }
}
