//! Staff sessions of the admin page. The cookie holds a random id, the
//! session's cap (sign-in + [`SESSION_MAX_SECONDS`]) and a MAC keyed with
//! the server secret (never with anything that is configured or stored
//! elsewhere); the store keeps a keyed hash of the id and the idle expiry,
//! so a session ends on the server the moment its staff member signs out
//! or stops using it, and its staff entry is looked up again on every
//! request, so removing the entry ends its sessions too.

use jiff::Timestamp;

use super::Service;
use crate::Result;
use crate::domain::random_bytes;
use crate::store::StaffSession;

/// How long a staff session lasts without a staff action or page load
/// (idle expiry): each of them moves its end to now + this; reading the
/// session's state does not.
pub const SESSION_SECONDS: i64 = 30 * 60;

/// How long a staff session lasts at most from sign-in, however busy: a
/// working day (09:00-18:00 with its breaks), so that a session left open
/// on a shared computer never lasts into the next day.
pub const SESSION_MAX_SECONDS: i64 = 9 * 60 * 60;

/// A session's expiry is moved only when it was last moved at least this
/// long ago, so that a busy page does not write to the store on every
/// request.
pub const SESSION_RENEW_SECONDS: i64 = 60;

/// The staff cookie's version: `v3` carries the session's cap (`v2`, which
/// carried a fixed expiry, is no longer accepted).
const COOKIE_VERSION: &str = "v3";

/// A parsed, authentic cookie: the stored id and the cap it was issued with.
struct Cookie {
    id: String,
    cap: i64,
}

impl Service {
    /// Starts a session for the staff entry `entry` (as
    /// [`StaffTokens::entry`](crate::api::auth::StaffTokens::entry) names
    /// it) and returns the cookie value.
    pub async fn open_staff_session(&self, entry: String) -> Result<String> {
        let mut raw = [0u8; 16];
        random_bytes(&mut raw);
        let raw = hex::encode(raw);
        let now = self.clock.now().as_second();
        let cap = now + SESSION_MAX_SECONDS;
        let value = self.signed_cookie(COOKIE_VERSION, "staff-session", &raw, cap);
        self.store
            .create_staff_session(StaffSession {
                id: self.session_id(&raw),
                entry,
                expires: Timestamp::from_second(now + SESSION_SECONDS).unwrap_or(Timestamp::MAX),
            })
            .await?;
        Ok(value)
    }

    /// The staff entry of a live session, or `None` for a cookie that is
    /// forged, expired (idle or past its cap), ended or unknown. A live
    /// session's idle expiry moves to now + [`SESSION_SECONDS`] (at most
    /// once per [`SESSION_RENEW_SECONDS`], never past its cap): a staff
    /// action or page load is what keeps a session alive.
    pub async fn staff_session_entry(&self, cookie: &str) -> Result<Option<String>> {
        self.session_entry(cookie, true).await
    }

    /// [`Service::staff_session_entry`] without moving the idle expiry: for
    /// reading the session's state (`GET /api/admin/session`), which a page
    /// left open may poll and which must not keep the session alive.
    pub async fn staff_session_entry_unrenewed(&self, cookie: &str) -> Result<Option<String>> {
        self.session_entry(cookie, false).await
    }

    async fn session_entry(&self, cookie: &str, renew: bool) -> Result<Option<String>> {
        let now = self.clock.now().as_second();
        let Some(c) = self.parse_cookie(cookie) else {
            return Ok(None);
        };
        // Never longer than a session lasts from now, whatever it says.
        if now >= c.cap || c.cap - now > SESSION_MAX_SECONDS {
            return Ok(None);
        }
        let Some(s) = self
            .store
            .staff_session(&c.id)
            .await?
            .filter(|s| now < s.expires.as_second() && s.expires.as_second() <= c.cap)
        else {
            return Ok(None);
        };
        let renewed = (now + SESSION_SECONDS).min(c.cap);
        if renew && renewed - s.expires.as_second() >= SESSION_RENEW_SECONDS {
            let at = Timestamp::from_second(renewed).unwrap_or(Timestamp::MAX);
            self.store.renew_staff_session(&c.id, at).await?;
        }
        Ok(Some(s.entry))
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

    /// `v3.ID.CAP.MAC`, with the MAC checked in constant time.
    fn parse_cookie(&self, value: &str) -> Option<Cookie> {
        let (raw, cap) = self.open_cookie(value, COOKIE_VERSION, "staff-session")?;
        Some(Cookie {
            id: self.session_id(&raw),
            cap,
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
