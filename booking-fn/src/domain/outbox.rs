//! Outbox items: messages stored in the same atomic step as the change that
//! causes them, sent later by the dispatcher (`crate::messaging`).
//!
//! An item holds no personal data: the recipient is the record it belongs
//! to (the dispatcher reads the phone or e-mail from the record when it
//! sends, so a purged record cannot be messaged), its parameters are the
//! code, item, time, position and reason, and a management link's token is
//! kept sealed under the server secret (the store alone cannot open it) and
//! erased once the message is sent, failed or cancelled.

use std::collections::BTreeMap;
use std::fmt;

use jiff::Timestamp;
use sbiz_catalog::{Channel, Date, MessageEvent};
use serde::{Deserialize, Serialize};

use super::{Invalid, ManageToken, ServerKey, Subject, random_bytes};

/// A message's id: 32 lowercase hex digits (128 random bits). Also the
/// idempotency key given to providers that take one and the e-mail's
/// `Message-ID`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct MessageId(String);

impl MessageId {
    pub fn generate() -> MessageId {
        let mut b = [0u8; 16];
        random_bytes(&mut b);
        MessageId(hex::encode(b))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::str::FromStr for MessageId {
    type Err = Invalid;
    fn from_str(s: &str) -> Result<MessageId, Invalid> {
        if s.len() == 32
            && s.bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        {
            Ok(MessageId(s.to_owned()))
        } else {
            Err(Invalid(crate::Msg::korean_only(
                "메시지 번호가 올바르지 않습니다.",
            )))
        }
    }
}
impl TryFrom<String> for MessageId {
    type Error = Invalid;
    fn try_from(s: String) -> Result<MessageId, Invalid> {
        s.parse()
    }
}
impl From<MessageId> for String {
    fn from(v: MessageId) -> String {
        v.0
    }
}
impl fmt::Display for MessageId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Where an outbox item is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageStatus {
    /// Waiting for its due time, or being sent (leased).
    Queued,
    Sent,
    /// Given up after the attempt limit (shown to staff).
    Failed,
    /// Not sent: the booking was cancelled first, or there is no recipient.
    Cancelled,
}

impl MessageStatus {
    pub const ALL: [MessageStatus; 4] = [
        MessageStatus::Queued,
        MessageStatus::Sent,
        MessageStatus::Failed,
        MessageStatus::Cancelled,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            MessageStatus::Queued => "queued",
            MessageStatus::Sent => "sent",
            MessageStatus::Failed => "failed",
            MessageStatus::Cancelled => "cancelled",
        }
    }
    pub fn parse(s: &str) -> Option<MessageStatus> {
        MessageStatus::ALL.into_iter().find(|v| v.as_str() == s)
    }
    pub fn korean(self) -> &'static str {
        match self {
            MessageStatus::Queued => "발송 대기",
            MessageStatus::Sent => "발송",
            MessageStatus::Failed => "발송 실패",
            MessageStatus::Cancelled => "발송 취소",
        }
    }
}

/// The link a message carries: a path on the site (or the function) and,
/// for a management link, the record's token sealed under the server
/// secret. The full link is `public base + path + token`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageLink {
    /// e.g. `/api/reservations/R7K29QXH?token=` (the token goes last), or
    /// `/reservation/` for a link without a token.
    pub path: String,
    /// The management token XORed with a pad derived from the server secret
    /// and the message id: 32 hex digits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sealed_token: Option<String>,
}

impl MessageLink {
    /// A link without a token (e.g. the 예약 조회 page).
    pub fn plain(path: impl Into<String>) -> MessageLink {
        MessageLink {
            path: path.into(),
            sealed_token: None,
        }
    }

    /// A management link for message `id`: `path` then the token.
    pub fn sealed(
        secret: &ServerKey,
        id: &MessageId,
        path: impl Into<String>,
        token: &ManageToken,
    ) -> MessageLink {
        MessageLink {
            path: path.into(),
            sealed_token: Some(token.xor(&pad(secret, id)).reveal()),
        }
    }

    /// The link's path with the opened token (`None` when a sealed token
    /// does not open: a different server secret).
    pub fn open(&self, secret: &ServerKey, id: &MessageId) -> Option<String> {
        match &self.sealed_token {
            None => Some(self.path.clone()),
            Some(sealed) => {
                let token = sealed.parse::<ManageToken>().ok()?.xor(&pad(secret, id));
                Some(format!("{}{}", self.path, token.reveal()))
            }
        }
    }
}

fn pad(secret: &ServerKey, id: &MessageId) -> [u8; 16] {
    let mut pad = [0u8; 16];
    pad.copy_from_slice(&secret.mac("message-link", &[id.as_str().as_bytes()])[..16]);
    pad
}

/// A message to store with a change (see `NewReservation::messages`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMessage {
    pub id: MessageId,
    pub event: MessageEvent,
    pub channel: Channel,
    /// Template parameters (`code`, `item`, `time`, `position`, `reason`,
    /// …), never personal data. `link` is added from [`NewMessage::link`]
    /// when the message is rendered.
    pub params: BTreeMap<String, String>,
    pub link: Option<MessageLink>,
    /// When to send: now, or later (a reminder, a survey invitation).
    pub due: Timestamp,
}

impl NewMessage {
    /// A message for `event` by `channel`, due at `due`, with a fresh id.
    pub fn new(event: MessageEvent, channel: Channel, due: Timestamp) -> NewMessage {
        NewMessage {
            id: MessageId::generate(),
            event,
            channel,
            params: BTreeMap::new(),
            link: None,
            due,
        }
    }
    pub fn param(mut self, name: &str, value: impl Into<String>) -> NewMessage {
        self.params.insert(name.to_owned(), value.into());
        self
    }
    pub fn with_link(mut self, link: MessageLink) -> NewMessage {
        self.link = Some(link);
        self
    }
}

/// A stored outbox item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxMessage {
    pub id: MessageId,
    /// The record it belongs to, and whose phone or e-mail it goes to.
    pub subject: Subject,
    pub event: MessageEvent,
    pub channel: Channel,
    pub params: BTreeMap<String, String>,
    pub link: Option<MessageLink>,
    /// When it is (next) due; while a dispatcher holds it, the end of the
    /// lease.
    pub due: Timestamp,
    pub status: MessageStatus,
    /// Sending attempts so far (counted when claimed).
    pub attempts: u32,
    /// The last failure's code (a provider's error code, `no_recipient`…),
    /// never a provider's message text.
    pub last_error: Option<String>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub sent_at: Option<Timestamp>,
    /// Deleted with the record's personal data after this day.
    pub purge_after: Date,
}

impl OutboxMessage {
    /// The stored item of `new`, for `subject`.
    pub fn queued(
        new: NewMessage,
        subject: Subject,
        purge_after: Date,
        now: Timestamp,
    ) -> OutboxMessage {
        OutboxMessage {
            id: new.id,
            subject,
            event: new.event,
            channel: new.channel,
            params: new.params,
            link: new.link,
            due: new.due,
            status: MessageStatus::Queued,
            attempts: 0,
            last_error: None,
            created_at: now,
            updated_at: now,
            sent_at: None,
            purge_after,
        }
    }
}

/// How a dispatcher ends its lease on a claimed message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MessageOutcome {
    /// The provider accepted it.
    Sent { at: Timestamp },
    /// It failed; try again at `next_due`.
    Retry {
        at: Timestamp,
        error: String,
        next_due: Timestamp,
    },
    /// It failed for the last time (status `failed`).
    Failed { at: Timestamp, error: String },
    /// It cannot be sent (no recipient, record purged, no template): status
    /// `cancelled` with the reason.
    Dropped { at: Timestamp, error: String },
}

impl Subject {
    /// The subject of a [`Subject::key`] ("reservation:R7K29QXH").
    pub fn from_key(key: &str) -> Option<Subject> {
        let (kind, code) = key.split_once(':')?;
        match kind {
            "reservation" => code.parse().ok().map(Subject::Reservation),
            "application" => code.parse().ok().map(Subject::Application),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_links_open_only_with_the_secret() {
        let secret = ServerKey::generate();
        let id = MessageId::generate();
        let token = ManageToken::generate();
        let link = MessageLink::sealed(&secret, &id, "/api/reservations/R7K29QXH?token=", &token);
        let sealed = link.sealed_token.clone().expect("sealed");
        assert_ne!(sealed, token.reveal());
        assert_eq!(
            link.open(&secret, &id).as_deref(),
            Some(format!("/api/reservations/R7K29QXH?token={}", token.reveal()).as_str())
        );
        let other = link
            .open(&ServerKey::generate(), &id)
            .expect("opens to something");
        assert!(!other.ends_with(&token.reveal()));
        assert!(
            link.open(&secret, &MessageId::generate())
                .is_some_and(|l| !l.ends_with(&token.reveal()))
        );
        assert_eq!(
            MessageLink::plain("/reservation/")
                .open(&secret, &id)
                .as_deref(),
            Some("/reservation/")
        );
    }

    #[test]
    fn message_ids_parse_only_their_own_form() {
        let id = MessageId::generate();
        assert_eq!(id.as_str().parse::<MessageId>(), Ok(id));
        assert!("XYZ".parse::<MessageId>().is_err());
        assert!(
            "0123456789ABCDEF0123456789abcdef"
                .parse::<MessageId>()
                .is_err()
        );
    }
}
