//! Staff sessions of the admin page. The cookie holds a random id, its
//! expiry and a MAC keyed with the server secret (never with anything that
//! is configured or stored elsewhere); the store keeps a keyed hash of the
//! id, so a session ends on the server the moment its staff member signs
//! out, and its staff entry is looked up again on every request, so
//! removing the entry ends its sessions too.

use jiff::Timestamp;

use super::Service;
use crate::Result;
use crate::domain::random_bytes;
use crate::store::StaffSession;

/// How long a staff session lasts at most.
pub const SESSION_SECONDS: i64 = 30 * 60;

/// A parsed, authentic cookie: the stored id and the expiry it was issued with.
struct Cookie {
    id: String,
    expires: i64,
}

impl Service {
    /// Starts a session for the staff entry `entry` (as
    /// [`StaffTokens::entry`](crate::api::auth::StaffTokens::entry) names
    /// it) and returns the cookie value.
    pub async fn open_staff_session(&self, entry: String) -> Result<String> {
        let mut raw = [0u8; 16];
        random_bytes(&mut raw);
        let raw = hex::encode(raw);
        let expires = self.clock.now().as_second() + SESSION_SECONDS;
        let value = self.signed_cookie("v2", "staff-session", &raw, expires);
        self.store
            .create_staff_session(StaffSession {
                id: self.session_id(&raw),
                entry,
                expires: Timestamp::from_second(expires).unwrap_or(Timestamp::MAX),
            })
            .await?;
        Ok(value)
    }

    /// The staff entry of a live session, or `None` for a cookie that is
    /// forged, expired, ended or unknown.
    pub async fn staff_session_entry(&self, cookie: &str) -> Result<Option<String>> {
        let now = self.clock.now().as_second();
        let Some(c) = self.parse_cookie(cookie) else {
            return Ok(None);
        };
        // Never longer than a session lasts from now, whatever it says.
        if now >= c.expires || c.expires - now > SESSION_SECONDS {
            return Ok(None);
        }
        Ok(self
            .store
            .staff_session(&c.id)
            .await?
            .filter(|s| s.expires.as_second() == c.expires && now < s.expires.as_second())
            .map(|s| s.entry))
    }

    /// Ends the session of this cookie on the server (a cookie that is not
    /// authentic ends nothing).
    pub async fn end_staff_session(&self, cookie: &str) -> Result<()> {
        match self.parse_cookie(cookie) {
            Some(c) => self.store.end_staff_session(&c.id).await,
            None => Ok(()),
        }
    }

    fn session_id(&self, raw: &str) -> String {
        hex::encode(self.secret.mac("staff-session-id", &[raw.as_bytes()]))
    }

    /// `v2.ID.EXPIRES.MAC`, with the MAC checked in constant time.
    fn parse_cookie(&self, value: &str) -> Option<Cookie> {
        let (raw, expires) = self.open_cookie(value, "v2", "staff-session")?;
        Some(Cookie {
            id: self.session_id(&raw),
            expires,
        })
    }

    /// A cookie value `VERSION.RAW.EXPIRES.MAC`: `raw` (32 lowercase hex
    /// digits) and the expiry (epoch seconds) under an HMAC keyed with the
    /// server secret for `purpose`, so that a cookie of one kind is never
    /// taken for another.
    pub(super) fn signed_cookie(
        &self,
        version: &str,
        purpose: &str,
        raw: &str,
        expires: i64,
    ) -> String {
        let exp = expires.to_string();
        let mac = self.secret.mac(purpose, &[raw.as_bytes(), exp.as_bytes()]);
        format!("{version}.{raw}.{exp}.{}", hex::encode(mac))
    }

    /// The raw value and expiry of an authentic [`Service::signed_cookie`]
    /// of this version and purpose (the MAC checked in constant time).
    pub(super) fn open_cookie(
        &self,
        value: &str,
        version: &str,
        purpose: &str,
    ) -> Option<(String, i64)> {
        let mut parts = value.trim().split('.');
        let (Some(v), Some(raw), Some(exp), Some(mac), None) = (
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
        ) else {
            return None;
        };
        if v != version || raw.len() != 32 || !raw.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let expires: i64 = exp.parse().ok()?;
        let mut given = [0u8; 32];
        hex::decode_to_slice(mac, &mut given).ok()?;
        self.secret
            .verify(purpose, &[raw.as_bytes(), exp.as_bytes()], &given)
            .then(|| (raw.to_owned(), expires))
    }
}
