//! 인증번호: the 6-digit one-time code of 내 예약·신청, sent by 문자 and
//! typed back. Only a keyed hash of it is ever stored.

use std::fmt;

use super::{Invalid, PersonKey, ServerKey, random_bytes};

/// How many digits a code has.
pub const CODE_DIGITS: usize = 6;

/// A one-time code. `Debug` hides it; it is shown only in the message sent
/// to the phone.
#[derive(Clone, PartialEq, Eq)]
pub struct VerificationCode([u8; CODE_DIGITS]);

impl VerificationCode {
    /// A new code, every one of the 10^6 equally likely (rejection sampling
    /// over random 32-bit numbers).
    pub fn generate() -> VerificationCode {
        const SPAN: u32 = 1_000_000;
        // The largest multiple of SPAN that fits: values above it would
        // make the low codes likelier.
        let limit = u32::MAX - (u32::MAX % SPAN);
        loop {
            let mut b = [0u8; 4];
            random_bytes(&mut b);
            let v = u32::from_le_bytes(b);
            if v < limit {
                let mut n = v % SPAN;
                let mut out = [b'0'; CODE_DIGITS];
                for d in out.iter_mut().rev() {
                    *d = b'0' + (n % 10) as u8;
                    n /= 10;
                }
                return VerificationCode(out);
            }
        }
    }

    /// Reads a typed code: 6 digits, spaces and hyphens ignored (a phone's
    /// keyboard may group them). Full-width digits count as digits.
    pub fn parse(s: &str) -> Result<VerificationCode, Invalid> {
        let mut out = [b'0'; CODE_DIGITS];
        let mut n = 0;
        for c in s.trim().chars().filter(|c| !matches!(c, ' ' | '-')) {
            let d = match c {
                '0'..='9' => c as u32 - '0' as u32,
                '０'..='９' => c as u32 - '０' as u32,
                _ => return Err(Invalid(crate::Msg::VerificationCodeFormat)),
            };
            if n == CODE_DIGITS {
                return Err(Invalid(crate::Msg::VerificationCodeFormat));
            }
            out[n] = b'0' + d as u8;
            n += 1;
        }
        if n != CODE_DIGITS {
            return Err(Invalid(crate::Msg::VerificationCodeFormat));
        }
        Ok(VerificationCode(out))
    }

    /// The digits, for the message to the phone only.
    pub fn reveal(&self) -> String {
        String::from_utf8_lossy(&self.0).into_owned()
    }

    /// What the store keeps: an HMAC of the code bound to the person key,
    /// under the server secret (64 hex digits). Without the secret the 10^6
    /// codes cannot be tried against it; bound to the person, a code sent
    /// to one phone is worth nothing for another.
    pub fn hash(&self, secret: &ServerKey, person: &PersonKey) -> String {
        hex::encode(secret.mac("one-time-code-v1", &[person.as_str().as_bytes(), &self.0]))
    }
}

impl fmt::Debug for VerificationCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("VerificationCode(…)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_six_digits_and_spread() {
        let mut firsts = [0u32; 10];
        for _ in 0..2000 {
            let c = VerificationCode::generate();
            let shown = c.reveal();
            assert_eq!(shown.len(), 6);
            assert!(shown.bytes().all(|b| b.is_ascii_digit()));
            assert_eq!(VerificationCode::parse(&shown).unwrap(), c);
            firsts[(shown.as_bytes()[0] - b'0') as usize] += 1;
        }
        // Each first digit about 200 times in 2000.
        assert!(firsts.iter().all(|&n| n > 100), "{firsts:?}");
        assert!(!format!("{:?}", VerificationCode::generate()).contains(char::is_numeric));
    }

    #[test]
    fn typed_codes_are_read_forgivingly() {
        let c = VerificationCode::parse(" 012-345 ").unwrap();
        assert_eq!(c.reveal(), "012345");
        assert_eq!(VerificationCode::parse("０１２３４５").unwrap(), c);
        for bad in ["", "12345", "1234567", "12a456", "일이삼사오육"] {
            assert!(VerificationCode::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn hashes_are_bound_to_the_secret_and_the_person() {
        let secret = ServerKey::generate();
        let phone = |s: &str| s.parse::<sbiz_catalog::Phone>().unwrap();
        let a = PersonKey::of(&secret, &phone("010-1234-5678"));
        let b = PersonKey::of(&secret, &phone("010-1234-5679"));
        let c = VerificationCode::parse("123456").unwrap();
        let h = c.hash(&secret, &a);
        assert_eq!(h.len(), 64);
        assert_eq!(h, c.hash(&secret, &a));
        assert_ne!(h, c.hash(&secret, &b));
        assert_ne!(h, c.hash(&ServerKey::generate(), &a));
        assert!(!h.contains("123456"));
    }
}
