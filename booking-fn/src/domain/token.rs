//! The secret in a management link: 128 random bits. Stores keep only its
//! SHA-256 hash; comparisons take constant time.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::{Invalid, random_bytes};

#[derive(Clone, PartialEq, Eq)]
pub struct ManageToken([u8; 16]);

impl ManageToken {
    pub fn generate() -> ManageToken {
        let mut b = [0u8; 16];
        random_bytes(&mut b);
        ManageToken(b)
    }
    pub fn hash(&self) -> TokenHash {
        TokenHash(Sha256::digest(self.0).into())
    }
    /// The token XORed with a 128-bit pad (its own inverse): how an
    /// idempotency record keeps it sealed.
    pub(crate) fn xor(&self, pad: &[u8; 16]) -> ManageToken {
        let mut b = self.0;
        for (x, p) in b.iter_mut().zip(pad) {
            *x ^= p;
        }
        ManageToken(b)
    }
    /// The URL form: 32 lowercase hex digits. Only for the person's own link.
    pub fn reveal(&self) -> String {
        hex::encode(self.0)
    }
}

impl FromStr for ManageToken {
    type Err = Invalid;
    fn from_str(s: &str) -> Result<Self, Invalid> {
        let mut b = [0u8; 16];
        hex::decode_to_slice(s.trim(), &mut b)
            .map_err(|_| Invalid(crate::Msg::ManageLinkInvalid))?;
        Ok(ManageToken(b))
    }
}

/// Never printed: a token in a log would be a key to someone's booking.
impl fmt::Debug for ManageToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ManageToken(…)")
    }
}

impl Serialize for ManageToken {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.reveal())
    }
}
impl<'de> Deserialize<'de> for ManageToken {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// SHA-256 of a [`ManageToken`]: what stores keep.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct TokenHash([u8; 32]);

impl TokenHash {
    /// Constant-time check that `token` is the one this hash was made from.
    pub fn matches(&self, token: &ManageToken) -> bool {
        let other = token.hash();
        self.0.ct_eq(&other.0).into()
    }
    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }
    pub fn from_hex(s: &str) -> Result<TokenHash, Invalid> {
        let mut b = [0u8; 32];
        hex::decode_to_slice(s, &mut b)
            .map_err(|_| Invalid(crate::Msg::korean_only("잘못된 토큰 해시입니다.")))?;
        Ok(TokenHash(b))
    }
}

impl fmt::Debug for TokenHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TokenHash(…)")
    }
}

impl Serialize for TokenHash {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_hex())
    }
}
impl<'de> Deserialize<'de> for TokenHash {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        TokenHash::from_hex(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_round_trip_and_match_their_hash_only() {
        let t = ManageToken::generate();
        let parsed: ManageToken = t.reveal().parse().unwrap();
        assert_eq!(parsed, t);
        assert_eq!(t.reveal().len(), 32);
        let h = t.hash();
        assert!(h.matches(&t));
        assert!(!h.matches(&ManageToken::generate()));
        assert_eq!(TokenHash::from_hex(&h.to_hex()).unwrap(), h);
        assert!("xyz".parse::<ManageToken>().is_err());
        assert!(!format!("{t:?}").contains(&t.reveal()));
    }
}
