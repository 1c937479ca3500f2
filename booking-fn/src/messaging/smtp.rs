//! E-mail by SMTP (lettre on tokio, TLS by rustls) for self-hosting.

use std::time::Duration;

use async_trait::async_trait;
use lettre::message::{Mailbox, header::ContentType};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use sbiz_catalog::Channel;

use super::{Outgoing, SendError, Sender};
use crate::{Error, Result};

/// How the connection is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpTls {
    /// STARTTLS, required (port 587).
    StartTls,
    /// TLS from the first byte (port 465).
    Tls,
    /// No encryption: only for a relay on the same machine or in tests.
    None,
}

pub struct SmtpSender {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    /// The domain of `Message-ID`s (the sender's domain).
    domain: String,
}

impl SmtpSender {
    /// A sender through `host:port`. `from` is a mailbox such as
    /// `소공인포털 <no-reply@sbiz.example.kr>`.
    pub fn new(
        host: &str,
        port: u16,
        tls: SmtpTls,
        credentials: Option<(String, String)>,
        from: &str,
    ) -> Result<SmtpSender> {
        let from: Mailbox = from
            .parse()
            .map_err(|_| Error::Config("SBIZ_EMAIL_FROM is not a valid mailbox".into()))?;
        let domain = from.email.domain().to_owned();
        let builder = match tls {
            SmtpTls::StartTls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(host)
                .map_err(|e| Error::Config(format!("SMTP host {host}: {e}")))?,
            SmtpTls::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(host)
                .map_err(|e| Error::Config(format!("SMTP host {host}: {e}")))?,
            SmtpTls::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host),
        };
        let mut builder = builder.port(port).timeout(Some(Duration::from_secs(20)));
        if let Some((user, password)) = credentials {
            builder = builder.credentials(Credentials::new(user, password));
        }
        Ok(SmtpSender {
            transport: builder.build(),
            from,
            domain,
        })
    }

    /// From the environment: `SBIZ_SMTP_HOST`, `SBIZ_SMTP_PORT` (587),
    /// `SBIZ_SMTP_TLS` (`starttls`, `tls` or `none`; default `starttls`),
    /// `SBIZ_SMTP_USER` and `SBIZ_SMTP_PASSWORD_FILE` (a file holding the
    /// password, so that it is in no environment), `SBIZ_EMAIL_FROM`.
    pub fn from_env() -> Result<SmtpSender> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let host = var("SBIZ_SMTP_HOST")
            .ok_or_else(|| Error::Config("SBIZ_EMAIL=smtp needs SBIZ_SMTP_HOST".into()))?;
        let tls = match var("SBIZ_SMTP_TLS").as_deref() {
            None | Some("starttls") => SmtpTls::StartTls,
            Some("tls") => SmtpTls::Tls,
            Some("none") => SmtpTls::None,
            Some(other) => {
                return Err(Error::Config(format!(
                    "SBIZ_SMTP_TLS={other}: expected starttls, tls or none"
                )));
            }
        };
        let port = match var("SBIZ_SMTP_PORT") {
            Some(p) => p
                .trim()
                .parse()
                .map_err(|_| Error::Config("SBIZ_SMTP_PORT is not a port number".into()))?,
            None if tls == SmtpTls::Tls => 465,
            None => 587,
        };
        let credentials = match var("SBIZ_SMTP_USER") {
            None => None,
            Some(user) => {
                let file = var("SBIZ_SMTP_PASSWORD_FILE").ok_or_else(|| {
                    Error::Config("SBIZ_SMTP_USER needs SBIZ_SMTP_PASSWORD_FILE".into())
                })?;
                let password = std::fs::read_to_string(file.trim()).map_err(|e| {
                    Error::Config(format!("cannot read SBIZ_SMTP_PASSWORD_FILE: {e}"))
                })?;
                Some((user, password.trim_end_matches(['\r', '\n']).to_owned()))
            }
        };
        let from = var("SBIZ_EMAIL_FROM")
            .ok_or_else(|| Error::Config("SBIZ_EMAIL=smtp needs SBIZ_EMAIL_FROM".into()))?;
        SmtpSender::new(&host, port, tls, credentials, &from)
    }
}

#[async_trait]
impl Sender for SmtpSender {
    fn channel(&self) -> Channel {
        Channel::Email
    }
    fn provider(&self) -> &'static str {
        "smtp"
    }
    async fn send(&self, m: &Outgoing) -> std::result::Result<(), SendError> {
        let to: Mailbox =
            m.to.parse()
                .map_err(|_| SendError::Permanent("invalid_address".into()))?;
        let email = Message::builder()
            .message_id(Some(format!("<{}@{}>", m.id, self.domain)))
            .from(self.from.clone())
            .to(to)
            .subject(m.subject.clone())
            .header(ContentType::TEXT_PLAIN)
            .body(m.body.clone())
            .map_err(|_| SendError::Permanent("invalid_message".into()))?;
        match self.transport.send(email).await {
            Ok(_) => Ok(()),
            Err(e) => {
                let code = e.status().map(|c| format!("smtp_{c}")).unwrap_or_else(|| {
                    if e.is_timeout() {
                        "smtp_timeout".into()
                    } else {
                        "smtp_connection".into()
                    }
                });
                Err(if e.is_permanent() {
                    SendError::Permanent(code)
                } else {
                    SendError::Transient(code)
                })
            }
        }
    }
}
