//! Messages to applicants: channels (e-mail by SMTP or Amazon SES v2, 문자
//! by Amazon SNS) behind one trait, chosen by configuration, and the
//! dispatcher that sends what the outbox holds ([`dispatch_due`]).
//!
//! Nothing here logs a phone number, an e-mail address or a message's text:
//! logs carry message ids, events, channels, provider names and error codes.

#[cfg(feature = "aws-messaging")]
pub mod aws;
mod dispatch;
#[cfg(feature = "smtp")]
pub mod smtp;
mod text;

use std::fmt;
use std::sync::Arc;

use async_trait::async_trait;
use sbiz_catalog::Channel;
use serde::Serialize;

use crate::domain::{MessageId, ServerKey};
use crate::{Error, Result};

pub use dispatch::{
    DISPATCH_BATCH, DISPATCH_EVERY, DispatchPolicy, DispatchReport, dispatch_due,
    dispatch_every_from_env, dispatch_with, drain_due, spawn_dispatcher,
};

/// One message ready to go: where, what, under which id. `Debug` hides the
/// address and the text.
pub struct Outgoing {
    /// The outbox id: the provider's idempotency key where it takes one,
    /// the e-mail's `Message-ID`.
    pub id: MessageId,
    /// An e-mail address, or a phone number in E.164 (`+821012345678`).
    pub to: String,
    /// E-mail only.
    pub subject: String,
    pub body: String,
}

impl fmt::Debug for Outgoing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Outgoing({}, …)", self.id)
    }
}

/// Why a send failed: a short code safe to log and store (a provider's
/// error code, `timeout`, `connection`…), never the provider's message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendError {
    /// Worth retrying later (the provider is down, throttling, a timeout).
    Transient(String),
    /// Retrying will not help (the address is refused, the message is
    /// invalid).
    Permanent(String),
}

impl SendError {
    pub fn code(&self) -> &str {
        match self {
            SendError::Transient(c) | SendError::Permanent(c) => c,
        }
    }
}

/// A way to send messages of one channel.
#[async_trait]
pub trait Sender: Send + Sync + 'static {
    fn channel(&self) -> Channel;
    /// The provider's name for logs and health ("smtp", "ses", "sns").
    fn provider(&self) -> &'static str;
    async fn send(&self, message: &Outgoing) -> std::result::Result<(), SendError>;
}

/// The configured channels and what the dispatcher needs to render links.
pub struct Channels {
    email: Option<Arc<dyn Sender>>,
    sms: Option<Arc<dyn Sender>>,
    /// 카카오 알림톡: a seam. No provider is built in; an operator with a
    /// provider contract implements [`Sender`] for [`Channel::Kakao`]
    /// (using each template's `kakao_template` code) and sets it here.
    kakao: Option<Arc<dyn Sender>>,
    /// Opens the sealed management tokens in links.
    secret: Arc<ServerKey>,
    /// Base of links in messages (`SBIZ_PUBLIC_BASE`, else the catalog's
    /// origin).
    public_base: Option<String>,
}

/// What `/api/health` and the start-up log say about messaging.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChannelsStatus {
    /// Provider per channel, `null` when the channel is not configured.
    pub email: Option<&'static str>,
    pub sms: Option<&'static str>,
    pub kakao: Option<&'static str>,
    /// Whether anything is sent at all (forms say so when not).
    pub any: bool,
}

impl Channels {
    /// No channel: every message waits, is retried and finally fails
    /// (`channel_not_configured`), visibly in the staff history.
    pub fn none(secret: Arc<ServerKey>) -> Channels {
        Channels {
            email: None,
            sms: None,
            kakao: None,
            secret,
            public_base: None,
        }
    }

    pub fn with(mut self, sender: Arc<dyn Sender>) -> Channels {
        match sender.channel() {
            Channel::Email => self.email = Some(sender),
            Channel::Sms => self.sms = Some(sender),
            Channel::Kakao => self.kakao = Some(sender),
        }
        self
    }

    pub fn with_public_base(mut self, base: impl Into<String>) -> Channels {
        self.public_base = Some(base.into().trim_end_matches('/').to_owned());
        self
    }

    pub fn sender(&self, channel: Channel) -> Option<&Arc<dyn Sender>> {
        match channel {
            Channel::Email => self.email.as_ref(),
            Channel::Sms => self.sms.as_ref(),
            Channel::Kakao => self.kakao.as_ref(),
        }
    }

    pub fn status(&self) -> ChannelsStatus {
        let p = |s: &Option<Arc<dyn Sender>>| s.as_ref().map(|s| s.provider());
        ChannelsStatus {
            email: p(&self.email),
            sms: p(&self.sms),
            kakao: p(&self.kakao),
            any: self.email.is_some() || self.sms.is_some() || self.kakao.is_some(),
        }
    }

    /// Whether these channels are the ones the site says it sends by
    /// (`site.yaml` `messaging:`, the catalog's `messages.channels`): 문자
    /// and e-mail each configured exactly when the site offers it.
    pub fn match_site(&self, site: &[Channel]) -> bool {
        let st = self.status();
        st.sms.is_some() == site.contains(&Channel::Sms)
            && st.email.is_some() == site.contains(&Channel::Email)
    }

    /// Logs, once at start, which channels send and which do not.
    pub fn report(&self) {
        let st = self.status();
        for (channel, provider) in [("email", st.email), ("sms", st.sms)] {
            match provider {
                Some(p) => tracing::info!(channel, provider = p, "messaging channel configured"),
                None => tracing::warn!(
                    channel,
                    "messaging channel NOT configured: its messages are not sent (they fail after retries, visible to staff)"
                ),
            }
        }
    }

    /// The channels named by the environment:
    ///
    /// * `SBIZ_EMAIL` = `smtp` (with `SBIZ_SMTP_*`, see [`smtp::SmtpSender::from_env`]),
    ///   `ses` (Amazon SES v2) or `none`;
    /// * `SBIZ_SMS` = `sns` (Amazon SNS) or `none`;
    /// * `SBIZ_EMAIL_FROM`: the sender address (required for e-mail);
    /// * `SBIZ_PUBLIC_BASE`: the base of links (else the catalog's origin).
    ///
    /// A channel named but not compiled in, or missing its settings, is an
    /// error; a channel not named is reported by [`Channels::report`].
    pub async fn from_env(secret: Arc<ServerKey>) -> Result<Channels> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let mut channels = Channels::none(secret);
        if let Some(base) = var("SBIZ_PUBLIC_BASE") {
            channels = channels.with_public_base(base);
        }
        match var("SBIZ_EMAIL").as_deref().map(str::trim) {
            None | Some("none") => {}
            #[cfg(feature = "smtp")]
            Some("smtp") => channels = channels.with(Arc::new(smtp::SmtpSender::from_env()?)),
            #[cfg(feature = "aws-messaging")]
            Some("ses") => channels = channels.with(Arc::new(aws::SesSender::from_env().await?)),
            Some(other) => {
                return Err(Error::Config(format!(
                    "SBIZ_EMAIL={other}: expected smtp, ses or none (as compiled: smtp {}, ses {})",
                    cfg!(feature = "smtp"),
                    cfg!(feature = "aws-messaging")
                )));
            }
        }
        match var("SBIZ_SMS").as_deref().map(str::trim) {
            None | Some("none") => {}
            #[cfg(feature = "aws-messaging")]
            Some("sns") => channels = channels.with(Arc::new(aws::SnsSender::from_env().await)),
            Some(other) => {
                return Err(Error::Config(format!(
                    "SBIZ_SMS={other}: expected sns or none (as compiled: sns {})",
                    cfg!(feature = "aws-messaging")
                )));
            }
        }
        Ok(channels)
    }
}

/// A Korean mobile number in E.164, as SNS wants it: `010-1234-5678` →
/// `+821012345678`. `None` for numbers that cannot receive 문자 (landlines,
/// 1588 numbers).
pub fn e164(phone: &sbiz_catalog::Phone) -> Option<String> {
    let digits = phone.digits();
    (phone.is_mobile() && digits.len() >= 10 && digits.starts_with('0'))
        .then(|| format!("+82{}", &digits[1..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mobile_numbers_become_e164() {
        let p = |s: &str| s.parse::<sbiz_catalog::Phone>().expect("phone");
        assert_eq!(e164(&p("010-1234-5678")).as_deref(), Some("+821012345678"));
        assert_eq!(e164(&p("02-2133-8761")), None);
        assert_eq!(e164(&p("1588-1234")), None);
    }
}
